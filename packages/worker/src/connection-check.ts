/**
 * Connection checks from this node to another (Citus 11's `health_check.c`), and what a
 * worker answers about its own role:
 *
 *   citus_check_connection_to_node(nodename text, nodeport int DEFAULT 5432) → bool
 *       opens a new connection to the node and runs `SELECT 1` on it: true when both work,
 *       false (with Citus's WARNING `connection to the remote node user@host:port failed
 *       with the following error: …`) when either fails or takes longer than the timeout
 *   citus_is_coordinator() → bool        false on a worker (it has no pg_dist_node rows)
 *   citus_coordinator_nodeid() → int     0 on a worker, as Citus without the coordinator row
 *
 * Every node has the check, the coordinator too, so the coordinator's
 * citus_check_cluster_node_health can ask each node to check every other one. The check
 * speaks the wire protocol itself (a worker has no client library): startup, trust or
 * SCRAM-SHA-256 authentication, one simple query, Terminate. It logs in as the coordinator
 * does (`coordinator.ts`): the cluster user when there is a cluster password, else the
 * first configured user, else `postgres` under trust.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";
import { connect, type Socket } from "node:net";
import { SqlError, SqlState } from "@tessera/base";
import { TypeOid, type EvalContext, type FunctionDef, type Value } from "@tessera/sql";
import { clusterUser } from "./cluster-auth.js";
import type { DaemonConfig } from "./config.js";

/** How long one check may take in all (Citus bounds it by citus.node_connection_timeout). */
const checkTimeoutMs = 10_000;
/** A server message larger than this during a check is a protocol error. */
const checkMessageBytesMax = 1 << 20;

export interface Credentials {
  readonly user: string;
  readonly password: string | undefined;
}

/** The user and password this node connects to its peers with. */
export function peerCredentials(config: Pick<DaemonConfig, "users" | "clusterPassword">):
  Credentials {
  if (config.clusterPassword !== undefined) {
    return { user: clusterUser, password: config.clusterPassword };
  }
  const [user, password] = Object.entries(config.users)[0] ?? ["postgres", undefined];
  return { user, password };
}

/** How a check reports a failed connection (a WARNING where the caller can send one). */
export type ConnectionWarning = (error: SqlError, ctx: EvalContext) => void;

/** citus_check_connection_to_node, reporting failures through `warn`. */
export function connectionCheckFunction(credentials: Credentials,
  warn: ConnectionWarning = () => undefined): FunctionDef {
  return {
    kind: "scalar", name: "citus_check_connection_to_node", volatility: "v", strict: true,
    argTypes: [TypeOid.text, TypeOid.int4], argNames: ["nodename", "nodeport"],
    defaultCount: 1, defaults: [5432], returnType: TypeOid.bool,
    impl: () => {
      throw new SqlError(SqlState.internalError, "this function must be awaited");
    },
    implAsync: async (args, ctx): Promise<Value> => {
      const host = String(args[0]);
      // The engine passes no value for an omitted argument with a default.
      const port = Number(args[1] ?? 5432);
      try {
        await checkConnection({ host, port }, credentials, ctx.signal);
        return true;
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        const reason = error instanceof Error ? error.message : String(error);
        warn(new SqlError(SqlState.connectionFailure, "connection to the remote node " +
          `${credentials.user}@${host}:${port} failed with the following error: ${reason}`,
        { severity: "WARNING" }), ctx);
        return false;
      }
    },
  };
}

/**
 * The worker's functions above. The coordinator registers its own check (with the WARNING,
 * which needs its statement contexts) and its own answers about the cluster.
 */
export function workerConnectionFunctions(config: Pick<DaemonConfig, "users" |
  "clusterPassword">): FunctionDef[] {
  return [connectionCheckFunction(peerCredentials(config)), {
    kind: "scalar", name: "citus_is_coordinator", volatility: "v", strict: true,
    argTypes: [], returnType: TypeOid.bool, impl: () => false,
  }, {
    kind: "scalar", name: "citus_coordinator_nodeid", volatility: "s", strict: true,
    argTypes: [], returnType: TypeOid.int4, impl: () => 0,
  }];
}

/**
 * Connects to `node`, logs in and runs `SELECT 1`; resolves when all of it worked, rejects
 * with the reason otherwise. The socket is always closed.
 */
export async function checkConnection(node: { host: string; port: number },
  credentials: Credentials, signal?: AbortSignal): Promise<void> {
  if (!Number.isInteger(node.port) || node.port < 1 || node.port > 65_535) {
    throw new Error(`invalid port number: "${node.port}"`);
  }
  const socket = connect({ host: node.host, port: node.port });
  const reader = new MessageReader(socket);
  const timer = setTimeout(() => reader.fail(new Error("timeout expired")), checkTimeoutMs);
  const onAbort = (): void => reader.fail(new SqlError(SqlState.queryCanceled,
    "canceling statement due to user request"));
  signal?.addEventListener("abort", onAbort);
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
      reader.onFailure(reject);
    });
    socket.write(startupMessage(credentials.user));
    await authenticate(socket, reader, credentials);
    await untilReady(reader);
    socket.write(typed("Q", cString("SELECT 1")));
    await untilReady(reader);
    socket.write(typed("X", Buffer.alloc(0)));
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
    socket.destroy();
  }
}

