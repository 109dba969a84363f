/**
 * Join planning: an equi-join (some `left = right` conjuncts whose sides come from different
 * inputs, of one type or both integers) becomes a hash join; anything else, and every
 * LATERAL join, a nested loop.
 *
 * The hash table is built from the input whose join keys are unique (a primary key or unique
 * index of the table it scans), else from the smaller one by estimate, as Postgres's costs
 * usually decide: hashing unique keys keeps buckets short, and `a JOIN b ON a.id = b.aid`
 * hashes `a` and probes with `b` ("Hash Join", outer side b).
 *
 * A FULL JOIN needs an equality between its inputs (or only constant conditions), as in
 * Postgres, whose merge and hash joins are the only ones that run it; else 0A000.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Expr } from "../analyze/expr.js";
import { CostModel } from "./explain-cost.js";
import { conjuncts } from "./filter.js";
import type { JoinType, Plan } from "./plan.js";

export interface JoinSpec {
  readonly joinType: JoinType;
  readonly left: Plan;
  readonly right: Plan;
  /** FROM-row position of the join's first column. */
  readonly offset: number;
  readonly leftWidth: number;
  readonly cond: Expr | null;
  readonly lateral: readonly { slot: number; expr: Expr }[];
}

export function planJoin(spec: JoinSpec): Plan {
  const width = spec.leftWidth + spec.right.width;
  const rows = Math.max(spec.left.rows, spec.right.rows);
  if (spec.lateral.length === 0 && spec.cond !== null) {
    const leftKeys: Expr[] = [];
    const rightKeys: Expr[] = [];
    const equalities: Expr[] = [];
    const rest: Expr[] = [];
    const split = spec.offset + spec.leftWidth;
    for (const c of conjuncts(spec.cond)) {
      const pair = equiPair(c, spec.offset, split, spec.offset + width);
      if (pair === undefined) rest.push(c);
      else {
        leftKeys.push(pair[0]);
        rightKeys.push(pair[1]);
        equalities.push(c);
      }
    }
    if (leftKeys.length > 0) {
      const cond = rest.length === 0 ? null : rest.length === 1 ? rest[0]!
        : { kind: "and" as const, type: 16, typmod: -1, args: rest };
      const buildSide = chooseBuildSide(spec, leftKeys, rightKeys);
      return { kind: "hashJoin", joinType: spec.joinType, left: spec.left, right: spec.right,
        leftWidth: spec.leftWidth, offset: spec.offset, leftKeys, rightKeys, equalities, cond,
        filter: null, condText: "", width, rows, ...(buildSide === "left" && { buildSide }) };
    }
  }
  if (spec.joinType === "full" && spec.cond !== null) checkFullJoinCondition(spec);
  return { kind: "nestLoop", joinType: spec.joinType, left: spec.left, right: spec.right,
    leftWidth: spec.leftWidth, offset: spec.offset, cond: spec.cond, filter: null,
    lateral: spec.lateral, width,
    rows: spec.cond === null ? spec.left.rows * spec.right.rows : rows };
}

/**
 * Postgres runs a FULL JOIN only as a merge join (every condition an equality between the
 * inputs, or a constant) or a hash join (at least one such equality); anything else is 0A000.
 * Any `=` between the two inputs counts here, whatever its operand types.
 */
function checkFullJoinCondition(spec: JoinSpec): void {
  const split = spec.offset + spec.leftWidth;
  const end = split + spec.right.width;
  const equality = (c: Expr): boolean => {
    if (c.kind !== "call" || !c.operator || c.name !== "=" || c.args.length !== 2) return false;
    const sides = c.args.map((a) => side(a, spec.offset, split, end)).sort().join(" ");
    return sides === "left right";
  };
  const parts = conjuncts(spec.cond!);
  if (parts.some(equality) || parts.every((c) => c.kind === "const")) return;
  throw new SqlError(SqlState.featureNotSupported,
    "FULL JOIN is only supported with merge-joinable or hash-joinable join conditions");
}

/** Hashes the input with unique keys, else the smaller one (the right one on a tie). */
function chooseBuildSide(spec: JoinSpec, leftKeys: readonly Expr[],
  rightKeys: readonly Expr[]): "left" | "right" {
  const leftUnique = uniqueKeys(spec.left, leftKeys);
  const rightUnique = uniqueKeys(spec.right, rightKeys);
  if (leftUnique !== rightUnique) return leftUnique ? "left" : "right";
  const model = new CostModel(null);
  return model.cost(spec.left).rows < model.cost(spec.right).rows ? "left" : "right";
}

/** True when `plan` scans one table and `keys` cover one of its unique indexes. */
function uniqueKeys(plan: Plan, keys: readonly Expr[]): boolean {
  if (plan.kind !== "seqScan" && plan.kind !== "indexScan") return false;
  const columns = new Set(keys.filter((k) => k.kind === "var").map((k) =>
    (k as Expr & { kind: "var" }).index - plan.offset));
  return plan.relation.indexes.some((index) => index.unique && index.deferrable !== true &&
    index.computed === undefined &&
    index.columns.every((c) => columns.has(c)));
}

const integerTypes = new Set([20, 21, 23]);

/** Returns [leftSide, rightSide] of an `=` between the two inputs, or undefined. */
function equiPair(c: Expr, start: number, split: number, end: number): [Expr, Expr] | undefined {
  if (c.kind !== "call" || !c.operator || c.name !== "=" || c.args.length !== 2) return undefined;
  const [a, b] = c.args as [Expr, Expr];
  if (a.type !== b.type && !(integerTypes.has(a.type) && integerTypes.has(b.type))) {
    return undefined;
  }
  const sa = side(a, start, split, end);
  const sb = side(b, start, split, end);
  if (sa === "left" && sb === "right") return [a, b];
  if (sa === "right" && sb === "left") return [b, a];
  return undefined;
}

/** Which input all of `e`'s vars come from: "left", "right", "none", or "both". */
export function side(e: Expr, start: number, split: number, end: number): string {
  const found = new Set<string>();
  const visit = (x: Expr): void => {
    switch (x.kind) {
      case "var":
        found.add(x.index < start || x.index >= end ? "both"
          : x.index < split ? "left" : "right");
        return;
      case "subLink": case "aggref": case "windowref": case "srfref": case "caseTest":
        found.add("both");
        return;
      case "call": case "and": case "or": case "not": case "coalesce": case "minmax": case "row":
        x.args.forEach(visit);
        return;
      case "cast": case "nullTest": case "boolTest":
        visit(x.arg);
        return;
      case "distinct": case "nullif":
        visit(x.left);
        visit(x.right);
        return;
      case "const": case "param": case "outer":
        return;
      default:
        found.add("both");
    }
  };
  visit(e);
  if (found.size === 0) return "none";
  return found.size === 1 ? [...found][0]! : "both";
}
