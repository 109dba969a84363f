/**
 * All-or-nothing writes outside transaction blocks, as Citus's coordinated transaction: a
 * statement that writes over several tasks (a multi-shard UPDATE or DELETE, a multi-row
 * INSERT or a COPY split over shards, any write to a reference table's placements, DDL
 * propagated to the shards) opens a remote transaction on one connection per node it writes
 * to, runs the node's tasks there one after the other (the nodes in parallel, or one after
 * the other under citus.multi_shard_modify_mode = sequential), and ends them
 * all together:
 *
 *   every task succeeded     one connection: COMMIT; several: two-phase commit with the
 *                            decision in pg_dist_transaction (`remote-transaction.ts`), as
 *                            citus.multi_shard_commit_protocol '2pc'
 *   a task failed            no further task starts; once the running ones settled, every
 *                            node rolls back and the node's error is raised as it came
 *
 * A single-task statement (a router write) keeps its one round trip: it autocommits.
 * Statements that cannot run in a transaction block (CREATE INDEX CONCURRENTLY …) and reads
 * keep autocommitting per task too.
 *
 * Deadlocks: each statement holds its row locks on every node until the end, so two parallel
 * multi-shard UPDATEs over the same rows could wait for each other across nodes. As Citus
 * does (`AcquireExecutorShardLocksForExecution`), non-commutative writes (UPDATE, DELETE,
 * DDL) and writes to replicated shards (reference tables) first take coordinator-side locks
 * on their shards, in shard id order, held until the statement ends; multi-row INSERTs and
 * COPY into hash-distributed tables commute and take none.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { StatementContext } from "@tessera/engine";
import type { ConnectionPools, NodeAddress, RemoteResult, ReservedConnection } from "./pool.js";
import { DistributedTransaction, isolationOf } from "./remote-transaction.js";
import { logRemoteCommand } from "./remote-command-log.js";

/** What atomic execution needs of a task (executor/tasks.ts's Task). */
export interface AtomicTask {
  readonly sql: string;
  readonly params: readonly (string | null)[];
  readonly node: NodeAddress;
  readonly shardId: number | null;
  /** Every shard a task of several commands writes (commands/shard-command-batch.ts). */
  readonly shardIds?: readonly number[];
}

