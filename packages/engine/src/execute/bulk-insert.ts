/**
 * Index maintenance for bulk loads (COPY): instead of inserting each new entry on its own, the
 * new entries are sorted once and merged into the leaves they belong to
 * (`BTree.insertSorted`).
 *
 * Uniqueness is checked on the sorted entries before the merge: a new key equal to a live
 * existing one, or to an earlier new one, is a violation. Of all violations the one whose row
 * came first in the input is reported, as inserting row by row would have.
 */
import type { Value } from "@tessera/sql";
import { indexKey, uniqueViolation } from "../catalog/indexes.js";
import { Oid } from "../catalog/types.js";
import type { Runtime } from "./runtime.js";
import type { Index, Relation } from "../catalog/relation.js";
import type { IndexEntry } from "../storage/btree.js";
import { isLive, type RowVersion } from "../storage/table-store.js";

/** Adds index entries for `versions` (just stored, in input order) to every index. */
export function mergeIntoIndexes(rel: Relation, versions: readonly RowVersion[],
  progress: { done: number }, rt: Runtime): void {
  if (versions.length === 0) return;
  const first = versions[0]!.slot;
  const orders = rel.indexes.map((index) => keyOrder(rel, index));
  const compares = orders.map((order) => order.compare);
  const added = rel.indexes.map((index, k) => sortedEntries(index, versions, rt, orders[k]!));
  let failing: { at: number; index: Index; key: readonly Value[] } | null = null;
  rel.indexes.forEach((index, k) => {
    if (!index.unique) return;
    const hit = firstDuplicate(index, added[k]!, compares[k]!);
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
    index.tree.insertSorted(added[k]!.entries, compares[k]!);
  });
}

type KeyCompare = (a: readonly Value[], b: readonly Value[]) => number;

/** An index's key comparison; `integer` when every key column holds numbers or bigints. */
interface KeyOrder {
  readonly integer: boolean;
  readonly compare: KeyCompare;
}

/**
 * The index's key order: the tree's own, or for plain ascending keys of integer and
 * timestamp columns (numbers and bigints, which `<` orders exactly) the same order without a
 * call per column. A bulk load makes millions of these comparisons.
 */
function keyOrder(rel: Relation, index: Index): KeyOrder {
  const direct = index.computed === undefined && index.descending === undefined &&
    index.columns.every((c) => c >= 0 && directTypes.has(rel.columns[c]!.type));
  if (!direct) return { integer: false, compare: (a, b) => index.tree.compareKeys(a, b) };
  return { integer: true, compare: (a, b) => {
    for (let i = 0; i < a.length; i++) {
      const x = a[i]!;
      const y = b[i]!;
      if (x === y) continue;
      // Nulls sort last, as in the tree.
      if (x === null) return 1;
      if (y === null) return -1;
      if (x < y) return -1;
      if (x > y) return 1;
    }
    return 0;
  } };
}

/** int2, int4, int8, timestamp, timestamptz: values are numbers or bigints. */
const directTypes: ReadonlySet<number> = new Set([
  Oid.int2, Oid.int4, Oid.int8, Oid.timestamp, Oid.timestamptz,
]);

/**
 * New entries in key order; `keys` their packed keys when `sortByPackedKey` sorted them, and
 * then `nullFree` when no key holds a null.
 */
interface SortedEntries {
  readonly entries: IndexEntry[];
  readonly keys: Float64Array | null;
  readonly nullFree?: boolean;
}

function sortedEntries(index: Index, versions: readonly RowVersion[], rt: Runtime,
  order: KeyOrder): SortedEntries {
  const entries: IndexEntry[] = [];
  const columns = index.computed === undefined ? index.columns : null;
  for (const version of versions) {
    // Plain columns (nearly every index): the key without `indexKey`'s closure per row.
    const key = columns === null ? indexKey(index, version.values, rt)
      : plainKey(columns, version.values);
    if (key !== null) entries.push({ key, version });
  }
  const compare = order.compare;
  // Array sort is stable, so equal keys stay in input order.
  return (order.integer ? sortByPackedKey(entries) : null) ??
    { entries: entries.sort((a, b) => compare(a.key, b.key)), keys: null };
}

/**
 * The key of an index over plain columns, as `indexKey` builds it. The tree keeps every key,
 * so each is an array of exactly its width (a literal; `push` would leave spare slots).
 */
function plainKey(columns: readonly number[], values: readonly Value[]): Value[] {
  switch (columns.length) {
    case 1: return [values[columns[0]!] ?? null];
    case 2: return [values[columns[0]!] ?? null, values[columns[1]!] ?? null];
    case 3:
      return [values[columns[0]!] ?? null, values[columns[1]!] ?? null,
        values[columns[2]!] ?? null];
    default: return columns.map((c) => values[c] ?? null);
  }
}

