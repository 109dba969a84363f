/**
 * A Tessera daemon: the wire protocol server in front of a query engine, owning a data
 * directory. The worker runs it with the plain engine; the coordinator with its distributed
 * engine wrapped around the same local one.
 */
import { readFileSync } from "node:fs";
import { resolve as resolvePath } from "node:path";
import { type Logger, type SqlError } from "@tessera/base";
import { initParser } from "@tessera/sql";
import {
  loginRoleOf, mayConnect, serverVersion, setActivitySource, setCheckpointSettings,
  setMemoryLimit, setTransportSource, setWalSource,
  setServerSetting,
  type Engine, type QueryEngine,
} from "@tessera/engine";
import { startProtocolServer, type LoginRoleFacts, type ProtocolServer }
  from "@tessera/protocol";
import { authConfigOf, clusterUser } from "./cluster-auth.js";
import type { DaemonConfig } from "./config.js";
import { DataDirectoryLock } from "./data-dir.js";
import { SessionRegistry, openBridgedSession } from "./session-bridge.js";
import { sessionControlFunctions } from "./session-control.js";
import { backendFunctions } from "./backend-functions.js";
import { waitEdgeFunctions } from "./wait-edges.js";
import { BackendActivities } from "./backend-activity.js";
import { DaemonMetrics, type StatementKindSource } from "./metrics.js";
import { nodeCitusFunctions } from "./citus-functions.js";
import { workerConnectionFunctions } from "./connection-check.js";
import { clusterClockFunctions } from "./cluster-clock.js";
import { NotifyHub, notifyFunctions } from "./notify-hub.js";

export interface Daemon {
  readonly role: "worker" | "coordinator";
  readonly port: number;
  readonly sessions: SessionRegistry;
  readonly metrics: DaemonMetrics;
  /** The port /metrics is served on, when a metrics port was configured. */
  readonly metricsPort: number | undefined;
  /** Stops accepting, ends sessions, releases the data directory. */
  stop(): Promise<void>;
}

/** What a daemon's engine factory receives. */
export interface EngineContext {
  readonly sessions: SessionRegistry;
  readonly logger: Logger;
  readonly metrics: DaemonMetrics;
}

/** The engines of a daemon: the local one, and the one sessions talk to (the same on workers). */
export interface DaemonEngines {
  readonly local: Engine;
  /** The engine sessions use; the coordinator wraps the local one with its distributed layer. */
  readonly query?: QueryEngine;
  /** Where statements that ran on other nodes say so (the coordinator); else all "local". */
  readonly statementKinds?: StatementKindSource;
}

export interface DaemonParts {
  readonly role: "worker" | "coordinator";
  /** Builds the engines once the parser is loaded and the data directory is locked. */
  makeEngine(context: EngineContext): Promise<DaemonEngines>;
}

