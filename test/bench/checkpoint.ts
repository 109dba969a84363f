/**
 * Checkpoint pauses as clients see them: `pgbench` TPC-B (`-c 8 -j 2 -M prepared`, every
 * transaction's latency logged with `-l`) runs for BENCH_CHECKPOINT_SECONDS while a side
 * connection forces a checkpoint at 1/4, 2/4 and 3/4 of the run, and the rows report the worst
 * latency and the 99th percentile over the whole run.
 *
 * Tessera has neither the CHECKPOINT statement (CheckPointStmt is refused) nor a checkpoint
 * interval setting: its worker checkpoints on its own after 64 MiB of WAL
 * (`limits.checkpointWalBytes`). So Tessera runs first: at each moment the side connection
 * writes 1 MiB rows into `bench_filler` until a new snapshot file appears in the data directory
 * (`<data>/snapshot/*.snap`). PostgreSQL then replays that schedule: at the moments Tessera's
 * bursts started, the same MiB of filler, then `CHECKPOINT` (BENCH_CHECKPOINT_FILL_MB at 1/4,
 * 2/4, 3/4 when Tessera checkpointed none). Both pay for the same side writes; the notes say
 * when each burst ran and whether its checkpoint completed during the run.
 */
import { randomBytes } from "node:crypto";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { errorMessage } from "./load.js";
import { connect, disconnect, type Sql } from "./measure.js";
import { pgbenchLoggedRun, type LoggedTransaction } from "./pgbench.js";
import { requirePgbench } from "./pgbench-sections.js";
import type { EngineName, ResultRow, Side } from "./report.js";
import { progress, type BenchContext, type Target } from "./sections.js";

/** Bytes of one filler row: its value is random base64, which neither engine can compress. */
const FILL_ROW_BYTES = 1 << 20;
/** A Tessera burst gives up after this much filler without a checkpoint. */
const TESSERA_FILL_CAP_MB = 192;
const CHECKPOINT_MOMENTS = [0.25, 0.5, 0.75] as const;

/** When a burst starts (ms after the run started) and what PostgreSQL writes before CHECKPOINT. */
interface PlannedBurst {
  readonly atMs: number;
  readonly fillMB: number;
}

interface Burst {
  /** Milliseconds after the run started. */
  readonly startMs: number;
  readonly endMs: number;
  readonly writtenMB: number;
  /** Whether a checkpoint completed (PostgreSQL's CHECKPOINT, Tessera's new snapshot). */
  readonly checkpointed: boolean;
}

interface CheckpointRun {
  readonly tps: number;
  readonly transactions: number;
  readonly maxMs: number;
  readonly p99Ms: number;
  /** The worst latency of transactions that ended outside every burst (+1 s after it). */
  readonly maxOutsideMs: number;
  readonly bursts: readonly Burst[];
}

export async function checkpointRows(ctx: BenchContext): Promise<ResultRow[]> {
  const seconds = ctx.config.checkpointSeconds;
  const label = `pgbench TPC-B -c 8 -j 2 -T ${seconds} -M prepared, forced checkpoints`;
  const max: ResultRow = { section: "checkpoint", label: `${label}: max latency`, unit: "ms",
    higherIsBetter: false, sides: { PostgreSQL: {}, Tessera: {} }, notes: [] };
  const p99: ResultRow = { section: "checkpoint", label: `${label}: p99 latency`, unit: "ms",
    higherIsBetter: false, sides: { PostgreSQL: {}, Tessera: {} }, notes: [] };
  let plan: readonly PlannedBurst[] = CHECKPOINT_MOMENTS.map((at) => ({
    atMs: at * seconds * 1000, fillMB: ctx.config.checkpointFillMB }));
  for (const engine of ["Tessera", "PostgreSQL"] as const) {
    const target = ctx.targets[engine];
    try {
      if (target instanceof Error) throw new Error(`server did not start: ${target.message}`);
      await requirePgbench(ctx, target);
      const run = await checkpointRun(ctx, target, plan);
      if (engine === "Tessera" && run.bursts.some((b) => b.checkpointed)) {
        plan = run.bursts.filter((b) => b.checkpointed)
          .map((b) => ({ atMs: b.startMs, fillMB: b.writtenMB }));
      }
      const detail = { ...run };
      max.sides[engine] = { value: run.maxMs, detail };
      p99.sides[engine] = { value: run.p99Ms, detail };
      max.notes.push(describe(engine, run));
      progress(`checkpoint on ${engine}: max ${run.maxMs.toFixed(1)} ms, `
        + `p99 ${run.p99Ms.toFixed(1)} ms`);
    } catch (error) {
      const side: Side = { error: errorMessage(error) };
      max.sides[engine] = side;
      p99.sides[engine] = side;
      progress(`checkpoint on ${engine}: FAILED: ${side.error}`);
    }
  }
  return [max, p99];
}

