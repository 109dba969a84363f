/**
 * EXPLAIN's cost estimates: startup and total cost, rows and width per plan node, from a
 * small model that follows Postgres's costsize.c formulas and defaults, so a simple plan
 * over a freshly created table shows the numbers Postgres shows:
 *
 *   a table never vacuumed counts as at least 10 pages of rows as wide as its columns
 *   (int4 + text: 1070 rows); seq scan = pages × 1.0 + rows × 0.01, + 0.0025 per operator
 *   and row for a filter; `col = const` keeps 0.5% of rows, a range a third; 200 groups.
 *
 * Widths count only the columns a query reads from each table, as Postgres's narrowed
 * target lists do. Nothing here affects execution.
 */
import type { Expr } from "../analyze/expr.js";
import { someExpr } from "../analyze/expr-map.js";
import { Oid, typeInfo } from "../catalog/types.js";
import { conjuncts } from "./filter.js";
import type { Plan } from "./plan.js";

export interface Cost {
  readonly startup: number;
  readonly total: number;
  readonly rows: number;
  readonly width: number;
}

const seqPageCost = 1;
const randomPageCost = 4;
const cpuTupleCost = 0.01;
const cpuIndexTupleCost = 0.005;
const cpuOperatorCost = 0.0025;
const defaultGroups = 200;
const pageBytes = 8192 - 24;
const tupleOverheadBytes = 24 + 4;

/** Computes costs for a whole tree; `needed` holds, per scan, the FROM positions read above it. */
export class CostModel {
  private readonly memo = new Map<Plan, Cost>();

  constructor(private readonly needed: ReadonlyMap<Plan, ReadonlySet<number>> | null) {}

  cost(plan: Plan): Cost {
    let c = this.memo.get(plan);
    if (c === undefined) {
      c = this.compute(plan);
      this.memo.set(plan, c);
    }
    return c;
  }

  private compute(plan: Plan): Cost {
    switch (plan.kind) {
      case "seqScan": {
        const { pages, rows } = tableSize(plan.relation.columns.map((c) => c.type),
          plan.relation.store.liveCount);
        const quals = qualCost(plan.filter) * rows;
        return { startup: 0, total: pages * seqPageCost + rows * cpuTupleCost + quals,
          rows: clampRows(rows * selectivity(plan.filter)), width: this.scanWidth(plan) };
      }
      case "indexScan": {
        const { rows } = tableSize(plan.relation.columns.map((c) => c.type),
          plan.relation.store.liveCount);
        const out = plan.rows <= 1 ? 1 : clampRows(rows * 0.005);
        const pages = Math.max(1, Math.ceil(out / 100));
        const total = 0.15 + randomPageCost * (pages + 1) + out *
          (cpuIndexTupleCost + cpuTupleCost + cpuOperatorCost) + 0.0025 * out;
        return { startup: 0.15, total: plan.rows <= 1 ? 8.17 : total, rows: out,
          width: this.scanWidth(plan) };
      }
      default:
        return this.computeUpper(plan);
    }
  }

  private computeUpper(plan: Plan): Cost {
    switch (plan.kind) {
      case "values": {
        const n = plan.values.length;
        return { startup: 0, total: n * (cpuTupleCost + cpuOperatorCost * plan.width),
          rows: n, width: widthOf(plan.values[0]?.map((e) => e.type) ?? []) };
      }
      case "functionScan": {
        const rows = Math.max(1, plan.rows);
        return { startup: 0, total: rows * cpuTupleCost, rows, width: 4 * plan.width };
      }
      case "result": return { startup: 0, total: 0.01, rows: 1, width: 0 };
      case "subqueryScan": case "cteScan": case "workTableScan": {
        const input = plan.kind === "subqueryScan" ? this.cost(plan.input) : null;
        const rows = input?.rows ?? plan.rows;
        const base = input?.total ?? 0;
        return { startup: input?.startup ?? 0,
          total: base + rows * cpuTupleCost + qualCost(plan.filter) * rows,
          rows: clampRows(rows * selectivity(plan.filter)), width: input?.width ?? 4 * plan.width };
      }
      case "nestLoop": case "hashJoin": return this.join(plan);
      default: return this.computeShaping(plan);
    }
  }

