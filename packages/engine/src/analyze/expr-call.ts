/**
 * Function calls (Postgres's parse_func.c ParseFuncOrColumn): scalar functions, aggregates
 * (with DISTINCT, ORDER BY and FILTER), window functions, set-returning functions in the select
 * list, and the SQL-standard value functions (current_date, current_user …).
 */
import { sessionUserOf } from "../catalog/roles.js";
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast, Value } from "@tessera/sql";
import { functionsNamed, type CallInfo, type FunctionDef } from "../catalog/builtins.js";
import {
  Oid,
  arrayOf,
  formatTypeName,
  isPolymorphic,
  typeByNameOrUndefined,
  typeInfo,
} from "../catalog/types.js";
import { coerceTo, commonType } from "./coerce.js";
import type { BoundImpl, EvalLike, Expr, SortKey, WindowRefName } from "./expr.js";
import { exprKey } from "./grouping.js";
import { analyzeExpr, asBoolean, locationOf } from "./expr-analyze.js";
import { selectCandidate, type Candidate } from "./func-select.js";
import { placeNamedArgs, splitNamedArgs, type NamedArg } from "./named-args.js";
import { analyzeSortKeys, analyzeWindowSpec } from "./window-spec.js";
import { someExpr } from "./expr-map.js";
import { analyzeAggFilter, analyzeOrderedSet } from "./ordered-set.js";
import type { Scope } from "./scope.js";
import { withResultColumns } from "./record-columns.js";
import { srfResultType } from "./srf-records.js";
import { enumFunction } from "./enum-calls.js";
import { analyzeSqlFunctionCall } from "./sql-function-call.js";
import {
  bindUserAggregate, isPartialAggregateCall, isUserAggregateDef, partialAggregate,
  resolveUserAggregate,
} from "./user-aggregate-call.js";
import { allSqlFunctions, hasSqlFunctionNamed } from "../catalog/sql-functions.js";

/** Analyzes a FuncCall node. */
/**
 * Drops parameters the client typed `void` from a call's arguments, as Postgres's
 * ParseFuncOrColumn does: JDBC sends `{? = call f(?)}` with a void placeholder for the OUT value.
 */
function withoutVoidParams(call: ast.FuncCall, scope: Scope): ast.FuncCall {
  const types = scope.statement.params.types;
  const isVoid = (a: ast.Node): boolean =>
    "ParamRef" in a && types[(a.ParamRef.number ?? 0) - 1] === Oid.void;
  if (call.args === undefined || !call.args.some(isVoid)) return call;
  return { ...call, args: call.args.filter((a) => !isVoid(a)) };
}

