/**
 * Calls of aggregates made with CREATE AGGREGATE (`catalog/user-aggregates.ts`). A call
 * resolves among the database's functions of its name like any other; when an aggregate
 * wins, `expr-call.ts` makes it an aggref (or a windowref under OVER) as it does a built-in
 * one, so FILTER, DISTINCT, ORDER BY, GROUP BY and windows work unchanged.
 *
 * What differs is the implementation: at `bindUserAggregate` the support functions are
 * analyzed as calls over placeholder columns, with the call's concrete types,
 *
 *     sfunc = array_append, stype = anycompatiblearray, input int4
 *       ->  transition  pg_catalog.array_append($state::int4[], $1::int4)   row [state, x]
 *
 * so a built-in, a SQL function (expanded in place) and a PL/pgSQL function are all called
 * the same way. The executor compiles the expressions (`execute/user-aggregate-run.ts`).
 *
 * Two more aggregates compute one in parts, as Citus's do on a cluster:
 * `worker_partial_agg('agg(int)'::regprocedure, x)` gives the state as text and
 * `coord_combine_agg('<oid>'::oid, state, NULL::result)` reads such states, merges them with
 * the COMBINEFUNC and applies the FINALFUNC.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast, Value } from "@tessera/sql";
import type { AggregateDef, FunctionDef } from "../catalog/builtins.js";
import {
  hasSqlFunctionNamed, sqlFunctionByOid, sqlFunctionsNamed, type SqlFunction,
} from "../catalog/sql-functions.js";
import { currentAnalysisSettings, inputValue } from "../catalog/type-io.js";
import { Oid, arrayOf, isPolymorphic, typeInfo } from "../catalog/types.js";
import {
  userAggregateOf, type AggSupportFunction, type UserAggregate,
} from "../catalog/user-aggregates.js";
import { coerceTo } from "./coerce.js";
import type { Expr } from "./expr.js";
import { analyzeExpr, locationOf } from "./expr-analyze.js";
import { selectCandidate, type Candidate } from "./func-select.js";
import { Scope } from "./scope.js";
import { addArgPlaceholder, removeArgPlaceholder } from "./sql-function-args.js";

/** How a bound user aggregate runs: its support calls over the row [state, args…]. */
export interface UserAggregatePlan {
  /** normal; partial: the state as text (worker_partial_agg); combine: coord_combine_agg. */
  readonly mode: "normal" | "partial" | "combine";
  readonly stateType: number;
  readonly initValue: Value;
  /** No INITCOND: a strict transition takes the first non-null input as the state. */
  readonly hasInit: boolean;
  readonly transition: Expr;
  readonly transitionStrict: boolean;
  readonly final: Expr | null;
  readonly finalStrict: boolean;
  /** FINALFUNC_EXTRA: how many null arguments follow the state. */
  readonly finalExtraCount: number;
  readonly combine: Expr | null;
  readonly combineStrict: boolean;
  /**
   * Leading arguments that are not inputs: worker_partial_agg and coord_combine_agg keep the
   * aggregate as their first, so two such calls of different aggregates never look equal.
   */
  readonly argOffset: number;
}

/** The definition a call of a user aggregate carries: bound (`plan`) or not yet. */
export interface UserAggregateDef extends AggregateDef {
  readonly userAggregate: { readonly fn: SqlFunction; readonly agg: UserAggregate };
  readonly plan?: UserAggregatePlan;
}

export function isUserAggregateDef(def: FunctionDef): def is UserAggregateDef {
  return def.kind === "aggregate" && "userAggregate" in def;
}

const unbound = (): never => {
  throw new Error("a user aggregate runs only once bound (user-aggregate-run.ts)");
};

/**
 * The user aggregate a call means, as a candidate for `expr-call.ts` to coerce and bind, or
 * undefined when none of the database's functions of the name fits or a plain one fits best.
 */
