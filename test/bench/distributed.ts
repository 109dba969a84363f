/**
 * The distributed-tables issue's figures, through `tessera cluster` coordinators:
 *
 * (a) `pgbench -i -s N` through a 2-worker coordinator, then pgbench_accounts and
 *     pgbench_history distributed by aid, pgbench_branches and pgbench_tellers made reference
 *     tables (the local rows truncated after), then `pgbench -S -c 8 -j 2 -M prepared`
 *     against it vs the same on PostgreSQL, each after the pgbench section's unmeasured
 *     warm-up.
 * (b) The IoT schema distributed (device_types a reference table, devices and events by
 *     device_id) on a 2-worker and on a 1-worker cluster, events loaded by COPY through the
 *     coordinator (rows/s vs PostgreSQL's COPY into a plain table); then the outliers
 *     aggregate timed on PostgreSQL with its default parallelism (the built-in
 *     max_parallel_workers_per_gather, set in the session since the bench's server runs with
 *     0), on 2 workers and on 1 worker, the three alternating, warm-up + median of 3. Each
 *     timed run waits for a quiet machine and is repeated when other processes were busy
 *     around it (`quiet-runs.ts`): the 2-worker run needs both cores of the bench machine.
 */
import { performance } from "node:perf_hooks";
import { startCluster, type TesseraCluster } from "../harness/index.js";
import { QUERIES } from "./dataset.js";
import { errorMessage, loadDataset, type LoadResult } from "./load.js";
import { connect, disconnect, withTimeout, type Sql } from "./measure.js";
import { pgbenchInit, pgbenchRun } from "./pgbench.js";
import { WARM_UP_SECONDS, requirePgbench } from "./pgbench-sections.js";
import type { ResultRow, Side } from "./report.js";
import { measureRow, progress, type BenchContext } from "./sections.js";
import { startForwardingProxy } from "./forwarding-proxy.js";
import { FramedSession, Patience, childrenOf, quietPercent } from "./quiet-runs.js";

const RUNS = 3;
/** Waiting for quiet windows and repeating disturbed runs, at most, in the aggregate's timing. */
const PATIENCE_MS = 90_000;
/** create_distributed_table copies the local rows; 1,000,000 accounts take minutes. */
const DISTRIBUTE_TIMEOUT_MS = 1800_000;

const PGBENCH_DISTRIBUTION = [
  "select create_distributed_table('pgbench_accounts', 'aid')",
  "select create_distributed_table('pgbench_history', 'aid')",
  "select create_reference_table('pgbench_branches')",
  "select create_reference_table('pgbench_tellers')",
  ...["accounts", "history", "branches", "tellers"].map((t) =>
    `select truncate_local_data_after_distributing_table('pgbench_${t}')`),
];

const IOT_DISTRIBUTION = [
  "select create_reference_table('device_types')",
  "select create_distributed_table('devices', 'device_id')",
  "select create_distributed_table('events', 'device_id')",
];

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function failedRow(label: string, error: unknown): ResultRow {
  const message = errorMessage(error);
  progress(`distributed ${label}: FAILED: ${message}`);
  return { section: "distributed", label, unit: "", higherIsBetter: false, notes: [],
    sides: { PostgreSQL: { error: message }, Tessera: { error: message } } };
}

async function startWorkers(workers: number): Promise<TesseraCluster | Error> {
  progress(`distributed: starting tessera cluster --workers ${workers}`);
  return startCluster({ workers, startTimeoutMs: 120_000 }).catch(toError);
}

