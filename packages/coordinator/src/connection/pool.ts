/**
 * Connections from the coordinator to its nodes: one bounded pool of `pg` clients per node
 * (host:port), reused across statements and sessions. A task borrows a client, sends one
 * SQL text (with text parameters), and gets the rows back as text, the way Citus's adaptive
 * executor reads results through libpq before converting them.
 *
 * Errors are the connection layer's to translate (STYLE.md "catch only at boundaries"): an
 * ErrorResponse from the node is re-raised with its SQLSTATE, message, detail and hint plus
 * "while executing command on host:port" (Citus `ReportResultError`); anything else means
 * the link is gone, class 08, and the client is dropped instead of returned to the pool.
 *
 * Liveness: a lost node must fail a task quickly and cleanly, yet a long query is legal, so
 * no command has a silence timeout. Instead every socket uses TCP keepalive with short
 * settings (a peer that stops answering probes breaks the link within seconds, even in the
 * middle of a long query), new connections have a connect timeout, and a client idle for
 * more than `idleCheckAfterMs` answers a trivial query within `livenessTimeoutMs` before it
 * is reused. A node that stays silent that long may only be busy (a worker answers between
 * the rows of long statements, not inside one step of them), so a new TCP connection to it
 * decides: the node's kernel accepts one even while the process is busy, and then the check
 * waits for its answer as long as it takes; when not even that succeeds in time, the node
 * is unreachable and the task fails with 08006 naming it.
 */
import { connect as tcpConnect } from "node:net";
import pg from "pg";
import { SqlError, SqlState, assert } from "@tessera/base";
import {
  BoundExecution, type BoundReceiver, type BoundResult, type NodeStatement,
} from "./bound-statement.js";
import { CancellableCommand } from "./cancel-watch.js";
import { runCopyIn } from "./copy-in.js";
import { PipelinedLink, type LinkReceiver } from "./pipelined-link.js";
import { PortalStream, type PortalBatch } from "./portal-stream.js";

export interface NodeAddress {
  readonly host: string;
  readonly port: number;
}

export interface PoolSettings {
  readonly user: string;
  readonly password?: string;
  readonly database: string;
  /** citus.max_adaptive_executor_pool_size: clients per node. */
  readonly poolSizeMax: number;
  /** citus.node_connection_timeout. */
  readonly connectTimeoutMs: number;
  /** How long a task waits for a free client before it fails. */
  readonly acquireTimeoutMs: number;
}

/** One command's outcome, values as the node printed them. */
export interface RemoteResult {
  readonly fields: readonly { readonly name: string; readonly typeOid: number }[];
  readonly rows: readonly (readonly (string | null)[])[];
  /** "SELECT 3", "INSERT 0 2", "CREATE TABLE" … */
  readonly commandTag: string;
  readonly rowCount: number;
}

/** Waiters per node beyond which a task is refused instead of queued. */
const waitersMax = 10_000;

/** A client idle longer than this is checked before it is reused. */
const idleCheckAfterMs = 1_000;
/** How long the check of an idle client may take before the node counts as unreachable. */
const livenessTimeoutMs = 3_000;
/** Idle time before the first TCP keepalive probe (Linux then probes every second). */
const keepAliveDelayMs = 1_000;

/** Keeps every value as the text the node sent. */
const rawTypes = { getTypeParser: () => (value: string): string => value };

export class ConnectionPools {
  private readonly pools = new Map<string, NodePool>();
  /** The pools by address object, for callers that keep their addresses (the fast path). */
  private byAddress = new WeakMap<NodeAddress, NodePool>();
  private nextConnectionId = 1;

  constructor(readonly settings: PoolSettings) {
    assert(settings.poolSizeMax >= 1, "a pool holds at least one client");
  }

  /** Runs one SQL text on a node and returns its result (the last, for several statements). */
  async run(node: NodeAddress, sql: string, params: readonly (string | null)[] = [],
    signal?: AbortSignal): Promise<RemoteResult> {
    const pool = this.pool(node);
    const client = await pool.acquire();
    let broken = false;
    try {
      return await runOn(client.client, sql, params, signal);
    } catch (error) {
      broken = !(error instanceof pg.DatabaseError);
      throw remoteError(error, node, this.settings.user);
    } finally {
      pool.release(client, broken || signal?.aborted === true);
    }
  }

