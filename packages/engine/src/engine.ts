/**
 * The query engine of one database: `prepare` analyzes and plans a statement once, `open`
 * runs it through a cursor. Utility statements (DDL) run on the first fetch of their cursor.
 *
 *   const engine = Engine.create({});
 *   const prepared = engine.prepare(stmt, [], ctx);
 *   const rows = await prepared.open([], ctx).fetch(0);
 */
import { baseTypeOf, domainOf } from "./catalog/domains.js";
import { SqlError, assert, isSqlError, notSupported, silentLogger, type Logger }
  from "@tessera/base";
import type { ast, Row, Value } from "@tessera/sql";
import type { ColumnInfo, CopyInSink, CopyOutSource, Cursor, FetchResult, PreparedStatement,
  QueryEngine, StatementContext } from "./api.js";
import type { AsyncCall, StatementScope } from "./analyze/scope.js";
import { withAnalysisSettings } from "./catalog/type-io.js";
import { compileExpr } from "./execute/compile.js";
import { Scope } from "./analyze/scope.js";
import type { OutColumn } from "./analyze/subquery.js";
import { analyzeSubquery } from "./analyze/subquery.js";
import { Catalog } from "./catalog/catalog.js";
import { databaseCounters } from "./catalog/activity-counters.js";
import { Oid, typeInfo } from "./catalog/types.js";
import { buildState } from "./execute/build.js";
import { planPointLookup } from "./execute/point-lookup.js";
import type { NodeState, Runtime } from "./execute/runtime.js";
import { makeEvalContext, setEvalContextOwner } from "./execute/eval-context.js";
import type { Plan } from "./plan/plan.js";
import { UndoLog } from "./storage/undo.js";
import { frozenXid, stampOf } from "./txn/stamp.js";
import { Transactions, type StatementInfo } from "./txn/transactions.js";
import { transactional, transactionalCopyIn, transactionalCopyOut, type CopyTarget,
  type LockedStatement, type Replan } from "./txn/statement-cursor.js";
import { copyTarget, planLocks, prepareLockTable, utilityLocks }
  from "./txn/statement-locks.js";
import { pgLocksRelation } from "./txn/pg-locks.js";
import type { Snapshot } from "./storage/table-store.js";
import type { Durability } from "./storage/durability.js";
import type { WalStats } from "./wal/wal-writer.js";
import { recoverEngine } from "./storage/recover-engine.js";
import type { Relation } from "./catalog/relation.js";
import { Autovacuum, autovacuumNaptimeMs, vacuumAll, vacuumRelation, type VacuumHost }
  from "./storage/vacuum.js";
import { NodeFileSystem, type FileSystem } from "./wal/fs.js";
import { prepareUtility } from "./utility.js";
import { startCopyIn } from "./copy/copy-in.js";
import { startCopyOut } from "./copy/copy-out.js";
import { dropTempSchema } from "./catalog/temp-schema.js";
import { analyzeModify } from "./analyze/modify.js";
import { analyzeMerge } from "./analyze/merge.js";
import { registerSequenceFunctions } from "./catalog/sequence-functions.js";
import { registerSessionFunctions } from "./catalog/session-functions.js";
import { registerXactFunctions } from "./txn/xact-functions.js";
import { planWithSystemColumns } from "./analyze/system-columns.js";
import { registerAdvisoryLockFunctions, releaseAdvisoryLocks } from "./catalog/advisory-locks.js";
import { addBuiltinSystemRelations, addSystemRelation } from "./catalog/system-relations.js";
import { finishPrepared, preparedXactsRelation, prepareTransaction } from "./txn/two-phase.js";
import { installSystemCatalogs, setLoginRoles } from "./catalog/system-catalogs/index.js";
import { registerEngineFunction, type FunctionDef } from "./catalog/builtins.js";
import { registerPrivilegeFunctions } from "./catalog/privilege-functions.js";
import { checkStatementPrivileges } from "./catalog/permission-checks.js";
import { checkRoleSwitch } from "./catalog/roles.js";

