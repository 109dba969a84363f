/**
 * Runs and explains a SELECT with shipped subplans (`planner/local-join.ts`): each local
 * subplan runs on the coordinator first, then the distributed query runs with their rows in
 * its tasks (`planner/subplan-inline.ts`). EXPLAIN shows each subplan as Citus does, as a
 * `->  Distributed Subplan <planId>_<n>` child of the Custom Scan, above `Task Count`.
 */
import { assert } from "@tessera/base";
import type { StatementContext } from "@tessera/engine";
import type { Value, ast } from "@tessera/sql";
import type { Cluster } from "../cluster.js";
import type { DistributedSelect } from "../planner/distributed-select.js";
import type { LocalSubplan, ShippedSelect } from "../planner/local-join.js";
import type { IntermediateResult } from "../planner/subplan-inline.js";
import type { StatementResult } from "./cursor.js";
import { explainSelect } from "./explain.js";
import type { ExplainFlags } from "./explain-options.js";
import { runSelect } from "./select-exec.js";

/** Runs the local subplans, in order, and returns their rows. */
export async function runSubplans(subplans: readonly LocalSubplan[], params: readonly Value[],
  ctx: StatementContext): Promise<IntermediateResult[]> {
  const results: IntermediateResult[] = [];
  for (const subplan of subplans) {
    const cursor = subplan.prepared.open(params, ctx);
    try {
      const fetched = await cursor.fetch(0);
      assert(fetched.commandTag !== undefined, "fetch(0) runs to the end");
      results.push({ names: subplan.names, types: subplan.types, rows: fetched.rows });
    } finally {
      cursor.close();
    }
  }
  return results;
}

/** The distributed query with the subplans' rows in its tasks. */
function withResults(main: DistributedSelect, results: readonly IntermediateResult[]):
  DistributedSelect {
  return { ...main, plan: (params) => main.plan(params, results) };
}

export async function runShipped(cluster: Cluster, planned: ShippedSelect,
  params: readonly Value[], ctx: StatementContext): Promise<StatementResult> {
  const results = await runSubplans(planned.subplans, params, ctx);
  return runSelect(cluster, withResults(planned.main, results), params, ctx);
}

let lastPlanId = 0;

/** A new plan id for `Distributed Subplan <planId>_<n>`, as Citus counts its plans. */
export function nextPlanId(): number {
  return ++lastPlanId;
}

/** EXPLAIN of a shipped SELECT: the subplans' local plans, then the distributed plan. */
export async function explainShipped(cluster: Cluster, planned: ShippedSelect,
  options: readonly ast.Node[], flags: ExplainFlags, params: readonly Value[],
  ctx: StatementContext): Promise<string[]> {
  const results = await runSubplans(planned.subplans, params, ctx);
  const planId = nextPlanId();
  const lines: string[] = [];
  for (const [i, subplan] of planned.subplans.entries()) {
    lines.push(`  ->  Distributed Subplan ${planId}_${i + 1}`);
    const stmt: ast.Node = { ExplainStmt: { query: { SelectStmt: subplan.select },
      options: [...options] } };
    const cursor = cluster.local.prepare(stmt, planned.paramTypes, ctx).open(params, ctx);
    try {
      const plan = (await cursor.fetch(0)).rows.map((row) => String(row[0]));
      lines.push(...nestedPlan(plan));
    } finally {
      cursor.close();
    }
  }
  return explainSelect(cluster, withResults(planned.main, results), options, flags, params,
    ctx, lines);
}


/** A plan's lines as the child of a `->  Distributed Subplan` line at column 2. */
export function nestedPlan(plan: readonly string[]): string[] {
  return plan.map((line, k) => (k === 0 ? `${" ".repeat(8)}->  ${line}`
    : `${" ".repeat(12)}${line}`));
}
