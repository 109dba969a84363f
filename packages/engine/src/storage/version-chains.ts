/**
 * Version chains: Postgres's heap-only tuples (HOT). An UPDATE that changes no column of any
 * index of its table gives the new version no index entries of its own. The new version links
 * the one it replaced (`RowVersion.prior`), and each index entry of the old version is pointed
 * at the new one (`chainVersion`). An index entry thus reaches the newest version of its row,
 * and through `prior` the older ones that older snapshots may still see: a reader walks the
 * chain from its head (`visibleInChain`). An update then costs a lookup per index instead of a
 * B-tree insert, and a hot row's versions sit behind one entry, not thousands.
 *
 * Invariants: every version behind a head is deleted (its `xmax` is the update that made the
 * next one), so only a head can be live and the unique and foreign-key checks, which look for
 * live versions, look at heads alone. A chain's members all hold the same key values in every
 * index. Undoing the update points the entries back at the old version (`unchainVersion`).
 *
 * Vacuum unlinks the dead versions of each chain it meets under an index entry (`pruneChain`),
 * and drops the entry only when every version of its chain is dead. A dead version may sit
 * between two that some snapshot sees (its deleter's xid is older than the next one's), so
 * pruning unlinks each dead version, not the chain's tail. WAL replay makes entries for every
 * version it inserts, as updates without chains did: both shapes are valid, readers take both.
 */
import type { Row } from "@tessera/sql";
import type { Relation } from "../catalog/relation.js";
import type { IndexEntry } from "./btree.js";
import { isDead, sees, type RowVersion, type Snapshot } from "./table-store.js";

/** The newest version of `head`'s chain that `snapshot` sees (at most one does), if any. */
export function visibleInChain(head: RowVersion, snapshot: Snapshot): RowVersion | undefined {
  for (let v: RowVersion | undefined = head; v !== undefined; v = v.prior) {
    if (sees(snapshot, v)) return v;
  }
  return undefined;
}

/**
 * True when replacing `old` with `row` keeps every index key of `rel`: the table has indexes,
 * all on plain columns (no expression, partial or exclusion index), and every indexed column
 * holds the very same value. Then the new version may join `old`'s chain.
 */
export function keepsEveryKey(rel: Relation, old: Row, row: Row): boolean {
  const indexes = rel.indexes;
  if (indexes.length === 0) return false;
  for (const index of indexes) {
    if (index.computed !== undefined || index.exclusion !== undefined) return false;
    for (const c of index.columns) if (old[c] !== row[c]) return false;
  }
  return true;
}

/** The entry of each index of `rel` that reaches `head`; undefined when one has none. */
export function entriesOf(rel: Relation, head: RowVersion): IndexEntry[] | undefined {
  const found: IndexEntry[] = [];
  const reaches = (entry: IndexEntry): boolean => entry.version === head;
  for (const index of rel.indexes) {
    const key = index.columns.map((c) => head.values[c] ?? null);
    const entry = index.tree.findEqual(key, reaches);
    if (entry === undefined) return undefined;
    found.push(entry);
  }
  return found;
}

/** Makes `created` the head of `old`'s chain: `entries`, old's, now reach it first. */
export function chainVersion(entries: readonly IndexEntry[], old: RowVersion,
  created: RowVersion): void {
  created.prior = old;
  for (const entry of entries) entry.version = created;
}

/** Undoes `chainVersion` for `created`, an undone version: its entries reach its prior again. */
export function unchainVersion(entries: readonly IndexEntry[], created: RowVersion): void {
  const prior = created.prior;
  if (prior === undefined) return;
  for (const entry of entries) if (entry.version === created) entry.version = prior;
  created.prior = undefined;
}

/**
 * Unlinks the dead versions (`isDead` under `horizon`) of `head`'s chain. Returns the newest
 * version left, which its index entries should reach, or undefined when all are dead.
 */
export function pruneChain(head: RowVersion, horizon: number): RowVersion | undefined {
  if (head.prior === undefined) return isDead(head, horizon) ? undefined : head;
  let newest: RowVersion | undefined;
  let kept: RowVersion | undefined;
  for (let v: RowVersion | undefined = head; v !== undefined; v = v.prior) {
    if (isDead(v, horizon)) continue;
    if (kept === undefined) newest = v;
    else kept.prior = v;
    kept = v;
  }
  if (kept !== undefined) kept.prior = undefined;
  return newest;
}

/** How many versions `head`'s chain holds (for tests and diagnostics). */
export function chainLength(head: RowVersion): number {
  let n = 0;
  for (let v: RowVersion | undefined = head; v !== undefined; v = v.prior) n++;
  return n;
}
