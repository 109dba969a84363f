/**
 * Runs a fast-path SELECT (`planner/fast-path.ts`): one shard query on one node. Outside a
 * transaction block, and unless `citus.log_remote_commands` shows the text, it goes straight
 * to the node's pool as a node-side prepared statement with its parameters as text
 * (`ConnectionPools.execute`); otherwise it runs as the general router's task would. An
 * execution the fast path cannot route (NULL or unreadable distribution value) runs through
 * the general planner.
 *
 * The direct path does no more per execution than it must: no wait unless the session is
 * still ending a block, and the statement's abort signal is asked for only when the remote
 * command runs long enough to be worth cancelling (`connection/cancel-watch.ts`).
 */
import type { StatementContext } from "@tessera/engine";
import { SqlError, SqlState } from "@tessera/base";
import { defaultFormatContext, typeOf, type Row, type Value } from "@tessera/sql";
import { citusFlag, type Cluster } from "../cluster.js";
import { blockOf, endingBlocks } from "../connection/remote-transaction.js";
import type { FastPathRoute, FastPathSelect } from "../planner/fast-path.js";
import type { PlannedSelect } from "../planner/recursive.js";
import type { StatementResult } from "./cursor.js";
import { executionStats } from "./execution-stats.js";
import { runPlannedSelect } from "./recursive-exec.js";
import { rowsToValues, runTasks, type ColumnType } from "./tasks.js";

export function runFastPath(cluster: Cluster, fast: FastPathSelect,
  params: readonly Value[], ctx: StatementContext,
  general: () => PlannedSelect): Promise<StatementResult> {
  const bound = blockOf(ctx) !== undefined || citusFlag(ctx, "citus.log_remote_commands");
  const route = fast.route(params, bound);
  if (route === undefined) return runPlannedSelect(cluster, general(), params, ctx);
  if (bound || route.statement === undefined) return runAsTask(cluster, fast, route, ctx);
  const ending = endingBlocks(ctx.backendPid);
  if (ending !== undefined) return ending.then(() => runDirect(cluster, fast, route, ctx));
  return runDirect(cluster, fast, route, ctx);
}

/** The general router's way: a task through `runTasks` (block connection, logging). */
async function runAsTask(cluster: Cluster, fast: FastPathSelect, route: FastPathRoute,
  ctx: StatementContext): Promise<StatementResult> {
  const task = { sql: route.sql, params: route.params, node: route.node,
    shardId: route.shardId };
  const [result] = await runTasks(cluster, [task], ctx);
  const rows = rowsToValues(result!, fast.outputTypes);
  return { rows, commandTag: `SELECT ${rows.length}` };
}

/** The node-side prepared statement on a pooled connection of the shard's node. */
function runDirect(cluster: Cluster, fast: FastPathSelect, route: FastPathRoute,
  ctx: StatementContext): Promise<StatementResult> {
  executionStats(cluster).taskSent(ctx.backendPid, route.node);
  // One continuation, not an async function's: the node's rows become the result.
  return cluster.pools.execute(route.node, route.statement!, route.params, () => ctx.signal)
    .then((result) => {
      const rows = textRowsOf(result.rows, fast.outputTypes);
      return { rows, commandTag: selectTag(rows.length) };
    });
}

/** "SELECT n"; the usual one-row and empty results share their text. */
function selectTag(count: number): string {
  return count === 1 ? "SELECT 1" : count === 0 ? "SELECT 0" : `SELECT ${count}`;
}

/** Reads the node's text rows as values of the planned column types. */
function textRowsOf(texts: readonly (readonly (string | null)[])[],
  types: readonly ColumnType[]): Row[] {
  const width = types.length;
  const rows: Row[] = new Array<Row>(texts.length);
  for (let r = 0; r < texts.length; r++) {
    const text = texts[r]!;
    if (text.length !== width) {
      throw new SqlError(SqlState.internalError,
        `a node returned ${text.length} columns where ${width} were expected`);
    }
    const row: Value[] = new Array<Value>(width);
    for (let i = 0; i < width; i++) {
      const field = text[i]!;
      const type = types[i]!;
      row[i] = field === null ? null
        : typeOf(type.typeOid).input(field, type.typmod, defaultFormatContext);
    }
    rows[r] = row;
  }
  return rows;
}