function describe(engine: EngineName, run: CheckpointRun): string {
  const bursts = run.bursts.map((b) => `${(b.startMs / 1000).toFixed(1)}-`
    + `${(b.endMs / 1000).toFixed(1)} s ${b.writtenMB} MiB`
    + (b.checkpointed ? "" : " NO CHECKPOINT"));
  const done = run.bursts.filter((b) => b.checkpointed).length;
  return `${engine}: ${Math.round(run.tps)} tps, ${run.transactions} transactions; `
    + `${done} checkpoints during the run (side writes: ${bursts.join("; ") || "none"}); `
    + `max latency outside the side writes ${run.maxOutsideMs.toFixed(1)} ms`;
}

async function checkpointRun(ctx: BenchContext, target: Target,
  plan: readonly PlannedBurst[]): Promise<CheckpointRun> {
  const seconds = ctx.config.checkpointSeconds;
  const sql = connect(target.url);
  try {
    await sql.unsafe("drop table if exists bench_filler").simple();
    await sql.unsafe("create table bench_filler (id int, v text)").simple();
    const stop = { done: false };
    const startedAt = performance.now();
    const startedEpochMs = Date.now();
    const pgbench = pgbenchLoggedRun(target.port, ["-c", "8", "-j", "2", "-M", "prepared"],
      seconds).finally(() => (stop.done = true));
    const writer = sideWriter(target, sql, plan, { startedAt, stop });
    const [ran, wrote] = await Promise.allSettled([pgbench, writer]);
    if (ran.status === "rejected") throw ran.reason;
    if (wrote.status === "rejected") throw wrote.reason;
    const [run, bursts] = [ran.value, wrote.value];
    await sql.unsafe("drop table bench_filler").simple();
    const latencies = run.logged.map((t) => t.latencyMs).sort((a, b) => a - b);
    if (latencies.length === 0) throw new Error("pgbench logged no transaction");
    return {
      tps: run.tps,
      transactions: latencies.length,
      maxMs: latencies[latencies.length - 1] ?? Number.NaN,
      p99Ms: latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))]
        ?? Number.NaN,
      maxOutsideMs: maxOutside(run.logged, bursts, startedEpochMs),
      bursts,
    };
  } finally {
    await disconnect(sql);
  }
}

function maxOutside(logged: readonly LoggedTransaction[], bursts: readonly Burst[],
  startedEpochMs: number): number {
  let max = 0;
  for (const t of logged) {
    const at = t.endMs - startedEpochMs;
    const inside = bursts.some((b) => at >= b.startMs && at - t.latencyMs <= b.endMs + 1000);
    if (!inside && t.latencyMs > max) max = t.latencyMs;
  }
  return max;
}

/**
 * At each planned moment, a burst of filler writes ending in a checkpoint: on Tessera, until
 * its own checkpoint writes a new snapshot; on PostgreSQL, the planned MiB then CHECKPOINT.
 */
async function sideWriter(target: Target, sql: Sql, plan: readonly PlannedBurst[],
  run: { startedAt: number; stop: { done: boolean } }): Promise<Burst[]> {
  const bursts: Burst[] = [];
  const { startedAt, stop } = run;
  let id = 0;
  for (const planned of plan) {
    while (!stop.done && performance.now() - startedAt < planned.atMs) await sleep(20);
    if (stop.done) break;
    const startMs = performance.now() - startedAt;
    const before = target.dataDir === undefined ? undefined : await snapshots(target.dataDir);
    const capMB = before === undefined ? planned.fillMB : TESSERA_FILL_CAP_MB;
    let writtenMB = 0;
    let checkpointed = false;
    while (!stop.done && writtenMB < capMB && !checkpointed) {
      await sql.unsafe("insert into bench_filler (id, v) values ($1, $2)",
        [++id, randomBytes(FILL_ROW_BYTES * 3 / 4).toString("base64")]);
      writtenMB++;
      if (before !== undefined) checkpointed = changed(before, await snapshots(target.dataDir));
    }
    if (before === undefined && !stop.done) {
      await sql.unsafe("checkpoint").simple();
      checkpointed = true;
    }
    await sql.unsafe("truncate bench_filler").simple();
    bursts.push({ startMs, endMs: performance.now() - startedAt, writtenMB, checkpointed });
  }
  return bursts;
}

/** The checkpoint snapshot files of a Tessera data directory. */
async function snapshots(dataDir: string | undefined): Promise<ReadonlySet<string>> {
  if (dataDir === undefined) return new Set();
  const names = await readdir(join(dataDir, "snapshot")).catch(() => []);
  return new Set(names.filter((n) => n.endsWith(".snap")));
}

function changed(before: ReadonlySet<string>, after: ReadonlySet<string>): boolean {
  return [...after].some((name) => !before.has(name));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
