/**
 * DDL on distributed tables, timed: `create_distributed_table` of an empty table with 32
 * shards, `ALTER TABLE … ADD COLUMN` and `CREATE INDEX` on it, through a 2-worker
 * `tessera cluster`, beside the same statements on a plain table of PostgreSQL 15 (which has
 * no shards: the ratio shows what distribution costs). Each statement runs `RUNS` times on a
 * fresh table; the median is reported.
 *
 *     node test/dist/bench/ddl-round-trips.js
 */
import { performance } from "node:perf_hooks";
import pg from "pg";
import { startCluster, startReferencePostgres } from "../harness/index.js";

const RUNS = 7;

interface Timings {
  distribute: number[];
  addColumn: number[];
  createIndex: number[];
}

async function timed(client: pg.Client, sql: string): Promise<number> {
  const start = performance.now();
  await client.query(sql);
  return performance.now() - start;
}

async function measure(client: pg.Client, distributed: boolean): Promise<Timings> {
  const timings: Timings = { distribute: [], addColumn: [], createIndex: [] };
  if (distributed) await client.query("SET citus.shard_count = 32");
  for (let run = 0; run < RUNS; run++) {
    const table = `ddl_bench_${run}`;
    await client.query(`CREATE TABLE ${table} (device_id int, event_id bigint, payload text)`);
    timings.distribute.push(distributed
      ? await timed(client, `SELECT create_distributed_table('${table}', 'device_id')`)
      : 0);
    timings.addColumn.push(await timed(client, `ALTER TABLE ${table} ADD COLUMN x int`));
    timings.createIndex.push(await timed(client,
      `CREATE INDEX ${table}_event ON ${table} (event_id)`));
    await client.query(`DROP TABLE ${table}`);
  }
  return timings;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function main(): Promise<void> {
  const [cluster, reference] = await Promise.all([startCluster({ workers: 2 }),
    startReferencePostgres()]);
  const tessera = new pg.Client({ connectionString: cluster.url });
  const postgres = new pg.Client({ connectionString: reference.url });
  try {
    await Promise.all([tessera.connect(), postgres.connect()]);
    const ours = await measure(tessera, true);
    const theirs = await measure(postgres, false);
    const rows: [string, number, number][] = [
      ["create_distributed_table (32 shards)", median(ours.distribute), Number.NaN],
      ["ALTER TABLE ADD COLUMN", median(ours.addColumn), median(theirs.addColumn)],
      ["CREATE INDEX", median(ours.createIndex), median(theirs.createIndex)],
    ];
    for (const [label, tesseraMs, postgresMs] of rows) {
      const ratio = Number.isNaN(postgresMs) ? "" : ` (x${(tesseraMs / postgresMs).toFixed(1)})`;
      const pgText = Number.isNaN(postgresMs) ? "n/a" : `${postgresMs.toFixed(2)} ms`;
      console.log(`${label}: tessera ${tesseraMs.toFixed(2)} ms, postgres ${pgText}${ratio}`);
    }
  } finally {
    await Promise.all([tessera.end(), postgres.end()]);
    await Promise.all([cluster.stop(), reference.stop()]);
  }
}

await main();
