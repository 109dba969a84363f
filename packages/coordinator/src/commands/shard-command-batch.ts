/**
 * Shard DDL in one round trip per node: the commands a DDL statement sends to its shards
 * (one or a few per shard: `ALTER TABLE public.events_102008 ADD COLUMN x int`, …) are
 * grouped by node, in their order, and each node gets its commands as one simple-query
 * message of several statements. With 32 shards on 2 workers, `ALTER TABLE` costs one
 * message per worker instead of sixteen, sent in parallel to the two.
 *
 *     commands for shard 102008 @ w1, 102009 @ w2, 102010 @ w1 …
 *       -> w1: "ALTER TABLE …_102008 …; ALTER TABLE …_102010 …; …"
 *          w2: "ALTER TABLE …_102009 …; ALTER TABLE …_102011 …; …"
 *
 * Atomicity is the executor's as before (`executor/tasks.ts`): with several nodes the
 * messages run in one transaction per node, committed together (`connection/atomic-writes.ts`),
 * inside a transaction block over the block's connections. A single message (one node) runs
 * as the node's implicit transaction, which PostgreSQL (and Tessera's engine) gives a
 * multi-statement simple query: either every statement of it applies or none.
 *
 * Each message keeps the ids of all the shards it writes, so the coordinator-side shard locks
 * taken before non-commutative writes (`connection/atomic-writes.ts`) cover every shard.
 *
 * citus.log_remote_commands still shows one `issuing …` NOTICE per shard command, as Citus
 * does: the executor reports the message it sends, and the context handed to it turns the
 * report of one of our messages back into the NOTICEs of its commands (same DETAIL: node and
 * connection). The coordinator's log line carries the whole message.
 *
 * Messages stay under `limits.shardCommandBatchBytesMax`; a node with more commands gets
 * several messages, still in one transaction. Commands that cannot run in a transaction
 * block (CREATE/DROP INDEX CONCURRENTLY) are never grouped: PostgreSQL refuses them inside a
 * multi-statement message.
 */
import { SqlError, assert, limits } from "@tessera/base";
import type { StatementContext } from "@tessera/engine";
import type { Cluster, PlacementAddress } from "../cluster.js";
import type { AtomicTask } from "../connection/atomic-writes.js";
import { runTasks, type Task } from "../executor/tasks.js";

/** One command for one placement; `sql` is a single statement. */
export interface ShardCommand {
  readonly sql: string;
  readonly node: PlacementAddress;
  readonly shardId: number | null;
}

/** What the NOTICE of a sent message starts with (`connection/remote-command-log.ts`). */
const issuing = "issuing ";

/**
 * Runs `commands` on their nodes, one message per node (or a few, for very long runs),
 * all-or-nothing across the nodes; `grouped: false` sends each command by itself.
 */
export async function runShardCommands(cluster: Cluster, commands: readonly ShardCommand[],
  ctx: StatementContext, options: { readonly grouped?: boolean } = {}): Promise<void> {
  if (commands.length === 0) return;
  if (options.grouped === false) {
    await runTasks(cluster, commands.map((c): Task => ({ ...c, params: [] })), ctx);
    return;
  }
  const batches = batchesPerNode(commands);
  const statements = new Map<string, readonly string[]>();
  for (const batch of batches) {
    if (batch.statements.length > 1) statements.set(batch.task.sql, batch.statements);
  }
  await runTasks(cluster, batches.map((b) => b.task), splitLoggedMessages(ctx, statements));
}

interface Batch {
  readonly task: Task;
  readonly statements: readonly string[];
}

/** One node's commands gathered so far for its next message. */
interface Run {
  readonly first: ShardCommand;
  readonly statements: string[];
  bytes: number;
  /** The shards the commands write: the coordinator-side locks (`atomic-writes.ts`). */
  readonly shardIds: Set<number>;
}

/** Groups the commands by node, in order, cutting a node's run at the size limit. */
export function batchesPerNode(commands: readonly ShardCommand[]): Batch[] {
  const open = new Map<string, Run>();
  const batches: Batch[] = [];
  const close = (key: string): void => {
    const run = open.get(key);
    if (run === undefined) return;
    open.delete(key);
    const task: Task & AtomicTask = { sql: run.statements.join("; "), params: [],
      node: run.first.node, shardId: run.first.shardId, shardIds: [...run.shardIds] };
    batches.push({ statements: run.statements, task });
  };
  for (const command of commands) {
    assert(command.sql.trim().length > 0, "a shard command has text");
    const key = `${command.node.host}:${command.node.port}`;
    const bytes = Buffer.byteLength(command.sql) + 2;
    const run = open.get(key);
    if (run !== undefined && run.bytes + bytes > limits.shardCommandBatchBytesMax) close(key);
    const current = open.get(key);
    if (current === undefined) {
      open.set(key, { first: command, statements: [command.sql], bytes,
        shardIds: new Set(command.shardId === null ? [] : [command.shardId]) });
    } else {
      current.statements.push(command.sql);
      current.bytes += bytes;
      if (command.shardId !== null) current.shardIds.add(command.shardId);
    }
  }
  for (const key of [...open.keys()]) close(key);
  assert(batches.reduce((n, b) => n + b.statements.length, 0) === commands.length,
    "every command is in one batch");
  return batches;
}

/**
 * The context the executor runs the messages with: the `issuing <message>` NOTICE of one of
 * `statements`' messages becomes one `issuing <statement>` NOTICE per statement.
 */
function splitLoggedMessages(ctx: StatementContext,
  statements: ReadonlyMap<string, readonly string[]>): StatementContext {
  if (statements.size === 0) return ctx;
  const notice = (sent: SqlError): void => {
    const parts = sent.message.startsWith(issuing)
      ? statements.get(sent.message.slice(issuing.length)) : undefined;
    if (parts === undefined) {
      ctx.notice(sent);
      return;
    }
    for (const part of parts) ctx.notice(new SqlError(sent.code, issuing + part, sent.fields));
  };
  return { ...ctx, notice };
}
