/**
 * The pgbench section of the durability issue: `pgbench -i -s N` on both engines (once per run,
 * shared with the checkpoint and distributed sections), then the default TPC-B-like script and
 * the select-only `-S`, each with `-c 8 -j 2` for BENCH_PGBENCH_SECONDS (30) after an unmeasured
 * 5 s warm-up, over the simple and the prepared protocol, with synchronous_commit on for both
 * servers (checked, not assumed).
 */
import { connect, disconnect } from "./measure.js";
import { pgbenchInit, pgbenchRun, type PgbenchInit } from "./pgbench.js";
import type { EngineName, ResultRow } from "./report.js";
import { ENGINES, measureRow, type BenchContext, type Target } from "./sections.js";

/** `pgbench -i -s N` on `target`, run by the first caller; later callers share its result. */
export function ensurePgbench(ctx: BenchContext, target: Target): Promise<PgbenchInit> {
  const known = ctx.pgbenchInits[target.name];
  if (known !== undefined) return known;
  const timeoutMs = Math.max(600_000, ctx.config.queryTimeoutMs);
  const started = pgbenchInit(target.port, ctx.config.pgbenchScale, timeoutMs);
  ctx.pgbenchInits[target.name] = started;
  started.catch(() => {});
  return started;
}

/** The initialized tables, or an error saying the run is skipped because `-i` failed. */
export async function requirePgbench(ctx: BenchContext, target: Target): Promise<void> {
  try {
    await ensurePgbench(ctx, target);
  } catch (error) {
    throw new Error(`skipped: pgbench -i -s ${ctx.config.pgbenchScale} failed: `
      + (error instanceof Error ? error.message.split("\n")[0] : String(error)));
  }
}

/** `show <name>` on one server. */
export async function showSetting(url: string, name: string): Promise<string> {
  const sql = connect(url);
  try {
    const rows = await sql.unsafe(`show ${name}`).simple();
    return String(rows[0]?.[name] ?? "?");
  } finally {
    await disconnect(sql);
  }
}

/**
 * Unmeasured pgbench seconds before each timed run: compiled code and caches warm (V8 is
 * still optimizing the statement path for the first few seconds of load).
 */
export const WARM_UP_SECONDS = 5;

const RUNS: readonly { script: string; args: readonly string[] }[] = [
  { script: "TPC-B", args: [] },
  { script: "-S", args: ["-S"] },
];

export async function pgbenchRows(ctx: BenchContext): Promise<ResultRow[]> {
  const { pgbenchScale: scale, pgbenchSeconds: seconds } = ctx.config;
  const init = await measureRow(ctx, { section: "pgbench", label: `pgbench -i -s ${scale}`,
    unit: "s", higherIsBetter: false }, async (target) => {
    const result = await ensurePgbench(ctx, target);
    return { value: result.seconds, detail: { ...result } };
  });
  for (const engine of ENGINES) {
    const detail = init.sides[engine].detail?.["detail"];
    if (typeof detail === "string" && detail !== "") init.notes.push(`${engine}: ${detail}`);
  }
  const synchronous = await synchronousCommit(ctx);
  init.notes.push(`synchronous_commit: ${ENGINES.map((e) => `${e} ${synchronous[e]}`)
    .join(", ")}`);
  const rows = [init];
  for (const { script, args } of RUNS) {
    for (const mode of ["simple", "prepared"] as const) {
      rows.push(await measureRow(ctx, { section: "pgbench",
        label: `pgbench ${script} -c 8 -j 2 -T ${seconds} -M ${mode}`, unit: "tps",
        higherIsBetter: true, target: 0.5 }, async (target) => {
        await requirePgbench(ctx, target);
        if (script === "TPC-B" && synchronous[target.name] !== "on") {
          throw new Error(`synchronous_commit is ${synchronous[target.name]}, not on`);
        }
        const options = [...args, "-c", "8", "-j", "2", "-M", mode];
        // A short unmeasured run first, on both engines alike: the first seconds after
        // `pgbench -i` (caches, compiled code) are not the steady state being compared.
        await pgbenchRun(target.port, options, WARM_UP_SECONDS);
        const result = await pgbenchRun(target.port, options, seconds);
        return { value: result.tps, detail: { ...result } };
      }));
    }
  }
  return rows;
}

async function synchronousCommit(ctx: BenchContext): Promise<Record<EngineName, string>> {
  const out: Record<EngineName, string> = { PostgreSQL: "?", Tessera: "?" };
  for (const engine of ENGINES) {
    const target = ctx.targets[engine];
    if (target instanceof Error) continue;
    out[engine] = await showSetting(target.url, "synchronous_commit")
      .catch((error: unknown) => `unknown (${String(error)})`);
  }
  return out;
}
