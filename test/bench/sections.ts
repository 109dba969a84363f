/**
 * The bench's sections. Each measures one engine at a time, never both at once (PostgreSQL
 * then Tessera; the timed queries alternate their runs), and turns a failure on either side
 * into that side's error: the row prints FAILED and the bench goes on with the next section.
 */
import type { BenchConfig, SectionName } from "./config.js";
import { QUERIES, pgbenchLookupScript } from "./dataset.js";
import { errorMessage, type LoadResult } from "./load.js";
import { QuerySession, lookupRate } from "./measure.js";
import { pgbenchScript, type PgbenchInit } from "./pgbench.js";
import type { EngineName, ResultRow, Side } from "./report.js";

export const ENGINES: readonly EngineName[] = ["PostgreSQL", "Tessera"];

/** Measured runs of each timed query, after one warm-up run. */
const RUNS = 3;

export interface Target {
  readonly name: EngineName;
  readonly url: string;
  readonly port: number;
  /** Tessera's data directory (snapshots, WAL), to watch its checkpoints. */
  readonly dataDir?: string;
}

export interface BenchContext {
  readonly config: BenchConfig;
  readonly targets: Readonly<Record<EngineName, Target | Error>>;
  readonly loads: Partial<Record<EngineName, LoadResult | Error>>;
  /** `pgbench -i` on each engine, run once by the first section that needs it. */
  readonly pgbenchInits: Partial<Record<EngineName, Promise<PgbenchInit>>>;
}

export interface RowSpec {
  readonly section: SectionName;
  readonly label: string;
  readonly unit: string;
  readonly higherIsBetter: boolean;
  readonly target?: number;
}

export interface Measured {
  readonly value: number;
  readonly detail?: Readonly<Record<string, unknown>>;
}

export function progress(text: string): void {
  process.stderr.write(`[bench] ${text}\n`);
}

export async function measureRow(ctx: BenchContext, spec: RowSpec,
  measure: (target: Target) => Promise<Measured>): Promise<ResultRow> {
  const sides: Record<EngineName, Side> = { PostgreSQL: {}, Tessera: {} };
  for (const engine of ENGINES) {
    const target = ctx.targets[engine];
    const side = sides[engine];
    try {
      if (target instanceof Error) throw new Error(`server did not start: ${target.message}`);
      const measured = await measure(target);
      side.value = measured.value;
      if (measured.detail !== undefined) side.detail = measured.detail;
      progress(`${spec.label} on ${engine}: ${measured.value.toFixed(2)} ${spec.unit}`);
    } catch (error) {
      side.error = errorMessage(error);
      progress(`${spec.label} on ${engine}: FAILED: ${side.error}`);
    }
  }
  return { ...spec, sides, notes: [] };
}

export function requireLoaded(ctx: BenchContext, engine: EngineName): void {
  const load = ctx.loads[engine];
  if (load === undefined) throw new Error("data set not loaded");
  if (load instanceof Error) throw new Error(`data set not loaded: ${load.message}`);
}

export function copyRow(ctx: BenchContext): ResultRow {
  const sides: Record<EngineName, Side> = { PostgreSQL: {}, Tessera: {} };
  const notes: string[] = [];
  for (const engine of ENGINES) {
    const load = ctx.loads[engine];
    if (load === undefined) sides[engine].error = "not loaded";
    else if (load instanceof Error) sides[engine].error = load.message;
    else {
      sides[engine].value = load.rowsPerSecond;
      sides[engine].detail = { ...load };
      if (load.method === "insert") {
        notes.push(`${engine} was loaded by multi-row INSERT batches (1000 rows), not COPY: `
          + `COPY failed: ${load.copyError ?? "?"}; its figure is INSERT rows/s`);
      }
      notes.push(`${engine}: ${load.rows} rows in ${load.seconds.toFixed(2)} s; `
        + `after the load: ${load.maintenance}`);
    }
  }
  return {
    section: "copy", label: `COPY events FROM STDIN (${ctx.config.events} rows)`,
    unit: "rows/s", higherIsBetter: true, target: 0.5, sides, notes,
  };
}

