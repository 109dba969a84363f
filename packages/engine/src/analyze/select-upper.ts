/**
 * The upper part of a SELECT, between WHERE and the select list (Postgres's grouping_planner):
 * aggregation (plain, hashed, grouping sets) with HAVING, then the window functions.
 *
 * Expressions above the aggregate are rewritten to read its output row [keys…, aggregates…]
 * (`grouping.ts`); window calls are rewritten the same way, since their arguments, PARTITION
 * BY and ORDER BY are evaluated over that row. Each window call then becomes a column of the
 * WindowAgg that computes it, and the select list and ORDER BY read that column.
 */
import type { AggCall, Expr, SortKey, WindowCall, WindowSpec } from "./expr.js";
import { mapExpr } from "./expr-map.js";
import { GroupingRewriter, exprKey } from "./grouping.js";
import { bindGroupingCalls, checkGroupingImplementable, type GroupClause }
  from "./grouping-sets.js";
import { dependentGroupKeys } from "./functional-grouping.js";
import type { Scope } from "./scope.js";
import { windowsInOrder } from "./window-clause.js";
import type { Plan } from "../plan/plan.js";
import { planWindows, type OrderingKey } from "../plan/window.js";

export interface UpperQuery {
  readonly plan: Plan;
  /** Select-list and ORDER BY entries; their expressions are rewritten in place. */
  readonly targets: { expr: Expr }[];
  readonly order: { key: SortKey; target?: number }[];
  readonly group: GroupClause | null;
  readonly having: Expr | null;
  readonly aggs: readonly AggCall[];
  readonly windows: readonly WindowCall[];
  readonly scope: Scope;
}

export interface UpperPlan {
  readonly plan: Plan;
  /** The order rows leave the top node in (a window's sort), for eliding a final Sort. */
  readonly ordering: readonly OrderingKey[];
}

/** Adds the Agg and WindowAgg nodes a query level needs on top of `q.plan`. */
export function planUpper(q: UpperQuery): UpperPlan {
  let plan = q.plan;
  let rewrite = (e: Expr): Expr => e;
  let groupRefs: string[] = [];
  if (q.aggs.length > 0 || q.group !== null || q.having !== null) {
    if (q.group !== null) checkGroupingImplementable(q.group, q.aggs);
    const { keys, sets } = widenedKeys(q);
    bindGroupingCalls(q.aggs, keys);
    const rewriter = new GroupingRewriter(keys, q.aggs);
    // Postgres finds an ungrouped column in the select list before one in HAVING.
    for (const t of q.targets) rewriter.rewrite(t.expr);
    const plainSets = sets !== null && sets.length === 1 && sets[0]!.length === keys.length;
    plan = { kind: "agg", strategy: keys.length === 0 ? "plain" : "hashed", input: plan,
      groupKeys: keys, aggs: q.aggs, groupingSets: plainSets ? null : sets,
      filter: q.having === null ? null : rewriter.rewrite(q.having),
      width: keys.length + q.aggs.length, rows: keys.length === 0 ? 1 : 200 };
    rewrite = (e) => rewriter.rewrite(e);
    groupRefs = keys.map((k) => exprKey(rewriter.rewrite(k)));
  }
  const { calls, specs: rewrittenSpecs } = rewriteWindowCalls(q.windows, rewrite);
  const swapCalls = (e: Expr): Expr => mapExpr(e, (x) => (x.kind === "windowref"
    ? { ...x, call: calls.get(x.call) ?? x.call } : undefined));
  for (const t of q.targets) t.expr = rewrite(swapCalls(t.expr));
  for (const o of q.order) o.key = { ...o.key, expr: rewrite(swapCalls(o.key.expr)) };
  if (q.group !== null) readOwnKeys(q, q.group.targetKeys);
  if (q.windows.length === 0) return { plan, ordering: [] };
  const specs = windowsInOrder(q.scope).map((s) => rewrittenSpecs.get(s) ?? s);
  const refs = [...q.order.map((o) => exprKey(o.key.expr)), ...groupRefs];
  const planned = planWindows({ plan, ordering: [], calls: [...calls.values()], specs, refs });
  const toColumn = (e: Expr): Expr => mapExpr(e, (x) => {
    if (x.kind !== "windowref") return undefined;
    const index = planned.columns.get(x.call)!;
    return { kind: "var", index, type: x.type, typmod: x.typmod, name: x.call.name,
      tableOid: 0, attnum: 0 };
  });
  for (const t of q.targets) t.expr = toColumn(t.expr);
  for (const o of q.order) o.key = { ...o.key, expr: toColumn(o.key.expr) };
  return { plan: planned.plan, ordering: planned.ordering };
}

/**
 * Select-list entries (and ORDER BY items naming them) that are grouping columns of their own
 * read their own key, not the first key of an equal expression (run after the rewrite).
 */
function readOwnKeys(q: UpperQuery, targetKeys: ReadonlyMap<number, number>): void {
  const own = (target: number, e: Expr): Expr => {
    const key = targetKeys.get(target);
    return key !== undefined && e.kind === "var" ? { ...e, index: key } : e;
  };
  q.targets.forEach((t, i) => {
    t.expr = own(i, t.expr);
  });
  for (const o of q.order) {
    if (o.target !== undefined) o.key = { ...o.key, expr: own(o.target, o.key.expr) };
  }
}

/**
 * The GROUP BY keys plus the columns they determine through a primary key; with grouping
 * sets, through keys common to every set, and the added keys join every set.
 */
function widenedKeys(q: UpperQuery): { keys: Expr[]; sets: number[][] | null } {
  const keys = q.group?.keys ?? [];
  const sets = q.group?.sets ?? null;
  if (q.group === null) return { keys, sets };
  const used: Expr[] = [...q.targets.map((t) => t.expr), ...q.order.map((o) => o.key.expr)];
  if (q.having !== null) used.push(q.having);
  for (const w of q.windows) {
    used.push(...w.args, ...w.window.partition, ...w.window.order.map((k) => k.expr));
    if (w.filter !== null) used.push(w.filter);
  }
  const common = sets === null ? keys : keys.filter((_k, i) => sets.every((g) => g.includes(i)));
  const extra = dependentGroupKeys(keys, used, q.scope.statement.catalog, common);
  if (extra.length === 0) return { keys, sets };
  const added = extra.map((_e, i) => keys.length + i);
  return { keys: [...keys, ...extra], sets: sets?.map((g) => [...g, ...added]) ?? null };
}

/**
 * Rewrites every call's arguments, FILTER and window over the aggregate's output row; a
 * window is rewritten once, so calls over one window still share one specification.
 */
function rewriteWindowCalls(windows: readonly WindowCall[], rewrite: (e: Expr) => Expr):
  { calls: Map<WindowCall, WindowCall>; specs: Map<WindowSpec, WindowSpec> } {
  const local = new Map<WindowSpec, WindowSpec>();
  const specOf = (s: WindowSpec): WindowSpec => {
    let out = local.get(s);
    if (out === undefined) {
      out = { ...s, partition: s.partition.map(rewrite),
        order: s.order.map((k) => ({ ...k, expr: rewrite(k.expr) })) };
      local.set(s, out);
    }
    return out;
  };
  const calls = new Map<WindowCall, WindowCall>();
  for (const c of windows) {
    calls.set(c, { ...c, args: c.args.map(rewrite),
      filter: c.filter === null ? null : rewrite(c.filter), window: specOf(c.window) });
  }
  return { calls, specs: local };
}
