/**
 * Write stamps: what a row version's `xmin` and `xmax` hold. A stamp packs the writing
 * transaction's xid and the command id (cid) of the statement within it into one safe integer,
 * `xid * 2^21 + cid`, so a version stays four plain fields and "written by this very statement"
 * is still `version.xmin === rt.writeId`.
 *
 *   xid 7, cid 0  -> 14_680_064      (the first statement of transaction 7)
 *   xid 7, cid 2  -> 14_680_066      (its third statement)
 *
 * Stamp 0 means "never happened": undo clears an aborted insert's xmin and an aborted
 * delete's xmax back to 0, so aborted transactions leave nothing another snapshot must judge.
 * Xid 1 is the frozen xid: always committed, used for rows written outside any transaction.
 */
import { SqlError, SqlState, assert, type Xid } from "@tessera/base";

/** Command ids per transaction: Postgres allows 2^32 - 2; 2^21 keeps stamps below 2^53. */
export const commandIdBits = 21;
export const commandIdMax = 2 ** commandIdBits - 1;
const commandIdSpan = 2 ** commandIdBits;
/** Xids fit what is left of a safe integer: 2^32, as Postgres's (which wraps around). */
export const xidMax = 2 ** (53 - commandIdBits) - 1;
/** The frozen xid: committed for every snapshot. */
export const frozenXid = 1 as Xid;
/** The first xid a transaction gets. */
export const firstNormalXid = 2 as Xid;

/** Packs a transaction's xid and a command id into a write stamp. */
export function stampOf(xid: Xid, cid: number): number {
  assert(xid >= frozenXid && xid <= xidMax, "xids are in range");
  assert(cid >= 0 && cid <= commandIdMax, "command ids are in range");
  return xid * commandIdSpan + cid;
}

export function xidOfStamp(stamp: number): Xid {
  return Math.floor(stamp / commandIdSpan) as Xid;
}

export function cidOfStamp(stamp: number): number {
  return stamp % commandIdSpan;
}

/** Raises 54000 when a transaction runs out of command ids, as Postgres does. */
export function checkCommandId(cid: number): void {
  if (cid > commandIdMax) {
    throw new SqlError(SqlState.programLimitExceeded,
      `cannot have more than 2^${commandIdBits} commands in a transaction`);
  }
}
