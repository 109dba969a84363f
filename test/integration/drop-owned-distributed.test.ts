/**
 * DROP OWNED BY on a real `tessera cluster --workers 2`: the distributed and reference tables
 * the role owns go with their metadata and their shards, as DROP TABLE takes them; a view of
 * another role on one of them makes RESTRICT fail (2BP01) and leaves everything; ROLLBACK
 * brings the tables, their metadata and shards back; DROP ROLE then succeeds. What DROP OWNED
 * dropped stays dropped across a restart, and what a rolled-back one dropped stays.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import {
  failureOf as failure, onWorkers as workerResults, rowsOfEach, startCluster,
  type TesseraCluster,
} from "../harness/index.js";

describe("DROP OWNED BY on a cluster", () => {
  let cluster: TesseraCluster;
  let client: pg.Client;
  const q = async (sql: string): Promise<Record<string, unknown>[]> =>
    (await client.query(sql)).rows as Record<string, unknown>[];
  /** How many shards named `<prefix>_<digits>` each worker holds. */
  const shards = (prefix: string): Promise<string[]> => workerResults(client,
    `SELECT count(*) FROM pg_class WHERE relname ~ '^${prefix}_[0-9]+$'`);
  const citusTables = async (): Promise<string[]> => (await q("SELECT table_name::text AS t" +
    " FROM citus_tables WHERE table_name::text LIKE 'dod_%' ORDER BY 1")).map((r) => `${r.t}`);

  before(async () => {
    cluster = await startCluster({ workers: 2 });
    client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    await q("CREATE ROLE dod_app");
    await q("CREATE ROLE dod_other");
    await q("CREATE TABLE dod_d (id int PRIMARY KEY, v text)");
    await q("SELECT create_distributed_table('dod_d', 'id')");
    await q("CREATE TABLE dod_r (id int PRIMARY KEY)");
    await q("SELECT create_reference_table('dod_r')");
    await q("CREATE TABLE dod_local (id int)");
    await q("CREATE TABLE dod_kept (id int PRIMARY KEY)");
    await q("SELECT create_distributed_table('dod_kept', 'id')");
    for (const table of ["dod_d", "dod_r", "dod_local"]) {
      await q(`ALTER TABLE ${table} OWNER TO dod_app`);
    }
    await q("GRANT SELECT ON dod_kept TO dod_app");
    await q("INSERT INTO dod_d SELECT g, 'x' FROM generate_series(1, 10) g");
  });
  after(async () => {
    await client?.end();
    await cluster?.stop();
  });

  test("RESTRICT fails while another role's view reads a table of the role", async () => {
    await q("CREATE VIEW dod_v AS SELECT id FROM dod_d");
    await q("ALTER VIEW dod_v OWNER TO dod_other");
    const error = await failure(client, "DROP OWNED BY dod_app");
    assert.equal(error.code, "2BP01");
    assert.match(error.message, /other objects depend on them/);
    assert.deepEqual(await citusTables(), ["dod_d", "dod_kept", "dod_r"]);
    await q("DROP VIEW dod_v");
  });

  test("ROLLBACK brings the tables, their metadata and shards back", async () => {
    await q("BEGIN");
    await q("DROP OWNED BY dod_app");
    assert.deepEqual(await citusTables(), ["dod_kept"]);
    await q("ROLLBACK");
    assert.deepEqual(await citusTables(), ["dod_d", "dod_kept", "dod_r"]);
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM dod_d"), [{ n: 10 }]);
    assert.notDeepEqual(await shards("dod_d"), ["0", "0"]);
  });

  test("the role's distributed and reference tables go with metadata and shards", async () => {
    await q("DROP OWNED BY dod_app");
    assert.deepEqual(await citusTables(), ["dod_kept"]);
    assert.deepEqual(await shards("dod_d"), ["0", "0"]);
    assert.deepEqual(await shards("dod_r"), ["0", "0"]);
    assert.notDeepEqual(await shards("dod_kept"), ["0", "0"]);
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM pg_class" +
      " WHERE relname IN ('dod_d', 'dod_r', 'dod_local')"), [{ n: 0 }]);
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM pg_dist_shard" +
      " WHERE logicalrelid::text IN ('dod_d', 'dod_r')"), [{ n: 0 }]);
    await q("DROP ROLE dod_app");
    await q("DROP OWNED BY dod_other");
    await q("DROP ROLE dod_other");
    assert.deepEqual(await workerResults(client, "SELECT count(*) FROM pg_roles" +
      " WHERE rolname LIKE 'dod_%'"), ["0", "0"]);
  });
});

describe("DROP OWNED BY survives a restart", () => {
  const check = ["SELECT relname FROM pg_class WHERE relname LIKE 'dor_%' ORDER BY 1",
    "SELECT proname FROM pg_proc WHERE proname LIKE 'dor_%' ORDER BY 1",
    "SELECT typname FROM pg_type WHERE typname = 'dor_e'",
    "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'dor_%' ORDER BY 1",
    "SELECT rolname FROM pg_roles WHERE rolname LIKE 'dor_%' ORDER BY 1"];

  test("restart after DROP OWNED, and after a rolled-back one", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "tessera-drop-owned-"));
    const start = (): ReturnType<typeof startCluster> =>
      startCluster({ role: "coordinator", dataDir });
    let node = await start();
    try {
      await rowsOfEach(node.url, ["CREATE ROLE dor_app", "CREATE ROLE dor_keep",
        "CREATE SCHEMA dor_s", "CREATE TABLE dor_s.t (id int)",
        "CREATE TABLE dor_t (id serial PRIMARY KEY)", "CREATE VIEW dor_v AS SELECT id FROM dor_t",
        "CREATE FUNCTION dor_f(int) RETURNS int LANGUAGE sql AS 'select $1'",
        "CREATE TYPE dor_e AS ENUM ('a')", "CREATE TABLE dor_k (id int)"]);
      await rowsOfEach(node.url, ["ALTER SCHEMA dor_s OWNER TO dor_app",
        "ALTER TABLE dor_s.t OWNER TO dor_app",
        "ALTER TABLE dor_t OWNER TO dor_app", "ALTER VIEW dor_v OWNER TO dor_app",
        "ALTER FUNCTION dor_f(int) OWNER TO dor_app", "ALTER TYPE dor_e OWNER TO dor_app",
        "ALTER TABLE dor_k OWNER TO dor_keep"]);
      await rowsOfEach(node.url, ["BEGIN", "DROP OWNED BY dor_keep", "ROLLBACK",
        "DROP OWNED BY dor_app", "DROP ROLE dor_app"]);
      const after = await rowsOfEach(node.url, check);
      assert.deepEqual(after, [[{ relname: "dor_k" }], [], [], [], [{ rolname: "dor_keep" }]]);
      await node.stop();
      node = await start();
      assert.deepEqual(await rowsOfEach(node.url, check), after);
      await rowsOfEach(node.url, ["CHECKPOINT"]);
      await node.stop();
      node = await start();
      assert.deepEqual(await rowsOfEach(node.url, check), after);
    } finally {
      await node.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