export async function distributedRows(ctx: BenchContext): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  const two = await startWorkers(2);
  let one: TesseraCluster | Error | undefined;
  try {
    const pointQueries = await pgbenchDistributed(ctx, two).catch((e: unknown) =>
      failedRow("pgbench -S, accounts distributed", e));
    rows.push(pointQueries);
    rows.push(await pgbenchThroughProxy(ctx, pointQueries).catch((e: unknown) =>
      failedRow("pgbench -S through a forwarding proxy", e)));
    const loads: Partial<Record<Contender, LoadResult | Error>> = {};
    loads.PostgreSQL = await ensurePostgresLoaded(ctx);
    loads.two = await loadDistributed(ctx, two);
    one = await startWorkers(1);
    loads.one = await loadDistributed(ctx, one);
    rows.push(copyRow(ctx, loads));
    rows.push(...await aggregateRows(ctx, loads, { two, one }).catch((e: unknown) =>
      [failedRow("outliers aggregate", e)]));
  } finally {
    if (!(two instanceof Error)) await two.stop().catch(() => null);
    if (one !== undefined && !(one instanceof Error)) await one.stop().catch(() => null);
  }
  return rows;
}

async function run(sql: Sql, statements: readonly string[]): Promise<void> {
  for (const statement of statements) {
    try {
      await sql.unsafe(statement).simple();
    } catch (error) {
      throw new Error(`${statement}: ${errorMessage(error)}`);
    }
  }
}

async function pgbenchDistributed(ctx: BenchContext,
  cluster: TesseraCluster | Error): Promise<ResultRow> {
  const { pgbenchScale: scale, pgbenchSeconds: seconds } = ctx.config;
  const notes: string[] = [];
  const local = { ...ctx, targets: { PostgreSQL: ctx.targets.PostgreSQL,
    Tessera: cluster instanceof Error ? cluster
      : { name: "Tessera" as const, url: cluster.url, port: cluster.port } } };
  const row = await measureRow(local, { section: "distributed",
    label: `pgbench -S -c 8 -j 2 -T ${seconds} -M prepared, accounts distributed by aid, `
      + "2 workers", unit: "tps", higherIsBetter: true, target: 0.5 }, async (target) => {
    if (target.name === "PostgreSQL") await requirePgbench(ctx, target);
    else {
      const init = await pgbenchInit(target.port, scale, Math.max(600_000,
        ctx.config.queryTimeoutMs));
      notes.push(`Tessera: pgbench -i -s ${scale} through the coordinator in `
        + `${init.seconds.toFixed(1)} s`);
      const sql = connect(target.url);
      try {
        const start = performance.now();
        await withTimeout(run(sql, PGBENCH_DISTRIBUTION), DISTRIBUTE_TIMEOUT_MS,
          "distributing the pgbench tables");
        notes.push(`Tessera: create_distributed_table / create_reference_table + truncate `
          + `of the local rows in ${((performance.now() - start) / 1000).toFixed(1)} s`);
      } finally {
        await disconnect(sql);
      }
    }
    const options = ["-S", "-c", "8", "-j", "2", "-M", "prepared"];
    // The same unmeasured warm-up as the single-node pgbench runs, on both sides.
    await pgbenchRun(target.port, options, WARM_UP_SECONDS);
    const result = await pgbenchRun(target.port, options, seconds);
    return { value: result.tps, detail: { ...result } };
  });
  row.notes.push(...notes);
  if (!(cluster instanceof Error)) await dropPgbench(cluster.url);
  return row;
}

/**
 * PostgreSQL's pgbench -S (the figure of the row before) against the same run through a
 * byte-forwarding Node.js proxy (`forwarding-proxy.ts`): the share of PostgreSQL's rate that
 * one Node.js hop with no work in it leaves, the ceiling of the distributed row's ratio.
 */
