/**
 * `tessera cluster`: a whole cluster on this machine. It forks a coordinator on port P and N
 * workers on P+1 … P+N (data in D/coordinator and D/worker-i), waits for each to be ready,
 * registers the workers with the coordinator (idempotent, so a second run on the same data
 * directory finds the same cluster), prints how to connect, and stays in the foreground.
 * SIGINT/SIGTERM stop every child; if one child dies, the others are stopped too. A child
 * replaying its WAL sends its progress, drawn here as a bar (`progress-bar.ts`), and is not
 * timed out while it makes progress.
 */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { join, resolve } from "node:path";
import { createLogger, limits, type Logger } from "@tessera/base";
import { parseBytes } from "@tessera/worker";
import { registerNode } from "@tessera/coordinator";
import { configOf, progressIpcVariable, type DaemonFlags } from "./daemon-command.js";
import { progressMessage, progressView, type ProgressView } from "./progress-bar.js";
import { clusterPassword } from "./cluster-password.js";
import { youngGenerationFlag } from "./heap-tuning.js";

export interface ClusterFlags extends DaemonFlags {
  workers: string;
}

const mainPath = fileURLToPath(new URL("./main.js", import.meta.url));
const childStopMs = 10_000;
const childReadyMs = 60_000;

interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  readonly port: number;
}

export async function runClusterCommand(flags: ClusterFlags): Promise<void> {
  const config = configOf(flags, { port: 5432, dataDir: "data" });
  const workerCount = Number(flags.workers);
  if (!Number.isInteger(workerCount) || workerCount < 0 || workerCount > 64) {
    throw new Error(`invalid worker count: ${flags.workers}`);
  }
  const logger = createLogger({ level: config.logLevel, name: "cluster" });
  const dataDir = resolve(config.dataDir);
  const shared = sharedArgs(flags);
  // Every child inherits the credential through its environment, never its command line.
  process.env["TESSERA_CLUSTER_PASSWORD"] =
    clusterPassword(join(dataDir, "coordinator"), config.clusterPassword);
  const children: Child[] = [];
  const stopAll = stopper(children, logger);
  const view = progressView(process.stderr, logger);
  process.on("SIGINT", () => void stopAll("SIGINT", 0));
  process.on("SIGTERM", () => void stopAll("SIGTERM", 0));
  try {
    children.push(
      await startChild(
        "coordinator",
        config.port,
        [
          "coordinator",
          "--port",
          String(config.port),
          "--data-dir",
          join(dataDir, "coordinator"),
          ...shared,
          ...metricsArgs(config.metricsPort, 0),
        ],
        stopAll,
        view,
      ),
    );
    for (let i = 1; i <= workerCount; i++) {
      const port = config.port === 0 ? 0 : config.port + i;
      children.push(
        await startChild(
          `worker-${i}`,
          port,
          ["worker", "--port", String(port), "--data-dir", join(dataDir, `worker-${i}`), ...shared,
            ...metricsArgs(config.metricsPort, i)],
          stopAll,
          view,
        ),
      );
    }
    const [user, password] = Object.entries(config.users)[0] ?? ["postgres", undefined];
    const coordinator = children[0]!;
    for (const worker of children.slice(1)) {
      await registerNode({
        coordinator: {
          host: "127.0.0.1",
          port: coordinator.port,
          user,
          ...(password !== undefined && { password }),
        },
        node: { host: "127.0.0.1", port: worker.port },
        attemptsMax: 30,
        logger,
      });
    }
    const url = `postgresql://${user}@127.0.0.1:${coordinator.port}/postgres`;
    process.stdout.write(
      `Tessera cluster ready: coordinator on port ${coordinator.port}, ` +
        `${workerCount} worker(s) on ${
          children
            .slice(1)
            .map((c) => c.port)
            .join(", ") || "-"
        }\n` +
        `connect with: psql "${url}"\n`,
    );
    process.send?.({
      type: "ready",
      role: "cluster",
      port: coordinator.port,
      workers: children.slice(1).map((c) => c.port),
    });
  } catch (error) {
    logger.error({ error: String(error) }, "cluster failed to start");
    await stopAll("start-up failed", 1);
  }
}

/**
 * `/metrics` of each daemon: the coordinator on the metrics port M, worker i on M + i (all
 * ephemeral when M is 0), as the SQL ports are laid out; given as a flag so that a metrics port
 * in the environment or the config file does not send every daemon to the same port.
 */
function metricsArgs(base: number | undefined, offset: number): string[] {
  if (base === undefined) return [];
  return ["--metrics-port", String(base === 0 ? 0 : base + offset)];
}

function sharedArgs(flags: DaemonFlags): string[] {
  const args: string[] = [];
  const pairs: [string, string | undefined][] = [
    ["--host", flags.host],
    ["--log-level", flags.logLevel],
    ["--users", flags.users],
    ["--tls-cert", flags.tlsCert],
    ["--tls-key", flags.tlsKey],
    ["--max-connections", flags.maxConnections],
    ["--memory-limit", flags.memoryLimit],
    ["--max-wal-size", flags.maxWalSize],
    ["--checkpoint-timeout", flags.checkpointTimeout],
    ["--config", flags.config],
  ];
  for (const [name, value] of pairs) if (value !== undefined) args.push(name, value);
  return args;
}

/** Forks one daemon and waits for its "ready" message; a child that exits first fails this. */
function startChild(
  name: string,
  port: number,
  args: string[],
  stopAll: (reason: string, code: number) => Promise<void>,
  view: ProgressView,
): Promise<Child> {
  const child = fork(mainPath, args, { stdio: ["ignore", "inherit", "inherit", "ipc"],
    env: { ...process.env, [progressIpcVariable]: "1" },
    execArgv: [...process.execArgv, `--max-old-space-size=${heapMegabytes(args)}`,
      youngGenerationFlag] });
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not start within ${childReadyMs} ms`)),
      childReadyMs,
    );
    child.on("message", (message: unknown) => {
      const progress = progressMessage(message);
      if (progress !== undefined) {
        view.update(name, progress);
        timer.refresh(); // a child replaying its WAL is alive: the start-up limit starts again
        return;
      }
      const ready = message as { type?: string; port?: number };
      if (ready.type !== "ready") return;
      clearTimeout(timer);
      resolvePromise({ name, process: child, port: ready.port ?? port });
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (code ${code ?? "none"}, signal ${signal ?? "none"})`));
      void stopAll(`${name} exited`, 1);
    });
  });
}

/** Returns a function that stops every child once, then exits with `code`. */
function stopper(
  children: Child[],
  logger: Logger,
): (reason: string, code: number) => Promise<void> {
  let stopping = false;
  return async (reason, code) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, "stopping cluster");
    await Promise.all(children.map((child) => stopChild(child)));
    process.exit(code);
  };
}

function stopChild(child: Child): Promise<void> {
  const proc = child.process;
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const kill = setTimeout(() => proc.kill("SIGKILL"), childStopMs);
    proc.once("exit", () => {
      clearTimeout(kill);
      done();
    });
    proc.kill("SIGTERM");
  });
}

/**
 * V8's old-space size for a daemon: its memory limit plus a quarter and 512 MB of room, so
 * the daemon's own 53200 check fires before V8 would abort the process.
 */
function heapMegabytes(args: readonly string[]): number {
  const flag = args.indexOf("--memory-limit");
  const text = flag >= 0 ? args[flag + 1] : process.env["TESSERA_MEMORY_LIMIT"];
  const bytes = parseBytes(text);
  return Math.ceil((bytes * 1.25) / limits.MiB) + 512;
}
