/**
 * `make bench`: Tessera against a real PostgreSQL 15 started in the same run, on the IoT data
 * set of the Citus tutorial. Starts both servers, loads the same data into both, measures each
 * section (see config.ts for the knobs), prints Tessera/PostgreSQL ratios next to the targets
 * of the engine issue, and writes everything to `.bench/results-<timestamp>.json`.
 *
 * PostgreSQL runs with max_parallel_workers_per_gather=0 (one core per query, as one Tessera
 * worker) and fsync=on (Tessera fsyncs its WAL at commit); everything else is the harness's
 * default. The sections of the durability issue (pgbench, checkpoint, recovery) are in
 * pgbench-sections.ts, checkpoint.ts and recovery.ts; the distributed issue's in distributed.ts
 * (which gives PostgreSQL back its default parallelism for the comparison with 2 workers).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import {
  startCluster, startReferencePostgres, type ReferencePostgres, type TesseraCluster,
} from "../harness/index.js";
import { DATA_SECTIONS, configFromEnv, type BenchConfig } from "./config.js";
import { errorMessage, loadDataset } from "./load.js";
import { connect, disconnect, withTimeout } from "./measure.js";
import { formatTable, writeReport, type ResultRow } from "./report.js";
import {
  ENGINES, copyRow, pointLookupRows, progress, timedQueryRows, type BenchContext, type Target,
} from "./sections.js";
import { checkpointRows } from "./checkpoint.js";
import { distributedRows } from "./distributed.js";
import { pgbenchRows } from "./pgbench-sections.js";
import { recoveryRows } from "./recovery.js";

const repoRoot = resolve(fileURLToPath(new URL(".", import.meta.url)), "../../..");
const PG_SETTINGS = { max_parallel_workers_per_gather: 0, fsync: "on" } as const;

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** VmRSS and VmHWM of a process, in MiB, from /proc/<pid>/status. */
function memoryOf(pid: number): { rssMiB: number; peakMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
    if (match === null) throw new Error(`no ${field} in /proc/${pid}/status`);
    return Number(match[1]);
  };
  return { rssMiB: kib("VmRSS") / 1024, peakMiB: kib("VmHWM") / 1024 };
}

function memoryRow(tessera: TesseraCluster | Error, when: string): ResultRow {
  const row: ResultRow = {
    section: "memory", label: `Tessera worker RSS ${when}`, unit: "MiB", higherIsBetter: false,
    sides: { PostgreSQL: {}, Tessera: {} }, notes: [],
  };
  try {
    if (tessera instanceof Error) throw tessera;
    const pid = tessera.process.pid;
    if (pid === undefined) throw new Error("the worker has no pid");
    const memory = memoryOf(pid);
    row.sides.Tessera.value = memory.rssMiB;
    row.sides.Tessera.detail = { pid, ...memory };
    row.notes.push(`worker pid ${pid}: VmRSS ${memory.rssMiB.toFixed(1)} MiB, `
      + `peak (VmHWM) ${memory.peakMiB.toFixed(1)} MiB ${when}`);
  } catch (error) {
    row.sides.Tessera.error = errorMessage(error);
  }
  return row;
}

async function loadBoth(ctx: BenchContext): Promise<void> {
  for (const engine of ENGINES) {
    const target = ctx.targets[engine];
    if (target instanceof Error) {
      ctx.loads[engine] = new Error(`server did not start: ${target.message}`);
      continue;
    }
    progress(`loading ${ctx.config.events} events into ${engine}`);
    try {
      const load = await loadDataset(target.url, ctx.config,
        { fallbackToInsert: engine === "Tessera" });
      ctx.loads[engine] = load;
      progress(`${engine}: ${load.method} ${Math.round(load.rowsPerSecond)} rows/s`);
    } catch (error) {
      ctx.loads[engine] = new Error(errorMessage(error));
      progress(`loading ${engine}: FAILED: ${errorMessage(error)}`);
    }
  }
}

/** A section still running after this is abandoned (FAILED) so the run can report. */
const SECTION_TIMEOUT_MS = 2 * 3600_000;

/** Runs one section; a bug or an unexpected throw becomes a FAILED row, not the end of the run. */
async function guarded(section: string, work: () => Promise<ResultRow[]>): Promise<ResultRow[]> {
  try {
    return await withTimeout(work(), SECTION_TIMEOUT_MS, `section ${section}`);
  } catch (error) {
    const message = errorMessage(error);
    progress(`${section}: FAILED: ${message}`);
    return [{ section, label: section, unit: "", higherIsBetter: false, notes: [],
      sides: { PostgreSQL: { error: message }, Tessera: { error: message } } }];
  }
}

async function serverVersion(target: Target | Error): Promise<string> {
  if (target instanceof Error) return `not started: ${target.message}`;
  const sql = connect(target.url);
  try {
    const rows = await sql.unsafe("show server_version").simple();
    return String(rows[0]?.["server_version"] ?? "?");
  } catch (error) {
    return `unknown (${errorMessage(error)})`;
  } finally {
    await disconnect(sql);
  }
}

