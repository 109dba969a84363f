/**
 * A B+tree index of (key, row version) entries: the entries live in leaves of bounded size
 * (`leafMax`), chained in key order by the root's leaf directory, so an insert or remove
 * moves at most one leaf's entries instead of the whole index. Entries of dead versions stay
 * until vacuum drops them (`vacuum`, or a slice at a time with `vacuumLeaves` while
 * statements run), so every reader checks visibility. An entry reaches a chain of versions of
 * one row, newest first (`version-chains.ts`); vacuum prunes the chain's dead versions.
 *
 * Keys compare column by column with each column type's btree comparison; nulls sort last,
 * as in a default Postgres index.
 *
 * Callers address entries by position in key order, as in a sorted array: `lowerBound` and
 * `upperBound` return positions, `at` reads one, `size` counts them. The root keeps the first
 * position of each leaf (`starts`), so a position is found by a binary search over leaves;
 * `at` remembers the last leaf it read, so a walk over consecutive positions costs O(1) a step.
 *
 * A unique index on one integer column also keeps its entries in a hash map by key (`exact`,
 * see `ExactKeys`): a point lookup there reaches its entry without the dozen dependent reads
 * of a search through the leaves.
 */
import { assert } from "@tessera/base";
import type { Value } from "@tessera/sql";
import type { Compare } from "../catalog/type-io.js";
import { ExactKeys } from "./exact-keys.js";
import type { RowVersion } from "./table-store.js";
import { pruneChain } from "./version-chains.js";

export interface IndexEntry {
  readonly key: readonly Value[];
  /**
   * The newest version of the entry's chain (`version-chains.ts`): an update that keeps every
   * index key points the entry at its new version, vacuum at the newest one not dead.
   */
  version: RowVersion;
}

/** Most entries a leaf holds; a fuller leaf splits in two. */
const leafMax = 128;
/** Entries per leaf when leaves are built from a sorted array (room for inserts). */
const leafFill = 96;

export class BTree {
  /** The leaves in key order; never empty leaves, except the only one of an empty tree. */
  private leaves: IndexEntry[][] = [[]];
  /** `starts[l]` is the position of `leaves[l][0]`; `starts[leaves.length]` is `size`. */
  private starts: number[] = [0, 0];
  /**
   * Bumped by every change to the entries: a walk that kept a position across a change (a
   * suspended scan) must find its place again by key (`IndexScan` in execute/scan.ts).
   */
  changes = 0;
  /** The leaf `at` read last, where a walk over consecutive positions goes on. */
  private hint = 0;
  /**
   * `firsts[l]` is the first column of `leaves[l]`'s first key: a lookup by one column
   * searches this flat array instead of reaching through leaf, entry and key for each probe.
   */
  private firsts: Value[] = [null];
  /**
   * `columns[l][c]` holds column c of `leaves[l]`'s keys, in entry order: a search probes
   * these flat arrays, close together in memory, instead of one entry and key per probe.
   */
  private columns: Value[][][];
  /** True when some column holds int8-like bigints (see `bigintColumns`). */
  private readonly anyBigints: boolean;
  /** The entries by key, for a tree made `hashed`; dropped for good when it grows too big. */
  private exact: ExactKeys | undefined;

  /**
   * `bigintColumns[c]` marks a column of bigints whose comparison orders numbers and bigints
   * alike (int8): the flat arrays and search keys hold such values as numbers when exact, so
   * a probe compares two numbers instead of reaching a bigint elsewhere in memory.
   */
  constructor(readonly compares: readonly Compare[],
    private readonly bigintColumns: readonly boolean[] = [], hashed = false) {
    assert(compares.length > 0, "an index has at least one column");
    assert(!hashed || compares.length === 1, "a hashed tree has one column");
    this.columns = [compares.map(() => [])];
    this.anyBigints = bigintColumns.includes(true);
    if (hashed) this.exact = new ExactKeys();
  }

  /** How many entries the tree holds. */
  get size(): number {
    return this.starts[this.leaves.length]!;
  }

  /** A copy of the entries in key order (O(size): for bulk work, not lookups). */
  get entries(): IndexEntry[] {
    const all: IndexEntry[] = [];
    for (const leaf of this.leaves) for (const e of leaf) all.push(e);
    return all;
  }

