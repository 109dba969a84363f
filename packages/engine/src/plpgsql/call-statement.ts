/**
 * CALL p(args) of a PL/pgSQL procedure (CREATE PROCEDURE … LANGUAGE plpgsql): the arguments
 * are evaluated and cast to the parameter types, then the body runs inside the CALL
 * statement, as a DO block does (pausing for timers and cancel requests). Transaction
 * control inside a procedure (COMMIT, ROLLBACK) is refused with 0A000 (2D000 inside a
 * transaction block). `findProcedure` also serves CALL inside a body (`call-in-body.ts`).
 * A top-level CALL binds named arguments and fills omitted ones from parameter DEFAULTs
 * as function calls do (`analyze/call-placement.ts`).
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { StatementScope } from "../analyze/scope.js";
import { sqlFunctionsNamed, type SqlFunction } from "../catalog/sql-functions.js";
import { checkFunctionExecute } from "../catalog/permission-checks.js";
import { Oid, formatTypeName } from "../catalog/types.js";
import type { Engine } from "../engine.js";
import { callFunction, plFunctionOf } from "./call.js";
import { runAsync } from "./drive.js";
import { plSignature } from "./engine-call.js";
import { EngineHost } from "./engine-host.js";
import {
  argNamesOf, argValue, fillArgs, placeArgs, placedTypes,
} from "../analyze/call-placement.js";

export async function runCall(engine: Engine, stmt: ast.CallStmt, statement: StatementScope):
  Promise<string> {
  const call = stmt.funccall;
  if (call === undefined) throw new SqlError(SqlState.syntaxError, "CALL without a procedure");
  const names = (call.funcname ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : ""));
  const given = call.args ?? [];
  const raw = given.map(argValue);
  const host = new EngineHost(engine, engine.runtime([], statement.ctx), "v", true);
  const select = (targets: ast.Node[]): ast.Node => ({ SelectStmt: { targetList: targets
    .map((val) => ({ ResTarget: { val } })), limitOption: "LIMIT_OPTION_DEFAULT",
  op: "SETOP_NONE" } });
  const plain = raw.length === 0 ? { columns: [], rows: [[]] }
    : host.query({ stmt: select(raw), cacheKey: undefined, paramTypes: [], params: [] });
  // A quoted literal is of type unknown until a parameter type is chosen, as in messages.
  const types = plain.columns.map((c, i) => {
    const arg = raw[i];
    return arg !== undefined && "A_Const" in arg && arg.A_Const.sval !== undefined
      ? Oid.unknown : c.type;
  });
  const argNames = argNamesOf(given);
  const fn = findProcedure(statement, names, types, argNames);
  const filled = fillArgs(placeArgs(argNames, fn)!, raw, (e) => e,
    (elements): ast.Node => ({ A_ArrayExpr: { elements } }));
  const args = filled.length === 0 ? [] : host.query({ stmt: select(filled.map((arg, i) =>
    ({ TypeCast: { arg, typeName: fn.argTypeNames[i]! } }))), cacheKey: undefined,
  paramTypes: [], params: [] }).rows[0] ?? [];
  await runAsync(callFunction(plFunctionOf(fn, () => plSignature(fn)), host,
    { setOf: false, type: Oid.void, columns: undefined }, args));
  return "CALL";
}

/** The procedure `names` for arguments of `types`, which the current user may execute. */
export function findProcedure(statement: StatementScope, names: readonly string[],
  types: readonly number[], given?: readonly (string | undefined)[]): SqlFunction {
  const name = names[names.length - 1] ?? "";
  // Without `given` (CALL inside a body) every argument must be written: no defaults.
  const argNames = given ?? types.map(() => undefined);
  const named = sqlFunctionsNamed(statement.catalog, statement.path,
    names.length > 1 ? names[names.length - 2] : undefined, name)
    .filter((f) => placeArgs(argNames, f) !== undefined &&
      (given !== undefined || f.argTypes.length === types.length));
  const candidates = named.filter((f) => f.procedure === true);
  const shown = types.map((t, i) => `${argNames[i] === undefined ? "" : `${argNames[i]} => `}` +
    formatTypeName(t, -1)).join(", ");
  if (candidates.length === 0 && named.length > 0) {
    throw new SqlError(SqlState.wrongObjectType, `${name}(${shown}) is not a procedure`,
    { hint: "To call a function, use SELECT." });
  }
  const fn = candidates.length === 1 ? candidates[0]
    : candidates.find((f) => placedTypes(placeArgs(argNames, f)!).every((t, i) =>
      t === types[i]));
  if (fn === undefined) {
    throw new SqlError(SqlState.undefinedFunction, `procedure ${name}(${shown}) does not exist`, {
      hint: "No procedure matches the given name and argument types. You might need to add " +
        "explicit type casts." });
  }
  checkFunctionExecute(statement.catalog, fn, statement.ctx);
  return fn;
}
