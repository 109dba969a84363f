/**
 * Attaches a WHERE condition to the plan node that should evaluate it (Postgres's
 * distribute_qual_to_rels, in small): each AND-ed part goes as far down as it can. Through an
 * inner join a part that reads one side only goes to that side; through an outer join only
 * to the preserved side. A scan takes what reaches it as its filter, cheapest tests first as
 * Postgres orders them, then `plan/index-path.ts` may turn the filter into index bounds. What
 * reads both sides of an inner join becomes a join condition, so `FROM a, b WHERE a.id =
 * b.aid` is a hash join, not a filtered cross product.
 */
import type { Expr } from "../analyze/expr.js";
import { mapExpr, someExpr } from "../analyze/expr-map.js";
import { Oid } from "../catalog/types.js";
import type { HashJoinPlan, NestLoopPlan, Plan } from "./plan.js";
import { chooseIndexPath } from "./index-path.js";
import { planJoin, side } from "./join.js";

/** Returns `plan` with `pred` applied to its output. */
export function pushFilter(plan: Plan, pred: Expr): Plan {
  const parts = conjuncts(pred);
  const gates = parts.filter(pseudoConstant);
  if (gates.length > 0) return gated(plan, gates, parts.filter((p) => !gates.includes(p)));
  switch (plan.kind) {
    case "seqScan": {
      const filter = orderedAnd(conjuncts(andWith(plan.filter, pred)));
      return chooseIndexPath({ ...plan, filter, rows: estimate(plan.rows) });
    }
    case "subqueryScan":
      return pushIntoSubquery(plan, pred) ?? { ...plan,
        filter: orderedAnd(conjuncts(andWith(plan.filter, pred))), rows: estimate(plan.rows) };
    case "indexScan": case "functionScan": case "cteScan": case "workTableScan":
      return { ...plan, filter: orderedAnd(conjuncts(andWith(plan.filter, pred))),
        rows: estimate(plan.rows) };
    case "nestLoop": case "hashJoin":
      return pushIntoJoin(plan, conjuncts(pred));
    case "result":
      return { kind: "subqueryScan", input: plan, alias: "", offset: 0, filter: pred,
        width: plan.width, rows: 1 };
    default:
      return { kind: "subqueryScan", input: plan, alias: "", offset: 0, filter: pred,
        width: plan.width, rows: estimate(plan.rows) };
  }
}

/**
 * Tests that read no column (constants, parameters, outer values) gate the plan once, as
 * Postgres's One-Time Filter; a gate that is false replaces the plan with nothing to read.
 */
function gated(plan: Plan, gates: readonly Expr[], rest: readonly Expr[]): Plan {
  const inner = rest.length === 0 ? plan : pushFilter(plan, orderedAnd(rest)!);
  const gate = orderedAnd(gates)!;
  const never = gate.kind === "const" && gate.value !== true;
  const input: Plan = never ? { kind: "result", width: 0, rows: 1 } : inner;
  return { kind: "subqueryScan", input, alias: "", offset: 0, filter: gate, width: plan.width,
    rows: never ? 0 : inner.rows };
}

function pseudoConstant(e: Expr): boolean {
  return !someExpr(e, (x) => x.kind === "var" || x.kind === "subLink" || x.kind === "aggref" ||
    x.kind === "windowref" || x.kind === "srfref" || (x.kind === "call" && x.volatile));
}

/**
 * Pushes a filter on a derived table into it (Postgres pulls such subqueries up): through
 * its select list into its WHERE, or into its HAVING when it aggregates. Not through
 * LIMIT, DISTINCT, windows or set-returning functions, which a filter below would change.
 */
function pushIntoSubquery(sq: Plan & { kind: "subqueryScan" }, pred: Expr): Plan | null {
  const project = sq.input;
  if (sq.alias === "" || project.kind !== "project" || project.srfs.length > 0) return null;
  if (someExpr(pred, (x) => x.kind === "subLink" || (x.kind === "call" && x.volatile))) {
    return null;
  }
  let ok = true;
  const inner = mapExpr(pred, (x) => {
    if (x.kind !== "var") return undefined;
    const e = project.exprs[x.index - sq.offset];
    if (e === undefined || someExpr(e, (y) => y.kind === "srfref" || y.kind === "subLink" ||
      (y.kind === "call" && y.volatile))) ok = false;
    return e ?? x;
  });
  if (!ok) return null;
  const below = project.input;
  if (below.kind === "agg" && below.groupingSets === null) {
    const agg = { ...below, filter: andWith(below.filter, inner) };
    return { ...sq, input: { ...project, input: agg } };
  }
  if (!fromLevel(below)) return null;
  return { ...sq, input: { ...project, input: pushFilter(below, inner) } };
}