/** Answers the server's authentication requests until AuthenticationOk. */
async function authenticate(socket: Socket, reader: MessageReader,
  credentials: Credentials): Promise<void> {
  let scram: ScramClient | undefined;
  for (let step = 0; step < 8; step++) {
    const message = await reader.next();
    if (message.type === "E") throw new Error(errorText(message.body));
    if (message.type !== "R") throw new Error(`unexpected message "${message.type}"`);
    const code = message.body.readInt32BE(0);
    if (code === 0) return;
    if (credentials.password === undefined) {
      throw new Error(`password authentication failed for user "${credentials.user}"`);
    }
    if (code === 10) {
      scram = new ScramClient(credentials.password);
      socket.write(scram.initialResponse());
    } else if (code === 11 && scram !== undefined) {
      socket.write(scram.finalResponse(message.body.subarray(4).toString("utf8")));
    } else if (code === 12 && scram !== undefined) {
      scram.verifyServer(message.body.subarray(4).toString("utf8"));
    } else {
      throw new Error(`authentication method ${code} is not supported`);
    }
  }
  throw new Error("authentication did not finish");
}

/** Reads messages until ReadyForQuery; an ErrorResponse before it fails the check. */
async function untilReady(reader: MessageReader): Promise<void> {
  let error: string | undefined;
  for (;;) {
    const message = await reader.next();
    if (message.type === "E") error ??= errorText(message.body);
    if (message.type === "Z") break;
  }
  if (error !== undefined) throw new Error(error);
}

/** The M (message) field of an ErrorResponse body. */
function errorText(body: Buffer): string {
  let offset = 0;
  while (offset < body.length && body[offset] !== 0) {
    const field = String.fromCharCode(body[offset]!);
    const end = body.indexOf(0, offset + 1);
    if (end < 0) break;
    if (field === "M") return body.subarray(offset + 1, end).toString("utf8");
    offset = end + 1;
  }
  return "the server reported an error";
}

interface ServerMessage {
  readonly type: string;
  readonly body: Buffer;
}

/** Splits a socket's bytes into typed messages; the first failure ends every wait. */
class MessageReader {
  private buffered = Buffer.alloc(0);
  private failure: Error | undefined;
  private waiter: (() => void) | undefined;
  private readonly failureListeners: ((error: Error) => void)[] = [];

  constructor(socket: Socket) {
    socket.on("data", (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.wake();
    });
    socket.on("error", (error) => this.fail(error));
    socket.on("close", () => this.fail(new Error("server closed the connection unexpectedly")));
  }

  fail(error: Error): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    for (const listener of this.failureListeners) listener(error);
    this.wake();
  }

  onFailure(listener: (error: Error) => void): void {
    this.failureListeners.push(listener);
  }

  async next(): Promise<ServerMessage> {
    for (;;) {
      const message = this.take();
      if (message !== undefined) return message;
      if (this.failure !== undefined) throw this.failure;
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }

  private take(): ServerMessage | undefined {
    if (this.buffered.length < 5) return undefined;
    const length = this.buffered.readInt32BE(1);
    if (length < 4 || length > checkMessageBytesMax) {
      this.fail(new Error("invalid message length from the server"));
      return undefined;
    }
    if (this.buffered.length < length + 1) return undefined;
    const type = String.fromCharCode(this.buffered[0]!);
    const body = this.buffered.subarray(5, length + 1);
    this.buffered = this.buffered.subarray(length + 1);
    return { type, body };
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}

/** SCRAM-SHA-256 without channel binding, as a client (RFC 5802, RFC 7677). */
class ScramClient {
  private readonly nonce = randomBytes(18).toString("base64");
  private readonly firstBare = `n=,r=${this.nonce}`;
  private serverSignature: Buffer | undefined;

  constructor(private readonly password: string) {}

  initialResponse(): Buffer {
    const first = Buffer.from(`n,,${this.firstBare}`, "utf8");
    const length = Buffer.alloc(4);
    length.writeInt32BE(first.length);
    return typed("p", Buffer.concat([cString("SCRAM-SHA-256"), length, first]));
  }

  finalResponse(serverFirst: string): Buffer {
    const fields = new Map(serverFirst.split(",").map((f) => [f.slice(0, 1), f.slice(2)]));
    const nonce = fields.get("r") ?? "";
    const salt = Buffer.from(fields.get("s") ?? "", "base64");
    const iterations = Number(fields.get("i"));
    if (!nonce.startsWith(this.nonce) || !Number.isInteger(iterations) || iterations < 1) {
      throw new Error("invalid SCRAM exchange from the server");
    }
    const salted = pbkdf2Sync(this.password, salt, iterations, 32, "sha256");
    const clientKey = hmac(salted, "Client Key");
    const storedKey = createHash("sha256").update(clientKey).digest();
    const withoutProof = `c=biws,r=${nonce}`;
    const authMessage = `${this.firstBare},${serverFirst},${withoutProof}`;
    const signature = hmac(storedKey, authMessage);
    const proof = Buffer.from(clientKey.map((byte, i) => byte ^ signature[i]!));
    this.serverSignature = hmac(hmac(salted, "Server Key"), authMessage);
    return typed("p", Buffer.from(`${withoutProof},p=${proof.toString("base64")}`, "utf8"));
  }

  verifyServer(serverFinal: string): void {
    const expected = this.serverSignature?.toString("base64");
    if (expected === undefined || serverFinal !== `v=${expected}`) {
      throw new Error("invalid SCRAM server signature");
    }
  }
}

function hmac(key: Buffer, text: string): Buffer {
  return createHmac("sha256", key).update(text, "utf8").digest();
}

function startupMessage(user: string): Buffer {
  const body = Buffer.concat([int32(196_608), cString("user"), cString(user),
    cString("database"), cString("postgres"), cString("application_name"),
    cString("citus_internal"), Buffer.of(0)]);
  return Buffer.concat([int32(body.length + 4), body]);
}

function typed(type: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(type, "ascii"), int32(body.length + 4), body]);
}

function int32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32BE(value);
  return bytes;
}

function cString(text: string): Buffer {
  return Buffer.concat([Buffer.from(text, "utf8"), Buffer.of(0)]);
}
