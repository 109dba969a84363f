/**
 * Window planning (Postgres's select_active_windows and create_one_window_path): one
 * WindowAgg per distinct window, stacked, each with a Sort below it unless its input already
 * comes in a suitable order.
 *
 * Windows are ordered as Postgres orders them, so EXPLAIN shows the same stack: by their
 * PARTITION BY + ORDER BY clause lists compared item by item (higher sort-group reference
 * first, DESC before ASC, NULLS FIRST before LAST), and a list before any of its prefixes.
 * The first window is applied first (lowest in the tree), so for
 *
 *   row_number() OVER (ORDER BY x), rank() OVER (PARTITION BY x ORDER BY y)
 *
 * the second window sorts by (x, y) and the first reuses that order without a Sort.
 */
import type { Expr, SortKey, WindowCall, WindowSpec } from "../analyze/expr.js";
import { exprKey } from "../analyze/grouping.js";
import { compareFor } from "../catalog/type-io.js";
import type { Plan } from "./plan.js";

/** Describes one sort key of a plan's output order, comparable across nodes. */
export type OrderingKey = string;

export function orderingKey(expr: Expr, descending: boolean, nullsFirst: boolean): OrderingKey {
  return `${exprKey(expr)}|${descending ? "d" : "a"}|${nullsFirst ? "f" : "l"}`;
}

/** True when rows in `have` order are also in `want` order. */
export function orderSatisfies(have: readonly OrderingKey[], want: readonly OrderingKey[]):
  boolean {
  if (want.length > have.length) return false;
  return want.every((k, i) => have[i] === k);
}

export interface WindowPlanning {
  readonly plan: Plan;
  /** Output column of every call. */
  readonly columns: ReadonlyMap<WindowCall, number>;
  /** The order the top node's rows come in. */
  readonly ordering: readonly OrderingKey[];
}

export interface WindowInput {
  readonly plan: Plan;
  readonly ordering: readonly OrderingKey[];
  readonly calls: readonly WindowCall[];
  /** Every window of the query level in definition order (Postgres's p_windowdefs). */
  readonly specs: readonly WindowSpec[];
  /** Expression keys in the order Postgres hands out sort-group references. */
  readonly refs: string[];
}

/** Stacks the WindowAgg nodes (and Sorts) that compute `calls` over `plan`. */
export function planWindows(w: WindowInput): WindowPlanning {
  const active = w.specs.filter((s) => w.calls.some((c) => c.window === s));
  for (const c of w.calls) if (!active.includes(c.window)) active.push(c.window);
  const clauses = new Map(active.map((s) => [s, sortClauses(s, w.refs)]));
  const ordered = [...active].sort((a, b) => commonPrefixCompare(clauses.get(a)!, clauses.get(b)!));
  let plan = w.plan;
  let ordering = w.ordering;
  const columns = new Map<WindowCall, number>();
  for (const spec of ordered) {
    const keys = dedupeKeys(clauses.get(spec)!.map((c) => c.key));
    const wanted = keys.map((k) => orderingKey(k.expr, k.descending, k.nullsFirst));
    if (keys.length > 0 && !orderSatisfies(ordering, wanted)) {
      plan = { kind: "sort", input: plan, keys, width: plan.width, rows: plan.rows };
      ordering = wanted;
    }
    const calls = w.calls.filter((c) => c.window === spec);
    calls.forEach((c, i) => columns.set(c, plan.width + i));
    plan = { kind: "window", input: plan, calls, width: plan.width + calls.length,
      rows: plan.rows };
  }
  return { plan, columns, ordering };
}

interface Clause {
  readonly key: SortKey;
  readonly ref: number;
}

/** PARTITION BY (ascending) then the ORDER BY items not equal to one of them. */
function sortClauses(spec: WindowSpec, refs: string[]): Clause[] {
  const refOf = (e: Expr): number => {
    const k = exprKey(e);
    let i = refs.indexOf(k);
    if (i < 0) i = refs.push(k) - 1;
    return i + 1;
  };
  const out: Clause[] = spec.partition.map((expr) => ({ ref: refOf(expr),
    key: { expr, descending: false, nullsFirst: false, compare: compareFor(expr.type) } }));
  for (const key of spec.order) {
    const ref = refOf(key.expr);
    const dup = out.some((c) => c.ref === ref && c.key.descending === key.descending &&
      c.key.nullsFirst === key.nullsFirst);
    if (!dup) out.push({ ref, key });
  }
  return out;
}

/** Postgres's common_prefix_cmp: stronger sort requirements first. */
function commonPrefixCompare(a: readonly Clause[], b: readonly Clause[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.ref !== y.ref) return x.ref > y.ref ? -1 : 1;
    if (x.key.descending !== y.key.descending) return x.key.descending ? -1 : 1;
    if (x.key.nullsFirst !== y.key.nullsFirst) return x.key.nullsFirst ? -1 : 1;
  }
  return b.length - a.length;
}

/** Drops keys on an expression already sorted by (a pathkey appears once). */
function dedupeKeys(keys: readonly SortKey[]): SortKey[] {
  const seen = new Set<string>();
  return keys.filter((k) => {
    const e = exprKey(k.expr);
    if (seen.has(e)) return false;
    seen.add(e);
    return true;
  });
}