export function resolveUserAggregate(call: ast.FuncCall, names: readonly string[],
  args: readonly Expr[], scope: Scope): Candidate<FunctionDef> | undefined {
  const name = names[names.length - 1] ?? "";
  const { catalog, path } = scope.statement;
  if (names.length > 2 || !hasSqlFunctionNamed(catalog, name)) return undefined;
  const functions = sqlFunctionsNamed(catalog, path, names.length === 2 ? names[0] : undefined,
    name).filter((f) => f.argTypes.length === args.length && f.procedure !== true);
  if (!functions.some((f) => f.aggregate === true)) return undefined;
  const selection = selectCandidate(functions.map((fn) => ({ argTypes: fn.argTypes, def: fn })),
    args.map((a) => a.type), false);
  if (selection.kind !== "one" || selection.candidate.def.aggregate !== true) return undefined;
  const fn = selection.candidate.def;
  const agg = userAggregateOf(catalog, fn.oid);
  if (agg === undefined) return undefined;
  if (call.agg_star === true && fn.argTypes.length > 0) return undefined;
  return { argTypes: fn.argTypes, def: templateDef(fn, agg) };
}

function templateDef(fn: SqlFunction, agg: UserAggregate): UserAggregateDef {
  return { kind: "aggregate", name: fn.name, argTypes: fn.argTypes, returnType: fn.returnType,
    volatility: "i", stateInit: unbound, transition: unbound, final: unbound,
    userAggregate: { fn, agg } };
}

/**
 * Binds a resolved call of a user aggregate to its concrete argument and result types: the
 * support functions are analyzed now, so a missing or changed one fails this statement.
 */
export function bindUserAggregate(def: UserAggregateDef, argTypes: readonly number[],
  returnType: number, scope: Scope): UserAggregateDef {
  const { fn, agg } = def.userAggregate;
  const stateType = concreteType(agg.stateType, fn.argTypes, argTypes);
  const plan = planOf(agg, stateType, argTypes, "normal", scope);
  return { ...def, argTypes: [...argTypes], returnType, plan };
}

/** A polymorphic declared type made concrete by the call's argument types. */
function concreteType(declared: number, declaredArgs: readonly number[],
  argTypes: readonly number[]): number {
  if (!isPolymorphic(declared)) return declared;
  let element = 0;
  declaredArgs.forEach((d, i) => {
    if (element !== 0 || !isPolymorphic(d)) return;
    const actual = argTypes[i]!;
    element = isArrayFamily(d) ? typeInfo(actual).elem : actual;
  });
  return isArrayFamily(declared) ? arrayOf(element) : element;
}

function isArrayFamily(type: number): boolean {
  return type === Oid.anyarray || type === Oid.anycompatiblearray;
}

function planOf(agg: UserAggregate, stateType: number, argTypes: readonly number[],
  mode: UserAggregatePlan["mode"], scope: Scope): UserAggregatePlan {
  const transition = supportCall(agg.transition, [stateType, ...argTypes], scope);
  const extras = agg.finalExtra ? argTypes : [];
  const final = agg.final === undefined ? null
    : supportCall(agg.final, [stateType, ...extras], scope);
  const combine = agg.combine === undefined ? null
    : supportCall(agg.combine, [stateType, stateType], scope);
  return { mode, stateType,
    initValue: agg.initText === null ? null : inputValue(stateType, agg.initText, -1),
    hasInit: agg.initText !== null, transition, transitionStrict: agg.transition.strict,
    final, finalStrict: agg.final?.strict ?? false, finalExtraCount: extras.length,
    combine, combineStrict: agg.combine?.strict ?? false, argOffset: mode === "normal" ? 0 : 1 };
}

