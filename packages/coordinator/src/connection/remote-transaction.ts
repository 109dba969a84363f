/**
 * A session's transaction block as it reaches the worker nodes (Citus
 * `transaction/remote_transaction.c` and `connection/placement_connection.c`, simplified):
 * inside a block every write for a node goes over one connection reserved from the pool on
 * the block's first task there, which starts with
 * `BEGIN TRANSACTION ISOLATION LEVEL <the block's level>` (plus a SAVEPOINT for each one
 * the block already has), so the block reads its own writes and ends as one unit. A read of
 * many shards may also use further connections of the block to a node (`readLanes`) as long
 * as the block has not written there: Citus's rule that what a connection wrote is read back
 * over that connection, kept per node. The block's first write to a node commits those
 * read-only connections and returns them to the pool (`retireReaders`).
 *
 * `DistributedTransaction` is the participant the coordinator attaches to the block. It
 * wraps the local engine's participant (the coordinator's own shell tables, sequences and
 * metadata) and reports every end to both:
 *
 *   COMMIT            one phase (COMMIT on each connection in turn) when at most one
 *                     connection wrote, else two-phase commit on the writers; then the
 *                     local commit
 *   ROLLBACK          ROLLBACK on each node, and locally
 *   SAVEPOINT …       SAVEPOINT / ROLLBACK TO SAVEPOINT / RELEASE SAVEPOINT on each node,
 *                     with names of our own by depth (`tessera_sp_<depth>`)
 *
 * Two-phase commit, crash-safe as Citus's (`transaction/transaction_management.c`), among the
 * connections that wrote (a connection that only read gets a plain COMMIT in step 3):
 *
 *   1. PREPARE TRANSACTION 'citus_0_<pid>_<n>_<m>' on every writer, in parallel; any failure
 *      rolls every node back (ROLLBACK PREPARED where the PREPARE got through);
 *   2. the decision: one record of (groupid, gid) per writer appended to pg_dist_transaction
 *      and fsynced (`metadata/dist-transaction-log.ts`) — from here on the transaction is
 *      committed, whatever crashes;
 *   3. COMMIT PREPARED on every writer, in parallel; a node lost here does not fail the
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
import { logRemoteCommand } from "./remote-command-log.js";
import type { ConnectionPools, NodeAddress, RemoteResult, ReservedConnection } from "./pool.js";

/** One node's connection inside the block, with its command queue. */
interface BlockConnection {
  readonly reserved: ReservedConnection;
  /** Settles when the last queued command has. */
  tail: Promise<unknown>;
  /** A queued command's failure (a SAVEPOINT), raised by the next command. */
  deferred: SqlError | undefined;
  /** Whether a command that may write ran here (Citus's ConnectionModifiedPlacement). */
  modified: boolean;
}

/** How a command uses the block's connections to its node (`run`'s last argument). */
export interface CommandAccess {
  /** The command only reads (a SELECT task): it does not make the node "modified". */
  readonly reads?: boolean;
  /**
   * Which of the node's connections a read runs on: 0 (the default) is the node's first
   * connection, which every write uses; lane k > 0 is the k-th connection opened for reads
   * alone (`readLanes` says how many there may be).
   */
  readonly lane?: number;
  /** citus.log_remote_commands for this command, with the connection it really goes on. */
  readonly log?: (connection: ReservedConnection, sql: string) => void;
}

/**
 * Connections held by blocks for reads alone, by node, across sessions: at most half a
 * node's pool, so that blocks holding them never leave a node's pool empty for others.
 */
