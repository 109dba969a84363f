/**
 * Multi-shard SELECTs whose coordinator step only picks columns stream their rows: when the
 * combine query is `SELECT remote_scan.c2, remote_scan.c1 FROM remote_scan` (no filter,
 * aggregate, order, limit or DISTINCT left for the coordinator), each task is read in
 * batches (`connection/portal-stream.ts`) and its rows go to the client as they come. The
 * coordinator then holds a batch or two per running task, never the whole result, and a slow
 * client slows the nodes down instead of filling the coordinator's memory.
 *
 *     fetch(n) ──> rows buffered? hand out n : await the next batch of any running task
 *     a task's last batch ──> its connection goes back; the node's next task starts
 *
 * Tasks start as `runTasks` starts them: at most `connectionsPerNode` per node at once. The
 * first failure cancels the other reads and fails the statement. Rows come in no particular
 * order, which is all a query without ORDER BY promises.
 */
import type { Cursor, FetchResult, StatementContext } from "@tessera/engine";
import type { Row, ast } from "@tessera/sql";
import type { Cluster } from "../cluster.js";
import { remoteError, type RemoteStream } from "../connection/pool.js";
import type { RemoteScanShape } from "./combine.js";
import { executionStats } from "./execution-stats.js";
import {
  connectionsPerNode, logCommand, textRowsToValues, type ColumnType, type Task,
} from "./tasks.js";

/** Rows per batch a task's read asks its node for. */
const batchRows = 1000;
/**
 * Reads open at once per node: a node runs one statement at a time anyway, so more would
 * only hold more batches on the coordinator.
 */
const streamsPerNodeMax = 4;

/**
 * The remote column behind each output column when `combine` only picks columns of
 * remote_scan, else undefined.
 */
export function passThroughColumns(combine: ast.SelectStmt, shape: RemoteScanShape):
  number[] | undefined {
  const plain = combine.whereClause === undefined && combine.groupClause === undefined &&
    combine.havingClause === undefined && combine.sortClause === undefined &&
    combine.limitCount === undefined && combine.limitOffset === undefined &&
    combine.distinctClause === undefined && combine.windowClause === undefined &&
    combine.withClause === undefined && combine.lockingClause === undefined &&
    combine.valuesLists === undefined && (combine.op ?? "SETOP_NONE") === "SETOP_NONE" &&
    combine.fromClause?.length === 1;
  if (!plain) return undefined;
  const from = combine.fromClause![0]!;
  if (!("RangeVar" in from) || from.RangeVar.relname !== "remote_scan") return undefined;
  const columns: number[] = [];
  for (const item of combine.targetList ?? []) {
    const val = "ResTarget" in item ? item.ResTarget.val : undefined;
    if (val === undefined || !("ColumnRef" in val)) return undefined;
    const fields = val.ColumnRef.fields ?? [];
    const last = fields[fields.length - 1];
    if (last === undefined || !("String" in last)) return undefined;
    const index = shape.names.indexOf(last.String.sval ?? "");
    if (index < 0) return undefined;
    columns.push(index);
  }
  return columns.length > 0 ? columns : undefined;
}

/** A cursor over the tasks' rows, `columns` of each remote row in order. */
export function streamTasks(cluster: Cluster, tasks: readonly Task[],
  shape: RemoteScanShape, columns: readonly number[], ctx: StatementContext,
  logCommands: boolean): Cursor {
  return new TaskStreams(cluster, tasks, shape.types, columns, ctx, logCommands);
}

interface Running {
  readonly task: Task;
  readonly stream: RemoteStream;
  /** The batch asked for and not yet taken. */
  pending: Promise<{ running: Running; rows: Row[]; done: boolean }>;
}

class TaskStreams implements Cursor {
  /** Tasks not started yet, by node. */
  private readonly queues = new Map<string, Task[]>();
  private readonly running = new Set<Running>();
  private buffer: Row[] = [];
  private count = 0;
  private started = false;
  private closed = false;
  private readonly perNode: number;
  private readonly onAbort = (): void => this.cancelAll();

