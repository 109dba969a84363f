/**
 * The top-level CALL p(args) of a procedure (CREATE PROCEDURE … LANGUAGE plpgsql or sql).
 * Prepared like a query: the procedure is chosen among those named so by all the arguments
 * the CALL passes, OUT ones too (`procedure-args.ts`); parameters (`CALL p($1, NULL)`) take
 * the types of the procedure's parameters. A procedure with OUT or INOUT parameters returns
 * one row of them (its columns described before it runs, as PostgreSQL's RowDescription);
 * the command tag is CALL either way.
 *
 * When run, the input arguments are evaluated and cast to the parameter types, then the
 * body runs inside the CALL statement, as a DO block does (pausing for timers and cancel
 * requests). Outside a transaction block it may COMMIT and ROLLBACK
 * (`procedure-transactions.ts`).
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast, Row, Value } from "@tessera/sql";
import type { ColumnInfo, Cursor, FetchResult, PreparedStatement, StatementContext }
  from "../api.js";
import { argNamesOf, argValue } from "../analyze/call-placement.js";
import type { StatementScope } from "../analyze/scope.js";
import { Oid, typeInfo } from "../catalog/types.js";
import type { Engine } from "../engine.js";
import { callProcedure, plFunctionOf } from "./call.js";
import { runAsync } from "./drive.js";
import { plSignature } from "./engine-call.js";
import {
  inputArgs, isUntyped, outPositions, resolveCall, selectOf, type ResolvedCall,
} from "./procedure-args.js";
import { procedureHost } from "./procedure-transactions.js";

/** Prepares `CALL p(…)`: the procedure, its parameters' types and its result columns. */
export function prepareCall(engine: Engine, stmt: ast.CallStmt, statement: StatementScope):
  PreparedStatement {
  const call = stmt.funccall;
  if (call === undefined) throw new SqlError(SqlState.syntaxError, "CALL without a procedure");
  const names = (call.funcname ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : ""));
  const given = call.args ?? [];
  const raw = given.map(argValue);
  const resolved = resolveCall(statement, names, argumentTypes(engine, raw, statement),
    argNamesOf(given));
  const inputs = inputArgs(resolved, raw);
  const select = inputs.length === 0 ? undefined : selectOf(inputs);
  // Planned now for its errors and the types it gives `$n`; run with the CALL's parameters.
  if (select !== undefined) engine.planQuery(select, statement);
  const paramTypes = statement.params.types.map((t) =>
    (t === 0 || t === Oid.unknown ? Oid.text : t));
  const outs = outPositions(resolved);
  const columns = outs.length === 0 ? null : outs.map((at, i) => columnOf(resolved, at, i));
  return { paramTypes, columns, open: (params, ctx) => callCursor(() =>
    runProcedure(engine, resolved, select, paramTypes, params, ctx)) };
}

/** The types of the arguments as written: unknown for untyped ones. */
function argumentTypes(engine: Engine, raw: readonly ast.Node[], statement: StatementScope):
  number[] {
  if (raw.length === 0) return [];
  const clientTypes = statement.params.types;
  const scope = engine.statementScope(clientTypes, statement.ctx);
  const planned = engine.planQuery(selectOf(raw), scope);
  return (planned.columns ?? []).map((c, i) =>
    (isUntyped(raw[i]!, clientTypes) ? Oid.unknown : c.type));
}

/** The result column of OUT or INOUT parameter `at`, the `n`th of them. */
function columnOf(resolved: ResolvedCall, at: number, n: number): ColumnInfo {
  const param = resolved.params[at]!;
  return { name: param.name === "" ? `column${n + 1}` : param.name, tableOid: 0,
    columnNumber: 0, typeOid: param.type, typeSize: typeInfo(param.type).len,
    typeModifier: -1 };
}

/** Runs the procedure; resolves to its OUT and INOUT values, or undefined without any. */
async function runProcedure(engine: Engine, resolved: ResolvedCall,
  select: ast.Node | undefined, paramTypes: readonly number[], params: readonly Value[],
  ctx: StatementContext): Promise<Row | undefined> {
  const host = procedureHost(engine, engine.runtime([], ctx));
  const args = select === undefined ? [] : (await host.query({ stmt: select,
    cacheKey: undefined, paramTypes, params })).rows[0] ?? [];
  const fn = resolved.fn;
  const outs = outPositions(resolved);
  const values = await runAsync(callProcedure(plFunctionOf(fn, () => plSignature(fn)), host,
    args, outs));
  return outs.length === 0 ? undefined : values.map((v) => v.value);
}

/** The cursor of a CALL: its first fetch runs it and returns its row, if any. */
function callCursor(run: () => Promise<Row | undefined>): Cursor {
  let done = false;
  return {
    fetch: async (): Promise<FetchResult> => {
      if (done) return { rows: [] };
      done = true;
      const row = await run();
      return { rows: row === undefined ? [] : [row], commandTag: "CALL" };
    },
    close: () => { done = true; },
  };
}
