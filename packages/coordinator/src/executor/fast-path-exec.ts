/**
 * Runs a fast-path SELECT (`planner/fast-path.ts`): one shard query on one node. Outside a
 * transaction block, and unless `citus.log_remote_commands` shows the text, it goes straight
 * to the node's pool as a named prepared statement with its parameters as text; otherwise
 * it runs as the general router's task would. An execution the fast path cannot route
 * (NULL or unreadable distribution value) runs through the general planner.
 */
import type { StatementContext } from "@tessera/engine";
import type { Value } from "@tessera/sql";
import { citusFlag, type Cluster } from "../cluster.js";
import { blockOf, endedBlocks } from "../connection/remote-transaction.js";
import type { FastPathSelect } from "../planner/fast-path.js";
import type { PlannedSelect } from "../planner/recursive.js";
import type { StatementResult } from "./cursor.js";
import { executionStats } from "./execution-stats.js";
import { runPlannedSelect } from "./recursive-exec.js";
import { rowsToValues, runTasks, textRowsToValues } from "./tasks.js";

export async function runFastPath(cluster: Cluster, fast: FastPathSelect,
  params: readonly Value[], ctx: StatementContext,
  general: () => PlannedSelect): Promise<StatementResult> {
  const bound = blockOf(ctx) !== undefined || citusFlag(ctx, "citus.log_remote_commands");
  const route = fast.route(params, bound);
  if (route === undefined) return runPlannedSelect(cluster, general(), params, ctx);
  let rows;
  if (bound) {
    const task = { sql: route.sql, params: route.params, node: route.node,
      shardId: route.shardId };
    const [result] = await runTasks(cluster, [task], ctx);
    rows = rowsToValues(result!, fast.outputTypes);
  } else {
    await endedBlocks(ctx.backendPid);
    executionStats(cluster).taskSent(ctx.backendPid, route.node);
    const result = await cluster.pools.run(route.node, route.sql, route.params, ctx.signal,
      route.statementName);
    rows = textRowsToValues(result.rows, fast.outputTypes);
  }
  return { rows, commandTag: `SELECT ${rows.length}` };
}
