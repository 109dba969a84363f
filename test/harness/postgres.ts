/**
 * A real PostgreSQL 15 for tests: the reference side of differential tests and the yardstick
 * of benchmarks. Each call gets its own data directory (initdb --locale=C, trust auth, user
 * `postgres`), its own socket directory and a free TCP port on 127.0.0.1; `stop()` kills the
 * server (`pg_ctl stop -m immediate`) and deletes everything. initdb refuses to run as root,
 * so under root the server runs as the OS user `tessera_pg`, created on first use.
 *
 * Needs nothing but node and the PostgreSQL binaries (`/usr/lib/postgresql/15/bin`, or
 * `TESSERA_PG_BIN`).
 */
import { execFile, execFileSync } from "node:child_process";
import { chown, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "./ports.js";

const run = promisify(execFile);

export type PostgresSetting = string | number | boolean;

export interface ReferencePostgresOptions {
  /** Server settings passed as `-c name=value`, e.g. `{ max_parallel_workers_per_gather: 0 }`. */
  readonly settings?: Readonly<Record<string, PostgresSetting>>;
  /** Directory of `initdb`, `pg_ctl`, `postgres`. Default: `TESSERA_PG_BIN` or PG 15's. */
  readonly binDir?: string;
  /** OS user that owns and runs the server when we are root. Default `tessera_pg`. */
  readonly osUser?: string;
  /** Parent of the temporary directory; must be traversable by `osUser`. Default: os.tmpdir(). */
  readonly baseDir?: string;
  /** How often to retry with a new port when the chosen one was taken meanwhile. Default 3. */
  readonly portAttempts?: number;
}

export interface ReferencePostgres {
  readonly host: string;
  readonly port: number;
  /** Superuser name (trust auth, no password). */
  readonly user: string;
  readonly database: string;
  /** `postgres://postgres@127.0.0.1:PORT/postgres` */
  readonly url: string;
  readonly dataDir: string;
  readonly socketDir: string;
  /** Kills the server and removes its directories. Safe to call twice. */
  stop(): Promise<void>;
}

const DEFAULT_BIN = "/usr/lib/postgresql/15/bin";
const DEFAULT_OS_USER = "tessera_pg";
const HOST = "127.0.0.1";
const USER = "postgres";

/** Defaults that make output independent of the machine; options.settings override them. */
const DEFAULT_SETTINGS: Readonly<Record<string, PostgresSetting>> = {
  fsync: "off",
  max_connections: 100,
  TimeZone: "UTC",
  log_timezone: "UTC",
  DateStyle: "ISO, MDY",
  IntervalStyle: "postgres",
  lc_messages: "C",
};

interface Runner {
  /** Runs a PostgreSQL binary as the server's OS user; rejects with its output on failure. */
  exec(bin: string, args: readonly string[], cwd: string): Promise<string>;
  /** The same, synchronously and ignoring failures (for the exit hook). */
  execSyncQuiet(bin: string, args: readonly string[]): void;
  /** Hands a directory we created to the server's OS user. */
  own(path: string): Promise<void>;
}

/** One server's files and the way to run its binaries. */
interface Instance {
  readonly runner: Runner;
  readonly pgCtl: string;
  /** The temporary directory holding everything below; removed by stop(). */
  readonly root: string;
  readonly dataDir: string;
  readonly socketDir: string;
  readonly logFile: string;
}

/** Instances not stopped yet; killed on process exit so a failed test leaves no server. */
const running = new Set<Instance>();
let exitHookInstalled = false;

export async function startReferencePostgres(
  options: ReferencePostgresOptions = {},
): Promise<ReferencePostgres> {
  const binDir = options.binDir ?? process.env["TESSERA_PG_BIN"] ?? DEFAULT_BIN;
  const runner = await makeRunner(options.osUser ?? DEFAULT_OS_USER);
  const root = await mkdtemp(join(options.baseDir ?? tmpdir(), "tessera-pg-"));
  const instance: Instance = {
    runner,
    pgCtl: join(binDir, "pg_ctl"),
    root,
    dataDir: join(root, "data"),
    socketDir: join(root, "sock"),
    logFile: join(root, "postgres.log"),
  };
  const { dataDir, socketDir, pgCtl } = instance;
  try {
    await mkdir(socketDir);
    await runner.own(root);
    await runner.own(socketDir);
    await runner.exec(
      join(binDir, "initdb"),
      ["-D", dataDir, "--locale=C", "-E", "UTF8", "-A", "trust", "-U", USER, "--no-sync"],
      root,
    );
    const settings = mergeSettings(DEFAULT_SETTINGS, options.settings ?? {});
    const port = await startOnFreePort(instance, settings, options.portAttempts ?? 3);
    running.add(instance);
    installExitHook();
    let stopped = false;
    return {
      host: HOST,
      port,
      user: USER,
      database: "postgres",
      url: `postgres://${USER}@${HOST}:${port}/postgres`,
      dataDir,
      socketDir,
      async stop(): Promise<void> {
        if (stopped) return;
        stopped = true;
        running.delete(instance);
        try {
          await runner.exec(pgCtl, ["-D", dataDir, "-m", "immediate", "-w", "stop"], root);
        } finally {
          await rm(root, { recursive: true, force: true });
        }
      },
    };
  } catch (err) {
    runner.execSyncQuiet(pgCtl, ["-D", dataDir, "-m", "immediate", "stop"]);
    await rm(root, { recursive: true, force: true });
    throw err;
  }
}

/** Starts the server on a free port, retrying when another process took the port first. */
async function startOnFreePort(
  instance: Instance,
  settings: ReadonlyMap<string, PostgresSetting>,
  attempts: number,
): Promise<number> {
  const { runner, pgCtl, dataDir, socketDir, logFile, root } = instance;
  for (let attempt = 1; ; attempt++) {
    const port = await freePort(HOST);
    const opts = [
      `-p ${port}`,
      `-k ${shellQuote(socketDir)}`,
      `-c listen_addresses=${HOST}`,
      ...[...settings].map(([name, value]) => `-c ${name}=${shellQuote(String(value))}`),
    ].join(" ");
    try {
      await runner.exec(
        pgCtl,
        ["-w", "-t", "60", "-D", dataDir, "-l", logFile, "-o", opts, "start"],
        root,
      );
      return port;
    } catch (err) {
      const log = await readFile(logFile, "utf8").catch(() => "");
      const portTaken = /could not (bind|create listen socket)|already in use/i.test(log);
      if (!portTaken || attempt >= attempts) {
        throw new Error(`PostgreSQL did not start: ${errorText(err)}\n--- server log ---\n${log}`);
      }
      runner.execSyncQuiet(pgCtl, ["-D", dataDir, "-m", "immediate", "stop"]);
    }
  }
}

function mergeSettings(
  defaults: Readonly<Record<string, PostgresSetting>>,
  overrides: Readonly<Record<string, PostgresSetting>>,
): ReadonlyMap<string, PostgresSetting> {
  // Setting names are case-insensitive in PostgreSQL; key on the lower-case name.
  const merged = new Map<string, PostgresSetting>();
  for (const [name, value] of [...Object.entries(defaults), ...Object.entries(overrides)]) {
    if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(name)) throw new Error(`bad setting name: ${name}`);
    merged.set(name.toLowerCase(), value);
  }
  return merged;
}

