/**
 * PL/pgSQL on the coordinator, as Citus runs it: a DO block, a top-level `SELECT f(…)` (of
 * a scalar function, or SETOF a scalar type) or a CALL whose body names a Citus table runs
 * on the coordinator with
 * every statement through the coordinator's own planner (`session/distributed-engine.ts`):
 * a statement on a distributed table goes to the workers, one on a local table to the local
 * engine. The whole run is one distributed transaction, and BEGIN … EXCEPTION blocks are
 * savepoints on every node it touches (`plpgsql-transaction.ts`).
 *
 * Whether a body names a Citus table is read from its statements as written. A body that
 * names none runs in the local engine, as one local statement (fast, its plans cached); if a
 * statement it reaches there does name one (through EXECUTE, or a function it calls) the
 * engine refuses it (`installPlpgsqlGuard`), nothing of the attempt stays (the local
 * statement is undone, no worker was reached, its notices were held back) and the body runs
 * again through the planner. A body with COMMIT or ROLLBACK is never tried locally first:
 * what it committed could not be taken back.
 *
 * A function called inside a larger query runs inside that query's local statement,
 * synchronously; its statements cannot wait for workers there, so one that names a Citus
 * table is refused with 0A000, never run against the coordinator's empty shell table.
 * Functions themselves are created on the workers like SQL functions (`type-function-ddl.ts`).
 */
import { SqlError, SqlState } from "@tessera/base";
import {
  callHosted, callProcedureHosted, isWaitingFunctionRefusal, proceduresNamed, runDoHosted,
  setPlpgsqlStatementCheck, sqlFunctionsNamed, writtenBody,
  type FetchResult, type PreparedStatement, type QueryRequest, type QueryResult,
  type SqlFunction, type StatementContext, type WrittenBody,
} from "@tessera/engine";
import type { ast, Value } from "@tessera/sql";
import type { Cluster } from "../cluster.js";
import { bufferedCursor } from "../executor/cursor.js";
import { classify } from "../planner/classify.js";
import { inRunTransaction, type RunOptions } from "./plpgsql-transaction.js";

const guardMessage = "PL/pgSQL statements on the distributed table";

/** pg_type "void". */
const voidType = 2278;

type Prepare = (stmt: ast.Node, paramTypes: readonly number[], ctx: StatementContext) =>
  PreparedStatement;

/** How statements are prepared: `distributed` by the coordinator's planner, `local` not. */
interface Preparers {
  readonly distributed: Prepare;
  readonly local: Prepare;
}

function hasCitusTables(cluster: Cluster): boolean {
  return cluster.metadata.cache.tables().next().done !== true;
}

/** Refuses, in functions called by queries, statements on Citus tables. */
export function installPlpgsqlGuard(cluster: Cluster): void {
  setPlpgsqlStatementCheck(cluster.local, (stmt, path) => {
    if (!hasCitusTables(cluster)) return;
    const { citus } = classify(stmt, cluster.local.catalog, path, cluster.metadata.cache);
    const table = citus[0];
    if (table === undefined) return;
    throw new SqlError(SqlState.featureNotSupported, `${guardMessage} ` +
      `${table.relation.name} inside a function called by a query are not supported`, {
        hint: "Call the function with SELECT f(…) at the top level, with CALL, or from a " +
          "DO block." });
  });
}

/**
 * A DO block, a top-level `SELECT f(…)` of a scalar PL/pgSQL function or a CALL of a
 * PL/pgSQL procedure, while Citus tables exist (see the file's comment); undefined for
 * other statements.
 */
