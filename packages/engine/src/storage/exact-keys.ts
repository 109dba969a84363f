/**
 * The entries of a one-column B+tree by key, in a hash map: a point lookup on a unique integer
 * key (`pgbench_accounts.aid = $1`) reaches its entries in about two memory reads, where the
 * search through the leaves makes a dozen dependent ones, each a cache (and, on a large heap,
 * TLB) miss. The tree stays the index of record; this is a second way into the same entries.
 *
 * One key may hold several entries: the row versions MVCC keeps until vacuum (an updated row's
 * old and new version). They are kept in the tree's order for equal keys, insertion order, so
 * a lookup accepts the same entry the tree's walk would.
 *
 * V8 caps a Map's size (2^24 entries); the tree gives the map up before it gets there.
 */
import type { Value } from "@tessera/sql";
import type { IndexEntry } from "./btree.js";

/** Keys a map takes before its tree gives it up (well below V8's limit of 2^24). */
const keysMax = 8_000_000;

export class ExactKeys {
  private readonly byKey = new Map<Value, IndexEntry | IndexEntry[]>();

  /** Files `entry` after the others of `key`; false (nothing filed) when the map is full. */
  add(key: Value, entry: IndexEntry): boolean {
    const held = this.byKey.get(key);
    if (held === undefined) {
      if (this.byKey.size >= keysMax) return false;
      this.byKey.set(key, entry);
    } else if (Array.isArray(held)) {
      held.push(entry);
    } else {
      this.byKey.set(key, [held, entry]);
    }
    return true;
  }

  /** Drops `entry` from `key`'s entries, if it is there. */
  remove(key: Value, entry: IndexEntry): void {
    const held = this.byKey.get(key);
    if (held === entry) {
      this.byKey.delete(key);
    } else if (Array.isArray(held)) {
      const at = held.indexOf(entry);
      if (at < 0) return;
      held.splice(at, 1);
      if (held.length === 1) this.byKey.set(key, held[0]!);
    }
  }

  /** The first entry of `key` that `accept` takes, in the tree's order. */
  find(key: Value, accept: (entry: IndexEntry) => boolean): IndexEntry | undefined {
    const held = this.byKey.get(key);
    if (held === undefined) return undefined;
    if (!Array.isArray(held)) return accept(held) ? held : undefined;
    for (const entry of held) if (accept(entry)) return entry;
    return undefined;
  }

  /** As `find`, the last entry of `key` that `accept` takes. */
  findLast(key: Value, accept: (entry: IndexEntry) => boolean): IndexEntry | undefined {
    const held = this.byKey.get(key);
    if (held === undefined) return undefined;
    if (!Array.isArray(held)) return accept(held) ? held : undefined;
    for (let i = held.length - 1; i >= 0; i--) if (accept(held[i]!)) return held[i];
    return undefined;
  }

  clear(): void {
    this.byKey.clear();
  }
}