async function pgbenchThroughProxy(ctx: BenchContext, direct: ResultRow): Promise<ResultRow> {
  const postgres = ctx.targets.PostgreSQL;
  const seconds = ctx.config.pgbenchSeconds;
  const proxied: Side = {};
  if (postgres instanceof Error) proxied.error = postgres.message;
  else {
    const proxy = await startForwardingProxy(postgres.port);
    try {
      const options = ["-S", "-c", "8", "-j", "2", "-M", "prepared"];
      await pgbenchRun(proxy.port, options, WARM_UP_SECONDS);
      const result = await pgbenchRun(proxy.port, options, seconds);
      proxied.value = result.tps;
      proxied.detail = { ...result };
      progress(`pgbench -S through the forwarding proxy: ${result.tps.toFixed(2)} tps`);
    } catch (error) {
      proxied.error = errorMessage(error);
    } finally {
      await proxy.stop();
    }
  }
  return { section: "distributed", label: `pgbench -S -c 8 -j 2 -T ${seconds} -M prepared, `
    + "PostgreSQL direct (PostgreSQL column) vs behind a byte-forwarding Node.js proxy "
    + "(Tessera column): the most one Node.js hop leaves", unit: "tps", higherIsBetter: true,
  sides: { PostgreSQL: direct.sides.PostgreSQL, Tessera: proxied }, notes: [] };
}

/** Frees the coordinator's workers of the pgbench tables before the IoT load. */
async function dropPgbench(url: string): Promise<void> {
  const sql = connect(url);
  try {
    await sql.unsafe("drop table if exists pgbench_accounts, pgbench_branches, "
      + "pgbench_tellers, pgbench_history").simple();
  } catch (error) {
    progress(`distributed: dropping the pgbench tables failed: ${errorMessage(error)}`);
  } finally {
    await disconnect(sql);
  }
}

/** PostgreSQL's IoT load (shared with the data sections when they ran). */
async function ensurePostgresLoaded(ctx: BenchContext): Promise<LoadResult | Error> {
  const known = ctx.loads.PostgreSQL;
  if (known !== undefined) return known;
  const target = ctx.targets.PostgreSQL;
  if (target instanceof Error) return new Error(`server did not start: ${target.message}`);
  progress(`loading ${ctx.config.events} events into PostgreSQL`);
  const load = await loadDataset(target.url, ctx.config, { fallbackToInsert: false })
    .catch(toError);
  ctx.loads.PostgreSQL = load;
  return load;
}

async function loadDistributed(ctx: BenchContext,
  cluster: TesseraCluster | Error): Promise<LoadResult | Error> {
  if (cluster instanceof Error) return cluster;
  progress(`distributed: loading ${ctx.config.events} events into `
    + `${cluster.workerPorts.length} worker(s)`);
  const limitMs = 60_000 + ctx.config.events * 2;
  const load = await withTimeout(loadDataset(cluster.url, ctx.config, { fallbackToInsert: false,
    afterSchema: (sql) => run(sql, IOT_DISTRIBUTION) }), limitMs,
  `loading through the coordinator (${limitMs / 1000} s allowed)`).catch(toError);
  if (load instanceof Error) load.message += `; events visible: ${await countEvents(cluster.url)}`;
  progress(`distributed: ${load instanceof Error ? `FAILED: ${load.message}`
    : `${Math.round(load.rowsPerSecond)} rows/s`}`);
  return load;
}

async function countEvents(url: string): Promise<string> {
  const sql = connect(url);
  try {
    const rows = await withTimeout(sql.unsafe("select count(*) as n from events").simple(),
      30_000, "count(*)");
    return String(rows[0]?.["n"]);
  } catch (error) {
    return `unknown (${errorMessage(error)})`;
  } finally {
    await disconnect(sql);
  }
}

function sideOf(load: LoadResult | Error | undefined): Side {
  if (load === undefined) return { error: "not loaded" };
  if (load instanceof Error) return { error: load.message };
  return { value: load.rowsPerSecond, detail: { ...load } };
}