function fromLevel(plan: Plan): boolean {
  switch (plan.kind) {
    case "seqScan": case "indexScan": case "functionScan": case "subqueryScan": case "cteScan":
    case "workTableScan": case "nestLoop": case "hashJoin": case "values": case "result":
      return true;
    default:
      return false;
  }
}

/** Sends each part to the join input it reads, if the join type allows; keeps the rest. */
function pushIntoJoin(plan: NestLoopPlan | HashJoinPlan, parts: readonly Expr[]): Plan {
  const start = plan.offset;
  const split = plan.offset + plan.leftWidth;
  const end = plan.offset + plan.width;
  const toLeft: Expr[] = [];
  const toRight: Expr[] = [];
  const rest: Expr[] = [];
  const lateral = plan.kind === "nestLoop" && plan.lateral.length > 0;
  for (const p of parts) {
    const s = volatile(p) ? "both" : side(p, start, split, end);
    if ((s === "left" || s === "none") && (plan.joinType === "inner" || plan.joinType === "left")) {
      toLeft.push(p);
    } else if (s === "right" && !lateral &&
      (plan.joinType === "inner" || plan.joinType === "right")) {
      toRight.push(p);
    } else rest.push(p);
  }
  const left = toLeft.length === 0 ? plan.left : pushFilter(plan.left, orderedAnd(toLeft)!);
  const right = toRight.length === 0 ? plan.right : pushFilter(plan.right, orderedAnd(toRight)!);
  if (plan.joinType === "inner" && !lateral && plan.filter === null) {
    const cond = [...joinConditions(plan), ...rest];
    return planJoin({ joinType: "inner", left, right, offset: plan.offset,
      leftWidth: plan.leftWidth, cond: cond.length === 0 ? null : orderedAnd(cond),
      lateral: [] });
  }
  const filter = rest.length === 0 ? plan.filter : andWith(plan.filter, orderedAnd(rest)!);
  return { ...plan, left, right, filter, rows: estimate(plan.rows) };
}

/** The conjuncts a join already tests, hash keys turned back into `=` conditions. */
function joinConditions(plan: NestLoopPlan | HashJoinPlan): Expr[] {
  if (plan.kind === "nestLoop") return conjuncts(plan.cond);
  return [...plan.equalities, ...conjuncts(plan.cond)];
}

function volatile(e: Expr): boolean {
  return someExpr(e, (x) => (x.kind === "call" && x.volatile) || x.kind === "subLink");
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

/**
 * ANDs `parts` in the order Postgres evaluates a qual list: equalities with a constant side
 * (which Postgres regenerates from equivalence classes) after the other tests, then stably
 * by cost, one unit per operator, function or cast (order_qual_clauses).
 */
export function orderedAnd(parts: readonly Expr[]): Expr | null {
  if (parts.length === 0) return null;
  if (parts.length === 1) return parts[0]!;
  const isEq = (e: Expr): boolean => e.kind === "call" && e.operator && e.name === "=" &&
    e.args.length === 2;
  const ordered = [...parts.filter((p) => !isEq(p)), ...parts.filter(isEq)]
    .map((e, i) => ({ e, i, cost: qualCost(e) }))
    .sort((a, b) => a.cost - b.cost || a.i - b.i)
    .map((x) => x.e);
  return { kind: "and", type: Oid.bool, typmod: -1, args: ordered };
}

function qualCost(e: Expr): number {
  let n = 0;
  someExpr(e, (x) => {
    const costly = x.kind === "call" || x.kind === "cast" || x.kind === "distinct" ||
      x.kind === "subLink";
    if (costly) n++;
    return false;
  });
  return n;
}