/** pg_ctl hands `-o` to /bin/sh, so every value is single-quoted. */
function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

function errorText(err: unknown): string {
  if (err instanceof Error) {
    const out = err as Error & { stdout?: unknown; stderr?: unknown };
    const extra = [out.stdout, out.stderr].filter((s) => typeof s === "string" && s !== "");
    return [err.message, ...extra].join("\n");
  }
  return String(err);
}

let ensuredUser: Promise<{ uid: number; gid: number }> | undefined;

async function makeRunner(osUser: string): Promise<Runner> {
  const env = { ...process.env, LC_ALL: "C", LANG: "C", TZ: "UTC" };
  const asRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!asRoot) {
    return {
      async exec(bin, args, cwd) {
        return execOrExplain(bin, args, cwd, env);
      },
      execSyncQuiet(bin, args) {
        quietSync(bin, args, env);
      },
      async own() {},
    };
  }
  ensuredUser ??= ensureOsUser(osUser);
  const { uid, gid } = await ensuredUser;
  const wrap = (bin: string, args: readonly string[]): string[] => [
    "-u",
    osUser,
    "--",
    bin,
    ...args,
  ];
  return {
    async exec(bin, args, cwd) {
      return execOrExplain("runuser", wrap(bin, args), cwd, env);
    },
    execSyncQuiet(bin, args) {
      quietSync("runuser", wrap(bin, args), env);
    },
    async own(path) {
      await chown(path, uid, gid);
    },
  };
}

async function execOrExplain(
  bin: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<string> {
  try {
    const { stdout } = await run(bin, [...args], { cwd, env, maxBuffer: 16 << 20 });
    return stdout;
  } catch (err) {
    throw new Error(`${bin} ${args.join(" ")} failed: ${errorText(err)}`);
  }
}

function quietSync(bin: string, args: readonly string[], env: NodeJS.ProcessEnv): void {
  try {
    execFileSync(bin, [...args], { env, stdio: "ignore", cwd: "/" });
  } catch {
    // Already stopped, or never started: nothing to do.
  }
}

/** Creates the OS user when missing; tolerates a concurrent test process creating it too. */
async function ensureOsUser(osUser: string): Promise<{ uid: number; gid: number }> {
  const lookup = async (): Promise<{ uid: number; gid: number } | undefined> => {
    try {
      const uid = Number((await run("id", ["-u", osUser])).stdout.trim());
      const gid = Number((await run("id", ["-g", osUser])).stdout.trim());
      return { uid, gid };
    } catch {
      return undefined;
    }
  };
  const found = await lookup();
  if (found) return found;
  try {
    await run("useradd", ["-m", "-s", "/bin/sh", osUser]);
  } catch (err) {
    // Exit status 9: the user appeared meanwhile. Anything else is re-checked below.
    if (!(await lookup())) throw new Error(`useradd ${osUser} failed: ${errorText(err)}`);
  }
  const created = await lookup();
  if (!created) throw new Error(`OS user ${osUser} is missing after useradd`);
  return created;
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const entry of running) {
      entry.runner.execSyncQuiet(entry.pgCtl, ["-D", entry.dataDir, "-m", "immediate", "stop"]);
      rmSync(entry.root, { recursive: true, force: true });
    }
    running.clear();
  });
}
