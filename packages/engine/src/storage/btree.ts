/**
 * A B-tree index as a sorted array of (key, row version) entries, found by binary search.
 * Appends in key order (serial keys) cost O(1); other inserts shift the array. Entries of dead
 * versions stay until the table is vacuumed, so every reader checks visibility.
 *
 * Keys compare column by column with each column type's btree comparison; nulls sort last,
 * as in a default Postgres index.
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
  entries: IndexEntry[] = [];

  constructor(readonly compares: readonly Compare[]) {
    assert(compares.length > 0, "an index has at least one column");
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
    const entries = this.entries;
    const last = entries[entries.length - 1];
    if (last === undefined || this.compareKeys(last.key, key) <= 0) {
      entries.push({ key, version });
      return;
    }
    entries.splice(this.upperBound(key), 0, { key, version });
  }

  remove(key: readonly Value[], version: RowVersion): void {
    for (let i = this.lowerBound(key); i < this.entries.length; i++) {
      if (this.entries[i]!.version === version) {
        this.entries.splice(i, 1);
        return;
      }
    }
  }

  /** First position whose key is >= `prefix`. */
  lowerBound(prefix: readonly Value[]): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compareKeys(this.entries[mid]!.key, prefix) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First position whose key is > `prefix`. */
  upperBound(prefix: readonly Value[]): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compareKeys(this.entries[mid]!.key, prefix) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  clear(): void {
    this.entries = [];
  }

  /** Drops entries of versions that are dead for everyone (`isDead` under `horizon`). */
  vacuum(horizon: number): void {
    this.entries = this.entries.filter((e) => !isDead(e.version, horizon));
  }
}
