/**
 * Starts real Tessera processes for tests: `tessera cluster --workers N` (or one daemon)
 * forked from the built CLI, on ephemeral ports, in a temporary data directory. The cluster
 * reports its ports over the IPC channel once every node is up and registered. `stop()` sends
 * SIGTERM, waits for the whole process tree to exit, and removes the data directory.
 */
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = resolve(fileURLToPath(new URL(".", import.meta.url)), "../../..");
export const cliMain = join(repoRoot, "packages/cli/dist/main.js");

export interface TesseraCluster {
  readonly port: number;
  readonly workerPorts: readonly number[];
  /** The /metrics port of a single daemon started with --metrics-port. */
  readonly metricsPort: number | undefined;
  readonly dataDir: string;
  readonly process: ChildProcess;
  /** `postgresql://postgres@127.0.0.1:PORT/postgres` */
  readonly url: string;
  /** Everything the process wrote to stdout and stderr so far (its pino log lines). */
  output(): string;
  /** Stops the cluster; keeps the data directory when `keepData` (for restart tests). */
  stop(options?: { keepData?: boolean; signal?: NodeJS.Signals }): Promise<number | null>;
}

export interface ClusterOptions {
  readonly workers?: number;
  /** Extra CLI flags, e.g. ["--users", "alice:secret"]. */
  readonly args?: readonly string[];
  /** Reuse a data directory (restart tests); a fresh temporary one by default. */
  readonly dataDir?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly role?: "cluster" | "coordinator" | "worker";
  readonly startTimeoutMs?: number;
  /** The coordinator's port (workers take the next ones); ephemeral ports by default. */
  readonly port?: number;
}

/** Starts `tessera cluster` (or a single daemon) and resolves when it is ready. */
export async function startCluster(options: ClusterOptions = {}): Promise<TesseraCluster> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "tessera-test-"));
  const role = options.role ?? "cluster";
  const args = [
    role,
    "--port",
    String(options.port ?? 0),
    "--data-dir",
    dataDir,
    "--log-level",
    "warn",
    ...(role === "cluster" ? ["--workers", String(options.workers ?? 2)] : []),
    ...(options.args ?? []),
  ];
  const child = fork(cliMain, args, {
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    env: { ...process.env, ...options.env },
    // As `tessera cluster` starts its daemons (cli/src/cluster-command.ts).
    execArgv: [...process.execArgv, "--max-semi-space-size=32"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const ready = await waitReady(child, options.startTimeoutMs ?? 60_000, () => output);
  const exited = new Promise<number | null>((done) => {
    if (child.exitCode !== null) done(child.exitCode);
    else child.once("exit", (code) => done(code));
  });
  return {
    port: ready.port,
    workerPorts: ready.workers ?? [],
    metricsPort: ready.metricsPort,
    dataDir,
    process: child,
    url: `postgresql://postgres@127.0.0.1:${ready.port}/postgres`,
    output: () => output,
    async stop(stopOptions = {}) {
      // A SIGKILL is a crash of the whole cluster: its daemons die with it, at once, so none
      // of them is still writing to the data directory when the test restarts or removes it.
      const daemons = stopOptions.signal === "SIGKILL" && child.pid !== undefined
        ? childrenOf(child.pid) : [];
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(stopOptions.signal ?? "SIGTERM");
      }
      for (const pid of daemons) killQuietly(pid);
      const code = await exited;
      await Promise.all(daemons.map(waitGone));
      if (stopOptions.keepData !== true && options.dataDir === undefined) {
        rmSync(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
      }
      return code;
    },
  };
}

/** The pids whose parent is `pid` (Linux's /proc). */
function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (parent === pid) found.push(Number(entry));
    } catch {
      // The process ended while the list was read.
    }
  }
  return found;
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

/** Resolves once `pid` no longer exists (polled: it is not our child). */
async function waitGone(pid: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((done) => setTimeout(done, 25));
  }
}

interface ReadyMessage {
  type: "ready";
  port: number;
  workers?: number[];
  metricsPort?: number;
}

function waitReady(
  child: ChildProcess,
  timeoutMs: number,
  output: () => string,
): Promise<ReadyMessage> {
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      fail(new Error(`tessera did not become ready in ${timeoutMs} ms:\n${output()}`));
    }, timeoutMs);
    child.on("message", (message: unknown) => {
      const ready = message as Partial<ReadyMessage>;
      if (ready.type !== "ready" || typeof ready.port !== "number") return;
      clearTimeout(timer);
      done(ready as ReadyMessage);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`tessera exited with code ${code} before it was ready:\n${output()}`));
    });
  });
}

/** The differential suite's target: one Tessera worker on an ephemeral port. */
export async function startTarget(): Promise<{
  host: string;
  port: number;
  stop(): Promise<void>;
}> {
  const worker = await startCluster({ role: "worker" });
  return {
    host: "127.0.0.1",
    port: worker.port,
    stop: async () => {
      await worker.stop();
    },
  };
}
