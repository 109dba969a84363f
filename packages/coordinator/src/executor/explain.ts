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
 */
import { notSupported } from "@tessera/base";
import type { StatementContext } from "@tessera/engine";
import { typeOf, type Value, type ast } from "@tessera/sql";
import { citusFlag, type Cluster } from "../cluster.js";
import type { DistributedSelect } from "../planner/distributed-select.js";
import { deparseStatement } from "../planner/shard-query.js";
import { explainCombine } from "./combine.js";
import { runTasks, type ColumnType, type Task } from "./tasks.js";
import type { ExplainFlags } from "./explain-options.js";

/**
 * Returns the EXPLAIN lines of a distributed SELECT; `subplans` (the `->  Distributed
 * Subplan` blocks, indented under the scan) go right below the Custom Scan line.
 */
export async function explainSelect(cluster: Cluster, planned: DistributedSelect,
  options: readonly ast.Node[], flags: ExplainFlags, params: readonly Value[],
  ctx: StatementContext, subplans: readonly string[] = []): Promise<string[]> {
  if (flags.analyze) throw notSupported("EXPLAIN ANALYZE of distributed queries");
  const run = planned.plan(params);
  const tasks = run.kind === "router" ? [run.task] : run.tasks;
  const types = run.kind === "router" ? [] : run.shape.types;
  const block = await customScanBlock(cluster, tasks, {
    router: run.kind === "router", width: widthOf(types), options, flags, ctx,
  });
  block.splice(1, 0, ...subplans);
  if (run.kind === "router") return block;
  const combine = await explainCombine(cluster, run.combine, run.shape, options, ctx);
  return splice(combine, block);
}

interface BlockOptions {
  readonly router: boolean;
  readonly width: number;
  readonly options: readonly ast.Node[];
  readonly flags: ExplainFlags;
  readonly ctx: StatementContext;
}

/** The Custom Scan node with its tasks, its name line at column 0. */
async function customScanBlock(cluster: Cluster, tasks: readonly Task[],
  block: BlockOptions): Promise<string[]> {
  const rows = block.router ? 0 : 100000;
  const width = block.router ? 0 : block.width;
  const costs = block.flags.costs ? `  (cost=0.00..0.00 rows=${rows} width=${width})` : "";
  const all = citusFlag(block.ctx, "citus.explain_all_tasks") || tasks.length <= 1;
  const lines = [`Custom Scan (Citus Adaptive)${costs}`, `  Task Count: ${tasks.length}`,
    `  Tasks Shown: ${all ? "All" : `One of ${tasks.length}`}`];
  const shown = all ? tasks : tasks.slice(0, 1);
  const explained = await runTasks(cluster, shown.map((task) => ({
    ...task, sql: explainText(task.sql, block.options),
  })), block.ctx);
  const dbname = cluster.pools.settings.database;
  shown.forEach((task, i) => {
    lines.push("  ->  Task");
    if (block.flags.verbose) lines.push(`        Query: ${task.sql}`);
    lines.push(`        Node: host=${task.node.host} port=${task.node.port} dbname=${dbname}`);
    const plan = explained[i]!.rows.map((row) => row[0] ?? "");
    plan.forEach((line, k) => lines.push(k === 0 ? `        ->  ${line}` : `            ${line}`));
  });
  return lines;
}

/** Wraps a task's SQL in EXPLAIN with the user's options. */
function explainText(sql: string, options: readonly ast.Node[]): string {
  if (options.length === 0) return `EXPLAIN ${sql}`;
  const printed = deparseStatement({
    ExplainStmt: { query: { SelectStmt: { targetList: [], limitOption: "LIMIT_OPTION_DEFAULT",
      op: "SETOP_NONE" } }, options: [...options] },
  });
  const head = /^EXPLAIN\s*(\([^)]*\))?/i.exec(printed)?.[1] ?? "";
  return `EXPLAIN ${head} ${sql}`;
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
