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
import { readJsonDoc, writeDoc, type StatementContext } from "@tessera/engine";
import { typeOf, type Row, type Value, type ast } from "@tessera/sql";
import type { Cluster } from "../cluster.js";
import type { DistributedSelect } from "../planner/distributed-select.js";
import { explainCombine, type RemoteScanShape } from "./combine.js";
import {
  citusCombineDoc, citusCombineLines, citusRemoteNames, scanOutputLine,
} from "./explain-remote-names.js";
import { rowsToValues, runTasks, type ColumnType, type Task } from "./tasks.js";
import { customScanFields, routerDoc, spliceDoc, summaryFields } from "./explain-json.js";
import { asJsonOptions, requireTextFormat, type ExplainFlags } from "./explain-options.js";
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
  const figures = { rows: router ? 0 : 100000, width: router ? 0 : widthOf(types) };
  const costs = costsText(flags, figures.rows, figures.width);
  const format = flags.format;
  if (subplans.length > 0) requireTextFormat(flags, "queries with distributed subplans");
  // A structured combine plan is read back as JSON, then written in the format asked for.
  const combineOptions = format === "text" ? options : asJsonOptions(options);
  if (!flags.analyze) {
    const shown = await explainTasks(cluster, shownTasks, options, ctx);
    const head = { name: "Citus Adaptive", suffix: costs, taskCount: tasks.length };
    const combine = run.kind === "router" ? []
      : await explainNamed(cluster, run.combine, run.shape, combineOptions, flags, ctx);
    if (format !== "text") {
      const scan = customScanFields(cluster, head, figures, shown, flags, all);
      const sums = summaryFields(flags, planningMs, 0);
      return [router ? routerDoc(format, scan, sums) : spliceDoc(format, combine, scan, sums)];
    }
    const block = customScanLines(cluster, head, shown, flags, all);
    block.splice(1, 0, ...subplans);
    if (run.kind === "router") return withScanOutput(planned, flags, block);
    return splice(combine, block);
  }
  const scanStart = performance.now();
  const results = await runTasks(cluster, tasks, ctx);
  const scanMs = performance.now() - scanStart;
  const explained = await explainTasks(cluster, shownTasks, options, ctx);
  // Citus counts the bytes only of a scan with columns (ShowReceivedTupleData).
  const counted = types.length > 0;
  const shown = explained.map((task, i) =>
    (counted ? { ...task, bytes: tupleBytes(results[i]!) } : task));
  const rowCount = results.reduce((sum, result) => sum + result.rows.length, 0);
  const head = { name: "Citus Adaptive",
    suffix: costs + actualText(flags, scanMs, scanMs, rowCount), taskCount: tasks.length,
    ...(counted ? { bytes: results.reduce((sum, result) => sum + tupleBytes(result), 0) } : {}) };
  let combine: string[] = [];
  if (run.kind !== "router") {
    const remote = results.flatMap((result) => rowsToValues(result, run.shape.types));
    combine = await explainNamed(cluster, run.combine, run.shape, combineOptions, flags, ctx,
      remote);
  }
  if (format !== "text") {
    const scan = customScanFields(cluster, head, { ...figures,
      actual: { startMs: scanMs, totalMs: scanMs, rows: rowCount } }, shown, flags, all);
    const sums = summaryFields(flags, planningMs, performance.now() - started);
    return [router ? routerDoc(format, scan, sums) : spliceDoc(format, combine, scan, sums)];
  }
  const block = customScanLines(cluster, head, shown, flags, all);
  block.splice(1, 0, ...subplans);
  const lines = router ? withScanOutput(planned, flags, block)
    : splice(withoutSummary(combine), block);
  return [...lines, ...summaryLines(flags, planningMs, performance.now() - started)];
}

/** A router scan's block with its VERBOSE Output line under the Custom Scan line. */
function withScanOutput(planned: DistributedSelect, flags: ExplainFlags,
  block: readonly string[]): string[] {
  if (!flags.verbose) return [...block];
  const output = scanOutputLine(planned.columns.map((column) => column.name));
  return [block[0]!, ...output, ...block.slice(1)];
}

/** The combine plan over remote_scan with its columns under Citus's names. */
async function explainNamed(cluster: Cluster, combine: ast.SelectStmt, shape: RemoteScanShape,
  options: readonly ast.Node[], flags: ExplainFlags, ctx: StatementContext,
  rows: readonly Row[] = []): Promise<string[]> {
  const named = citusRemoteNames(shape, combine);
  const lines = await explainCombine(cluster, named.combine, named.shape, options, ctx, rows);
  if (flags.format === "text") return citusCombineLines(lines, named);
  const doc = citusCombineDoc(readJsonDoc(lines.join("\n")), named);
  return writeDoc("json", doc.kind === "array" ? doc.items : [doc]).split("\n");
}

/** The shown tasks with their nodes' EXPLAIN (with the user's options) of the task text. */
export async function explainTasks(cluster: Cluster, shown: readonly Task[],
  options: readonly ast.Node[], ctx: StatementContext): Promise<ShownTask[]> {
  const explained = await runTasks(cluster, shown.map((task) => ({
    ...task, sql: explainText(task.sql, options),
  })), ctx);
  return shown.map((task, i) => ({ task, plan: planLines(explained[i]!) }));
}

/**
 * Puts the Custom Scan block where the combine plan scans remote_scan; with VERBOSE the
 * scan's Output line moves onto the Custom Scan, as Citus shows it.
 */
function splice(combine: readonly string[], block: readonly string[]): string[] {
  const at = combine.findIndex((line) => /Seq Scan on (pg_catalog\.)?remote_scan_\d+/.test(line));
  if (at < 0) return [...block];
  const line = combine[at]!;
  const indent = indentOf(line);
  let end = at + 1;
  while (end < combine.length && indentOf(combine[end]!) > indent) end++;
  const output = combine.slice(at + 1, end).find((l) => l.trimStart().startsWith("Output: "));
  const scan = output === undefined ? block
    : [block[0]!, `  ${output.trimStart()}`, ...block.slice(1)];
  if (at === 0) return [...scan];
  const arrow = line.indexOf("->");
  const nested = scan.map((text, i) => (i === 0
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
