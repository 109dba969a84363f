import { test } from "node:test";
import assert from "node:assert/strict";
import type { Value } from "@tessera/sql";
import { BTree, type IndexEntry } from "./btree.js";
import type { RowVersion } from "./table-store.js";

const byNumber = (a: Value, b: Value): number => (a as number) - (b as number);

/** A small deterministic generator, so a failure repeats. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function version(slot: number): RowVersion {
  return { values: [], slot, xmin: 1, xmax: 0 };
}

/** The searches by a linear walk over the entries, with the tree's own comparison. */
function naiveLower(tree: BTree, prefix: readonly Value[]): number {
  const i = tree.entries.findIndex((e) => tree.compareKeys(e.key, prefix) >= 0);
  return i < 0 ? tree.entries.length : i;
}

function naiveUpper(tree: BTree, prefix: readonly Value[]): number {
  const i = tree.entries.findIndex((e) => tree.compareKeys(e.key, prefix) > 0);
  return i < 0 ? tree.entries.length : i;
}

function randomKey(next: () => number, columns: number): Value[] {
  const key: Value[] = [];
  for (let c = 0; c < columns; c++) key.push(next() < 0.1 ? null : Math.floor(next() * 8));
  return key;
}

function checkSearches(tree: BTree, next: () => number, columns: number): void {
  for (let probe = 0; probe < 40; probe++) {
    const prefix = randomKey(next, Math.floor(next() * (columns + 1)));
    assert.equal(tree.lowerBound(prefix), naiveLower(tree, prefix), `lower ${String(prefix)}`);
    assert.equal(tree.upperBound(prefix), naiveUpper(tree, prefix), `upper ${String(prefix)}`);
  }
}

function assertSorted(tree: BTree): void {
  for (let i = 1; i < tree.entries.length; i++) {
    assert.ok(tree.compareKeys(tree.entries[i - 1]!.key, tree.entries[i]!.key) <= 0);
  }
}

test("searches agree with a linear walk through inserts, removes and replaced entries", () => {
  for (const columns of [1, 2, 3]) {
    const next = generator(columns * 7919);
    const tree = new BTree(new Array(columns).fill(byNumber));
    const live: IndexEntry[] = [];
    for (let step = 0; step < 400; step++) {
      const roll = next();
      if (roll < 0.6 || live.length === 0) {
        const entry = { key: randomKey(next, columns), version: version(step) };
        tree.insert(entry.key, entry.version);
        live.push(entry);
      } else if (roll < 0.85) {
        const [gone] = live.splice(Math.floor(next() * live.length), 1);
        tree.remove(gone!.key, gone!.version);
      } else {
        // Replaced from outside, as bulk loads and undo do.
        tree.entries = tree.entries.filter(() => next() < 0.9);
        live.length = 0;
        live.push(...tree.entries);
      }
      assert.equal(tree.entries.length, live.length);
      assertSorted(tree);
      if (step % 10 === 0) checkSearches(tree, next, columns);
    }
    tree.vacuum(0);
    checkSearches(tree, next, columns);
    tree.clear();
    assert.equal(tree.lowerBound([1]), 0);
    assert.equal(tree.upperBound([1]), 0);
  }
});

test("appends in key order; nulls sort last", () => {
  const tree = new BTree([byNumber]);
  for (let i = 0; i < 100; i++) tree.insert([i], version(i));
  assert.equal(tree.lowerBound([50]), 50);
  tree.insert([null], version(100));
  tree.insert([100], version(101));
  tree.insert([-1], version(102));
  assert.deepEqual(tree.entries.map((e) => e.key[0]), [-1,
    ...Array.from({ length: 100 }, (_, i) => i), 100, null]);
  assert.equal(tree.lowerBound([100]), 101);
  assert.equal(tree.lowerBound([null]), 102);
  assert.equal(tree.upperBound([null]), 103);
  assert.equal(tree.lowerBound([]), 0);
  assert.equal(tree.upperBound([]), 103);
});

const byNumberDesc = (a: Value, b: Value): number => (b as number) - (a as number);

