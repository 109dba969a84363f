/**
 * Runs a planned distributed SELECT: the router task's rows as they are, or every task's
 * rows through the combine query. A multi-shard SELECT whose combine only picks columns
 * streams instead, outside transaction blocks (`select-stream.ts`).
 */
import type { Cursor, StatementContext } from "@tessera/engine";
import type { Value } from "@tessera/sql";
import { citusFlag, type Cluster } from "../cluster.js";
import { blockOf, endedBlocks } from "../connection/remote-transaction.js";
import type { DistributedSelect } from "../planner/distributed-select.js";
import { runCombine } from "./combine.js";
import { bufferedCursor, cursorAfter, type StatementResult } from "./cursor.js";
import { passThroughColumns, streamTasks } from "./select-stream.js";
import { rowsToValues, runTasks } from "./tasks.js";

/** Opens a planned distributed SELECT as a cursor: streamed when it can be, else buffered. */
export function openSelect(cluster: Cluster, planned: DistributedSelect,
  params: readonly Value[], ctx: StatementContext): Cursor {
  if (blockOf(ctx) !== undefined) return bufferedCursor(() => runSelect(cluster, planned,
    params, ctx));
  const run = planned.plan(params);
  const columns = run.kind === "multi" ? passThroughColumns(run.combine, run.shape) : undefined;
  if (run.kind === "router" || columns === undefined) {
    return bufferedCursor(() => runPlanned(cluster, planned, run, ctx));
  }
  return cursorAfter(() => endedBlocks(ctx.backendPid), () => streamTasks(cluster, run.tasks,
    run.shape, columns, ctx, citusFlag(ctx, "citus.log_remote_commands")));
}

export async function runSelect(cluster: Cluster, planned: DistributedSelect,
  params: readonly Value[], ctx: StatementContext): Promise<StatementResult> {
  return runPlanned(cluster, planned, planned.plan(params), ctx);
}

async function runPlanned(cluster: Cluster, planned: DistributedSelect,
  run: ReturnType<DistributedSelect["plan"]>, ctx: StatementContext):
  Promise<StatementResult> {
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