  /** Replaces every entry with `entries`, which must be in key order. */
  set entries(entries: IndexEntry[]) {
    const leaves: IndexEntry[][] = [];
    for (let i = 0; i < entries.length; i += leafFill) leaves.push(entries.slice(i, i + leafFill));
    this.setLeaves(leaves);
  }

  /** The entry at `pos` (0 <= pos < size). */
  at(pos: number): IndexEntry {
    const starts = this.starts;
    let l = this.hint;
    if (pos < starts[l]! || pos >= starts[l + 1]!) {
      if (pos === starts[l + 1]! && l + 2 < starts.length) l++;
      else l = this.leafOf(pos);
      this.hint = l;
    }
    const entry = this.leaves[l]![pos - starts[l]!];
    assert(entry !== undefined, "an index position is inside the tree");
    return entry;
  }

  /** Compares two keys (or a key and a shorter prefix): nulls last. */
  compareKeys(a: readonly Value[], b: readonly Value[]): number {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const x = a[i]!;
      const y = b[i]!;
      if (x === null || y === null) {
        if (x === y) continue;
        return x === null ? 1 : -1;
      }
      const c = this.compares[i]!(x, y);
      if (c !== 0) return c;
    }
    return 0;
  }

  insert(key: readonly Value[], version: RowVersion): void {
    this.changes++;
    const flat = this.anyBigints ? this.flatKey(key) : key;
    const leaves = this.leaves;
    let l = leaves.length - 1;
    let leaf = leaves[l]!;
    const last = leaf[leaf.length - 1];
    const entry: IndexEntry = { key, version };
    if (this.exact !== undefined) this.hashAdd(flat[0]!, entry);
    if (last === undefined || this.compareKeys(last.key, key) <= 0) {
      leaf.push(entry);
      const columns = this.columns[l]!;
      for (let c = 0; c < columns.length; c++) columns[c]!.push(flat[c]!);
    } else {
      l = this.leafFor(flat, true);
      leaf = leaves[l]!;
      const at = this.searchLeaf(l, flat, true);
      insertAt(leaf, at, entry);
      const columns = this.columns[l]!;
      for (let c = 0; c < columns.length; c++) insertAt(columns[c]!, at, flat[c]!);
    }
    this.firsts[l] = this.columns[l]![0]![0]!;
    const starts = this.starts;
    for (let i = l + 1; i < starts.length; i++) starts[i]!++;
    if (leaf.length > leafMax) this.split(l);
  }

  /**
   * Adds `added`, sorted in key order, as inserting them one by one would (after existing
   * entries with equal keys), rebuilding only the leaves they go into: a bulk load costs the
   * size of the batch and of those leaves, not of the whole tree. `compare` orders keys as
   * `compareKeys` does (a caller may pass a faster equivalent).
   */
  insertSorted(added: readonly IndexEntry[],
    compare: (a: readonly Value[], b: readonly Value[]) => number = (a, b) =>
      this.compareKeys(a, b)): void {
    if (added.length === 0) return;
    this.changes++;
    if (this.size === 0) {
      this.entries = added.slice();
      return;
    }
    // Equal keys go after the tree's own, in the batch's order: the order `findEqual` sees.
    if (this.exact !== undefined) {
      for (const entry of added) this.hashAdd(this.flatFirst(entry.key), entry);
    }
    const leaves = this.leaves;
    const newLeaves: IndexEntry[][] = [];
    const newColumns: Value[][][] = [];
    let kept = 0;
    for (let i = 0; i < added.length;) {
      const key = added[i]!.key;
      const l = this.leafFor(this.anyBigints ? this.flatKey(key) : key, true);
      for (; kept < l; kept++) {
        newLeaves.push(leaves[kept]!);
        newColumns.push(this.columns[kept]!);
      }
      // The entries below the next leaf's first key go into leaf l.
      let j = i + 1;
      const next = leaves[l + 1]?.[0]?.key;
      while (j < added.length && (next === undefined || compare(added[j]!.key, next) < 0)) j++;
      const merged = mergeRun(leaves[l]!, added, i, j, compare);
      const size = merged.length <= leafMax ? merged.length : leafFill;
      for (let at = 0; at < merged.length; at += size) {
        const leaf = merged.slice(at, at + size);
        newLeaves.push(leaf);
        newColumns.push(this.columnsOf(leaf));
      }
      kept = l + 1;
      i = j;
    }
    for (; kept < leaves.length; kept++) {
      newLeaves.push(leaves[kept]!);
      newColumns.push(this.columns[kept]!);
    }
    this.leaves = newLeaves;
    this.columns = newColumns;
    this.firsts = newColumns.map((columns) => columns[0]![0] ?? null);
    this.rebuildStarts();
  }

  /** Removes the entry of `version` under `key`, if the tree holds it. */
  remove(key: readonly Value[], version: RowVersion): void {
    const leaves = this.leaves;
    const flat = this.anyBigints ? this.flatKey(key) : key;
    const first = this.leafFor(flat, false);
    for (let l = first; l < leaves.length; l++) {
      const leaf = leaves[l]!;
      const from = l === first ? this.searchLeaf(l, flat, false) : 0;
      for (let i = from; i < leaf.length; i++) {
        const entry = leaf[i]!;
        if (this.compareKeys(entry.key, key) > 0) return;
        if (entry.version !== version) continue;
        leaf.splice(i, 1);
        this.changes++;
        this.exact?.remove(flat[0]!, entry);
        for (const column of this.columns[l]!) column.splice(i, 1);
        this.shrunk(l, 1);
        return;
      }
    }
  }

  /**
   * The first entry, in key order, whose key equals `key` (a whole key) and that `accept`
   * takes; undefined when none does. A point lookup: it compares on the flat columns and walks
   * the leaves directly, so it reaches no entry's key and searches no position.
   */
  findEqual(key: readonly Value[], accept: (entry: IndexEntry) => boolean):
    IndexEntry | undefined {
    const leaves = this.leaves;
    const flat = this.anyBigints ? this.flatKey(key) : key;
    const exact = this.exact;
    if (exact !== undefined) {
      // Keys of another type (a bigint probe of an int4 column) take the tree's way, which
      // compares across types; the map holds numbers (int8 ones when exact) by identity.
      const probe = exactNumber(flat[0]!);
      if (typeof probe === "number") return exact.find(probe, accept);
    }
    let l = this.leafFor(flat, false);
    for (let i = this.searchLeaf(l, flat, false); l < leaves.length; l++, i = 0) {
      const leaf = leaves[l]!;
      const columns = this.columns[l]!;
      for (; i < leaf.length; i++) {
        if (this.compareAt(columns, i, flat) !== 0) return undefined;
        const entry = leaf[i]!;
        if (accept(entry)) return entry;
      }
    }
    return undefined;
  }

  /**
   * As `findEqual`, but the last such entry: equal keys keep their insertion order, so this
   * visits a key's newest entries first (through `exact` too, when the tree keeps it).
   */
  findEqualLast(key: readonly Value[], accept: (entry: IndexEntry) => boolean):
    IndexEntry | undefined {
    const exact = this.exact;
    if (exact !== undefined) {
      const probe = exactNumber((this.anyBigints ? this.flatKey(key) : key)[0]!);
      if (typeof probe === "number") return exact.findLast(probe, accept);
    }
    const first = this.lowerBound(key);
    for (let i = this.upperBound(key) - 1; i >= first; i--) {
      const entry = this.at(i);
      if (accept(entry)) return entry;
    }
    return undefined;
  }

  /** First position whose key is >= `prefix`. */
  lowerBound(prefix: readonly Value[]): number {
    const flat = this.anyBigints ? this.flatKey(prefix) : prefix;
    const l = this.leafFor(flat, false);
    return this.starts[l]! + this.searchLeaf(l, flat, false);
  }

  /** First position whose key is > `prefix`. */
  upperBound(prefix: readonly Value[]): number {
    const flat = this.anyBigints ? this.flatKey(prefix) : prefix;
    const l = this.leafFor(flat, true);
    return this.starts[l]! + this.searchLeaf(l, flat, true);
  }

  clear(): void {
    this.setLeaves([]);
  }

  /**
   * Drops entries whose versions are all dead for everyone (`isDead` under `horizon`), and
   * unlinks the dead versions of the chains the others reach.
   */
  vacuum(horizon: number): void {
    this.vacuumLeaves(horizon, 0, this.leaves.length);
  }

  /**
   * Drops the dead entries (`keepEntry` under `horizon`) of up to `count` leaves from leaf
   * `from` on: a slice of vacuum. Returns the leaf to go on from, 0 when it reached the end.
   * Positions after a dropped entry move down, so no caller may hold one across this.
   */
  vacuumLeaves(horizon: number, from: number, count: number): number {
    const kept: IndexEntry[][] = [];
    const keptColumns: Value[][][] = [];
    const end = Math.min(this.leaves.length, from + count);
    let changed = false;
    for (let l = from; l < end; l++) {
      const leaf = this.leaves[l]!;
      const alive: IndexEntry[] = [];
      for (const e of leaf) {
        if (keepEntry(e, horizon)) alive.push(e);
        else this.exact?.remove(this.flatFirst(e.key), e);
      }
      if (alive.length === 0) {
        changed = true;
        continue;
      }
      kept.push(alive);
      const same = alive.length === leaf.length;
      keptColumns.push(same ? this.columns[l]! : this.columnsOf(alive));
      changed ||= !same;
    }
    const next = end >= this.leaves.length ? 0 : from + kept.length;
    if (changed) {
      this.changes++;
      this.leaves.splice(from, end - from, ...kept);
      this.columns.splice(from, end - from, ...keptColumns);
      if (this.leaves.length === 0) {
        this.leaves.push([]);
        this.columns.push(this.columnsOf([]));
      }
      this.firsts = this.columns.map((columns) => columns[0]![0] ?? null);
      this.rebuildStarts();
    }
    return next;
  }

  /** How many leaves the tree has (for vacuum's slices). */
  get leafCount(): number {
    return this.leaves.length;
  }

  private setLeaves(leaves: IndexEntry[][]): void {
    this.changes++;
    const nonEmpty = leaves.filter((leaf) => leaf.length > 0);
    this.leaves = nonEmpty.length > 0 ? nonEmpty : [[]];
    this.columns = this.leaves.map((leaf) => this.columnsOf(leaf));
    this.firsts = this.columns.map((columns) => columns[0]![0] ?? null);
    this.rebuildStarts();
    if (this.exact !== undefined) {
      this.exact.clear();
      for (const leaf of this.leaves) for (const e of leaf) this.hashAdd(this.flatFirst(e.key), e);
    }
  }

  /** Files `entry` under its key in `exact`, or gives the map up when it would grow too big. */
  private hashAdd(key: Value, entry: IndexEntry): void {
    if (!this.exact!.add(key, entry)) this.exact = undefined;
  }

  /** The first column of `key` as the flat arrays and `exact` hold it. */
  private flatFirst(key: readonly Value[]): Value {
    const first = key[0]!;
    return this.bigintColumns[0] === true ? exactNumber(first) : first;
  }

  private rebuildStarts(): void {
    const starts = [0];
    let at = 0;
    for (const leaf of this.leaves) starts.push(at += leaf.length);
    this.starts = starts;
    this.hint = 0;
  }

  /** Splits leaf `l` in two halves. */
  private split(l: number): void {
    const leaf = this.leaves[l]!;
    const half = leaf.length >>> 1;
    const upper = leaf.splice(half);
    this.leaves.splice(l + 1, 0, upper);
    this.columns.splice(l + 1, 0, this.columns[l]!.map((column) => column.splice(half)));
    this.firsts.splice(l + 1, 0, this.columns[l + 1]![0]![0]!);
    this.starts.splice(l + 1, 0, this.starts[l]! + half);
    this.hint = 0;
  }

  /** After `n` entries left leaf `l`: fixes the starts, drops the leaf when it emptied. */
  private shrunk(l: number, n: number): void {
    const starts = this.starts;
    for (let i = l + 1; i < starts.length; i++) starts[i]! -= n;
    const leaf = this.leaves[l]!;
    if (leaf.length === 0 && this.leaves.length > 1) {
      this.leaves.splice(l, 1);
      this.firsts.splice(l, 1);
      this.columns.splice(l, 1);
      starts.splice(l + 1, 1);
    } else {
      this.firsts[l] = this.columns[l]![0]![0] ?? null;
    }
    this.hint = 0;
  }

  /** The leaf holding position `pos` (or the last leaf, for pos === size). */
  private leafOf(pos: number): number {
    const starts = this.starts;
    let lo = 0;
    let hi = this.leaves.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /**
   * The leaf where the first key >= `prefix` (or > when `after`) is, or would be inserted:
   * the last leaf whose first key is below it (the first leaf when none is).
   */
  private leafFor(prefix: readonly Value[], after: boolean): number {
    const leaves = this.leaves;
    let lo = 0;
    let hi = leaves.length - 1;
    const y = prefix[0];
    if (y !== null && y !== undefined) {
      if (prefix.length === 1) return this.lastLeafStarting(y, after);
      // Leaves whose first column is below `y` start below the prefix, those above it start
      // above: whole keys are compared only among the leaves whose first column is `y`.
      lo = this.lastLeafStarting(y, false);
      hi = this.lastLeafStarting(y, true);
    }
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      const order = this.compareAt(this.columns[mid]!, 0, prefix);
      if (order < 0 || (after && order === 0)) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /**
   * The last leaf whose first column is below `y` (at most `y` when `orEqual`), by the flat
   * `firsts` array; the first leaf when none is.
   */
  private lastLeafStarting(y: Value, orEqual: boolean): number {
    const compare = this.compares[0]!;
    const firsts = this.firsts;
    let lo = 0;
    let hi = firsts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      const x = firsts[mid]!;
      const order = x === null ? 1 : compare(x, y!);
      if (order < 0 || (orEqual && order === 0)) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** First offset in leaf `l` whose key is >= `prefix` (> when `after`). */
  private searchLeaf(l: number, prefix: readonly Value[], after: boolean): number {
    const columns = this.columns[l]!;
    let lo = 0;
    let hi = columns[0]!.length;
    if (prefix.length === 1 && prefix[0] !== null) {
      const compare = this.compares[0]!;
      const y = prefix[0]!;
      const first = columns[0]!;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const x = first[mid]!;
        const order = x === null ? 1 : compare(x, y);
        if (order < 0 || (after && order === 0)) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    }
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const order = this.compareAt(columns, mid, prefix);
      if (order < 0 || (after && order === 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Compares the key at offset `i` of a leaf's `columns` with `prefix`, as `compareKeys`. */
  private compareAt(columns: readonly Value[][], i: number, prefix: readonly Value[]): number {
    for (let c = 0; c < prefix.length; c++) {
      const x = columns[c]![i]!;
      const y = prefix[c]!;
      if (x === null || y === null) {
        if (x === y) continue;
        return x === null ? 1 : -1;
      }
      const order = this.compares[c]!(x, y);
      if (order !== 0) return order;
    }
    return 0;
  }

  /** A leaf's keys, column by column, as the flat arrays hold them. */
  private columnsOf(leaf: readonly IndexEntry[]): Value[][] {
    return this.compares.map((_, c) => this.bigintColumns[c] === true
      ? leaf.map((entry) => exactNumber(entry.key[c]!))
      : leaf.map((entry) => entry.key[c]!));
  }

  /** A key (or prefix) as the flat arrays hold it: int8-like bigints as numbers when exact. */
  private flatKey(key: readonly Value[]): readonly Value[] {
    const flat = key.slice();
    for (let c = 0; c < flat.length; c++) {
      if (this.bigintColumns[c] === true) flat[c] = exactNumber(flat[c]!);
    }
    return flat;
  }
}

/**
 * Prunes the chain `entry` reaches (`pruneChain`) and points it at the newest version left;
 * false when none is left, so the entry goes.
 */
function keepEntry(entry: IndexEntry, horizon: number): boolean {
  const newest = pruneChain(entry.version, horizon);
  if (newest === undefined) return false;
  entry.version = newest;
  return true;
}

/**
 * Inserts `value` at `at` in `array`, moving the later items up: `splice` without the array of
 * removed items it allocates (a leaf insert is one per index per written row).
 */
function insertAt<T>(array: T[], at: number, value: T): void {
  let i = array.length;
  array.push(value);
  for (; i > at; i--) array[i] = array[i - 1]!;
  array[at] = value;
}

/** A leaf's entries merged with `added[from..to)`; on equal keys the leaf's come first. */
function mergeRun(leaf: readonly IndexEntry[], added: readonly IndexEntry[], from: number,
  to: number, compare: (a: readonly Value[], b: readonly Value[]) => number): IndexEntry[] {
  const out: IndexEntry[] = [];
  let i = 0;
  let j = from;
  while (i < leaf.length && j < to) {
    out.push(compare(added[j]!.key, leaf[i]!.key) < 0 ? added[j++]! : leaf[i++]!);
  }
  while (i < leaf.length) out.push(leaf[i++]!);
  while (j < to) out.push(added[j++]!);
  return out;
}

const exactMax = BigInt(Number.MAX_SAFE_INTEGER);

/** A bigint as a number when the number is exact; anything else as it is. */
function exactNumber(value: Value): Value {
  return typeof value === "bigint" && value <= exactMax && value >= -exactMax
    ? Number(value) : value;
}