  private computeShaping(plan: Plan): Cost {
    switch (plan.kind) {
      case "agg": {
        const input = this.cost(plan.input);
        const perRow = cpuOperatorCost * (plan.groupKeys.length + plan.aggs.length);
        const startup = input.total + input.rows * perRow;
        const groups = plan.groupKeys.length === 0 ? 1
          : Math.min(defaultGroups * (plan.groupingSets?.length ?? 1), Math.max(1, input.rows));
        return { startup, total: startup + groups * cpuTupleCost, rows: groups,
          width: widthOf([...plan.groupKeys.map((k) => k.type), ...plan.aggs.map((a) => a.type)]) };
      }
      case "sort": return this.sort(plan);
      case "limit": return this.limit(plan);
      case "window": {
        const input = this.cost(plan.input);
        const perRow = cpuOperatorCost * (plan.calls.length + 1) + cpuTupleCost;
        return { startup: input.startup, total: input.total + input.rows * perRow,
          rows: input.rows, width: input.width + widthOf(plan.calls.map((c) => c.type)) };
      }
      case "project": {
        const input = this.cost(plan.input);
        return { ...input, width: widthOf(plan.exprs.map((e) => e.type)) };
      }
      case "distinct": {
        const input = this.cost(plan.input);
        const startup = input.total + input.rows * cpuOperatorCost * plan.columns.length;
        const rows = Math.min(defaultGroups, input.rows);
        return { startup, total: startup + rows * cpuTupleCost, rows, width: input.width };
      }
      default: return this.computeRest(plan);
    }
  }

  private computeRest(plan: Plan): Cost {
    switch (plan.kind) {
      case "setOp": {
        const l = this.cost(plan.left);
        const r = this.cost(plan.right);
        return { startup: 0, total: l.total + r.total, rows: l.rows + r.rows, width: l.width };
      }
      case "recursiveUnion": {
        const b = this.cost(plan.base);
        const r = this.cost(plan.recursive);
        return { startup: 0, total: b.total + r.total * 10, rows: b.rows + r.rows * 10,
          width: b.width };
      }
      case "with": case "trim": return this.cost(plan.input);
      case "modify": {
        const input = this.cost(plan.input);
        return { startup: input.startup, total: input.total + input.rows * cpuTupleCost, rows: 0,
          width: 0 };
      }
      default: {
        const input = "input" in plan ? this.cost(plan.input as Plan) : null;
        return input ?? { startup: 0, total: 0, rows: plan.rows, width: 0 };
      }
    }
  }

  private join(plan: Plan & { kind: "nestLoop" | "hashJoin" }): Cost {
    const buildLeft = plan.kind === "hashJoin" && plan.buildSide === "left";
    const l = this.cost(buildLeft ? plan.right : plan.left);
    const r = this.cost(buildLeft ? plan.left : plan.right);
    const width = l.width + r.width;
    if (plan.kind === "hashJoin") {
      const keys = plan.leftKeys.length;
      const build = r.total + r.rows * (cpuOperatorCost * keys + cpuTupleCost);
      const startup = build + l.startup;
      const rows = clampRows(plan.joinType === "semi" || plan.joinType === "anti" ? l.rows
        : Math.max(l.rows, r.rows) * selectivity(plan.cond) * selectivity(plan.filter));
      const total = startup + (l.total - l.startup) + l.rows * cpuOperatorCost * keys +
        rows * cpuTupleCost + qualCost(plan.cond) * rows;
      return { startup, total, rows, width };
    }
    const pairs = l.rows * r.rows;
    const rows = clampRows(pairs * selectivity(plan.cond) * selectivity(plan.filter));
    const total = l.total + l.rows * r.total + pairs * qualCost(plan.cond) + rows * cpuTupleCost;
    return { startup: l.startup + r.startup, total, rows, width };
  }