  constructor(private readonly cluster: Cluster, tasks: readonly Task[],
    private readonly types: readonly ColumnType[], private readonly columns: readonly number[],
    private readonly ctx: StatementContext, private readonly log: boolean) {
    for (const task of tasks) {
      const key = `${task.node.host}:${task.node.port}`;
      const queue = this.queues.get(key);
      if (queue === undefined) this.queues.set(key, [task]);
      else queue.push(task);
    }
    this.perNode = Math.min(streamsPerNodeMax, connectionsPerNode(cluster, ctx));
  }

  async fetch(maxRows: number): Promise<FetchResult> {
    if (this.closed) return { rows: [] };
    if (!this.started) await this.start();
    for (;;) {
      if (maxRows > 0 && this.buffer.length >= maxRows) {
        const rows = this.buffer.slice(0, maxRows);
        this.buffer = this.buffer.slice(maxRows);
        return { rows };
      }
      if (this.running.size === 0) {
        const rows = this.buffer;
        this.buffer = [];
        this.finish();
        return { rows, commandTag: `SELECT ${this.count}` };
      }
      await this.takeBatch();
    }
  }

  close(): void {
    if (this.closed) return;
    for (const running of this.running) running.stream.close();
    this.running.clear();
    this.finish();
  }

  private async start(): Promise<void> {
    this.started = true;
    this.ctx.signal.addEventListener("abort", this.onAbort, { once: true });
    const stats = executionStats(this.cluster);
    for (const queue of this.queues.values()) {
      for (const task of queue) stats.taskSent(this.ctx.backendPid, task.node);
    }
    const openings: Promise<void>[] = [];
    for (const queue of this.queues.values()) {
      for (let n = 0; n < this.perNode && queue.length > 0; n++) {
        openings.push(this.open(queue.shift()!));
      }
    }
    await this.settleAll(openings);
  }

  /** Waits for every promise; the first failure cancels what runs and is raised. */
  private async settleAll(promises: readonly Promise<void>[]): Promise<void> {
    const outcomes = await Promise.allSettled(promises);
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === "rejected");
    if (failed !== undefined) {
      this.cancelAll();
      throw failed.reason;
    }
  }

  private async open(task: Task): Promise<void> {
    if (this.log) logCommand(this.cluster, task, this.ctx);
    const stream = await this.cluster.pools.stream(task.node, task.sql, task.params, batchRows)
      .catch((error: unknown) => { throw remoteError(error, task.node, this.user()); });
    if (this.closed) {
      stream.close();
      return;
    }
    const running: Running = { task, stream, pending: undefined! };
    running.pending = this.ask(running);
    this.running.add(running);
  }

  private ask(running: Running): Running["pending"] {
    const pending = running.stream.next().then((batch) => ({
      running, done: batch.done,
      rows: textRowsToValues(batch.rows, this.types),
    }), (error: unknown) => { throw remoteError(error, running.task.node, this.user()); });
    // Raced later; until then its failure must not count as unhandled.
    pending.catch(() => undefined);
    return pending;
  }

  /** Waits for the first batch of any running task and buffers its rows. */
  private async takeBatch(): Promise<void> {
    let batch: Awaited<Running["pending"]>;
    try {
      batch = await Promise.race([...this.running].map((r) => r.pending));
    } catch (error) {
      this.cancelAll();
      throw error;
    }
    const { running, rows, done } = batch;
    for (const row of rows) this.buffer.push(this.columns.map((i) => row[i]!));
    this.count += rows.length;
    if (!done) {
      running.pending = this.ask(running);
      return;
    }
    this.running.delete(running);
    const key = `${running.task.node.host}:${running.task.node.port}`;
    const next = this.queues.get(key)?.shift();
    if (next !== undefined) await this.settleAll([this.open(next)]);
  }

  private cancelAll(): void {
    for (const running of this.running) running.stream.cancel();
    this.running.clear();
    this.finish();
  }

  private finish(): void {
    this.closed = true;
    this.ctx.signal.removeEventListener("abort", this.onAbort);
  }

  private user(): string {
    return this.cluster.pools.settings.user;
  }
}