export function analyzeFuncCall(given: ast.FuncCall, scope: Scope): Expr {
  const call = withoutVoidParams(given, scope);
  const names = (call.funcname ?? []).map((n) => ("String" in n ? (n.String.sval ?? "") : ""));
  const name = names[names.length - 1] ?? "";
  const loc = locationOf(call.location);
  const marks = outerParamMarks(scope);
  if (call.agg_within_group === true) {
    return outerOrderedSet(call, scope, marks) ?? analyzeOrderedSet(name, call, scope);
  }
  if (isPartialAggregateCall(name, names, scope)) {
    const partial = partialAggregate(name, call, scope);
    return makeAggref(name, partial.def, partial, call, scope);
  }
  // Aggregates of CREATE AGGREGATE resolve before SQL functions expand (user-aggregate-call).
  const user = userAggregateCall(call, names, scope);
  const sqlCall = user?.candidate === undefined
    ? analyzeSqlFunctionCall(call, names, scope) : undefined;
  if (sqlCall !== undefined) return sqlCall;
  const split =
    user !== undefined ? { positional: user.args, named: [] }
      : call.agg_star === true
        ? { positional: [], named: [] }
        : splitNamedArgs(call.args ?? [], (a) => analyzeExpr(a, scope));
  const coercion = functionStyleCast(name, names.length, split, call, scope);
  if (coercion !== undefined) return coercion;
  const { def, args } =
    user?.candidate !== undefined ? { def: user.candidate, args: split.positional }
      : split.named.length === 0
        ? { def: resolveFunction(name, split.positional, call, scope), args: split.positional }
        : resolveNamed(name, split.positional, split.named, call);
  const resolved = packVariadic(
    def.def,
    resolvePolymorphic(def.def, def.argTypes, args, scope),
    call.func_variadic === true,
  );
  if (def.def.kind === "aggregate" && call.over === undefined) {
    if (readsOnlyOuterLevels(resolved.args, call, scope)) {
      return outerAggregate(call, scope, marks);
    }
    return makeAggref(name, def.def, resolved, call, scope);
  }
  if (call.over !== undefined) {
    if (def.def.kind !== "aggregate" && def.def.kind !== "window") {
      throw new SqlError(
        SqlState.wrongObjectType,
        `OVER specified, but ${name} is not a window function nor an aggregate function`,
        loc,
      );
    }
    return makeWindowRef(name, def.def, resolved, call, scope);
  }
  if (call.agg_distinct === true || call.agg_filter !== undefined || call.agg_order !== undefined) {
    throw new SqlError(
      SqlState.wrongObjectType,
      `DISTINCT specified, but ${name} is not an aggregate function`,
      loc,
    );
  }
  if (def.def.kind === "window") {
    throw new SqlError(
      SqlState.wrongObjectType,
      `window function ${name} requires an OVER clause`,
      loc,
    );
  }
  if (def.def.kind === "srf") return makeSrfRef(name, def.def, resolved, scope, call);
  const fn = def.def;
  if (fn.kind !== "scalar") throw notSupported(`${fn.kind} function ${name} here`, loc);
  const callInfo = withResultColumns(
    call,
    {
      argTypes: resolved.args.map((a) => a.type),
      returnType: resolved.returnType,
      ...(call.func_variadic === true && fn.variadic === Oid.any ? { variadicArray: true } : {}),
    },
    scope,
  );
  if ("implAsync" in fn && typeof fn.implAsync === "function") {
    return asyncCall(name, fn.implAsync as AsyncImpl, resolved, callInfo, scope, loc);
  }
  const impl: BoundImpl = (values, ctx) => fn.impl(values, ctx, callInfo);
  return {
    kind: "call",
    name,
    operator: false,
    args: resolved.args,
    strict: fn.strict,
    volatile: fn.volatility === "v",
    immutable: fn.volatility === "i",
    type: resolved.returnType,
    typmod: -1,
    impl,
  };
}

/**
 * `text(x)`, `int4(x)`: a call of a type's name with one argument and no such function is a
 * cast, as func_get_detail's FUNCDETAIL_COERCION.
 */
function functionStyleCast(
  name: string,
  qualified: number,
  split: { positional: Expr[]; named: NamedArg[] },
  call: ast.FuncCall,
  scope: Scope,
): Expr | undefined {
  if (qualified > 2 || split.named.length > 0 || split.positional.length !== 1) return undefined;
  if (call.agg_star === true || call.over !== undefined || call.func_variadic === true) {
    return undefined;
  }
  const type = typeByNameOrUndefined(name);
  if (type === undefined) return undefined;
  // typename('literal') is always a coercion, even beside functions of the type's name
  // (point(box) …), when the name is the type's own typname rather than an alias.
  const arg = split.positional[0]!;
  const literal = arg.kind === "const" && arg.type === Oid.unknown && type.name === name;
  if (functionsNamed(name).length > 0 && !literal) return undefined;
  return coerceTo(split.positional[0]!, type.oid, -1, "e", scope.statement.params, call.location);
}

type AsyncImpl = (values: Value[], ctx: EvalLike, call: CallInfo) => Promise<Value>;