export interface EngineOptions {
  readonly logger?: Logger;
  /**
   * Where the engine keeps its WAL and checkpoints (the daemon's data directory, which it
   * locks); `Engine.open` recovers from it. Without one the engine lives in memory only.
   */
  readonly dataDir?: string;
  /** The file system for `dataDir`; tests pass a MemoryFileSystem or FaultyFileSystem. */
  readonly fs?: FileSystem;
  /** WAL bytes between checkpoints (default `limits.checkpointWalBytes`). */
  readonly checkpointWalBytes?: number;
  /** WAL bytes buffered ahead of the disk (default `limits.walBufferBytesMax`). */
  readonly walBufferBytesMax?: number;
  /** The users the daemon accepts (`--users`), listed as roles in pg_roles and `\du`. */
  readonly loginRoles?: readonly string[];
}

/** A planned query: its plan, result columns, and the tag verb ("SELECT", "INSERT 0"). */
export interface PlannedQuery {
  readonly plan: Plan;
  readonly columns: readonly OutColumn[] | null;
  readonly tag: string;
  /** Calls that must wait (pg_sleep), awaited before the plan runs. */
  readonly asyncCalls?: readonly AsyncCall[];
  /** A SELECT that writes through a data-modifying WITH query. */
  readonly writes?: boolean;
}

export class Engine implements QueryEngine {
  readonly catalog = new Catalog();
  readonly ctidNamesOneRow = true;
  /** Transactions: xids, snapshots, statement runs, commit and abort (`txn/`). */
  readonly txns = new Transactions(this.catalog);

  private constructor(readonly logger: Logger) {
    registerSequenceFunctions(this.catalog);
    registerSessionFunctions(this.catalog);
    registerXactFunctions();
    registerAdvisoryLockFunctions();
    addBuiltinSystemRelations(this.catalog);
    addSystemRelation(this.catalog, preparedXactsRelation(this.txns));
    addSystemRelation(this.catalog, pgLocksRelation(this.txns));
    installSystemCatalogs(this.catalog);
    registerPrivilegeFunctions(this.catalog);
  }

  static create(options: EngineOptions = {}): Engine {
    assert(options.dataDir === undefined, "a durable engine starts with Engine.open");
    return new Engine(options.logger ?? silentLogger());
  }

  /** Starts an engine; with `dataDir`, recovers it and logs every commit from then on. */
  static async open(options: EngineOptions = {}): Promise<Engine> {
    const engine = new Engine(options.logger ?? silentLogger());
    setLoginRoles(engine.catalog, options.loginRoles ?? []);
    if (options.dataDir === undefined) return engine;
    engine.durability = await recoverEngine(engine, {
      fs: options.fs ?? new NodeFileSystem(), dir: options.dataDir, logger: engine.logger,
      afterCheckpoint: () => engine.vacuum(),
      ...(options.checkpointWalBytes !== undefined &&
        { checkpointWalBytes: options.checkpointWalBytes }),
      ...(options.walBufferBytesMax !== undefined &&
        { walBufferBytesMax: options.walBufferBytesMax }) });
    return engine;
  }

  private durability: Durability | undefined;

  /** The WAL writer's counters (bytes, fsyncs), for /metrics; none without a data directory. */
  walStats(): Readonly<WalStats> | undefined {
    return this.durability?.walStats;
  }

  /** The WAL's insert and flush positions (pg_current_wal_lsn); none without a data dir. */
  walPositions(): { readonly inserted: bigint; readonly flushed: bigint } | undefined {
    return this.durability?.walPositions;
  }

  /** Writes a checkpoint (durable engines), then vacuums if nothing runs. */
  async checkpoint(): Promise<void> {
    if (this.durability !== undefined) await this.durability.checkpoint();
    else this.vacuum();
  }

  /** Drops row versions no snapshot sees, when no statement runs (`storage/vacuum.ts`). */
  vacuum(): number {
    return vacuumAll(this.vacuumHost(0));
  }

  /** VACUUM: `rels`, or every table; its own statement run is the one allowed. */
  vacuumStatement(rels: readonly Relation[] | undefined): number {
    const host = this.vacuumHost(1);
    if (rels === undefined) return vacuumAll(host);
    if (!host.canVacuum()) return 0;
    const horizon = host.horizon();
    return rels.reduce((dropped, rel) => dropped + vacuumRelation(rel, horizon), 0);
  }

