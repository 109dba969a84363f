/**
 * Renames and schema moves on a real `tessera cluster --workers 2`, checked against
 * PostgreSQL 15 holding the same tables as plain ones: RENAME COLUMN (the distribution column
 * too), RENAME CONSTRAINT, ALTER INDEX … RENAME, RENAME TO, SET SCHEMA and ALTER SCHEMA …
 * RENAME TO reach every shard (`<name>_<shardid>`), the metadata follows (pg_dist_partition,
 * citus_tables, citus_shards), all-or-nothing across shards, and router, multi-shard,
 * INSERT and COPY work afterwards, including fast-path queries planned before the rename.
 * Then the engine alone: ALTER SCHEMA RENAME and SET SCHEMA on plain tables, compared with
 * PostgreSQL, and kept across a restart.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import pg from "pg";
import {
  onWorkers as workerResults,
  SideBySide, clusterBesidePostgres, failureOf as failure, startCluster, startReferencePostgres,
  type ClusterBesidePostgres, type ReferencePostgres, type Rows, type TesseraCluster,
} from "../harness/index.js";

describe("renames of distributed and reference tables", () => {
  let servers: ClusterBesidePostgres;
  let cluster: TesseraCluster;
  let reference: ReferencePostgres;
  let tessera: pg.Client;
  const onWorkers = (sql: string): Promise<string[]> => workerResults(tessera, sql);
  const q = async (sql: string): Promise<Rows> => (await tessera.query(sql)).rows as Rows;
  let side: SideBySide;
  const both = (sql: string): Promise<void> => side.both(sql);
  const same = (sql: string): Promise<Rows> => side.same(sql);
  const sameFailure = (sql: string): Promise<pg.DatabaseError> => side.sameFailure(sql);
  /** One result per shard of `table` from run_command_on_shards, by shard id. */
  const onShards = async (table: string, sql: string): Promise<Map<string, string>> => {
    const rows = await q(`SELECT shardid, success, result FROM run_command_on_shards(` +
      `'${table}', $cmd$${sql}$cmd$) ORDER BY shardid`);
    assert.ok(rows.length > 0, table);
    return new Map(rows.map((r) => {
      assert.equal(r["success"], true, String(r["result"]));
      return [String(r["shardid"]), String(r["result"])];
    }));
  };
  const copyIn = (port: number, table: string, lines: string[]): void => {
    execFileSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", "-",
      `host=127.0.0.1 port=${port} dbname=postgres user=postgres`],
    { input: `COPY ${table} FROM STDIN;\n${lines.join("\n")}\n\\.\n`, timeout: 60_000 });
  };
  /** Router, multi-shard, INSERT and COPY on a table, the same as PostgreSQL. */
  const queriesWork = async (table: string, key: string, base: number): Promise<void> => {
    await same(`SELECT * FROM ${table} WHERE ${key} = 3 ORDER BY 1, 2`);
    await same(`SELECT count(*), sum(${key}) FROM ${table}`);
    await both(`INSERT INTO ${table} VALUES (${base}, ${base}, 'ins')`);
    const lines = [`${base + 1}\t1\tcopied`, `${base + 2}\t2\tcopied`];
    copyIn(reference.port, table, lines);
    copyIn(cluster.port, table, lines);
    await same(`SELECT * FROM ${table} WHERE ${key} >= ${base} ORDER BY 1`);
    await same(`SELECT * FROM ${table} ORDER BY 1, 2`);
  };
  const shardIds = async (table: string): Promise<string[]> =>
    (await q(`SELECT shardid FROM pg_dist_shard WHERE logicalrelid = '${table}'::regclass` +
      " ORDER BY shardid")).map((r) => String(r["shardid"]));

  before(async () => {
    servers = await clusterBesidePostgres();
    ({ cluster, reference, tessera, side } = servers);
    await both("CREATE TABLE events (id int, k int, v text," +
      " CONSTRAINT v_len CHECK (length(v) < 20))");
    await both("CREATE INDEX events_v_idx ON events (v)");
    await both("INSERT INTO events SELECT g, g % 5, 'e' || g FROM generate_series(1, 40) g");
    await both("CREATE TABLE kinds (k int PRIMARY KEY, name text)");
    await both("INSERT INTO kinds SELECT g, 'kind' || g FROM generate_series(0, 4) g");
    await q("SELECT create_distributed_table('events', 'id', shard_count => 4)");
    await q("SELECT create_reference_table('kinds')");
  });
  after(async () => {
    await servers?.stop();
  });

  test("RENAME COLUMN reaches every shard; fast-path queries see the new column", async () => {
    await same("SELECT * FROM events WHERE id = 7");
    await same("SELECT * FROM events WHERE id = 7");
    await both("ALTER TABLE events RENAME COLUMN v TO body");
    await same("SELECT * FROM events WHERE id = 7");
    const columns = await onShards("events", "SELECT string_agg(attname, ',' ORDER BY attnum)" +
      " FROM pg_attribute WHERE attrelid = '%s'::regclass AND attnum > 0");
    assert.deepEqual([...new Set(columns.values())], ["id,k,body"]);
    await both("ALTER TABLE events RENAME COLUMN id TO event_id");
    assert.deepEqual(await q("SELECT distribution_column FROM citus_tables" +
      " WHERE table_name = 'events'::regclass"), [{ distribution_column: "event_id" }]);
    await sameFailure("ALTER TABLE events RENAME COLUMN nope TO other");
    await sameFailure("ALTER TABLE events RENAME COLUMN k TO body");
    await both("ALTER TABLE kinds RENAME COLUMN name TO label");
    assert.deepEqual([...new Set((await onShards("kinds", "SELECT string_agg(attname, ','" +
      " ORDER BY attnum) FROM pg_attribute WHERE attrelid = '%s'::regclass AND attnum > 0"))
      .values())], ["k,label"]);
    await same("SELECT e.event_id, k.label FROM events e JOIN kinds k ON k.k = e.k" +
      " WHERE e.event_id < 6 ORDER BY 1");
    await queriesWork("events", "event_id", 100);
  });

  test("RENAME CONSTRAINT and ALTER INDEX … RENAME rename the shard objects", async () => {
    await both("ALTER TABLE events RENAME CONSTRAINT v_len TO body_len");
    const checks = await onShards("events", "SELECT string_agg(conname, ',') FROM pg_constraint" +
      " WHERE conrelid = '%s'::regclass AND contype = 'c'");
    for (const [id, names] of checks) assert.equal(names, `body_len_${id}`);
    // As on Citus, the error names the shard and its constraint.
    const violation = await failure(tessera, "INSERT INTO events VALUES (1, 1, repeat('x', 30))");
    assert.equal(violation.code, "23514");
    assert.match(violation.message, /violates check constraint "body_len_\d+"/);
    await both("ALTER INDEX events_v_idx RENAME TO events_body_idx");
    const indexes = await onShards("events", "SELECT string_agg(indexrelid::regclass::text," +
      " ',') FROM pg_index WHERE indrelid = '%s'::regclass");
    for (const [id, names] of indexes) assert.equal(names, `events_body_idx_${id}`);
    await same("SELECT relname FROM pg_class WHERE relname LIKE 'events\\_%' ORDER BY 1");
    await sameFailure("ALTER INDEX events_v_idx RENAME TO other_idx");
  });

  test("RENAME TO renames the shards; the metadata follows", async () => {
    const ids = await shardIds("events");
    await same("SELECT count(*) FROM events WHERE event_id = 3");
    await both("ALTER TABLE events RENAME TO happenings");
    assert.deepEqual(await shardIds("happenings"), ids);
    assert.deepEqual((await q("SELECT shard_name FROM citus_shards WHERE table_name =" +
      " 'happenings'::regclass ORDER BY shardid")).map((r) => r["shard_name"]),
    ids.map((id) => `happenings_${id}`));
    assert.deepEqual(await q("SELECT logicalrelid::text AS rel, partmethod FROM" +
      " pg_dist_partition WHERE logicalrelid::text IN ('events', 'happenings')"),
    [{ rel: "happenings", partmethod: "h" }]);
    const onNodes = await onWorkers("SELECT string_agg(relname, ',' ORDER BY relname)" +
      " FROM pg_class WHERE relkind = 'r' AND relname ~ '^(events|happenings)_[0-9]+$'");
    assert.deepEqual(onNodes.join(",").split(",").sort(),
      ids.map((id) => `happenings_${id}`).sort());
    await sameFailure("SELECT count(*) FROM events");
    await same("SELECT count(*) FROM happenings WHERE event_id = 3");
    await queriesWork("happenings", "event_id", 200);
    await both("ALTER TABLE kinds RENAME TO categories");
    const [refShard] = await shardIds("categories");
    assert.deepEqual([...(await onShards("categories", "SELECT '%s'")).values()],
      [`categories_${refShard}`]);
    await same("SELECT h.event_id, c.label FROM happenings h JOIN categories c ON c.k = h.k" +
      " WHERE h.event_id < 4 ORDER BY 1");
  });

  test("all or nothing: a rename failing on one shard changes no shard", async () => {
    const [first] = await shardIds("happenings");
    const placement = await q(`SELECT nodeport FROM citus_shards WHERE shardid = ${first}`);
    const worker = new pg.Client({ host: "127.0.0.1", user: "postgres", database: "postgres",
      port: Number(placement[0]!["nodeport"]) });
    await worker.connect();
    try {
      await worker.query(`ALTER TABLE happenings_${first} ADD COLUMN clash int`);
      await failure(tessera, "ALTER TABLE happenings RENAME COLUMN k TO clash");
      await worker.query(`ALTER TABLE happenings_${first} DROP COLUMN clash`);
    } finally {
      await worker.end();
    }
    const columns = await onShards("happenings", "SELECT string_agg(attname, ','" +
      " ORDER BY attnum) FROM pg_attribute WHERE attrelid = '%s'::regclass AND attnum > 0" +
      " AND NOT attisdropped");
    assert.deepEqual([...new Set(columns.values())], ["event_id,k,body"]);
    await same("SELECT k FROM happenings WHERE event_id = 5");
    await q("BEGIN");
    await q("ALTER TABLE happenings RENAME TO rolled");
    await q("ROLLBACK");
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM citus_shards" +
      " WHERE table_name = 'happenings'::regclass"), [{ n: 4 }]);
    await same("SELECT count(*) FROM happenings");
  });

  test("SET SCHEMA and ALTER SCHEMA … RENAME TO move the shards", async () => {
    const ids = await shardIds("happenings");
    await both("CREATE SCHEMA archive");
    await both("ALTER TABLE happenings SET SCHEMA archive");
    // A schema the workers lack is created there first.
    await q("SET citus.enable_ddl_propagation TO off");
    await both("CREATE SCHEMA lonely");
    await q("RESET citus.enable_ddl_propagation");
    assert.deepEqual(await onWorkers("SELECT count(*) FROM pg_namespace WHERE nspname =" +
      " 'lonely'"), ["0", "0"]);
    await both("ALTER TABLE categories SET SCHEMA lonely");
    await same("SELECT * FROM lonely.categories ORDER BY k");
    await both("ALTER TABLE lonely.categories SET SCHEMA archive");
    assert.deepEqual((await q("SELECT shard_name FROM citus_shards WHERE table_name =" +
      " 'archive.happenings'::regclass ORDER BY shardid")).map((r) => r["shard_name"]),
    ids.map((id) => `archive.happenings_${id}`));
    const placed = await onWorkers("SELECT count(*) FROM pg_tables WHERE schemaname =" +
      " 'archive' AND tablename LIKE 'happenings\\_%'");
    assert.equal(placed.map(Number).reduce((a, b) => a + b), 4);
    await sameFailure("SELECT count(*) FROM happenings");
    await queriesWork("archive.happenings", "event_id", 300);
    await both("ALTER SCHEMA archive RENAME TO vault");
    assert.deepEqual(await q("SELECT table_name::text AS t, citus_table_type FROM citus_tables" +
      " ORDER BY 1"), [{ t: "vault.categories", citus_table_type: "reference" },
      { t: "vault.happenings", citus_table_type: "distributed" }]);
    const names = await onShards("vault.happenings", "SELECT '%s'");
    for (const [id, name] of names) assert.equal(name, `vault.happenings_${id}`);
    await queriesWork("vault.happenings", "event_id", 400);
    await same("SELECT h.event_id, c.label FROM vault.happenings h JOIN vault.categories c" +
      " ON c.k = h.k WHERE h.event_id < 4 ORDER BY 1");
  });
});

