/**
 * A walk over the B-tree entries between an index scan's bounds, forward or backward, that
 * survives changes to the tree while it is suspended. A scan is lazy (a LIMIT above stops it,
 * a portal or cursor fetches a few rows at a time, a slow client pauses it), and between two
 * steps other sessions insert, rollbacks remove their entries and vacuum drops dead ones;
 * even the scan's own statement inserts (INSERT … SELECT from the same table). Positions in
 * the tree then move, so a walk that kept its position would skip or repeat entries.
 *
 * The walk therefore remembers the last entry it read that the statement's snapshot sees.
 * Such an entry stays in the tree while the snapshot lives (vacuum keeps what a snapshot
 * sees; a rollback removes only entries of its own, unseen, transaction), and equal keys
 * keep their relative order (an insert goes after the entries with its key). When the tree's
 * change counter moved, the walk finds that entry again by key and goes on next to it, with
 * its end recomputed from the bounds. Entries it passes twice were unseen the first time and
 * stay unseen for the same snapshot.
 */
import type { Value } from "@tessera/sql";
import type { BTree, IndexEntry } from "../storage/btree.js";

/** The bound values of a scan, or null when unbounded on that side. */
export interface WalkBounds {
  readonly lower: readonly Value[] | null;
  readonly lowerInclusive: boolean;
  readonly upper: readonly Value[] | null;
  readonly upperInclusive: boolean;
}

export class IndexWalk {
  private pos = 0;
  private stop = 0;
  private changes: number;
  /** The last entry read that the snapshot sees: where the walk resumes after a change. */
  private anchor: IndexEntry | null = null;

  constructor(private readonly tree: BTree, private readonly bounds: WalkBounds,
    private readonly backward: boolean) {
    this.changes = tree.changes;
    this.place(null);
  }

  /** The next entry in the walk's direction, or null at its end. */
  next(): IndexEntry | null {
    if (this.tree.changes !== this.changes) {
      this.changes = this.tree.changes;
      this.place(this.anchor);
    }
    if (this.pos === this.stop) return null;
    const entry = this.tree.at(this.pos);
    this.pos += this.backward ? -1 : 1;
    return entry;
  }

  /** Records that the snapshot sees `entry`, the one `next` returned last. */
  seen(entry: IndexEntry): void {
    this.anchor = entry;
  }

  /** Sets the position just past `anchor` (or at the start) and the end, from the bounds. */
  private place(anchor: IndexEntry | null): void {
    const [start, end] = this.range();
    const tree = this.tree;
    if (anchor === null) {
      this.pos = this.backward ? end - 1 : start;
    } else {
      const from = tree.lowerBound(anchor.key);
      const to = tree.upperBound(anchor.key);
      let at = -1;
      for (let p = from; p < to; p++) {
        if (tree.at(p).version === anchor.version) {
          at = p;
          break;
        }
      }
      // Not found cannot happen for a seen entry; going past its key is the safe side.
      if (this.backward) this.pos = at >= 0 ? at - 1 : from - 1;
      else this.pos = at >= 0 ? at + 1 : to;
    }
    if (this.backward) {
      this.stop = start - 1;
      if (this.pos < this.stop) this.pos = this.stop;
    } else {
      this.stop = end;
      if (this.pos > this.stop) this.pos = this.stop;
    }
  }

  /** The positions [start, end) of the entries within the bounds. */
  private range(): [number, number] {
    const { lower, upper, lowerInclusive, upperInclusive } = this.bounds;
    const tree = this.tree;
    const start = lower === null ? 0
      : lowerInclusive ? tree.lowerBound(lower) : tree.upperBound(lower);
    let end = upper === null ? tree.size
      : upperInclusive ? tree.upperBound(upper) : tree.lowerBound(upper);
    // Without an upper bound, a lower one still excludes the nulls that sort last.
    if (lower !== null && upper === null) end = firstNullKey(tree, start, end);
    return [start, Math.max(start, end)];
  }
}

/** First position in [start, end) whose leading key is null (they sort last), else end. */
function firstNullKey(tree: BTree, start: number, end: number): number {
  let lo = start;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (tree.at(mid).key[0] === null) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
