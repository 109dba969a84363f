/**
 * Checkpoint pauses as clients see them: `pgbench` TPC-B (`-c 8 -j 2 -M prepared`, every
 * transaction's latency logged with `-l`) runs for BENCH_CHECKPOINT_SECONDS while a side
 * connection issues `CHECKPOINT` at 1/4, 2/4 and 3/4 of the run, the same moments on Tessera
 * and on PostgreSQL (one engine after the other, so they do not share the CPU), and the rows
 * report the worst latency and the 99th percentile over the whole run. The notes say when
 * each CHECKPOINT ran and how long it took, and the worst latency outside them.
 */
import { performance } from "node:perf_hooks";
import { errorMessage } from "./load.js";
import { connect, disconnect, type Sql } from "./measure.js";
import { pgbenchLoggedRun, type LoggedTransaction } from "./pgbench.js";
import { requirePgbench } from "./pgbench-sections.js";
import type { EngineName, ResultRow, Side } from "./report.js";
import { progress, type BenchContext, type Target } from "./sections.js";

const CHECKPOINT_MOMENTS = [0.25, 0.5, 0.75] as const;

/** One CHECKPOINT statement, in milliseconds after the run started. */
interface Burst {
  readonly startMs: number;
  readonly endMs: number;
}

interface CheckpointRun {
  readonly tps: number;
  readonly transactions: number;
  readonly maxMs: number;
  readonly p99Ms: number;
  /** The worst latency of transactions that ended outside every CHECKPOINT (+1 s after it). */
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
  const plan = CHECKPOINT_MOMENTS.map((at) => at * seconds * 1000);
  for (const engine of ["Tessera", "PostgreSQL"] as const) {
    const target = ctx.targets[engine];
    try {
      if (target instanceof Error) throw new Error(`server did not start: ${target.message}`);
      await requirePgbench(ctx, target);
      const run = await checkpointRun(ctx, target, plan);
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
  const bursts = run.bursts.map((b) => `at ${(b.startMs / 1000).toFixed(1)} s took `
    + `${(b.endMs - b.startMs).toFixed(0)} ms`);
  return `${engine}: ${Math.round(run.tps)} tps, ${run.transactions} transactions; `
    + `${run.bursts.length} CHECKPOINTs during the run (${bursts.join("; ") || "none"}); `
    + `max latency outside them ${run.maxOutsideMs.toFixed(1)} ms`;
}

async function checkpointRun(ctx: BenchContext, target: Target,
  plan: readonly number[]): Promise<CheckpointRun> {
  const seconds = ctx.config.checkpointSeconds;
  const sql = connect(target.url);
  try {
    const stop = { done: false };
    const startedAt = performance.now();
    const startedEpochMs = Date.now();
    const pgbench = pgbenchLoggedRun(target.port, ["-c", "8", "-j", "2", "-M", "prepared"],
      seconds).finally(() => (stop.done = true));
    const writer = checkpointer(sql, plan, { startedAt, stop });
    const [ran, wrote] = await Promise.allSettled([pgbench, writer]);
    if (ran.status === "rejected") throw ran.reason;
    if (wrote.status === "rejected") throw wrote.reason;
    const [run, bursts] = [ran.value, wrote.value];
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

/** At each planned moment (ms after the run started), `CHECKPOINT`, timed. */
async function checkpointer(sql: Sql, plan: readonly number[],
  run: { startedAt: number; stop: { done: boolean } }): Promise<Burst[]> {
  const bursts: Burst[] = [];
  const { startedAt, stop } = run;
  for (const atMs of plan) {
    while (!stop.done && performance.now() - startedAt < atMs) await sleep(20);
    if (stop.done) break;
    const startMs = performance.now() - startedAt;
    await sql.unsafe("checkpoint").simple();
    bursts.push({ startMs, endMs: performance.now() - startedAt });
  }
  return bursts;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
