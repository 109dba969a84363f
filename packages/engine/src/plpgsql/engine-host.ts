/**
 * The engine as a PL/pgSQL host (`host.ts`): statements run synchronously inside the
 * statement that called the function, in its transaction and undo log. As in PostgreSQL, a
 * VOLATILE function's statements each get a new command id and (READ COMMITTED) a fresh
 * snapshot, so they see what the function wrote before; a STABLE or IMMUTABLE function reads
 * with its caller's snapshot and may not write. Plans are kept per statement of the function
 * (with its parameter types, the catalog epoch and search_path). A subtransaction is a mark
 * in the undo log that an EXCEPTION handler rolls back to.
 *
 * Utility statements (CREATE TABLE, ALTER TABLE, CREATE INDEX … in a DO block or a VOLATILE
 * function, written or through EXECUTE) run through the engine's utility path
 * (`utilityWork`), synchronously; each is recorded in the statement's undo log as a
 * `utility` entry, so the write-ahead log replays it between the rows written before and
 * after it. CREATE TABLE AS makes its table, then runs its query as one of the function's
 * statements; the few other utilities whose work is asynchronous (CREATE MATERIALIZED VIEW,
 * COPY, VACUUM …) are refused with 0A000.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import { parseStatements, type ast, type Row, type Value } from "@tessera/sql";
import type { SessionCursors, SettingChanges, StatementContext } from "../api.js";
import { tryCoerce } from "../analyze/coerce.js";
import type { EvalLike, Expr } from "../analyze/expr.js";
import { resolveTypeName } from "../analyze/type-name.js";
import { catalogEpoch } from "../catalog/catalog-epoch.js";
import { findRowType, rowTypeColumns, rowTypeOid, rowTypeRelation } from "../catalog/row-types.js";
import { compositeAttributes } from "../catalog/composite-types.js";
import { baseTypeOf } from "../catalog/domains.js";
import { inputValue, outputValue, withAnalysisSettings } from "../catalog/type-io.js";
import { Oid } from "../catalog/types.js";
import type { Engine, PlannedQuery } from "../engine.js";
import { buildState } from "../execute/build.js";
import { compileExpr, type Compiled } from "../execute/compile.js";
import { someExpr } from "../analyze/expr-map.js";
import { evalContextOwner, makeEvalContext, setEvalContextOwner }
  from "../execute/eval-context.js";
import type { Runtime } from "../execute/runtime.js";
import { frozenXid, checkCommandId, stampOf } from "../txn/stamp.js";
import { WriteGuard } from "../txn/write-guard.js";
import { markUncatchable } from "./uncatchable.js";
import { runSettingStatement } from "./function-settings.js";
import { plFunctionOf } from "./call.js";
import { resolveCall, type ResolvedCall } from "./procedure-args.js";
import { plSignature } from "./engine-call.js";
import type { PlFunction } from "./tree.js";
import { catalogMayHaveChanged } from "../session/plan-cache.js";
import { ownerOf } from "../catalog/privileges.js";
import { roleByOid } from "../catalog/roles.js";
import { checkStatementPrivileges } from "../catalog/permission-checks.js";
import { captureCatalog } from "../txn/catalog-undo.js";
import { touchesTempObjects } from "../storage/redo.js";
import { utilityWork } from "../utility.js";
import type { TransitionSet } from "./transition-tables.js";
import { createTableForQuery, fillCreatedTable } from "../ddl/create-as.js";
import { checkUtilityWritable } from "../execute/read-only-commands.js";
import type { PlHost, QueryColumn, QueryRequest, QueryResult, ResolvedType }
  from "./host.js";

interface CachedPlan {
  readonly epoch: number;
  readonly path: string;
  /** Who it was planned for: privileges are checked and current_user fixed when planning. */
  readonly users: string;
  readonly paramTypes: readonly number[];
  readonly paramTypmods: string;
  readonly planned: PlannedQuery;
  readonly columns: readonly QueryColumn[];
  readonly command: string;
  readonly writes: boolean;
  /** The select list of a `SELECT expr` that reads no table, compiled. */
  readonly simple: readonly Compiled[] | undefined;
  /** The transition tables the plan was made for (`TransitionSet.key`). */
  readonly transitionKey: string | undefined;
}

