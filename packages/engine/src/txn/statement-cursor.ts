/**
 * Statements in transactions: wraps what the engine prepares (and its COPY sinks and
 * sources) so that every run begins a statement in its transaction, ends it when the cursor
 * finishes or fails, and waits out write conflicts.
 *
 * A conflict (`TxnConflict`, see write-guard.ts) surfaces from the executor as a thrown
 * signal. Before any row reached the client, the cursor undoes the statement's work, awaits
 * the other transaction's end (with deadlock detection, lock_timeout and cancellation), and
 * opens the statement again on a fresh snapshot. Once rows were sent, it cannot take them
 * back: the conflict becomes 40001.
 *
 * Table locks (`statement-locks.ts`) are taken when a run opens, before it reads anything.
 * Granted at once, the statement opens as planned; one that must wait opens on its first
 * fetch, after the wait, and is planned again if a relation it locked changed meanwhile
 * (dropped: the fresh analysis says 42P01, as Postgres's waiter does).
 */
import { SqlError, SqlState, assert, limits } from "@tessera/base";
import type { ColumnInfo, CopyInSink, CopyOutSource, Cursor, FetchResult, PreparedStatement,
  StatementContext } from "../api.js";
import type { StatementInfo, StatementRun, Transactions } from "./transactions.js";
import { TxnConflict, serializationFailure } from "./write-guard.js";
import type { StatementLocks } from "./statement-locks.js";
import { refusePendingChecks } from "./deferred-checks.js";
import type { Relation } from "../catalog/relation.js";
import type { RelationLockMode } from "./relation-locks.js";
import { cancellationOf } from "./manager.js";

/** A prepared statement with the table locks its runs take. */
export interface LockedStatement {
  readonly prepared: PreparedStatement;
  readonly locks: StatementLocks;
}

/** Plans the statement again (after a lock wait found its relations changed). */
export type Replan = (ctx: StatementContext, paramTypes: readonly number[]) => LockedStatement;

/** Contexts whose caller sends the row description after the first fetch (simple query). */
const lateDescribers = new WeakSet<StatementContext>();

/**
 * Lets runs in `ctx` change their result columns when planned again after a lock wait; a
 * caller may say so right after `open`, once `waitsForLocks` told it the run waits.
 */
export function acceptNewColumns(ctx: StatementContext): void {
  lateDescribers.add(ctx);
}

/** True when `cursor` opens only after waiting for table locks (its columns may change). */
export function waitsForLocks(cursor: Cursor): boolean {
  return cursor instanceof StatementCursor && cursor.opensLate;
}

/** Planning again stops after this many rounds of waiting for newly named relations. */
const replanRoundsMax = 8;

/** Returns `statement` with every run inside a transaction, holding its table locks. */
export function transactional(txns: Transactions, statement: LockedStatement,
  info: StatementInfo, replan: Replan): PreparedStatement {
  const { prepared, locks } = statement;
  return { ...prepared, open: (params, ctx) => {
    const run = txns.beginStatement(ctx, info);
    if (run === undefined) return prepared.open(params, ctx);
    if (info.utility !== undefined && run.txn.deferred !== undefined) {
      try {
        refusePendingChecks(run.txn.deferred, info.utility, locks);
      } catch (error) {
        txns.failStatement(run);
        throw error;
      }
    }
    const opener = (): Cursor => prepared.open(params, ctx);
    if ((locks.requests.length === 0 && locks.lockTable !== true) || replaying(run)) {
      return new StatementCursor(txns, run, opener);
    }
    let ready: boolean;
    try {
      ready = lockAtOnce(txns, run, statement);
    } catch (error) {
      txns.failStatement(run);
      throw error;
    }
    if (ready) return new StatementCursor(txns, run, opener);
    const later = lockAndPlan(txns, run, statement, replan).then((fresh) => ({
      open: () => fresh.prepared.open(params, ctx),
      columns: sameColumns(prepared.columns, fresh.prepared.columns) ? undefined
        : newColumns(ctx, fresh.prepared.columns),
    }));
    return new StatementCursor(txns, run, opener, later);
  } };
}

/** How a run opens once its locks are held, and its new columns if planning changed them. */
interface LateOpen {
  readonly open: () => Cursor;
  readonly columns: readonly ColumnInfo[] | null | undefined;
}