  /**
   * Runs a statement the node keeps prepared (the fast path's `NodeStatement`): the first
   * run of its name on a connection parses it there, later runs only bind and execute it
   * (`bound-statement.ts`); the caller guarantees a name always stands for the same text.
   * The result has no fields: the caller knows the columns. An idle client is taken without
   * waiting when there is one. A cancel reaches the command through `cancel-watch.ts`:
   * `signalOf` is called only if the command outlives a tick, and a cancelled command fails
   * with query_canceled and drops its client, as `run` does.
   *
   * A statement with a record of quick runs (`NodeStatement.quick`) goes on the node's
   * pipelined link instead (`pipelined-link.ts`) when one takes it, sharing that connection
   * with other sessions' executions of the same turn; every run's time goes to its record.
   */
  execute(node: NodeAddress, statement: NodeStatement, params: readonly (string | null)[],
    signalOf: () => AbortSignal): Promise<BoundResult> {
    const pool = this.pool(node);
    const started = performance.now();
    if (statement.quick) {
      const link = pool.linkNow(started);
      if (link !== undefined) {
        return new Promise<BoundResult>((resolve, reject) => {
          const execution = new LinkedExecution(link, pool.node, this.settings.user, signalOf,
            statement, started, resolve, reject);
          execution.watch();
          link.execute(statement, params, execution, started);
        });
      }
    }
    const client = pool.lendIdleNow();
    if (client !== undefined) {
      return this.executeOn(pool, client, statement, params, signalOf, started);
    }
    return pool.acquire().then((acquired) =>
      this.executeOn(pool, acquired, statement, params, signalOf, started));
  }

  private executeOn(pool: NodePool, client: PooledClient, statement: NodeStatement,
    params: readonly (string | null)[], signalOf: () => AbortSignal, started: number):
    Promise<BoundResult> {
    const run = statement.name === "" || namedOn(client, statement.name) !== undefined
      ? statement : statement.unnamed();
    return new Promise<BoundResult>((resolve, reject) => {
      const execution = new PooledExecution(pool, client, this.settings.user, signalOf,
        statement, started, resolve, reject);
      execution.watch();
      void client.client.query(new BoundExecution(run, params, execution));
    });
  }

  /**
   * Opens a batched read of one SQL text on a node (`portal-stream.ts`): the client stays
   * lent until the stream ends or is closed, then goes back to the pool; `cancel` drops it.
   * Errors come back as the node sent them (`remoteError` translates them).
   */
  async stream(node: NodeAddress, sql: string, params: readonly (string | null)[],
    batchRows: number): Promise<RemoteStream> {
    const pool = this.pool(node);
    const client = await pool.acquire();
    let released = false;
    const stream = new PortalStream(sql, params, batchRows, (error, broken) => {
      if (released) return;
      released = true;
      pool.release(client, broken || (error !== null && !(error instanceof pg.DatabaseError)));
    });
    void client.client.query(stream);
    return {
      next: () => stream.next(),
      close: () => stream.close(),
      cancel: () => {
        stream.abort(cancelled());
        client.client.connection.stream.destroy();
      },
    };
  }

  /**
   * Takes a client of a node for the caller alone (a transaction block's connection); it
   * goes back to the pool at `release`, or is closed when a command broke the link.
   */
  async reserve(node: NodeAddress): Promise<ReservedConnection> {
    const pool = this.pool(node);
    const client = await pool.acquire();
    const user = this.settings.user;
    let broken = false;
    let released = false;
    return {
      node,
      connectionId: client.connectionId,
      backendPid: backendPidOf(client.client),
      run: async (sql, params = [], signal) => {
        assert(!released, "a released connection runs no command");
        try {
          return await runOn(client.client, sql, params, signal);
        } catch (error) {
          if (!(error instanceof pg.DatabaseError)) broken = true;
          throw remoteError(error, node, user);
        }
      },
      copyIn: async (sql, data) => {
        assert(!released, "a released connection runs no command");
        try {
          const result = await runCopyIn(client.client, sql, data);
          return { fields: [], rows: [], ...result };
        } catch (error) {
          if (!(error instanceof pg.DatabaseError)) broken = true;
          throw remoteError(error, node, user);
        }
      },
      release: (drop = false) => {
        if (released) return;
        released = true;
        pool.release(client, broken || drop);
      },
    };
  }

  /** The connection id `citus.log_remote_commands` reports for a node's next command. */
  connectionIdFor(node: NodeAddress): number {
    return this.pool(node).lastConnectionId;
  }

