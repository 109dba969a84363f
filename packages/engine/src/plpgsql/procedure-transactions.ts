/**
 * COMMIT and ROLLBACK [AND CHAIN] inside a procedure or DO block, as PostgreSQL's SPI_commit
 * and SPI_rollback: allowed when the CALL or DO runs at the top level outside a transaction
 * block (the statement is its own transaction, `StatementRun.implicit`); elsewhere (inside
 * BEGIN … COMMIT, a multi-statement query, a function called by a query) 2D000
 * "invalid transaction termination", and inside a block with an EXCEPTION handler
 * (a subtransaction) 2D000 "cannot commit while a subtransaction is active".
 *
 * The CALL's statement run carries on across the end: COMMIT logs and commits the work done
 * so far, ROLLBACK undoes it, and the run continues in a new transaction (new xid when it
 * writes, new snapshot) that the CALL's own end commits or, on a later error, rolls back,
 * so committed work stays. AND CHAIN keeps the isolation level of the ended transaction;
 * now() is the new transaction's start.
 * `FOR r IN SELECT … LOOP … COMMIT; END LOOP` reads its rows before the loop runs, as a
 * holdable cursor does in PostgreSQL.
 */
import { SqlError, SqlState, limits } from "@tessera/base";
import type { StatementContext } from "../api.js";
import type { Engine } from "../engine.js";
import type { Runtime } from "../execute/runtime.js";
import { nowMicros } from "../session/clock.js";
import { checkCommandId, frozenXid, stampOf } from "../txn/stamp.js";
import { cancellationOf } from "../txn/manager.js";
import type { Isolation } from "../txn/transaction.js";
import type { StatementRun } from "../txn/transactions.js";
import { TxnConflict, WriteGuard, serializationFailure } from "../txn/write-guard.js";
import { EngineHost } from "./engine-host.js";
import type { PlHost, QueryResult } from "./host.js";

/** A statement run whose transaction a procedure replaces (see the file's comment). */
type RenewableRun = { -readonly [K in keyof StatementRun]: StatementRun[K] };

/**
 * The host of a top-level CALL or DO: the engine's (`engine-host.ts`), with transaction
 * control. It wraps rather than extends EngineHost: the two modules import each other.
 */
export function procedureHost(engine: Engine, rt: Runtime): PlHost {
  const base = new EngineHost(engine, rt, "v", true);
  /** BEGIN … EXCEPTION blocks open now: no COMMIT or ROLLBACK inside one. */
  let subtransactions = 0;
  /** A transaction ended: the CALL can no longer run again from its start. */
  let ended = false;
  return {
    query: (request) => (ended ? queryWaiting(engine, rt, () => base.query(request))
      : base.query(request)),
    beginSubtransaction: () => {
      subtransactions++;
      return base.beginSubtransaction();
    },
    rollbackSubtransaction: (mark) => {
      subtransactions--;
      base.rollbackSubtransaction(mark);
    },
    releaseSubtransaction: () => {
      subtransactions--;
      base.releaseSubtransaction();
    },
    notice: (notice) => base.notice(notice),
    cast: (value, from, to, typmod) => base.cast(value, from, to, typmod),
    text: (value, type) => base.text(value, type),
    resolveType: (typeName) => base.resolveType(typeName),
    typeScope: () => base.typeScope(),
    get signal() {
      return base.signal;
    },
    pause: () => base.pause(),
    atomic: () => base.atomic(),
    procedure: (names, types, argNames) => base.procedure(names, types, argNames),
    functionOwner: (oid) => base.functionOwner(oid),
    settingChanges: base.settingChanges,
    cursors: base.cursors,
    canWait: base.canWait,
    endTransaction: (commit, chain) => {
      if (subtransactions > 0) {
        throw new SqlError(SqlState.invalidTransactionTermination,
          `cannot ${commit ? "commit" : "roll back"} while a subtransaction is active`);
      }
      const run = engine.txns.runOf(rt.ctx);
      if (run === undefined || !run.implicit) {
        throw new SqlError(SqlState.invalidTransactionTermination,
          "invalid transaction termination");
      }
      ended = true;
      return renewRun(engine, run as RenewableRun, rt, commit, chain);
    },
  };
}

