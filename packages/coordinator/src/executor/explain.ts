/**
 * EXPLAIN of a distributed SELECT, in Citus's shape (`citus-surface.md` §5):
 *
 *     Custom Scan (Citus Adaptive)  (cost=0.00..0.00 rows=100000 width=52)
 *       Task Count: 32
 *       Tasks Shown: One of 32
 *       ->  Task
 *             Node: host=127.0.0.1 port=5433 dbname=postgres
 *             ->  HashAggregate  (cost=...)
 *                   Group Key: device_id
 *                   ->  Seq Scan on events_102008 events  (cost=...)
 *
 * The worker's own EXPLAIN of the task text is nested under `->  Task`. For multi-shard
 * queries the combine query is explained locally over an empty remote_scan, and the Custom
 * Scan block takes the place of its `Seq Scan on remote_scan` line.
 *
 * EXPLAIN ANALYZE runs the query: every task, and the shown tasks once more under EXPLAIN
 * ANALYZE on their nodes (a read, so the second run changes nothing); the Custom Scan gets
 * its `(actual …)` and byte counts (explain-tasks.ts). The shown task is the first by
 * shard, as with `citus.explain_analyze_sort_method = taskId`.
 */
import type { StatementContext } from "@tessera/engine";
import { typeOf, type Value, type ast } from "@tessera/sql";
import type { Cluster } from "../cluster.js";
import type { DistributedSelect } from "../planner/distributed-select.js";
import { explainCombine } from "./combine.js";
import { rowsToValues, runTasks, type ColumnType, type Task } from "./tasks.js";
import type { ExplainFlags } from "./explain-options.js";
import {
  actualText, costsText, customScanLines, explainText, planLines, showsAllTasks, summaryLines,
  tupleBytes, withoutSummary, type ShownTask,
} from "./explain-tasks.js";

/**
 * Returns the EXPLAIN lines of a distributed SELECT; `subplans` (the `->  Distributed
 * Subplan` blocks, indented under the scan) go right below the Custom Scan line.
 * With ANALYZE every task runs; the shown ones also run under EXPLAIN ANALYZE on their node,
 * and the combine query is explained with ANALYZE over the rows that came back.
 */
export async function explainSelect(cluster: Cluster, planned: DistributedSelect,
  options: readonly ast.Node[], flags: ExplainFlags, params: readonly Value[],
  ctx: StatementContext, subplans: readonly string[] = []): Promise<string[]> {
  const started = performance.now();
  const run = planned.plan(params);
  const planningMs = performance.now() - started;
  const tasks = run.kind === "router" ? [run.task] : run.tasks;
  const types = run.kind === "router" ? planned.outputTypes : run.shape.types;
  const all = showsAllTasks(ctx, tasks.length);
  const shownTasks = all ? tasks : tasks.slice(0, 1);
  const router = run.kind === "router";
  const costs = costsText(flags, router ? 0 : 100000, router ? 0 : widthOf(types));
  if (!flags.analyze) {
    const shown = await explainTasks(cluster, shownTasks, options, ctx);
    const block = customScanLines(cluster, { name: "Citus Adaptive", suffix: costs,
      taskCount: tasks.length }, shown, flags, all);
    block.splice(1, 0, ...subplans);
    if (run.kind === "router") return block;
    return splice(await explainCombine(cluster, run.combine, run.shape, options, ctx), block);
  }
  const scanStart = performance.now();
  const results = await runTasks(cluster, tasks, ctx);
  const scanMs = performance.now() - scanStart;
  const explained = await explainTasks(cluster, shownTasks, options, ctx);
  const shown = explained.map((task, i) => ({ ...task, bytes: tupleBytes(results[i]!) }));
  const rowCount = results.reduce((sum, result) => sum + result.rows.length, 0);
  const block = customScanLines(cluster, { name: "Citus Adaptive",
    suffix: costs + actualText(flags, scanMs, scanMs, rowCount), taskCount: tasks.length,
    bytes: results.reduce((sum, result) => sum + tupleBytes(result), 0) }, shown, flags, all);
  block.splice(1, 0, ...subplans);
  let lines = block;
  if (run.kind !== "router") {
    const remote = results.flatMap((result) => rowsToValues(result, run.shape.types));
    const combine = await explainCombine(cluster, run.combine, run.shape, options, ctx, remote);
    lines = splice(withoutSummary(combine), block);
  }
  return [...lines, ...summaryLines(flags, planningMs, performance.now() - started)];
}

/** The shown tasks with their nodes' EXPLAIN (with the user's options) of the task text. */
export async function explainTasks(cluster: Cluster, shown: readonly Task[],
  options: readonly ast.Node[], ctx: StatementContext): Promise<ShownTask[]> {
  const explained = await runTasks(cluster, shown.map((task) => ({
    ...task, sql: explainText(task.sql, options),
  })), ctx);
  return shown.map((task, i) => ({ task, plan: planLines(explained[i]!) }));
}

/** Puts the Custom Scan block where the combine plan scans remote_scan. */
function splice(combine: readonly string[], block: readonly string[]): string[] {
  const at = combine.findIndex((line) => /Seq Scan on (pg_catalog\.)?remote_scan_\d+/.test(line));
  if (at <= 0) return [...block];
  const line = combine[at]!;
  const arrow = line.indexOf("->");
  const indent = line.length - line.trimStart().length;
  let end = at + 1;
  while (end < combine.length && indentOf(combine[end]!) > indent) end++;
  const nested = block.map((text, i) => (i === 0
    ? `${" ".repeat(arrow)}->  ${text}` : `${" ".repeat(arrow + 4)}${text}`));
  return [...combine.slice(0, at), ...nested, ...combine.slice(end)];
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** Postgres's width estimate: fixed-size types by size, the rest 32 bytes. */
function widthOf(types: readonly ColumnType[]): number {
  let width = 0;
  for (const type of types) {
    const len = typeOf(type.typeOid).len;
    width += len > 0 ? len : 32;
  }
  return width;
}
