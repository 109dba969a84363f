import { test } from "node:test";
import assert from "node:assert/strict";
import type { Value } from "@tessera/sql";
import { BTree } from "./btree.js";
import type { RowVersion } from "./table-store.js";

const byNumber = (a: Value, b: Value): number => (a as number) - (b as number);
const byBigint = (a: Value, b: Value): number =>
  ((a as bigint) < (b as bigint) ? -1 : (a as bigint) > (b as bigint) ? 1 : 0);

function add(tree: BTree, key: Value[], slot: number): void {
  const version: RowVersion = { values: [], slot, xmin: 1, xmax: 0 };
  tree.insert(key, version);
}

test("findEqual walks equal keys across leaves and stops at the first accepted", () => {
  const tree = new BTree([byNumber, byBigint], [false, true]);
  let slot = 0;
  for (let dev = 0; dev < 4; dev++) {
    for (let id = 0; id < 50; id++) {
      // Key (2, 7n) repeats 400 times: its entries span several leaves.
      const copies = dev === 2 && id === 7 ? 400 : 1;
      for (let c = 0; c < copies; c++) add(tree, [dev, BigInt(id)], slot++);
    }
  }
  const all = tree.entries;
  const equal = all.filter((e) => e.key[0] === 2 && e.key[1] === 7n);
  assert.equal(equal.length, 400);
  const seen: number[] = [];
  const last = tree.findEqual([2, 7n], (e) => {
    seen.push(e.version.slot);
    return e === equal[399];
  });
  assert.equal(last, equal[399]);
  assert.deepEqual(seen, equal.map((e) => e.version.slot));
  assert.equal(tree.findEqual([2, 7n], () => false), undefined);
  assert.equal(tree.findEqual([2, 8n], () => true), all.find((e) => e.key[0] === 2 &&
    e.key[1] === 8n));
  assert.equal(tree.findEqual([9, 1n], () => true), undefined);
  assert.equal(tree.findEqual([0, -1n], () => true), undefined);
  assert.equal(tree.findEqual([3, 49n], () => true), all[all.length - 1]);
  // A bigint beyond the exact range of a number is compared as a bigint.
  add(tree, [3, 2n ** 70n], slot++);
  assert.equal(tree.findEqual([3, 2n ** 70n], () => true)?.key[1], 2n ** 70n);
  assert.equal(tree.findEqual([3, 2n ** 70n + 1n], () => true), undefined);
});

test("findEqualLast visits a key's entries newest first, by hash or through the leaves", () => {
  for (const hashed of [false, true]) {
    const tree = new BTree([byNumber], [false], hashed);
    for (let slot = 0; slot < 600; slot++) add(tree, [slot % 3 === 0 ? 5 : slot], slot);
    const seen: number[] = [];
    const found = tree.findEqualLast([5], (e) => {
      seen.push(e.version.slot);
      return e.version.slot < 590;
    });
    assert.equal(found?.version.slot, 588, hashed ? "hashed" : "walked");
    assert.deepEqual(seen, [597, 594, 591, 588]);
    assert.equal(tree.findEqualLast([5], () => false), undefined);
    assert.equal(tree.findEqualLast([6], () => true), undefined);
    assert.equal(tree.findEqualLast([7], () => true)?.version.slot, 7);
  }
});
