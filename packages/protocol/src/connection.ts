/**
 * One client connection, from the first byte to the close: startup (SSL, GSS, cancel),
 * authentication, the session's opening messages, then the message loop.
 *
 * Socket events only feed the framer and wake the loop; the loop takes one whole message at a
 * time and awaits the session before taking the next, so a session never sees two messages at
 * once. While a session works, received bytes pile up in the framer until
 * `socketReadBufferBytesMax`, then the socket is paused. Output is flushed each time the loop
 * runs out of received messages. Every failure ends only this connection: a `SqlError` is
 * sent as FATAL, anything else is logged and sent as FATAL XX000, and an `AssertionError` is
 * rethrown outside the promise chain so that the process stops, as STYLE.md asks.
 */
import { randomBytes } from "node:crypto";
import type { Socket } from "node:net";
import { TLSSocket, type SecureContext } from "node:tls";
import { AssertionError, SqlError, SqlState, assert, isSqlError, limits,
  type Logger } from "@tessera/base";
import type { Authenticator } from "./auth/authenticate.js";
import { errorResponse } from "./backend.js";
import { Framer, type Frame } from "./framing.js";
import { authMessageBytesMax, frontendMessageBytesMax } from "./frontend.js";
import { Output } from "./output.js";
import { parseFrontendMessage } from "./parse-frontend.js";
import type { BackendRegistry } from "./registry.js";
import type { BackendSession, OpenSession, StartupInfo } from "./session-handler.js";
import { gssRequestCode, parseStartupPacket, protocolMajor, protocolMinor, sslRequestCode,
  startupIdentity, unencryptedDataAfter, unsupportedProtocol,
  type StartupPacket } from "./startup.js";

/** What every connection of one server shares. */
export interface ConnectionContext {
  readonly authenticator: Authenticator;
  readonly secureContext: SecureContext | undefined;
  readonly registry: BackendRegistry;
  readonly logger: Logger;
  readonly serverParameters: (parameters: Readonly<Record<string, string>>) =>
    Readonly<Record<string, string>>;
  readonly openSession: OpenSession;
}

type Startup = Extract<StartupPacket, { kind: "startup" }>;

export class Connection {
  private socket: Socket | TLSSocket;
  private readonly framer = new Framer();
  private readonly output: Output;
  private readonly remoteAddress: string;
  /** Wakes the loop when bytes arrive or the socket ends. */
  private wake: (() => void) | undefined;
  private ended = false;
  private processId: number | undefined;
  private session: BackendSession | undefined;
  private authTimer: NodeJS.Timeout | undefined;

  constructor(raw: Socket, private readonly context: ConnectionContext) {
    this.socket = raw;
    this.output = new Output(raw);
    this.remoteAddress = raw.remoteAddress ?? "";
    raw.setNoDelay(true);
    this.listen(raw);
    this.authTimer = setTimeout(() => this.onAuthTimeout(), limits.authenticationTimeoutMs);
  }

  /** Runs the connection to its end; never rejects. */
  async run(): Promise<void> {
    try {
      await this.serve();
    } catch (error) {
      this.fail(error);
    } finally {
      this.finish();
    }
  }

  /**
   * Ends the connection with FATAL 57P01, as a shutdown or pg_terminate_backend does, or with
   * the session's own FATAL `error` (an idle-in-transaction timeout).
   */
  terminate(error?: SqlError): void {
    if (this.ended) return;
    this.session?.cancel();
    this.fail(error ?? new SqlError(SqlState.adminShutdown,
      "terminating connection due to administrator command", { severity: "FATAL" }));
  }

  /** Drops the connection without a word, as a server close does. */
  destroy(): void {
    this.socket.destroy();
    this.onEnd();
  }

