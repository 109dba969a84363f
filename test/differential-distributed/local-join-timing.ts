/**
 * Times a local table joined with a distributed table (the local rows shipped to the 32
 * tasks) in Tessera (coordinator + 2 workers) and the same query over plain tables in
 * PostgreSQL 15, in one run, and prints the medians and their ratio:
 *
 *     npx tsc -b test && node test/dist/differential-distributed/local-join-timing.js
 */
import pg from "pg";
import { startCluster, startReferencePostgres } from "../harness/index.js";

const ROWS = 200_000;
const RUNS = 7;
const schema = [
  "CREATE TABLE ev (device_id int, event_id int, qty int, PRIMARY KEY (device_id, event_id))",
  "CREATE TABLE loc (k int PRIMARY KEY, label text)",
];
const load = [
  `INSERT INTO ev SELECT i % 1000, i, i % 17 FROM generate_series(1, ${ROWS}) i`,
  "INSERT INTO loc SELECT i, 'label ' || i FROM generate_series(1, 1000) i",
];
const query = "SELECT l.label, count(*), sum(e.qty) FROM ev e JOIN loc l ON l.k = e.device_id " +
  "WHERE l.k % 10 = 3 GROUP BY l.label ORDER BY 2 DESC, 1 LIMIT 5";
/** The same work without the local table, for scale: a plain multi-shard aggregate. */
const plain = "SELECT e.device_id, count(*), sum(e.qty) FROM ev e WHERE e.device_id % 10 = 3 " +
  "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5";

async function median(client: pg.Client, sql = query): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await client.query(sql);
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
}

const [reference, cluster] = await Promise.all([
  startReferencePostgres({ settings: { jit: "off" } }), startCluster({ workers: 2 }),
]);
try {
  const ref = new pg.Client({ connectionString: reference.url });
  const tes = new pg.Client({ connectionString: cluster.url });
  await Promise.all([ref.connect(), tes.connect()]);
  for (const sql of schema) await Promise.all([ref.query(sql), tes.query(sql)]);
  await tes.query("SELECT create_distributed_table('ev', 'device_id')");
  for (const sql of load) await Promise.all([ref.query(sql), tes.query(sql)]);
  await ref.query("ANALYZE");
  const same = JSON.stringify((await ref.query(query)).rows) ===
    JSON.stringify((await tes.query(query)).rows);
  const pgMs = await median(ref);
  const tesMs = await median(tes);
  const pgPlain = await median(ref, plain);
  const tesPlain = await median(tes, plain);
  process.stdout.write(`plain multi-shard aggregate: PostgreSQL ${pgPlain.toFixed(1)} ms, ` +
    `Tessera ${tesPlain.toFixed(1)} ms, ratio ${(tesPlain / pgPlain).toFixed(2)}x\n`);
  process.stdout.write(`local⋈distributed, ${ROWS} events, 1000 local rows: ` +
    `PostgreSQL ${pgMs.toFixed(1)} ms, Tessera ${tesMs.toFixed(1)} ms, ` +
    `ratio ${(tesMs / pgMs).toFixed(2)}x, same rows: ${same}\n`);
  await Promise.all([ref.end(), tes.end()]);
} finally {
  await Promise.allSettled([reference.stop(), cluster.stop()]);
}