/** Registers a call that must wait (see AsyncCall) and returns the expression reading it. */
function asyncCall(
  name: string,
  run: AsyncImpl,
  resolved: Resolved,
  callInfo: CallInfo,
  scope: Scope,
  loc: { location?: number },
): Expr {
  const fixed = (e: Expr): boolean =>
    e.kind === "const" || e.kind === "param" || (e.kind === "cast" && fixed(e.arg)) ||
    (e.kind === "array" && e.elements.every(fixed));
  if (!resolved.args.every(fixed)) {
    throw notSupported(`${name}() with arguments that vary per row`, loc);
  }
  const cell = { value: null as Value };
  (scope.statement.asyncCalls ??= []).push({
    args: resolved.args,
    cell,
    run: (values, ctx) => run(values, ctx, callInfo),
  });
  return {
    kind: "call",
    name,
    operator: false,
    args: [],
    strict: false,
    volatile: true,
    type: resolved.returnType,
    typmod: -1,
    impl: () => cell.value,
  };
}

interface Resolved {
  readonly args: Expr[];
  readonly returnType: number;
}

function resolveFunction(
  name: string,
  args: readonly Expr[],
  call: ast.FuncCall,
  scope: Scope,
): Candidate<FunctionDef> {
  const enumDef = enumFunction(name, args.map((a) => a.type));
  if (enumDef !== undefined) return { argTypes: enumDef.argTypes, def: enumDef };
  // Ordered-set aggregates resolve only with WITHIN GROUP (ordered-set.ts).
  const defs = functionsNamed(name).filter((d) => d.kind !== "aggregate" || !d.orderedSet);
  const candidates: Candidate<FunctionDef>[] = [];
  for (const def of defs) {
    const expanded = expandArity(def, args.length, call.func_variadic === true);
    if (expanded !== undefined) candidates.push({ argTypes: expanded, def });
  }
  const inputs = args.map((a) => a.type);
  const selection = selectCandidate(candidates, inputs, false);
  const shown = `${name}(${inputs.map((t) => formatTypeName(t, -1)).join(", ")})`;
  const loc = locationOf(call.location);
  if (selection.kind === "none") {
    if (call.agg_star !== true && needsWithinGroup(name, args.length)) {
      throw new SqlError(SqlState.wrongObjectType,
        `WITHIN GROUP is required for ordered-set aggregate ${name}`, loc);
    }
    const star = call.agg_star === true ? `${name}(*)` : shown;
    throw new SqlError(SqlState.undefinedFunction, `function ${star} does not exist`, {
      ...loc,
      hint:
        "No function matches the given name and argument types. " +
        "You might need to add explicit type casts.",
    });
  }
  if (selection.kind === "ambiguous") {
    throw new SqlError(SqlState.ambiguousFunction, `function ${shown} is not unique`, {
      ...loc,
      hint:
        "Could not choose a best candidate function. You might need to add explicit type casts.",
    });
  }
  void scope;
  if (selection.candidate.def.kind === "aggregate" && args.length === 0 &&
    call.agg_star !== true) {
    throw new SqlError(SqlState.wrongObjectType,
      `${name}(*) must be used to call a parameterless aggregate function`, loc);
  }
  return selection.candidate;
}

/** True when an ordered-set aggregate of this name takes `count` arguments in all. */
function needsWithinGroup(name: string, count: number): boolean {
  return functionsNamed(name).some((d) => d.kind === "aggregate" && d.orderedSet === true &&
    (d.hypothetical !== undefined ? count > 0
      : (d.directArgTypes ?? []).length + d.argTypes.length === count));
}

