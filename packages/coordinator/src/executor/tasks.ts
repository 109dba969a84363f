/**
 * The adaptive executor, first cut: a task is one SQL text for one placement; a list of
 * tasks runs in parallel over the per-node pools (each pool bounds how many run on one
 * node at once), and each task's rows come back as text and turn into typed values here.
 *
 * Outside a transaction block a single task, and every read, autocommits on its node; a write
 * with several tasks runs in a transaction of its own, all-or-nothing
 * (connection/atomic-writes.ts). Inside a block (connection/remote-transaction.ts) a write's
 * tasks run one at a time over the block's first connection to each node, the nodes in one
 * order; a statement that only reads runs its tasks on the nodes in parallel, and on a node
 * the block has not written yet over up to `connectionsPerNode` connections of the block
 * (Citus's placement-connection rule, kept per node: what a connection wrote is read back
 * over that connection). A write of several tasks makes the block commit with two-phase
 * commit.
 */
import { SqlError, SqlState, assert } from "@tessera/base";
import { checkMemory, type StatementContext } from "@tessera/engine";
import { defaultFormatContext, typeOf, type Row, type Value } from "@tessera/sql";
import { citusFlag, citusSetting, type Cluster, type PlacementAddress } from "../cluster.js";
import type { RemoteResult } from "../connection/pool.js";
import {
  needsAtomicRun, nodeQueues, onlyReads, runAtomically,
} from "../connection/atomic-writes.js";
import {
  blockOf, endedBlocks, type CommandAccess, type DistributedTransaction,
} from "../connection/remote-transaction.js";
import { logRemoteCommand } from "../connection/remote-command-log.js";
import { executionStats } from "./execution-stats.js";

export interface Task {
  readonly sql: string;
  readonly params: readonly (string | null)[];
  readonly node: PlacementAddress;
  /** The shard this task reads or writes (the first, for joins); for EXPLAIN and logs. */
  readonly shardId: number | null;
}

/**
 * Runs tasks in parallel; results come back in task order. Each node gets at most
 * `citus.max_adaptive_executor_pool_size` of the statement's tasks at once (one with
 * `citus.multi_shard_modify_mode = sequential`), each connection taking the node's next task
 * when its last one is done, so a statement never queues behind its own tasks in the pool.
 * After a failure no further task starts; the first error is raised once the running ones
 * have settled, so nothing of the statement still runs when it fails.
 */