  /** Closes every idle client (shutdown). */
  async closeAll(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.close()));
    this.pools.clear();
    this.byAddress = new WeakMap();
  }

  /**
   * Forgets the pool of one address (citus_update_node moved the node away): its idle
   * clients close now, lent ones when they come back; the next use opens a new pool.
   */
  async closeNode(node: NodeAddress): Promise<void> {
    const key = `${node.host}:${node.port}`;
    const pool = this.pools.get(key);
    if (pool === undefined) return;
    this.pools.delete(key);
    this.byAddress = new WeakMap();
    await pool.close();
  }

  private pool(node: NodeAddress): NodePool {
    const known = this.byAddress.get(node);
    if (known !== undefined) return known;
    const key = `${node.host}:${node.port}`;
    let pool = this.pools.get(key);
    if (pool === undefined) {
      pool = new NodePool(node, this.settings, () => this.nextConnectionId++);
      this.pools.set(key, pool);
    }
    this.byAddress.set(node, pool);
    return pool;
  }
}

/**
 * One `execute` sent to a node: it settles once, listens for a cancel while it runs and
 * records its run time on the statement; subclasses say what the connection does after.
 */
abstract class NodeExecution extends CancellableCommand {
  private settled = false;

  constructor(private readonly node: NodeAddress, private readonly user: string,
    private readonly statementSignal: () => AbortSignal,
    private readonly statement: NodeStatement, private readonly started: number,
    private readonly resolve: (result: BoundResult) => void,
    private readonly reject: (error: Error) => void) {
    super();
  }

  /** After a cancel: the connection must not serve the command's late answer. */
  protected abstract dropConnection(): void;

  /** After an answer or an error (null when it succeeded). */
  protected abstract giveBack(error: Error | null): void;

  protected signalOf(): AbortSignal {
    return this.statementSignal();
  }

  protected cancel(): void {
    if (this.settled) return;
    this.settled = true;
    this.unwatch();
    this.statement.ran(Infinity);
    this.dropConnection();
    this.reject(cancelled());
  }

  settle(error: Error | null, result?: BoundResult): void {
    if (this.settled) return;
    this.settled = true;
    this.unwatch();
    this.statement.ran(performance.now() - this.started);
    this.giveBack(error);
    if (error === null) this.resolve(result!);
    else this.reject(remoteError(error, this.node, this.user));
  }
}

/** On a lent client: given back after, dropped when the link broke or a cancel stopped it. */
class PooledExecution extends NodeExecution implements BoundReceiver {
  constructor(private readonly pool: NodePool, private readonly client: PooledClient,
    user: string, statementSignal: () => AbortSignal, statement: NodeStatement,
    started: number, resolve: (result: BoundResult) => void, reject: (error: Error) => void) {
    super(pool.node, user, statementSignal, statement, started, resolve, reject);
  }

  protected dropConnection(): void {
    this.pool.release(this.client, true);
  }

  protected giveBack(error: Error | null): void {
    this.pool.release(this.client, error !== null && !(error instanceof pg.DatabaseError));
  }
}

/** On a node's pipelined link: a cancel makes the link drop the node's late answer. */
class LinkedExecution extends NodeExecution implements LinkReceiver {
  constructor(private readonly link: PipelinedLink, node: NodeAddress, user: string,
    statementSignal: () => AbortSignal, statement: NodeStatement, started: number,
    resolve: (result: BoundResult) => void, reject: (error: Error) => void) {
    super(node, user, statementSignal, statement, started, resolve, reject);
  }

  protected dropConnection(): void {
    this.link.abandon(this);
  }

  protected giveBack(): void {
    // The link stays with the node; nothing to give back.
  }
}

/** A task's rows in batches (`portal-stream.ts`). */
export interface RemoteStream {
  next(): Promise<PortalBatch>;
  /** Ends the read early; the connection goes back to the pool once the node has answered. */
  close(): void;
  /** Stops the read at once: the reader gets query_canceled and the connection is dropped. */
  cancel(): void;
}

/** A client lent to one owner until it releases it. */
export interface ReservedConnection {
  readonly node: NodeAddress;
  readonly connectionId: number;
  /** The node's process id of this connection (its BackendKeyData), 0 if none was sent. */
  readonly backendPid: number;
  run(sql: string, params?: readonly (string | null)[], signal?: AbortSignal):
    Promise<RemoteResult>;
  /** Runs `COPY … FROM STDIN` with `data` as its input (connection/copy-in.ts). */
  copyIn(sql: string, data: readonly Uint8Array[]): Promise<RemoteResult>;
  /** Returns the client to the pool; `drop` closes it instead. */
  release(drop?: boolean): void;
}

