/**
 * EXPLAIN ANALYZE's instrumentation (Postgres's instrument.c): a runtime whose `build` wraps
 * every node's state so each call counts rows, loops and (with TIMING) time spent in the node
 * and below it. A node's filter runs in the wrapper instead of the node, so the rows it
 * removes can be counted ("Rows Removed by Filter").
 */
import type { Row } from "@tessera/sql";
import type { Expr } from "../analyze/expr.js";
import type { NodeInstrument } from "../plan/explain-text.js";
import type { Plan } from "../plan/plan.js";
import { buildState } from "./build.js";
import { compilePredicate } from "./compile.js";
import type { NodeState, Runtime } from "./runtime.js";
import { buildSort } from "./sort-node.js";

/** Returns a runtime like `rt` whose node states record into `instruments`. */
export function instrumentedRuntime(rt: Runtime, instruments: Map<Plan, NodeInstrument>,
  timing: boolean): Runtime {
  const irt: Runtime = { ...rt, build: (plan) => wrap(plan) };
  const wrap = (plan: Plan): NodeState => {
    let instr = instruments.get(plan);
    if (instr === undefined) {
      instr = { firstMs: null, totalMs: 0, rows: 0, loops: 0, removedByFilter: 0, sort: null };
      instruments.set(plan, instr);
    }
    const filtered = withoutFilter(plan);
    const filter = filtered === null ? null : compilePredicate(filtered.filter, filtered.offset);
    let inner: NodeState;
    if (plan.kind === "sort") {
      const stats = { method: "quicksort" as "quicksort" | "top-N heapsort", rows: 0 };
      instr.sort = stats;
      inner = buildSort(plan, irt, stats);
    } else inner = buildState(filtered?.plan ?? plan, irt);
    return measure(inner, instr, filter === null ? null : (r) => filter(r, irt), timing);
  };
  return irt;
}

/**
 * A copy of `plan` without its filter, for nodes whose filter the wrapper evaluates, with the
 * filter and the position it reads the row from; null for other nodes.
 */
function withoutFilter(plan: Plan): { plan: Plan; filter: Expr; offset: number } | null {
  switch (plan.kind) {
    case "seqScan": case "indexScan": case "functionScan": case "cteScan": case "workTableScan":
    case "subqueryScan": case "nestLoop": case "hashJoin":
      return plan.filter === null ? null
        : { plan: { ...plan, filter: null }, filter: plan.filter, offset: plan.offset };
    default:
      return null;
  }
}

function measure(inner: NodeState, instr: NodeInstrument, filter: ((r: Row) => boolean) | null,
  timing: boolean): NodeState {
  let started = false;
  let firstPending = false;
  let loopMs = 0;
  return {
    next(): Row | null {
      if (!started) {
        started = true;
        firstPending = true;
        loopMs = 0;
        instr.loops++;
      }
      const t0 = timing ? performance.now() : 0;
      let row = inner.next();
      while (row !== null && filter !== null && !filter(row)) {
        instr.removedByFilter++;
        row = inner.next();
      }
      if (timing) {
        const dt = performance.now() - t0;
        loopMs += dt;
        instr.totalMs += dt;
        if (firstPending) instr.firstMs = (instr.firstMs ?? 0) + loopMs;
      }
      firstPending = false;
      if (row !== null) instr.rows++;
      return row;
    },
    rescan(): void {
      inner.rescan();
      started = false;
    },
  };
}
