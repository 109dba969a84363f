/**
 * Runs a planned distributed SELECT: the router task's rows as they are, or every task's
 * rows through the combine query.
 */
import type { StatementContext } from "@tessera/engine";
import type { Value } from "@tessera/sql";
import type { Cluster } from "../cluster.js";
import type { DistributedSelect } from "../planner/distributed-select.js";
import { runCombine } from "./combine.js";
import type { StatementResult } from "./cursor.js";
import { rowsToValues, runTasks } from "./tasks.js";

export async function runSelect(cluster: Cluster, planned: DistributedSelect,
  params: readonly Value[], ctx: StatementContext): Promise<StatementResult> {
  const run = planned.plan(params);
  if (run.kind === "router") {
    const [result] = await runTasks(cluster, [run.task], ctx);
    const rows = rowsToValues(result!, planned.outputTypes);
    return { rows, commandTag: `SELECT ${rows.length}` };
  }
  const results = await runTasks(cluster, run.tasks, ctx);
  const remote = results.flatMap((result) => rowsToValues(result, run.shape.types));
  const rows = await runCombine(cluster, run.combine, run.shape, remote, ctx);
  return { rows, commandTag: `SELECT ${rows.length}` };
}