/** Resolves a call in named or mixed notation among the candidates whose names fit. */
function resolveNamed(
  name: string,
  positional: readonly Expr[],
  named: readonly NamedArg[],
  call: ast.FuncCall,
): { def: Candidate<FunctionDef>; args: Expr[] } {
  const placed: { def: Candidate<FunctionDef>; args: Expr[] }[] = [];
  for (const def of functionsNamed(name)) {
    const args = placeNamedArgs(def, positional, named);
    if (args === undefined) continue;
    placed.push({ def: { argTypes: def.argTypes.slice(0, args.length), def }, args });
  }
  const first = placed[0];
  const sameArity = placed.filter((p) => p.args.length === first?.args.length);
  const selection =
    first === undefined
      ? { kind: "none" as const }
      : selectCandidate(
          sameArity.map((p) => p.def),
          first.args.map((a) => a.type),
          false,
        );
  if (selection.kind !== "one") {
    const shown = [
      ...positional.map((a) => formatTypeName(a.type, -1)),
      ...named.map((a) => `${a.name} => ${formatTypeName(a.expr.type, -1)}`),
    ].join(", ");
    throw new SqlError(SqlState.undefinedFunction, `function ${name}(${shown}) does not exist`, {
      ...locationOf(call.location),
      hint:
        "No function matches the given name and argument types. " +
        "You might need to add explicit type casts.",
    });
  }
  return sameArity.find((p) => p.def === selection.candidate)!;
}

/** Returns the declared types for a call with `count` arguments, or undefined. */
function expandArity(def: FunctionDef, count: number, variadicCall: boolean): number[] | undefined {
  const declared = def.argTypes;
  // As FuncnameGetCandidates: a variadic parameter takes at least one argument, and an
  // explicit VARIADIC passes the array itself.
  if (def.variadic !== undefined && !variadicCall && count >= declared.length) {
    const fixed = declared.slice(0, declared.length - 1);
    return [...fixed, ...Array.from({ length: count - fixed.length }, () => def.variadic!)];
  }
  if (declared.length === count) return [...declared];
  const defaults = def.defaultCount ?? 0;
  if (count < declared.length && count >= declared.length - defaults) {
    return declared.slice(0, count);
  }
  return undefined;
}

/**
 * Packs the arguments of an expanded variadic call into the array the function takes
 * (jsonb_extract_path(b, 'a', 'b') gets ARRAY['a', 'b']); variadic "any" stays expanded.
 */
function packVariadic(def: FunctionDef, resolved: Resolved, variadicCall: boolean): Resolved {
  if (def.variadic === undefined || def.variadic === Oid.any || variadicCall) return resolved;
  const fixed = def.argTypes.length - 1;
  const rest = resolved.args.slice(fixed);
  const element = rest[0]?.type ?? def.variadic;
  const packed: Expr = {
    kind: "array",
    type: arrayOf(element),
    typmod: -1,
    elementType: element,
    elements: rest,
  };
  return { ...resolved, args: [...resolved.args.slice(0, fixed), packed] };
}

/** Coerces arguments and resolves polymorphic argument and result types. */
function resolvePolymorphic(
  def: FunctionDef,
  declared: readonly number[],
  args: readonly Expr[],
  scope: Scope,
): Resolved {
  const params = scope.statement.params;
  const polyArgs = args.filter((_a, i) => isPolymorphic(declared[i]!));
  let bound = 0;
  if (polyArgs.length > 0) {
    const elements = polyArgs.map((a, i) => {
      const d = declared[args.indexOf(a)]!;
      const isArrayDecl = d === Oid.anyarray || d === Oid.anycompatiblearray;
      if (isArrayDecl && a.type !== Oid.unknown) return { ...a, type: typeInfo(a.type).elem };
      void i;
      return a;
    });
    bound = commonType(elements as Expr[], def.name);
  }
  const out = args.map((a, i) => {
    const d = declared[i]!;
    if (d === Oid.any) {
      return a.type === Oid.unknown && def.keepsUnknown !== true
        ? coerceTo(a, Oid.text, -1, "i", params) : a;
    }
    if (!isPolymorphic(d)) return coerceTo(a, d, -1, "i", params);
    const target = d === Oid.anyarray || d === Oid.anycompatiblearray ? arrayOf(bound) : bound;
    return coerceTo(a, target, -1, "i", params);
  });
  let returnType = def.returnType;
  if (
    returnType === Oid.anyelement ||
    returnType === Oid.anycompatible ||
    returnType === Oid.anynonarray
  )
    returnType = bound;
  else if (returnType === Oid.anyarray || returnType === Oid.anycompatiblearray) {
    returnType = arrayOf(bound);
  }
  return { args: out, returnType };
}

