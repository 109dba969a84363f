/**
 * The point lookup fast path: `SELECT a, b FROM t WHERE pk = $1`, planned as a projection
 * of columns over an index scan with equality on every column of a unique index, skips the
 * executor. Everything a run needs is resolved when the statement is prepared (index,
 * key positions, projected columns); a run binary-searches the B-tree, checks visibility
 * and copies the projected values into the one result row.
 *
 * Visibility uses the statement's snapshot, as `Engine.runtime` does.
 */
import type { Row, Value } from "@tessera/sql";
import type { Cursor, FetchResult } from "../api.js";
import type { Catalog } from "../catalog/catalog.js";
import { tableCounters } from "../catalog/activity-counters.js";
import type { IndexScanPlan, Plan } from "../plan/plan.js";
import type { IndexEntry } from "../storage/btree.js";
import type { RowVersion, Snapshot } from "../storage/table-store.js";
import { visibleInChain } from "../storage/version-chains.js";

export interface PointLookup {
  open(params: readonly Value[], snapshot: Snapshot): Cursor;
}

/** Returns the fast path for `plan` when it has the point-lookup shape, else null. */
export function planPointLookup(plan: Plan, catalog: Catalog): PointLookup | null {
  if (plan.kind !== "project" || plan.srfs.length > 0) return null;
  const scan = plan.input;
  if (scan.kind !== "indexScan" || !isUniqueEquality(scan)) return null;
  const columns: number[] = [];
  for (const e of plan.exprs) {
    if (e.kind !== "var") return null;
    columns.push(e.index - scan.offset);
  }
  const keySources = scan.lower!.values.map((e) => (e.kind === "param"
    ? { param: e.index, value: null } : { param: -1, value: e.kind === "const" ? e.value : null }));
  if (scan.lower!.values.some((e) => e.kind !== "param" && e.kind !== "const")) return null;
  const key: Value[] = new Array<Value>(keySources.length).fill(null);
  // The snapshot of the lookup running now: lookups run to the end at once, one at a time.
  let snapshotNow: Snapshot | undefined;
  // The version of the accepted entry's chain the snapshot sees (`version-chains.ts`).
  let found: RowVersion | undefined;
  const visible = (entry: IndexEntry): boolean =>
    (found = visibleInChain(entry.version, snapshotNow!)) !== undefined;
  // pg_stat_user_tables's idx_scan and idx_tup_fetch, resolved once as the plan is made.
  const counters = tableCounters(catalog, scan.relation.oid);
  const find = (params: readonly Value[], snapshot: Snapshot): Row | null => {
    counters.idxScan++;
    for (let i = 0; i < keySources.length; i++) {
      const s = keySources[i]!;
      const v = s.param >= 0 ? (params[s.param] ?? null) : s.value;
      if (v === null) return null;
      key[i] = v;
    }
    snapshotNow = snapshot;
    let entry: IndexEntry | undefined;
    try {
      entry = scan.index.tree.findEqual(key, visible);
    } finally {
      snapshotNow = undefined;
    }
    if (entry === undefined) return null;
    counters.idxTupFetch++;
    const values = found!.values;
    found = undefined;
    const row = new Array<Value>(columns.length);
    for (let c = 0; c < columns.length; c++) row[c] = values[columns[c]!] as Value;
    return row;
  };
  return { open: (params, snapshot) => lookupCursor(() => find(params, snapshot)) };
}

/** True for an index scan that is `=` on every column of a unique index and nothing else. */
function isUniqueEquality(scan: IndexScanPlan): boolean {
  // A deferrable unique index may hold duplicates until its check runs.
  return scan.index.unique && scan.index.deferrable !== true && scan.filter === null &&
    scan.rowId !== true && !scan.backward &&
    scan.lock === undefined && scan.systemColumns !== true &&
    scan.lower !== null && scan.upper !== null && scan.lower.values === scan.upper.values &&
    scan.lower.inclusive && scan.lower.values.length === scan.index.columns.length;
}

/** A cursor over at most one row, with the same fetch semantics as `Engine.openPlan`. */
function lookupCursor(find: () => Row | null): Cursor {
  let row: Row | null | undefined;
  let sent = 0;
  let done = false;
  const fetchNow = (maxRows: number): FetchResult => {
    if (done) return { rows: [] };
    if (row === undefined) row = find();
    if (row !== null && sent === 0) {
      sent = 1;
      if (maxRows === 1) return { rows: [row] };
      done = true;
      return { rows: [row], commandTag: "SELECT 1" };
    }
    done = true;
    return { rows: [], commandTag: `SELECT ${sent}` };
  };
  return {
    fetchNow,
    fetch: async (maxRows: number): Promise<FetchResult> => fetchNow(maxRows),
    close: () => { done = true; },
  };
}
