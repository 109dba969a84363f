/**
 * Index paths: turns a sequential scan with conditions like `id = $1` or `a >= 10 AND a < 20`
 * on an index's leading columns into an index scan over the B-tree's sorted entries. Equality
 * on a prefix of the key beats a range on the first column; conditions the index cannot use
 * remain the scan's filter. Bounds are constants or parameters, evaluated when the scan opens.
 */
import { expandsToChildren } from "../partition/inherit-scan.js";
import type { Expr } from "../analyze/expr.js";
import type { Index } from "../catalog/relation.js";
import { andWith, conjuncts } from "./filter.js";
import type { IndexScanPlan, Plan, SeqScanPlan } from "./plan.js";

const flipped: Record<string, string> = { "=": "=", "<": ">", "<=": ">=", ">": "<", ">=": "<=" };

interface Bound {
  readonly column: number;
  readonly op: string;
  readonly value: Expr;
  readonly source: Expr;
}

export function chooseIndexPath(scan: SeqScanPlan): Plan {
  if (scan.filter === null || scan.relation.indexes.length === 0) return scan;
  if (scan.sample !== undefined) return scan;
  if (scan.relation.partitionKey !== undefined || expandsToChildren(scan)) return scan;
  const parts = conjuncts(scan.filter);
  const bounds = parts.map((p) => boundOf(p, scan)).filter((b): b is Bound => b !== undefined);
  if (bounds.length === 0) return scan;
  let best: IndexScanPlan | undefined;
  let bestScore = 0;
  for (const index of scan.relation.indexes) {
    if (index.computed !== undefined) continue;
    const candidate = indexScanFor(scan, index, bounds, parts);
    if (candidate !== undefined && candidate.score > bestScore) {
      best = candidate.plan;
      bestScore = candidate.score;
    }
  }
  return best ?? scan;
}

function boundOf(e: Expr, scan: SeqScanPlan): Bound | undefined {
  if (e.kind !== "call" || !e.operator || e.args.length !== 2) return undefined;
  if (flipped[e.name] === undefined) return undefined;
  const [a, b] = e.args as [Expr, Expr];
  const isValue = (x: Expr): boolean => x.kind === "const" || x.kind === "param" ||
    x.kind === "outer" || (x.kind === "cast" && isValue(x.arg));
  const columnOf = (x: Expr): number | undefined =>
    x.kind === "var" && x.index >= scan.offset && x.index < scan.offset + scan.width
      ? x.index - scan.offset : undefined;
  const ca = columnOf(a);
  if (ca !== undefined && isValue(b) && a.type === b.type) {
    return { column: ca, op: e.name, value: b, source: e };
  }
  const cb = columnOf(b);
  if (cb !== undefined && isValue(a) && a.type === b.type) {
    return { column: cb, op: flipped[e.name]!, value: a, source: e };
  }
  return undefined;
}

function indexScanFor(scan: SeqScanPlan, index: Index, bounds: readonly Bound[],
  parts: readonly Expr[]): { plan: IndexScanPlan; score: number } | undefined {
  const used: Expr[] = [];
  const eqValues: Expr[] = [];
  for (const column of index.columns) {
    const eq = bounds.find((b) => b.column === column && b.op === "=");
    if (eq === undefined) break;
    eqValues.push(eq.value);
    used.push(eq.source);
  }
  // A hash index answers equality only (`catalog/access-methods.ts`).
  if (index.method === "hash" && eqValues.length === 0) return undefined;
  let lower: IndexScanPlan["lower"] = null;
  let upper: IndexScanPlan["upper"] = null;
  let score = eqValues.length * 10;
  if (eqValues.length > 0) {
    lower = { values: eqValues, inclusive: true };
    upper = { values: eqValues, inclusive: true };
    if (eqValues.length === index.columns.length && index.unique) score += 100;
  } else {
    const first = index.columns[0]!;
    for (const b of bounds.filter((x) => x.column === first)) {
      if ((b.op === ">" || b.op === ">=") && lower === null) {
        lower = { values: [b.value], inclusive: b.op === ">=" };
        used.push(b.source);
      } else if ((b.op === "<" || b.op === "<=") && upper === null) {
        upper = { values: [b.value], inclusive: b.op === "<=" };
        used.push(b.source);
      }
    }
    score = used.length;
  }
  if (used.length === 0) return undefined;
  const rest = parts.filter((p) => !used.includes(p));
  const filter = rest.reduce<Expr | null>((acc, p) => andWith(acc, p), null);
  const rows = score >= 100 ? 1 : Math.max(1, Math.round(scan.relation.store.liveCount * 0.05));
  const plan: IndexScanPlan = { kind: "indexScan", relation: scan.relation, index,
    alias: scan.alias, offset: scan.offset, lower, upper, backward: false, filter,
    condText: "", width: scan.width, rows,
    ...(scan.systemColumns === true && { systemColumns: true }) };
  return { plan, score };
}