export function preparePlpgsql(cluster: Cluster, stmt: ast.Node, prepare: Prepare,
  prepareLocal: Prepare, paramTypes: readonly number[], prepareCtx: StatementContext):
  PreparedStatement | undefined {
  const preparers = { distributed: prepare, local: prepareLocal };
  // A DO block may distribute its first table (create_distributed_table), so it is tried here
  // even before Citus tables exist.
  if ("DoStmt" in stmt) return prepareDo(cluster, stmt.DoStmt, preparers, prepareCtx);
  if (!hasCitusTables(cluster)) return undefined;
  if ("CallStmt" in stmt) {
    return prepareCall(cluster, stmt.CallStmt, preparers, paramTypes, prepareCtx);
  }
  return prepareTopLevelCall(cluster, stmt, preparers, paramTypes, prepareCtx);
}

function prepareDo(cluster: Cluster, doStmt: ast.DoStmt, preparers: Preparers,
  prepareCtx: StatementContext): PreparedStatement {
  const local = preparers.local({ DoStmt: doStmt }, [], prepareCtx);
  const path = cluster.local.statementScope([], prepareCtx).path;
  const distributed = mustDistribute(cluster, { doStmt }, path);
  return { paramTypes: [], columns: null, open: (_params, ctx) => bufferedCursor(async () => {
    if (distributed || await tryLocal(local, ctx) === undefined) {
      await inRunTransaction(cluster, ctx, runOptions(ctx, preparers.distributed, false),
        (runCtx, statements) => runDoHosted(cluster.local, doStmt, runCtx, statements));
    }
    return { rows: [], commandTag: "DO" };
  }) };
}

/** CALL of a PL/pgSQL procedure; undefined for others. */
function prepareCall(cluster: Cluster, call: ast.CallStmt, preparers: Preparers,
  paramTypes: readonly number[], prepareCtx: StatementContext): PreparedStatement | undefined {
  const procedures = proceduresNamed(cluster.local, call, prepareCtx);
  if (procedures.length === 0) return undefined;
  const local = preparers.local({ CallStmt: call }, paramTypes, prepareCtx);
  const path = cluster.local.statementScope([], prepareCtx).path;
  const distributed = procedures.some((fn) => mustDistribute(cluster, { fn }, path));
  return { paramTypes: local.paramTypes, columns: local.columns, open: (params, ctx) =>
    bufferedCursor(async () => {
      const result = distributed ? undefined : await tryLocal(local, ctx, params);
      if (result !== undefined) return { rows: result.rows, commandTag: "CALL" };
      const outs = await inRunTransaction(cluster, ctx,
        runOptions(ctx, preparers.distributed, false), (runCtx, statements) =>
          callProcedureHosted(cluster.local, call, runCtx, statements,
            { paramTypes: local.paramTypes, params }));
      return { rows: outs === undefined ? [] : [outs], commandTag: "CALL" };
    }) };
}

/**
 * `SELECT f(…)` or `SELECT * FROM f(…)` of a PL/pgSQL function (see `topLevelCall`);
 * undefined for other statements.
 */
function prepareTopLevelCall(cluster: Cluster, stmt: ast.Node, preparers: Preparers,
  paramTypes: readonly number[], prepareCtx: StatementContext): PreparedStatement | undefined {
  const path = cluster.local.statementScope([], prepareCtx).path;
  const call = topLevelCall(cluster, stmt, path, paramTypes);
  if (call === undefined) return undefined;
  const local = preparers.local(stmt, paramTypes, prepareCtx);
  // `SELECT * FROM f()` of a row type spreads its fields: not one value a row.
  const spread = "SelectStmt" in stmt && stmt.SelectStmt.fromClause !== undefined;
  if (spread && (local.columns?.length !== 1 || local.columns[0]!.typeOid !== call.fn.returnType)) {
    return undefined;
  }
  const distributed = mustDistribute(cluster, { fn: call.fn }, path);
  return { paramTypes: local.paramTypes, columns: local.columns, open: (params, ctx) =>
    bufferedCursor(async () => {
      const result = distributed ? undefined : await tryLocal(local, ctx, params);
      if (result !== undefined) {
        return { rows: result.rows, commandTag: result.commandTag ?? "SELECT 1" };
      }
      const args = await runOne(preparers.local, { stmt: call.args, cacheKey: undefined,
        paramTypes: local.paramTypes, params }, ctx);
      const value = await inRunTransaction(cluster, ctx,
        runOptions(ctx, preparers.distributed, true), (runCtx, statements) =>
          callHosted(cluster.local, call.fn, args.rows[0] ?? [], runCtx, statements));
      if (!call.fn.setOf) return { rows: [[value as Value]], commandTag: "SELECT 1" };
      const rows = value as Value[][];
      return { rows, commandTag: `SELECT ${rows.length}` };
    }) };
}