function copyRow(ctx: BenchContext,
  loads: Partial<Record<Contender, LoadResult | Error>>): ResultRow {
  const notes: string[] = [];
  const one = loads.one;
  if (one instanceof Error) notes.push(`1 worker: COPY FAILED: ${one.message}`);
  else if (one !== undefined) notes.push(`1 worker: ${Math.round(one.rowsPerSecond)} rows/s`);
  return { section: "distributed", label: `COPY ${ctx.config.events} events into the `
    + "distributed table, 2 workers", unit: "rows/s", higherIsBetter: true, target: 0.5,
  sides: { PostgreSQL: sideOf(loads.PostgreSQL), Tessera: sideOf(loads.two) }, notes };
}

type Contender = "PostgreSQL" | "two" | "one";

async function aggregateRows(ctx: BenchContext,
  loads: Partial<Record<Contender, LoadResult | Error>>,
  clusters: Record<"two" | "one", TesseraCluster | Error>): Promise<ResultRow[]> {
  const pg = ctx.targets.PostgreSQL;
  const urlOf = (name: Contender, server: { url: string } | Error): string | Error => {
    const load = loads[name];
    if (server instanceof Error) return new Error(`not started: ${server.message}`);
    if (load === undefined) return new Error("not loaded");
    if (load instanceof Error) return new Error(`not loaded: ${load.message}`);
    return server.url;
  };
  const urls: Record<Contender, string | Error> = {
    PostgreSQL: urlOf("PostgreSQL", pg), two: urlOf("two", clusters.two),
    one: urlOf("one", clusters.one),
  };
  const parallel = urls.PostgreSQL instanceof Error ? "?" : await bootValue(urls.PostgreSQL);
  const setup = `set max_parallel_workers_per_gather = ${parallel}`;
  const daemons = (cluster: TesseraCluster | Error): number[] =>
    cluster instanceof Error || cluster.process.pid === undefined ? []
      : childrenOf(cluster.process.pid);
  const processes = { PostgreSQL: [], two: daemons(clusters.two), one: daemons(clusters.one) };
  const { sides, waitedMs } = await timeContenders(ctx, urls, processes, setup);
  const fingerprints = new Set(Object.values(sides).map((s) => s.detail?.["fingerprint"])
    .filter((f) => f !== undefined));
  const differ = fingerprints.size > 1 ? ["RESULTS DIFFER between PostgreSQL, 1 and 2 workers"]
    : [];
  const frames = frameNote(sides, waitedMs);
  const label = "outliers aggregate";
  return [
    { section: "distributed", label: `${label}, 2 workers vs PostgreSQL `
      + `(max_parallel_workers_per_gather = ${parallel})`, unit: "ms", higherIsBetter: false,
    target: 1.5, sides: { PostgreSQL: sides.PostgreSQL, Tessera: sides.two },
    notes: [...differ, frames] },
    { section: "distributed", label: `${label}, 1 worker vs PostgreSQL (same)`, unit: "ms",
      higherIsBetter: false, sides: { PostgreSQL: sides.PostgreSQL, Tessera: sides.one },
      notes: [] },
    { section: "distributed", label: `${label} speed-up, Tessera 1 worker (PostgreSQL column) `
      + "/ 2 workers (Tessera column)", unit: "ms", higherIsBetter: true, target: 1.7,
    speedUp: true, sides: { PostgreSQL: sides.one, Tessera: sides.two },
    notes: [frames, cpuNote(sides)] },
  ];
}

/** PostgreSQL's built-in default of max_parallel_workers_per_gather (2 in PostgreSQL 15). */
async function bootValue(url: string): Promise<string> {
  const sql = connect(url);
  try {
    const rows = await sql.unsafe("select boot_val from pg_settings "
      + "where name = 'max_parallel_workers_per_gather'").simple();
    return String(rows[0]?.["boot_val"] ?? "2");
  } finally {
    await disconnect(sql);
  }
}

/**
 * Warm-up, then RUNS rounds of one run per contender; the median of each. Each timed run is
 * framed by samples of the machine's CPU use and repeated when other processes were busy
 * around it (`quiet-runs.ts`): the 2-worker run needs both cores, so load from elsewhere
 * would otherwise cut the speed-up it measures.
 */
