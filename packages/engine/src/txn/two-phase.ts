/**
 * Two-phase commit (Postgres's twophase.c): PREPARE TRANSACTION 'gid' takes the session's
 * block transaction out of the session. It keeps running, under its xid, with its writes
 * invisible and its row locks held, and its writes are logged in a PREPARE record, so it
 * survives a restart (`storage/recover-engine.ts` rebuilds it). COMMIT PREPARED and ROLLBACK
 * PREPARED, from any session of the same database, end it.
 */
import { SqlError, SqlState, assert } from "@tessera/base";
import type { Row } from "@tessera/sql";
import type { StatementContext } from "../api.js";
import type { SystemRelationDef } from "../catalog/system-relations.js";
import { Oid } from "../catalog/types.js";
import type { Transaction } from "./transaction.js";
import type { Transactions } from "./transactions.js";

/** Postgres's GIDSIZE: identifiers are shorter than 200 bytes. */
const gidBytesMax = 200;

/** PREPARE TRANSACTION: on any error the block's transaction is rolled back. */
export async function prepareTransaction(txns: Transactions, ctx: StatementContext,
  gid: string): Promise<void> {
  const txn = txns.blockTransaction(ctx);
  txns.runDeferredChecks(txn);
  try {
    if (Buffer.byteLength(gid) >= gidBytesMax) {
      throw new SqlError(SqlState.invalidParameterValue,
        `transaction identifier "${gid}" is too long`);
    }
    if (txns.manager.preparedByGid(gid) !== undefined) {
      throw new SqlError(SqlState.duplicateObject,
        `transaction identifier "${gid}" is already in use`);
    }
    if (txn.touchedTemp) {
      throw new SqlError(SqlState.featureNotSupported,
        "cannot PREPARE a transaction that has operated on temporary objects");
    }
    if (txn.xid === 0) txns.manager.assignXid(txn);
    txns.manager.prepare(txn, { gid, preparedMicros: ctx.statementStartMicros,
      owner: ctx.user, database: ctx.database });
  } catch (error) {
    txns.abort(txn);
    throw error;
  }
  let durable: Promise<void> | null = null;
  try {
    durable = txns.log?.prepare(txn) ?? null;
  } catch (error) {
    txns.abort(txn);
    throw error;
  }
  if (durable !== null) await durable;
}

/** COMMIT PREPARED / ROLLBACK PREPARED 'gid'. */
export async function finishPrepared(txns: Transactions, ctx: StatementContext, gid: string,
  commit: boolean): Promise<void> {
  const txn = preparedFor(txns, ctx, gid);
  if (commit) {
    await txns.commit(txn, true);
    return;
  }
  const durable = txns.log?.abortPrepared(txn) ?? null;
  txns.abort(txn);
  if (durable !== null) await durable;
}

function preparedFor(txns: Transactions, ctx: StatementContext, gid: string): Transaction {
  const txn = txns.manager.preparedByGid(gid);
  if (txn === undefined) {
    throw new SqlError(SqlState.undefinedObject,
      `prepared transaction with identifier "${gid}" does not exist`);
  }
  assert(txn.prepared !== undefined && txn.state === "active", "prepared transactions run");
  if (txn.committing) {
    throw new SqlError(SqlState.objectNotInPrerequisiteState,
      `prepared transaction with identifier "${gid}" is busy`);
  }
  if (txn.prepared.database !== ctx.database) {
    throw new SqlError(SqlState.featureNotSupported,
      "prepared transaction belongs to another database",
      { hint: "Connect to the database where the transaction was prepared to finish it." });
  }
  return txn;
}

/** pg_prepared_xacts: one row per prepared transaction (28 is xid). */
export function preparedXactsRelation(txns: Transactions): SystemRelationDef {
  return {
    oid: 12012, schema: "pg_catalog", name: "pg_prepared_xacts",
    columns: [["transaction", 28], ["gid", Oid.text], ["prepared", Oid.timestamptz],
      ["owner", Oid.name], ["database", Oid.name]],
    rows: () => [...txns.manager.preparedTransactions()].map((txn): Row => {
      const info = txn.prepared!;
      return [txn.xid, info.gid, info.preparedMicros, info.owner, info.database];
    }),
  };
}
