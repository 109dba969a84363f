/**
 * Which columns of each scanned table a query reads above the scan, so EXPLAIN's widths
 * count only those (Postgres narrows scan target lists the same way): `select x from t
 * where y = 1` reads 4 bytes per row of t, not the whole row.
 *
 * Each query level (the main query, a derived table, a CTE, a subquery) has its own FROM
 * row; a var above a scan reads position `index` of its level's row. Expressions above an
 * aggregate read the aggregate's output instead and are skipped.
 */
import type { Expr } from "../analyze/expr.js";
import { mapExpr } from "../analyze/expr-map.js";
import type { Plan } from "./plan.js";

/** Maps every scan node to the FROM positions its query level reads above scans. */
export function neededColumns(root: Plan): Map<Plan, Set<number>> {
  const out = new Map<Plan, Set<number>>();
  const levels: Plan[] = [root];
  for (let i = 0; i < levels.length && i < 10_000; i++) {
    const needed = new Set<number>();
    walkLevel(levels[i]!, needed, out, levels);
  }
  return out;
}

function walkLevel(plan: Plan, needed: Set<number>, out: Map<Plan, Set<number>>,
  levels: Plan[]): void {
  const add = (e: Expr | null): void => {
    if (e === null) return;
    mapExpr(e, (x) => {
      if (x.kind === "var") needed.add(x.index);
      if (x.kind === "subLink") levels.push(x.plan);
      if (x.kind === "aggref") {
        x.agg.args.forEach(add);
        add(x.agg.filter);
      }
      return undefined;
    });
  };
  switch (plan.kind) {
    case "seqScan": case "indexScan": case "functionScan": case "cteScan": case "values":
    case "workTableScan": case "result":
      out.set(plan, needed);
      return;
    case "subqueryScan": levels.push(plan.input); out.set(plan, needed); return;
    case "nestLoop": case "hashJoin":
      add(plan.cond);
      add(plan.filter);
      if (plan.kind === "hashJoin") [...plan.leftKeys, ...plan.rightKeys].forEach(add);
      if (plan.kind === "nestLoop") for (const l of plan.lateral) add(l.expr);
      walkLevel(plan.left, needed, out, levels);
      walkLevel(plan.right, needed, out, levels);
      return;
    case "agg":
      plan.groupKeys.forEach(add);
      for (const a of plan.aggs) {
        a.args.forEach(add);
        add(a.filter);
        a.order.forEach((k) => add(k.expr));
      }
      walkLevel(plan.input, needed, out, levels);
      return;
    default:
      walkUpper(plan, needed, out, levels, add);
  }
}

function walkUpper(plan: Plan, needed: Set<number>, out: Map<Plan, Set<number>>,
  levels: Plan[], add: (e: Expr | null) => void): void {
  switch (plan.kind) {
    case "window":
      if (isFromLevel(plan.input)) {
        for (const c of plan.calls) {
          c.args.forEach(add);
          c.window.partition.forEach(add);
          c.window.order.forEach((k) => add(k.expr));
        }
      }
      walkLevel(plan.input, needed, out, levels);
      return;
    case "project":
      if (isFromLevel(plan.input)) [...plan.exprs, ...plan.srfs].forEach(add);
      walkLevel(plan.input, needed, out, levels);
      return;
    case "sort":
      if (isFromLevel(plan.input)) plan.keys.forEach((k) => add(k.expr));
      walkLevel(plan.input, needed, out, levels);
      return;
    case "limit": case "distinct": case "trim":
      walkLevel(plan.input, needed, out, levels);
      return;
    case "with":
      for (const c of plan.ctes) levels.push(c.plan);
      walkLevel(plan.input, needed, out, levels);
      return;
    case "setOp": levels.push(plan.left, plan.right); return;
    case "recursiveUnion": levels.push(plan.base, plan.recursive); return;
    case "modify": levels.push(plan.input); return;
    default: return;
  }
}

/** True when `plan`'s rows are laid out as its level's FROM row (possibly extended). */
function isFromLevel(plan: Plan): boolean {
  switch (plan.kind) {
    case "agg": case "project": case "setOp": case "recursiveUnion": case "modify":
      return false;
    case "sort": case "limit": case "distinct": case "trim": case "with": case "window":
      return isFromLevel(plan.input);
    default:
      return true;
  }
}