function makeAggref(
  name: string,
  given: FunctionDef & { kind: "aggregate" },
  resolved: Resolved,
  call: ast.FuncCall,
  scope: Scope,
): Expr {
  const def = boundAggregate(given, resolved, scope);
  const loc = locationOf(call.location);
  if (scope.aggs === null) {
    const clause = scope.clause === "" ? "this context" : scope.clause;
    throw new SqlError(
      SqlState.groupingError,
      `aggregate functions are not allowed in ${clause}`,
      loc,
    );
  }
  if (resolved.args.some((a) => someExpr(a, (e) => e.kind === "windowref"))) {
    throw new SqlError(
      SqlState.groupingError,
      "aggregate function calls cannot contain window function calls",
      loc,
    );
  }
  if (resolved.args.some((a) => someExpr(a, (e) => e.kind === "aggref"))) {
    throw new SqlError(SqlState.groupingError, "aggregate function calls cannot be nested", loc);
  }
  refuseSrfArgs(resolved.args, "aggregate", loc);
  const aggs = scope.aggs;
  scope.aggs = null;
  const saved = scope.clause;
  scope.clause = "aggregate function calls";
  let filter: Expr | null = null;
  try {
    filter = analyzeAggFilter(call.agg_filter, scope);
    const order = analyzeSortKeys(call.agg_order ?? [], scope, resolved.args);
    refuseSrfArgs(order.map((k) => k.expr), "aggregate", loc);
    if (call.agg_distinct === true) checkDistinctOrder(resolved.args, order, call);
    const agg = {
      name,
      def,
      args: resolved.args,
      argTypes: resolved.args.map((a) => a.type),
      star: call.agg_star === true,
      distinct: call.agg_distinct === true,
      filter,
      order,
      type: resolved.returnType,
    };
    aggs.push(agg);
    return { kind: "aggref", type: resolved.returnType, typmod: -1, agg };
  } finally {
    scope.aggs = aggs;
    scope.clause = saved;
  }
}

/** How many outer parameters each level from `scope` outwards has now. */
function outerParamMarks(scope: Scope): number[] {
  const marks: number[] = [];
  for (let s: Scope | undefined = scope; s !== undefined; s = s.parent) {
    marks.push(s.outerParams.length);
  }
  return marks;
}

/**
 * True for an aggregate in a sublink whose arguments read only enclosing queries' columns
 * (`SELECT (SELECT sum(o.x)) FROM o`): as in Postgres, it belongs to the enclosing query.
 * Calls with FILTER or ORDER BY stay where they are.
 */
function readsOnlyOuterLevels(args: readonly Expr[], call: ast.FuncCall, scope: Scope):
  boolean {
  if (scope.parent === undefined || scope.skipParentItems) return false;
  const all = [...args, ...filterAndOrder(call, scope)];
  if (all.length === 0) return false;
  // A sublink is local when one of its parameters (the columns it reads) is.
  const local = (e: Expr): boolean => e.kind === "var" || e.kind === "aggref" ||
    e.kind === "windowref" || e.kind === "srfref";
  // So is one reading a value passed down from past this level (`max((SELECT o.x))`).
  const outer = (e: Expr): boolean => e.kind === "outer" ||
    (e.kind === "subLink" && e.readsEnclosing === true);
  return all.every((a) => !someExpr(a, local)) && all.some((a) => someExpr(a, outer));
}

/**
 * The FILTER and ORDER BY expressions of an aggregate call, analyzed only to see which query
 * level they read (as check_agg_arguments counts them); an error there is left for the real
 * analysis to report.
 */
