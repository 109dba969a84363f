/**
 * A session's transaction block as it reaches the worker nodes (Citus
 * `transaction/remote_transaction.c` and `connection/placement_connection.c`, simplified):
 * inside a block every task for a node goes over one connection reserved from the pool on
 * the block's first task there, which starts with
 * `BEGIN TRANSACTION ISOLATION LEVEL <the block's level>` (plus a SAVEPOINT for each one
 * the block already has), so the block reads its own writes and ends as one unit.
 *
 * `DistributedTransaction` is the participant the coordinator attaches to the block. It
 * wraps the local engine's participant (the coordinator's own shell tables, sequences and
 * metadata) and reports every end to both:
 *
 *   COMMIT            COMMIT on each node in turn, then the local commit
 *   ROLLBACK          ROLLBACK on each node, and locally
 *   SAVEPOINT …       SAVEPOINT / ROLLBACK TO SAVEPOINT / RELEASE SAVEPOINT on each node,
 *                     with names of our own by depth (`tessera_sp_<depth>`)
 *
 * Two-phase commit, crash-safe as Citus's (`transaction/transaction_management.c`):
 *
 *   1. PREPARE TRANSACTION 'citus_0_<pid>_<n>_<m>' on every node, in parallel; any failure
 *      rolls every node back (ROLLBACK PREPARED where the PREPARE got through);
 *   2. the decision: one record of (groupid, gid) per node appended to pg_dist_transaction
 *      and fsynced (`metadata/dist-transaction-log.ts`) — from here on the transaction is
 *      committed, whatever crashes;
 *   3. COMMIT PREPARED on every node, in parallel; a node lost here does not fail the
 *      COMMIT, its prepared transaction waits for recovery
 *      (`transaction-recovery/recover.ts`), which commits it because the record exists.
 *
 * A crash before step 2 leaves prepared transactions without a record, which recovery rolls
 * back. While a transaction is between step 1 and the end of step 3 its gids are "in
 * progress" (`inProgressGids`), and recovery leaves them alone. The gid's transaction number
 * comes from the log, unique across restarts. Gap: the coordinator's own writes in the block
 * (local tables, sequences) commit in the local engine after the decision, not in the same
 * durable record; a crash between the two keeps the nodes' writes and loses the local ones.
 *
 * A write statement outside a block that has several tasks gets a DistributedTransaction of
 * its own (`connection/atomic-writes.ts`, option `statement`), committed the same way when the
 * statement ends, so the statement is all-or-nothing across the nodes.
 *
 * The local engine attaches its own participant through `ctx.transaction` too; it sees a
 * `LocalView` of the block whose `participant` is the local slot of this wrapper.
 */
import { SqlError, SqlState, assert } from "@tessera/base";
import type {
  StatementContext, TransactionHandle, TransactionParticipant,
} from "@tessera/engine";
import type {
  DistTransactionLog, DistTransactionRow,
} from "../metadata/dist-transaction-log.js";
import { injectFault } from "../transaction-recovery/fault-injection.js";
import type { ConnectionPools, NodeAddress, RemoteResult, ReservedConnection } from "./pool.js";

/** One node's connection inside the block, with its command queue. */
interface BlockConnection {
  readonly reserved: ReservedConnection;
  /** Settles when the last queued command has. */
  tail: Promise<unknown>;
  /** A queued command's failure (a SAVEPOINT), raised by the next command. */
  deferred: SqlError | undefined;
}

/** Where two-phase commits record their decisions; the coordinator sets it at start. */
export interface CommitDecisions {
  readonly log: DistTransactionLog;
  /** The placement group of a node (pg_dist_transaction.groupid). */
  groupOf(node: NodeAddress): number;
  /** Reports a node that did not finish its COMMIT PREPARED (left to recovery). */
  warn(message: string): void;
}

let decisions: CommitDecisions | undefined;

/** Sets where this process's two-phase commits record their decisions. */
export function recordDecisionsIn(target: CommitDecisions): void {
  decisions = target;
}

/** Gids between their PREPARE and their last COMMIT/ROLLBACK PREPARED in a live session. */
const inProgress = new Set<string>();

/** The gids a live session is still committing or rolling back; recovery skips them. */
export function inProgressGids(): ReadonlySet<string> {
  return inProgress;
}

/** Citus's name for a prepared transaction: initiator group (0, the coordinator), pid, n, m. */
export function transactionName(pid: number, number: number, connection: number): string {
  return `citus_0_${pid}_${number}_${connection}`;
}

