/**
 * Attaches a WHERE condition to the plan node that should evaluate it: a scan or join takes
 * it as its own filter (as EXPLAIN shows "Filter:" under the node), then `plan/index-path.ts`
 * may turn a scan's filter into index bounds.
 */
import type { Expr } from "../analyze/expr.js";
import { Oid } from "../catalog/types.js";
import type { Plan } from "./plan.js";
import { chooseIndexPath } from "./index-path.js";

/** Returns `plan` with `pred` applied to its output. */
export function pushFilter(plan: Plan, pred: Expr): Plan {
  switch (plan.kind) {
    case "seqScan": {
      const filter = andWith(plan.filter, pred);
      return chooseIndexPath({ ...plan, filter, rows: estimate(plan.rows) });
    }
    case "functionScan": case "subqueryScan": case "cteScan": case "workTableScan":
    case "nestLoop": case "hashJoin":
      return { ...plan, filter: andWith(plan.filter, pred), rows: estimate(plan.rows) };
    case "result":
      return { kind: "subqueryScan", input: plan, alias: "", offset: 0, filter: pred,
        width: plan.width, rows: 1 };
    default:
      return { kind: "subqueryScan", input: plan, alias: "", offset: 0, filter: pred,
        width: plan.width, rows: estimate(plan.rows) };
  }
}

function estimate(rows: number): number {
  return Math.max(1, Math.round(rows * 0.33));
}

/** ANDs two conditions, flattening. */
export function andWith(a: Expr | null, b: Expr): Expr {
  if (a === null) return b;
  const left = a.kind === "and" ? a.args : [a];
  const right = b.kind === "and" ? b.args : [b];
  return { kind: "and", type: Oid.bool, typmod: -1, args: [...left, ...right] };
}

/** Splits a condition into its AND-ed parts. */
export function conjuncts(expr: Expr | null): Expr[] {
  if (expr === null) return [];
  return expr.kind === "and" ? expr.args.flatMap((a) => conjuncts(a)) : [expr];
}