function filterAndOrder(call: ast.FuncCall, scope: Scope): Expr[] {
  const nodes = [...(call.agg_filter === undefined ? [] : [call.agg_filter]),
    ...(call.agg_order ?? []).flatMap((n) => ("SortBy" in n && n.SortBy.node !== undefined
      ? [n.SortBy.node] : []))];
  if (nodes.length === 0) return [];
  const { aggs, windows, srfs } = scope;
  scope.aggs = null;
  scope.windows = null;
  scope.srfs = null;
  try {
    return nodes.map((n) => analyzeExpr(n, scope));
  } catch {
    return [];
  } finally {
    scope.aggs = aggs;
    scope.windows = windows;
    scope.srfs = srfs;
  }
}

/**
 * Analyzes the call again one level out, where its columns are local, and reads the result
 * here as an outer value. The parameters the first analysis added on the way are dropped.
 */
function outerAggregate(call: ast.FuncCall, scope: Scope, marks: readonly number[]): Expr {
  let level = 0;
  for (let s: Scope | undefined = scope; s !== undefined; s = s.parent) {
    s.outerParams.splice(marks[level++] ?? s.outerParams.length);
  }
  const parent = scope.parent!;
  const outer = analyzeFuncCall(call, parent);
  return scope.outerRef(outer, outer.kind === "aggref" ? outer.agg.name : "?column?");
}

/**
 * An ordered-set aggregate whose WITHIN GROUP keys and FILTER read only enclosing queries
 * belongs to the enclosing query; its direct arguments may not read this level's columns.
 */
function outerOrderedSet(call: ast.FuncCall, scope: Scope, marks: readonly number[]):
  Expr | undefined {
  if (call.over !== undefined || !readsOnlyOuterLevels([], call, scope)) return undefined;
  const { aggs } = scope;
  scope.aggs = null;
  try {
    const direct = (call.args ?? []).map((a) => analyzeExpr(a, scope));
    if (direct.some((d) => someExpr(d, (e) => e.kind === "var"))) {
      throw new SqlError(SqlState.groupingError, "outer-level aggregate cannot contain a " +
        "lower-level variable in its direct arguments", locationOf(call.location));
    }
  } finally {
    scope.aggs = aggs;
  }
  return outerAggregate(call, scope, marks);
}

/** Set-returning calls are not allowed in aggregate and window function arguments (0A000). */
function refuseSrfArgs(args: readonly Expr[], what: "aggregate" | "window",
  loc: { location?: number }): void {
  if (!args.some((a) => someExpr(a, (e) => e.kind === "srfref"))) return;
  throw new SqlError(SqlState.featureNotSupported,
    `${what} function calls cannot contain set-returning function calls`, { ...loc,
      hint: "You might be able to move the set-returning function into a LATERAL FROM item." });
}

/** With DISTINCT, every ORDER BY key of an aggregate must be one of its arguments. */
function checkDistinctOrder(args: readonly Expr[], order: readonly SortKey[],
  call: ast.FuncCall): void {
  // As findTargetlistEntrySQL99, implicit coercions of the arguments do not count.
  const bare = (e: Expr): Expr => (e.kind === "cast" && !e.explicit ? bare(e.arg) : e);
  const argKeys = new Set(args.map((a) => exprKey(bare(a))));
  order.forEach((key, i) => {
    if (argKeys.has(exprKey(bare(key.expr)))) return;
    const item = call.agg_order?.[i];
    const at = item !== undefined && "SortBy" in item ? item.SortBy.node : undefined;
    throw new SqlError(SqlState.invalidColumnReference,
      "in an aggregate with DISTINCT, ORDER BY expressions must appear in argument list",
      locationOf(at === undefined ? call.location : exprLocationOf(at)));
  });
}

function exprLocationOf(node: ast.Node): number | undefined {
  const inner = Object.values(node)[0] as { location?: number } | undefined;
  return inner?.location;
}