  private sort(plan: Plan & { kind: "sort" }): Cost {
    const input = this.cost(plan.input);
    const n = Math.max(input.rows, 2);
    const bound = plan.bound?.count.kind === "const" && plan.bound.count.value !== null
      ? Number(plan.bound.count.value) + boundOffset(plan.bound.offset) : null;
    const comparisons = bound !== null && bound * 2 < n ? n * Math.log2(2 * Math.max(bound, 1))
      : n * Math.log2(n);
    const startup = input.total + 2 * cpuOperatorCost * comparisons;
    return { startup, total: startup + cpuOperatorCost * n, rows: input.rows, width: input.width };
  }

  private limit(plan: Plan & { kind: "limit" }): Cost {
    const input = this.cost(plan.input);
    const offset = plan.offsetExpr?.kind === "const" ? Number(plan.offsetExpr.value ?? 0) : 0;
    const count = plan.countExpr?.kind === "const" && plan.countExpr.value !== null
      ? Number(plan.countExpr.value) : input.rows;
    const rows = Math.max(0, Math.min(count, input.rows - offset));
    const run = input.total - input.startup;
    const per = input.rows > 0 ? run / input.rows : 0;
    const startup = input.startup + per * offset;
    return { startup, total: startup + per * rows, rows: clampRows(rows), width: input.width };
  }

  private scanWidth(plan: Plan & { kind: "seqScan" | "indexScan" }): number {
    const types = plan.relation.columns.map((c) => c.type);
    const needed = this.needed?.get(plan);
    if (needed === undefined) return widthOf(types);
    return widthOf(types.filter((_t, i) => needed.has(plan.offset + i)));
  }
}

function boundOffset(e: Expr | null): number {
  return e?.kind === "const" && e.value !== null ? Number(e.value) : 0;
}

/** Postgres's estimate for a table never vacuumed: at least 10 pages of average rows. */
function tableSize(types: readonly number[], live: number): { pages: number; rows: number } {
  const density = Math.max(1, Math.floor(pageBytes / (widthOf(types) + tupleOverheadBytes)));
  const pages = Math.max(10, Math.ceil(live / density));
  return { pages, rows: pages * density };
}

/** Postgres's average width of a value of `type` (get_typavgwidth). */
export function typeWidth(type: number): number {
  const len = typeInfo(type).len;
  if (len > 0) return len;
  return type === Oid.bool ? 1 : 32;
}

function widthOf(types: readonly number[]): number {
  return types.reduce((sum, t) => sum + typeWidth(t), 0);
}

function clampRows(rows: number): number {
  return rows <= 1 ? 1 : Math.round(rows);
}

/** Postgres's default selectivities for clauses without statistics. */
export function selectivity(expr: Expr | null): number {
  if (expr === null) return 1;
  return conjuncts(expr).reduce((s, c) => s * clauseSelectivity(c), 1);
}

function clauseSelectivity(e: Expr): number {
  switch (e.kind) {
    case "call":
      if (!e.operator) return 0.3333;
      if (e.name === "=" || e.name === "~~" || e.name.endsWith("ANY")) return 0.005;
      if (e.name === "<>") return 0.995;
      return 0.3333;
    case "or":
      return e.args.reduce((s, a) => s + clauseSelectivity(a) - s * clauseSelectivity(a), 0);
    case "and": return selectivity(e);
    case "not": return 1 - clauseSelectivity(e.args[0]!);
    case "nullTest": return e.negated ? 0.995 : 0.005;
    case "const": return e.value === false || e.value === null ? 0 : 1;
    default: return 0.3333;
  }
}

/** Operators evaluated per row by a qual, times cpu_operator_cost. */
function qualCost(expr: Expr | null): number {
  if (expr === null) return 0;
  let ops = 0;
  someExpr(expr, (e) => {
    if (e.kind === "call" || e.kind === "nullTest" || e.kind === "distinct" ||
      e.kind === "cast") ops++;
    return false;
  });
  return ops * cpuOperatorCost;
}