/** The reference: a plain array kept sorted, stable for equal keys (inserts go after them). */
function referenceInsert(tree: BTree, ref: IndexEntry[], entry: IndexEntry): void {
  let at = ref.length;
  while (at > 0 && tree.compareKeys(ref[at - 1]!.key, entry.key) > 0) at--;
  ref.splice(at, 0, entry);
}

function checkAgainst(tree: BTree, ref: readonly IndexEntry[], next: () => number,
  columns: number): void {
  assert.equal(tree.size, ref.length);
  for (let probe = 0; probe < 20; probe++) {
    const prefix = randomKey(next, 1 + Math.floor(next() * columns));
    const lo = tree.lowerBound(prefix);
    const hi = tree.upperBound(prefix);
    const refLo = ref.findIndex((e) => tree.compareKeys(e.key, prefix) >= 0);
    const refHi = ref.findIndex((e) => tree.compareKeys(e.key, prefix) > 0);
    assert.equal(lo, refLo < 0 ? ref.length : refLo);
    assert.equal(hi, refHi < 0 ? ref.length : refHi);
    // A range scan walks the same versions in the same order as the reference.
    for (let pos = lo; pos < hi; pos++) assert.equal(tree.at(pos).version, ref[pos]!.version);
  }
}

test("a B+tree of many leaves matches a sorted-array reference", () => {
  // The last case repeats a few first-column values over many leaves, as a composite key does.
  const cases = [[1, false, 300], [1, true, 300], [2, false, 300], [3, true, 300], [2, false, 3],
    [3, true, 2]] as const;
  for (const [columns, desc, firstValues] of cases) {
    const next = generator(columns * 131 + (desc ? 1 : 0));
    const compares = new Array(columns).fill(desc ? byNumberDesc : byNumber);
    const tree = new BTree(compares);
    const ref: IndexEntry[] = [];
    const wide = (): Value[] => {
      const key: Value[] = [];
      for (let c = 0; c < columns; c++) {
        key.push(next() < 0.05 ? null : Math.floor(next() * (c === 0 ? firstValues : 40)));
      }
      return key;
    };
    for (let step = 0; step < 6000; step++) {
      const roll = next();
      if (roll < 0.65 || ref.length === 0) {
        const entry = { key: wide(), version: version(step) };
        tree.insert(entry.key, entry.version);
        referenceInsert(tree, ref, entry);
      } else if (roll < 0.97) {
        const [gone] = ref.splice(Math.floor(next() * ref.length), 1);
        tree.remove(gone!.key, gone!.version);
      } else {
        // Vacuum a slice: versions marked dead go, from some leaf on.
        for (const e of ref) if (next() < 0.2) e.version.xmin = 0;
        const from = Math.floor(next() * tree.leafCount);
        const before = tree.entries;
        tree.vacuumLeaves(1, from, 3);
        const after = tree.entries;
        ref.length = 0;
        ref.push(...after);
        assert.ok(after.length <= before.length);
        for (const e of before) {
          if (e.version.xmin !== 0) assert.ok(after.includes(e), "a live entry stays");
        }
        for (const e of ref) e.version.xmin = 1;
      }
      if (step % 50 === 0) checkAgainst(tree, ref, next, columns);
    }
    checkAgainst(tree, ref, next, columns);
    assert.deepEqual(tree.entries, ref);
    let leaf = 0;
    do leaf = tree.vacuumLeaves(1, leaf, 2); while (leaf !== 0);
    assert.equal(tree.size, ref.length, "nothing dead: a full pass keeps every entry");
  }
});

