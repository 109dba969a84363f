/**
 * Distributed tables end to end, following the Citus tutorial (/work/shared/seeds): a real
 * `tessera cluster --workers 2`, reached with psql and node-postgres. A reference table,
 * two colocated distributed tables, INSERT and COPY routed by hash, router and multi-shard
 * queries, EXPLAIN's task counts, the pg_dist_* catalogs and Citus's errors.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { psql, startCluster, type TesseraCluster } from "../harness/index.js";

describe("distributed tables", () => {
  let cluster: TesseraCluster;
  let client: pg.Client;
  const q = async (sql: string, values: unknown[] = []): Promise<Record<string, unknown>[]> =>
    (await client.query(sql, values)).rows as Record<string, unknown>[];

  before(async () => {
    cluster = await startCluster({ workers: 2 });
    client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
  });
  after(async () => {
    await client.end();
    await cluster.stop();
  });

  test("create_reference_table copies existing rows with Citus's notices", async () => {
    const out = await psql(cluster.port,
      "CREATE TABLE device_types (device_type_id int PRIMARY KEY, name text);" +
      " INSERT INTO device_types VALUES (1, 'truck'), (2, 'warehouse');" +
      " SELECT create_reference_table('device_types');", { extraArgs: ["-q"] });
    assert.match(out, /create_reference_table/);
    const rows = await q("SELECT * FROM device_types ORDER BY 1");
    assert.deepEqual(rows, [{ device_type_id: 1, name: "truck" },
      { device_type_id: 2, name: "warehouse" }]);
    const placements = await q("SELECT count(*)::int AS n FROM pg_dist_placement p" +
      " JOIN pg_dist_shard s USING (shardid) WHERE s.logicalrelid = 'device_types'::regclass");
    assert.deepEqual(placements, [{ n: 2 }]);
  });

  test("create_distributed_table makes 32 colocated shards from 102009 on", async () => {
    await q("CREATE TABLE devices (device_id int PRIMARY KEY, device_type_id int, name text)");
    await q("SELECT create_distributed_table('devices', 'device_id')");
    await q("CREATE TABLE events (event_id bigserial, device_id int NOT NULL," +
      " created_at timestamptz DEFAULT now(), payload jsonb, PRIMARY KEY (device_id, event_id))");
    await q("SELECT create_distributed_table('events', 'device_id')");
    const counts = await q("SELECT logicalrelid::text AS t, count(shardid)::int AS n," +
      " min(shardid)::int AS first FROM pg_dist_shard GROUP BY 1 ORDER BY 1");
    assert.deepEqual(counts, [{ t: "device_types", n: 1, first: 102008 },
      { t: "devices", n: 32, first: 102009 }, { t: "events", n: 32, first: 102041 }]);
    const groups = await q("SELECT colocationid, shardcount, replicationfactor," +
      " distributioncolumntype::int AS type FROM pg_dist_colocation ORDER BY 1");
    assert.deepEqual(groups, [
      { colocationid: 1, shardcount: 1, replicationfactor: -1, type: 0 },
      { colocationid: 2, shardcount: 32, replicationfactor: 1, type: 23 }]);
    const ranges = await q("SELECT shardminvalue, shardmaxvalue FROM pg_dist_shard" +
      " WHERE logicalrelid = 'events'::regclass ORDER BY shardid LIMIT 2");
    assert.deepEqual(ranges, [
      { shardminvalue: "-2147483648", shardmaxvalue: "-2013265921" },
      { shardminvalue: "-2013265920", shardmaxvalue: "-1879048193" }]);
    const tables = await q("SELECT table_name::text, citus_table_type, distribution_column," +
      " shard_count::int FROM citus_tables ORDER BY 1");
    assert.deepEqual(tables.map((t) => t["citus_table_type"]),
      ["reference", "distributed", "distributed"]);
  });

  test("INSERT and COPY route rows by hash; defaults come from the coordinator", async () => {
    await q("INSERT INTO devices VALUES (1, 1, 'one'), (2, 1, 'two'), (42, 2, 'answer')");
    const inserted = await client.query("INSERT INTO events (device_id, payload) VALUES" +
      " ($1, '{\"humidity\": 80, \"temperature\": 50}'), (1, '{\"humidity\": 65," +
      " \"temperature\": 57}') RETURNING event_id, device_id", [42]);
    assert.equal(inserted.rowCount, 2);
    const copy = "42\t{\"humidity\": 62, \"temperature\": 58}\n" +
      "2\t{\"humidity\": 55, \"temperature\": 61}\n" +
      "42\t{\"humidity\": 90, \"temperature\": 70}\n";
    const dir = mkdtempSync(join(tmpdir(), "tessera-copy-"));
    const file = join(dir, "copy.sql");
    writeFileSync(file, `\\copy events (device_id, payload) from stdin\n${copy}\\.\n`);
    try {
      const out = await psql(cluster.port, "SELECT 'loaded'", { extraArgs: ["-f", file] });
      assert.match(out, /COPY 3/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM events"), [{ n: 5 }]);
    const ids = await q("SELECT event_id::int AS id FROM events ORDER BY 1");
    assert.deepEqual(ids.map((r) => r["id"]), [1, 2, 3, 4, 5]);
    const shards = await q("SELECT count(DISTINCT get_shard_id_for_distribution_column(" +
      "'events', device_id))::int AS n FROM (VALUES (1), (2), (42)) v(device_id)");
    assert.deepEqual(shards, [{ n: 3 }]);
  });

  test("the outliers GROUP BY runs on all shards; device 42 is a router query", async () => {
    const outliers = await q("SELECT device_id," +
      " COUNT((CASE WHEN (payload ->> 'humidity')::decimal < 60 THEN 1 ELSE NULL END))" +
      " AS LowHumidity," +
      " COUNT((CASE WHEN (payload ->> 'humidity')::decimal > 70 THEN 1 ELSE NULL END))" +
      " AS HighHumidity FROM events GROUP BY device_id ORDER BY device_id");
    assert.deepEqual(outliers, [{ device_id: 1, lowhumidity: "0", highhumidity: "0" },
      { device_id: 2, lowhumidity: "1", highhumidity: "0" },
      { device_id: 42, lowhumidity: "0", highhumidity: "2" }]);
    const device42 = await q("SELECT event_id::int AS id FROM events WHERE device_id = 42" +
      " AND ((payload ->> 'humidity')::decimal NOT BETWEEN 60 AND 70" +
      " OR (payload ->> 'temperature')::decimal NOT BETWEEN 55 AND 60) ORDER BY event_id DESC");
    assert.deepEqual(device42.map((r) => r["id"]), [5, 1]);
    const byParam = await client.query("SELECT count(*)::int AS n FROM events" +
      " WHERE device_id = $1", [42]);
    assert.deepEqual(byParam.rows, [{ n: 3 }]);
  });

  test("multi-shard aggregates combine on the coordinator", async () => {
    const total = await q("SELECT count(*) AS c, sum(device_id) AS s, min(device_id) AS lo," +
      " max(device_id) AS hi, avg(device_id) AS a FROM events");
    assert.deepEqual(total, [{ c: "5", s: "129", lo: 1, hi: 42, a: "25.8000000000000000" }]);
    const grouped = await q("SELECT payload ->> 'temperature' AS t, count(*)::int AS n" +
      " FROM events GROUP BY 1 HAVING count(*) >= 1 ORDER BY 1 LIMIT 2");
    assert.deepEqual(grouped, [{ t: "50", n: 1 }, { t: "57", n: 1 }]);
    const top = await q("SELECT device_id FROM events ORDER BY device_id DESC LIMIT 2");
    assert.deepEqual(top, [{ device_id: 42 }, { device_id: 42 }]);
    const joined = await q("SELECT t.name, count(*)::int AS n FROM events e" +
      " JOIN devices d ON e.device_id = d.device_id" +
      " JOIN device_types t ON t.device_type_id = d.device_type_id GROUP BY t.name ORDER BY 1");
    assert.deepEqual(joined, [{ name: "truck", n: 2 }, { name: "warehouse", n: 3 }]);
  });

  test("EXPLAIN shows Citus's Custom Scan with 32 tasks, or 1 for device 42", async () => {
    const multi = await psql(cluster.port, "EXPLAIN SELECT device_id, count(*) FROM events" +
      " GROUP BY device_id", { tuplesOnly: true });
    const lines = multi.split("\n");
    assert.equal(lines[0],
      "Custom Scan (Citus Adaptive)  (cost=0.00..0.00 rows=100000 width=12)");
    assert.equal(lines[1], "  Task Count: 32");
    assert.equal(lines[2], "  Tasks Shown: One of 32");
    assert.equal(lines[3], "  ->  Task");
    assert.match(lines[4]!, /^ {8}Node: host=127\.0\.0\.1 port=\d+ dbname=postgres$/);
    assert.match(multi, /Seq Scan on events_102041 events/);
    const router = await psql(cluster.port, "EXPLAIN (COSTS OFF) SELECT * FROM events" +
      " WHERE device_id = 42", { tuplesOnly: true });
    const routerLines = router.split("\n");
    assert.deepEqual(routerLines.slice(0, 4), ["Custom Scan (Citus Adaptive)",
      "  Task Count: 1", "  Tasks Shown: All", "  ->  Task"]);
    const shard = await q("SELECT get_shard_id_for_distribution_column('events', 42)::int AS s");
    assert.match(router, new RegExp(`on events_${String(shard[0]!["s"])} events`));
  });

  test("UPDATE, DELETE, DDL and TRUNCATE reach the shards", async () => {
    assert.equal((await client.query("UPDATE events SET payload = '{}' WHERE device_id = 2"))
      .rowCount, 1);
    await assert.rejects(client.query("UPDATE events SET device_id = 3 WHERE device_id = 2"),
      (e: { code?: string; message?: string }) => e.code === "0A000" &&
        e.message === "modifying the partition value of rows is not allowed");
    await q("ALTER TABLE events ADD COLUMN note text");
    await q("CREATE INDEX ON events (created_at)");
    assert.equal((await client.query("UPDATE events SET note = 'x' WHERE note IS NULL"))
      .rowCount, 5);
    assert.equal((await client.query("DELETE FROM events WHERE device_id = 1")).rowCount, 1);
    const notes = await q("SELECT note, count(*)::int AS n FROM events GROUP BY note");
    assert.deepEqual(notes, [{ note: "x", n: 4 }]);
    const onShards = await q("SELECT count(*)::int AS n FROM run_command_on_shards('events'," +
      " $cmd$ SELECT count(*) FROM %1$s $cmd$) WHERE success");
    assert.deepEqual(onShards, [{ n: 32 }]);
    await q("TRUNCATE events");
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM events"), [{ n: 0 }]);
  });

  test("the tutorial's users and books: Citus's errors and functions", async () => {
    await q("CREATE TABLE users (email text PRIMARY KEY, bday date NOT NULL)");
    await q("SELECT create_distributed_table('users', 'email')");
    await q("INSERT INTO users SELECT md5(i::text) || '@test.com', date '2000-01-01' + i" +
      " FROM generate_series(1, 1000) i");
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM users"), [{ n: 1000 }]);
    const shard = await q("SELECT get_shard_id_for_distribution_column('users', 'hi@test.com')" +
      " AS s");
    assert.ok(Number(shard[0]!["s"]) >= 102073);
    await q("CREATE TABLE books (owner_email text REFERENCES users (email)," +
      " isbn text NOT NULL, title text NOT NULL)");
    await q("SELECT create_distributed_table('books', 'owner_email')");
    await assert.rejects(q("ALTER TABLE books ADD CONSTRAINT books_isbn UNIQUE (isbn)"),
      (e: { code?: string; message?: string; detail?: string }) => e.code === "0A000" &&
        e.message === "cannot create constraint on \"books\"" &&
        e.detail === "Distributed relations cannot have UNIQUE, EXCLUDE, or PRIMARY KEY " +
          "constraints that do not include the partition column (with an equality operator " +
          "if EXCLUDE).");
    await q("ALTER TABLE books ADD CONSTRAINT books_isbn UNIQUE (owner_email, isbn)");
    await assert.rejects(q("SELECT create_distributed_table('books', 'isbn')"),
      (e: { code?: string; message?: string }) => e.code === "42P16" &&
        e.message === "table \"books\" is already distributed");
    await q("CREATE TABLE nokey (a int, b int UNIQUE)");
    await assert.rejects(q("SELECT create_distributed_table('nokey', 'c')"),
      (e: { code?: string }) => e.code === "42703");
    await assert.rejects(q("SELECT create_distributed_table('nokey', 'a')"),
      (e: { code?: string }) => e.code === "0A000");
    const workers = await q("SELECT * FROM run_command_on_workers('select 1')");
    assert.deepEqual(workers.map((w) => [w["success"], w["result"]]), [[true, "1"], [true, "1"]]);
    await q("DROP TABLE books");
    const left = await q("SELECT count(*)::int AS n FROM pg_dist_partition" +
      " WHERE logicalrelid::text = 'books'");
    assert.deepEqual(left, [{ n: 0 }]);
  });

  test("pg_dist_placement joins pg_dist_node and pg_dist_shard", async () => {
    const rows = await q("SELECT shard.logicalrelid::text AS t, placement.shardid," +
      " node.nodeport FROM pg_dist_placement placement JOIN pg_dist_node node" +
      " ON placement.groupid = node.groupid JOIN pg_dist_shard shard" +
      " ON shard.shardid = placement.shardid WHERE shard.logicalrelid = 'events'::regclass" +
      " ORDER BY placement.shardid LIMIT 2");
    assert.equal(rows.length, 2);
    assert.notEqual(rows[0]!["nodeport"], rows[1]!["nodeport"]);
    const shards = await q("SELECT nodeport, count(*)::int AS n FROM citus_shards" +
      " WHERE table_name = 'events'::regclass GROUP BY nodeport ORDER BY 1");
    assert.deepEqual(shards.map((s) => s["n"]), [16, 16]);
  });
});
