/**
 * `tessera coordinator` and `tessera worker`: resolve the configuration, start the daemon,
 * stop it cleanly on SIGINT/SIGTERM, and when run under `tessera cluster`, report readiness
 * over the IPC channel and stop when the parent goes away (no orphans). While the daemon
 * starts, crash recovery's progress is drawn on stderr (`progress-bar.ts`), or sent to
 * `tessera cluster`, which draws it.
 */
import { networkInterfaces } from "node:os";
import { createLogger, onProgress, type Logger } from "@tessera/base";
import {
  configFromEnv,
  configFromFile,
  resolveConfig,
  startWorker,
  type ConfigInput,
  type Daemon,
  type DaemonConfig,
} from "@tessera/worker";
import { registerNode, startCoordinator } from "@tessera/coordinator";
import { progressView } from "./progress-bar.js";
import { tuneHeap } from "./heap-tuning.js";

/** Set by `tessera cluster` for its children: send progress to the parent over IPC. */
export const progressIpcVariable = "TESSERA_PROGRESS_IPC";

export interface DaemonFlags {
  port?: string;
  dataDir?: string;
  host?: string;
  logLevel?: string;
  users?: string;
  tlsCert?: string;
  tlsKey?: string;
  maxConnections?: string;
  metricsPort?: string;
  memoryLimit?: string;
  maxWalSize?: string;
  checkpointTimeout?: string;
  config?: string;
  coordinator?: string;
  advertiseHost?: string;
  clusterPassword?: string;
}

/** Turns flags, environment and config file into one configuration. */
export function configOf(
  flags: DaemonFlags,
  defaults: { port: number; dataDir: string },
): DaemonConfig {
  const fromFlags: ConfigInput = {
    port: flags.port,
    dataDir: flags.dataDir,
    host: flags.host,
    logLevel: flags.logLevel,
    users: flags.users,
    tlsCertFile: flags.tlsCert,
    tlsKeyFile: flags.tlsKey,
    maxConnections: flags.maxConnections,
    metricsPort: flags.metricsPort,
    clusterPassword: flags.clusterPassword,
    memoryLimit: flags.memoryLimit,
    maxWalSize: flags.maxWalSize,
    checkpointTimeout: flags.checkpointTimeout,
  };
  const configFile = flags.config ?? process.env["TESSERA_CONFIG"];
  const sources = [fromFlags, configFromEnv(process.env)];
  if (configFile !== undefined) sources.push(configFromFile(configFile));
  return resolveConfig(sources, defaults);
}

export async function runDaemonCommand(
  role: "coordinator" | "worker",
  flags: DaemonFlags,
): Promise<void> {
  tuneHeap();
  const config = configOf(flags, {
    port: role === "coordinator" ? 5432 : 5433,
    dataDir: role === "coordinator" ? "data/coordinator" : "data/worker",
  });
  const logger = createLogger({ level: config.logLevel, name: role });
  const stopProgress = showProgress(role, logger);
  let daemon: Daemon;
  try {
    daemon =
      role === "coordinator"
        ? await startCoordinator(config, logger)
        : await startWorker(config, logger);
  } finally {
    stopProgress();
  }
  stopOnSignals(daemon, logger);
  const coordinator = flags.coordinator ?? process.env["TESSERA_COORDINATOR"];
  if (role === "worker" && coordinator !== undefined) {
    await registerWithCoordinator(coordinator, daemon.port, config, flags, logger);
  }
  process.send?.({ type: "ready", role, port: daemon.port, metricsPort: daemon.metricsPort });
}

/** Shows start-up progress (crash recovery) until the returned function is called. */
function showProgress(role: string, logger: Logger): () => void {
  if (process.send !== undefined && process.env[progressIpcVariable] === "1") {
    return onProgress((progress) => {
      process.send?.({ type: "progress", ...progress });
    });
  }
  const view = progressView(process.stderr, logger);
  return onProgress((progress) => view.update(role, progress));
}

async function registerWithCoordinator(
  coordinator: string,
  port: number,
  config: DaemonConfig,
  flags: DaemonFlags,
  logger: Logger,
): Promise<void> {
  const [host, portText] = coordinator.split(":");
  const [user, password] = Object.entries(config.users)[0] ?? ["postgres", undefined];
  const advertise =
    flags.advertiseHost ??
    process.env["TESSERA_ADVERTISE_HOST"] ??
    (config.host === "0.0.0.0" || config.host === "*" ? ownAddress() : config.host);
  const nodeId = await registerNode({
    coordinator: {
      host: host ?? "127.0.0.1",
      port: Number(portText ?? 5432),
      user,
      ...(password !== undefined && { password }),
    },
    node: { host: advertise, port },
    attemptsMax: 120,
    logger,
  });
  logger.info({ nodeId, coordinator }, "registered with the coordinator");
}

/** The first non-loopback IPv4 address: how other hosts (containers, namespaces) reach us. */
function ownAddress(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === "IPv4" && !address.internal) return address.address;
    }
  }
  return "127.0.0.1";
}

function stopOnSignals(daemon: Daemon, logger: Logger): void {
  let stopping = false;
  const stop = (reason: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, "shutting down");
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    daemon.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ error: String(error) }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  // Under `tessera cluster` the parent holds an IPC channel; its loss means the parent died.
  process.on("disconnect", () => stop("parent exited"));
}