/** How a DistributedTransaction serves: a session's block, or one statement outside any. */
export interface TransactionOptions {
  /**
   * A statement's own transaction (`connection/atomic-writes.ts`): not the session's block,
   * so it is not registered as the session's open block.
   */
  readonly statement?: boolean;
  /** citus.log_remote_commands: each transaction command (BEGIN, PREPARE …) as it is sent. */
  readonly log?: (connection: ReservedConnection, sql: string) => void;
}

/** Endings of blocks still being sent to the nodes, by session. */
const ending = new Map<number, Promise<void>>();

/** Open blocks by session, so a session that ends inside one rolls it back. */
const open = new Map<number, DistributedTransaction>();

/** Numbers blocks in the order they started: the higher, the younger. */
let blocksStarted = 0;

/** Every distributed transaction not ended yet: blocks and statements' own transactions. */
const live = new Set<DistributedTransaction>();

/**
 * The distributed transactions not ended yet, the sessions' blocks and the statements' own
 * (distributed deadlock detection reads them).
 */
export function openDistributedTransactions(): IterableIterator<DistributedTransaction> {
  return live.values();
}

/** One connection of a block: its node, and the node's backend pid serving it. */
export interface BlockBackend {
  readonly node: NodeAddress;
  readonly backendPid: number;
}

export class DistributedTransaction implements TransactionParticipant {
  /** The local engine's participant, once it attached one. */
  local: TransactionParticipant | undefined;
  private readonly connections = new Map<string, Promise<BlockConnection>>();
  private depth: number;
  private ended = false;
  /** The order this block started in among all blocks: the higher, the younger. */
  readonly startOrder = ++blocksStarted;
  /** The node backends of the connections that began their transaction. */
  private readonly started: BlockBackend[] = [];
  /** Set while a cancel for a distributed deadlock is on its way: the error to raise. */
  private deadlockError: SqlError | undefined;

  constructor(private readonly pools: ConnectionPools, readonly backendPid: number,
    private readonly isolation: string, savepointDepth: number,
    local: TransactionParticipant | undefined,
    private readonly notice: (notice: SqlError) => void = () => undefined,
    private readonly options: TransactionOptions = {}) {
    this.local = local;
    this.depth = savepointDepth;
    live.add(this);
    if (options.statement === true) return;
    open.get(backendPid)?.rollback();
    open.set(backendPid, this);
  }

  /** Runs one command on the block's connection to a node, after those queued before. */
  async run(node: NodeAddress, sql: string, params: readonly (string | null)[],
    signal: AbortSignal): Promise<RemoteResult> {
    return this.onConnection(node, sql, (reserved) => reserved.run(sql, params, signal));
  }

  /**
   * Runs `COPY … FROM STDIN` with `data` on the block's connection to a node, after the
   * commands queued before (commands/copy-*.ts: the coordinator's COPY into shards).
   */
  async copyIn(node: NodeAddress, sql: string, data: readonly Uint8Array[]):
    Promise<RemoteResult> {
    return this.onConnection(node, sql, (reserved) => reserved.copyIn(sql, data));
  }

  /** Runs `work` on the block's connection to a node once the commands before it are done. */
  private async onConnection(node: NodeAddress, sql: string,
    work: (reserved: ReservedConnection) => Promise<RemoteResult>):
    Promise<RemoteResult> {
    if (this.ended) {
      throw new SqlError(SqlState.internalError, "the transaction block has ended");
    }
    const connection = await this.connection(node);
    return this.enqueue(connection, async () => {
      const deferred = connection.deferred;
      if (deferred !== undefined) throw deferred;
      this.options.log?.(connection.reserved, sql);
      return work(connection.reserved).catch((error: unknown) => {
        throw this.asDeadlockVictim(error);
      });
    });
  }

  /** The node backends of this block's connections (distributed deadlock detection). */
  backends(): readonly BlockBackend[] {
    return this.started;
  }

  /**
   * Distributed deadlock detection chose this block: the cancel of its waiting command
   * (57014 from the node) surfaces as `error` instead; undefined withdraws it (the command
   * was no longer waiting).
   */
  markDeadlockVictim(error: SqlError | undefined): void {
    this.deadlockError = error;
  }