test("a bulk-built tree takes inserts and removes in its middle; nulls stay last", () => {
  const tree = new BTree([byNumber]);
  tree.entries = Array.from({ length: 10_000 }, (_, i) => ({ key: [i * 2], version: version(i) }));
  for (let i = 0; i < 10_000; i += 7) tree.insert([i * 2 + 1], version(20_000 + i));
  tree.insert([null], version(99_999));
  tree.insert([5], version(99_998));
  const keys = tree.entries.map((e) => e.key[0]);
  assert.equal(keys[keys.length - 1], null);
  for (let i = 1; i < keys.length - 1; i++) {
    assert.ok((keys[i - 1] as number) <= (keys[i] as number));
  }
  assert.equal(tree.lowerBound([6]), 5);
  assert.equal(tree.at(tree.lowerBound([5])).key[0], 5);
  assert.equal(tree.upperBound([5]) - tree.lowerBound([5]), 1);
  tree.remove([5], version(0));
  assert.equal(tree.upperBound([5]) - tree.lowerBound([5]), 1, "another version: kept");
  tree.remove([19_998], tree.at(tree.lowerBound([19_998])).version);
  assert.equal(tree.at(tree.size - 2).key[0], 19_996);
});

test("int8 keys searched as numbers where exact agree with bigint order, huge ones too", () => {
  const byBigint = (a: Value, b: Value): number =>
    ((a as bigint) < (b as bigint) ? -1 : (a as bigint) > (b as bigint) ? 1 : 0);
  const tree = new BTree([byNumber, byBigint], [false, true]);
  const ref: IndexEntry[] = [];
  const next = generator(77);
  const huge = 2n ** 60n;
  const int8 = (): bigint => {
    const roll = next();
    const small = BigInt(Math.floor(next() * 50) - 25);
    if (roll < 0.1) return small + huge;
    if (roll < 0.2) return small - huge;
    // Around the edge of exact doubles, where a careless conversion would round.
    if (roll < 0.3) return small + BigInt(Number.MAX_SAFE_INTEGER);
    return small;
  };
  for (let step = 0; step < 4000; step++) {
    if (next() < 0.8 || ref.length === 0) {
      const entry = { key: [Math.floor(next() * 3), int8()], version: version(step) };
      tree.insert(entry.key, entry.version);
      referenceInsert(tree, ref, entry);
    } else {
      const [gone] = ref.splice(Math.floor(next() * ref.length), 1);
      tree.remove(gone!.key, gone!.version);
    }
  }
  assert.deepEqual(tree.entries, ref);
  for (let probe = 0; probe < 400; probe++) {
    const prefix = [Math.floor(next() * 3), int8()];
    assert.equal(tree.lowerBound(prefix), naiveLower(tree, prefix));
    assert.equal(tree.upperBound(prefix), naiveUpper(tree, prefix));
  }
});

test("a sorted batch lands where inserting its entries one by one would put them", () => {
  const next = generator(5);
  for (const [columns, firstValues] of [[1, 50], [2, 4], [2, 400]] as const) {
    const batched = new BTree(new Array(columns).fill(byNumber));
    const single = new BTree(new Array(columns).fill(byNumber));
    let slot = 0;
    for (let round = 0; round < 30; round++) {
      const size = 1 + Math.floor(next() * (round % 3 === 0 ? 600 : 40));
      const batch: IndexEntry[] = [];
      for (let i = 0; i < size; i++) {
        const key: Value[] = [];
        for (let c = 0; c < columns; c++) {
          key.push(next() < 0.03 ? null : Math.floor(next() * (c === 0 ? firstValues : 30)));
        }
        batch.push({ key, version: version(slot++) });
      }
      for (const e of batch) single.insert(e.key, e.version);
      // Sorted stably, as the bulk loader sorts: equal keys keep their input order.
      const sorted = batch.slice().sort((a, b) => batched.compareKeys(a.key, b.key));
      batched.insertSorted(sorted);
      assert.deepEqual(batched.entries.map((e) => e.version.slot),
        single.entries.map((e) => e.version.slot));
      for (let probe = 0; probe < 10; probe++) {
        const prefix = randomKey(next, 1 + Math.floor(next() * columns));
        assert.equal(batched.lowerBound(prefix), naiveLower(batched, prefix));
        assert.equal(batched.upperBound(prefix), naiveUpper(batched, prefix));
      }
    }
    assert.ok(batched.leafCount > 10, "the batches built many leaves");
  }
});