/** A run's statements go through `prepare`; `atomic` refuses COMMIT and ROLLBACK (2D000). */
function runOptions(ctx: StatementContext, prepare: Prepare, inFunction: boolean):
  RunOptions {
  const block = ctx.transaction;
  const atomic = inFunction || (block !== undefined && block.status !== "I");
  return { atomic, run: (request, runCtx) => runOne(prepare, request, runCtx) };
}

function namesCitusTable(cluster: Cluster, stmt: ast.Node, path: readonly string[]): boolean {
  try {
    return classify(stmt, cluster.local.catalog, path, cluster.metadata.cache).citus.length > 0;
  } catch {
    return false; // Run as written: the statement's own error comes when it runs.
  }
}

/**
 * Whether a body runs through the planner at once: its statements as written name a Citus
 * table, or (while Citus tables exist) it has COMMIT or ROLLBACK, whose work a local attempt
 * could not take back before running again.
 */
function mustDistribute(cluster: Cluster, target: Parameters<typeof writtenBody>[0],
  path: readonly string[]): boolean {
  let body: WrittenBody;
  try {
    body = writtenBody(target);
  } catch {
    return false; // A body that does not parse fails in the local engine, as it should.
  }
  return (body.endsTransactions && hasCitusTables(cluster)) ||
    body.statements.some((s) => namesCitusTable(cluster, s, path));
}

/**
 * True for the guard's refusal, or a function that waits (create_distributed_table in a DO
 * block): the block must run through the distributed planner, asynchronously.
 */
function needsDistribution(error: unknown): boolean {
  return (error instanceof SqlError && error.code === SqlState.featureNotSupported &&
    error.message.startsWith(guardMessage)) || isWaitingFunctionRefusal(error);
}

/**
 * Runs `local` to its end; undefined when a PL/pgSQL statement needs the distributed
 * planner. Its notices wait for the end: an attempt given up on says nothing.
 */
async function tryLocal(local: PreparedStatement, ctx: StatementContext,
  params: readonly Value[] = []): Promise<FetchResult | undefined> {
  const held = holdNotices(ctx);
  const cursorMark = ctx.cursors?.mark();
  const cursor = local.open(params, ctx);
  try {
    const result = await cursor.fetch(0);
    held.tell();
    return result;
  } catch (error) {
    if (needsDistribution(error)) {
      // Cursors the attempt opened close: the run through the planner opens them again.
      if (cursorMark !== undefined) ctx.cursors?.rollbackTo(cursorMark);
      return undefined;
    }
    held.tell();
    throw error;
  } finally {
    held.restore();
    cursor.close();
  }
}

/**
 * Holds back the notices sent through `ctx` until `tell`. The context itself is changed, not
 * copied: the local engine knows a statement's run by its context object.
 */
function holdNotices(ctx: StatementContext): { tell(): void; restore(): void } {
  const writable = ctx as { notice: StatementContext["notice"] };
  const send = writable.notice;
  const notices: SqlError[] = [];
  if (Object.getOwnPropertyDescriptor(ctx, "notice")?.writable !== true) {
    return { tell: () => undefined, restore: () => undefined };
  }
  writable.notice = (notice) => notices.push(notice);
  return {
    tell: () => {
      for (const notice of notices.splice(0)) send(notice);
    },
    restore: () => {
      writable.notice = send;
    },
  };
}

/**
 * `SELECT f(a, b)` of a PL/pgSQL function without OUT parameters (SETOF a scalar type too,
 * such as SETOF refcursor): the function and `SELECT a::t, b::u`.
 */
