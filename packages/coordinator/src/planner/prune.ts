/**
 * Shard pruning: finds the fewest shards that can hold rows matching a WHERE clause.
 *
 * The clause becomes OR-of-AND constraints on the distribution column. Whatever we cannot
 * reason about turns into "unknown" and widens the answer, never narrows it: too many
 * shards is slow, too few is a wrong result.
 *
 * It works on the raw libpg-query tree. The caller says which column references are the
 * distribution column of which table alias (and its type), and evaluates constants and `$n`
 * parameters to values of that type; the pruner only reasons about shapes. Each subclause
 * becomes a constraint: a finite set of possible distribution values, or "unknown" (any value).
 *
 *     WHERE (id = 1 AND x > 5) OR (id IN (2, 3) AND id = 3) OR false
 *
 *     id = 1 AND x > 5        {1} AND unknown   -> {1}        (AND intersects; unknown is neutral)
 *     id IN (2,3) AND id = 3  {2,3} AND {3}     -> {3}
 *     false                                     -> {}         (no row passes)
 *     OR of the three         {1} OR {3} OR {}  -> {1, 3}     (OR unites; unknown would win)
 *
 * Intersecting and uniting sets clause by clause gives the same answer as first expanding
 * the clause into OR-of-AND form, without the expansion's blow-up. The values are hashed
 * (`hash.ts`) and looked up in the table's ranges, giving the shard indexes. Values compare
 * by their canonical hash encoding, so `id = 1 AND id = 2` is a contradiction with no shards,
 * as Citus's pruning finds too. NOT, `<>`, ranges, functions of the column, subqueries and
 * `IS NULL` are all "unknown".
 */
import { SqlError, SqlState, assert, limits } from "@tessera/base";
import type { Value, ast } from "@tessera/sql";
import { encodeForHash, hashValue } from "../metadata/hash.js";
import { shardIndexForHash, type HashRange } from "../metadata/shard-ranges.js";

/** A column reference that names a distribution column: whose, and of which type. */
export interface DistributionColumnRef {
  /** The range table alias (or table name when unaliased) the column belongs to. */
  readonly alias: string;
  readonly typeOid: number;
}

/** A constant's value, or `ok: false` when the expression is no usable constant. */
export type ConstantResult = { readonly ok: true; readonly value: Value } | { readonly ok: false };

export interface PruneContext {
  /** Says whether `ref` is a distribution column, and of which alias; undefined if not. */
  readonly resolveColumn: (ref: ast.ColumnRef) => DistributionColumnRef | undefined;
  /**
   * Evaluates a literal, `$n` parameter or cast of those to a value of type `typeOid`, or
   * `ok: false` when it is no constant or does not convert to that type without loss (so
   * that `int_col = 1.5` is not pruned as `= 1`). A NULL constant is `{ ok: true, value: null }`.
   */
  readonly evaluateConstant: (expr: ast.Node, typeOid: number) => ConstantResult;
  /**
   * Evaluates an array-valued constant (`= ANY($1)`, `= ANY('{1,2}')`) to element values of
   * `elementTypeOid`; without it such clauses are unknown. `ARRAY[...]` needs no help.
   */
  readonly evaluateArray?: (expr: ast.Node, elementTypeOid: number) =>
    { readonly ok: true; readonly values: readonly Value[] } | { readonly ok: false };
}

/** The table being pruned: its alias in the query and its shard ranges. */
export interface PruneTarget {
  readonly alias: string;
  readonly typeOid: number;
  readonly ranges: readonly HashRange[];
}

export interface PruneResult {
  /** Indexes into the target's ranges, ascending, without duplicates. */
  readonly shardIndexes: readonly number[];
  /** The distribution values the clause allows, or null when it allows any value. */
  readonly values: readonly Value[] | null;
}

/** A finite set of distribution values keyed by canonical encoding, or null for unknown. */
type Constraint = ReadonlyMap<string, Value> | null;

const unknown: Constraint = null;
const nothing: Constraint = new Map();

/** Returns the shards of `target` that can hold rows for which `where` is true. */
export function pruneShards(
  where: ast.Node | undefined, target: PruneTarget, context: PruneContext,
): PruneResult {
  assert(target.ranges.length > 0, "a pruned table has shards");
  const constraint = where === undefined ? unknown : constraintOf(where, target, context, 0);
  if (constraint === null) {
    return { shardIndexes: target.ranges.map((_, index) => index), values: null };
  }
  const indexes = new Set<number>();
  for (const value of constraint.values()) {
    indexes.add(shardIndexForHash(target.ranges, hashValue(value, target.typeOid)));
  }
  const shardIndexes = [...indexes].sort((a, b) => a - b);
  assert(shardIndexes.length <= constraint.size, "one shard per value at most");
  return { shardIndexes, values: [...constraint.values()] };
}

/** Turns one clause into a constraint on the target's distribution column. */
function constraintOf(
  expr: ast.Node, target: PruneTarget, context: PruneContext, depth: number,
): Constraint {
  if (depth > limits.treeDepthMax) {
    throw new SqlError(SqlState.statementTooComplex, "stack depth limit exceeded", {
      hint: "The WHERE clause nests too deeply.",
    });
  }
  if ("BoolExpr" in expr) return boolConstraint(expr.BoolExpr, target, context, depth);
  if ("A_Expr" in expr) return comparisonConstraint(expr.A_Expr, target, context);
  if ("A_Const" in expr) return constConstraint(expr.A_Const);
  return unknown;
}