interface PooledClient {
  readonly client: pg.Client;
  readonly connectionId: number;
  /** When the client was last returned to the pool (Date.now()). */
  idleSince: number;
  /** Set when the socket reported an error or closed while nobody used it. */
  lost: boolean;
  /** Names of the prepared statements kept on the node for this connection. */
  readonly statements: Set<string>;
}

/** Pipelined links per node at most (a second opens while the first holds a slow one). */
const linksMax = 2;
/** Quick executions that found no link before one opens. */
const executionsForLink = 16;

/** Prepared statements one connection keeps on its node; later texts run unnamed. */
const statementsPerConnectionMax = 256;

/** The name to run a statement under on a client, or undefined once it keeps enough. */
function namedOn(client: PooledClient, name: string): string | undefined {
  if (client.statements.has(name)) return name;
  if (client.statements.size >= statementsPerConnectionMax) return undefined;
  client.statements.add(name);
  return name;
}

/** The clients of one node: idle ones, a count of busy ones, and tasks waiting for one. */
class NodePool {
  private readonly idle: PooledClient[] = [];
  private busy = 0;
  private readonly waiters: ((client: PooledClient | null) => void)[] = [];
  lastConnectionId = 0;
  /**
   * Set when the node stayed silent (a failed liveness check or connect): new connections
   * then wait at most `livenessTimeoutMs`, until one succeeds.
   */
  private suspect = false;

  /** Pipelined links for quick fast-path executions (`pipelined-link.ts`). */
  private readonly links: PipelinedLink[] = [];
  private openingLink = false;
  /** Set by `close`: a link that finishes opening afterwards is closed at once. */
  private closed = false;
  /** Quick executions that found no link taking them, since a link last opened. */
  private withoutLink = 0;

  constructor(readonly node: NodeAddress, private readonly settings: PoolSettings,
    private readonly newId: () => number) {}

  /**
   * A pipelined link that takes an execution now, or undefined: the caller then uses a
   * client of its own. A link idle for long is closed (the next execution goes through a
   * pooled client, whose liveness is checked); a new one opens in the background once
   * `executionsForLink` executions found none, so sparse traffic does not open and close
   * links over and over.
   */
  linkNow(now: number): PipelinedLink | undefined {
    const links = this.links;
    for (let i = 0; i < links.length; i++) {
      const link = links[i]!;
      if (link.accepts(now)) {
        if (!link.idleLongerThan(idleCheckAfterMs, now)) return link;
        link.close();
        i--;
      }
    }
    if (++this.withoutLink >= executionsForLink) this.openLink();
    return undefined;
  }

  private openLink(): void {
    if (this.openingLink || this.suspect || this.closed || this.links.length >= linksMax) {
      return;
    }
    this.openingLink = true;
    this.withoutLink = 0;
    const client = this.newClient();
    client.on("error", () => undefined);
    client.connect().then(() => {
      const link: PipelinedLink = new PipelinedLink(client, () => {
        const at = this.links.indexOf(link);
        if (at >= 0) this.links.splice(at, 1);
      });
      if (this.closed) link.close();
      else this.links.push(link);
    }, () => {
      void client.end().catch(() => undefined);
    }).finally(() => {
      this.openingLink = false;
    });
  }

  /** An idle client that can be lent without a check (live, used recently), or undefined. */
  lendIdleNow(): PooledClient | undefined {
    const idle = this.idle.at(-1);
    if (idle === undefined || idle.lost || Date.now() - idle.idleSince > idleCheckAfterMs) {
      return undefined;
    }
    this.idle.pop();
    return this.lend(idle);
  }

  async acquire(): Promise<PooledClient> {
    for (let idle = this.idle.pop(); idle !== undefined; idle = this.idle.pop()) {
      const live = await this.checkIdle(idle);
      if (live) return live;
    }
    if (this.busy < this.settings.poolSizeMax) {
      this.busy++;
      try {
        const client = await this.connect();
        this.lastConnectionId = client.connectionId;
        return client;
      } catch (error) {
        this.busy--;
        this.wakeOne();
        throw remoteError(error, this.node, this.settings.user);
      }
    }
    if (this.waiters.length >= waitersMax) {
      throw new SqlError(SqlState.tooManyConnections, "too many tasks wait for a connection");
    }
    const waited = await this.waitForClient();
    return waited;
  }