  /** Starts the background vacuum; `close` stops it. */
  startAutovacuum(naptimeMs = autovacuumNaptimeMs): Autovacuum {
    this.autovacuum ??= new Autovacuum(this.vacuumHost(0), naptimeMs);
    this.autovacuum.start();
    return this.autovacuum;
  }

  private autovacuum: Autovacuum | undefined;

  private vacuumHost(statementsAllowed: number): VacuumHost {
    return {
      catalog: this.catalog,
      canVacuum: () => this.txns.runningStatements <= statementsAllowed,
      horizon: () => Math.min(this.txns.manager.oldestXmin(),
        this.durability?.checkpointXmin ?? Number.MAX_SAFE_INTEGER),
    };
  }

  /** Checkpoints and closes the WAL; the daemon calls it at shutdown. */
  async close(): Promise<void> {
    this.autovacuum?.stop();
    await this.durability?.close();
  }

  /** SET ROLE / SET SESSION AUTHORIZATION: throws unless `user` may switch to `target`. */
  checkRoleSwitch(kind: "role" | "session_authorization", target: string, user: string): void {
    checkRoleSwitch(this.catalog, kind, target, user);
  }

  /** Adds a SQL function the host implements (Citus functions, pg_cancel_backend …). */
  registerFunction(def: FunctionDef): void {
    registerEngineFunction(def);
  }

  prepare(stmt: ast.Node, paramTypes: readonly number[], ctx: StatementContext):
    PreparedStatement {
    const plan: Replan = (runCtx, types) => withAnalysisSettings(runCtx,
      () => this.prepareStatement(stmt, types, runCtx));
    return transactional(this.txns, plan(ctx, paramTypes), statementInfo(stmt), plan);
  }

  /** Analyzes and plans; the table locks its runs take come with it (`txn/statement-locks`). */
  private prepareStatement(stmt: ast.Node, paramTypes: readonly number[],
    ctx: StatementContext): LockedStatement {
    const statement = this.statementScope(paramTypes, ctx);
    checkStatementPrivileges(this.catalog, statement.path, stmt, ctx);
    if ("LockStmt" in stmt) return prepareLockTable(stmt.LockStmt, this.catalog, statement.path);
    const utility = prepareUtility(this, stmt, statement);
    if (utility !== undefined) {
      return { prepared: utility, locks: utilityLocks(stmt, this.catalog, statement.path) };
    }
    const planned = this.planQuery(stmt, statement);
    const types = statement.params.types.map((t) => (t === 0 || t === Oid.unknown ? Oid.text : t));
    return { prepared: this.preparedFor(planned, types), locks: planLocks(planned.plan,
      this.catalog) };
  }

  /** COPY … FROM STDIN: a sink for the client's data (`copy/copy-in.ts`). */
  copyIn(stmt: ast.CopyStmt, ctx: StatementContext): CopyInSink {
    this.checkCopyPrivileges(stmt, ctx);
    return withAnalysisSettings(ctx, () => transactionalCopyIn(this.txns, ctx,
      () => startCopyIn(this, stmt, ctx), this.copyTarget(stmt, ctx)));
  }

  /** COPY … TO STDOUT, of a table or a query (`copy/copy-out.ts`). */
  copyOut(stmt: ast.CopyStmt, ctx: StatementContext): CopyOutSource {
    this.checkCopyPrivileges(stmt, ctx);
    return withAnalysisSettings(ctx, () => transactionalCopyOut(this.txns, ctx,
      () => startCopyOut(this, stmt, ctx), this.copyTarget(stmt, ctx)));
  }

  /** COPY's privileges: SELECT on what it reads, INSERT on the table it loads. */
  private checkCopyPrivileges(stmt: ast.CopyStmt, ctx: StatementContext): void {
    const path = this.statementScope([], ctx).path;
    checkStatementPrivileges(this.catalog, path, { CopyStmt: stmt }, ctx);
  }

  /** The table a COPY reads or loads, with the lock it takes (`txn/statement-locks.ts`). */
  private copyTarget(stmt: ast.CopyStmt, ctx: StatementContext): CopyTarget | undefined {
    return copyTarget(stmt, this.catalog, this.statementScope([], ctx).path);
  }