describe("ALTER SCHEMA RENAME and SET SCHEMA in the engine", () => {
  let node: TesseraCluster;
  let reference: ReferencePostgres;
  before(async () => {
    [node, reference] = await Promise.all([startCluster({ role: "worker" }),
      startReferencePostgres()]);
  });
  after(async () => {
    await Promise.all([node?.stop(), reference?.stop()]);
  });

  const statements = [
    "CREATE SCHEMA a", "CREATE SCHEMA b",
    "CREATE TABLE a.t (id serial PRIMARY KEY, v text UNIQUE)",
    "INSERT INTO a.t (v) VALUES ('x'), ('y')",
    "CREATE SEQUENCE a.s",
    "ALTER SCHEMA a RENAME TO c",
    "ALTER SCHEMA nope RENAME TO d",
    "ALTER SCHEMA c RENAME TO b",
    "ALTER SCHEMA c RENAME TO pg_c",
    "SELECT * FROM a.t",
    "INSERT INTO c.t (v) VALUES ('z')",
    "SELECT * FROM c.t ORDER BY id",
    "SELECT nextval('c.s')",
    "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace" +
      " WHERE n.nspname IN ('a', 'b', 'c') ORDER BY 1, 2",
    "CREATE TABLE b.t (k int)",
    "ALTER TABLE c.t SET SCHEMA b",
    "ALTER TABLE c.t SET SCHEMA nope",
    "ALTER TABLE IF EXISTS c.missing SET SCHEMA b",
    "DROP TABLE b.t",
    "ALTER TABLE c.t SET SCHEMA b",
    "ALTER TABLE c.t SET SCHEMA b",
    "INSERT INTO b.t (v) VALUES ('w')",
    "INSERT INTO b.t (v) VALUES ('w')",
    "SELECT * FROM b.t ORDER BY id",
    "ALTER SEQUENCE c.s SET SCHEMA b",
    "SELECT nextval('b.s')",
    "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace" +
      " WHERE n.nspname IN ('a', 'b', 'c') ORDER BY 1, 2",
  ];

  /** Each statement's rows or its error (code and message), on one server. */
  const outcomes = async (url: string): Promise<unknown[]> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const out: unknown[] = [];
    try {
      for (const sql of statements) {
        try {
          out.push((await client.query(sql)).rows);
        } catch (error) {
          assert.ok(error instanceof pg.DatabaseError, String(error));
          out.push({ code: error.code, message: error.message });
        }
      }
    } finally {
      await client.end();
    }
    return out;
  };

  test("statements give PostgreSQL's rows and errors, and survive a restart", async () => {
    const expected = await outcomes(reference.url);
    const actual = await outcomes(node.url);
    for (const [i, sql] of statements.entries()) assert.deepEqual(actual[i], expected[i], sql);
    await node.stop({ keepData: true });
    node = await startCluster({ role: "worker", dataDir: node.dataDir });
    const client = new pg.Client({ connectionString: node.url });
    await client.connect();
    try {
      const rows = (await client.query("SELECT v FROM b.t ORDER BY id")).rows as Rows;
      assert.deepEqual(rows.map((r) => r["v"]), ["x", "y", "z", "w"]);
      const next = Number((await client.query("SELECT nextval('b.s') AS n")).rows[0].n);
      assert.ok(next >= 3, String(next));
      await client.query("INSERT INTO b.t (v) VALUES ('after')");
      assert.deepEqual((await client.query("SELECT nspname FROM pg_namespace" +
        " WHERE nspname IN ('a', 'b', 'c') ORDER BY 1")).rows, [{ nspname: "b" },
        { nspname: "c" }]);
    } finally {
      await client.end();
    }
  });
});