export async function runTasks(cluster: Cluster, tasks: readonly Task[],
  ctx: StatementContext): Promise<RemoteResult[]> {
  const log = citusFlag(ctx, "citus.log_remote_commands");
  const stats = executionStats(cluster);
  for (const task of tasks) stats.taskSent(ctx.backendPid, task.node);
  await endedBlocks(ctx.backendPid);
  const block = blockOf(ctx);
  if (block !== undefined && tasks.every((task) => onlyReads(task.sql))) {
    return runReadsInBlock(cluster, block, tasks, ctx, log);
  }
  // In a block, nodes take their row locks in one order (a reference table's placements),
  // so two blocks writing the same rows wait for each other instead of deadlocking.
  if (block !== undefined) return runInNodeOrder(cluster, block, tasks, ctx, log);
  // A write over several tasks outside a block is all-or-nothing (connection/atomic-writes.ts).
  if (needsAtomicRun(tasks)) return runAtomically(cluster.pools, tasks, ctx, log);
  if (log) for (const task of tasks) logCommand(cluster, task, ctx);
  if (tasks.length === 1) return [await runTask(cluster, tasks[0]!, ctx)];
  const queues = nodeQueues(tasks);
  const perNode = connectionsPerNode(cluster, ctx);
  const results = new Array<RemoteResult>(tasks.length);
  let failure: { error: unknown } | undefined;
  const drain = async (queue: number[]): Promise<void> => {
    for (let i = queue.shift(); i !== undefined && failure === undefined; i = queue.shift()) {
      try {
        results[i] = await runTask(cluster, tasks[i]!, ctx);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const runners: Promise<void>[] = [];
  for (const queue of queues.values()) {
    const width = Math.min(perNode, queue.length);
    for (let n = 0; n < width; n++) runners.push(drain(queue));
  }
  await Promise.all(runners);
  if (failure !== undefined) throw failure.error;
  return results;
}

/** How many of one statement's tasks may run on one node at once. */
export function connectionsPerNode(cluster: Cluster, ctx: StatementContext): number {
  if (citusSetting(ctx, "citus.multi_shard_modify_mode", "parallel") === "sequential") return 1;
  const setting = Number(citusSetting(ctx, "citus.max_adaptive_executor_pool_size", "16"));
  const wanted = Number.isInteger(setting) && setting >= 1 ? setting : 1;
  return Math.min(wanted, cluster.pools.settings.poolSizeMax);
}

/** Runs one command on each of `nodes` in turn (DDL on the placements of one shard). */
export async function runOnEach(cluster: Cluster, tasks: readonly Task[],
  ctx: StatementContext): Promise<RemoteResult[]> {
  const results: RemoteResult[] = [];
  const log = citusFlag(ctx, "citus.log_remote_commands");
  await endedBlocks(ctx.backendPid);
  const stats = executionStats(cluster);
  for (const task of tasks) {
    if (log) logCommand(cluster, task, ctx);
    stats.taskSent(ctx.backendPid, task.node);
    results.push(await runTask(cluster, task, ctx));
  }
  return results;
}

async function runInNodeOrder(cluster: Cluster, block: DistributedTransaction,
  tasks: readonly Task[], ctx: StatementContext, log: boolean): Promise<RemoteResult[]> {
  if (tasks.length > 1) block.requireTwoPhaseCommit();
  const order = tasks.map((task, i) => i).sort((a, b) => {
    const x = tasks[a]!.node;
    const y = tasks[b]!.node;
    return x.host === y.host ? x.port - y.port : (x.host < y.host ? -1 : 1);
  });
  const results = new Array<RemoteResult>(tasks.length);
  const access = blockAccess(cluster, ctx, log, false);
  for (const i of order) {
    const task = tasks[i]!;
    results[i] = await block.run(task.node, task.sql, task.params, ctx.signal, access);
  }
  return results;
}

/**
 * A statement that only reads, inside a block: each node's tasks over as many of the block's
 * connections to it as `readLanes` allows, the nodes in parallel. After a failure no further
 * task starts; the first error is raised once the running ones have settled.
 */
async function runReadsInBlock(cluster: Cluster, block: DistributedTransaction,
  tasks: readonly Task[], ctx: StatementContext, log: boolean): Promise<RemoteResult[]> {
  const perNode = connectionsPerNode(cluster, ctx);
  const results = new Array<RemoteResult>(tasks.length);
  let failure: { error: unknown } | undefined;
  const drain = async (queue: number[], lane: number): Promise<void> => {
    const access = { ...blockAccess(cluster, ctx, log, true), lane };
    for (let i = queue.shift(); i !== undefined && failure === undefined; i = queue.shift()) {
      const task = tasks[i]!;
      try {
        results[i] = await block.run(task.node, task.sql, task.params, ctx.signal, access);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const runners: Promise<void>[] = [];
  for (const queue of nodeQueues(tasks).values()) {
    const width = block.readLanes(tasks[queue[0]!]!.node, Math.min(perNode, queue.length));
    for (let lane = 0; lane < width; lane++) runners.push(drain(queue, lane));
  }
  await Promise.all(runners);
  if (failure !== undefined) throw failure.error;
  return results;
}

/** How a block's task goes: read or write, logged with the connection it really takes. */
function blockAccess(cluster: Cluster, ctx: StatementContext, log: boolean, reads: boolean):
  CommandAccess {
  if (!log) return { reads };
  return { reads, log: (connection, sql): void => logRemoteCommand(ctx,
    cluster.pools.settings.user, connection.node, connection.connectionId, sql) };
}

/** Runs one task: over the block's connection inside a transaction block, else pooled. */
function runTask(cluster: Cluster, task: Task, ctx: StatementContext): Promise<RemoteResult> {
  const block = blockOf(ctx);
  if (block !== undefined) return block.run(task.node, task.sql, task.params, ctx.signal);
  return cluster.pools.run(task.node, task.sql, task.params, ctx.signal);
}

/** citus.log_remote_commands for one task. */
export function logCommand(cluster: Cluster, task: Task, ctx: StatementContext): void {
  logRemoteCommand(ctx, cluster.pools.settings.user, task.node,
    cluster.pools.connectionIdFor(task.node), task.sql);
}

/** The type of one result column as the coordinator expects it. */
export interface ColumnType {
  readonly typeOid: number;
  readonly typmod: number;
}

/** Converts a node's text rows to values of the expected column types. */
export function rowsToValues(result: RemoteResult, types: readonly ColumnType[]): Row[] {
  if (result.fields.length !== types.length) {
    throw new SqlError(SqlState.internalError,
      `a node returned ${result.fields.length} columns where ${types.length} were expected`);
  }
  return textRowsToValues(result.rows, types);
}

/** Converts rows of text to values of the column types; each row must be that wide. */
export function textRowsToValues(rows: readonly (readonly (string | null)[])[],
  types: readonly ColumnType[]): Row[] {
  const inputs = types.map((t) => typeOf(t.typeOid));
  return rows.map((row) => {
    // Rows gathered on the coordinator count against its memory limit (53200 past it).
    checkMemory();
    if (row.length !== types.length) {
      throw new SqlError(SqlState.internalError,
        `a node returned ${row.length} columns where ${types.length} were expected`);
    }
    return row.map((text, i): Value => {
      if (text === null) return null;
      const type = types[i]!;
      return inputs[i]!.input(text, type.typmod, defaultFormatContext);
    });
  });
}

/** Prints a value as the text a node reads back for the same type. */
export function valueText(value: Value, typeOid: number): string | null {
  if (value === null) return null;
  return typeOf(typeOid).output(value, defaultFormatContext);
}

/** Adds up the row counts of command tags ("INSERT 0 3" + "INSERT 0 2"). */
export function sumCounts(results: readonly RemoteResult[]): number {
  let total = 0;
  for (const result of results) {
    assert(Number.isInteger(result.rowCount), "a row count is an integer");
    total += result.rowCount;
  }
  return total;
}