  /** PREPARE TRANSACTION, COMMIT PREPARED, ROLLBACK PREPARED (`txn/two-phase.ts`). */
  twoPhase(kind: "prepare" | "commit" | "rollback", gid: string, ctx: StatementContext):
    Promise<void> {
    if (kind === "prepare") return prepareTransaction(this.txns, ctx, gid);
    return finishPrepared(this.txns, ctx, gid, kind === "commit");
  }

  /** Counts an ended session of `millis` in pg_stat_database (`activity-counters.ts`). */
  countSession(millis: number): void {
    const counters = databaseCounters(this.catalog);
    counters.sessions++;
    counters.sessionTime += millis;
  }

  /** Drops what a session owned (its temporary tables); the session calls it at its end. */
  dropSessionObjects(backendPid: number): void {
    this.txns.dropSession(backendPid);
    dropTempSchema(this.catalog, backendPid);
    releaseAdvisoryLocks(backendPid);
  }

  /**
   * Analyzes and plans a query statement (SELECT, INSERT, UPDATE, DELETE); again with wider
   * table scans when it reads system columns (`analyze/system-columns.ts`).
   */
  planQuery(stmt: ast.Node, statement: StatementScope): PlannedQuery {
    return planWithSystemColumns(statement, () => this.planQueryOnce(stmt, statement));
  }

  private planQueryOnce(stmt: ast.Node, statement: StatementScope): PlannedQuery {
    if ("SelectStmt" in stmt) {
      const result = analyzeSubquery(stmt, new Scope(statement, undefined));
      return { plan: result.plan, columns: result.columns, tag: "SELECT",
        ...(statement.asyncCalls !== undefined && { asyncCalls: statement.asyncCalls }),
        ...(statement.writes === true && { writes: true }) };
    }
    if ("InsertStmt" in stmt || "UpdateStmt" in stmt || "DeleteStmt" in stmt) {
      const planned = analyzeModify(stmt, new Scope(statement, undefined));
      return statement.asyncCalls === undefined ? planned
        : { ...planned, asyncCalls: statement.asyncCalls };
    }
    if ("MergeStmt" in stmt) return analyzeMerge(stmt.MergeStmt, new Scope(statement, undefined));
    throw notSupported(`statement ${Object.keys(stmt)[0] ?? "?"}`);
  }

  statementScope(paramTypes: readonly number[], ctx: StatementContext): StatementScope {
    const path = this.catalog.searchPath(safeSetting(ctx, "search_path", "\"$user\", public"),
      ctx.user, ctx.backendPid);
    return { catalog: this.catalog, path, ctx, params: { types: [...paramTypes] },
      nextSlot: 0, nextSubplanId: 0, nextCteId: 0 };
  }

  /** Wraps a planned query as a PreparedStatement. */
  preparedFor(planned: PlannedQuery, paramTypes: readonly number[]): PreparedStatement {
    const columns = planned.columns === null ? null : planned.columns.map(columnInfo);
    const point = planned.tag === "SELECT" && planned.asyncCalls === undefined &&
      planned.writes !== true
      ? planPointLookup(planned.plan, this.catalog) : null;
    return {
      paramTypes,
      columns,
      open: (params, ctx) => (point !== null ? point.open(params, this.readSnapshot(ctx))
        : this.openPlan(planned, params, ctx)),
    };
  }

  /** Starts a run of `planned`; `wrap` may swap the runtime (EXPLAIN ANALYZE instruments it). */
  openPlan(planned: PlannedQuery, params: readonly Value[], ctx: StatementContext,
    wrap?: (rt: Runtime) => Runtime): Cursor {
    const base = this.runtime(params, ctx);
    const rt = wrap === undefined ? base : wrap(base);
    let state: NodeState | null = null;
    let count = 0;
    let done = false;
    const writes = planned.tag !== "SELECT" || planned.writes === true;
    return {
      fetch: async (maxRows: number): Promise<FetchResult> => {
        if (done) return { rows: [] };
        const rows: Row[] = [];
        try {
          if (state === null) await runAsyncCalls(planned, rt);
          state ??= rt.build(planned.plan);
          while (maxRows === 0 || rows.length < maxRows) {
            const row = state.next();
            if (row === null) {
              done = true;
              break;
            }
            rows.push(row);
          }
        } catch (error) {
          done = true;
          rt.undo.rollback();
          throw error;
        }
        count += rows.length;
        if (!done) return { rows };
        if (writes) this.catalog.lastWriteId = rt.writeId;
        const n = planned.tag !== "SELECT" ? rt.modified : count;
        const returned = planned.columns === null ? [] : rows;
        return { rows: returned, commandTag: `${planned.tag} ${n}` };
      },
      close: () => {
        if (!done && writes) rt.undo.rollback();
        done = true;
      },
    };
  }

