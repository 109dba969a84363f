/**
 * A B-tree index as a sorted array of (key, row version) entries, found by binary search.
 * Appends in key order (serial keys) cost O(1); other inserts shift the array. Entries of dead
 * versions stay until the table is vacuumed, so every reader checks visibility.
 *
 * Keys compare column by column with each column type's btree comparison; nulls sort last,
 * as in a default Postgres index.
 *
 * Searches go through `columns`, a column-major copy of the keys: `columns[c][i]` is column c
 * of entry i's key. A binary search over flat arrays touches one cache line per column
 * compared instead of four (entry, key array, its elements, the value), which is most of a
 * point lookup's cost on a large table. The copy follows inserts and removes made here; when
 * `entries` is replaced (bulk loads, vacuum, undo) or changed elsewhere, it is rebuilt on the
 * next search.
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
  /** `columns[c][i] === list[i].key[c]`, while `columnsOf === list` and the lengths agree. */
  private columns: Value[][] = [];
  private columnsOf: IndexEntry[] | null = null;

  constructor(readonly compares: readonly Compare[]) {
    assert(compares.length > 0, "an index has at least one column");
  }

  /** The entries in key order. Code that changes them in place must keep that order. */
  get entries(): IndexEntry[] {
    return this.list;
  }

  set entries(entries: IndexEntry[]) {
    this.list = entries;
    this.columnsOf = null;
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
    const at = last === undefined || this.compareKeys(last.key, key) <= 0
      ? entries.length : this.upperBound(key);
    const columns = this.currentColumns();
    if (columns !== undefined) {
      for (let c = 0; c < columns.length; c++) {
        if (at === entries.length) columns[c]!.push(key[c]!);
        else columns[c]!.splice(at, 0, key[c]!);
      }
    }
    if (at === entries.length) entries.push({ key, version });
    else entries.splice(at, 0, { key, version });
  }

  remove(key: readonly Value[], version: RowVersion): void {
    const entries = this.list;
    for (let i = this.lowerBound(key); i < entries.length; i++) {
      if (entries[i]!.version === version) {
        for (const column of this.currentColumns() ?? []) column.splice(i, 1);
        entries.splice(i, 1);
        return;
      }
    }
  }

  /** First position whose key is >= `prefix`. */
  lowerBound(prefix: readonly Value[]): number {
    const columns = this.searchColumns();
    let lo = 0;
    let hi = this.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compareAt(columns, mid, prefix) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First position whose key is > `prefix`. */
  upperBound(prefix: readonly Value[]): number {
    const columns = this.searchColumns();
    let lo = 0;
    let hi = this.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compareAt(columns, mid, prefix) <= 0) lo = mid + 1;
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

  /** `compareKeys(entries[at].key, prefix)`, read from the column copy. */
  private compareAt(columns: readonly Value[][], at: number, prefix: readonly Value[]): number {
    const n = Math.min(columns.length, prefix.length);
    for (let c = 0; c < n; c++) {
      const x = columns[c]![at]!;
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

  /** The column copy, rebuilt when `entries` changed behind this class's back. */
  private searchColumns(): Value[][] {
    const current = this.currentColumns();
    if (current !== undefined) return current;
    const list = this.list;
    const columns: Value[][] = [];
    for (let c = 0; c < this.compares.length; c++) {
      columns.push(list.map((entry) => entry.key[c]!));
    }
    this.columns = columns;
    this.columnsOf = list;
    return columns;
  }

  /** The column copy when it still mirrors `entries`, else undefined. */
  private currentColumns(): Value[][] | undefined {
    const valid = this.columnsOf === this.list && this.columns[0]?.length === this.list.length;
    return valid ? this.columns : undefined;
  }
}
