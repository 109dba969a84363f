/**
 * Aggregation over grouping sets (GROUP BY ROLLUP / CUBE / GROUPING SETS): one pass over the
 * input feeds a hash table per grouping set. A row of set S carries the keys S groups by and
 * nulls for the others, and GROUPING() says which are which:
 *
 *   GROUP BY ROLLUP (a)   ->  (a=1, count), (a=2, count), (a=null, total)
 *
 * An empty set yields its one row even when the input is empty, as a plain aggregate does.
 */
import type { Row, Value } from "@tessera/sql";
import { groupingMask } from "../analyze/grouping-sets.js";
import { hashKeyOf } from "../catalog/type-io.js";
import type { Expr } from "../analyze/expr.js";
import type { AggPlan } from "../plan/plan.js";
import { aggRunner, type AggRunner } from "./agg.js";
import { compileExpr, compilePredicate } from "./compile.js";
import type { NodeState, Runtime } from "./runtime.js";

interface Group {
  readonly keys: Value[];
  readonly states: unknown[];
}

export function buildGroupingSets(plan: AggPlan, rt: Runtime): NodeState {
  const input = rt.build(plan.input);
  const keys = plan.groupKeys.map((e) => compileExpr(e));
  const sets = plan.groupingSets!;
  const runners = plan.aggs.map((a) => aggRunner(a, rt));
  const having = compilePredicate(plan.filter);
  const nulling = sets.map((set) => keyColumnsOutside(plan.groupKeys, set));
  let output: Row[] | null = null;
  let i = 0;
  const run = (): Row[] => {
    const tables = sets.map(() => new Map<string, Group>());
    for (let r = input.next(); r !== null; r = input.next()) {
      const values = keys.map((f) => f(r!, rt));
      sets.forEach((set, s) => addRow(tables[s]!, set, values, runners, r!, nulling[s]!));
    }
    const rows: Row[] = [];
    for (const s of outputOrder(sets)) {
      const set = sets[s]!;
      const table = tables[s]!;
      if (set.length === 0 && table.size === 0) {
        table.set("", { keys: keys.map(() => null), states: runners.map((a) => a.init()) });
      }
      for (const g of table.values()) {
        const row: Row = g.keys.concat(plan.aggs.map((agg, k) => (agg.grouping !== undefined
          ? groupingMask(agg.grouping.refs, set) : runners[k]!.finish(g.states[k]))));
        if (having === null || having(row, rt)) rows.push(row);
      }
    }
    return rows;
  };
  return {
    next(): Row | null {
      output ??= run();
      return i < output.length ? output[i++]! : null;
    },
    rescan(): void {
      input.rescan();
      output = null;
      i = 0;
    },
  };
}

/**
 * Returns set positions in the order Postgres's MixedAggregate emits them: the empty set
 * (its sorted phase) first, then the hashed sets, longest first. Where ORDER BY leaves ties,
 * rows then usually come as in Postgres.
 */
function outputOrder(sets: readonly (readonly number[])[]): number[] {
  const positions = sets.map((_s, i) => i);
  const empty = positions.filter((i) => sets[i]!.length === 0);
  const hashed = positions.filter((i) => sets[i]!.length > 0)
    .sort((a, b) => sets[b]!.length - sets[a]!.length);
  return [...empty, ...hashed];
}

/**
 * Input columns that are group keys of no key in `set`: an ordered-set aggregate's direct
 * arguments read them as null in that set's rows, as the set's output row shows them.
 */
function keyColumnsOutside(keys: readonly Expr[], set: readonly number[]): number[] {
  const column = (k: Expr): number | null => (k.kind === "var" ? k.index : null);
  const inside = new Set(set.map((i) => column(keys[i]!)));
  const out: number[] = [];
  keys.forEach((k, i) => {
    const c = column(k);
    if (c !== null && !set.includes(i) && !inside.has(c)) out.push(c);
  });
  return out;
}

function addRow(table: Map<string, Group>, set: readonly number[], values: readonly Value[],
  runners: readonly AggRunner[], row: Row, nulled: readonly number[]): void {
  const hash = JSON.stringify(set.map((k) => hashKeyOf(values[k]!)),
    (_k, x: unknown) => (typeof x === "bigint" ? `${x}n` : x));
  let group = table.get(hash);
  if (group === undefined) {
    const groupKeys = values.map((v, k) => (set.includes(k) ? v : null));
    group = { keys: groupKeys, states: runners.map((a) => a.init()) };
    table.set(hash, group);
    const directRow = nulled.length === 0 ? row : row.slice();
    for (const c of nulled) directRow[c] = null;
    runners.forEach((a, k) => a.setDirect?.(group!.states[k], directRow));
  }
  const states = group.states;
  for (let k = 0; k < runners.length; k++) states[k] = runners[k]!.step(states[k], row);
}