  /** The snapshot of the statement `ctx` runs, or of everything committed now. */
  readSnapshot(ctx: StatementContext): Snapshot {
    return this.txns.runOf(ctx)?.snapshot ?? this.txns.latestSnapshot();
  }

  /**
   * Makes the run-time state for one execution, in the statement `ctx` runs: its snapshot,
   * write stamp and undo log. Outside a statement run, writes are final at once.
   */
  runtime(params: readonly Value[], ctx: StatementContext): Runtime {
    const run = this.txns.runOf(ctx);
    const rt: Runtime = {
      params, slots: [], evalContext: makeEvalContext(ctx), ctx, catalog: this.catalog,
      snapshot: run?.snapshot ?? this.txns.latestSnapshot(),
      writeId: run?.writeId ?? stampOf(frozenXid, 0),
      undo: run?.undo ?? new UndoLog(), ...(run !== undefined && { guard: run.guard }),
      subplans: new Map(), cteRows: new Map(), workTables: new Map(),
      srfValues: [], modified: 0,
      build: (plan) => buildState(plan, rt),
    };
    setEvalContextOwner(rt.evalContext, { engine: this, rt });
    return rt;
  }
}

/** Awaits the plan's asynchronous calls (pg_sleep), in order, before the plan runs. */
async function runAsyncCalls(planned: PlannedQuery, rt: Runtime): Promise<void> {
  for (const call of planned.asyncCalls ?? []) {
    const values = call.args.map((arg) => compileExpr(arg)([], rt));
    call.cell.value = await call.run(values, rt.evalContext);
  }
}

function safeSetting(ctx: StatementContext, name: string, fallback: string): string {
  try {
    const value = ctx.setting(name);
    return value === "" ? fallback : value;
  } catch (error) {
    if (isSqlError(error)) return fallback;
    throw error;
  }
}

/** Describes an output column as RowDescription does. */
export function columnInfo(c: OutColumn): ColumnInfo {
  // A domain goes out as its base type, as printtup.c sends it.
  const { type, typmod } = domainOf(c.type) === undefined ? c : baseTypeOf(c.type, c.typmod);
  return { name: c.name, tableOid: c.tableOid, columnNumber: c.attnum, typeOid: type,
    typeSize: typeInfo(type).len, typeModifier: typmod };
}

export type { SqlError };

/** What the transaction layer needs to know of a statement before it runs. */
function statementInfo(stmt: ast.Node): StatementInfo {
  if ("SelectStmt" in stmt && stmt.SelectStmt.intoClause === undefined) {
    const locks = (stmt.SelectStmt.lockingClause ?? []).length > 0;
    return { writes: locks || !readOnlySelect(stmt) };
  }
  if ("InsertStmt" in stmt || "UpdateStmt" in stmt || "DeleteStmt" in stmt ||
    "MergeStmt" in stmt) {
    return { writes: true };
  }
  if ("ExplainStmt" in stmt || "VacuumStmt" in stmt || "CopyStmt" in stmt) return { writes: true };
  if ("LockStmt" in stmt || "ConstraintsSetStmt" in stmt) return { writes: false };
  return { writes: true, utility: stmt };
}

/** True for a SELECT without data-modifying WITH queries. */
function readOnlySelect(stmt: ast.Node): boolean {
  const ctes = "SelectStmt" in stmt ? stmt.SelectStmt.withClause?.ctes ?? [] : [];
  return ctes.every((cte) => {
    const query = "CommonTableExpr" in cte ? cte.CommonTableExpr.ctequery : undefined;
    return query === undefined || "SelectStmt" in query;
  });
}