export async function startDaemon(
  config: DaemonConfig,
  parts: DaemonParts,
  logger: Logger,
): Promise<Daemon> {
  const lock = DataDirectoryLock.acquire(config.dataDir);
  const memoryLimit = setMemoryLimit(config.memoryLimit);
  setCheckpointSettings({ maxWalSizeMb: config.maxWalSize,
    checkpointTimeoutMs: config.checkpointTimeout * 1000 });
  if (memoryLimit < config.memoryLimit) {
    logger.warn({ memoryLimit, configured: config.memoryLimit },
      "memory limit lowered below V8's heap limit; raise --max-old-space-size");
  }
  try {
    await initParser();
    const sessions = new SessionRegistry();
    const metrics = new DaemonMetrics(parts.role);
    const engines = await parts.makeEngine({ sessions, logger, metrics });
    for (const def of sessionControlFunctions(sessions)) engines.local.registerFunction(def);
    const notifications = new NotifyHub();
    for (const def of notifyFunctions((pid) => sessions.get(pid))) {
      engines.local.registerFunction(def);
    }
    for (const def of nodeCitusFunctions()) engines.local.registerFunction(def);
    if (parts.role === "worker") {
      for (const def of workerConnectionFunctions(config)) engines.local.registerFunction(def);
    }
    for (const def of clusterClockFunctions(config.dataDir)) engines.local.registerFunction(def);
    for (const def of waitEdgeFunctions(engines.local, sessions)) {
      engines.local.registerFunction(def);
    }
    const local = engines.local;
    const activities = new BackendActivities();
    setActivitySource(local.catalog, () => activities.rows(local));
    setTransportSource(local.catalog, () => activities.transports());
    setWalSource(local.catalog, () => local.walStats());
    metrics.watchWal(() => {
      const stats = local.walStats();
      return stats === undefined ? undefined
        : { bytes: stats.bytesAppended, fsyncs: stats.fsyncCount };
    });
    let server: ProtocolServer | undefined;
    for (const def of backendFunctions(sessions, activities,
      (pid) => server?.terminate(pid) ?? false)) {
      engines.local.registerFunction(def);
    }
    engines.local.startAutovacuum();
    const bridge = {
      engine: engines.query ?? engines.local,
      registry: sessions,
      activities,
      notifications,
      metrics,
      logger: logger.child({ component: "session" }),
      ...(engines.statementKinds !== undefined && { statementKinds: engines.statementKinds }),
      terminate: (pid: number, error: SqlError) => void server?.terminate(pid, error),
    };
    server = await startProtocolServer({
      host: config.host === "*" ? "0.0.0.0" : config.host,
      port: config.port,
      ...tlsOf(config),
      auth: { ...authConfigOf(config), roles: (user) => (user === clusterUser
        ? { canLogin: true, secret: null, expired: false } : loginFacts(local.catalog, user)) },
      connectionCountMax: config.maxConnections,
      logger,
      serverParameters: () => ({}),
      openSession: (start, sink) => openBridgedSession(bridge, start, sink),
    });
    setServerSetting("port", String(server.port));
    setServerSetting("max_connections", String(config.maxConnections));
    setServerSetting("data_directory", resolvePath(config.dataDir));
    const tls = config.tlsCertFile !== undefined && config.tlsKeyFile !== undefined;
    setServerSetting("ssl", tls ? "on" : "off");
    // A worker takes PREPARE TRANSACTION (the coordinator's two-phase commits) with no limit
    // of its own, shown as max_connections; a coordinator refuses it, as PostgreSQL at 0.
    if (parts.role === "worker") {
      setServerSetting("max_prepared_transactions", String(config.maxConnections));
    }
    const metricsServer =
      config.metricsPort === undefined
        ? undefined
        : await metrics.serve(config.host === "*" ? "0.0.0.0" : config.host, config.metricsPort);
    logger.info(
      {
        role: parts.role,
        host: config.host,
        port: server.port,
        dataDir: config.dataDir,
        version: serverVersion,
      },
      `${parts.role} ready`,
    );
    return {
      role: parts.role,
      port: server.port,
      sessions,
      metrics,
      metricsPort: metricsServer?.port,
      stop: async () => {
        await metricsServer?.close();
        await stopDaemon(server, lock, logger, engines.local);
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function stopDaemon(
  server: ProtocolServer,
  lock: DataDirectoryLock,
  logger: Logger,
  engine: Engine,
): Promise<void> {
  await server.shutdown();
  // A shutdown checkpoint: the next start replays no WAL.
  await engine.close();
  lock.release();
  logger.info("stopped");
}

function tlsOf(config: DaemonConfig): { tls?: { cert: Buffer; key: Buffer } } {
  if (config.tlsCertFile === undefined || config.tlsKeyFile === undefined) return {};
  return { tls: { cert: readFileSync(config.tlsCertFile), key: readFileSync(config.tlsKeyFile) } };
}

/** What the authenticator checks of a role: its login facts and CONNECT on the database. */
function loginFacts(catalog: Engine["catalog"], user: string): LoginRoleFacts | undefined {
  const role = loginRoleOf(catalog, user);
  return role === undefined ? undefined : { ...role, canConnect: mayConnect(catalog, user) };
}
