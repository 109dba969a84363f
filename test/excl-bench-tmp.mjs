import { startCluster, startReferencePostgres } from "./dist/harness/index.js";
import pg from "pg";
const [c, ref] = await Promise.all([startCluster({ workers: 0 }), startReferencePostgres()]);
const t = new pg.Client({ connectionString: c.url }); await t.connect();
const p = new pg.Client({ connectionString: ref.url }); await p.connect();
const n = Number(process.argv[2] ?? 5000);
for (const [name, cl] of [["postgres", p], ["tessera", t]]) {
  await cl.query("create extension btree_gist");
  await cl.query("create table b1 (room int, during int4range, exclude using gist (room with =, during with &&))");
  await cl.query("create table b2 (id int, during int4range, exclude using gist (during with &&))");
  let s = performance.now();
  await cl.query(`insert into b1 select g % 50, int4range(g, g + 1) from generate_series(1, ${n}) g`);
  const a = performance.now() - s;
  s = performance.now();
  await cl.query(`insert into b2 select g, int4range(g, g + 1) from generate_series(1, ${n}) g`);
  const b = performance.now() - s;
  console.log(name, `room=,during&&: ${a.toFixed(0)} ms`, `during&&: ${b.toFixed(0)} ms`);
}
await t.end(); await p.end(); await c.stop(); await ref.stop();
