/**
 * PL/pgSQL on the coordinator. A DO block, while Citus tables exist, runs its statements
 * through the coordinator's own planner (`session/distributed-engine.ts`), as Citus runs a
 * DO block's statements through its distributed planner: a statement on a distributed table
 * goes to the workers, one on a local table to the local engine (`runDoAsync` in the engine).
 *
 * A function called by a query runs inside that query's local statement, synchronously; its
 * statements cannot wait for workers there, so one that names a Citus table is refused with
 * 0A000 (`installPlpgsqlGuard`), never run against the coordinator's empty shell table.
 * Functions themselves are created on the workers like SQL functions (`type-function-ddl.ts`).
 */
import { SqlError, SqlState } from "@tessera/base";
import {
  callPlpgsqlAsync, doBlockStatements, isWaitingFunctionRefusal, runDoAsync,
  setPlpgsqlStatementCheck, sqlFunctionsNamed,
  type FetchResult, type PreparedStatement, type QueryRequest, type QueryResult,
  type SqlFunction, type StatementContext,
} from "@tessera/engine";
import type { ast, Value } from "@tessera/sql";
import type { Cluster } from "../cluster.js";
import { bufferedCursor } from "../executor/cursor.js";
import { classify } from "../planner/classify.js";

const guardMessage = "PL/pgSQL statements on the distributed table";

type Prepare = (stmt: ast.Node, paramTypes: readonly number[], ctx: StatementContext) =>
  PreparedStatement;

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
        hint: "Call the function with SELECT f(…) at the top level or use a DO block." });
  });
}

function namesCitusTable(cluster: Cluster, stmt: ast.Node, path: readonly string[]): boolean {
  try {
    return classify(stmt, cluster.local.catalog, path, cluster.metadata.cache).citus.length > 0;
  } catch {
    return false; // Run as written: the statement's own error comes when it runs.
  }
}

/**
 * True for the guard's refusal, or a function that waits (create_distributed_table in a DO
 * block): the block must run through the distributed planner, asynchronously.
 */
function needsDistribution(error: unknown): boolean {
  return (error instanceof SqlError && error.code === SqlState.featureNotSupported &&
    error.message.startsWith(guardMessage)) || isWaitingFunctionRefusal(error);
}

/** Runs `local` to its end; false when a PL/pgSQL statement needs the distributed planner. */
async function tryLocal(local: PreparedStatement, ctx: StatementContext,
  params: readonly Value[] = []): Promise<FetchResult | undefined> {
  const cursor = local.open(params, ctx);
  try {
    return await cursor.fetch(0);
  } catch (error) {
    if (needsDistribution(error)) return undefined;
    throw error;
  } finally {
    cursor.close();
  }
}

/**
 * A DO block, or `SELECT f(…)` of a scalar PL/pgSQL function, while Citus tables exist:
 * run in the local engine first; when one of its statements names a Citus table (nothing
 * of the attempt stays: the local statement is undone, no worker was reached) it runs again
 * with `prepare` (the distributed engine) running its statements. Undefined otherwise.
 */
export function preparePlpgsql(cluster: Cluster, stmt: ast.Node, prepare: Prepare,
  prepareLocal: Prepare, paramTypes: readonly number[], prepareCtx: StatementContext):
  PreparedStatement | undefined {
  // A DO block may distribute its first table (create_distributed_table), so it is tried here
  // even before Citus tables exist.
  if (!hasCitusTables(cluster) && !("DoStmt" in stmt)) return undefined;
  if ("DoStmt" in stmt) {
    const doStmt = stmt.DoStmt;
    const local = prepareLocal(stmt, [], prepareCtx);
    // A block that names a Citus table goes to the planner at once; others try locally
    // first (a statement EXECUTE builds, or a function it calls, may still name one).
    const path = cluster.local.statementScope([], prepareCtx).path;
    const distributed = doBlockStatements(doStmt).some((s) => namesCitusTable(cluster, s, path));
    return { paramTypes: [], columns: null, open: (_params, ctx) => bufferedCursor(async () => {
      if (distributed || await tryLocal(local, ctx) === undefined) {
        await runDoAsync(cluster.local, doStmt, ctx, (request) => runOne(prepare, request, ctx));
      }
      return { rows: [], commandTag: "DO" };
    }) };
  }
  const path = cluster.local.statementScope([], prepareCtx).path;
  const call = topLevelCall(cluster, stmt, path);
  if (call === undefined) return undefined;
  const local = prepareLocal(stmt, paramTypes, prepareCtx);
  return { paramTypes: local.paramTypes, columns: local.columns, open: (params, ctx) =>
    bufferedCursor(async () => {
      const result = await tryLocal(local, ctx, params);
      if (result !== undefined) {
        return { rows: result.rows, commandTag: result.commandTag ?? "SELECT 1" };
      }
      const args = await runOne(prepareLocal, { stmt: call.args, cacheKey: undefined,
        paramTypes: local.paramTypes, params }, ctx);
      const value = await callPlpgsqlAsync(cluster.local, call.fn, args.rows[0] ?? [], ctx,
        (request) => runOne(prepare, request, ctx));
      return { rows: [[value]], commandTag: "SELECT 1" };
    }) };
}

/** `SELECT f(a, b)` of a scalar PL/pgSQL function: the function and `SELECT a::t, b::u`. */
function topLevelCall(cluster: Cluster, stmt: ast.Node, path: readonly string[]):
  { fn: SqlFunction; args: ast.Node } | undefined {
  if (!("SelectStmt" in stmt)) return undefined;
  const select = stmt.SelectStmt;
  const target = select.targetList?.length === 1 ? select.targetList[0] : undefined;
  const call = target !== undefined && "ResTarget" in target ? target.ResTarget.val : undefined;
  if (call === undefined || !("FuncCall" in call) || select.fromClause !== undefined ||
    select.whereClause !== undefined || select.op !== "SETOP_NONE") return undefined;
  const names = (call.FuncCall.funcname ?? []).map((n) => ("String" in n ? n.String.sval : ""));
  const raw = call.FuncCall.args ?? [];
  if (names.length !== 1 || raw.some((a) => "NamedArgExpr" in a)) return undefined;
  const candidates = sqlFunctionsNamed(cluster.local.catalog, path, undefined, names[0] ?? "")
    .filter((f) => f.argTypes.length === raw.length);
  const fn = candidates.length === 1 ? candidates[0]! : undefined;
  if (fn?.plpgsql === undefined || fn.setOf || fn.outColumns.length > 0) return undefined;
  const args: ast.Node = { SelectStmt: { targetList: raw.map((a, i) => ({ ResTarget: {
    val: { TypeCast: { arg: a, typeName: fn.argTypeNames[i]! } } } })),
  limitOption: "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE" } };
  return { fn, args };
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