  private asDeadlockVictim(error: unknown): unknown {
    const replacement = this.deadlockError;
    if (replacement === undefined || !(error instanceof SqlError) ||
      error.code !== SqlState.queryCanceled) return error;
    this.deadlockError = undefined;
    return replacement;
  }

  /**
   * COMMIT: one node commits with a plain COMMIT; several commit with two-phase commit, as
   * Citus does (the steps are in the comment at the top). A failed PREPARE rolls everything
   * back; a node lost after the decision does not fail the COMMIT.
   */
  async commit(options: { readonly synchronous: boolean }): Promise<void> {
    this.finish();
    const connections = await this.settled();
    if (connections.length <= 1) {
      await this.commitOnePhase(connections);
    } else {
      await this.commitTwoPhase(connections);
    }
    await this.local?.commit(options);
    for (const connection of connections) connection.reserved.release();
  }

  private async commitOnePhase(connections: readonly BlockConnection[]): Promise<void> {
    try {
      for (const connection of connections) {
        await this.enqueue(connection, () => this.send(connection.reserved, "COMMIT"));
      }
    } catch (error) {
      await this.rollbackRemote(connections);
      this.local?.rollback();
      throw error;
    }
  }

  private async commitTwoPhase(connections: readonly BlockConnection[]): Promise<void> {
    assert(decisions !== undefined, "two-phase commit has a place to record its decisions");
    const target = decisions;
    let rows: DistTransactionRow[];
    try {
      const number = target.log.nextTransactionNumber();
      rows = connections.map((connection, i) => ({
        groupid: target.groupOf(connection.reserved.node),
        gid: transactionName(this.backendPid, number, i),
      }));
    } catch (error) {
      await this.rollbackRemote(connections);
      this.local?.rollback();
      throw error;
    }
    const gids = rows.map((row) => row.gid);
    for (const gid of gids) inProgress.add(gid);
    // After a failed decision write the fate is unknown until a restart reads the file: the
    // gids stay "in progress" so that recovery in this process never touches them.
    let undecided = false;
    try {
      await this.prepareAll(connections, gids);
      await this.fault("2pc:after-prepare");
      undecided = true;
      await this.decide(connections, target.log, rows);
      undecided = false;
      await this.fault("2pc:after-decision");
      await this.commitPrepared(connections, gids, target);
    } finally {
      if (!undecided) for (const gid of gids) inProgress.delete(gid);
    }
  }

  /** Step 1: PREPARE TRANSACTION everywhere; on any failure every node rolls back. */
  private async prepareAll(connections: readonly BlockConnection[],
    gids: readonly string[]): Promise<void> {
    const outcomes = await Promise.allSettled(connections.map((connection, i) =>
      this.enqueue(connection, () =>
        this.send(connection.reserved, `PREPARE TRANSACTION '${gids[i] ?? ""}'`))));
    const failure = outcomes.find((outcome) => outcome.status === "rejected");
    if (failure === undefined) return;
    // A ROLLBACK PREPARED that fails here leaves a prepared transaction without a record,
    // which recovery rolls back.
    await Promise.all(connections.map(async (connection, i) => {
      const sql = outcomes[i]?.status === "fulfilled"
        ? `ROLLBACK PREPARED '${gids[i] ?? ""}'` : "ROLLBACK";
      const ok = await this.enqueue(connection, () => this.send(connection.reserved, sql))
        .then(() => true, () => false);
      connection.reserved.release(!ok);
    }));
    this.local?.rollback();
    throw failure.reason;
  }

  /**
   * Step 2, the decision: the rows of pg_dist_transaction, on disk. If the write fails, what
   * reached the disk is unknown, so the prepared transactions stay prepared: the log refuses
   * every later write and a restart's recovery decides by what the file really holds.
   */
  private async decide(connections: readonly BlockConnection[], log: DistTransactionLog,
    rows: readonly DistTransactionRow[]): Promise<void> {
    try {
      await log.recordCommit(rows);
    } catch (error) {
      for (const connection of connections) connection.reserved.release();
      this.local?.rollback();
      throw error;
    }
  }

