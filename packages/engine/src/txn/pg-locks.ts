/**
 * pg_locks: the locks held and awaited in this engine, with Postgres 15's columns. Relation
 * locks (`relation-locks.ts`) show as locktype 'relation' with their mode names
 * (AccessShareLock … AccessExclusiveLock); every transaction with an xid holds ExclusiveLock
 * on its own 'transactionid', and a transaction waiting for another's row (or its end) waits
 * for ShareLock on that one's, as Postgres shows row-lock waits. A prepared transaction's
 * locks have no pid.
 *
 * Session-level advisory locks show as locktype 'advisory' keyed as Postgres keys them
 * (a bigint key split into classid/objid with objsubid 1; an int4 pair with objsubid 2).
 *
 * Not shown: virtualxid locks, tuple locks, transaction-level advisory locks (not kept), and
 * the indexes a query reads (Tessera locks only their tables).
 */
import type { Row } from "@tessera/sql";
import { heldAdvisoryLocks } from "../catalog/advisory-locks.js";
import type { SystemRelationDef } from "../catalog/system-relations.js";
import { Oid } from "../catalog/types.js";
import { lockModeNames } from "./relation-locks.js";
import type { Transaction } from "./transaction.js";
import type { Transactions } from "./transactions.js";

/** The OID pg_database gives the one database (`postgres`). */
const databaseOid = 5;

const xidType = 28;

export function pgLocksRelation(txns: Transactions): SystemRelationDef {
  return {
    oid: 12011, schema: "pg_catalog", name: "pg_locks",
    columns: [["locktype", Oid.text], ["database", Oid.oid], ["relation", Oid.oid],
      ["page", Oid.int4], ["tuple", Oid.int2], ["virtualxid", Oid.text],
      ["transactionid", xidType], ["classid", Oid.oid], ["objid", Oid.oid],
      ["objsubid", Oid.int2], ["virtualtransaction", Oid.text], ["pid", Oid.int4],
      ["mode", Oid.text], ["granted", Oid.bool], ["fastpath", Oid.bool],
      ["waitstart", Oid.timestamptz]],
    rows: () => lockRows(txns),
  };
}

function lockRows(txns: Transactions): Row[] {
  const manager = txns.manager;
  const rows: Row[] = [];
  for (const entry of manager.relationLocks.entries()) {
    rows.push(["relation", databaseOid, entry.oid, null, null, null, null, null, null, null,
      virtualTransaction(entry.txn), pidOf(entry.txn), lockModeNames[entry.mode]!,
      entry.granted, false, null]);
  }
  for (const txn of manager.runningTransactions()) {
    rows.push(xidRow(txn, txn.xid, "ExclusiveLock", true));
    if (txn.waitingFor !== 0) rows.push(xidRow(txn, txn.waitingFor, "ShareLock", false));
  }
  for (const lock of heldAdvisoryLocks()) {
    rows.push(["advisory", databaseOid, null, null, null, null, null, lock.classid, lock.objid,
      lock.objsubid, `${lock.pid}/0`, lock.pid, lock.shared ? "ShareLock" : "ExclusiveLock",
      true, false, null]);
  }
  return rows;
}

function xidRow(txn: Transaction, xid: number, mode: string, granted: boolean): Row {
  return ["transactionid", null, null, null, null, null, xid, null, null, null,
    virtualTransaction(txn), pidOf(txn), mode, granted, false, null];
}

/** Postgres's backend id / local xid; here the backend pid and the xid (0: none yet). */
function virtualTransaction(txn: Transaction): string {
  return txn.prepared === undefined ? `${txn.backendPid}/${txn.xid}` : `-1/${txn.xid}`;
}

function pidOf(txn: Transaction): number | null {
  return txn.prepared === undefined ? txn.backendPid : null;
}
