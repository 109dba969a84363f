/**
 * Ordered-set and hypothetical-set aggregate calls (parse_func.c with WITHIN GROUP):
 *
 *   percentile_cont(0.5) WITHIN GROUP (ORDER BY qty)     rank(5) WITHIN GROUP (ORDER BY qty)
 *
 * The arguments before WITHIN GROUP are direct arguments, evaluated once per group; the
 * ORDER BY expressions are the aggregated arguments, fed to the aggregate in that order.
 * Overloads resolve over direct and aggregated argument types together. A hypothetical-set
 * aggregate takes one direct argument per ORDER BY expression, and each pair is coerced to
 * their common type (unify_hypothetical_args) so the direct row compares with the sorted ones.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { functionsNamed, type AggregateDef } from "../catalog/builtins.js";
import { Oid, arrayOf, formatTypeName, isPolymorphic } from "../catalog/types.js";
import { coerceTo, commonType } from "./coerce.js";
import type { AggCall, Expr } from "./expr.js";
import { analyzeExpr, asBoolean, locationOf } from "./expr-analyze.js";
import { someExpr } from "./expr-map.js";
import { selectCandidate, type Candidate } from "./func-select.js";
import { sortKeyFor } from "./window-spec.js";
import type { Scope } from "./scope.js";

/** Analyzes `name(direct…) WITHIN GROUP (ORDER BY …) [FILTER (…)]`. */
export function analyzeOrderedSet(name: string, call: ast.FuncCall, scope: Scope): Expr {
  const loc = locationOf(call.location);
  if (call.over !== undefined) {
    throw new SqlError(SqlState.featureNotSupported,
      `OVER is not supported for ordered-set aggregate ${name}`, loc);
  }
  const aggs = scope.aggs;
  if (aggs === null) {
    const clause = scope.clause === "" ? "this context" : scope.clause;
    throw new SqlError(SqlState.groupingError,
      `aggregate functions are not allowed in ${clause}`, loc);
  }
  const direct = (call.args ?? []).map((a) => analyzeExpr(a, scope));
  scope.aggs = null;
  const saved = scope.clause;
  scope.clause = "aggregate function calls";
  try {
    const sortBys = (call.agg_order ?? []).map((n) => ("SortBy" in n ? n.SortBy : {}));
    const keys = sortBys.map((s) => analyzeExpr(s.node!, scope));
    if ([...direct, ...keys].some((a) => someExpr(a, (e) => e.kind === "aggref"))) {
      throw new SqlError(SqlState.groupingError, "aggregate function calls cannot be nested",
        loc);
    }
    const filter = analyzeAggFilter(call.agg_filter, scope);
    const bound = bindOrderedSet(name, direct, keys, scope, loc);
    const order = bound.keys.map((k, i) => sortKeyFor(k, sortBys[i]!, scope));
    const agg: AggCall = { name, def: bound.def, args: bound.keys,
      argTypes: bound.keys.map((k) => k.type), star: false, distinct: false, filter,
      order, type: bound.type, direct: bound.direct };
    aggs.push(agg);
    return { kind: "aggref", type: bound.type, typmod: -1, agg };
  } finally {
    scope.aggs = aggs;
    scope.clause = saved;
  }
}

interface Bound {
  readonly def: AggregateDef;
  readonly direct: Expr[];
  readonly keys: Expr[];
  readonly type: number;
}

function bindOrderedSet(name: string, direct: readonly Expr[], keys: readonly Expr[],
  scope: Scope, loc: { location?: number }): Bound {
  const ordered = functionsNamed(name)
    .filter((d): d is AggregateDef => d.kind === "aggregate" && d.orderedSet === true);
  if (ordered.length === 0) notOrderedSet(name, direct.length + keys.length, loc);
  const hypothetical = ordered.find((d) => d.hypothetical !== undefined);
  if (hypothetical !== undefined && direct.length === keys.length) {
    return bindHypothetical(hypothetical, direct, keys, scope);
  }
  const candidates: Candidate<AggregateDef>[] = ordered
    .filter((d) => (d.directArgTypes ?? []).length === direct.length &&
      d.argTypes.length === keys.length)
    .map((d) => ({ argTypes: [...(d.directArgTypes ?? []), ...d.argTypes], def: d }));
  const inputs = [...direct, ...keys].map((e) => e.type);
  const selection = selectCandidate(candidates, inputs, false);
  if (selection.kind !== "one") {
    const what = `${name}(${inputs.map((t) => formatTypeName(t, -1)).join(", ")})`;
    throw new SqlError(selection.kind === "none" ? SqlState.undefinedFunction
      : SqlState.ambiguousFunction, `function ${what} ${selection.kind === "none"
      ? "does not exist" : "is not unique"}`, { ...loc, hint: "No function matches the " +
      "given name and argument types. You might need to add explicit type casts." });
  }
  const def = selection.candidate.def;
  const params = scope.statement.params;
  const coerceList = (list: readonly Expr[], declared: readonly number[]): Expr[] =>
    list.map((e, i) => (isPolymorphic(declared[i]!) ? typed(e, scope)
      : coerceTo(e, declared[i]!, -1, "i", params)));
  const coercedKeys = coerceList(keys, def.argTypes);
  const element = coercedKeys[0]?.type ?? Oid.unknown;
  const type = def.returnType === Oid.anyelement ? element
    : def.returnType === Oid.anyarray ? arrayOf(element) : def.returnType;
  return { def, direct: coerceList(direct, def.directArgTypes ?? []), keys: coercedKeys, type };
}

function bindHypothetical(def: AggregateDef, direct: readonly Expr[], keys: readonly Expr[],
  scope: Scope): Bound {
  const params = scope.statement.params;
  const outDirect: Expr[] = [];
  const outKeys: Expr[] = [];
  direct.forEach((d, i) => {
    const k = keys[i]!;
    // Aggregated argument first, as unify_hypothetical_args names them in its error.
    const type = commonType([k, d], "WITHIN GROUP");
    outDirect.push(coerceTo(d, type, -1, "i", params));
    outKeys.push(coerceTo(k, type, -1, "i", params));
  });
  return { def, direct: outDirect, keys: outKeys, type: def.returnType };
}

/** WITHIN GROUP on a name without ordered-set overloads: parse_func.c's 42809 errors. */
function notOrderedSet(name: string, argCount: number, loc: { location?: number }): void {
  // Only a function taking that many arguments is found; otherwise 42883 follows.
  const all = functionsNamed(name).filter((d) => d.argTypes.length === argCount);
  if (all.some((d) => d.kind === "aggregate")) {
    throw new SqlError(SqlState.wrongObjectType,
      `${name} is not an ordered-set aggregate, so it cannot have WITHIN GROUP`, loc);
  }
  if (all.length > 0) {
    throw new SqlError(SqlState.wrongObjectType,
      `WITHIN GROUP specified, but ${name} is not an aggregate function`, loc);
  }
}

function typed(e: Expr, scope: Scope): Expr {
  return e.type === Oid.unknown ? coerceTo(e, Oid.text, -1, "i", scope.statement.params) : e;
}

/**
 * An aggregate's FILTER (WHERE …) clause, a boolean in which window functions are refused
 * (42P20, "window functions are not allowed in FILTER"); null without one.
 */
export function analyzeAggFilter(clause: ast.Node | undefined, scope: Scope): Expr | null {
  if (clause === undefined) return null;
  scope.clause = "FILTER";
  const windows = scope.windows;
  scope.windows = null;
  try {
    return asBoolean(analyzeExpr(clause, scope), "FILTER", scope);
  } finally {
    scope.windows = windows;
  }
}