function topLevelCall(cluster: Cluster, stmt: ast.Node, path: readonly string[],
  paramTypes: readonly number[]):
  { fn: SqlFunction; args: ast.Node } | undefined {
  if (!("SelectStmt" in stmt)) return undefined;
  const select = stmt.SelectStmt;
  const call = calledFunction(select);
  if (call === undefined || select.whereClause !== undefined || select.op !== "SETOP_NONE") {
    return undefined;
  }
  const names = (call.FuncCall.funcname ?? []).map((n) => ("String" in n ? n.String.sval : ""));
  // Parameters of type void are dropped, as PostgreSQL's parser does: JDBC binds the OUT
  // placeholder of `{? = call f(?)}` so.
  const raw = (call.FuncCall.args ?? []).filter((a) => !("ParamRef" in a &&
    paramTypes[(a.ParamRef.number ?? 0) - 1] === voidType));
  if (names.length !== 1 || raw.some((a) => "NamedArgExpr" in a)) return undefined;
  const candidates = sqlFunctionsNamed(cluster.local.catalog, path, undefined, names[0] ?? "")
    .filter((f) => f.argTypes.length === raw.length);
  const fn = candidates.length === 1 ? candidates[0]! : undefined;
  if (fn?.plpgsql === undefined || fn.outColumns.length > 0) return undefined;
  const args: ast.Node = { SelectStmt: { targetList: raw.map((a, i) => ({ ResTarget: {
    val: { TypeCast: { arg: a, typeName: fn.argTypeNames[i]! } } } })),
  limitOption: "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE" } };
  return { fn, args };
}

/** The call of `SELECT f(…)`, or of `SELECT * FROM f(…)` (psycopg2's callproc, JDBC's call). */
function calledFunction(select: ast.SelectStmt): { FuncCall: ast.FuncCall } | undefined {
  const target = select.targetList?.length === 1 ? select.targetList[0] : undefined;
  const value = target !== undefined && "ResTarget" in target ? target.ResTarget.val : undefined;
  if (select.fromClause === undefined) {
    return value !== undefined && "FuncCall" in value ? value : undefined;
  }
  const star = value !== undefined && "ColumnRef" in value &&
    value.ColumnRef.fields?.length === 1 && "A_Star" in value.ColumnRef.fields[0]!;
  const from = select.fromClause.length === 1 ? select.fromClause[0] : undefined;
  if (!star || from === undefined || !("RangeFunction" in from)) return undefined;
  const range = from.RangeFunction;
  const items = range.functions?.length === 1 ? range.functions[0] : undefined;
  const call = items !== undefined && "List" in items ? items.List.items?.[0] : undefined;
  // JDBC's `{? = call f(?)}` is `SELECT * FROM f($1) AS result`: an alias naming no columns.
  if (range.ordinality === true || range.lateral === true ||
    range.alias?.colnames !== undefined || range.coldeflist !== undefined ||
    call === undefined || !("FuncCall" in call)) {
    return undefined;
  }
  return call;
}

/** Runs one statement of a PL/pgSQL body to its end. */
async function runOne(prepare: Prepare, request: QueryRequest, ctx: StatementContext):
  Promise<QueryResult> {
  const prepared = prepare(request.stmt, request.paramTypes, ctx);
  const cursor = prepared.open(request.params, ctx);
  let result;
  try {
    result = await cursor.fetch(0);
  } finally {
    cursor.close();
  }
  const words = (result.commandTag ?? "SELECT").split(" ");
  const command = words[0] ?? "SELECT";
  const count = Number(words[words.length - 1]);
  const columns = (result.columns ?? prepared.columns ?? [])
    .map((c) => ({ name: c.name, type: c.typeOid }));
  return { columns, rows: result.rows, command, returnsRows: prepared.columns !== null,
    rowCount: command === "SELECT" || !Number.isFinite(count) ? result.rows.length : count };
}