function boolConstraint(
  expr: ast.BoolExpr, target: PruneTarget, context: PruneContext, depth: number,
): Constraint {
  const args = expr.args ?? [];
  assert(args.length > 0, "a boolean expression has arguments");
  const parts = args.map((arg) => constraintOf(arg, target, context, depth + 1));
  switch (expr.boolop) {
    case "AND_EXPR": return parts.reduce(intersect);
    case "OR_EXPR": return parts.reduce(unite);
    default: return unknown;
  }
}

/** `WHERE false` and `WHERE NULL` pass no row; any other constant passes or is unknown. */
function constConstraint(constant: ast.A_Const): Constraint {
  if (constant.isnull === true) return nothing;
  if (constant.boolval !== undefined && constant.boolval.boolval !== true) return nothing;
  return unknown;
}

/** Handles `col = c`, `c = col`, `col IN (...)`, `col = ANY(...)`, `col IS NOT DISTINCT FROM c`. */
function comparisonConstraint(
  expr: ast.A_Expr, target: PruneTarget, context: PruneContext,
): Constraint {
  if (!isEqualityOperator(expr.name)) return unknown;
  const { lexpr, rexpr } = expr;
  if (lexpr === undefined || rexpr === undefined) return unknown;
  switch (expr.kind) {
    case "AEXPR_OP":
    case "AEXPR_NOT_DISTINCT": {
      const nullMatches = expr.kind === "AEXPR_NOT_DISTINCT";
      if (isTargetColumn(lexpr, target, context)) {
        return valuesConstraint([rexpr], target, context, nullMatches);
      }
      if (isTargetColumn(rexpr, target, context)) {
        return valuesConstraint([lexpr], target, context, nullMatches);
      }
      return unknown;
    }
    case "AEXPR_IN":
      if (!isTargetColumn(lexpr, target, context) || !("List" in rexpr)) return unknown;
      return valuesConstraint(rexpr.List.items ?? [], target, context, false);
    case "AEXPR_OP_ANY":
      if (!isTargetColumn(lexpr, target, context)) return unknown;
      return anyConstraint(rexpr, target, context);
    default:
      return unknown;
  }
}

/** `col = ANY(ARRAY[...])` lists its elements; other arrays go to `evaluateArray`. */
function anyConstraint(rexpr: ast.Node, target: PruneTarget, context: PruneContext): Constraint {
  if ("A_ArrayExpr" in rexpr) {
    return valuesConstraint(rexpr.A_ArrayExpr.elements ?? [], target, context, false);
  }
  if (context.evaluateArray === undefined) return unknown;
  const result = context.evaluateArray(rexpr, target.typeOid);
  if (!result.ok) return unknown;
  return setOf(result.values.filter((value) => value !== null), target);
}

/**
 * Returns the set of the listed constants, NULLs dropped (`col = NULL` is never true), or
 * unknown if one is not a constant. With `nullMatches` (IS NOT DISTINCT FROM) a NULL
 * constant asks for `col IS NULL`, which pruning leaves unknown.
 */
function valuesConstraint(
  exprs: readonly ast.Node[], target: PruneTarget, context: PruneContext, nullMatches: boolean,
): Constraint {
  const values: Value[] = [];
  for (const expr of exprs) {
    const result = context.evaluateConstant(expr, target.typeOid);
    if (!result.ok) return unknown;
    if (result.value === null) {
      if (nullMatches) return unknown;
      continue;
    }
    values.push(result.value);
  }
  return setOf(values, target);
}

function setOf(values: readonly Value[], target: PruneTarget): Constraint {
  const set = new Map<string, Value>();
  for (const value of values) {
    assert(value !== null, "NULLs are dropped before hashing");
    set.set(Buffer.from(encodeForHash(value, target.typeOid)).toString("latin1"), value);
  }
  return set;
}

function isTargetColumn(expr: ast.Node, target: PruneTarget, context: PruneContext): boolean {
  if (!("ColumnRef" in expr)) return false;
  const column = context.resolveColumn(expr.ColumnRef);
  if (column === undefined || column.alias !== target.alias) return false;
  assert(column.typeOid === target.typeOid, "the resolver and the target agree on the type");
  return true;
}

/** Accepts `=` and `OPERATOR(pg_catalog.=)`; any other schema's `=` is a user operator. */
function isEqualityOperator(name: readonly ast.Node[] | undefined): boolean {
  if (name === undefined || name.length === 0 || name.length > 2) return false;
  const parts = name.map((part) => ("String" in part ? part.String.sval : undefined));
  if (parts.length === 2 && parts[0] !== "pg_catalog") return false;
  return parts[parts.length - 1] === "=";
}

function intersect(left: Constraint, right: Constraint): Constraint {
  if (left === null) return right;
  if (right === null) return left;
  const result = new Map<string, Value>();
  for (const [key, value] of left) if (right.has(key)) result.set(key, value);
  return result;
}

function unite(left: Constraint, right: Constraint): Constraint {
  if (left === null || right === null) return unknown;
  return new Map([...left, ...right]);
}
