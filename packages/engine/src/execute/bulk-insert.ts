/**
 * Index maintenance for bulk loads (COPY): instead of inserting each new entry into a sorted
 * array (a shift per entry, quadratic for keys that do not arrive in order), the new entries
 * are sorted once and merged with the existing ones in one pass.
 *
 * Uniqueness is checked on the sorted entries before the merge: a new key equal to a live
 * existing one, or to an earlier new one, is a violation. Of all violations the one whose row
 * came first in the input is reported, as inserting row by row would have.
 */
import { assert } from "@tessera/base";
import type { Value } from "@tessera/sql";
import { indexKey, uniqueViolation } from "../catalog/indexes.js";
import type { Runtime } from "./runtime.js";
import type { Index, Relation } from "../catalog/relation.js";
import type { IndexEntry } from "../storage/btree.js";
import { isLive, type RowVersion } from "../storage/table-store.js";

/** Adds index entries for `versions` (just stored, in input order) to every index. */
export function mergeIntoIndexes(rel: Relation, versions: readonly RowVersion[],
  progress: { done: number }, rt: Runtime): void {
  if (versions.length === 0) return;
  const first = versions[0]!.slot;
  const added = rel.indexes.map((index) => sortedEntries(index, versions, rt));
  let failing: { at: number; index: Index; key: readonly Value[] } | null = null;
  rel.indexes.forEach((index, k) => {
    if (!index.unique) return;
    const hit = firstDuplicate(index, added[k]!);
    if (hit !== null && (failing === null || hit.slot - first < failing.at)) {
      failing = { at: hit.slot - first, index, key: hit.key };
    }
  });
  if (failing !== null) {
    const { at, index, key } = failing;
    progress.done = at;
    throw uniqueViolation(rel, index, key);
  }
  rel.indexes.forEach((index, k) => {
    index.tree.entries = merge(index, index.tree.entries, added[k]!);
  });
}

function sortedEntries(index: Index, versions: readonly RowVersion[], rt: Runtime):
  IndexEntry[] {
  const entries: IndexEntry[] = [];
  for (const version of versions) {
    const key = indexKey(index, version.values, rt);
    if (key !== null) entries.push({ key, version });
  }
  // Array sort is stable, so equal keys stay in input order.
  return entries.sort((a, b) => index.tree.compareKeys(a.key, b.key));
}

/** Returns the earliest new entry whose key a live entry (old or new) already holds. */
function firstDuplicate(index: Index, added: readonly IndexEntry[]):
  { slot: number; key: readonly Value[] } | null {
  const tree = index.tree;
  let best: { slot: number; key: readonly Value[] } | null = null;
  const consider = (entry: IndexEntry): void => {
    if (best === null || entry.version.slot < best.slot) {
      best = { slot: entry.version.slot, key: entry.key };
    }
  };
  for (let i = 0; i < added.length; i++) {
    const entry = added[i]!;
    if (entry.key.includes(null)) continue;
    const previous = added[i - 1];
    if (previous !== undefined && tree.compareKeys(previous.key, entry.key) === 0) {
      consider(entry);
      continue;
    }
    const end = tree.upperBound(entry.key);
    for (let j = tree.lowerBound(entry.key); j < end; j++) {
      if (isLive(tree.entries[j]!.version)) {
        consider(entry);
        break;
      }
    }
  }
  return best;
}

/** Merges two sorted entry arrays; on equal keys the existing entries come first. */
function merge(index: Index, old: readonly IndexEntry[], added: readonly IndexEntry[]):
  IndexEntry[] {
  if (old.length === 0) return added.slice();
  const out: IndexEntry[] = new Array<IndexEntry>(old.length + added.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < old.length && j < added.length) {
    out[k++] = index.tree.compareKeys(added[j]!.key, old[i]!.key) < 0 ? added[j++]! : old[i++]!;
  }
  while (i < old.length) out[k++] = old[i++]!;
  while (j < added.length) out[k++] = added[j++]!;
  assert(k === out.length, "a merge keeps every entry");
  return out;
}
