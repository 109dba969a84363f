/**
 * Which procedure a CALL means and where its arguments go, as PostgreSQL 15 binds them: a
 * CALL passes every parameter, OUT ones too (`CALL p(1, NULL)` for `p(INOUT a int, OUT b
 * text)`; inside PL/pgSQL a variable that receives the value), so the candidates are matched
 * on all their parameters by the usual overload rules (`analyze/func-select.ts`), named
 * arguments and DEFAULTs included (`analyze/call-placement.ts`). The top-level CALL
 * (`call-statement.ts`) and CALL inside a body (`call-in-body.ts`) share this.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { StatementScope } from "../analyze/scope.js";
import { fillArgs, placeArgs, placedTypes, type Placement } from "../analyze/call-placement.js";
import { selectCandidate } from "../analyze/func-select.js";
import { checkFunctionExecute } from "../catalog/permission-checks.js";
import {
  sqlFunctionsNamed, type ParamDefault, type SqlFunction,
} from "../catalog/sql-functions.js";
import { formatTypeName } from "../catalog/types.js";

/** A parameter as CALL passes it: i (IN), o (OUT), b (INOUT) or v (VARIADIC). */
export interface CallParam {
  readonly name: string;
  readonly type: number;
  readonly mode: string;
}

/** The procedure a CALL resolved to, and its arguments placed on its parameters. */
export interface ResolvedCall {
  readonly fn: SqlFunction;
  /** Every parameter CALL passes, in order. */
  readonly params: readonly CallParam[];
  readonly placement: Placement;
}

/** The parameters a CALL of `fn` passes. */
export function callParams(fn: SqlFunction): CallParam[] {
  const pl = fn.plpgsql;
  if (fn.procedure !== true || pl === undefined || pl.argModes.length === 0) {
    const last = fn.argTypes.length - 1;
    return fn.argTypes.map((type, i) => ({ name: fn.argNames[i] ?? "", type,
      mode: fn.variadic !== undefined && i === last ? "v" : "i" }));
  }
  return pl.allArgTypes.map((type, i) => ({ name: pl.allArgNames[i] ?? "", type,
    mode: pl.argModes[i] ?? "i" }));
}

const recordTypeName: ast.TypeName = { names: [{ String: { sval: "record" } }], typemod: -1 };

/**
 * `fn` seen with all its CALL parameters as arguments, for the placement functions: OUT
 * parameters have no DEFAULT and are never cast (their type name is a stand-in).
 */
function callView(fn: SqlFunction, params: readonly CallParam[]): SqlFunction {
  if (params.length === fn.argTypes.length) return fn;
  const typeNames: ast.TypeName[] = [];
  const defaults: (ParamDefault | undefined)[] = [];
  let input = 0;
  for (const p of params) {
    const isInput = p.mode !== "o";
    typeNames.push(isInput ? fn.argTypeNames[input]! : recordTypeName);
    defaults.push(isInput ? fn.argDefaults?.[input] : undefined);
    if (isInput) input++;
  }
  return { ...fn, argTypes: params.map((p) => p.type), argNames: params.map((p) => p.name),
    argTypeNames: typeNames, ...(fn.argDefaults !== undefined && { argDefaults: defaults }) };
}

/** `p(integer, b => unknown)`, as PostgreSQL names a call in its messages. */
function callShown(name: string, types: readonly number[],
  argNames: readonly (string | undefined)[]): string {
  return `${name}(${types.map((t, i) => `${argNames[i] === undefined ? "" : `${argNames[i]} => `}` +
    formatTypeName(t, -1)).join(", ")})`;
}

/**
 * The procedure `names` for arguments of `types` (unknown for untyped literals, NULL and
 * parameters) named `argNames` (undefined for positional ones), which the user may execute.
 */
export function resolveCall(statement: StatementScope, names: readonly string[],
  types: readonly number[], argNames: readonly (string | undefined)[]): ResolvedCall {
  const name = names[names.length - 1] ?? "";
  const schema = names.length > 1 ? names[names.length - 2] : undefined;
  const placed = sqlFunctionsNamed(statement.catalog, statement.path, schema, name)
    .flatMap((fn): ResolvedCall[] => {
      const params = callParams(fn);
      const placement = placeArgs(argNames, callView(fn, params));
      return placement === undefined ? [] : [{ fn, params, placement }];
    });
  const procedures = placed.filter((c) => c.fn.procedure === true);
  const shown = callShown(name, types, argNames);
  const selection = selectCandidate(procedures.map((c) =>
    ({ argTypes: placedTypes(c.placement), def: c })), types, false);
  if (selection.kind === "ambiguous") {
    throw new SqlError(SqlState.ambiguousFunction, `procedure ${shown} is not unique`, {
      hint: "Could not choose a best candidate procedure. You might need to add explicit " +
        "type casts." });
  }
  if (selection.kind === "none") {
    if (procedures.length === 0 && placed.length > 0) {
      throw new SqlError(SqlState.wrongObjectType, `${shown} is not a procedure`,
        { hint: "To call a function, use SELECT." });
    }
    throw new SqlError(SqlState.undefinedFunction, `procedure ${shown} does not exist`, {
      hint: "No procedure matches the given name and argument types. You might need to add " +
        "explicit type casts." });
  }
  const chosen = selection.candidate.def;
  checkFunctionExecute(statement.catalog, chosen.fn, statement.ctx);
  return chosen;
}

/**
 * The expressions a call passes to the procedure's body, one per input parameter (IN,
 * INOUT, VARIADIC) cast to its type: the given argument, its DEFAULT, or the packed
 * VARIADIC elements. `given` are the call's argument expressions, in the call's order.
 */
export function inputArgs(call: ResolvedCall, given: readonly ast.Node[]): ast.Node[] {
  const filled = fillArgs(call.placement, given, (e) => e,
    (elements): ast.Node => ({ A_ArrayExpr: { elements } }));
  const typeNames = call.placement.fn.argTypeNames;
  return filled.flatMap((arg, i) => (call.params[i]!.mode === "o" ? []
    : [{ TypeCast: { arg, typeName: typeNames[i]! } }]));
}

/** Per OUT or INOUT parameter, in order: its index among the CALL's parameters. */
export function outPositions(call: ResolvedCall): number[] {
  return call.params.flatMap((p, i) => (p.mode === "o" || p.mode === "b" ? [i] : []));
}

/** The given argument (its index in the call) bound to parameter `at`, or -1 (a DEFAULT). */
export function argumentAt(call: ResolvedCall, at: number): number {
  return call.placement.positions.indexOf(at);
}

/** `SELECT e1, e2, …`: the form argument expressions are analyzed and run in. */
export function selectOf(targets: readonly ast.Node[]): ast.Node {
  return { SelectStmt: { targetList: targets.map((val) => ({ ResTarget: { val } })),
    limitOption: "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE" } };
}

/** Untyped arguments (a quoted literal, NULL, a parameter without a type) are unknown. */
export function isUntyped(arg: ast.Node, paramTypes: readonly number[]): boolean {
  if ("A_Const" in arg) return arg.A_Const.sval !== undefined || arg.A_Const.isnull === true;
  if ("ParamRef" in arg) {
    const type = paramTypes[(arg.ParamRef.number ?? 0) - 1];
    return type === undefined || type === 0 || type === 705;
  }
  return false;
}
