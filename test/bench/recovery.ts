/**
 * Crash recovery: BENCH_RECOVERY_MB of WAL written, the server killed without a shutdown
 * checkpoint, restarted, and timed from the restart until it answers a query on the written
 * table (which must hold every acknowledged write).
 *
 * - Tessera: a fresh worker in its own data directory, started as PostgreSQL is (max_wal_size
 *   far above the WAL written, checkpoint_timeout 1d, so nothing is checkpointed away); a
 *   CHECKPOINT, then `update bench_wal set v = $1` with 1 MiB random values over 16 rows (the
 *   WAL grows, the table does not); then kill -9 of the worker process and `tessera worker`
 *   again on the same directory, which loads the snapshot and replays all that WAL; the notes
 *   give both sizes and say whether a checkpoint happened during the writes.
 * - PostgreSQL: its own server (fsync on, max_wal_size far above the WAL written,
 *   checkpoint_timeout 1d, so nothing is checkpointed away), the same updates after a
 *   CHECKPOINT, then `pg_ctl stop -m immediate` and `pg_ctl restart` (which reuses the
 *   server's options from postmaster.opts); its log's "redo done … elapsed" is in the notes.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { readFile, readdir, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
import { startCluster, startReferencePostgres, type TesseraCluster } from "../harness/index.js";
import type { BenchConfig } from "./config.js";
import { errorMessage } from "./load.js";
import { connect, disconnect, type Sql } from "./measure.js";
import type { ResultRow, Side } from "./report.js";
import { ENGINES, progress } from "./sections.js";

const run = promisify(execFile);
const ROWS = 16;
const VALUE_BYTES = 1 << 20;
const MiB = 1 << 20;

interface Recovery {
  /** From the restart command to the first answered query. */
  readonly seconds: number;
  /** WAL the restart had to replay, MiB. */
  readonly replayMB: number;
  readonly writtenMB: number;
  readonly notes: string;
}

export async function recoveryRows(config: BenchConfig): Promise<ResultRow[]> {
  const label = `kill -9 after ${config.recoveryMB} MiB of WAL, restart until a query answers`;
  const time: ResultRow = { section: "recovery", label, unit: "s", higherIsBetter: false,
    sides: { PostgreSQL: {}, Tessera: {} }, notes: [] };
  const rate: ResultRow = { section: "recovery", label: "WAL replayed per second of recovery",
    unit: "MiB/s", higherIsBetter: true, sides: { PostgreSQL: {}, Tessera: {} }, notes: [] };
  for (const engine of ENGINES) {
    try {
      progress(`recovery on ${engine}: writing ${config.recoveryMB} MiB of WAL`);
      const result = engine === "Tessera" ? await tesseraRecovery(config)
        : await postgresRecovery(config);
      time.sides[engine] = { value: result.seconds, detail: { ...result } };
      rate.sides[engine] = { value: result.replayMB / result.seconds, detail: { ...result } };
      time.notes.push(`${engine}: ${result.notes}`);
      progress(`recovery on ${engine}: ${result.seconds.toFixed(2)} s for `
        + `${result.replayMB.toFixed(0)} MiB of WAL`);
    } catch (error) {
      const side: Side = { error: errorMessage(error) };
      time.sides[engine] = side;
      rate.sides[engine] = side;
      progress(`recovery on ${engine}: FAILED: ${side.error}`);
    }
  }
  return [time, rate];
}

async function createTable(sql: Sql): Promise<void> {
  await sql.unsafe("drop table if exists bench_wal").simple();
  await sql.unsafe("create table bench_wal (id int primary key, v text)").simple();
  await sql.unsafe(`insert into bench_wal select g, '' from generate_series(1, ${ROWS}) g`)
    .simple();
}

/** Updates 1 MiB values until `done` says enough WAL was written; returns MiB written. */
async function writeWal(sql: Sql, done: (writtenMB: number) => Promise<boolean>): Promise<number> {
  let written = 0;
  while (!(await done(written))) {
    for (let i = 0; i < ROWS; i++) {
      const value = randomBytes(VALUE_BYTES * 3 / 4).toString("base64");
      await sql.unsafe("update bench_wal set v = $1 where id = $2", [value, i + 1]);
      written++;
    }
  }
  return written;
}