/**
 * Runs a statement of a procedure that has ended a transaction. A write conflict cannot
 * restart the whole CALL then (`txn/statement-cursor.ts` does so before any COMMIT): the
 * statement's writes are undone, it waits for the other transaction, and runs again on a
 * new snapshot (40001 under REPEATABLE READ when the other committed), as PostgreSQL waits
 * in place.
 */
function queryWaiting(engine: Engine, rt: Runtime, query: () => QueryResult):
  QueryResult | Promise<QueryResult> {
  const first = attempt(rt, query);
  return first instanceof TxnConflict ? waitAndRetry(engine, rt, first, query) : first;
}

/** Runs `query`; a write conflict undoes the statement's writes and is returned, not thrown. */
function attempt(rt: Runtime, query: () => QueryResult): QueryResult | TxnConflict {
  const mark = rt.undo.length;
  try {
    return query();
  } catch (error) {
    if (!(error instanceof TxnConflict)) throw error;
    rt.undo.rollbackTo(mark);
    return error;
  }
}

async function waitAndRetry(engine: Engine, rt: Runtime, first: TxnConflict,
  query: () => QueryResult): Promise<QueryResult> {
  let conflict = first;
  for (let tries = 0; ; tries++) {
    const run = engine.txns.runOf(rt.ctx);
    if (run === undefined || tries >= limits.statementRetryCountMax) {
      throw serializationFailure();
    }
    if (conflict.holder !== 0) {
      const state = await engine.txns.manager.waitFor(run.txn, conflict.holder, {
        cancellation: cancellationOf(rt.ctx), lockTimeoutMs: lockTimeoutMs(rt.ctx) });
      if (state === "committed" && run.txn.isolation === "repeatable read") {
        throw serializationFailure();
      }
    }
    const result = attempt(rt, query);
    if (!(result instanceof TxnConflict)) return result;
    conflict = result;
  }
}

/** lock_timeout in milliseconds ("0", "150", "2s", "1min"); 0 when unset. */
function lockTimeoutMs(ctx: StatementContext): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|h|d)?\s*$/.exec(ctx.setting("lock_timeout"));
  if (match === null) return 0;
  const units: Record<string, number> = { ms: 1, s: 1000, min: 60_000, h: 3_600_000,
    d: 86_400_000 };
  return Number(match[1]) * (units[match[2] ?? "ms"] ?? 1);
}

/**
 * Ends `run`'s transaction (committing or undoing its work) and starts it a new one; the
 * CALL's runtime `rt` takes the new transaction's snapshot and write stamp.
 */
async function renewRun(engine: Engine, run: RenewableRun, rt: Runtime, commit: boolean,
  chain: boolean): Promise<void> {
  const txns = engine.txns;
  const ended = run.txn;
  if (commit) {
    if (ended.xid !== 0) txns.log?.statementFinished(run);
    ended.undo.absorb(run.undo);
    txns.runDeferredChecks(ended);
    await txns.commit(ended, synchronousCommit(run.ctx));
  } else {
    run.undo.rollback();
    txns.abort(ended);
  }
  const txn = txns.manager.begin(false, run.ctx.backendPid);
  txn.isolation = chain && ended.isolation !== undefined ? ended.isolation
    : isolationOf(run.ctx);
  checkCommandId(txn.nextCid);
  const cid = txn.nextCid++;
  const writeId = stampOf(frozenXid, 0);
  const snapshot = txns.manager.snapshot(txn, cid);
  if (txn.isolation === "repeatable read") txn.snapshot = snapshot;
  const guard = new WriteGuard(txns.manager, txn, writeId);
  Object.assign(run, { txn, cid, writeId, snapshot, guard, oidBefore: engine.catalog.oidNext });
  Object.assign(rt, { snapshot, writeId, guard });
  // The new transaction's now(): the CALL's context is its own (one per statement).
  const start = nowMicros();
  Object.assign(run.ctx, { transactionStartMicros: start });
  Object.assign(rt.evalContext, { transactionStartMicros: start });
}

function isolationOf(ctx: StatementContext): Isolation {
  const level = ctx.setting("transaction_isolation").toLowerCase();
  return level === "repeatable read" || level === "serializable" ? "repeatable read"
    : "read committed";
}

function synchronousCommit(ctx: StatementContext): boolean {
  return ctx.setting("synchronous_commit") !== "off";
}
