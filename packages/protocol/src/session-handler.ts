/**
 * The contract between the protocol and a session: the protocol frames, parses and serializes;
 * the session (in the engine) decides what every message means.
 *
 * The connection hands messages to `handle` strictly one at a time, in the order received,
 * and awaits each before the next, so a session never sees two at once. The session answers
 * through its `MessageSink`, including ReadyForQuery, error-skip-until-Sync and the COPY
 * sub-protocol. Terminate never reaches `handle`: the connection ends and calls `close`.
 */
import type { BackendMessage } from "./backend.js";
import type { FrontendMessage } from "./frontend.js";

/** Where a session writes its replies; the protocol serializes and batches them. */
export interface MessageSink {
  /** Serializes a message into the connection's output buffer. Sends after close are dropped. */
  send(message: BackendMessage): void;
  /**
   * Pushes buffered bytes to the socket; returns a wait for it to drain only when over the
   * buffer cap (nothing otherwise).
   */
  flush(): Promise<void> | void;
  /** Sends a ParameterStatus, as after a SET of a reported setting. */
  parameterStatus(name: string, value: string): void;
}

export interface BackendSession {
  /**
   * Handles one message; called strictly one message at a time, never concurrently. A message
   * handled at once may return nothing, which spares the connection an await per message.
   */
  handle(message: FrontendMessage, sink: MessageSink): Promise<void> | void;
  /** Asks the running statement to stop with 57014, from a CancelRequest or pg_cancel_backend. */
  cancel(): void;
  /** Tells the session its connection has ended; called once, after any `handle` in flight. */
  close(): void;
}

/** What a session learns about its client when it opens. */
export interface StartupInfo {
  readonly user: string;
  readonly database: string;
  readonly applicationName: string;
  /** Every startup parameter the client sent, `user` and `database` included. */
  readonly parameters: Readonly<Record<string, string>>;
  readonly processId: number;
  readonly secretKey: number;
  readonly remoteAddress: string;
  /** The client's port and the server's address and port (TCP only; absent on a socket). */
  readonly remotePort?: number;
  readonly localAddress?: string;
  readonly localPort?: number;
  /** Whether the connection is encrypted with TLS. */
  readonly tls: boolean;
}

/**
 * Opens the session for an authenticated client; a thrown `SqlError` (FATAL) refuses it.
 * `sink` is the same sink every `handle` call gets, so a session may bind its output once, and
 * may send between messages too (a NotificationResponse), flushing after it.
 */
export type OpenSession = (startup: StartupInfo, sink: MessageSink) =>
  BackendSession | Promise<BackendSession>;