  private async serve(): Promise<void> {
    const startup = await this.startup();
    if (startup === undefined) return;
    const identity = startupIdentity(startup.parameters);
    if (startup.minor > protocolMinor || startup.unknownOptions.length > 0) {
      this.output.send({ type: "negotiateProtocolVersion",
        version: (protocolMajor << 16) | protocolMinor, options: startup.unknownOptions });
    }
    this.processId = this.context.registry.admit();
    if (this.processId === undefined) {
      throw new SqlError(SqlState.tooManyConnections, "sorry, too many clients already",
        { severity: "FATAL" });
    }
    const outcome = await this.context.authenticator.authenticate(identity.user, {
      send: (message) => this.output.send(message),
      flush: async () => { await this.output.flush(); },
      receive: () => this.nextFrame(() => this.framer.next(authMessageBytesMax)),
    });
    if (outcome === "closed" || this.ended) return;
    clearTimeout(this.authTimer);
    const info: StartupInfo = { ...identity, parameters: startup.parameters,
      processId: this.processId, secretKey: randomBytes(4).readInt32BE(0),
      remoteAddress: this.remoteAddress, tls: this.socket instanceof TLSSocket,
      ...endpointsOf(this.socket) };
    await this.open(info, startup);
    if (this.ended) return;
    await this.loop();
  }

  /** Reads startup packets until the StartupMessage; undefined for a cancel or a close. */
  private async startup(): Promise<Startup | undefined> {
    let sslDone = false;
    let gssDone = false;
    // Bounded: at most one SSL and one GSS request precede the StartupMessage.
    for (let packets = 0; packets < 3; packets++) {
      const frame = await this.nextFrame(() => this.framer.nextStartup());
      if (frame === undefined) return undefined;
      const packet = parseStartupPacket(frame.body);
      if (packet.kind === "startup") return packet;
      if (packet.kind === "cancel") {
        this.context.registry.cancelWithSecret(packet.processId, packet.secretKey);
        return undefined;
      }
      if (packet.kind === "ssl" ? sslDone : gssDone) {
        const code = packet.kind === "ssl" ? sslRequestCode : gssRequestCode;
        throw unsupportedProtocol(code >>> 16, code & 0xffff);
      }
      sslDone ||= packet.kind === "ssl";
      gssDone ||= packet.kind === "gss";
      const tls = packet.kind === "ssl" && this.context.secureContext !== undefined;
      this.output.sendRaw(Buffer.from(tls ? "S" : "N"));
      // Postgres answers first, then refuses bytes that came before the answer.
      if (this.framer.bufferedBytes > 0) throw unencryptedDataAfter(packet.kind);
      if (tls) this.upgradeToTls();
    }
    throw unsupportedProtocol(sslRequestCode >>> 16, sslRequestCode & 0xffff);
  }

  /** Hands the socket to node:tls after we answered 'S' to an SSLRequest. */
  private upgradeToTls(): void {
    const secureContext = this.context.secureContext;
    const raw = this.socket;
    assert(secureContext !== undefined, "TLS is offered only with a certificate");
    assert(!(raw instanceof TLSSocket), "TLS is negotiated once");
    raw.removeAllListeners("data");
    raw.removeAllListeners("end");
    raw.removeAllListeners("close");
    raw.on("error", () => {}); // The TLS socket reports the failure; this one must not throw.
    const secure = new TLSSocket(raw, { isServer: true, secureContext });
    this.socket = secure;
    this.output.setSocket(secure);
    this.listen(secure);
  }

  /** Opens the session, registers it for cancels and sends the opening messages. */
  private async open(info: StartupInfo, startup: Startup): Promise<void> {
    const session = await this.context.openSession(info, this.output);
    this.session = session;
    if (this.ended) return;
    this.context.registry.attach(info.processId, {
      secretKey: info.secretKey,
      cancel: () => session.cancel(),
      terminate: (error) => this.terminate(error),
    });
    const parameters = this.context.serverParameters(startup.parameters);
    for (const [name, value] of Object.entries(parameters)) {
      this.output.parameterStatus(name, value);
    }
    this.output.send({ type: "backendKeyData", processId: info.processId,
      secretKey: info.secretKey });
    this.output.send({ type: "readyForQuery", status: "I" });
    await this.output.flush();
  }

