/**
 * The engine's side of transactions: which transaction a statement runs in, its command id,
 * snapshot, write stamp and undo log (a `StatementRun`, found by the statement's context),
 * and how statements and transactions end.
 *
 *   beginStatement(ctx)   the block's transaction (attached to ctx.transaction on first use),
 *                         or a new implicit one; an xid for writers; a snapshot (per
 *                         statement in READ COMMITTED, per transaction in REPEATABLE READ)
 *   finishStatement(run)  its redo joins the transaction's, its undo log too; an implicit
 *                         transaction commits (and waits for the WAL flush)
 *   failStatement(run)    its writes are undone; an implicit transaction aborts
 *
 * `TxnLog` is how durability hooks in (`storage/durability.ts`); without it nothing is logged.
 */
import { assert } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { committedAtOnce, type StatementContext, type TransactionHandle,
  type TransactionParticipant } from "../api.js";
import type { Catalog } from "../catalog/catalog.js";
import { databaseCounters, type DatabaseCounters } from "../catalog/activity-counters.js";
import type { Snapshot } from "../storage/table-store.js";
import { UndoLog } from "../storage/undo.js";
import { captureCatalog, type CatalogCapture } from "./catalog-undo.js";
import { ChurnMap } from "./churn-map.js";
import { touchesTempObjects } from "../storage/redo.js";
import { TxnManager } from "./manager.js";
import { relockPrepared } from "./prepared-locks.js";
import { checkCommandId, frozenXid, stampOf } from "./stamp.js";
import type { Isolation, Transaction } from "./transaction.js";
import { WriteGuard } from "./write-guard.js";

/** What the engine knows of a statement before it runs. */
export interface StatementInfo {
  /** False for plain SELECTs: they get no xid. */
  readonly writes: boolean;
  /** The raw tree of a utility statement (DDL), for undo and the WAL. */
  readonly utility?: ast.Node;
}

export interface StatementRun {
  readonly txn: Transaction;
  readonly ctx: StatementContext;
  readonly info: StatementInfo;
  readonly implicit: boolean;
  readonly cid: number;
  readonly writeId: number;
  snapshot: Snapshot;
  readonly undo: UndoLog;
  readonly guard: WriteGuard;
  /** The catalog's next OID when the statement started: replay must hand out the same. */
  readonly oidBefore: number;
  /** A utility statement on temporary objects: not logged. */
  readonly touchesTemp: boolean;
  /** A block's utility statement: the catalog before it, for ROLLBACK. */
  catalogCapture?: CatalogCapture;
}

/** Durability's hooks: redo per statement, records per commit. */
export interface TxnLog {
  /** Turns a finished statement's writes into WAL operations on its transaction. */
  statementFinished(run: StatementRun): void;
  /** Appends the commit; resolves once durable (null when nothing was logged). */
  commit(txn: Transaction): Promise<void> | null;
  /** Appends PREPARE TRANSACTION's record (the writes so far); resolves once durable. */
  prepare(txn: Transaction): Promise<void>;
  /** Appends ROLLBACK PREPARED's record; resolves once durable. */
  abortPrepared(txn: Transaction): Promise<void>;
  /** Logs what outlives any transaction (sequence positions) after one ends. */
  ended(txn: Transaction): void;
}

export class Transactions {
  readonly manager = new TxnManager();
  private readonly runs = new ChurnMap<StatementContext, StatementRun>();
  log: TxnLog | null = null;
  /** pg_stat_database's counters of this database (`activity-counters.ts`). */
  private readonly counters: DatabaseCounters;

  constructor(readonly catalog: Catalog) {
    this.manager.relockPrepared = (txn) => relockPrepared(this.manager.relationLocks, catalog,
      txn);
    const counters = this.counters = databaseCounters(catalog);
    this.manager.onDeadlock = () => { counters.deadlocks++; };
  }

  runOf(ctx: StatementContext): StatementRun | undefined {
    return this.runs.get(ctx);
  }

  /** Statements running now, any session: vacuum runs only when there are none. */
  get runningStatements(): number {
    return this.runs.size;
  }

