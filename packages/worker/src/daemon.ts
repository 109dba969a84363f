/**
 * A Tessera daemon: the wire protocol server in front of a query engine, owning a data
 * directory. The worker runs it with the plain engine; the coordinator with its distributed
 * engine wrapped around the same local one.
 */
import { readFileSync } from "node:fs";
import { type Logger } from "@tessera/base";
import { initParser } from "@tessera/sql";
import { serverVersion, type Engine } from "@tessera/engine";
import { startProtocolServer, type ProtocolServer } from "@tessera/protocol";
import type { DaemonConfig } from "./config.js";
import { DataDirectoryLock } from "./data-dir.js";
import { SessionRegistry, openBridgedSession } from "./session-bridge.js";
import { sessionControlFunctions } from "./session-control.js";

export interface Daemon {
  readonly role: "worker" | "coordinator";
  readonly port: number;
  readonly sessions: SessionRegistry;
  /** Stops accepting, ends sessions, releases the data directory. */
  stop(): Promise<void>;
}

export interface DaemonParts {
  readonly role: "worker" | "coordinator";
  /** Builds the engine once the parser is loaded and the data directory is locked. */
  makeEngine(context: { sessions: SessionRegistry; logger: Logger }): Promise<Engine>;
}

export async function startDaemon(config: DaemonConfig, parts: DaemonParts,
  logger: Logger): Promise<Daemon> {
  const lock = DataDirectoryLock.acquire(config.dataDir);
  try {
    await initParser();
    const sessions = new SessionRegistry();
    const engine = await parts.makeEngine({ sessions, logger });
    for (const def of sessionControlFunctions(sessions)) engine.registerFunction(def);
    const server = await startProtocolServer({
      host: config.host === "*" ? "0.0.0.0" : config.host,
      port: config.port,
      ...(tlsOf(config)),
      auth: Object.keys(config.users).length === 0
        ? { method: "trust" }
        : { method: "scram-sha-256", users: config.users },
      connectionCountMax: config.maxConnections,
      logger,
      serverParameters: () => ({}),
      openSession: (start, sink) => openBridgedSession(engine, start, sink, sessions),
    });
    logger.info({ role: parts.role, host: config.host, port: server.port,
      dataDir: config.dataDir, version: serverVersion }, `${parts.role} ready`);
    return {
      role: parts.role,
      port: server.port,
      sessions,
      stop: () => stopDaemon(server, lock, logger),
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function stopDaemon(server: ProtocolServer, lock: DataDirectoryLock,
  logger: Logger): Promise<void> {
  await server.shutdown();
  lock.release();
  logger.info("stopped");
}

function tlsOf(config: DaemonConfig): { tls?: { cert: Buffer; key: Buffer } } {
  if (config.tlsCertFile === undefined || config.tlsKeyFile === undefined) return {};
  return { tls: { cert: readFileSync(config.tlsCertFile), key: readFileSync(config.tlsKeyFile) } };
}
