/**
 * Rows a statement's own triggers changed under it (PostgreSQL's TM_SelfModified with a
 * later command id): an UPDATE or DELETE meets a version its snapshot sees but that a
 * command it set off (a trigger's statement, a volatile function's) has since changed. The
 * statement's own earlier change of the row is skipped instead (`txn/write-guard.ts`).
 */
import { SqlError, SqlState } from "@tessera/base";
import type { RowVersion } from "../storage/table-store.js";
import { cidOfStamp, xidOfStamp } from "../txn/stamp.js";

/** 27000 when a command later than `writeId` of the same transaction changed `version`. */
export function refuseTriggeredChange(version: RowVersion, writeId: number,
  what: "updated" | "deleted" | "updated or deleted"): void {
  const xmax = version.xmax;
  if (xmax === 0 || xmax === writeId || xidOfStamp(xmax) !== xidOfStamp(writeId)) return;
  if (cidOfStamp(xmax) <= cidOfStamp(writeId)) return;
  throw new SqlError(SqlState.triggeredDataChangeViolation,
    `tuple to be ${what} was already modified by an operation triggered by the current command`,
    { hint: "Consider using an AFTER trigger instead of a BEFORE trigger to propagate changes " +
      "to other rows." });
}