/** The 1-minute load average, flagged when other work competes with the bench for the CPUs. */
function loadText(): string {
  const load = loadavg()[0] ?? 0;
  const busy = load > cpus().length ? " (BUSY MACHINE: other processes compete, "
    + "figures are noisy)" : "";
  return `${load.toFixed(2)} on ${cpus().length} cpus${busy}`;
}

function gitCommit(): string {
  try {
    const git = (args: string[]): string => execFileSync("git", args,
      { cwd: repoRoot, stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
    const head = git(["rev-parse", "--short", "HEAD"]);
    const dirty = git(["status", "--porcelain"]).length > 0;
    return dirty ? `${head}+dirty` : head;
  } catch {
    return "unknown";
  }
}

async function environmentOf(targets: BenchContext["targets"]): Promise<Record<string, string>> {
  return {
    commit: gitCommit(),
    node: process.version,
    cpus: `${cpus().length} x ${cpus()[0]?.model ?? "?"}`,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    loadAtStart: loadText(),
    postgresql: await serverVersion(targets.PostgreSQL),
    tessera: await serverVersion(targets.Tessera),
    postgresqlSettings: Object.entries(PG_SETTINGS).map(([k, v]) => `${k}=${v}`).join(" "),
  };
}

async function measureAll(ctx: BenchContext,
  tessera: TesseraCluster | Error): Promise<ResultRow[]> {
  const { sections } = ctx.config;
  const rows: ResultRow[] = [];
  if ([...sections].some((s) => DATA_SECTIONS.has(s))) {
    await loadBoth(ctx);
    if (sections.has("copy")) rows.push(copyRow(ctx));
    rows.push(memoryRow(tessera, "after load"));
  }
  rows.push(...await guarded("queries", () => timedQueryRows(ctx)));
  rows.push(...await guarded("point lookups", () => pointLookupRows(ctx)));
  if (sections.has("pgbench")) rows.push(...await guarded("pgbench", () => pgbenchRows(ctx)));
  if (sections.has("checkpoint")) {
    rows.push(...await guarded("checkpoint", () => checkpointRows(ctx)));
  }
  if (sections.has("distributed")) {
    rows.push(...await guarded("distributed", () => distributedRows(ctx)));
  }
  if (sections.has("recovery")) {
    rows.push(...await guarded("recovery", () => recoveryRows(ctx.config)));
  }
  rows.push(memoryRow(tessera, "at the end"));
  return rows;
}

function targetOf(name: "PostgreSQL" | "Tessera",
  server: ReferencePostgres | TesseraCluster | Error): Target | Error {
  if (server instanceof Error) return server;
  const target = { name, url: server.url, port: server.port };
  return "process" in server ? { ...target, dataDir: server.dataDir } : target;
}

function configSummary(config: BenchConfig): Record<string, unknown> {
  return { ...config, sections: [...config.sections] };
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const clock = performance.now();
  const config = configFromEnv(process.env);
  progress(`events=${config.events} seconds=${config.seconds} pgbench=${config.pgbenchSeconds}s `
    + `sections=${[...config.sections].join(",")}`);
  const pg = await startReferencePostgres({ settings: PG_SETTINGS }).catch(toError);
  const tessera = await startCluster({ role: "worker" }).catch(toError);
  try {
    const targets = {
      PostgreSQL: targetOf("PostgreSQL", pg), Tessera: targetOf("Tessera", tessera),
    };
    const ctx: BenchContext = { config, targets, loads: {}, pgbenchInits: {} };
    const environment = await environmentOf(targets);
    const rows = await measureAll(ctx, tessera);
    environment["loadAtEnd"] = loadText();
    const knobs = Object.entries(process.env).filter(([k]) => k.startsWith("BENCH_"))
      .map(([k, v]) => `${k}=${v ?? ""}`);
    const command = [...knobs, "node test/dist/bench/run.js"].join(" ");
    const minutes = ((performance.now() - clock) / 60_000).toFixed(1);
    console.log(`\nTessera vs PostgreSQL — ${command}  (${minutes} min)`);
    console.log(Object.entries(environment).map(([k, v]) => `  ${k}: ${v}`).join("\n"));
    console.log(`  events: ${config.events}, devices: ${config.devices}, `
      + `device types: ${config.deviceTypes}; timed queries: warm-up + median of 3\n`);
    console.log(formatTable(rows));
    const path = writeReport(join(repoRoot, ".bench"), { startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(), command, environment,
      config: configSummary(config), rows });
    console.log(`\nresults: ${path}`);
  } finally {
    if (!(tessera instanceof Error)) await tessera.stop().catch(() => null);
    if (!(pg instanceof Error)) await pg.stop().catch(() => {});
  }
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(`bench failed: ${errorMessage(error)}`);
  process.exit(1);
});
