/**
 * Lines of COPY text into the shards of a Citus table, as Citus's COPY does it: each line is
 * appended to its shard's buffer; a full buffer goes to every placement of the shard as one
 * `COPY <schema>.<table>_<shardid> (cols) FROM STDIN` on the statement's connection to the
 * node (`DistributedTransaction.copyIn`), the nodes in parallel, each node's batches in turn.
 * COPY (through `copy.ts`) and create_distributed_table's copy of local rows both end here.
 *
 *     add(shard, line, lineNumber)   buffer; at `batchChars` send the shard's batch
 *     pressure                       a promise while more than `inFlightBytesMax` are unsent
 *     finish()                       send the rest, wait, commit (outside a block) → count
 *
 * Outside a transaction block the batches run in a transaction of their own, committed at
 * `finish` (one node: COMMIT; several: two-phase commit), so the COPY is all-or-nothing;
 * inside a block they run on the block's connections.
 *
 * A node's error names the shard and the line within the batch; it is reported as Postgres
 * reports it for the table: `COPY events, line 12345, column payload: "…"` with the line
 * number of the input, and `relation "events"` in the message.
 */
import { SqlError, SqlState, assert } from "@tessera/base";
import type { StatementContext } from "@tessera/engine";
import { citusFlag, shardNodes, type Cluster } from "../cluster.js";
import type { RemoteResult, ReservedConnection } from "../connection/pool.js";
import { logRemoteCommand } from "../connection/remote-command-log.js";
import {
  DistributedTransaction, blockOf, endedBlocks, isolationOf,
} from "../connection/remote-transaction.js";
import { executionStats } from "../executor/execution-stats.js";
import type { CitusTable } from "../metadata/metadata-cache.js";
import { quoteIdentifier, shardName } from "../metadata/naming.js";
import type { ShellRelation } from "../operations/shard-ddl.js";

/** A shard's buffer is sent once it holds this many characters. */
const batchChars = 128 * 1024;
/** Bytes sent but not yet loaded beyond which the input waits (`pressure`). */
const inFlightBytesMax = 16 * 1024 * 1024;

export interface ShardCopySpec {
  readonly table: CitusTable;
  readonly relation: ShellRelation;
  /** The columns of each line, in order (names). */
  readonly columns: readonly string[];
  /** The shard COPY's options: "" or " WITH (FORMAT csv, …)". */
  readonly options: string;
}

interface ShardBuffer {
  parts: string[];
  chars: number;
  /** The input line number of each buffered line. */
  lines: number[];
}

export class ShardCopyWriter {
  private readonly buffers = new Map<number, ShardBuffer>();
  private readonly transaction: DistributedTransaction;
  private readonly own: boolean;
  private readonly pending = new Set<Promise<void>>();
  private readonly ready: Promise<void>;
  private inFlightBytes = 0;
  private waiters: (() => void)[] = [];
  private failure: SqlError | undefined;
  private count = 0;

  constructor(private readonly cluster: Cluster, private readonly spec: ShardCopySpec,
    private readonly ctx: StatementContext) {
    const block = blockOf(ctx);
    this.own = block === undefined;
    this.transaction = block ?? new DistributedTransaction(cluster.pools, ctx.backendPid,
      isolationOf(ctx), 0, undefined, (notice) => ctx.notice(notice), {
        statement: true,
        ...(citusFlag(ctx, "citus.log_remote_commands") && {
          log: (connection: ReservedConnection, sql: string): void =>
            this.logCommand(connection, sql),
        }),
      });
    this.ready = endedBlocks(ctx.backendPid);
  }

  /** Buffers one line (without its newline) for shard `index`; sends a full buffer. */
  add(index: number, line: string, lineNumber: number): void {
    if (this.failure !== undefined) throw this.failure;
    let buffer = this.buffers.get(index);
    if (buffer === undefined) {
      buffer = { parts: [], chars: 0, lines: [] };
      this.buffers.set(index, buffer);
    }
    buffer.parts.push(line);
    buffer.lines.push(lineNumber);
    buffer.chars += line.length + 1;
    this.count++;
    if (buffer.chars >= batchChars) this.send(index, buffer);
  }

  /** While too much is on its way to the nodes: settles once enough has been loaded. */
  get pressure(): Promise<void> | undefined {
    if (this.inFlightBytes <= inFlightBytesMax || this.failure !== undefined) return undefined;
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Sends what remains, waits for every batch, commits; returns the number of lines. */
  async finish(): Promise<number> {
    for (const [index, buffer] of this.buffers) this.send(index, buffer);
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    if (this.failure !== undefined) {
      await this.abort();
      throw this.failure;
    }
    if (this.own) await this.transaction.commit({ synchronous: true });
    return this.count;
  }

  /** Rolls back what was sent (outside a block; a block rolls back with the session's). */
  async abort(): Promise<void> {
    this.failure ??= new SqlError(SqlState.queryCanceled, "COPY was aborted");
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    if (this.own) await this.transaction.abort();
  }

  private send(index: number, buffer: ShardBuffer): void {
    this.buffers.delete(index);
    if (buffer.parts.length === 0 || this.failure !== undefined) return;
    const shard = this.spec.table.shards[index];
    assert(shard !== undefined, "a routed line has a shard");
    const id = shard.row.shardid;
    const { relation, columns, options } = this.spec;
    const target = `${quoteIdentifier(relation.schema)}.${quoteIdentifier(shardName(relation.name,
      id))}`;
    const sql = `COPY ${target} (${columns.map(quoteIdentifier).join(", ")}) FROM STDIN` +
      options;
    const data = Buffer.from(`${buffer.parts.join("\n")}\n`);
    for (const node of shardNodes(this.cluster, shard)) {
      executionStats(this.cluster).taskSent(this.ctx.backendPid, node);
      this.inFlightBytes += data.length;
      const batch = this.ready
        .then(() => this.transaction.copyIn(node, sql, [data]))
        .then((result: RemoteResult) => {
          assert(result.rowCount <= buffer.lines.length, "a shard loads the lines it got");
        }, (error: unknown) => {
          this.failure ??= this.translate(error, shardName(relation.name, id), buffer.lines);
        })
        .finally(() => {
          this.inFlightBytes -= data.length;
          this.pending.delete(batch);
          this.wake();
        });
      this.pending.add(batch);
    }
  }

  private wake(): void {
    if (this.inFlightBytes > inFlightBytesMax / 2 && this.failure === undefined) return;
    for (const resolve of this.waiters.splice(0)) resolve();
  }

  /**
   * A node's error as Postgres reports it for the table: the shard's name and the line in
   * the batch become the table's name and the line of the input.
   */
  private translate(error: unknown, shard: string, lines: readonly number[]): SqlError {
    const cause = error instanceof SqlError ? error
      : new SqlError(SqlState.internalError, error instanceof Error ? error.message
        : String(error));
    const where = cause.fields.where ?? "";
    const context = /^COPY ("?)[^,]+\1, line (\d+)(.*)$/m.exec(where);
    if (context === null) return cause;
    const line = lines[Number(context[2]) - 1];
    if (line === undefined) return cause;
    const name = this.spec.relation.name;
    const message = cause.message.split(`relation "${shard}"`).join(`relation "${name}"`);
    return new SqlError(cause.code, message, { ...cause.fields,
      where: `COPY ${name}, line ${line}${context[3] ?? ""}` });
  }

  /** citus.log_remote_commands for a COPY batch. */
  private logCommand(connection: ReservedConnection, sql: string): void {
    logRemoteCommand(this.ctx, this.cluster.pools.settings.user, connection.node,
      connection.connectionId, sql);
  }
}
