/**
 * PL/pgSQL run by a host that waits and keeps its own transaction: the coordinator's, whose
 * statements go through its distributed planner and whose subtransactions (BEGIN …
 * EXCEPTION) are savepoints on every node of the transaction. The caller supplies the
 * statements and subtransactions (`HostedStatements`); types, casts, output and the lookup of
 * procedures come from the local engine. DO blocks, scalar calls and CALL run here, driven
 * asynchronously (`drive.ts`), pausing for timers and cancel requests as DO does.
 *
 * `writtenBody` lists the SQL a body runs as written, so such a host can choose before
 * running it whether the local engine alone can (EXECUTE's strings and nested calls are not
 * listed: the host learns of them when they run).
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast, Row, Value } from "@tessera/sql";
import type { StatementContext } from "../api.js";
import { argNamesOf, argValue } from "../analyze/call-placement.js";
import { compositeAttributes } from "../catalog/composite-types.js";
import { rowTypeColumns, rowTypeRelation } from "../catalog/row-types.js";
import { sqlFunctionsNamed, type SqlFunction } from "../catalog/sql-functions.js";
import { Oid } from "../catalog/types.js";
import type { Engine } from "../engine.js";
import { callFunction, callProcedure, plFunctionOf, shapeOf } from "./call.js";
import { doBlockBody, inlineName } from "./do-block.js";
import { runAsync } from "./drive.js";
import { plSignature } from "./engine-call.js";
import { EngineHost } from "./engine-host.js";
import { parsedExpr } from "./expressions.js";
import type { PlHost, QueryRequest, QueryResult } from "./host.js";
import { parseFunction } from "./parse-tree.js";
import {
  inputArgs, isUntyped, outPositions, resolveCall, selectOf,
} from "./procedure-args.js";
import { createFunctionText } from "./source-text.js";
import type { PlExpr, PlFunction } from "./tree.js";

/** What the caller's host does itself: statements and subtransactions. */
export interface HostedStatements {
  query(request: QueryRequest): Promise<QueryResult>;
  /** Starts a subtransaction; the mark goes back to `rollbackSubtransaction` or `release…`. */
  beginSubtransaction(): Promise<number>;
  /** Rolls back to the mark and ends the subtransaction (an EXCEPTION handler runs next). */
  rollbackSubtransaction(mark: number): Promise<void>;
  releaseSubtransaction(mark: number): Promise<void>;
  /** True inside a transaction block: COMMIT and ROLLBACK may not run (2D000). */
  atomic(): boolean;
  /** COMMIT or ROLLBACK in the body, where `atomic` is false; without it they are 2D000. */
  endTransaction?(commit: boolean, chain: boolean): Promise<void>;
}

/** The host: `statements` for SQL and subtransactions, the local engine for the rest. */
function hostOf(engine: Engine, ctx: StatementContext, statements: HostedStatements): PlHost {
  const local = new EngineHost(engine, engine.runtime([], ctx), "v", true);
  return {
    query: (request) => statements.query(request),
    beginSubtransaction: () => statements.beginSubtransaction(),
    rollbackSubtransaction: (mark) => statements.rollbackSubtransaction(mark),
    releaseSubtransaction: (mark) => statements.releaseSubtransaction(mark),
    atomic: () => statements.atomic(),
    ...(statements.endTransaction !== undefined && {
      endTransaction: statements.endTransaction.bind(statements) }),
    notice: (notice) => ctx.notice(notice),
    cast: (value, from, to, typmod) => local.cast(value, from, to, typmod),
    text: (value, type) => local.text(value, type),
    resolveType: (typeName) => local.resolveType(typeName),
    typeScope: () => local.typeScope(),
    procedure: local.procedure.bind(local),
    functionOwner: local.functionOwner.bind(local),
    pause: () => new Promise((resolve) => setImmediate(resolve)),
    signal: ctx.signal,
    settingChanges: ctx.settingChanges,
    cursors: ctx.cursors,
    canWait: true,
  };
}

const voidShape = { setOf: false, type: Oid.void, columns: undefined } as const;

function doFunction(stmt: ast.DoStmt): PlFunction {
  return parseFunction(createFunctionText(inlineName, [], "void", doBlockBody(stmt)),
    inlineName, inlineName, []);
}

/** Runs a DO block on the caller's host. */
export async function runDoHosted(engine: Engine, stmt: ast.DoStmt, ctx: StatementContext,
  statements: HostedStatements): Promise<void> {
  await runAsync(callFunction(doFunction(stmt), hostOf(engine, ctx, statements), voidShape,
    []));
}

/**
 * Calls a PL/pgSQL function with `args` (of its argument types) on the host: its value, or
 * for a set-returning function of a scalar type its values, one a row.
 */