  /**
   * Step 3: COMMIT PREPARED everywhere; a node that fails it is left to recovery. The client
   * gets Citus's two WARNINGs: the node's error, then `failed to roll back prepared
   * transaction` (Citus's wording for a failed COMMIT PREPARED too) with the command to run.
   */
  private async commitPrepared(connections: readonly BlockConnection[],
    gids: readonly string[], target: CommitDecisions): Promise<void> {
    await Promise.all(connections.map(async (connection, i) => {
      const gid = gids[i] ?? "";
      const sql = `COMMIT PREPARED '${gid}'`;
      try {
        await this.enqueue(connection, () => this.send(connection.reserved, sql));
      } catch (error) {
        connection.reserved.release(true);
        const node = connection.reserved.node;
        const cause = asSqlError(error);
        target.warn(`${sql} failed on ${keyOf(node)}: ${cause.message}; ` +
          "transaction recovery will commit it");
        this.notice(new SqlError(cause.code, cause.message, { ...cause.fields,
          severity: "WARNING" }));
        this.notice(new SqlError(SqlState.warning,
          `failed to roll back prepared transaction '${gid}'`,
          { severity: "WARNING", hint: `Run "${sql}" on ${node.host}:${node.port}` }));
      }
    }));
  }

  rollback(): void {
    if (this.ended) return;
    this.finish();
    this.local?.rollback();
    const done = this.settled().then((connections) => this.rollbackRemote(connections));
    const previous = ending.get(this.backendPid) ?? Promise.resolve();
    const all = Promise.all([previous, done]).then(() => undefined);
    ending.set(this.backendPid, all);
    void all.then(() => {
      if (ending.get(this.backendPid) === all) ending.delete(this.backendPid);
    });
  }

  /**
   * ROLLBACK of a statement's own transaction: every node rolls back, and the returned
   * promise settles once they did (a block's `rollback` only queues it).
   */
  async abort(): Promise<void> {
    if (this.ended) return;
    this.finish();
    await this.rollbackRemote(await this.settled());
  }

  savepoint(): void {
    this.local?.savepoint();
    this.depth++;
    this.broadcast(`SAVEPOINT ${savepointName(this.depth - 1)}`);
  }

  rollbackTo(depth: number): void {
    this.local?.rollbackTo(depth);
    this.depth = depth + 1;
    this.broadcast(`ROLLBACK TO SAVEPOINT ${savepointName(depth)}`, true);
  }

  release(depth: number): void {
    this.local?.release(depth);
    this.depth = depth;
    this.broadcast(`RELEASE SAVEPOINT ${savepointName(depth)}`);
  }

  private connection(node: NodeAddress): Promise<BlockConnection> {
    const key = keyOf(node);
    let connection = this.connections.get(key);
    if (connection === undefined) {
      connection = this.begin(node);
      this.connections.set(key, connection);
      // A node that could not start its transaction has nothing to end.
      connection.catch(() => {
        if (this.connections.get(key) === connection) this.connections.delete(key);
      });
    }
    return connection;
  }

  private async begin(node: NodeAddress): Promise<BlockConnection> {
    const reserved = await this.pools.reserve(node);
    const begin = [`BEGIN TRANSACTION ISOLATION LEVEL ${this.isolation.toUpperCase()}`];
    for (let i = 0; i < this.depth; i++) begin.push(`SAVEPOINT ${savepointName(i)}`);
    try {
      await this.send(reserved, begin.join(";"));
    } catch (error) {
      reserved.release(true);
      throw error;
    }
    this.started.push({ node, backendPid: reserved.backendPid });
    return { reserved, tail: Promise.resolve(), deferred: undefined };
  }

  /**
   * A fault injection point (`transaction-recovery/fault-injection.ts`). The points belong to
   * the commits of transaction blocks: a statement's own transaction (create_distributed_table,
   * a multi-shard write outside a block) passes them, so a test's set-up does not crash.
   */
  private async fault(point: "2pc:after-prepare" | "2pc:after-decision"): Promise<void> {
    if (this.options.statement !== true) await injectFault(point);
  }

  /** Sends a transaction command (BEGIN, PREPARE, COMMIT …), logged when asked. */
  private send(reserved: ReservedConnection, sql: string): Promise<RemoteResult> {
    this.options.log?.(reserved, sql);
    return reserved.run(sql);
  }

  private enqueue<T>(connection: BlockConnection, command: () => Promise<T>): Promise<T> {
    const result = connection.tail.then(command);
    connection.tail = result.catch(() => undefined);
    return result;
  }

  /** Queues a savepoint command on every connection; a failure surfaces at the next use. */
  private broadcast(sql: string, clearsFailure = false): void {
    for (const pending of this.connections.values()) {
      void pending.then((connection) => {
        if (clearsFailure) connection.deferred = undefined;
        this.enqueue(connection, () => connection.reserved.run(sql)).catch((error: unknown) => {
          connection.deferred ??= asSqlError(error);
        });
      }, () => undefined);
    }
  }