/** Statements that only read: they never need a transaction of their own. */
const readOnly = /^\s*\(?\s*(select|explain|show|values|table)\b/i;
/** A WITH query that writes (a data-modifying CTE or a main DML statement). */
const writingWith = /^\s*with\b[\s\S]*\b(insert|update|delete|merge)\b/i;
/** Statements Postgres refuses inside a transaction block. */
const outsideBlocksOnly = new RegExp("^\\s*((create|drop|reindex)\\b[^;]*\\bconcurrently\\b|" +
  "(vacuum|cluster|alter\\s+system|create\\s+database|drop\\s+database)\\b)", "i");
/** Writes that commute with each other (no coordinator-side shard lock), as Citus counts them. */
const commutative = /^\s*(insert|copy)\b/i;
const onConflict = /\bon\s+conflict\b/i;

function writes(sql: string): boolean {
  if (readOnly.test(sql)) return false;
  return /^\s*with\b/i.test(sql) ? writingWith.test(sql) : true;
}

/** Row locks a SELECT takes (FOR UPDATE, FOR SHARE …): its connection holds them as writes. */
const rowLocks = /\bfor\s+(update|share|no\s+key\s+update|key\s+share)\b/i;
/** EXPLAIN ANALYZE runs the statement it explains. */
const explainAnalyze = /^\s*explain\s*(\([^)]*\banalyze\b|\s+analyze\b)/i;
const modifying = /\b(insert|update|delete|merge)\b/i;

/**
 * Whether a task only reads, as Citus's read-only tasks: inside a block it leaves its node
 * unmodified, so it may run on another connection than the node's writes and takes no part
 * in two-phase commit. Uncertain texts count as writes.
 */
export function onlyReads(sql: string): boolean {
  if (explainAnalyze.test(sql)) return !modifying.test(sql);
  return !writes(sql) && !rowLocks.test(sql);
}

/** Whether the tasks of one execution make a write that must be all-or-nothing. */
export function needsAtomicRun(tasks: readonly AtomicTask[]): boolean {
  if (tasks.length < 2 || !tasks.some((task) => writes(task.sql))) return false;
  return !tasks.some((task) => outsideBlocksOnly.test(task.sql));
}

/**
 * Runs the tasks in one transaction per node and commits them together (one-phase on one
 * connection, two-phase on several); results come back in task order.
 */
export async function runAtomically(pools: ConnectionPools, tasks: readonly AtomicTask[],
  ctx: StatementContext, log: boolean): Promise<RemoteResult[]> {
  const unlock = await lockShards(serializedShards(tasks), ctx.signal);
  const transaction = new DistributedTransaction(pools, ctx.backendPid, isolationOf(ctx), 0,
    undefined, (notice) => ctx.notice(notice), {
      statement: true,
      ...(log && { log: (connection: ReservedConnection, sql: string): void =>
        logTransactionCommand(pools, connection, sql, ctx) }),
    });
  try {
    const results = await runPerNode(transaction, tasks, ctx.signal, sequential(ctx));
    await transaction.commit({ synchronous: true });
    return results;
  } catch (error) {
    await transaction.abort();
    throw error;
  } finally {
    unlock();
  }
}

/** The indexes of the tasks by node ("host:port"), in task order. */
export function nodeQueues(
  tasks: readonly { readonly node: { readonly host: string; readonly port: number } }[],
): Map<string, number[]> {
  const queues = new Map<string, number[]>();
  for (const [i, task] of tasks.entries()) {
    const key = `${task.node.host}:${task.node.port}`;
    const queue = queues.get(key);
    if (queue === undefined) queues.set(key, [i]);
    else queue.push(i);
  }
  return queues;
}

/** Each node's tasks in order on its connection, the nodes in parallel; stops at a failure. */
async function runPerNode(transaction: DistributedTransaction, tasks: readonly AtomicTask[],
  signal: AbortSignal, oneAtATime: boolean): Promise<RemoteResult[]> {
  const queues = nodeQueues(tasks);
  const results = new Array<RemoteResult>(tasks.length);
  let failure: { error: unknown } | undefined;
  const drain = async (queue: readonly number[]): Promise<void> => {
    for (const i of queue) {
      if (failure !== undefined) return;
      const task = tasks[i]!;
      try {
        results[i] = await transaction.run(task.node, task.sql, task.params, signal);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  if (oneAtATime) {
    for (const queue of queues.values()) await drain(queue);
  } else {
    await Promise.all([...queues.values()].map(drain));
  }
  if (failure !== undefined) throw failure.error;
  return results;
}

/** citus.multi_shard_modify_mode = sequential: one task at a time, node after node. */
function sequential(ctx: StatementContext): boolean {
  try {
    return ctx.setting("citus.multi_shard_modify_mode").toLowerCase() === "sequential";
  } catch {
    return false;
  }
}

/** The shards to lock first: all of them for non-commutative writes or replicated shards. */
function serializedShards(tasks: readonly AtomicTask[]): number[] {
  const ids = tasks.flatMap((task) => task.shardIds ??
    (task.shardId === null ? [] : [task.shardId]));
  const replicated = new Set(ids).size < ids.length;
  const commute = (sql: string): boolean => commutative.test(sql) && !onConflict.test(sql);
  if (!replicated && tasks.every((task) => commute(task.sql))) return [];
  return [...new Set(ids)].sort((a, b) => a - b);
}

/** The tail of each shard's lock queue: the promise the next holder waits for. */
const shardLockTails = new Map<number, Promise<void>>();

/**
 * Takes the exclusive coordinator-side locks of `shardIds` (sorted, so holders never wait in
 * a cycle); returns the function that releases them. A cancelled statement stops waiting.
 */
async function lockShards(shardIds: readonly number[], signal: AbortSignal):
  Promise<() => void> {
  const releases: (() => void)[] = [];
  const unlock = (): void => {
    for (const release of releases.splice(0)) release();
  };
  for (const id of shardIds) {
    const previous = shardLockTails.get(id) ?? Promise.resolve();
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => { release = resolve; });
    const tail = previous.then(() => held);
    shardLockTails.set(id, tail);
    releases.push(() => {
      release();
      void tail.then(() => {
        if (shardLockTails.get(id) === tail) shardLockTails.delete(id);
      });
    });
    try {
      await waitOrCancel(previous, signal);
    } catch (error) {
      unlock();
      throw error;
    }
  }
  return unlock;
}

function waitOrCancel(promise: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => reject(cancelled());
    signal.addEventListener("abort", onAbort, { once: true });
    void promise.then(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    });
  });
}

function cancelled(): SqlError {
  return new SqlError(SqlState.queryCanceled, "canceling statement due to user request");
}

/** citus.log_remote_commands for a command of the statement's transaction. */
function logTransactionCommand(pools: ConnectionPools, connection: ReservedConnection,
  sql: string, ctx: StatementContext): void {
  logRemoteCommand(ctx, pools.settings.user, connection.node, connection.connectionId, sql);
}