async function timeContenders(ctx: BenchContext, urls: Record<Contender, string | Error>,
  processes: Record<Contender, readonly number[]>, postgresSetup: string):
  Promise<{ sides: Record<Contender, Side>; waitedMs: number }> {
  const sides: Record<Contender, Side> = { PostgreSQL: {}, two: {}, one: {} };
  const sessions = new Map<Contender, FramedSession>();
  const patience = new Patience(PATIENCE_MS);
  try {
    for (const [name, url] of Object.entries(urls) as [Contender, string | Error][]) {
      if (url instanceof Error) sides[name].error = url.message;
      else {
        sessions.set(name, new FramedSession(url, QUERIES.aggregate, ctx.config.queryTimeoutMs,
          patience, processes[name], name === "PostgreSQL" ? postgresSetup : undefined));
      }
    }
    for (let round = 0; round <= RUNS; round++) {
      for (const [name, session] of sessions) {
        if (sides[name].error !== undefined) continue;
        await session.run().catch((error: unknown) => (sides[name].error = errorMessage(error)));
      }
    }
    for (const [name, session] of sessions) {
      if (sides[name].error !== undefined) continue;
      const timed = session.result();
      sides[name] = { value: timed.medianMs, detail: { ...timed } };
      progress(`distributed outliers aggregate on ${name}: ${timed.medianMs.toFixed(1)} ms `
        + `(machine busy around the runs: ${timed.frameBusyPct.join(", ")} %)`);
    }
  } finally {
    await Promise.all([...sessions.values()].map((s) => s.close()));
  }
  return { sides, waitedMs: patience.spent };
}

/** How busy the machine was around the kept runs, how long the bench waited for quiet. */
function frameNote(sides: Record<Contender, Side>, waitedMs: number): string {
  const busy: number[] = [];
  let repeated = 0;
  for (const side of Object.values(sides)) {
    const pct = side.detail?.["frameBusyPct"];
    if (Array.isArray(pct)) busy.push(...pct.filter((p): p is number => typeof p === "number"));
    const again = side.detail?.["repeated"];
    if (typeof again === "number") repeated += again;
  }
  if (busy.length === 0) return "machine load around the runs unknown";
  const max = Math.max(...busy);
  return `machine busy around the timed runs: at most ${max} % of all CPUs `
    + `(idle servers and the bench included; quiet <= ${quietPercent} %); ${repeated} run(s) `
    + `repeated and ${(waitedMs / 1000).toFixed(1)} s spent waiting for quiet (budget `
    + `${PATIENCE_MS / 1000} s)`
    + (max > quietPercent ? "; FIGURES DISTURBED BY OTHER PROCESSES" : "");
}

/**
 * The clusters' CPU per timed run (median), coordinator first: what the 2-worker run could
 * take at best on free cores is its busier worker's share, whatever else runs on the machine.
 */
function cpuNote(sides: Record<Contender, Side>): string {
  const cpuOf = (side: Side): number[] => {
    const ms = side.detail?.["processCpuMs"];
    return Array.isArray(ms) ? ms.filter((m): m is number => typeof m === "number") : [];
  };
  const one = cpuOf(sides.one);
  const two = cpuOf(sides.two);
  if (one.length < 2 || two.length < 3) return "CPU per process unknown";
  const text = (ms: number[]): string =>
    `coordinator ${ms[0]!.toFixed(0)} ms, worker(s) ${ms.slice(1).map((m) => m.toFixed(0))
      .join(" / ")} ms`;
  const bound = one.slice(1).reduce((a, b) => a + b, 0) / Math.max(...two.slice(1));
  return `CPU per timed run (median): 1 worker: ${text(one)}; 2 workers: ${text(two)}; `
    + `worker CPU of 1 worker / busier worker of 2: ${bound.toFixed(2)}x`;
}
