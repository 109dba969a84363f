/**
 * A B-tree index as a sorted array of (key, row version) entries, found by binary search.
 * Appends in key order (serial keys) cost O(1); other inserts shift the array. Entries of dead
 * versions stay until the table is vacuumed, so every reader checks visibility.
 *
 * Keys compare column by column with each column type's btree comparison; nulls sort last,
 * as in a default Postgres index.
 *
 * Searches go through `firsts`, a copy of every entry's first key column in entry order: a
 * binary search over one flat array touches one cache line per step instead of four (entry,
 * key array, its elements, the value), which is most of a point lookup's cost on a large
 * table. The copy follows inserts and removes made here; when `entries` is replaced (bulk
 * loads, vacuum, undo) or changed elsewhere, it is rebuilt on the next search.
 */
import { assert } from "@tessera/base";
import type { Value } from "@tessera/sql";
import type { Compare } from "../catalog/type-io.js";
import { isDead, type RowVersion } from "./table-store.js";

export interface IndexEntry {
  readonly key: readonly Value[];
  readonly version: RowVersion;
}

export class BTree {
  private list: IndexEntry[] = [];
  /** `list[i].key[0]` for every i, while `firstsOf === list` and the lengths agree. */
  private firsts: Value[] = [];
  private firstsOf: IndexEntry[] | null = null;

  constructor(readonly compares: readonly Compare[]) {
    assert(compares.length > 0, "an index has at least one column");
  }

  /** The entries in key order. Code that changes them in place must keep that order. */
  get entries(): IndexEntry[] {
    return this.list;
  }

  set entries(entries: IndexEntry[]) {
    this.list = entries;
    this.firstsOf = null;
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
    const entries = this.list;
    const last = entries[entries.length - 1];
    if (last === undefined || this.compareKeys(last.key, key) <= 0) {
      this.currentFirsts()?.push(key[0]!);
      entries.push({ key, version });
      return;
    }
    const at = this.upperBound(key);
    this.currentFirsts()?.splice(at, 0, key[0]!);
    entries.splice(at, 0, { key, version });
  }

  remove(key: readonly Value[], version: RowVersion): void {
    const entries = this.list;
    for (let i = this.lowerBound(key); i < entries.length; i++) {
      if (entries[i]!.version === version) {
        this.currentFirsts()?.splice(i, 1);
        entries.splice(i, 1);
        return;
      }
    }
  }

  /** First position whose key is >= `prefix`. */
  lowerBound(prefix: readonly Value[]): number {
    if (prefix.length === 0) return 0;
    const start = this.firstAtLeast(prefix[0]!, 0, this.list.length);
    if (prefix.length === 1) return start;
    const end = this.firstAbove(prefix[0]!, start, this.list.length);
    let lo = start;
    let hi = end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compareKeys(this.list[mid]!.key, prefix) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First position whose key is > `prefix`. */
  upperBound(prefix: readonly Value[]): number {
    if (prefix.length === 0) return this.list.length;
    const end = this.firstAbove(prefix[0]!, 0, this.list.length);
    if (prefix.length === 1) return end;
    let lo = this.firstAtLeast(prefix[0]!, 0, end);
    let hi = end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compareKeys(this.list[mid]!.key, prefix) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  clear(): void {
    this.entries = [];
  }

  /** Drops entries of versions that are dead for everyone (`isDead` under `horizon`). */
  vacuum(horizon: number): void {
    this.entries = this.list.filter((e) => !isDead(e.version, horizon));
  }

  /** First position in [lo, hi) whose first key column is >= `value` (hi when none). */
  private firstAtLeast(value: Value, lo: number, hi: number): number {
    const firsts = this.searchFirsts();
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compareFirst(firsts[mid]!, value) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First position in [lo, hi) whose first key column is > `value` (hi when none). */
  private firstAbove(value: Value, lo: number, hi: number): number {
    const firsts = this.searchFirsts();
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compareFirst(firsts[mid]!, value) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** `compareKeys` on the first column alone. */
  private compareFirst(x: Value, y: Value): number {
    if (x === null || y === null) {
      if (x === y) return 0;
      return x === null ? 1 : -1;
    }
    return this.compares[0]!(x, y);
  }

  /** The first-column copy, rebuilt when `entries` changed behind this class's back. */
  private searchFirsts(): Value[] {
    const current = this.currentFirsts();
    if (current !== undefined) return current;
    const list = this.list;
    const firsts: Value[] = [];
    for (const entry of list) firsts.push(entry.key[0]!);
    this.firsts = firsts;
    this.firstsOf = list;
    return firsts;
  }

  /** The first-column copy when it still mirrors `entries`, else undefined. */
  private currentFirsts(): Value[] | undefined {
    const valid = this.firstsOf === this.list && this.firsts.length === this.list.length;
    return valid ? this.firsts : undefined;
  }
}
