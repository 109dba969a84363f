/**
 * The detail lines under an EXPLAIN node (explain.c's show_* functions): Filter, Index Cond,
 * Hash Cond, Join Filter, Sort Key, Group Key, and with ANALYZE what the run measured (Rows
 * Removed by Filter, Sort Method, memory).
 */
import type { Expr, VarExpr } from "../analyze/expr.js";
import { Frame } from "../analyze/window-clause.js";
import { deparseAgg, deparseExpr, sortSuffix, type DeparseContext } from "./explain-deparse.js";
import type { Renderer } from "./explain-text.js";
import type { AggPlan, IndexScanPlan, Plan } from "./plan.js";

/** Returns the detail lines of `plan`, without indentation. */
export function nodeProperties(plan: Plan, r: Renderer): string[] {
  const out: string[] = [];
  const qual = (label: string, e: Expr | null, ctx: DeparseContext): void => {
    if (e !== null) out.push(`${label}: ${deparseExpr(e, ctx)}`);
  };
  const scanCtx = r.contextOver(null, r.prefixFor(true));
  switch (plan.kind) {
    case "seqScan": case "functionScan": case "cteScan": case "workTableScan":
      qual("Filter", plan.filter, scanCtx);
      removed(plan, r, out);
      break;
    case "indexScan":
      if (plan.lower !== null || plan.upper !== null) {
        out.push(`Index Cond: ${indexCond(plan, scanCtx)}`);
      }
      qual("Filter", plan.filter, scanCtx);
      removed(plan, r, out);
      break;
    case "subqueryScan":
      qual(plan.alias === "" ? "One-Time Filter" : "Filter", plan.filter,
        r.contextOver(null, true));
      removed(plan, r, out);
      break;
    case "hashJoin": {
      const ctx = r.contextOver(null, r.prefixFor(false));
      const [outer, inner] = plan.buildSide === "left" ? [plan.rightKeys, plan.leftKeys]
        : [plan.leftKeys, plan.rightKeys];
      const pairs = outer.map((o, i) =>
        `(${deparseExpr(o, ctx)} = ${deparseExpr(inner[i]!, ctx)})`);
      out.push(`Hash Cond: ${pairs.length === 1 ? pairs[0]! : `(${pairs.join(" AND ")})`}`);
      qual("Join Filter", plan.cond, ctx);
      qual("Filter", plan.filter, ctx);
      break;
    }
    case "nestLoop": {
      const ctx = r.contextOver(null, r.prefixFor(false));
      qual("Join Filter", plan.cond, ctx);
      qual("Filter", plan.filter, ctx);
      break;
    }
    default:
      upperProperties(plan, r, out);
  }
  return out;
}

function upperProperties(plan: Plan, r: Renderer, out: string[]): void {
  const prefix = r.prefixFor(false);
  switch (plan.kind) {
    case "agg": aggProperties(plan, r, out); break;
    case "sort": {
      const ctx = r.contextOver(plan.input, prefix);
      out.push(`Sort Key: ${plan.keys.map((k) => deparseExpr(k.expr, ctx) + sortSuffix(k))
        .join(", ")}`);
      const i = r.instrument(plan);
      if (r.options.analyze && i !== undefined && i.sort !== null) {
        out.push(`Sort Method: ${i.sort.method}  Memory: ${Math.max(25,
          Math.ceil(i.sort.rows * (r.costs.cost(plan).width + 64) / 1024))}kB`);
      }
      break;
    }
    case "distinct":
      if (!plan.on) {
        const ctx = r.contextOver(plan.input, prefix);
        out.push(`Group Key: ${plan.columns.map((c) => ctx.column(columnVar(c))).join(", ")}`);
        hashMemory(plan, r, out);
      }
      break;
    case "setOp":
      if (plan.op === "union" && !plan.all) {
        const ctx = r.contextOver(plan.left, prefix);
        const keys = Array.from({ length: plan.width }, (_x, i) => ctx.column(columnVar(i)));
        out.push(`Group Key: ${keys.join(", ")}`);
      }
      break;
    case "window":
      if (r.options.verbose) {
        const spec = plan.calls[0]!.window;
        out.push(`Frame: ${(spec.frameOptions & Frame.rows) !== 0 ? "ROWS" : "RANGE"}`);
      }
      break;
    default: break;
  }
}

