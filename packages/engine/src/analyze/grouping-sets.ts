/**
 * GROUP BY with GROUPING SETS, ROLLUP and CUBE (Postgres's transformGroupClause and
 * expand_grouping_sets), and the GROUPING() function.
 *
 * Every grouping expression becomes one group key; each grouping set is a list of key
 * positions. The items of GROUP BY multiply out, so
 *
 *   GROUP BY a, ROLLUP (b, c)   ->  keys [a, b, c], sets [a b c] [a b] [a]
 *   GROUP BY CUBE (a, b)        ->  sets [a b] [a] [b] []
 *
 * then sets sort by length (Postgres's order) and GROUP BY DISTINCT drops repeated ones. An
 * implicit row `(a, b)` inside a set is a set of two columns. A plain GROUP BY has no sets.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { Oid } from "../catalog/types.js";
import type { AggregateDef } from "../catalog/builtins.js";
import type { AggCall, Expr } from "./expr.js";
import { analyzeExpr, locationOf } from "./expr-analyze.js";
import { exprKey } from "./grouping.js";
import { someExpr } from "./expr-map.js";
import { isHashable, isSortable, requireEquality } from "./comparable-types.js";
import type { Scope } from "./scope.js";

/** Postgres stops at 4096 grouping sets (expand_grouping_sets' limit). */
const groupingSetsMax = 4096;
/** … and at CUBEs of more than 12 elements (transformGroupingSet). */
const cubeMax = 12;

export interface GroupClause {
  readonly keys: Expr[];
  /** Key positions per grouping set; null for a plain GROUP BY. */
  readonly sets: number[][] | null;
  /**
   * Select-list entries named by GROUP BY (ordinal or output name) whose key repeats an
   * earlier key's expression: entry index -> its own key. Postgres groups by target entries,
   * so `g AS a1, g AS a2 … GROUP BY a1, ROLLUP (a2)` nulls a2 alone.
   */
  readonly targetKeys: Map<number, number>;
}

/**
 * Resolves one GROUP BY item (an ordinal, an output name, or an expression) to its
 * expression and the select-list entry it names (null for an expression of its own).
 */
export type ItemResolver = (node: ast.Node) => { expr: Expr; target: number | null };

