/**
 * Distributed and reference tables outside `public` on a real `tessera cluster --workers 2`,
 * checked against PostgreSQL 15 holding the same tables as plain ones: CREATE SCHEMA reaching
 * the workers, shards named `<schema>.<table>_<shardid>`, router and multi-shard queries,
 * INSERT / COPY / UPDATE / DELETE, ALTER TABLE and CREATE INDEX on the shards, citus_shards,
 * pg_dist_shard and run_command_on_shards, search_path, names that need quoting, DROP TABLE,
 * undistribute_table, DROP SCHEMA [CASCADE], citus.enable_ddl_propagation, and a worker
 * added later with citus_add_node getting the schemas and the shards placed on it.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import pg from "pg";
import {
  onWorkers as workerResults,
  SideBySide, failureOf as failure, startCluster, startReferencePostgres, type ReferencePostgres,
  type Rows, type TesseraCluster,
} from "../harness/index.js";

describe("distributed tables in schemas", () => {
  let cluster: TesseraCluster;
  let reference: ReferencePostgres;
  let tessera: pg.Client;
  let postgres: pg.Client;
  const onWorkers = (sql: string): Promise<string[]> => workerResults(tessera, sql);
  const q = async (sql: string, values: unknown[] = []): Promise<Rows> =>
    (await tessera.query(sql, values)).rows as Rows;
  let side: SideBySide;
  const both = (sql: string): Promise<void> => side.both(sql);
  const same = (sql: string): Promise<Rows> => side.same(sql);
  const sameFailure = (sql: string): Promise<pg.DatabaseError> => side.sameFailure(sql);
  const schemaCount = (name: string): Promise<string[]> => onWorkers(
    `SELECT count(*) FROM information_schema.schemata WHERE schema_name = '${name}'`);
  /** COPY FROM STDIN through the real psql client. */
  const copyIn = (port: number, table: string, lines: string[]): void => {
    execFileSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", "-",
      `host=127.0.0.1 port=${port} dbname=postgres user=postgres`],
    { input: `COPY ${table} FROM STDIN;\n${lines.join("\n")}\n\\.\n`, timeout: 60_000 });
  };

  before(async () => {
    [cluster, reference] = await Promise.all([startCluster({ workers: 2 }),
      startReferencePostgres()]);
    tessera = new pg.Client({ connectionString: cluster.url });
    postgres = new pg.Client({ connectionString: reference.url });
    side = new SideBySide(postgres, tessera);
    await Promise.all([tessera.connect(), postgres.connect()]);
  });
  after(async () => {
    await Promise.all([tessera?.end(), postgres?.end()]);
    await Promise.all([cluster?.stop(), reference?.stop()]);
  });

  test("CREATE SCHEMA reaches every worker; create_distributed_table places shards in it",
    async () => {
      await both("CREATE SCHEMA metrics");
      assert.deepEqual(await schemaCount("metrics"), ["1", "1"]);
      await both("CREATE SCHEMA IF NOT EXISTS metrics");
      await sameFailure("CREATE SCHEMA metrics");
      await both("CREATE SCHEMA AUTHORIZATION postgres");
      await both("CREATE SCHEMA owned AUTHORIZATION postgres");
      const owners = "SELECT schema_name, schema_owner FROM information_schema.schemata" +
        " WHERE schema_name IN ('postgres', 'owned') ORDER BY 1";
      await same(owners);
      assert.deepEqual(await onWorkers(`SELECT string_agg(schema_name || ':' || schema_owner,` +
        ` ',') FROM (${owners}) s`), ["owned:postgres,postgres:postgres",
        "owned:postgres,postgres:postgres"]);
      await both("DROP SCHEMA postgres, owned");
      assert.deepEqual(await schemaCount("owned"), ["0", "0"]);
      await both("CREATE SCHEMA elems CREATE TABLE t (k int)" +
        " CREATE VIEW v AS SELECT k FROM elems.t");
      await both("INSERT INTO elems.t VALUES (1), (2)");
      await same("SELECT sum(k) FROM elems.v");
      await sameFailure("CREATE SCHEMA wrong CREATE TABLE elems.u (k int)");
      await both("DROP SCHEMA elems CASCADE");
      await both("CREATE TABLE metrics.readings (device_id int NOT NULL, ts int NOT NULL, " +
        "v float8, PRIMARY KEY (device_id, ts))");
      await both("CREATE TABLE metrics.kinds (id int PRIMARY KEY, name text)");
      await both("INSERT INTO metrics.kinds VALUES (0, 'zero'), (1, 'one'), (2, 'two')");
      await q("SELECT create_reference_table('metrics.kinds')");
      await q("SELECT create_distributed_table('metrics.readings', 'device_id', " +
        "shard_count => 4)");
      const shards = await q("SELECT shardid, logicalrelid::text AS rel FROM pg_dist_shard" +
        " WHERE logicalrelid = 'metrics.readings'::regclass ORDER BY shardid");
      assert.equal(shards.length, 4);
      assert.ok(shards.every((s) => s["rel"] === "metrics.readings"));
      const names = await q("SELECT shard_name, table_name::text AS t FROM citus_shards" +
        " WHERE table_name = 'metrics.readings'::regclass ORDER BY shardid");
      assert.deepEqual(names.map((n) => n["shard_name"]),
        shards.map((s) => `metrics.readings_${String(s["shardid"])}`));
      assert.ok(names.every((n) => n["t"] === "metrics.readings"));
      const onNodes = await onWorkers("SELECT count(*) FROM information_schema.tables" +
        " WHERE table_schema = 'metrics' AND table_name LIKE 'readings\\_%'");
      assert.deepEqual(onNodes.map(Number).reduce((a, b) => a + b), 4);
    });

  test("writes and queries on schema-qualified tables match PostgreSQL", async () => {
    await both("INSERT INTO metrics.readings SELECT d, t, d * 10 + t" +
      " FROM generate_series(0, 19) d, generate_series(1, 5) t");
    const lines = Array.from({ length: 30 }, (_, i) => `${i % 3}\t${100 + i}\t${i / 2}`);
    copyIn(reference.port, "metrics.readings", lines);
    copyIn(cluster.port, "metrics.readings", lines);
    await same("SELECT count(*), sum(v), min(ts), max(ts) FROM metrics.readings");
    await same("SELECT * FROM metrics.readings WHERE device_id = 7 ORDER BY ts");
    await same("SELECT device_id, count(*), avg(v) FROM metrics.readings" +
      " GROUP BY device_id ORDER BY device_id");
    await same("SELECT k.name, count(*) FROM metrics.readings r JOIN metrics.kinds k" +
      " ON k.id = r.device_id GROUP BY k.name ORDER BY 1");
    await both("UPDATE metrics.readings SET v = -v WHERE device_id = 3");
    await both("DELETE FROM metrics.readings WHERE ts > 120");
    await both("UPDATE metrics.kinds SET name = 'uno' WHERE id = 1");
    await same("SELECT * FROM metrics.readings WHERE device_id IN (1, 3) ORDER BY 1, 2");
    await same("SELECT * FROM metrics.kinds ORDER BY id");
    await same("SELECT count(*) FROM metrics.readings");
  });

  test("ALTER TABLE and CREATE INDEX reach the shards in the schema", async () => {
    await both("ALTER TABLE metrics.readings ADD COLUMN note text DEFAULT 'n'");
    await both("CREATE INDEX readings_ts_idx ON metrics.readings (ts)");
    await both("UPDATE metrics.readings SET note = 'x' || device_id WHERE device_id = 5");
    await same("SELECT device_id, ts, note FROM metrics.readings WHERE device_id = 5" +
      " ORDER BY ts");
    await same("SELECT note, count(*) FROM metrics.readings GROUP BY note ORDER BY note");
    const notes = await q("SELECT result FROM run_command_on_shards('metrics.readings'," +
      " $$SELECT count(note) FROM %s$$) ORDER BY shardid");
    assert.equal(notes.reduce((sum, r) => sum + Number(r["result"]), 0),
      Number((await q("SELECT count(*) AS n FROM metrics.readings"))[0]!["n"]));
    const indexes = await onWorkers("SELECT count(*) FROM pg_indexes" +
      " WHERE schemaname = 'metrics' AND indexname LIKE 'readings\\_ts\\_idx\\_%'");
    assert.equal(indexes.map(Number).reduce((a, b) => a + b), 4);
  });

  test("run_command_on_shards substitutes the schema-qualified shard name", async () => {
    const rows = await q("SELECT shardid, success, result FROM run_command_on_shards(" +
      "'metrics.readings', $$SELECT '%1$s'$$) ORDER BY shardid");
    assert.equal(rows.length, 4);
    for (const row of rows) {
      assert.equal(row["success"], true);
      assert.equal(row["result"], `metrics.readings_${String(row["shardid"])}`);
    }
    const sizes = await q("SELECT result FROM run_command_on_shards('metrics.kinds'," +
      " $$SELECT count(*) FROM %s$$)");
    assert.deepEqual(sizes, [{ result: "3" }]);
  });

  test("search_path resolves unqualified names to tables in a non-public schema", async () => {
    await both("SET search_path TO metrics, public");
    try {
      await same("SELECT count(*), sum(v) FROM readings");
      await same("SELECT * FROM readings WHERE device_id = 2 ORDER BY ts");
      await both("INSERT INTO readings VALUES (42, 1, 4.2, 'p')");
      await both("CREATE TABLE events (device_id int, kind int)");
      await both("INSERT INTO events SELECT g % 7, g % 3 FROM generate_series(1, 50) g");
      await q("SELECT create_distributed_table('events', 'device_id', shard_count => 4)");
      const placed = await q("SELECT count(*)::int AS n FROM pg_dist_shard" +
        " WHERE logicalrelid = 'metrics.events'::regclass AND logicalrelid = 'events'::regclass");
      assert.deepEqual(placed, [{ n: 4 }]);
      await same("SELECT e.kind, count(*) FROM events e JOIN readings r" +
        " ON r.device_id = e.device_id GROUP BY e.kind ORDER BY 1");
    } finally {
      await both("RESET search_path");
    }
    await same("SELECT count(*) FROM metrics.events");
    const shardNames = await q("SELECT DISTINCT shard_name LIKE 'metrics.events\\_%' AS ok" +
      " FROM citus_shards WHERE table_name = 'metrics.events'::regclass");
    assert.deepEqual(shardNames, [{ ok: true }]);
  });

  test("tables and schemas whose names need quoting", async () => {
    await both("CREATE TABLE \"Mixed Case\" (\"Dev Id\" int, \"Val\" text)");
    await both("CREATE SCHEMA \"My Schema\"");
    await both("CREATE TABLE \"My Schema\".\"t x\" (k int PRIMARY KEY, \"Some Value\" text)");
    await q("SELECT create_distributed_table('\"Mixed Case\"', 'Dev Id', shard_count => 4)");
    await q("SELECT create_distributed_table('\"My Schema\".\"t x\"', 'k', shard_count => 4)");
    await both("INSERT INTO \"Mixed Case\" SELECT g, 'v' || g FROM generate_series(1, 12) g");
    await both("INSERT INTO \"My Schema\".\"t x\" SELECT g, 's' || g" +
      " FROM generate_series(1, 12) g");
    copyIn(reference.port, "\"My Schema\".\"t x\"", ["100\ta", "101\tb"]);
    copyIn(cluster.port, "\"My Schema\".\"t x\"", ["100\ta", "101\tb"]);
    await same("SELECT * FROM \"Mixed Case\" WHERE \"Dev Id\" = 5");
    await same("SELECT count(*), max(\"Val\") FROM \"Mixed Case\"");
    await same("SELECT * FROM \"My Schema\".\"t x\" WHERE k = 101");
    await same("SELECT m.\"Val\", t.\"Some Value\" FROM \"Mixed Case\" m" +
      " JOIN \"My Schema\".\"t x\" t ON t.k = m.\"Dev Id\" ORDER BY 1");
    await both("ALTER TABLE \"My Schema\".\"t x\" ADD COLUMN \"New Col\" int DEFAULT 7");
    await same("SELECT sum(\"New Col\") FROM \"My Schema\".\"t x\"");
    assert.deepEqual(await schemaCount("My Schema"), ["1", "1"]);
    const names = await q("SELECT DISTINCT shard_name LIKE '\"My Schema\".\"t x\\_%\"' AS ok" +
      " FROM citus_shards WHERE table_name = '\"My Schema\".\"t x\"'::regclass");
    assert.deepEqual(names, [{ ok: true }]);
    const counts = await q("SELECT result FROM run_command_on_shards('\"My Schema\".\"t x\"'," +
      " $$SELECT count(*) FROM %s$$)");
    assert.equal(counts.reduce((sum, r) => sum + Number(r["result"]), 0), 14);
  });

  test("DROP TABLE and undistribute_table of tables in a schema", async () => {
    await both("DROP TABLE \"My Schema\".\"t x\"");
    await same("SELECT count(*) FROM pg_class WHERE relname = 't x'");
    const left = await onWorkers("SELECT count(*) FROM information_schema.tables" +
      " WHERE table_schema = 'My Schema'");
    assert.deepEqual(left, ["0", "0"]);
    await q("SELECT undistribute_table('metrics.events')");
    await same("SELECT count(*) FROM metrics.events");
    const gone = await q("SELECT count(*) AS n FROM pg_dist_partition" +
      " WHERE logicalrelid = 'metrics.events'::regclass");
    assert.deepEqual(gone, [{ n: "0" }]);
    const shards = await onWorkers("SELECT count(*) FROM information_schema.tables" +
      " WHERE table_schema = 'metrics' AND table_name LIKE 'events\\_%'");
    assert.deepEqual(shards, ["0", "0"]);
  });

  test("ALTER SCHEMA RENAME reaches the coordinator and every worker", async () => {
    await both("CREATE SCHEMA before_rename");
    await both("CREATE TABLE before_rename.t (k int, v int)");
    await both("INSERT INTO before_rename.t SELECT g, g FROM generate_series(1, 9) g");
    await q("SELECT create_distributed_table('before_rename.t', 'k', shard_count => 2)");
    await both("ALTER SCHEMA before_rename RENAME TO after_rename");
    await same("SELECT count(*), sum(v) FROM after_rename.t");
    await same("SELECT * FROM after_rename.t WHERE k = 4");
    assert.deepEqual(await schemaCount("after_rename"), ["1", "1"]);
    await both("DROP SCHEMA after_rename CASCADE");
    assert.deepEqual(await schemaCount("before_rename"), ["0", "0"]);
  });

  test("DROP SCHEMA refuses a non-empty schema; CASCADE drops its Citus tables", async () => {
    const error = await sameFailure("DROP SCHEMA metrics");
    assert.equal(error.code, "2BP01");
    await both("DROP SCHEMA metrics CASCADE");
    await same("SELECT count(*) FROM pg_namespace WHERE nspname = 'metrics'");
    const tables = await q("SELECT count(*)::int AS n FROM pg_dist_partition p" +
      " JOIN pg_dist_shard s USING (logicalrelid)");
    const remaining = await q("SELECT logicalrelid::text AS rel FROM pg_dist_partition" +
      " ORDER BY 1");
    assert.deepEqual(remaining, [{ rel: "\"Mixed Case\"" }]);
    assert.deepEqual(tables, [{ n: 4 }]);
    assert.deepEqual(await schemaCount("metrics"), ["0", "0"]);
    assert.deepEqual(await onWorkers("SELECT count(*) FROM information_schema.tables" +
      " WHERE table_schema = 'metrics'"), ["0", "0"]);
    await both("DROP SCHEMA IF EXISTS metrics");
    await both("DROP SCHEMA \"My Schema\"");
    assert.deepEqual(await schemaCount("My Schema"), ["0", "0"]);
  });

  test("citus.enable_ddl_propagation off: the schema reaches a node with its first shard",
    async () => {
      await q("SET citus.enable_ddl_propagation TO off");
      try {
        await q("CREATE SCHEMA quiet");
      } finally {
        await q("RESET citus.enable_ddl_propagation");
      }
      assert.deepEqual(await schemaCount("quiet"), ["0", "0"]);
      await q("CREATE TABLE quiet.t (k int, v text)");
      await q("INSERT INTO quiet.t SELECT g, 'q' FROM generate_series(1, 10) g");
      await q("SELECT create_distributed_table('quiet.t', 'k', shard_count => 4)");
      assert.deepEqual(await schemaCount("quiet"), ["1", "1"]);
      assert.deepEqual(await q("SELECT count(*)::int AS n FROM quiet.t"), [{ n: 10 }]);
      await q("BEGIN");
      await q("CREATE SCHEMA rolled_back");
      assert.deepEqual(await q("SELECT count(*)::int AS n FROM pg_namespace" +
        " WHERE nspname = 'rolled_back'"), [{ n: 1 }]);
      await q("ROLLBACK");
      assert.deepEqual(await schemaCount("rolled_back"), ["0", "0"]);
    });

  test("BEGIN … ROLLBACK undoes schemas, distribution and DROP SCHEMA CASCADE", async () => {
    const tables = async (): Promise<Rows> =>
      q("SELECT logicalrelid::text AS rel FROM pg_dist_partition ORDER BY 1");
    const start = await tables();
    await q("BEGIN");
    await q("CREATE SCHEMA tx");
    await q("CREATE TABLE tx.t (k int, v int)");
    await q("SELECT create_distributed_table('tx.t', 'k', shard_count => 4)");
    await q("INSERT INTO tx.t VALUES (1, 1), (2, 2)");
    await q("ROLLBACK");
    assert.deepEqual(await tables(), start);
    assert.deepEqual(await schemaCount("tx"), ["0", "0"]);
    await q("CREATE TABLE quiet.kept (k int)");
    await q("BEGIN");
    await q("SAVEPOINT before");
    await q("SELECT create_distributed_table('quiet.kept', 'k', shard_count => 2)");
    await q("ROLLBACK TO SAVEPOINT before");
    await q("COMMIT");
    assert.deepEqual(await tables(), start);
    await q("BEGIN");
    await q("DROP SCHEMA quiet CASCADE");
    await q("ROLLBACK");
    assert.deepEqual(await tables(), start);
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM quiet.t"), [{ n: 10 }]);
    assert.deepEqual(await schemaCount("quiet"), ["1", "1"]);
    await q("DROP TABLE quiet.kept");
  });

  test("a worker added with citus_add_node gets the schemas and the shards placed there",
    async () => {
      const extra = await startCluster({ role: "worker" });
      const worker = new pg.Client({ host: "127.0.0.1", port: extra.port, user: "postgres",
        database: "postgres" });
      try {
        await q("CREATE SCHEMA later");
        await q("CREATE TABLE later.kinds (id int PRIMARY KEY, name text)");
        await q("INSERT INTO later.kinds VALUES (1, 'a'), (2, 'b')");
        await q("SELECT create_reference_table('later.kinds')");
        await q("SELECT citus_add_node('127.0.0.1', $1)", [extra.port]);
        await worker.connect();
        const schemas = await worker.query("SELECT schema_name FROM information_schema.schemata" +
          " WHERE schema_name IN ('later', 'quiet') ORDER BY 1");
        assert.deepEqual(schemas.rows, [{ schema_name: "later" }, { schema_name: "quiet" }]);
        const kinds = await q("SELECT shardid FROM pg_dist_shard" +
          " WHERE logicalrelid = 'later.kinds'::regclass");
        const copied = await worker.query(
          `SELECT count(*)::int AS n FROM later.kinds_${String(kinds[0]!["shardid"])}`);
        assert.deepEqual(copied.rows, [{ n: 2 }]);
        await q("SET citus.enable_ddl_propagation TO off");
        try {
          await q("CREATE SCHEMA lazy");
        } finally {
          await q("RESET citus.enable_ddl_propagation");
        }
        await q("CREATE TABLE lazy.r (k int, v int)");
        await q("SELECT create_distributed_table('lazy.r', 'k', shard_count => 6)");
        const ports = await q("SELECT DISTINCT nodeport FROM citus_shards" +
          " WHERE table_name = 'lazy.r'::regclass ORDER BY 1");
        assert.equal(ports.length, 3);
        const here = await worker.query("SELECT count(*)::int AS n FROM information_schema.tables" +
          " WHERE table_schema = 'lazy'");
        assert.deepEqual(here.rows, [{ n: 2 }]);
        await q("INSERT INTO lazy.r SELECT g, g FROM generate_series(1, 60) g");
        assert.deepEqual(await q("SELECT count(*)::int AS n, sum(v)::int AS s FROM lazy.r"),
          [{ n: 60, s: 1830 }]);
      } finally {
        await worker.end().catch(() => undefined);
        await extra.stop();
      }
    });
});