function sameTypes(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const waitingFunctions = "functions that wait (pg_sleep) inside PL/pgSQL";

/**
 * True for the refusal of a function that waits (pg_sleep, or a coordinator's Citus UDF such
 * as create_distributed_table) in a synchronously run block: the coordinator runs such a
 * block again asynchronously (`commands/plpgsql.ts`).
 */
export function isWaitingFunctionRefusal(error: unknown): boolean {
  return error instanceof SqlError && error.code === SqlState.featureNotSupported &&
    error.message.startsWith(waitingFunctions);
}

/** Statements the host plans and runs as queries; every other one is a utility. */
function isUtility(stmt: ast.Node): boolean {
  return !("SelectStmt" in stmt || "InsertStmt" in stmt || "UpdateStmt" in stmt ||
    "DeleteStmt" in stmt || "MergeStmt" in stmt);
}

/** Utilities whose work waits (it runs queries or I/O): refused inside PL/pgSQL. */
const asyncUtilities = new Set(["CreateTableAsStmt", "RefreshMatViewStmt", "CopyStmt",
  "VacuumStmt", "ExplainStmt", "CheckPointStmt", "TransactionStmt", "VariableSetStmt",
  "VariableShowStmt", "DoStmt", "CallStmt", "CreatedbStmt", "DropdbStmt", "ListenStmt",
  "NotifyStmt", "UnlistenStmt", "LockStmt", "PrepareStmt", "ExecuteStmt", "DeallocateStmt",
  "DeclareCursorStmt", "FetchStmt", "ClosePortalStmt", "DiscardStmt", "ConstraintsSetStmt"]);

/** Command names for the non-volatile function error (PostgreSQL's CreateCommandName). */
const utilityTags: Readonly<Record<string, string>> = {
  CreateStmt: "CREATE TABLE", IndexStmt: "CREATE INDEX", AlterTableStmt: "ALTER TABLE",
  DropStmt: "DROP", ViewStmt: "CREATE VIEW", CreateSeqStmt: "CREATE SEQUENCE",
  CreateSchemaStmt: "CREATE SCHEMA", TruncateStmt: "TRUNCATE TABLE", RenameStmt: "ALTER",
  CreateFunctionStmt: "CREATE FUNCTION", CommentStmt: "COMMENT",
};

const notSimple = new Set(["subLink", "aggref", "windowref", "srfref", "var", "outer"]);

function simpleExprs(planned: PlannedQuery): Compiled[] | undefined {
  const plan = planned.plan;
  if (planned.tag !== "SELECT" || plan.kind !== "project" || plan.input.kind !== "result" ||
    plan.srfs.length > 0) return undefined;
  if (plan.exprs.some((e) => someExpr(e, (x) => notSimple.has(x.kind)))) return undefined;
  return plan.exprs.map((e) => compileExpr(e));
}

const plans = new WeakMap<object, CachedPlan>();

/** A host's veto on a statement a function runs (the coordinator's: no distributed tables). */
export type StatementCheck = (stmt: ast.Node, path: readonly string[]) => void;
const statementChecks = new WeakMap<Engine, StatementCheck>();

/** Makes every statement PL/pgSQL runs in `engine` pass `check` before it is planned. */
export function setPlpgsqlStatementCheck(engine: Engine, check: StatementCheck): void {
  statementChecks.set(engine, check);
}

/** The engine and run a function call evaluates in, from the EvalContext it is given. */
export function runtimeOf(evalContext: EvalLike): { engine: Engine; rt: Runtime } | undefined {
  return evalContextOwner(evalContext) as { engine: Engine; rt: Runtime } | undefined;
}

export class EngineHost implements PlHost {
  /** `canPause`: the caller awaits the call (a DO block), so it may yield to the event loop. */
  constructor(private readonly engine: Engine, private readonly rt: Runtime,
    private readonly volatility: "i" | "s" | "v", private readonly canPause = false,
    /** A trigger function's transition tables (`transition-tables.ts`). */
    private readonly transition?: TransitionSet) {}

  procedure(names: readonly string[], types: readonly number[],
    argNames?: readonly (string | undefined)[]): { fn: PlFunction; call: ResolvedCall } {
    const call = resolveCall(this.engine.statementScope([], this.ctx), names, types,
      argNames ?? types.map(() => undefined));
    return { fn: plFunctionOf(call.fn, () => plSignature(call.fn)), call };
  }

  functionOwner(oid: number): string | undefined {
    const catalog = this.engine.catalog;
    return roleByOid(catalog, ownerOf(catalog, "function", oid))?.name;
  }

  atomic(): boolean {
    return !this.canPause || this.engine.txns.runOf(this.rt.ctx)?.implicit !== true;
  }

  pause(): Promise<void> | undefined {
    if (!this.canPause) return undefined;
    return new Promise((resolve) => setImmediate(resolve));
  }

  /** The caller's runtime with the parameters of the simple expression being evaluated. */
  private simpleRuntime: Runtime | undefined;

  get signal(): AbortSignal {
    return this.rt.ctx.signal;
  }

  get settingChanges(): SettingChanges | undefined {
    return this.rt.ctx.settingChanges;
  }

  get cursors(): SessionCursors | undefined {
    return this.rt.ctx.cursors;
  }

  get canWait(): boolean {
    return this.canPause;
  }

  private get ctx(): StatementContext {
    return this.rt.ctx;
  }

  query(request: QueryRequest): QueryResult {
    if (isUtility(request.stmt)) return this.runUtility(request.stmt);
    const entry = this.plan(request);
    if (entry.simple !== undefined) {
      // `SELECT expr` reading no table: evaluated directly, as pl_exec's simple expressions.
      const rt = this.simpleRuntime ??= { ...this.rt, params: request.params };
      (rt as { params: readonly Value[] }).params = request.params;
      return { columns: entry.columns, rows: [entry.simple.map((f) => f([], rt))], rowCount: 1,
        returnsRows: true, command: "SELECT" };
    }
    const { planned, command, writes } = entry;
    if (writes && this.volatility !== "v") {
      throw new SqlError(SqlState.featureNotSupported,
        `${command} is not allowed in a non-volatile function`);
    }
    const inner = this.innerRuntime(request.params, writes);
    const state = inner.build(planned.plan);
    const rows: Row[] = [];
    for (let row = state.next(); row !== null; row = state.next()) rows.push(row);
    if (writes) this.engine.catalog.lastWriteId = inner.writeId;
    return { columns: entry.columns, rows: planned.columns === null ? [] : rows,
      rowCount: planned.tag === "SELECT" ? rows.length : inner.modified,
      returnsRows: planned.columns !== null, command };
  }

  private plan(request: QueryRequest): CachedPlan {
    const path = this.ctx.setting("search_path");
    const users = `${this.ctx.user}/${this.ctx.setting("session_authorization")}`;
    const cached = request.cacheKey === undefined ? undefined : plans.get(request.cacheKey);
    if (cached !== undefined && cached.epoch === catalogEpoch.value && cached.path === path &&
      cached.users === users &&
      sameTypes(cached.paramTypes, request.paramTypes) &&
      cached.paramTypmods === String(request.paramTypmods ?? []) &&
      cached.transitionKey === this.transition?.key) return cached;
    const stmt = request.stmt;
    if ("SelectStmt" in stmt && stmt.SelectStmt.intoClause) {
      // Static SELECT … INTO assigns variables; only EXECUTE's text gets here with one.
      throw new SqlError(SqlState.featureNotSupported,
        "EXECUTE of SELECT ... INTO is not implemented", { hint: "You might want to use " +
          "EXECUTE ... INTO or EXECUTE CREATE TABLE ... AS instead." });
    }
    if (!("SelectStmt" in stmt || "InsertStmt" in stmt || "UpdateStmt" in stmt ||
      "DeleteStmt" in stmt || "MergeStmt" in stmt)) {
      throw notSupported(`${(Object.keys(stmt)[0] ?? "?").replace(/Stmt$/, "")} statements ` +
        "inside PL/pgSQL");
    }
    const epoch = catalogEpoch.value;
    const scope = this.engine.statementScope(request.paramTypes, this.ctx);
    if (request.paramTypmods !== undefined) {
      (scope.params as { typmods?: readonly number[] }).typmods = request.paramTypmods;
    }
    if (this.transition !== undefined) {
      (scope as { transitionTables?: TransitionSet["defs"] }).transitionTables =
        this.transition.defs;
    }
    try {
      statementChecks.get(this.engine)?.(stmt, scope.path);
    } catch (error) {
      throw error instanceof Error ? markUncatchable(error) : error;
    }
    checkStatementPrivileges(this.engine.catalog, scope.path, stmt, this.ctx);
    const planned = withAnalysisSettings(this.ctx, () => this.engine.planQuery(stmt, scope));
    if (planned.asyncCalls !== undefined) {
      throw notSupported(waitingFunctions);
    }
    const entry: CachedPlan = { epoch, path, users, paramTypes: [...request.paramTypes],
      paramTypmods: String(request.paramTypmods ?? []), planned,
      transitionKey: this.transition?.key,
      columns: (planned.columns ?? []).map((c) => ({ name: c.name, type: c.type })),
      command: planned.tag.split(" ")[0] ?? "SELECT",
      writes: planned.tag !== "SELECT" || planned.writes === true,
      simple: simpleExprs(planned) };
    if (request.cacheKey !== undefined) plans.set(request.cacheKey, entry);
    return entry;
  }

  /** A utility statement of the function, logged for replay (see the file's comment). */
  private runUtility(stmt: ast.Node): QueryResult {
    if ("VariableSetStmt" in stmt) {
      return runSettingStatement(stmt.VariableSetStmt, this.ctx,
        this.engine.txns.runOf(this.ctx)?.undo ?? this.rt.undo, this.volatility);
    }
    const kind = Object.keys(stmt)[0] ?? "?";
    const name = `${kind.replace(/Stmt$/, "")} statements inside PL/pgSQL`;
    const matview = "CreateTableAsStmt" in stmt &&
      stmt.CreateTableAsStmt.objtype === "OBJECT_MATVIEW";
    if (matview) throw notSupported("CREATE MATERIALIZED VIEW inside PL/pgSQL");
    const createAs = "CreateTableAsStmt" in stmt ? stmt.CreateTableAsStmt : undefined;
    if (asyncUtilities.has(kind) && createAs === undefined) throw notSupported(name);
    if (this.volatility !== "v") {
      throw new SqlError(SqlState.featureNotSupported,
        `${utilityTags[kind] ?? "this statement"} is not allowed in a non-volatile function`);
    }
    const scope = this.engine.statementScope([], this.ctx);
    checkStatementPrivileges(this.engine.catalog, scope.path, stmt, this.ctx);
    const work = createAs !== undefined ? (): QueryResult | string =>
      this.createTableAs(createAs) : utilityWork(this.engine, stmt, scope);
    if (work === undefined) throw notSupported(name);
    const catalog = this.engine.catalog;
    const run = this.engine.txns.runOf(this.ctx);
    // Only a transaction with an xid is logged: a SELECT calling the function may have none.
    if (run !== undefined && run.txn.xid === 0) this.engine.txns.manager.assignXid(run.txn);
    const undo = run?.undo ?? this.rt.undo;
    // A later error of the function, or of an EXCEPTION block around this, takes it back.
    const capture = captureCatalog(catalog, "TruncateStmt" in stmt);
    undo.record({ kind: "custom", undo: () => capture.restore() });
    if (!touchesTempObjects(catalog, scope.path, stmt)) {
      undo.record({ kind: "utility", stmt, oidBefore: catalog.oidNext,
        searchPath: this.ctx.setting("search_path"), user: this.ctx.user });
    }
    const tag = work(this.ctx);
    catalogMayHaveChanged();
    if (typeof tag === "object" && "command" in tag) return tag;
    if (typeof tag !== "string") {
      tag.catch(() => undefined);
      throw new SqlError(SqlState.internalError, `${name} did not finish at once`);
    }
    return { columns: [], rows: [], rowCount: 0, returnsRows: false, command: tag };
  }

  /**
   * CREATE TABLE … AS in a function: the table is made at once, then its query runs as one
   * of the function's statements and fills it (`ddl/create-as.ts` does both halves).
   */
  private createTableAs(create: ast.CreateTableAsStmt): QueryResult {
    checkUtilityWritable({ CreateTableAsStmt: create }, this.ctx);
    const notice = (message: string): void => this.ctx.notice(new SqlError(
      SqlState.successfulCompletion, message, { severity: "NOTICE" }));
    const made = createTableForQuery(this.engine, create.query!, create.into!,
      { ifNotExists: create.if_not_exists === true, selectInto: false }, this.ctx, notice);
    if (typeof made === "string") {
      return { columns: [], rows: [], rowCount: 0, returnsRows: false, command: "SELECT" };
    }
    const inner = this.innerRuntime([], true);
    const state = inner.build(made.planned.plan);
    const rows: Row[] = [];
    for (let row = state.next(); row !== null; row = state.next()) rows.push(row);
    fillCreatedTable(made.rel, rows, inner);
    this.engine.catalog.lastWriteId = inner.writeId;
    return { columns: [], rows: [], rowCount: rows.length, returnsRows: false,
      command: "SELECT" };
  }

  /** The run of one statement: a new command of the caller's transaction when volatile. */
  private innerRuntime(params: readonly Value[], writes: boolean): Runtime {
    const outer = this.rt;
    const run = this.engine.txns.runOf(this.ctx);
    let { snapshot, writeId, guard } = outer;
    if (this.volatility === "v" && run !== undefined) {
      const txn = run.txn;
      if (writes && txn.xid === 0) this.engine.txns.manager.assignXid(txn);
      checkCommandId(txn.nextCid);
      const cid = txn.nextCid++;
      writeId = txn.xid === 0 ? stampOf(frozenXid, 0) : stampOf(txn.xid, cid);
      snapshot = txn.isolation === "repeatable read" && txn.snapshot !== undefined
        ? { ...txn.snapshot, xid: txn.xid, cid }
        : this.engine.txns.manager.snapshot(txn, cid);
      guard = new WriteGuard(this.engine.txns.manager, txn, writeId);
    } else if (writes) {
      throw notSupported("writes inside PL/pgSQL outside a statement");
    }
    const rt: Runtime = {
      params, slots: [], evalContext: makeEvalContext(this.ctx), ctx: this.ctx,
      catalog: this.engine.catalog, snapshot, writeId, undo: outer.undo,
      ...(guard !== undefined && { guard }),
      subplans: new Map(), cteRows: new Map(this.transition?.rows), workTables: new Map(),
      srfValues: [],
      modified: 0, build: (plan) => buildState(plan, rt),
    };
    setEvalContextOwner(rt.evalContext, { engine: this.engine, rt });
    return rt;
  }

  beginSubtransaction(): number {
    return this.rt.undo.length;
  }

  rollbackSubtransaction(mark: number): void {
    this.rt.undo.rollbackTo(mark);
  }

  releaseSubtransaction(): void {
    // The block's writes stay in the statement's undo log.
  }

  notice(notice: SqlError): void {
    this.ctx.notice(notice);
  }

  cast(value: Value, from: number, to: number, typmod: number): Value {
    if (from === to && typmod < 0) return value;
    if (from === Oid.unknown) return inputValue(to, String(value), typmod, this.ctx);
    return caster(from, to, typmod)(value, this.rt);
  }

  text(value: Value, type: number): string {
    return outputValue(type === Oid.unknown ? Oid.text : type, value, this.ctx);
  }

  typeScope(): string {
    return `${catalogEpoch.value}|${this.ctx.setting("search_path")}`;
  }

  resolveType(typeName: string): ResolvedType {
    const key = `${this.typeScope()}|${typeName}`;
    let found = resolvedTypes.get(key);
    if (found === undefined) {
      found = resolve(this.engine, this.ctx, typeName);
      if (resolvedTypes.size > 10_000) resolvedTypes.clear();
      resolvedTypes.set(key, found);
    }
    return found;
  }
}

const resolvedTypes = new Map<string, ResolvedType>();

const casters = new Map<string, (value: Value, rt: Runtime) => Value>();

/** A conversion as a PL/pgSQL assignment makes it. */
function caster(from: number, to: number, typmod: number): (value: Value, rt: Runtime) => Value {
  const key = `${from}>${to}(${typmod})`;
  let found = casters.get(key);
  if (found === undefined) {
    const param: Expr = { kind: "param", index: 0, type: from, typmod: -1 };
    const params = { types: [from] };
    // PostgreSQL's COERCION_PLPGSQL: an assignment cast, else through the text forms (so
    // an explicit-only cast such as boolean -> integer is not taken).
    const expr = tryCoerce(param, to, typmod, "a", params);
    if (expr === undefined) {
      // No cast: PL/pgSQL converts through the types' text forms.
      found = (value, rt) => inputValue(to, outputValue(from, value, rt.ctx), typmod, rt.ctx);
    } else {
      const compiled = compileExpr(expr);
      found = (value, rt) => compiled([], { ...rt, params: [value] });
    }
    casters.set(key, found);
  }
  return found;
}

function resolve(engine: Engine, ctx: StatementContext, text: string): ResolvedType {
  const catalog = engine.catalog;
  const path = engine.statementScope([], ctx).path;
  const lower = text.trim().toLowerCase();
  if (lower.endsWith("%rowtype")) {
    const names = text.trim().slice(0, -8).split(".").map(unquote);
    const rel = catalog.findRelation(path, names.length > 1 ? names[0] : undefined,
      names[names.length - 1]!);
    if (rel === undefined) {
      throw new SqlError(SqlState.undefinedTable,
        `relation "${names.join(".")}" does not exist`);
    }
    return { type: rowTypeOid(catalog, rel), typmod: -1, columns: rowTypeColumns(rel) };
  }
  if (lower.endsWith("%type")) {
    const names = text.trim().slice(0, -5).split(".").map(unquote);
    const column = names.pop() ?? "";
    const rel = names.length === 0 ? undefined : catalog.findRelation(path,
      names.length > 1 ? names[0] : undefined, names[names.length - 1]!);
    const col = rel?.columns.find((c) => c.name === column && !c.dropped);
    if (col === undefined) throw notSupported(`the %TYPE reference ${text}`);
    return { type: col.type, typmod: col.typmod, columns: undefined };
  }
  const stmt = parseStatements(`SELECT NULL::${text}`)[0]?.stmt;
  const target = stmt !== undefined && "SelectStmt" in stmt
    ? stmt.SelectStmt.targetList?.[0] : undefined;
  const cast = target !== undefined && "ResTarget" in target ? target.ResTarget.val : undefined;
  const typeName = cast !== undefined && "TypeCast" in cast ? cast.TypeCast.typeName : undefined;
  if (typeName === undefined) throw new SqlError(SqlState.syntaxError, `bad type ${text}`);
  const resolved = resolveTypeName(typeName as ast.TypeName, (s, n) =>
    findRowType(catalog, path, s, n));
  // A domain over a composite type has its base type's fields.
  const base = baseTypeOf(resolved.type).type;
  const rel = rowTypeRelation(catalog, base);
  return { type: resolved.type, typmod: resolved.typmod, domain: base !== resolved.type,
    columns: rel === undefined ? compositeAttributes(base) : rowTypeColumns(rel) };
}

function unquote(name: string): string {
  const t = name.trim();
  return t.startsWith("\"") && t.endsWith("\"") ? t.slice(1, -1) : t.toLowerCase();
}
