/**
 * What one `make bench` run measures, from the environment:
 *
 * - `BENCH_EVENTS`: rows in `events` (default 1,000,000; 100000 for a quick run).
 * - `BENCH_SECONDS`: length of each point-lookup rate measurement; default 10.
 * - `BENCH_PGBENCH_SECONDS`: `pgbench -T` of each timed pgbench run (TPC-B, -S, distributed
 *   -S); default 30, the length the durability and distributed issues ask for.
 * - `BENCH_SECTIONS`: comma list of sections to run (default all), see `SECTION_NAMES`.
 * - `BENCH_PGBENCH_SCALE`: `pgbench -i -s N` (default 10).
 * - `BENCH_QUERY_TIMEOUT`: seconds one timed query may take before it is cancelled (default 300).
 * - `BENCH_RECOVERY_MB`: WAL written before the kill -9 of the recovery section (default 1024).
 * - `BENCH_CHECKPOINT_SECONDS`: length of the TPC-B run of the checkpoint section (default 60).
 * - `BENCH_CHECKPOINT_FILL_MB`: data written to PostgreSQL before each forced CHECKPOINT when
 *   Tessera's run gave no schedule to replay (default 64; see checkpoint.ts).
 */
export const SECTION_NAMES = [
  "copy", "aggregate", "count", "join", "point1", "point8", "pgbench", "checkpoint", "recovery",
  "distributed",
] as const;
export type SectionName = (typeof SECTION_NAMES)[number];

/** Sections that need the IoT data set loaded first. */
export const DATA_SECTIONS: ReadonlySet<SectionName> = new Set<SectionName>([
  "copy", "aggregate", "count", "join", "point1", "point8",
]);

export interface BenchConfig {
  readonly events: number;
  readonly devices: number;
  readonly deviceTypes: number;
  readonly seconds: number;
  readonly pgbenchSeconds: number;
  readonly sections: ReadonlySet<SectionName>;
  readonly pgbenchScale: number;
  readonly queryTimeoutMs: number;
  readonly recoveryMB: number;
  readonly checkpointFillMB: number;
  readonly checkpointSeconds: number;
}

export function configFromEnv(env: NodeJS.ProcessEnv): BenchConfig {
  const events = positiveInt(env, "BENCH_EVENTS", 1_000_000);
  return {
    events,
    devices: Math.min(1000, events),
    deviceTypes: 10,
    seconds: positiveInt(env, "BENCH_SECONDS", 10),
    pgbenchSeconds: positiveInt(env, "BENCH_PGBENCH_SECONDS", 30),
    sections: sectionsOf(env["BENCH_SECTIONS"]),
    pgbenchScale: positiveInt(env, "BENCH_PGBENCH_SCALE", 10),
    queryTimeoutMs: positiveInt(env, "BENCH_QUERY_TIMEOUT", 300) * 1000,
    recoveryMB: positiveInt(env, "BENCH_RECOVERY_MB", 1024),
    checkpointFillMB: positiveInt(env, "BENCH_CHECKPOINT_FILL_MB", 64),
    checkpointSeconds: positiveInt(env, "BENCH_CHECKPOINT_SECONDS", 60),
  };
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text.trim() === "") return fallback;
  const value = Number(text.replaceAll("_", ""));
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`${name} must be a positive integer, got ${JSON.stringify(text)}`);
  }
  return value;
}

function sectionsOf(text: string | undefined): ReadonlySet<SectionName> {
  if (text === undefined || text.trim() === "") return new Set(SECTION_NAMES);
  const known = new Set<string>(SECTION_NAMES);
  const chosen = new Set<SectionName>();
  for (const raw of text.split(",")) {
    const name = raw.trim();
    if (name === "") continue;
    if (!known.has(name)) {
      throw new Error(`BENCH_SECTIONS: unknown section ${JSON.stringify(name)}; `
        + `known: ${SECTION_NAMES.join(",")}`);
    }
    chosen.add(name as SectionName);
  }
  return chosen;
}