  private finish(): void {
    this.ended = true;
    live.delete(this);
    if (open.get(this.backendPid) === this) open.delete(this.backendPid);
  }

  /** The connections that started, once every one of them has. */
  private async settled(): Promise<BlockConnection[]> {
    const started = await Promise.allSettled([...this.connections.values()]);
    this.connections.clear();
    return started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  }

  private async rollbackRemote(connections: readonly BlockConnection[]): Promise<void> {
    await Promise.all(connections.map(async (connection) => {
      try {
        await this.enqueue(connection, () => this.send(connection.reserved, "ROLLBACK"));
        connection.reserved.release();
      } catch {
        connection.reserved.release(true);
      }
    }));
  }
}

/**
 * The context a statement of a transaction block runs with: the block gets its
 * DistributedTransaction (wrapping a local participant already attached), and the local
 * engine sees the block through a LocalView. Outside explicit blocks (implicit ones too: the
 * extended protocol's Executes up to Sync, several statements in one simple query) the
 * context is unchanged: a single-task statement autocommits on its node, and a write with
 * several tasks runs in a transaction of its own (`connection/atomic-writes.ts`), so each
 * statement is atomic, though the implicit block as a whole is not. An implicit block that
 * ran DDL on Citus tables has a DistributedTransaction (`commands/ddl-transaction.ts`) and
 * from then on is treated as an explicit one.
 */
export function inBlock(pools: ConnectionPools, ctx: StatementContext): StatementContext {
  const block = ctx.transaction;
  if (block === undefined || block instanceof LocalView || block.status === "I") return ctx;
  const attached = block.participant;
  if ((block as { readonly implicit?: boolean }).implicit === true &&
    !(attached instanceof DistributedTransaction)) return ctx;
  const distributed = attached instanceof DistributedTransaction ? attached
    : new DistributedTransaction(pools, ctx.backendPid, isolationOf(ctx),
      block.savepointDepth, attached, (notice) => ctx.notice(notice));
  block.participant = distributed;
  return { ...ctx, transaction: new LocalView(block, distributed) };
}

/** The block a statement's tasks run in, or undefined when they autocommit. */
export function blockOf(ctx: StatementContext): DistributedTransaction | undefined {
  const block = ctx.transaction;
  if (block === undefined || block.status !== "T") return undefined;
  if (block instanceof LocalView) return block.distributed;
  const participant = block.participant;
  return participant instanceof DistributedTransaction ? participant : undefined;
}

/** The session's transaction_isolation, as the nodes' BEGIN names it (lower case). */
export function isolationOf(ctx: StatementContext): string {
  try {
    const level = ctx.setting("transaction_isolation").toLowerCase();
    return ["read uncommitted", "read committed", "repeatable read", "serializable"]
      .includes(level) ? level : "read committed";
  } catch {
    return "read committed";
  }
}

/** Waits until the blocks this session ended have been rolled back on the nodes. */
export async function endedBlocks(backendPid: number): Promise<void> {
  await ending.get(backendPid);
}

/** `endedBlocks` for callers that skip the wait when nothing is ending: undefined then. */
export function endingBlocks(backendPid: number): Promise<void> | undefined {
  return ending.get(backendPid);
}

/** Rolls back the block a session left open when it ended. */
export function abandonSession(backendPid: number): void {
  open.get(backendPid)?.rollback();
}

/**
 * The block as the local engine sees it: status and savepoints of the session's block,
 * and as `participant` the local slot of the block's DistributedTransaction.
 */
export class LocalView implements TransactionHandle {
  constructor(private readonly block: TransactionHandle,
    readonly distributed: DistributedTransaction) {}

  get status(): "I" | "T" | "E" {
    return this.block.status;
  }

  get savepointDepth(): number {
    return this.block.savepointDepth;
  }

  get participant(): TransactionParticipant | undefined {
    return this.distributed.local;
  }

  set participant(participant: TransactionParticipant | undefined) {
    this.distributed.local = participant;
  }
}

function savepointName(depth: number): string {
  return `tessera_sp_${depth}`;
}

function keyOf(node: NodeAddress): string {
  return `${node.host}:${node.port}`;
}

function asSqlError(error: unknown): SqlError {
  if (error instanceof SqlError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new SqlError(SqlState.internalError, message);
}