/** Analyzes a GROUP BY list; returns null for no GROUP BY. */
export function analyzeGroupClause(list: readonly ast.Node[], distinct: boolean,
  resolve: ItemResolver): GroupClause | null {
  if (list.length === 0) return null;
  const keys: Expr[] = [];
  const keyIndex = new Map<string, number>();
  const keyTargets: (number | null)[] = [];
  const targetKeys = new Map<number, number>();
  const keyOf = (node: ast.Node): number => {
    const { expr, target } = resolve(node);
    checkGroupKey(expr);
    requireEquality(expr.type);
    const k = exprKey(expr);
    const first = keyIndex.get(k);
    if (first === undefined) {
      keyIndex.set(k, keys.length);
      keyTargets.push(target);
      return keys.push(expr) - 1;
    }
    // Another select-list entry of the same expression is a grouping column of its own.
    const own = target === null ? undefined : targetKeys.get(target);
    if (own !== undefined) return own;
    if (target === null || keyTargets[first] === null || keyTargets[first] === target) {
      keyTargets[first] ??= target;
      return first;
    }
    keyTargets.push(target);
    const i = keys.push(expr) - 1;
    targetKeys.set(target, i);
    return i;
  };
  const hasSets = list.some((n) => "GroupingSet" in n);
  const factors = list.map((node) => expandItem(node, keyOf));
  if (!hasSets) return { keys, sets: null, targetKeys };
  let sets: number[][] = [[]];
  for (const factor of factors) {
    const next: number[][] = [];
    for (const left of sets) for (const right of factor) next.push([...left, ...right]);
    if (next.length > groupingSetsMax) {
      throw new SqlError(SqlState.statementTooComplex,
        `too many grouping sets present (maximum ${groupingSetsMax})`);
    }
    sets = next;
  }
  sets = sets.map((s) => [...new Set(s)]);
  sets.sort((a, b) => a.length - b.length);
  if (distinct) {
    const seen = new Set<string>();
    sets = sets.filter((s) => {
      const k = [...s].sort((x, y) => x - y).join(",");
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  }
  return { keys, sets, targetKeys };
}

/**
 * Postgres's planner sorts or hashes each grouping set: one with a column that only hashes
 * must hash, which needs every column hashable and no aggregate with ORDER BY or DISTINCT
 * (0A000 otherwise, from preprocess_grouping_sets and create_ordinary_grouping_paths).
 */
export function checkGroupingImplementable(group: GroupClause, aggs: readonly AggCall[]):
  void {
  const canHash = (set: readonly number[]): boolean =>
    set.every((i) => isHashable(group.keys[i]!.type)) &&
    !aggs.some((a) => a.distinct || a.order.length > 0);
  const all = group.keys.map((_k, i) => i);
  const sets = group.sets ?? [all];
  for (const set of sets) {
    if (set.every((i) => isSortable(group.keys[i]!.type)) || canHash(set)) continue;
    throw new SqlError(SqlState.featureNotSupported, "could not implement GROUP BY",
      { detail: "Some of the datatypes only support hashing, while others only support " +
        "sorting." });
  }
}

/** A key taken from a select-list entry (GROUP BY 1) may not hold aggregates or windows. */
function checkGroupKey(expr: Expr): void {
  if (someExpr(expr, (e) => e.kind === "aggref")) {
    throw new SqlError(SqlState.groupingError,
      "aggregate functions are not allowed in GROUP BY");
  }
  if (someExpr(expr, (e) => e.kind === "windowref")) {
    throw new SqlError(SqlState.windowingError, "window functions are not allowed in GROUP BY");
  }
}

/** Expands one item into its grouping sets (lists of key positions). */
function expandItem(node: ast.Node, keyOf: (node: ast.Node) => number): number[][] {
  if (!("GroupingSet" in node)) return [simple(node, keyOf)];
  const gs = node.GroupingSet;
  const content = gs.content ?? [];
  switch (gs.kind) {
    case "GROUPING_SET_EMPTY": return [[]];
    case "GROUPING_SET_SIMPLE": return [content.flatMap((n) => simple(n, keyOf))];
    case "GROUPING_SET_ROLLUP": {
      const parts = content.map((n) => simple(n, keyOf));
      const out: number[][] = [];
      for (let n = parts.length; n >= 0; n--) out.push(parts.slice(0, n).flat());
      return out;
    }
    case "GROUPING_SET_CUBE": {
      if (content.length > cubeMax) {
        throw new SqlError(SqlState.tooManyColumns, `CUBE is limited to ${cubeMax} elements`,
          locationOf(gs.location));
      }
      const parts = content.map((n) => simple(n, keyOf));
      const out: number[][] = [];
      for (let mask = 0; mask < 1 << parts.length; mask++) {
        out.push(parts.filter((_p, i) => (mask & (1 << i)) !== 0).flat());
      }
      return out;
    }
    default:
      return content.flatMap((n) => expandItem(n, keyOf));
  }
}

/** A plain item, or an implicit row `(a, b)` standing for several columns. */
function simple(node: ast.Node, keyOf: (node: ast.Node) => number): number[] {
  if ("RowExpr" in node && node.RowExpr.row_format === "COERCE_IMPLICIT_CAST") {
    // flatten_grouping_sets: an implicit row inside one flattens too, (a, (b, c)) is a b c.
    return (node.RowExpr.args ?? []).flatMap((n) => simple(n, keyOf));
  }
  if ("GroupingSet" in node) {
    throw new SqlError(SqlState.syntaxError, "syntax error at or near \"(\"",
      locationOf(node.GroupingSet.location));
  }
  return [keyOf(node)];
}

/** GROUPING() has no aggregate of its own; the aggregate node fills its value per set. */
const groupingDef: AggregateDef = { kind: "aggregate", name: "grouping", argTypes: [],
  returnType: Oid.int4, volatility: "i", stateInit: () => 0, transition: (s) => s,
  final: () => 0 };

/** Analyzes GROUPING(a, b, …) as an aggregate whose arguments must be group keys. */
export function analyzeGroupingFunc(g: ast.GroupingFunc, scope: Scope): Expr {
  const loc = locationOf(g.location);
  const rawArgs = g.args ?? [];
  if (rawArgs.length >= 32) {
    throw new SqlError(SqlState.tooManyArguments, "GROUPING must have fewer than 32 arguments",
      loc);
  }
  const marks: number[] = [];
  for (let s: Scope | undefined = scope; s !== undefined; s = s.parent) {
    marks.push(s.outerParams.length);
  }
  const args = rawArgs.map((a) => analyzeExpr(a, scope));
  if (readsOnlyOuterLevels(args, scope)) {
    // GROUPING(o.x) inside a sublink belongs to the query level of its arguments.
    let level = 0;
    for (let s: Scope | undefined = scope; s !== undefined; s = s.parent) {
      s.outerParams.splice(marks[level++] ?? s.outerParams.length);
    }
    return scope.outerRef(analyzeGroupingFunc(g, scope.parent!), "grouping");
  }
  if (args.some((a) => someExpr(a, (e) => e.kind === "aggref"))) {
    throw new SqlError(SqlState.groupingError, "aggregate function calls cannot be nested", loc);
  }
  const aggs = scope.aggs;
  if (aggs === null) {
    const clause = scope.clause === "" ? "this context" : scope.clause;
    throw new SqlError(SqlState.groupingError, `grouping operations are not allowed in ${clause}`,
      loc);
  }
  const agg: AggCall = { name: "grouping", def: groupingDef, args, argTypes: [], star: false,
    distinct: false, filter: null, order: [], type: Oid.int4, grouping: { refs: [] } };
  groupingLocations.set(agg, rawArgs.map((a) => nodeLocation(a) ?? g.location));
  aggs.push(agg);
  return { kind: "aggref", type: Oid.int4, typmod: -1, agg };
}

/** True when every argument reads enclosing query levels only (and some does). */
function readsOnlyOuterLevels(args: readonly Expr[], scope: Scope): boolean {
  if (scope.parent === undefined || scope.skipParentItems || args.length === 0) return false;
  const local = (e: Expr): boolean => e.kind === "var" || e.kind === "subLink" ||
    e.kind === "aggref" || e.kind === "windowref" || e.kind === "srfref";
  return args.every((a) => !someExpr(a, local)) &&
    args.some((a) => someExpr(a, (e) => e.kind === "outer"));
}

/** Where each GROUPING() argument was written, for the 42803 error's position. */
const groupingLocations = new WeakMap<AggCall, readonly (number | undefined)[]>();

/** Binds GROUPING() arguments to group key positions once GROUP BY is known. */
export function bindGroupingCalls(aggs: readonly AggCall[], keys: readonly Expr[]): void {
  const index = new Map(keys.map((k, i) => [exprKey(k), i]));
  for (const agg of aggs) {
    if (agg.grouping === undefined) continue;
    agg.grouping.refs = agg.args.map((a, n) => {
      const i = index.get(exprKey(a));
      if (i === undefined) {
        throw new SqlError(SqlState.groupingError, "arguments to GROUPING must be grouping " +
          "expressions of the associated query level",
        locationOf(groupingLocations.get(agg)?.[n]));
      }
      return i;
    });
  }
}

function nodeLocation(node: ast.Node): number | undefined {
  const inner = Object.values(node)[0] as { location?: number } | undefined;
  return inner?.location;
}

/** GROUPING()'s value for a grouping set: a bit per argument, set when it is not grouped. */
export function groupingMask(refs: readonly number[], set: readonly number[] | null): number {
  let mask = 0;
  for (const ref of refs) mask = (mask << 1) | (set === null || set.includes(ref) ? 0 : 1);
  return mask;
}