const TIMED: readonly { section: SectionName; label: string; sql: string }[] = [
  { section: "aggregate", label: "outliers: per-device CASE counts", sql: QUERIES.aggregate },
  { section: "count", label: "select count(*) from events", sql: QUERIES.count },
  { section: "join", label: "events x devices x device_types by type", sql: QUERIES.join },
];

export async function timedQueryRows(ctx: BenchContext): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  for (const query of TIMED) {
    if (!ctx.config.sections.has(query.section)) continue;
    const row = await timeBoth(ctx, { section: query.section, label: query.label, unit: "ms",
      higherIsBetter: false, target: 2 }, query.sql);
    const fingerprints = ENGINES.map((e) => row.sides[e].detail?.["fingerprint"]);
    if (fingerprints.every((f) => f !== undefined) && fingerprints[0] !== fingerprints[1]) {
      const counts = ENGINES.map((e) => `${e} ${String(row.sides[e].detail?.["rows"])} rows`);
      row.notes.push(`RESULTS DIFFER between the engines (${counts.join(", ")})`);
    }
    rows.push(row);
  }
  return rows;
}

/** Warm-up on each engine, then RUNS rounds of one run per engine; the median per engine. */
async function timeBoth(ctx: BenchContext, spec: RowSpec, text: string): Promise<ResultRow> {
  const sides: Record<EngineName, Side> = { PostgreSQL: {}, Tessera: {} };
  const sessions = new Map<EngineName, QuerySession>();
  try {
    for (const engine of ENGINES) {
      try {
        const target = ctx.targets[engine];
        if (target instanceof Error) throw new Error(`server did not start: ${target.message}`);
        requireLoaded(ctx, engine);
        sessions.set(engine, new QuerySession(target.url, text, ctx.config.queryTimeoutMs));
      } catch (error) {
        sides[engine].error = errorMessage(error);
      }
    }
    for (let round = 0; round <= RUNS; round++) {
      for (const [engine, session] of sessions) {
        if (sides[engine].error !== undefined) continue;
        await session.run().catch((error: unknown) => (sides[engine].error = errorMessage(error)));
      }
    }
    for (const engine of ENGINES) {
      const session = sessions.get(engine);
      if (session !== undefined && sides[engine].error === undefined) {
        const timed = session.result();
        sides[engine].value = timed.medianMs;
        sides[engine].detail = { ...timed };
      }
      progress(`${spec.label} on ${engine}: ${sides[engine].error === undefined
        ? `${sides[engine].value?.toFixed(2)} ms` : `FAILED: ${sides[engine].error}`}`);
    }
  } finally {
    await Promise.all([...sessions.values()].map((s) => s.close()));
  }
  return { ...spec, sides, notes: [] };
}

/**
 * The prepared point lookup over 1 and 8 connections, driven twice: by pgbench (a C client, so
 * the engine is the bottleneck; the row the target applies to) and by postgres.js (what a Node
 * application sees; the client's own CPU is a large share of each round trip there).
 */
export async function pointLookupRows(ctx: BenchContext): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  const { seconds } = ctx.config;
  for (const [section, connections] of [["point1", 1], ["point8", 8]] as const) {
    if (!ctx.config.sections.has(section)) continue;
    const conn = `${connections} conn${connections > 1 ? "s" : ""}`;
    rows.push(await measureRow(ctx, { section, label: `pk lookup, pgbench -M prepared, ${conn}`,
      unit: "lookups/s", higherIsBetter: true, target: 0.5 }, async (target) => {
      requireLoaded(ctx, target.name);
      const run = await pgbenchScript(target.port, pgbenchLookupScript(ctx.config), connections,
        seconds);
      return { value: run.tps, detail: { ...run } };
    }));
    const row = await measureRow(ctx, { section, label: `pk lookup, postgres.js prepared, ${conn}`,
      unit: "lookups/s", higherIsBetter: true }, async (target) => {
      requireLoaded(ctx, target.name);
      const rate = await lookupRate(target.url, ctx.config, connections);
      return { value: rate.perSecond, detail: { ...rate } };
    });
    for (const engine of ENGINES) {
      const misses = row.sides[engine].detail?.["misses"];
      if (typeof misses === "number" && misses > 0) {
        row.notes.push(`${engine}: ${misses} lookups did not return exactly one row`);
      }
    }
    rows.push(row);
  }
  return rows;
}