/**
 * Sorts entries of integer-valued keys by one number per key, when the batch's key ranges
 * multiply to at most 2^53: each column's offset from its minimum, a null one past the
 * maximum (nulls last), mixed radix. Equal numbers are equal keys and the order is the key
 * order, so this is the comparison sort's exact result (ties stay in input order), without
 * a bigint comparison per step. Null when a value is not a safe integer or ranges are wide.
 */
function sortByPackedKey(entries: IndexEntry[]): SortedEntries | null {
  const n = entries.length;
  if (n < 2) return { entries, keys: null };
  const width = entries[0]!.key.length;
  const columns: Float64Array[] = [];
  const mins: number[] = [];
  const spans: number[] = [];
  let nullFree = true;
  for (let c = 0; c < width; c++) {
    const values = new Float64Array(n);
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = entries[i]!.key[c]!;
      const x = v === null ? NaN : safeNumber(v);
      if (x === undefined) return null;
      if (v === null) nullFree = false;
      values[i] = x;
      if (x < min) min = x;
      if (x > max) max = x;
    }
    columns.push(values);
    mins.push(min === Infinity ? 0 : min);
    spans.push(min === Infinity ? 1 : max - min + 2);
  }
  if (spans.reduce((a, b) => a * b, 1) > Number.MAX_SAFE_INTEGER) return null;
  const packed = new Float64Array(n);
  for (let c = 0, scale = 1; c < width; c++) {
    const values = columns[width - 1 - c]!;
    const min = mins[width - 1 - c]!;
    const nullAt = spans[width - 1 - c]! - 1;
    for (let i = 0; i < n; i++) {
      const x = values[i]!;
      packed[i] = packed[i]! + (Number.isNaN(x) ? nullAt : x - min) * scale;
    }
    scale *= spans[width - 1 - c]!;
  }
  const sorted = new Array<IndexEntry>(n);
  const keys = new Float64Array(n);
  if (spans.reduce((a, b) => a * b, n) <= Number.MAX_SAFE_INTEGER) {
    // Key and position in one number: distinct values, sorted natively, no comparator calls.
    for (let i = 0; i < n; i++) packed[i] = packed[i]! * n + i;
    packed.sort();
    for (let k = 0; k < n; k++) {
      const at = packed[k]! % n;
      sorted[k] = entries[at]!;
      keys[k] = (packed[k]! - at) / n;
    }
    return { entries: sorted, keys, nullFree };
  }
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((i, j) => packed[i]! - packed[j]! || i - j);
  for (let k = 0; k < n; k++) {
    sorted[k] = entries[order[k]!]!;
    keys[k] = packed[order[k]!]!;
  }
  return { entries: sorted, keys, nullFree };
}

/** A number or bigint as an exact double, or undefined. */
function safeNumber(v: Value): number | undefined {
  if (typeof v === "number") return Number.isSafeInteger(v) ? v : undefined;
  if (typeof v !== "bigint") return undefined;
  return v >= minSafe && v <= maxSafe ? Number(v) : undefined;
}

const maxSafe = BigInt(Number.MAX_SAFE_INTEGER);
const minSafe = -maxSafe;

/** Returns the earliest new entry whose key a live entry (old or new) already holds. */
function firstDuplicate(index: Index, sorted: SortedEntries, compare: KeyCompare):
  { slot: number; key: readonly Value[] } | null {
  const { entries: added, keys } = sorted;
  const tree = index.tree;
  let best: { slot: number; key: readonly Value[] } | null = null;
  const consider = (entry: IndexEntry): void => {
    if (best === null || entry.version.slot < best.slot) {
      best = { slot: entry.version.slot, key: entry.key };
    }
  };
  const searchOld = tree.size > 0;
  if (keys !== null && sorted.nullFree === true && !searchOld) {
    // Into an empty index without nulls: only equal neighbours clash, and the packed keys
    // say which without reading the entries.
    for (let i = 1; i < added.length; i++) if (keys[i - 1] === keys[i]) consider(added[i]!);
    return best;
  }
  for (let i = 0; i < added.length; i++) {
    const entry = added[i]!;
    const key = entry.key;
    const nulls = hasNull(key);
    if (nulls && index.nullsNotDistinct !== true) continue;
    // NULLS NOT DISTINCT: null keys compare as the tree does, nulls equal.
    const same = i > 0 && (nulls ? tree.compareKeys(added[i - 1]!.key, key) === 0
      : keys !== null ? keys[i - 1] === keys[i] : compare(added[i - 1]!.key, key) === 0);
    if (same) {
      consider(entry);
      continue;
    }
    if (!searchOld) continue;
    const end = tree.upperBound(entry.key);
    for (let j = tree.lowerBound(entry.key); j < end; j++) {
      if (isLive(tree.at(j).version)) {
        consider(entry);
        break;
      }
    }
  }
  return best;
}

function hasNull(key: readonly Value[]): boolean {
  for (let i = 0; i < key.length; i++) if (key[i] === null) return true;
  return false;
}