class StatementCursor implements Cursor {
  private inner: Cursor | undefined;
  private sent = 0;
  private finished = false;
  /** A conflict `fetchNow` met: the next `fetch` waits it out and runs the statement again. */
  private conflict: TxnConflict | undefined;
  /** The result columns to report with the first result (planned again, changed). */
  private columns: readonly ColumnInfo[] | null | undefined;

  constructor(private readonly txns: Transactions, private readonly run: StatementRun,
    private open: () => Cursor, private pending?: Promise<LateOpen>) {
    if (pending !== undefined) {
      pending.catch(() => undefined);
      return;
    }
    try {
      this.inner = open();
    } catch (error) {
      this.fail();
      throw error;
    }
  }

  get opensLate(): boolean {
    return this.pending !== undefined;
  }

  /** Waits for the table locks, then opens the (possibly planned again) statement. */
  private async openLate(pending: Promise<LateOpen>): Promise<void> {
    this.pending = undefined;
    try {
      const late = await pending;
      this.open = late.open;
      this.columns = late.columns;
      this.inner = this.open();
    } catch (error) {
      throw this.fail(error);
    }
  }

  /**
   * The inner cursor's result at once, when it has one and ending the statement awaits
   * nothing (it runs in a block, which commits later); undefined sends the caller to `fetch`.
   */
  fetchNow(maxRows: number): FetchResult | undefined {
    const inner = this.inner;
    if (inner?.fetchNow === undefined || this.run.implicit || this.conflict !== undefined) {
      return undefined;
    }
    let result: FetchResult | undefined;
    try {
      result = inner.fetchNow(maxRows);
    } catch (error) {
      if (this.finished) throw error;
      if (!(error instanceof TxnConflict)) throw this.fail(error);
      this.conflict = error;
      return undefined;
    }
    if (result === undefined) return undefined;
    this.sent += result.rows.length;
    if (result.commandTag !== undefined && !this.finished) {
      this.finished = true;
      this.txns.finishBlockStatement(this.run);
    }
    return result;
  }

  async fetch(maxRows: number): Promise<FetchResult> {
    if (this.pending !== undefined) {
      if (this.finished) return { rows: [] };
      await this.openLate(this.pending);
    }
    if (this.columns !== undefined) {
      const columns = this.columns;
      this.columns = undefined;
      return { ...await this.fetch(maxRows), columns };
    }
    for (let attempt = 0; ; attempt++) {
      assert(attempt <= limits.statementRetryCountMax, "retries stop at their limit");
      try {
        const conflict = this.conflict;
        this.conflict = undefined;
        if (conflict !== undefined) throw conflict;
        assert(this.inner !== undefined, "a cursor fetches while open");
        const result = await this.inner.fetch(maxRows);
        this.sent += result.rows.length;
        if (result.commandTag !== undefined && !this.finished) {
          this.finished = true;
          await this.txns.finishStatement(this.run);
        }
        return result;
      } catch (error) {
        if (this.finished) throw error;
        if (!(error instanceof TxnConflict)) throw this.fail(error);
        if (this.sent > 0 || attempt === limits.statementRetryCountMax) {
          throw this.fail(serializationFailure());
        }
        this.inner?.close();
        this.inner = undefined;
        await this.waitOut(error);
        this.inner = this.open();
      }
    }
  }

  close(): void {
    this.inner?.close();
    this.inner = undefined;
    if (!this.finished) this.fail();
    const waiting = this.run.txn.lockWait;
    if (this.pending !== undefined && waiting !== undefined) {
      this.txns.manager.relationLocks.cancel(waiting, new SqlError(SqlState.queryCanceled,
        "canceling statement due to user request"));
    }
  }

  /** Undoes the statement, waits for the conflicting transaction, takes a new snapshot. */
  private async waitOut(conflict: TxnConflict): Promise<void> {
    try {
      await waitForConflict(this.txns, this.run, conflict);
    } catch (error) {
      throw this.fail(error);
    }
  }

  private fail(error?: unknown): unknown {
    this.finished = true;
    this.txns.failStatement(this.run);
    return error;
  }
}