function makeWindowRef(
  name: string,
  given: FunctionDef & { kind: "aggregate" | "window" },
  resolved: Resolved,
  call: ast.FuncCall,
  scope: Scope,
): Expr {
  const def = given.kind === "aggregate" ? boundAggregate(given, resolved, scope) : given;
  if (scope.windows === null) {
    const clause = scope.clause === "" ? "this context" : scope.clause;
    throw new SqlError(
      SqlState.windowingError,
      `window functions are not allowed in ${clause}`,
      locationOf(call.location),
    );
  }
  checkWindowCall(name, def, resolved, call, scope);
  const windows = scope.windows;
  scope.windows = null;
  try {
    const window = analyzeWindowSpec(call.over!, scope);
    const filter =
      call.agg_filter === undefined
        ? null
        : asBoolean(analyzeExpr(call.agg_filter, scope), "FILTER", scope);
    const windowCall = {
      name,
      def,
      args: resolved.args,
      argTypes: resolved.args.map((a) => a.type),
      filter,
      window,
      type: resolved.returnType,
      over: overName(call.over!),
    };
    windows.push(windowCall);
    return { kind: "windowref", type: resolved.returnType, typmod: -1, call: windowCall };
  } finally {
    scope.windows = windows;
  }
}

/** The WINDOW clause entry an OVER clause names, for deparsing. */
function overName(over: ast.WindowDef): WindowRefName | undefined {
  if (over.name !== undefined) return { name: over.name, whole: true, ownOrder: false };
  if (over.refname === undefined) return undefined;
  return { name: over.refname, whole: false, ownOrder: over.orderClause !== undefined };
}

/** Rejects what Postgres does not implement for window calls, with its messages. */
function checkWindowCall(
  name: string,
  def: FunctionDef & { kind: "aggregate" | "window" },
  resolved: Resolved,
  call: ast.FuncCall,
  scope: Scope,
): void {
  const loc = locationOf(call.location);
  if (resolved.args.some((a) => someExpr(a, (e) => e.kind === "windowref"))) {
    throw new SqlError(SqlState.windowingError, "window function calls cannot be nested", loc);
  }
  refuseSrfArgs(resolved.args, "window", loc);
  if (call.agg_distinct === true) {
    throw new SqlError(
      SqlState.featureNotSupported,
      "DISTINCT is not implemented for window functions",
      loc,
    );
  }
  if (call.agg_order !== undefined && call.agg_within_group !== true) {
    throw new SqlError(
      SqlState.featureNotSupported,
      "aggregate ORDER BY is not implemented for window functions",
      loc,
    );
  }
  if (def.kind === "aggregate" && (def.orderedSet === true || call.agg_within_group === true)) {
    throw new SqlError(
      SqlState.featureNotSupported,
      `OVER is not supported for ordered-set aggregate ${name}`,
      loc,
    );
  }
  if (def.kind === "window" && call.agg_filter !== undefined) {
    throw new SqlError(
      SqlState.featureNotSupported,
      "FILTER is not implemented for non-aggregate window functions",
      loc,
    );
  }
  void scope;
}

function makeSrfRef(
  name: string,
  def: FunctionDef & { kind: "srf" },
  resolved: Resolved,
  scope: Scope,
  node: ast.FuncCall,
): Expr {
  const location = node.location;
  if (scope.srfs === null) {
    const clause = scope.clause === "" ? "this context" : scope.clause;
    throw new SqlError(
      SqlState.featureNotSupported,
      `set-returning functions are not allowed in ${clause}`,
      locationOf(location),
    );
  }
  const callInfo = withResultColumns(
    node,
    { argTypes: resolved.args.map((a) => a.type), returnType: resolved.returnType },
    scope,
  );
  const impl: BoundImpl = (values, ctx) =>
    def.impl(values, ctx, callInfo) as unknown as import("@tessera/sql").Value;
  const call: Expr = {
    kind: "call",
    name,
    operator: false,
    args: resolved.args,
    strict: def.strict,
    volatile: def.volatility === "v",
    type: resolved.returnType,
    typmod: -1,
    impl,
  };
  scope.srfs.push({ call, type: resolved.returnType, outColumns: def.outColumns ?? null });
  return {
    kind: "srfref",
    index: scope.srfs.length - 1,
    ...srfResultType(resolved.returnType, def.outColumns),
  };
}