  /** Starts a statement; returns undefined when `ctx` already runs one (a nested call). */
  beginStatement(ctx: StatementContext, info: StatementInfo): StatementRun | undefined {
    if (this.runs.has(ctx)) return undefined;
    const { txn, implicit } = this.transactionFor(ctx);
    assert(txn.state === "active", "statements run in active transactions");
    txn.isolation ??= isolationOf(ctx);
    if (info.writes && txn.xid === 0) this.manager.assignXid(txn);
    checkCommandId(txn.nextCid);
    const cid = txn.nextCid++;
    const undo = new UndoLog();
    const writeId = txn.xid === 0 ? stampOf(frozenXid, 0) : stampOf(txn.xid, cid);
    const run: StatementRun = { txn, ctx, info, implicit, cid, writeId, undo,
      snapshot: this.snapshotFor(txn, cid), guard: new WriteGuard(this.manager, txn, writeId),
      oidBefore: this.catalog.oidNext,
      touchesTemp: info.utility !== undefined && this.touchesTemp(ctx, info.utility) };
    if (run.touchesTemp) txn.touchedTemp = true;
    this.captureCatalog(run);
    this.runs.set(ctx, run);
    return run;
  }

  /** Undoes the statement's work so far and takes a fresh snapshot, to run it again. */
  restartStatement(run: StatementRun): void {
    assert(this.runs.get(run.ctx) === run, "a restarted statement is running");
    run.undo.rollback();
    run.snapshot = this.snapshotFor(run.txn, run.cid);
    this.captureCatalog(run);
  }

  /** A block's utility statement: its undo starts with the catalog's restore. */
  private captureCatalog(run: StatementRun): void {
    const utility = run.info.utility;
    if (utility === undefined || run.implicit) return;
    const capture = captureCatalog(this.catalog, "TruncateStmt" in utility);
    run.catalogCapture = capture;
    run.undo.record({ kind: "custom", undo: () => capture.restore() });
  }

  /** Ends a statement that succeeded; an implicit transaction commits. */
  async finishStatement(run: StatementRun): Promise<void> {
    this.finishInTransaction(run);
    if (run.implicit) await this.commit(run.txn, synchronousCommit(run.ctx));
  }

  /**
   * `finishStatement` for a statement of a block (explicit or the session's implicit one),
   * which has no commit to await: it ends at once.
   */
  finishBlockStatement(run: StatementRun): void {
    assert(!run.implicit, "a statement that commits ends through finishStatement");
    this.finishInTransaction(run);
  }

  /** A statement's writes and undo join its transaction's. */
  private finishInTransaction(run: StatementRun): void {
    assert(this.runs.get(run.ctx) === run, "a finishing statement is running");
    this.runs.delete(run.ctx);
    run.catalogCapture?.seal();
    if (run.txn.xid !== 0) this.log?.statementFinished(run);
    run.txn.undo.absorb(run.undo);
  }

  /** Ends a statement that failed: its writes are undone; an implicit transaction aborts. */
  failStatement(run: StatementRun): void {
    if (this.runs.get(run.ctx) !== run) return;
    this.runs.delete(run.ctx);
    run.undo.rollback();
    if (run.implicit) this.abort(run.txn);
  }

  /**
   * Commits. With synchronous_commit on, the transaction becomes visible (and its row locks
   * free) only once its commit record is durable, as in Postgres: it leaves its session at
   * once but stays running while the WAL flush (shared with concurrent committers) runs.
   * With synchronous_commit off, or nothing logged, it is visible at once.
   */
  commit(txn: Transaction, synchronous: boolean): Promise<void> {
    assert(txn.state === "active" && !txn.committing, "only active transactions commit");
    let durable: Promise<void> | null;
    try {
      durable = this.log?.commit(txn) ?? null;
    } catch (error) {
      this.abort(txn);
      throw error;
    }
    if (durable === null || !synchronous) {
      this.endCommitted(txn);
      durable?.catch(() => undefined);
      return committedAtOnce;
    }
    txn.committing = true;
    this.manager.leaveSession(txn);
    return durable.then(() => this.endCommitted(txn), (error: unknown) => {
      // The WAL writer failed for good (58030): nothing more commits until a restart, whose
      // recovery decides from what reached the disk. Until then the writes stay invisible.
      txn.undo.rollback();
      this.manager.end(txn, "aborted");
      this.counters.xactRollback++;
      throw error;
    });
  }

  private endCommitted(txn: Transaction): void {
    this.manager.end(txn, "committed");
    this.counters.xactCommit++;
    this.log?.ended(txn);
  }

