/**
 * The Custom Scan block of a distributed EXPLAIN, shared by SELECT and modifications
 * (`citus-surface.md` §5), with or without ANALYZE:
 *
 *     Custom Scan (Citus Adaptive) (actual time=4.1..4.2 rows=4 loops=1)
 *       Task Count: 4
 *       Tuple data received from nodes: 32 bytes          (ANALYZE, when rows come back)
 *       Tasks Shown: One of 4
 *       ->  Task
 *             Tuple data received from node: 8 bytes       (ANALYZE, when rows come back)
 *             Node: host=127.0.0.1 port=5433 dbname=postgres
 *             ->  Aggregate (actual time=… rows=1 loops=1)
 *                   ->  Seq Scan on events_102008 events (actual time=… rows=1 loops=1)
 *                 Planning Time: 0.041 ms
 *                 Execution Time: 0.045 ms
 *
 * Also the bits ANALYZE adds elsewhere: the `(actual …)` text, the byte counts Citus prints
 * (as pg_size_pretty does) and the coordinator's own Planning / Execution Time lines.
 */
import type { StatementContext } from "@tessera/engine";
import { typeOf, type ast } from "@tessera/sql";
import { citusFlag, type Cluster } from "../cluster.js";
import type { RemoteResult } from "../connection/pool.js";
import { deparseStatement } from "../planner/shard-query.js";
import type { ExplainFlags } from "./explain-options.js";
import type { Task } from "./tasks.js";

/** One task as shown under `->  Task`: its worker plan, and with ANALYZE its bytes. */
export interface ShownTask {
  readonly task: Task;
  readonly plan: readonly string[];
  readonly bytes?: number;
}

export interface ScanHead {
  /** "Citus Adaptive", "Citus INSERT ... SELECT". */
  readonly name: string;
  /** The text after the name: `  (cost=…)` and ` (actual …)`, possibly empty. */
  readonly suffix: string;
  readonly taskCount: number;
  /** Bytes received from all nodes (ANALYZE of a scan that returns columns). */
  readonly bytes?: number;
}

/** Whether every task is shown: citus.explain_all_tasks, or at most one task. */
export function showsAllTasks(ctx: StatementContext, taskCount: number): boolean {
  return citusFlag(ctx, "citus.explain_all_tasks") || taskCount <= 1;
}

/** The Custom Scan node with its shown tasks, its name line at column 0. */
export function customScanLines(cluster: Cluster, head: ScanHead, shown: readonly ShownTask[],
  flags: ExplainFlags, all: boolean): string[] {
  const lines = [`Custom Scan (${head.name})${head.suffix}`, `  Task Count: ${head.taskCount}`];
  if (head.bytes !== undefined) {
    lines.push(`  Tuple data received from nodes: ${prettyBytes(head.bytes)}`);
  }
  lines.push(`  Tasks Shown: ${all ? "All" : `One of ${head.taskCount}`}`);
  const dbname = cluster.pools.settings.database;
  for (const { task, plan, bytes } of shown) {
    lines.push("  ->  Task");
    if (flags.verbose) lines.push(`        Query: ${task.sql}`);
    if (bytes !== undefined) {
      lines.push(`        Tuple data received from node: ${prettyBytes(bytes)}`);
    }
    lines.push(`        Node: host=${task.node.host} port=${task.node.port} dbname=${dbname}`);
    plan.forEach((line, k) => lines.push(k === 0 ? `        ->  ${line}` : `            ${line}`));
  }
  return lines;
}

/** `  (cost=…)` when COSTS is on, for the scan's row and width estimates. */
export function costsText(flags: ExplainFlags, rows: number, width: number): string {
  return flags.costs ? `  (cost=0.00..0.00 rows=${rows} width=${width})` : "";
}

/** ` (actual time=a..b rows=n loops=1)`, or without time when TIMING is off. */
export function actualText(flags: ExplainFlags, startMs: number, totalMs: number,
  rows: number): string {
  return flags.timing
    ? ` (actual time=${startMs.toFixed(3)}..${totalMs.toFixed(3)} rows=${rows} loops=1)`
    : ` (actual rows=${rows} loops=1)`;
}

/** The coordinator's Planning Time / Execution Time lines, when SUMMARY is on. */
export function summaryLines(flags: ExplainFlags, planningMs: number,
  executionMs: number): string[] {
  if (!flags.summary) return [];
  const lines = [`Planning Time: ${planningMs.toFixed(3)} ms`];
  if (flags.analyze) lines.push(`Execution Time: ${executionMs.toFixed(3)} ms`);
  return lines;
}

/** Drops a plan's own Planning / Execution Time lines (column 0). */
export function withoutSummary(plan: readonly string[]): string[] {
  return plan.filter((line) => !/^(Planning|Execution) Time: /.test(line));
}

/**
 * The data bytes of a task's rows as Citus counts them over the binary protocol:
 * fixed-size values by their size, the rest by the length of their text.
 */
export function tupleBytes(result: RemoteResult): number {
  let bytes = 0;
  const sizes = result.fields.map((field) => typeOf(field.typeOid).len);
  for (const row of result.rows) {
    row.forEach((value, i) => {
      if (value === null) return;
      const len = sizes[i] ?? -1;
      bytes += len > 0 ? len : Buffer.byteLength(value);
    });
  }
  return bytes;
}

/** Bytes as pg_size_pretty prints them: "32 bytes", "12 kB", "3 MB". */
export function prettyBytes(bytes: number): string {
  const limit = 10 * 1024;
  if (Math.abs(bytes) < limit) return `${bytes} bytes`;
  let size = bytes;
  for (const unit of ["kB", "MB", "GB", "TB"]) {
    const half = Math.floor(size / 512);
    if (Math.abs(half) < limit * 2 || unit === "TB") return `${Math.floor((half + 1) / 2)} ${unit}`;
    size = Math.floor(size / 1024);
  }
  return `${bytes} bytes`;
}

/** Wraps a task's SQL in EXPLAIN with the user's options. */
export function explainText(sql: string, options: readonly ast.Node[]): string {
  if (options.length === 0) return `EXPLAIN ${sql}`;
  const printed = deparseStatement({
    ExplainStmt: { query: { SelectStmt: { targetList: [], limitOption: "LIMIT_OPTION_DEFAULT",
      op: "SETOP_NONE" } }, options: [...options] },
  });
  const head = /^EXPLAIN\s*(\([^)]*\))?/i.exec(printed)?.[1] ?? "";
  return `EXPLAIN ${head} ${sql}`;
}

/** A worker's EXPLAIN result as plan lines. */
export function planLines(result: RemoteResult): string[] {
  return result.rows.map((row) => row[0] ?? "");
}