/** `schema.fn(row[0], row[1] …)`, analyzed with the row's columns typed `types`. */
function supportCall(fn: AggSupportFunction, types: readonly number[], outer: Scope): Expr {
  // A database's function is found by OID, so a later rename or move does not lose it.
  const current = fn.oid === 0 ? undefined : sqlFunctionByOid(outer.statement.catalog, fn.oid);
  const schema = current?.schema ?? fn.schema;
  const name = current?.name ?? fn.name;
  const scope = new Scope(outer.statement, undefined);
  const numbers = types.map((type, index) => addArgPlaceholder({ kind: "var", index, type,
    typmod: -1, name: `$${index + 1}`, tableOid: 0, attnum: 0 }, scope));
  try {
    const call: ast.Node = { FuncCall: {
      funcname: [schema, name].map((sval) => ({ String: { sval } })),
      args: numbers.map((number): ast.Node => ({ ParamRef: { number } })),
      funcformat: "COERCE_EXPLICIT_CALL" } };
    return analyzeExpr(call, scope);
  } finally {
    for (const number of numbers) removeArgPlaceholder(number);
  }
}

/** The names of the partial-aggregation functions, in case a database defines its own. */
export function isPartialAggregateCall(name: string, names: readonly string[],
  scope: Scope): boolean {
  if (name !== "worker_partial_agg" && name !== "coord_combine_agg") return false;
  if (names.length === 2 && names[0] !== "pg_catalog") return false;
  return !hasSqlFunctionNamed(scope.statement.catalog, name);
}

/**
 * worker_partial_agg(aggregate, args…) and coord_combine_agg(aggregate, state, null::result):
 * the definition and analyzed arguments for `expr-call.ts` to make an aggref of.
 */
export function partialAggregate(name: string, call: ast.FuncCall, scope: Scope):
  { def: UserAggregateDef; args: Expr[]; returnType: number } {
  const raw = call.args ?? [];
  const loc = locationOf(call.location);
  const { oid, expr: aggregate } = constantOid(raw[0], scope, name, loc);
  const fn = sqlFunctionByOid(scope.statement.catalog, oid);
  const agg = fn === undefined ? undefined : userAggregateOf(scope.statement.catalog, oid);
  if (fn === undefined || agg === undefined || agg.combine === undefined ||
    isPolymorphic(agg.stateType)) {
    throw new SqlError(SqlState.featureNotSupported,
      `${name} needs an aggregate with a combine function and a known state type`, loc);
  }
  const template = templateDef(fn, agg);
  const params = scope.statement.params;
  if (name === "worker_partial_agg") {
    const args = raw.slice(1).map((a, i) => {
      const arg = analyzeExpr(a, scope);
      const declared = fn.argTypes[i];
      return declared === undefined || isPolymorphic(declared) ? arg
        : coerceTo(arg, declared, -1, "i", params);
    });
    const types = args.map((a) => a.type);
    const plan = planOf(agg, agg.stateType, types, "partial", scope);
    return { def: { ...template, argTypes: [aggregate.type, ...types], returnType: Oid.text,
      plan }, args: [aggregate, ...args], returnType: Oid.text };
  }
  const state = coerceTo(analyzeExpr(raw[1]!, scope), Oid.text, -1, "a", params);
  // The third argument, a typed null, says the result type (as Citus writes it).
  const typed = raw[2] === undefined ? [] : [analyzeExpr(raw[2], scope)];
  const result = typed[0]?.type ?? fn.returnType;
  const plan = planOf(agg, agg.stateType, fn.argTypes, "combine", scope);
  const args = [aggregate, state, ...typed];
  return { def: { ...template, argTypes: args.map((a) => a.type), returnType: result, plan },
    args, returnType: result };
}

/** The aggregate's OID from a constant first argument ('f(int)'::regprocedure, '16390'::oid). */
function constantOid(node: ast.Node | undefined, scope: Scope, name: string,
  loc: { location?: number }): { oid: number; expr: Expr } {
  const expr = node === undefined ? undefined : analyzeExpr(node, scope);
  const folded = expr === undefined ? null : expr.kind === "const" ? expr.value
    : expr.kind === "cast" && expr.arg.kind === "const" && expr.arg.value !== null
      ? expr.fn(expr.arg.value, currentAnalysisSettings()) : null;
  if (expr === undefined || typeof folded !== "number") {
    throw new SqlError(SqlState.featureNotSupported,
      `${name} needs a constant aggregate as its first argument`, loc);
  }
  return { oid: folded, expr };
}
