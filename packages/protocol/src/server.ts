/**
 * The protocol server: a TCP listener that runs one `Connection` per client and keeps the
 * registry of live backends for cancels, terminations and the connection limit.
 *
 *     const server = await startProtocolServer({ host, port: 5432, auth, openSession, ... });
 *     server.cancel(pid);     // pg_cancel_backend
 *     await server.shutdown(); // FATAL 57P01 to everyone, then close
 */
import { createServer, type Server, type Socket } from "node:net";
import { createSecureContext } from "node:tls";
import { assert, limits, type Logger, type SqlError } from "@tessera/base";
import { Authenticator, type AuthConfig } from "./auth/authenticate.js";
import { Connection, type ConnectionContext } from "./connection.js";
import { BackendRegistry } from "./registry.js";
import type { OpenSession } from "./session-handler.js";

export interface ProtocolServerOptions {
  readonly host: string;
  /** 0 picks a free port; `ProtocolServer.port` says which. */
  readonly port: number;
  /** PEM certificate and key; without them an SSLRequest is answered 'N'. */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
  readonly auth: AuthConfig;
  readonly connectionCountMax: number;
  /** Returns the ParameterStatus pairs sent after authentication, given the startup parameters. */
  readonly serverParameters: (startup: Readonly<Record<string, string>>) =>
    Readonly<Record<string, string>>;
  readonly logger: Logger;
  readonly openSession: OpenSession;
}

export interface ProtocolServer {
  readonly port: number;
  /** Cancels a backend's running statement, as pg_cancel_backend; false if there is none. */
  cancel(processId: number): boolean;
  /** Ends a backend with FATAL 57P01, as pg_terminate_backend; false if there is none. */
  terminate(processId: number, error?: SqlError): boolean;
  /** Returns the process ids of the open sessions. */
  processIds(): number[];
  /** Stops listening and drops every connection without a message. */
  close(): Promise<void>;
  /** Stops listening, sends FATAL 57P01 to every connection, and waits for them to close. */
  shutdown(): Promise<void>;
}

/** Starts listening; resolves once the port is bound. */
export async function startProtocolServer(options: ProtocolServerOptions): Promise<ProtocolServer> {
  assert(options.connectionCountMax > 0, "connectionCountMax is positive");
  const registry = new BackendRegistry(options.connectionCountMax);
  const context: ConnectionContext = {
    authenticator: new Authenticator(options.auth),
    secureContext: options.tls === undefined ? undefined : createSecureContext(options.tls),
    registry,
    logger: options.logger,
    serverParameters: options.serverParameters,
    openSession: options.openSession,
  };
  const connections = new Set<Connection>();
  const server = createServer({ noDelay: true }, (socket) => {
    accept(socket, context, connections);
  });
  server.maxConnections = options.connectionCountMax + limits.connectionStartingCountMax;
  server.on("error", (error) => options.logger.error({ err: error }, "protocol server error"));
  const port = await listen(server, options.host, options.port);
  options.logger.info({ host: options.host, port }, "protocol server listening");
  return {
    port,
    cancel: (processId) => registry.cancel(processId),
    terminate: (processId, error) => registry.terminate(processId, error),
    processIds: () => registry.processIds(),
    close: () => {
      const closed = closeServer(server);
      for (const connection of connections) connection.destroy();
      return closed;
    },
    shutdown: () => shutdown(server, connections),
  };
}

/** Runs one connection; its promise never rejects, and it leaves the set when done. */
function accept(socket: Socket, context: ConnectionContext, connections: Set<Connection>): void {
  const connection = new Connection(socket, context);
  connections.add(connection);
  void connection.run().finally(() => connections.delete(connection));
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const address = server.address();
      assert(address !== null && typeof address === "object", "a TCP server has an address");
      resolve(address.port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
  });
}

/** Sends FATAL 57P01 everywhere, waits up to `shutdownGraceMs`, then drops what is left. */
async function shutdown(server: Server, connections: Set<Connection>): Promise<void> {
  const closed = closeServer(server);
  for (const connection of connections) connection.terminate();
  const grace = new Promise<void>((resolve) => setTimeout(resolve, limits.shutdownGraceMs).unref());
  await Promise.race([closed, grace]);
  for (const connection of connections) connection.destroy();
  await closed;
}