/** Undoes the run's work, awaits the holder's end and restarts the run on a new snapshot. */
async function waitForConflict(txns: Transactions, run: StatementRun,
  conflict: TxnConflict): Promise<void> {
  run.undo.rollback();
  if (conflict.holder !== 0) {
    const state = await txns.manager.waitFor(run.txn, conflict.holder, {
      cancellation: cancellationOf(run.ctx), lockTimeoutMs: lockTimeoutMs(run.ctx) });
    if (state === "committed" && run.txn.isolation === "repeatable read") {
      throw serializationFailure();
    }
  }
  txns.restartStatement(run);
}

/**
 * Wraps COPY FROM STDIN's sink: the load is one statement, retried on conflicts. `target`
 * is the table it loads (RowExclusive); when the lock must wait, the first chunk waits for
 * it, and a table changed meanwhile gets a fresh sink.
 */
export function transactionalCopyIn(txns: Transactions, ctx: StatementContext,
  start: () => CopyInSink, target?: CopyTarget): CopyInSink {
  const run = txns.beginStatement(ctx, { writes: true });
  if (run === undefined) return start();
  let sink: CopyInSink;
  let waiting: Promise<void> | undefined;
  try {
    sink = start();
    const locked = target === undefined ? undefined : lockCopyTarget(txns, run, target);
    waiting = locked?.then((changed) => {
      if (!changed) return;
      sink.abort();
      sink = start();
    });
    waiting?.catch(() => undefined);
  } catch (error) {
    txns.failStatement(run);
    throw error;
  }
  const ready = async (): Promise<void> => {
    if (waiting !== undefined) await waiting;
    waiting = undefined;
  };
  return {
    columnCount: sink.columnCount, binary: sink.binary,
    accept: (chunk) => (waiting === undefined ? sink.accept(chunk)
      : ready().then(() => sink.accept(chunk))),
    finish: async () => {
      try {
        await ready();
      } catch (error) {
        txns.failStatement(run);
        throw error;
      }
      return finishCopy(txns, run, sink);
    },
    abort: () => {
      const lockWait = run.txn.lockWait;
      if (waiting !== undefined && lockWait !== undefined) {
        txns.manager.relationLocks.cancel(lockWait, new SqlError(SqlState.queryCanceled,
          "canceling statement due to user request"));
      }
      sink.abort();
      txns.failStatement(run);
    },
  };
}

/** The table a COPY reads or loads, and the lock that takes. */
export interface CopyTarget {
  readonly relation: Relation;
  readonly mode: RelationLockMode;
}

/**
 * Locks a COPY's table: undefined when granted at once, else a promise that resolves once
 * held, to true when the table changed (or went: its sink fails as a fresh one would).
 */
function lockCopyTarget(txns: Transactions, run: StatementRun, target: CopyTarget):
  Promise<boolean> | undefined {
  const { relation, mode } = target;
  const version = relation.version;
  if (replaying(run) || txns.manager.relationLocks.tryAcquire(run.txn, relation.oid, mode)) {
    return undefined;
  }
  return txns.manager.waitForRelation(run.txn, relation.oid, mode, {
    cancellation: cancellationOf(run.ctx), lockTimeoutMs: lockTimeoutMs(run.ctx), nowait: false,
    relationName: relation.name,
  }).then(() => txns.catalog.relation(relation.oid) !== relation ||
    relation.version !== version);
}

async function finishCopy(txns: Transactions, run: StatementRun, sink: CopyInSink):
  Promise<string> {
  for (let attempt = 0; ; attempt++) {
    let tag: string;
    try {
      tag = await sink.finish();
    } catch (error) {
      if (!(error instanceof TxnConflict) || attempt >= limits.statementRetryCountMax) {
        txns.failStatement(run);
        throw error instanceof TxnConflict ? serializationFailure() : error;
      }
      await waitForConflict(txns, run, error).catch((waitError: unknown) => {
        txns.failStatement(run);
        throw waitError;
      });
      continue;
    }
    await txns.finishStatement(run);
    return tag;
  }
}

