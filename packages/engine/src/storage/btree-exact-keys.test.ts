import { test } from "node:test";
import assert from "node:assert/strict";
import type { Value } from "@tessera/sql";
import { BTree, type IndexEntry } from "./btree.js";
import type { RowVersion } from "./table-store.js";

const byNumber = (a: Value, b: Value): number => (a as number) - (b as number);
const byBigint = (a: Value, b: Value): number =>
  ((a as bigint) < (b as bigint) ? -1 : (a as bigint) > (b as bigint) ? 1 : 0);

/** A deterministic pseudo-random sequence (xorshift32). */
function randomFrom(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x1_0000_0000;
  };
}

/** Every key's findEqual answers, for accept-all, accept-live and accept-odd-slot. */
function answers(tree: BTree, keys: readonly Value[]): (number | undefined)[] {
  const out: (number | undefined)[] = [];
  const accepts = [
    (): boolean => true,
    (e: IndexEntry): boolean => e.version.xmax === 0,
    (e: IndexEntry): boolean => e.version.slot % 2 === 1,
  ];
  for (const key of keys) {
    for (const accept of accepts) out.push(tree.findEqual([key], accept)?.version.slot);
  }
  return out;
}

/** A live version (other fields of RowVersion do not matter to the tree). */
function versionAt(slot: number): RowVersion {
  return { values: [], slot, xmin: 1, xmax: 0 } as unknown as RowVersion;
}

function mirrorTrees(bigints: boolean): [BTree, BTree] {
  const compare = bigints ? byBigint : byNumber;
  return [new BTree([compare], [bigints]), new BTree([compare], [bigints], true)];
}

for (const bigints of [false, true]) {
  test(`a hashed tree finds what the plain tree finds (${bigints ? "int8" : "int4"} keys)`, () => {
    const random = randomFrom(bigints ? 7 : 11);
    const [plain, hashed] = mirrorTrees(bigints);
    const keyOf = (n: number): Value => (bigints ? BigInt(n) : n);
    const probe: Value[] = [];
    for (let k = -5; k < 400; k++) probe.push(keyOf(k));
    if (bigints) probe.push(2n ** 70n);
    const both = (f: (tree: BTree) => void): void => { f(plain); f(hashed); };
    let slot = 0;
    const live: { key: Value; version: RowVersion }[] = [];
    for (let step = 0; step < 4000; step++) {
      const r = random();
      if (r < 0.55) {
        const key = bigints && r < 0.01 ? 2n ** 70n : keyOf(Math.floor(random() * 400));
        const version = versionAt(slot++);
        both((t) => t.insert([key], version));
        live.push({ key, version });
      } else if (r < 0.7 && live.length > 0) {
        const at = Math.floor(random() * live.length);
        const { key, version } = live[at]!;
        live.splice(at, 1);
        both((t) => t.remove([key], version));
      } else if (r < 0.85 && live.length > 0) {
        // An update: the old version is deleted (dead for vacuum), a new one added.
        const { version } = live[Math.floor(random() * live.length)]!;
        version.xmax = 1;
      } else if (r < 0.9) {
        const batch = Array.from({ length: 20 }, () => {
          const key = keyOf(Math.floor(random() * 400));
          const version = versionAt(slot++);
          live.push({ key, version });
          return { key: [key], version };
        }).sort((a, b) => plain.compareKeys(a.key, b.key));
        both((t) => t.insertSorted(batch));
      } else if (r < 0.95) {
        const from = Math.floor(random() * Math.max(1, plain.leafCount));
        both((t) => t.vacuumLeaves(2, Math.min(from, t.leafCount - 1), 3));
      } else if (r < 0.96) {
        both((t) => { t.entries = t.entries.filter((e) => e.version.slot % 3 !== 0); });
      }
      if (step % 500 === 0 || step === 3999) {
        assert.deepEqual(answers(hashed, probe), answers(plain, probe), `step ${step}`);
      }
    }
    both((t) => t.clear());
    assert.deepEqual(answers(hashed, probe), answers(plain, probe));
  });
}

test("a hashed tree keeps equal keys in the tree's order", () => {
  const tree = new BTree([byNumber], [], true);
  const versions = [0, 1, 2].map(versionAt);
  for (const version of versions) tree.insert([5], version);
  const seen: number[] = [];
  assert.equal(tree.findEqual([5], (e) => { seen.push(e.version.slot); return false; }),
    undefined);
  assert.deepEqual(seen, [0, 1, 2]);
  tree.remove([5], versions[1]!);
  assert.equal(tree.findEqual([5], (e) => e.version.slot > 0)?.version.slot, 2);
});
