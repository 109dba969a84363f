/**
 * The adaptive executor, first cut: a task is one SQL text for one placement; a list of
 * tasks runs in parallel over the per-node pools (each pool bounds how many run on one
 * node at once), and each task's rows come back as text and turn into typed values here.
 *
 * Outside a transaction block every task autocommits on its node: a multi-shard write that
 * fails on one shard leaves the others written. Inside a block every task for a node runs
 * over the block's connection to it (connection/remote-transaction.ts), one at a time.
 */
import { SqlError, SqlState, assert } from "@tessera/base";
import type { StatementContext } from "@tessera/engine";
import { defaultFormatContext, typeOf, type Row, type Value } from "@tessera/sql";
import { citusFlag, type Cluster, type PlacementAddress } from "../cluster.js";
import type { RemoteResult } from "../connection/pool.js";
import { blockOf, endedBlocks } from "../connection/remote-transaction.js";

export interface Task {
  readonly sql: string;
  readonly params: readonly (string | null)[];
  readonly node: PlacementAddress;
  /** The shard this task reads or writes (the first, for joins); for EXPLAIN and logs. */
  readonly shardId: number | null;
}

/** Runs tasks in parallel; results come back in task order. */
export async function runTasks(cluster: Cluster, tasks: readonly Task[],
  ctx: StatementContext): Promise<RemoteResult[]> {
  const log = citusFlag(ctx, "citus.log_remote_commands");
  await endedBlocks(ctx.backendPid);
  // In a block, nodes take their row locks in one order (a reference table's placements),
  // so two blocks writing the same rows wait for each other instead of deadlocking.
  if (blockOf(ctx) !== undefined) return runInNodeOrder(cluster, tasks, ctx, log);
  return Promise.all(tasks.map(async (task) => {
    if (log) logCommand(cluster, task, ctx);
    return runTask(cluster, task, ctx);
  }));
}

/** Runs one command on each of `nodes` in turn (DDL on the placements of one shard). */
export async function runOnEach(cluster: Cluster, tasks: readonly Task[],
  ctx: StatementContext): Promise<RemoteResult[]> {
  const results: RemoteResult[] = [];
  const log = citusFlag(ctx, "citus.log_remote_commands");
  await endedBlocks(ctx.backendPid);
  for (const task of tasks) {
    if (log) logCommand(cluster, task, ctx);
    results.push(await runTask(cluster, task, ctx));
  }
  return results;
}

async function runInNodeOrder(cluster: Cluster, tasks: readonly Task[],
  ctx: StatementContext, log: boolean): Promise<RemoteResult[]> {
  const order = tasks.map((task, i) => i).sort((a, b) => {
    const x = tasks[a]!.node;
    const y = tasks[b]!.node;
    return x.host === y.host ? x.port - y.port : (x.host < y.host ? -1 : 1);
  });
  const results = new Array<RemoteResult>(tasks.length);
  for (const i of order) {
    const task = tasks[i]!;
    if (log) logCommand(cluster, task, ctx);
    results[i] = await runTask(cluster, task, ctx);
  }
  return results;
}

/** Runs one task: over the block's connection inside a transaction block, else pooled. */
function runTask(cluster: Cluster, task: Task, ctx: StatementContext): Promise<RemoteResult> {
  const block = blockOf(ctx);
  if (block !== undefined) return block.run(task.node, task.sql, task.params, ctx.signal);
  return cluster.pools.run(task.node, task.sql, task.params, ctx.signal);
}

/** NOTICE "issuing …" as Citus's citus.log_remote_commands prints it. */
function logCommand(cluster: Cluster, task: Task, ctx: StatementContext): void {
  const user = cluster.pools.settings.user;
  ctx.notice(new SqlError(SqlState.successfulCompletion, `issuing ${task.sql}`, {
    severity: "NOTICE",
    detail: `on server ${user}@${task.node.host}:${task.node.port} connectionId: ` +
      `${cluster.pools.connectionIdFor(task.node)}`,
  }));
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
  const inputs = types.map((t) => typeOf(t.typeOid));
  return result.rows.map((row) => row.map((text, i): Value => {
    if (text === null) return null;
    const type = types[i]!;
    return inputs[i]!.input(text, type.typmod, defaultFormatContext);
  }));
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