  release(client: PooledClient, broken: boolean): void {
    assert(this.busy > 0, "a released client was lent");
    this.busy--;
    // A closed pool (shutdown, or a node that moved) keeps no client it gets back.
    if (broken || (this.closed && this.waiters.length === 0)) {
      void client.client.end().catch(() => undefined);
      this.wakeOne();
      return;
    }
    const waiter = this.waiters.shift();
    if (waiter !== undefined) {
      this.busy++;
      waiter(client);
      return;
    }
    client.idleSince = Date.now();
    this.idle.push(client);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const link of [...this.links]) link.close();
    const clients = this.idle.splice(0);
    await Promise.all(clients.map((c) => c.client.end().catch(() => undefined)));
  }

  /**
   * Lends an idle client when it is still connected: one used recently is taken as it is,
   * one idle for longer must answer `SELECT 1` in time. A closed one is dropped (null: try
   * the next); one that stays silent means the node is unreachable, and the task fails.
   */
  private async checkIdle(idle: PooledClient): Promise<PooledClient | null> {
    if (idle.lost) {
      destroy(idle);
      return null;
    }
    const lent = this.lend(idle);
    if (Date.now() - idle.idleSince <= idleCheckAfterMs) return lent;
    const outcome = await ping(idle.client, this.node);
    if (outcome === "alive") return lent;
    this.busy--;
    destroy(idle);
    if (outcome === "closed") return null;
    this.suspect = true;
    this.wakeOne();
    throw new SqlError(SqlState.connectionFailure,
      `connection to the remote node ${this.settings.user}@${this.node.host}:` +
        `${this.node.port} failed with the following error: no answer within ` +
        `${livenessTimeoutMs} ms`);
  }

  private lend(client: PooledClient): PooledClient {
    this.busy++;
    this.lastConnectionId = client.connectionId;
    return client;
  }

  /** Lets one waiter open a new client now that a slot is free. */
  private wakeOne(): void {
    const waiter = this.waiters.shift();
    if (waiter !== undefined) waiter(null);
  }

  private waitForClient(): Promise<PooledClient> {
    return new Promise<PooledClient>((resolve, reject) => {
      const timer = setTimeout(() => {
        const at = this.waiters.indexOf(onClient);
        if (at >= 0) this.waiters.splice(at, 1);
        reject(new SqlError(SqlState.connectionFailure,
          `timed out waiting for a connection to ${this.node.host}:${this.node.port}`));
      }, this.settings.acquireTimeoutMs);
      const onClient = (client: PooledClient | null): void => {
        clearTimeout(timer);
        if (client !== null) {
          this.lastConnectionId = client.connectionId;
          resolve(client);
          return;
        }
        this.acquire().then(resolve, reject);
      };
      this.waiters.push(onClient);
    });
  }

  private newClient(): pg.Client {
    return new pg.Client({
      host: this.node.host, port: this.node.port, user: this.settings.user,
      database: this.settings.database,
      connectionTimeoutMillis: this.suspect
        ? Math.min(livenessTimeoutMs, this.settings.connectTimeoutMs)
        : this.settings.connectTimeoutMs,
      application_name: "citus_internal", types: rawTypes,
      keepAlive: true, keepAliveInitialDelayMillis: keepAliveDelayMs,
      ...(this.settings.password !== undefined && { password: this.settings.password }),
    });
  }

  private async connect(): Promise<PooledClient> {
    const client = this.newClient();
    const pooled: PooledClient = {
      client, connectionId: this.newId(), idleSince: 0, lost: false, statements: new Set(),
    };
    // A client that errors while idle is dropped at its next use; never crash the daemon.
    client.on("error", () => { pooled.lost = true; });
    client.on("end", () => { pooled.lost = true; });
    try {
      await client.connect();
    } catch (error) {
      this.suspect = true;
      throw error;
    }
    this.suspect = false;
    pooled.idleSince = Date.now();
    return pooled;
  }
}

/** The backend pid the node sent at connect (pg keeps it, its types do not declare it). */
function backendPidOf(client: pg.Client): number {
  const pid = (client as unknown as { readonly processID?: number | null }).processID;
  return typeof pid === "number" ? pid : 0;
}

/**
 * Whether a client answers a trivial query, or its link is closed; "silent" when it did not
 * answer in time and the node's host does not even accept a new connection.
 */