function aggProperties(plan: AggPlan, r: Renderer, out: string[]): void {
  const prefix = r.prefixFor(false);
  const ctx = r.contextOver(plan.input, prefix);
  const keyText = (set: readonly number[]): string => (set.length === 0 ? "()"
    : set.map((k) => deparseExpr(plan.groupKeys[k]!, ctx)).join(", "));
  if (plan.groupingSets !== null) {
    const hashed = plan.groupingSets.filter((s) => s.length > 0)
      .sort((a, b) => b.length - a.length);
    for (const set of hashed) out.push(`Hash Key: ${keyText(set)}`);
    for (const set of plan.groupingSets) if (set.length === 0) out.push("Group Key: ()");
  } else if (plan.groupKeys.length > 0) {
    out.push(`Group Key: ${keyText(plan.groupKeys.map((_k, i) => i))}`);
  }
  if (plan.filter !== null) {
    const own: DeparseContext = { ...ctx, column: (v) => {
      const keys = plan.groupKeys.length;
      if (v.index >= keys) return deparseAgg(plan.aggs[v.index - keys]!, ctx);
      return deparseExpr(plan.groupKeys[v.index]!, ctx);
    } };
    out.push(`Filter: ${deparseExpr(plan.filter, own)}`);
  }
  if (plan.strategy === "hashed" || plan.groupingSets !== null) hashMemory(plan, r, out);
}

/** HashAggregate's ANALYZE line; the memory figure is an estimate. */
function hashMemory(plan: Plan, r: Renderer, out: string[]): void {
  const i = r.instrument(plan);
  if (!r.options.analyze || i === undefined || i.loops === 0) return;
  const kb = 40 + Math.floor(i.rows * (r.costs.cost(plan).width + 64) / 1024);
  out.push(`Batches: 1  Memory Usage: ${kb}kB`);
}

function removed(plan: Plan, r: Renderer, out: string[]): void {
  const i = r.instrument(plan);
  if (r.options.analyze && i !== undefined && i.removedByFilter > 0) {
    out.push(`Rows Removed by Filter: ${i.removedByFilter}`);
  }
}

/** Rebuilds the Index Cond from the scan's bounds: `(id = 1)`, `((a >= 1) AND (a < 9))`. */
function indexCond(plan: IndexScanPlan, ctx: DeparseContext): string {
  const names = plan.index.columns.map((c) => ctx.column({ kind: "var", index: plan.offset + c,
    type: 0, typmod: -1, name: `${plan.alias}.${plan.relation.columns[c]!.name}`, tableOid: 0,
    attnum: c + 1 }));
  const parts: string[] = [];
  const lower = plan.lower;
  const upper = plan.upper;
  const equal = lower !== null && upper !== null && lower.inclusive && upper.inclusive &&
    lower.values === upper.values;
  if (equal) {
    lower.values.forEach((v, i) => parts.push(`(${names[i]} = ${deparseExpr(v, ctx)})`));
  } else {
    if (lower !== null) {
      lower.values.forEach((v, i) => parts.push(`(${names[i]} ${lower.inclusive ? ">=" : ">"} ` +
        `${deparseExpr(v, ctx)})`));
    }
    if (upper !== null) {
      upper.values.forEach((v, i) => parts.push(`(${names[i]} ${upper.inclusive ? "<=" : "<"} ` +
        `${deparseExpr(v, ctx)})`));
    }
  }
  return parts.length === 1 ? parts[0]! : `(${parts.join(" AND ")})`;
}

function columnVar(index: number): VarExpr {
  return { kind: "var", index, type: 0, typmod: -1, name: `${index + 1}`, tableOid: 0, attnum: 0 };
}