  /**
   * Runs a transaction's deferred constraint checks (`deferred-checks.ts`) before its COMMIT
   * or PREPARE: the first failure aborts the transaction and is the commit's error.
   */
  runDeferredChecks(txn: Transaction): void {
    try {
      txn.deferred?.runAll();
    } catch (error) {
      this.abort(txn);
      throw error;
    }
  }

  /** Rolls back; a transaction whose commit is on its way to the disk is left to finish. */
  abort(txn: Transaction): void {
    if (txn.state !== "active" || txn.committing) return;
    txn.undo.rollback();
    this.manager.end(txn, "aborted");
    this.counters.xactRollback++;
    this.log?.ended(txn);
  }

  /** Aborts the explicit transaction a session left open (the session ended). */
  dropSession(backendPid: number): void {
    const txn = this.manager.explicitFor(backendPid);
    if (txn !== undefined) this.abort(txn);
  }

  /** The transaction of the session's block (started now if it ran no statement yet). */
  blockTransaction(ctx: StatementContext): Transaction {
    const { txn, implicit } = this.transactionFor(ctx);
    assert(!implicit, "a block has its own transaction");
    txn.isolation ??= isolationOf(ctx);
    return txn;
  }

  /** A snapshot for a reader outside any statement run: everything committed now. */
  latestSnapshot(): Snapshot {
    return this.manager.latest();
  }

  private touchesTemp(ctx: StatementContext, stmt: ast.Node): boolean {
    let setting = "";
    try {
      setting = ctx.setting("search_path");
    } catch {
      setting = "";
    }
    const path = this.catalog.searchPath(setting, ctx.user, ctx.backendPid);
    return touchesTempObjects(this.catalog, path, stmt);
  }

  private snapshotFor(txn: Transaction, cid: number): Snapshot {
    if (txn.isolation !== "repeatable read") return this.manager.snapshot(txn, cid);
    txn.snapshot ??= this.manager.snapshot(txn, cid);
    return { ...txn.snapshot, xid: txn.xid, cid };
  }

  private transactionFor(ctx: StatementContext): { txn: Transaction; implicit: boolean } {
    const handle = ctx.transaction;
    if (handle !== undefined && handle.status !== "I") {
      return { txn: this.attach(handle, ctx.backendPid), implicit: false };
    }
    if (handle === undefined) {
      const txn = this.manager.explicitFor(ctx.backendPid);
      if (txn !== undefined) return { txn, implicit: false };
    }
    return { txn: this.manager.begin(false, ctx.backendPid), implicit: true };
  }

  /** Returns the block's transaction, starting it on the block's first statement. */
  private attach(handle: TransactionHandle, backendPid: number): Transaction {
    const current = handle.participant;
    if (current instanceof Participant && current.owner === this) return current.txn;
    assert(current === undefined, "a block belongs to one engine");
    const stale = this.manager.explicitFor(backendPid);
    if (stale !== undefined) this.abort(stale);
    const txn = this.manager.begin(true, backendPid);
    for (let i = 0; i < handle.savepointDepth; i++) txn.pushSavepoint();
    handle.participant = new Participant(this, txn);
    return txn;
  }
}

/** The engine transaction as the session's transaction block drives it. */
class Participant implements TransactionParticipant {
  constructor(readonly owner: Transactions, readonly txn: Transaction) {}

  /** Runs the deferred constraint checks first: a failing one rolls back and throws. */
  commit(options: { readonly synchronous: boolean }): Promise<void> {
    this.owner.runDeferredChecks(this.txn);
    return this.owner.commit(this.txn, options.synchronous);
  }

  rollback(): void {
    this.owner.abort(this.txn);
  }

  savepoint(): void {
    this.txn.pushSavepoint();
  }

  rollbackTo(depth: number): void {
    const lockMark = this.txn.savepoints[depth]?.lockMark;
    this.txn.rollbackTo(depth);
    if (lockMark !== undefined) this.owner.manager.relationLocks.releaseAfter(this.txn, lockMark);
  }

  release(depth: number): void {
    this.txn.release(depth);
  }
}

function isolationOf(ctx: StatementContext): Isolation {
  let level = "";
  try {
    level = ctx.setting("transaction_isolation").toLowerCase();
  } catch {
    level = "";
  }
  return level === "repeatable read" || level === "serializable" ? "repeatable read"
    : "read committed";
}

function synchronousCommit(ctx: StatementContext): boolean {
  try {
    return ctx.setting("synchronous_commit") !== "off";
  } catch {
    return true;
  }
}