/** Wraps COPY TO STDOUT's source: one read-only statement over its chunks. */
export function transactionalCopyOut(txns: Transactions, ctx: StatementContext,
  start: () => CopyOutSource, target?: CopyTarget): CopyOutSource {
  const run = txns.beginStatement(ctx, { writes: false });
  if (run === undefined) return start();
  let source: CopyOutSource;
  let waiting: Promise<boolean> | undefined;
  try {
    source = start();
    waiting = target === undefined ? undefined : lockCopyTarget(txns, run, target);
    waiting?.catch(() => undefined);
  } catch (error) {
    txns.failStatement(run);
    throw error;
  }
  return {
    columnCount: source.columnCount, binary: source.binary,
    commandTag: () => source.commandTag(),
    chunks: async function* () {
      let done = false;
      try {
        if (waiting !== undefined && await waiting) source = start();
        yield* source.chunks();
        done = true;
      } finally {
        if (done) await txns.finishStatement(run);
        else txns.failStatement(run);
      }
    },
  };
}

/** lock_timeout in milliseconds ("0", "150", "2s", "1min"); 0 when unset. */
function lockTimeoutMs(ctx: StatementContext): number {
  let text = "0";
  try {
    text = ctx.setting("lock_timeout");
  } catch {
    return 0;
  }
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|h|d)?\s*$/.exec(text);
  if (match === null) return 0;
  const units: Record<string, number> = { ms: 1, s: 1000, min: 60_000, h: 3_600_000,
    d: 86_400_000 };
  return Number(match[1]) * (units[match[2] ?? "ms"] ?? 1);
}

/**
 * Takes the statement's locks if nothing stands in the way; true when they are held and the
 * plan is current, false when the run must wait (or plan again) first.
 */
function lockAtOnce(txns: Transactions, run: StatementRun, statement: LockedStatement):
  boolean {
  const { locks } = statement;
  if (locks.lockTable === true &&
    (run.implicit || run.ctx.transaction?.isTransactionBlock === false)) {
    throw new SqlError(SqlState.noActiveSqlTransaction,
      "LOCK TABLE can only be used in transaction blocks");
  }
  const table = txns.manager.relationLocks;
  for (const request of locks.requests) {
    if (!table.tryAcquire(run.txn, request.oid, request.mode)) return false;
  }
  return planCurrent(txns, statement);
}

/**
 * Recovery's statements (backend 0) take no locks: what they replay held its locks before;
 * a prepared transaction takes its own again when recovery adopts it (`prepared-locks.ts`).
 */
function replaying(run: StatementRun): boolean {
  return run.txn.backendPid === 0;
}

/** True when every relation the plan locks is still the one it was planned against. */
function planCurrent(txns: Transactions, statement: LockedStatement): boolean {
  for (const request of statement.locks.requests) {
    const now = txns.catalog.relation(request.oid);
    if (now !== request.relation || now.version !== request.version) return false;
  }
  return true;
}

/** Waits for the statement's locks; plans it again while what it locked has changed. */
async function lockAndPlan(txns: Transactions, run: StatementRun, first: LockedStatement,
  replan: Replan): Promise<LockedStatement> {
  let statement = first;
  for (let round = 0; ; round++) {
    for (const request of statement.locks.requests) {
      if (txns.manager.relationLocks.tryAcquire(run.txn, request.oid, request.mode)) continue;
      await txns.manager.waitForRelation(run.txn, request.oid, request.mode, {
        cancellation: cancellationOf(run.ctx), lockTimeoutMs: lockTimeoutMs(run.ctx),
        nowait: statement.locks.nowait === true, relationName: request.name });
    }
    if (planCurrent(txns, statement)) return statement;
    if (round === replanRoundsMax) {
      throw new SqlError(SqlState.objectNotInPrerequisiteState,
        "could not plan the statement: its tables keep changing");
    }
    statement = replan(run.ctx, statement.prepared.paramTypes);
  }
}

/** The columns a statement planned again reports, where its caller can take them. */
function newColumns(ctx: StatementContext, columns: readonly ColumnInfo[] | null):
  readonly ColumnInfo[] | null {
  if (!lateDescribers.has(ctx)) {
    throw new SqlError(SqlState.featureNotSupported, "cached plan must not change result type");
  }
  return columns;
}

/** Names, types and typmods, as the plan cache compares result rows. */
function sameColumns(a: readonly ColumnInfo[] | null, b: readonly ColumnInfo[] | null):
  boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((x, i) => x.name === b[i]!.name &&
    x.typeOid === b[i]!.typeOid && x.typeModifier === b[i]!.typeModifier);
}
