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
      } else if (roll < 0.95) {
        // Replaced from outside, as bulk loads and undo do.
        tree.entries = tree.entries.filter(() => next() < 0.9);
        live.length = 0;
        live.push(...tree.entries);
      } else {
        // Changed in place from outside, as an index rebuild does: push, then sort.
        const entry = { key: randomKey(next, columns), version: version(step) };
        tree.entries.push(entry);
        tree.entries.sort((x, y) => tree.compareKeys(x.key, y.key));
        live.push(entry);
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

test("appends in key order keep the search copy current; nulls sort last", () => {
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
