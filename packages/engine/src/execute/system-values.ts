/**
 * The system column values a scan appends to each row it returns when its statement reads
 * them (`analyze/system-columns.ts` has the layout and what each value means): ctid, xmin,
 * cmin, xmax, cmax, tableoid, after the row's columns and its row id, if any.
 */
import { tidOfOrdinal, type Row } from "@tessera/sql";
import type { RowVersion } from "../storage/table-store.js";
import { cidOfStamp, xidOfStamp } from "../txn/stamp.js";

/**
 * Appends `v`'s system columns to `row` (a copy the caller owns); returns it. `lockedBy`
 * stands in xmax for a row lock's xid where Postgres would show it (ON CONFLICT DO UPDATE).
 */
export function appendSystemValues(row: Row, v: RowVersion, tableOid: number,
  lockedBy = 0): Row {
  // xmax -1 marks a version vacuum reclaimed in place; no scan sees those.
  const deleted = v.xmax > 0;
  const cid = cidOfStamp(deleted ? v.xmax : v.xmin);
  row.push(tidOfOrdinal(v.ordinal ?? v.slot), xidOfStamp(v.xmin), cid,
    deleted ? xidOfStamp(v.xmax) : lockedBy, cid, tableOid);
  return row;
}

/**
 * What a table scan returns for a visible version: the stored row itself (no copy) in the
 * common case; a copy with the version's slot appended for UPDATE and DELETE (`rowId`), then
 * its system columns when the statement reads them.
 */
export function scanOutput(rowId: boolean, system: boolean, tableOid: number):
  (v: RowVersion) => Row {
  if (!rowId && !system) return (v) => v.values;
  return (v) => {
    const row = v.values.slice();
    if (rowId) row.push(v.slot);
    return system ? appendSystemValues(row, v, tableOid) : row;
  };
}