const readersHeld = new Map<string, number>();

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
  /** citus.log_remote_commands: each command (BEGIN, the tasks, PREPARE …) as it is sent. */
  readonly log?: (connection: ReservedConnection, sql: string) => void;
  /**
   * citus.log_remote_commands for the block's own commands only (BEGIN, SAVEPOINT, PREPARE,
   * COMMIT …): a block's tasks are logged by whoever sends them.
   */
  readonly logEnds?: (connection: ReservedConnection, sql: string) => void;
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
  /** The connections opened for reads alone, by node (see `readLanes`). */
  private readonly readers = new Map<string, Promise<BlockConnection>[]>();
  /** Every connection the block opened, in the order it opened them. */
  private readonly opened: Promise<BlockConnection>[] = [];
  /** The nodes a command that may write was sent to (Citus's modified placements). */
  private readonly modifiedNodes = new Set<string>();
  /** A write of several tasks ran: commit with two-phase commit (TaskListRequires2PC). */
  private twoPhase = false;
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
    signal: AbortSignal, access: CommandAccess = {}): Promise<RemoteResult> {
    return this.onConnection(node, sql, (reserved) => reserved.run(sql, params, signal),
      access);
  }

  /**
   * How many connections a read of the node may use at once, up to `wanted`: one once the
   * block may have written there (what a connection wrote, only it can read back: Citus's
   * placement-connection rule, kept per node), or when the block's isolation level is
   * REPEATABLE READ or SERIALIZABLE (one snapshot per node); else more, as the node's pool
   * allows.
   */
  readLanes(node: NodeAddress, wanted: number): number {
    const key = keyOf(node);
    if (wanted <= 1 || this.modifiedNodes.has(key) || !readCommitted(this.isolation)) return 1;
    const open = this.readers.get(key)?.length ?? 0;
    const spare = readersMax(this.pools) - (readersHeld.get(key) ?? 0);
    return Math.max(1, Math.min(wanted, 1 + open + Math.max(0, spare)));
  }

  /** A write of several tasks (or placements) ran: the commit uses two-phase commit. */
  requireTwoPhaseCommit(): void {
    this.twoPhase = true;
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
    work: (reserved: ReservedConnection) => Promise<RemoteResult>,
    access: CommandAccess = {}): Promise<RemoteResult> {
    if (this.ended) {
      throw new SqlError(SqlState.internalError, "the transaction block has ended");
    }
    const reads = access.reads === true;
    if (!reads) {
      this.modifiedNodes.add(keyOf(node));
      await this.retireReaders(node);
    }
    const lane = reads && !this.modifiedNodes.has(keyOf(node)) ? access.lane ?? 0 : 0;
    const connection = await (lane > 0 ? this.reader(node, lane) : this.connection(node));
    if (!reads) connection.modified = true;
    const log = access.log ?? this.options.log;
    return this.enqueue(connection, async () => {
      const deferred = connection.deferred;
      if (deferred !== undefined) throw deferred;
      log?.(connection.reserved, sql);
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
   * COMMIT, as Citus decides it (`transaction/transaction_management.c`): the connections
   * that may have written ("writers") commit with two-phase commit when there are several,
   * or when the block ran a write of several tasks; else with a plain COMMIT. Connections
   * that only read never take part in the protocol: each gets a plain COMMIT once the
   * writers' outcome is decided, and its failure changes nothing. A failed PREPARE rolls
   * everything back; a node lost after the decision does not fail the COMMIT.
   */
  async commit(options: { readonly synchronous: boolean }): Promise<void> {
    this.finish();
    const connections = await this.settled();
    const writers = connections.filter((connection) => connection.modified);
    if (writers.length >= 2 || (this.twoPhase && writers.length === 1)) {
      await this.commitTwoPhase(connections, writers);
    } else {
      await this.commitOnePhase(connections);
    }
    await this.local?.commit(options);
    for (const connection of connections) connection.reserved.release();
  }

  /**
   * Plain COMMIT on each connection in the order they started. A writer that fails it rolls
   * back the rest; a reader that fails it is only dropped.
   */
  private async commitOnePhase(connections: readonly BlockConnection[]): Promise<void> {
    for (const connection of connections) {
      try {
        await this.enqueue(connection, () => this.send(connection.reserved, "COMMIT"));
      } catch (error) {
        if (!connection.modified) {
          connection.reserved.release(true);
          continue;
        }
        await this.rollbackRemote(connections);
        this.local?.rollback();
        throw error;
      }
    }
  }

  private async commitTwoPhase(connections: readonly BlockConnection[],
    writers: readonly BlockConnection[]): Promise<void> {
    assert(decisions !== undefined, "two-phase commit has a place to record its decisions");
    const target = decisions;
    let rows: DistTransactionRow[];
    try {
      const number = target.log.nextTransactionNumber();
      rows = writers.map((connection, i) => ({
        groupid: target.groupOf(connection.reserved.node),
        gid: transactionName(this.backendPid, number, i),
      }));
    } catch (error) {
      await this.rollbackRemote(connections);
      this.local?.rollback();
      throw error;
    }
    const gids = new Map(writers.map((connection, i) => [connection, rows[i]!.gid]));
    for (const gid of gids.values()) inProgress.add(gid);
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
      if (!undecided) for (const gid of gids.values()) inProgress.delete(gid);
    }
  }

  /**
   * Step 1: PREPARE TRANSACTION on every writer; on any failure every node rolls back
   * (readers with a plain ROLLBACK).
   */
  private async prepareAll(connections: readonly BlockConnection[],
    gids: ReadonlyMap<BlockConnection, string>): Promise<void> {
    const writers = [...gids.keys()];
    const outcomes = await Promise.allSettled(writers.map((connection) =>
      this.enqueue(connection, () =>
        this.send(connection.reserved, `PREPARE TRANSACTION '${gids.get(connection) ?? ""}'`))));
    const failure = outcomes.find((outcome) => outcome.status === "rejected");
    if (failure === undefined) return;
    const prepared = new Set(writers.filter((_, i) => outcomes[i]?.status === "fulfilled"));
    // A ROLLBACK PREPARED that fails here leaves a prepared transaction without a record,
    // which recovery rolls back.
    await Promise.all(connections.map(async (connection) => {
      const sql = prepared.has(connection)
        ? `ROLLBACK PREPARED '${gids.get(connection) ?? ""}'` : "ROLLBACK";
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
   * Step 3: COMMIT PREPARED on every writer and a plain COMMIT on every reader, in the order
   * the connections started; a writer that fails is left to recovery. The client gets
   * Citus's two WARNINGs: the node's error, then `failed to roll back prepared transaction`
   * (Citus's wording for a failed COMMIT PREPARED too) with the command to run.
   */
  private async commitPrepared(connections: readonly BlockConnection[],
    gids: ReadonlyMap<BlockConnection, string>, target: CommitDecisions): Promise<void> {
    await Promise.all(connections.map(async (connection) => {
      const gid = gids.get(connection);
      const sql = gid === undefined ? "COMMIT" : `COMMIT PREPARED '${gid}'`;
      try {
        await this.enqueue(connection, () => this.send(connection.reserved, sql));
      } catch (error) {
        connection.reserved.release(true);
        if (gid !== undefined) this.leftToRecovery(connection.reserved.node, sql, gid, error,
          target);
      }
    }));
  }

  private leftToRecovery(node: NodeAddress, sql: string, gid: string, error: unknown,
    target: CommitDecisions): void {
    const cause = asSqlError(error);
    target.warn(`${sql} failed on ${keyOf(node)}: ${cause.message}; ` +
      "transaction recovery will commit it");
    this.notice(new SqlError(cause.code, cause.message, { ...cause.fields,
      severity: "WARNING" }));
    this.notice(new SqlError(SqlState.warning,
      `failed to roll back prepared transaction '${gid}'`,
      { severity: "WARNING", hint: `Run "${sql}" on ${node.host}:${node.port}` }));
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
      connection = this.begin(node, this.pools.reserve(node));
      this.connections.set(key, connection);
      this.opened.push(connection);
      // A node that could not start its transaction has nothing to end.
      connection.catch(() => {
        if (this.connections.get(key) === connection) this.connections.delete(key);
      });
    }
    return connection;
  }

  /**
   * The node's connection for reads in `lane` (> 0), opened on first use; the node's first
   * connection instead when the blocks' readers already hold half of the node's pool.
   */
  private reader(node: NodeAddress, lane: number): Promise<BlockConnection> {
    const key = keyOf(node);
    const lanes = this.readers.get(key) ?? [];
    this.readers.set(key, lanes);
    const existing = lanes[Math.min(lane, lanes.length + 1) - 1];
    if (existing !== undefined) return existing;
    if ((readersHeld.get(key) ?? 0) >= readersMax(this.pools)) return this.connection(node);
    const connection = this.begin(node, reserveReader(this.pools, node));
    lanes.push(connection);
    this.opened.push(connection);
    connection.catch(() => {
      const at = lanes.indexOf(connection);
      if (at >= 0) lanes.splice(at, 1);
    });
    return connection;
  }

  /**
   * Before the block's first write to a node, its connections for reads alone commit and go
   * back to the pool: they only read, and the locks they hold (ACCESS SHARE on the shards
   * they read) would otherwise make the block wait for itself when its write needs a
   * stronger one (ALTER TABLE, TRUNCATE). Later reads of the node use the writing connection.
   */
  private async retireReaders(node: NodeAddress): Promise<void> {
    const key = keyOf(node);
    const lanes = this.readers.get(key);
    if (lanes === undefined) return;
    this.readers.delete(key);
    for (const lane of lanes) {
      const at = this.opened.indexOf(lane);
      if (at >= 0) this.opened.splice(at, 1);
    }
    const started = await Promise.allSettled(lanes);
    await Promise.all(started.map(async (outcome) => {
      if (outcome.status === "rejected") return;
      const connection = outcome.value;
      const ok = await this.enqueue(connection, () => this.send(connection.reserved, "COMMIT"))
        .then(() => true, () => false);
      connection.reserved.release(!ok);
    }));
  }

  private async begin(node: NodeAddress, reserving: Promise<ReservedConnection>):
    Promise<BlockConnection> {
    const reserved = await reserving;
    const begin = [`BEGIN TRANSACTION ISOLATION LEVEL ${this.isolation.toUpperCase()}`];
    for (let i = 0; i < this.depth; i++) begin.push(`SAVEPOINT ${savepointName(i)}`);
    try {
      await this.send(reserved, begin.join(";"));
    } catch (error) {
      reserved.release(true);
      throw error;
    }
    this.started.push({ node, backendPid: reserved.backendPid });
    return { reserved, tail: Promise.resolve(), deferred: undefined, modified: false };
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
    (this.options.log ?? this.options.logEnds)?.(reserved, sql);
    return reserved.run(sql);
  }

  private enqueue<T>(connection: BlockConnection, command: () => Promise<T>): Promise<T> {
    const result = connection.tail.then(command);
    connection.tail = result.catch(() => undefined);
    return result;
  }

  /** Queues a savepoint command on every connection; a failure surfaces at the next use. */
  private broadcast(sql: string, clearsFailure = false): void {
    for (const pending of this.opened) {
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
    const started = await Promise.allSettled(this.opened.splice(0));
    this.connections.clear();
    this.readers.clear();
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
      block.savepointDepth, attached, (notice) => ctx.notice(notice),
      { logEnds: (connection, sql) => logBlockCommand(pools, connection, sql, ctx) });
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

/** citus.log_remote_commands for a block's own command, when the session has it on. */
function logBlockCommand(pools: ConnectionPools, connection: ReservedConnection, sql: string,
  ctx: StatementContext): void {
  let on = false;
  try {
    on = ["on", "true", "yes", "1"].includes(ctx.setting("citus.log_remote_commands")
      .toLowerCase());
  } catch {
    return;
  }
  if (!on) return;
  logRemoteCommand(ctx, pools.settings.user, connection.node, connection.connectionId, sql);
}

/** The connections for reads alone all blocks may hold on one node: half its pool. */
function readersMax(pools: ConnectionPools): number {
  return Math.floor(pools.settings.poolSizeMax / 2);
}

/** Reserves a connection for reads alone, counted in `readersHeld` until it is released. */
async function reserveReader(pools: ConnectionPools, node: NodeAddress):
  Promise<ReservedConnection> {
  const key = keyOf(node);
  readersHeld.set(key, (readersHeld.get(key) ?? 0) + 1);
  let counted = true;
  const uncount = (): void => {
    if (!counted) return;
    counted = false;
    const held = (readersHeld.get(key) ?? 1) - 1;
    if (held <= 0) readersHeld.delete(key);
    else readersHeld.set(key, held);
  };
  try {
    const reserved = await pools.reserve(node);
    return { ...reserved, release: (drop?: boolean): void => {
      uncount();
      reserved.release(drop);
    } };
  } catch (error) {
    uncount();
    throw error;
  }
}

/** Whether a block's isolation level lets its reads of one node use several snapshots. */
function readCommitted(isolation: string): boolean {
  return isolation === "read committed" || isolation === "read uncommitted";
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