export async function callHosted(engine: Engine, fn: SqlFunction, args: readonly Value[],
  ctx: StatementContext, statements: HostedStatements): Promise<Value | Value[][]> {
  if (fn.strict && args.some((a) => a === null)) return fn.setOf ? [] : null;
  const rel = rowTypeRelation(engine.catalog, fn.returnType);
  const shape = shapeOf(fn,
    rel === undefined ? compositeAttributes(fn.returnType) : rowTypeColumns(rel));
  if (fn.setOf && shape.columns !== undefined) {
    throw notSupported(`set-returning PL/pgSQL function ${fn.name} of a row type at the ` +
      "top level on the coordinator");
  }
  const outcome = await runAsync(callFunction(plFunctionOf(fn, () => plSignature(fn)),
    hostOf(engine, ctx, statements), shape, args));
  return fn.setOf ? outcome.rows.map((row) => [...row]) : outcome.value;
}

/**
 * A top-level CALL of a PL/pgSQL procedure on the host, bound as the engine's CALL binds it
 * (`procedure-args.ts`): the input arguments are evaluated through the host (with the
 * CALL's parameters `bound`, `$n`, as the local engine typed them) and cast to the parameter
 * types; resolves to the OUT and INOUT values, or undefined without any.
 */
export async function callProcedureHosted(engine: Engine, stmt: ast.CallStmt,
  ctx: StatementContext, statements: HostedStatements,
  bound: { readonly paramTypes: readonly number[]; readonly params: readonly Value[] }):
  Promise<Row | undefined> {
  const call = stmt.funccall;
  if (call === undefined) throw new SqlError(SqlState.syntaxError, "CALL without a procedure");
  const names = (call.funcname ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : ""));
  const given = call.args ?? [];
  const raw = given.map(argValue);
  const { paramTypes, params } = bound;
  // The arguments' types come from planning them; they run once, cast, below.
  const columns = raw.length === 0 ? []
    : engine.prepare(selectOf(raw), paramTypes, ctx).columns ?? [];
  const types = columns.map((c, i) =>
    (isUntyped(raw[i]!, paramTypes) ? Oid.unknown : c.typeOid));
  const resolved = resolveCall(engine.statementScope(paramTypes, ctx), names, types,
    argNamesOf(given));
  const inputs = inputArgs(resolved, raw);
  const args = inputs.length === 0 ? [] : (await statements.query({ stmt: selectOf(inputs),
    cacheKey: undefined, paramTypes, params })).rows[0] ?? [];
  const fn = resolved.fn;
  const outs = outPositions(resolved);
  const values = await runAsync(callProcedure(plFunctionOf(fn, () => plSignature(fn)),
    hostOf(engine, ctx, statements), args, outs));
  return outs.length === 0 ? undefined : values.map((v) => v.value);
}

/** The procedures a CALL may name (any argument types): a host checks their bodies. */
export function proceduresNamed(engine: Engine, stmt: ast.CallStmt, ctx: StatementContext):
  SqlFunction[] {
  const names = (stmt.funccall?.funcname ?? [])
    .map((n) => ("String" in n ? n.String.sval ?? "" : ""));
  const path = engine.statementScope([], ctx).path;
  return sqlFunctionsNamed(engine.catalog, path, names.length > 1 ? names[names.length - 2]
    : undefined, names[names.length - 1] ?? "").filter((f) => f.procedure === true &&
    f.plpgsql !== undefined);
}

/** What a body holds as written (see the file's comment). */
export interface WrittenBody {
  /** Its SQL statements and expressions, parsed (not EXECUTE's strings). */
  readonly statements: readonly ast.Node[];
  /** It has COMMIT or ROLLBACK: a run of it cannot be taken back and tried again. */
  readonly endsTransactions: boolean;
}

/** The body of a DO block or of a PL/pgSQL function, as written. */
export function writtenBody(target: { readonly doStmt: ast.DoStmt } |
  { readonly fn: SqlFunction }): WrittenBody {
  const fn = "doStmt" in target ? doFunction(target.doStmt)
    : plFunctionOf(target.fn, () => plSignature(target.fn));
  const isRecord = (n: number): boolean => fn.datums[n]?.kind !== "var";
  const statements: ast.Node[] = [];
  const found = { endsTransactions: false };
  for (const expr of exprsOf(fn.body, [], found)) {
    try {
      statements.push(parsedExpr(expr, isRecord).stmt);
    } catch {
      // A text that does not parse fails when run, with the error the user should see.
    }
  }
  return { statements, endsTransactions: found.endsTransactions };
}

/**
 * Every expression and statement a tree holds, in order (not EXECUTE's strings); notes a
 * COMMIT or ROLLBACK in `found`.
 */
function exprsOf(value: unknown, out: PlExpr[], found: { endsTransactions: boolean }):
  PlExpr[] {
  if (Array.isArray(value)) {
    for (const item of value) exprsOf(item, out, found);
  } else if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (typeof record["query"] === "string" && typeof record["mode"] === "number") {
      out.push(record as unknown as PlExpr);
      return out;
    }
    if (record["kind"] === "endTransaction") found.endsTransactions = true;
    for (const [key, inner] of Object.entries(record)) {
      if (key !== "scope") exprsOf(inner, out, found);
    }
  }
  return out;
}