/** Polls until `select` on bench_wal answers; throws on a wrong answer. */
async function untilAnswered(url: string, writtenMB: number, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let last = "";
  while (performance.now() < deadline) {
    const sql = connect(url);
    try {
      const rows = await sql.unsafe("select count(*) as n, sum(length(v)) as bytes "
        + "from bench_wal").simple();
      const n = Number(rows[0]?.["n"]);
      const bytes = Number(rows[0]?.["bytes"]);
      const expected = Math.min(ROWS, writtenMB) * VALUE_BYTES;
      if (n !== ROWS || bytes !== expected) {
        throw new Error(`after recovery bench_wal holds ${n} rows of ${bytes} bytes, `
          + `not ${ROWS} rows of ${expected}`);
      }
      return;
    } catch (error) {
      if (error instanceof Error && error.message.startsWith("after recovery")) throw error;
      last = errorMessage(error);
    } finally {
      await disconnect(sql);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no answer within ${timeoutMs / 1000} s: ${last}`);
}

async function bytesIn(dir: string, suffix = ""): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir).catch(() => [])) {
    if (name.endsWith(suffix)) total += (await stat(join(dir, name))).size;
  }
  return total;
}

async function tesseraRecovery(config: BenchConfig): Promise<Recovery> {
  const dataDir = mkdtempSync(join(tmpdir(), "tessera-bench-recovery-"));
  let worker: TesseraCluster | undefined;
  try {
    const coldStart = performance.now();
    worker = await startCluster({ role: "worker", dataDir, args: deferCheckpoints(config) });
    const coldSeconds = (performance.now() - coldStart) / 1000;
    const sql = connect(worker.url);
    let writtenMB: number;
    let checkpointed: boolean;
    try {
      await createTable(sql);
      await sql.unsafe("checkpoint").simple();
      const before = await snapshotNames(dataDir);
      writtenMB = await writeWal(sql, (mb) => Promise.resolve(mb >= config.recoveryMB));
      checkpointed = (await snapshotNames(dataDir)) !== before;
    } finally {
      await disconnect(sql);
    }
    const walMB = (await bytesIn(join(dataDir, "wal"))) / MiB;
    const snapshotMB = (await bytesIn(join(dataDir, "snapshot"), ".snap")) / MiB;
    worker.process.kill("SIGKILL");
    await worker.stop({ keepData: true });
    worker = undefined;
    const start = performance.now();
    worker = await startCluster({ role: "worker", dataDir, args: deferCheckpoints(config),
      startTimeoutMs: 1_800_000 });
    const readySeconds = (performance.now() - start) / 1000;
    await untilAnswered(worker.url, writtenMB, 600_000);
    const seconds = (performance.now() - start) / 1000;
    return { seconds, replayMB: walMB, writtenMB, notes: `wrote ${writtenMB} MiB of 1 MiB `
      + `updates; at the kill the data directory held ${walMB.toFixed(1)} MiB of WAL since the `
      + `last checkpoint (${checkpointed ? "A CHECKPOINT HAPPENED during the writes"
        : "no checkpoint during the writes"}) and a ${snapshotMB.toFixed(1)} `
      + `MiB snapshot; ready after ${readySeconds.toFixed(2)} s; an empty worker starts in `
      + `${coldSeconds.toFixed(2)} s` };
  } finally {
    await worker?.stop({ keepData: true }).catch(() => null);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Worker flags that leave all the WAL written to replay, as PostgreSQL's settings below. */
function deferCheckpoints(config: BenchConfig): string[] {
  return ["--max-wal-size", `${config.recoveryMB * 2 + 1024}MB`, "--checkpoint-timeout", "1d"];
}

/** The snapshot files of a Tessera data directory, as one string to compare. */
async function snapshotNames(dataDir: string): Promise<string> {
  return (await readdir(join(dataDir, "snapshot")).catch(() => [])).sort().join(",");
}

/** Runs pg_ctl as the server's OS user (the harness's `tessera_pg` when we are root). */
async function pgCtl(dataDir: string, args: readonly string[]): Promise<void> {
  const bin = join(process.env["TESSERA_PG_BIN"] ?? "/usr/lib/postgresql/15/bin", "pg_ctl");
  const all = ["-D", dataDir, ...args];
  const asRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const [command, argv] = asRoot ? ["runuser", ["-u", "tessera_pg", "--", bin, ...all]]
    : [bin, all];
  await run(command, argv, { cwd: dirname(dataDir), env: { ...process.env, LC_ALL: "C" } });
}

async function postgresRecovery(config: BenchConfig): Promise<Recovery> {
  const pg = await startReferencePostgres({ settings: {
    fsync: "on", max_wal_size: `${config.recoveryMB * 2 + 1024}MB`, checkpoint_timeout: "1d",
  } });
  try {
    const sql = connect(pg.url);
    let writtenMB: number;
    let replayMB: number;
    let checkpointed: boolean;
    try {
      await createTable(sql);
      await sql.unsafe("checkpoint").simple();
      const before = await redoPoint(sql);
      writtenMB = await writeWal(sql,
        async () => (await walSinceRedo(sql)) >= config.recoveryMB);
      replayMB = await walSinceRedo(sql);
      checkpointed = (await redoPoint(sql)) !== before;
    } finally {
      await disconnect(sql);
    }
    const logFile = join(dirname(pg.dataDir), "postgres.log");
    await pgCtl(pg.dataDir, ["-m", "immediate", "-w", "stop"]);
    const start = performance.now();
    await pgCtl(pg.dataDir, ["-W", "-l", logFile, "restart"]);
    await untilAnswered(pg.url, writtenMB, 1_800_000);
    const seconds = (performance.now() - start) / 1000;
    const log = await readFile(logFile, "utf8").catch(() => "");
    const redo = [...log.matchAll(/redo done at [^\n]*/g)].pop()?.[0] ?? "no 'redo done' line";
    return { seconds, replayMB, writtenMB, notes: `wrote ${writtenMB} MiB of 1 MiB updates, `
      + `${replayMB.toFixed(1)} MiB of WAL since the redo point (${checkpointed
        ? "A CHECKPOINT HAPPENED during the writes" : "no checkpoint during the writes"}); `
      + `log: ${redo}` };
  } finally {
    await pg.stop().catch(() => {});
  }
}

async function walSinceRedo(sql: Sql): Promise<number> {
  const rows = await sql.unsafe("select pg_wal_lsn_diff(pg_current_wal_lsn(), redo_lsn) as b "
    + "from pg_control_checkpoint()").simple();
  return Number(rows[0]?.["b"]) / MiB;
}

async function redoPoint(sql: Sql): Promise<string> {
  const rows = await sql.unsafe("select redo_lsn::text as l from pg_control_checkpoint()")
    .simple();
  return String(rows[0]?.["l"]);
}