/** A user aggregate bound to the call's types (`user-aggregate-call.ts`); others as they are. */
function boundAggregate(def: FunctionDef & { kind: "aggregate" }, resolved: Resolved,
  scope: Scope): FunctionDef & { kind: "aggregate" } {
  if (!isUserAggregateDef(def) || def.plan !== undefined) return def;
  return bindUserAggregate(def, resolved.args.map((a) => a.type), resolved.returnType, scope);
}

/**
 * The call's arguments and the user aggregate it means, when the database has an aggregate
 * of the name; `candidate` is unset when another function fits better (or none does).
 */
function userAggregateCall(call: ast.FuncCall, names: readonly string[], scope: Scope):
  { candidate: Candidate<FunctionDef> | undefined; args: Expr[] } | undefined {
  const name = names[names.length - 1] ?? "";
  if (!hasUserAggregateNamed(scope, name)) return undefined;
  const raw = call.args ?? [];
  if (raw.some((a) => "NamedArgExpr" in a)) return undefined;
  const args = call.agg_star === true ? [] : raw.map((a) => analyzeExpr(a, scope));
  return { candidate: resolveUserAggregate(call, names, args, scope), args };
}

function hasUserAggregateNamed(scope: Scope, name: string): boolean {
  const { catalog } = scope.statement;
  return hasSqlFunctionNamed(catalog, name) &&
    allSqlFunctions(catalog).some((f) => f.aggregate === true && f.name === name);
}

/** Analyzes current_date, current_timestamp, current_user and their kin. */
export function analyzeSqlValueFunction(f: ast.SQLValueFunction, scope: Scope): Expr {
  const ctx = scope.statement.ctx;
  const name = (type: number, value: string): Expr => ({ kind: "const", type, typmod: -1, value });
  switch (f.op) {
    case "SVFOP_CURRENT_USER":
    case "SVFOP_CURRENT_ROLE":
    case "SVFOP_USER":
      return name(Oid.name, ctx.user);
    case "SVFOP_SESSION_USER":
      return name(Oid.name, sessionUserOf(ctx));
    case "SVFOP_CURRENT_CATALOG":
      return name(Oid.name, ctx.database);
    case "SVFOP_CURRENT_SCHEMA": {
      const schema = scope.statement.path.find((s) => s !== "pg_catalog");
      return schema === undefined
        ? { kind: "const", type: Oid.name, typmod: -1, value: null }
        : name(Oid.name, schema);
    }
    default:
      return timeValueFunction(f, scope);
  }
}

function timeValueFunction(f: ast.SQLValueFunction, scope: Scope): Expr {
  const now = analyzeFuncCall({ funcname: [{ String: { sval: "now" } }] }, scope);
  const typmod = f.typmod ?? -1;
  const to = (type: number): Expr => coerceTo(now, type, typmod, "e", scope.statement.params);
  switch (f.op) {
    case "SVFOP_CURRENT_DATE":
      return to(Oid.date);
    case "SVFOP_CURRENT_TIME":
    case "SVFOP_CURRENT_TIME_N":
      return to(Oid.timetz);
    case "SVFOP_CURRENT_TIMESTAMP":
    case "SVFOP_CURRENT_TIMESTAMP_N":
      return typmod < 0 ? now : to(Oid.timestamptz);
    case "SVFOP_LOCALTIME":
    case "SVFOP_LOCALTIME_N":
      return to(Oid.time);
    default:
      return to(Oid.timestamp);
  }
}
