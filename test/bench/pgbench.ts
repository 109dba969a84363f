/**
 * The real `pgbench` against one server: `pgbench -i -s N` (which drops and creates the
 * pgbench_* tables, generates them client-side through COPY, vacuums and adds the primary
 * keys), then timed runs: the select-only `pgbench -S -c 8 -j 2 -T S -M prepared`, or a custom
 * script (the IoT point lookup). A failing pgbench becomes an Error carrying the end of its
 * output, for the report.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

export interface PgbenchInit {
  readonly seconds: number;
  /** pgbench's own breakdown, e.g. "done in 3.10 s (drop tables 0.00 s, ...)". */
  readonly detail: string;
}

export interface PgbenchRun {
  readonly tps: number;
  readonly latencyMs: number | undefined;
  readonly transactions: number | undefined;
}

interface Output {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runPgbench(args: readonly string[], timeoutMs: number, cwd?: string): Promise<Output> {
  return new Promise((resolve, reject) => {
    execFile("pgbench", [...args], {
      ...(cwd !== undefined && { cwd }),
      timeout: timeoutMs,
      maxBuffer: 64 << 20,
      env: { ...process.env, PGCONNECT_TIMEOUT: "30", PGSSLMODE: "disable" },
    }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== "number") {
        const killed = error.killed === true ? ` (killed after ${timeoutMs / 1000} s)` : "";
        reject(new Error(`pgbench ${args.join(" ")}: ${error.message}${killed}\n${tail(stderr)}`));
        return;
      }
      resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
    });
  });
}

function connArgs(port: number): string[] {
  return ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres"];
}

/** The last lines of pgbench's output, where its error is. */
function tail(text: string, lines = 6): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

export async function pgbenchInit(port: number, scale: number,
  timeoutMs: number): Promise<PgbenchInit> {
  const start = performance.now();
  const out = await runPgbench(["-i", "-s", String(scale), ...connArgs(port), "postgres"],
    timeoutMs);
  const seconds = (performance.now() - start) / 1000;
  if (out.code !== 0) {
    throw new Error(`pgbench -i -s ${scale} exited with ${out.code}:\n${tail(out.stderr)}`);
  }
  const detail = /done in [^\n]*/.exec(out.stderr)?.[0] ?? "";
  return { seconds, detail };
}

/** `pgbench -n -T seconds <args>`: a timed run; `args` pick the script, clients and threads. */
export async function pgbenchRun(port: number, args: readonly string[],
  seconds: number, cwd?: string): Promise<PgbenchRun> {
  const all = ["-n", "-T", String(seconds), ...args, ...connArgs(port), "postgres"];
  const out = await runPgbench(all, seconds * 1000 + 120_000, cwd);
  const tps = /tps = ([0-9.]+) \(without initial connection time\)/.exec(out.stdout)?.[1];
  if (out.code !== 0 || tps === undefined) {
    throw new Error(`pgbench ${[...args].join(" ")} exited with ${out.code}:\n`
      + tail(`${out.stderr}\n${out.stdout}`));
  }
  const latency = /latency average = ([0-9.]+) ms/.exec(out.stdout)?.[1];
  const transactions = /number of transactions actually processed: (\d+)/.exec(out.stdout)?.[1];
  return {
    tps: Number(tps),
    latencyMs: latency === undefined ? undefined : Number(latency),
    transactions: transactions === undefined ? undefined : Number(transactions),
  };
}

/** Runs a custom pgbench script (written to a temporary file) with `clients` connections. */
export async function pgbenchScript(port: number, script: string, clients: number,
  seconds: number): Promise<PgbenchRun> {
  const dir = await mkdtemp(join(tmpdir(), "tessera-bench-"));
  try {
    const file = join(dir, "script.sql");
    await writeFile(file, script);
    const threads = String(Math.min(clients, 2));
    return await pgbenchRun(port, ["-f", file, "-c", String(clients), "-j", threads,
      "-M", "prepared"], seconds);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** One transaction of a `pgbench -l` log: when it ended (ms since the epoch) and its latency. */
export interface LoggedTransaction {
  readonly endMs: number;
  readonly latencyMs: number;
}

export interface LoggedRun extends PgbenchRun {
  readonly logged: readonly LoggedTransaction[];
}

/**
 * `pgbenchRun` with `-l`: every transaction's latency, from the per-thread log files pgbench
 * writes into its working directory (`client_id transaction_no time_us script_no epoch_s us`).
 */
export async function pgbenchLoggedRun(port: number, args: readonly string[],
  seconds: number): Promise<LoggedRun> {
  const dir = await mkdtemp(join(tmpdir(), "tessera-bench-log-"));
  try {
    const run = await pgbenchRun(port, [...args, "-l", "--log-prefix", "tx"], seconds, dir);
    const logged: LoggedTransaction[] = [];
    for (const name of await readdir(dir)) {
      if (!name.startsWith("tx.")) continue;
      for (const line of (await readFile(join(dir, name), "utf8")).split("\n")) {
        const fields = line.trim().split(/\s+/);
        if (fields.length < 6 || fields[2] === "skipped" || fields[2] === "failed") continue;
        const latencyUs = Number(fields[2]);
        const endMs = Number(fields[4]) * 1000 + Number(fields[5]) / 1000;
        if (Number.isFinite(latencyUs) && Number.isFinite(endMs)) {
          logged.push({ endMs, latencyMs: latencyUs / 1000 });
        }
      }
    }
    return { ...run, logged };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