  /** The connection's event loop: unbounded by design, it runs until the client leaves. */
  private async loop(): Promise<void> {
    const session = this.session;
    assert(session !== undefined, "the loop runs with an open session");
    for (;;) {
      let frame = this.framer.next(frontendMessageBytesMax);
      if (frame === undefined) {
        const draining = this.output.flush();
        if (draining !== undefined) await draining;
        frame = await this.nextFrame(this.nextMessageFrame);
        if (frame === undefined) return;
      }
      const message = parseFrontendMessage(frame.type, frame.bytes, frame.start, frame.end);
      if (message.type === "terminate") return;
      const handled = session.handle(message, this.output);
      if (handled !== undefined) await handled;
      if (this.ended) return;
    }
  }

  private readonly nextMessageFrame = (): Frame | undefined =>
    this.framer.next(frontendMessageBytesMax);

  /** Waits for the next frame `read` can cut; undefined once the socket has ended. */
  private async nextFrame(read: () => Frame | undefined): Promise<Frame | undefined> {
    // Bounded by the connection's life: each pass consumes bytes or waits for more.
    for (;;) {
      const frame = read();
      if (frame !== undefined) return frame;
      if (this.ended) return undefined;
      this.socket.resume();
      await new Promise<void>((resolve) => { this.wake = resolve; });
    }
  }

  private listen(socket: Socket | TLSSocket): void {
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("end", () => this.onEnd());
    socket.on("close", () => this.onEnd());
    socket.on("error", (error) => {
      this.context.logger.debug({ err: error, pid: this.processId }, "client socket error");
      this.onEnd();
    });
  }

  private onData(chunk: Buffer): void {
    if (this.ended) return;
    this.framer.push(chunk);
    if (this.wake !== undefined) {
      this.wakeLoop();
    } else if (this.framer.bufferedBytes > limits.socketReadBufferBytesMax) {
      this.socket.pause();
    }
  }

  private onEnd(): void {
    if (this.ended) return;
    this.ended = true;
    this.output.close();
    this.wakeLoop();
  }

  private wakeLoop(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private onAuthTimeout(): void {
    this.context.logger.info({ remote: this.remoteAddress }, "authentication timed out");
    this.destroy();
  }

  /** Sends a FATAL for `error` and ends the socket, so only this connection fails. */
  private fail(error: unknown): void {
    if (error instanceof AssertionError) {
      process.nextTick(() => { throw error; });
      return;
    }
    let sqlError: SqlError;
    if (isSqlError(error)) {
      sqlError = error;
      this.context.logger.info({ code: error.code, pid: this.processId }, error.message);
    } else {
      this.context.logger.error({ err: error, pid: this.processId }, "connection failed");
      sqlError = new SqlError(SqlState.internalError, "internal error");
    }
    if (this.ended) return;
    this.output.send(errorResponse(sqlError, "FATAL"));
    this.onEnd();
    this.socket.end();
    setTimeout(() => this.socket.destroy(), limits.shutdownGraceMs).unref();
  }

  /** Releases the slot and closes the session, once, after the last `handle` settled. */
  private finish(): void {
    clearTimeout(this.authTimer);
    if (!this.ended) {
      this.onEnd();
      this.socket.end();
    }
    if (this.processId !== undefined) this.context.registry.release(this.processId);
    this.processId = undefined;
    const session = this.session;
    this.session = undefined;
    session?.close();
  }
}

/** The TCP endpoints of a connection, for inet_client_port() and inet_server_addr(). */
function endpointsOf(socket: Socket):
  { remotePort?: number; localAddress?: string; localPort?: number } {
  return {
    ...(socket.remotePort !== undefined && { remotePort: socket.remotePort }),
    ...(socket.localAddress !== undefined && { localAddress: socket.localAddress }),
    ...(socket.localPort !== undefined && { localPort: socket.localPort }),
  };
}