async function ping(client: pg.Client, node: NodeAddress):
  Promise<"alive" | "closed" | "silent"> {
  const answer = client.query("SELECT 1").then(() => "alive" as const, () => "closed" as const);
  const first = await withinLiveness(answer);
  if (first !== "silent") return first;
  return await reachable(node) ? answer : "silent";
}

/** `promise`'s outcome, or "silent" when it takes longer than `livenessTimeoutMs`. */
async function withinLiveness<T>(promise: Promise<T>): Promise<T | "silent"> {
  let timer: NodeJS.Timeout | undefined;
  const silent = new Promise<"silent">((resolve) => {
    timer = setTimeout(() => resolve("silent"), livenessTimeoutMs);
  });
  try {
    return await Promise.race([promise, silent]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether a TCP connection to the node opens within `livenessTimeoutMs` (closed at once). */
async function reachable(node: NodeAddress): Promise<boolean> {
  const socket = tcpConnect({ host: node.host, port: node.port });
  const opened = new Promise<boolean>((resolve) => {
    socket.once("connect", () => resolve(true));
    socket.once("error", () => resolve(false));
  });
  try {
    return await withinLiveness(opened) === true;
  } finally {
    socket.destroy();
  }
}

/** Closes a client at once, without the goodbye a silent peer would never acknowledge. */
function destroy(pooled: PooledClient): void {
  pooled.client.connection.stream.destroy();
  void pooled.client.end().catch(() => undefined);
}

async function runOn(client: pg.Client, sql: string, params: readonly (string | null)[],
  signal: AbortSignal | undefined): Promise<RemoteResult> {
  if (signal?.aborted === true) throw cancelled();
  const query = client.query({ text: sql, values: [...params], rowMode: "array", types: rawTypes });
  const result = signal === undefined ? await query : await raceAbort(query, signal);
  const last = Array.isArray(result) ? (result as pg.QueryResult[]).at(-1) : result;
  assert(last !== undefined, "a command has a result");
  const fields = (last.fields ?? []).map((f) => ({ name: f.name, typeOid: f.dataTypeID }));
  const rows = last.rows as unknown as (string | null)[][];
  for (const row of rows) assert(row.length === fields.length, "row width matches fields");
  const count = last.rowCount ?? rows.length;
  return { fields, rows, commandTag: commandTag(last.command, count), rowCount: count };
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(cancelled());
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then((value) => {
      signal.removeEventListener("abort", onAbort);
      resolve(value);
    }, (error: unknown) => {
      signal.removeEventListener("abort", onAbort);
      reject(error);
    });
  });
}

function cancelled(): SqlError {
  return new SqlError(SqlState.queryCanceled, "canceling statement due to user request");
}

/** Rebuilds the command tag pg splits into command and row count. */
function commandTag(command: string | null, count: number): string {
  const verb = command ?? "";
  if (verb === "INSERT") return `INSERT 0 ${count}`;
  if (["SELECT", "UPDATE", "DELETE", "COPY", "MOVE", "FETCH", "MERGE"].includes(verb)) {
    return `${verb} ${count}`;
  }
  return verb;
}

/** Translates a failure of a remote command into the SqlError the client sees. */
export function remoteError(error: unknown, node: NodeAddress, user: string): SqlError {
  if (error instanceof SqlError) return error;
  const context = `while executing command on ${node.host}:${node.port}`;
  if (error instanceof pg.DatabaseError) {
    return new SqlError(error.code ?? SqlState.internalError, error.message, {
      ...(error.detail !== undefined && { detail: error.detail }),
      ...(error.hint !== undefined && { hint: error.hint }),
      where: error.where === undefined ? context : `${error.where}\n${context}`,
    });
  }
  const message = socketErrorText(error);
  return new SqlError(SqlState.connectionFailure,
    `connection to the remote node ${user}@${node.host}:${node.port} failed with the ` +
      `following error: ${message}`);
}

/** The system's words for a socket error, as libpq (and so Citus) prints them. */
const socketErrorWords: Readonly<Record<string, string>> = {
  ECONNREFUSED: "Connection refused",
  ECONNRESET: "Connection reset by peer",
  ETIMEDOUT: "Connection timed out",
  EHOSTUNREACH: "No route to host",
  ENETUNREACH: "Network is unreachable",
};

function socketErrorText(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const words = typeof code === "string" ? socketErrorWords[code] : undefined;
  if (words !== undefined) return words;
  return error instanceof Error ? error.message : String(error);
}
