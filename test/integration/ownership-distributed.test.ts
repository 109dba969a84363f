/**
 * Owners on a real `tessera cluster --workers 2`, as Citus keeps them: ALTER TABLE … OWNER TO
 * of a distributed or reference table reaches every shard (and the shards' indexes) on the
 * workers, and citus_tables shows the owner; ALTER SCHEMA / TYPE / FUNCTION … OWNER TO reach
 * the workers' copies; a role that does not own a distributed table may not alter or drop
 * it (42501) while its owner may; COMMENT ON ROLE and DATABASE run on every node as Citus
 * runs them, COMMENT ON a distributed table stays on the coordinator;
 * REASSIGN OWNED BY and DROP OWNED BY run on every node, so DROP ROLE then succeeds.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import {
  failureOf as failure, onWorkers as workerResults, startCluster, type TesseraCluster,
} from "../harness/index.js";

describe("object owners on a cluster", () => {
  let cluster: TesseraCluster;
  let client: pg.Client;
  const q = async (sql: string): Promise<Record<string, unknown>[]> =>
    (await client.query(sql)).rows as Record<string, unknown>[];
  const onWorkers = (sql: string): Promise<string[]> => workerResults(client, sql);
  /** The distinct owners of the shards (and shard indexes) named `<prefix>_<digits>`. */
  const shardOwners = (prefix: string): Promise<string[]> => onWorkers(
    "SELECT string_agg(DISTINCT relowner::regrole::text, ',') FROM pg_class" +
    ` WHERE relname ~ '^${prefix}_[0-9]+$' OR relname ~ '^${prefix}_pkey_[0-9]+$'`);

  before(async () => {
    cluster = await startCluster({ workers: 2 });
    client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    await q("CREATE ROLE own_dist");
    await q("CREATE ROLE own_other");
    await q("CREATE TABLE own_d (id int PRIMARY KEY, v text)");
    await q("SELECT create_distributed_table('own_d', 'id')");
    await q("CREATE TABLE own_r (id int PRIMARY KEY)");
    await q("SELECT create_reference_table('own_r')");
  });
  after(async () => {
    await client?.end();
    await cluster?.stop();
  });

  test("ALTER TABLE … OWNER TO reaches the shards of distributed and reference tables",
    async () => {
      assert.deepEqual(await shardOwners("own_d"), ["postgres", "postgres"]);
      await q("ALTER TABLE own_d OWNER TO own_dist");
      await q("ALTER TABLE own_r OWNER TO own_dist");
      assert.deepEqual(await q("SELECT relowner::regrole::text AS owner FROM pg_class" +
        " WHERE relname IN ('own_d', 'own_r', 'own_d_pkey') ORDER BY relname"),
      [{ owner: "own_dist" }, { owner: "own_dist" }, { owner: "own_dist" }]);
      assert.deepEqual(await q("SELECT table_name::text, table_owner FROM citus_tables" +
        " WHERE table_name::text LIKE 'own_%' ORDER BY 1"),
      [{ table_name: "own_d", table_owner: "own_dist" },
        { table_name: "own_r", table_owner: "own_dist" }]);
      assert.deepEqual(await shardOwners("own_d"), ["own_dist", "own_dist"]);
      assert.deepEqual(await shardOwners("own_r"), ["own_dist", "own_dist"]);
    });

  test("only the owner alters or drops a distributed table", async () => {
    await q("SET ROLE own_other");
    try {
      const error = await failure(client, "ALTER TABLE own_d ADD COLUMN w int");
      assert.equal(error.code, "42501");
      assert.equal(error.message, "must be owner of table own_d");
      assert.equal((await failure(client, "DROP TABLE own_d")).code, "42501");
      assert.equal((await failure(client, "CREATE INDEX ON own_d (v)")).code, "42501");
      assert.equal((await failure(client, "COMMENT ON TABLE own_d IS 'x'")).code,
        "42501");
    } finally {
      await q("RESET ROLE");
    }
    await q("SET ROLE own_dist");
    try {
      await q("ALTER TABLE own_d ADD COLUMN w int");
      await q("COMMENT ON TABLE own_d IS 'events by id'");
    } finally {
      await q("RESET ROLE");
    }
    assert.deepEqual(await onWorkers("SELECT count(*) FROM pg_class c" +
      " WHERE c.relname ~ '^own_d_[0-9]+$' AND NOT EXISTS (SELECT FROM pg_attribute a" +
      " WHERE a.attrelid = c.oid AND a.attname = 'w')"), ["0", "0"]);
    assert.deepEqual(await q("SELECT obj_description('own_d'::regclass, 'pg_class') AS d"),
      [{ d: "events by id" }]);
  });

  test("ALTER SCHEMA, TYPE and FUNCTION … OWNER TO reach the workers", async () => {
    await q("CREATE SCHEMA own_s");
    await q("CREATE TYPE own_s.mood AS ENUM ('sad', 'happy')");
    await q("CREATE FUNCTION own_s.add_one(int) RETURNS int LANGUAGE sql AS 'SELECT $1 + 1'");
    await q("ALTER SCHEMA own_s OWNER TO own_dist");
    await q("SET search_path TO own_s, public");
    try {
      await q("ALTER TYPE mood OWNER TO own_dist");
      await q("ALTER FUNCTION add_one(int) OWNER TO own_dist");
    } finally {
      await q("RESET search_path");
    }
    assert.deepEqual(await onWorkers("SELECT (SELECT nspowner::regrole::text FROM" +
      " pg_namespace WHERE nspname = 'own_s') || ',' || (SELECT typowner::regrole::text" +
      " FROM pg_type WHERE oid = 'own_s.mood'::regtype) || ',' || (SELECT" +
      " proowner::regrole::text FROM pg_proc WHERE oid = 'own_s.add_one(int)'::regprocedure)"),
    ["own_dist,own_dist,own_dist", "own_dist,own_dist,own_dist"]);
  });

  test("COMMENT ON ROLE and DATABASE reach the workers, COMMENT ON TABLE stays", async () => {
    await q("COMMENT ON ROLE own_other IS 'reads things'");
    await q("COMMENT ON DATABASE postgres IS 'the cluster''s database'");
    assert.deepEqual(await onWorkers("SELECT shobj_description(oid, 'pg_authid') FROM" +
      " pg_roles WHERE rolname = 'own_other'"), ["reads things", "reads things"]);
    assert.deepEqual(await onWorkers("SELECT shobj_description(oid, 'pg_database') FROM" +
      " pg_database WHERE datname = 'postgres'"), ["the cluster's database",
      "the cluster's database"]);
    assert.deepEqual(await onWorkers("SELECT count(*) FROM pg_class c WHERE c.relname ~" +
      " '^own_d_[0-9]+$' AND obj_description(c.oid, 'pg_class') IS NOT NULL"), ["0", "0"]);
    await q("COMMENT ON DATABASE postgres IS NULL");
  });

  test("REASSIGN OWNED and DROP OWNED run on every node; DROP ROLE then succeeds",
    async () => {
      await q("GRANT SELECT ON own_r TO own_other");
      assert.equal((await failure(client, "DROP ROLE own_dist")).code, "2BP01");
      await q("REASSIGN OWNED BY own_dist TO postgres");
      assert.deepEqual(await shardOwners("own_d"), ["postgres", "postgres"]);
      assert.deepEqual(await q("SELECT table_owner FROM citus_tables" +
        " WHERE table_name = 'own_d'::regclass"), [{ table_owner: "postgres" }]);
      await q("DROP OWNED BY own_dist, own_other");
      assert.deepEqual(await onWorkers("SELECT count(*) FROM pg_class" +
        " WHERE relname ~ '^own_r_[0-9]+$' AND relacl::text LIKE '%own_other%'"), ["0", "0"]);
      await q("DROP ROLE own_dist");
      await q("DROP ROLE own_other");
      assert.deepEqual(await onWorkers("SELECT count(*) FROM pg_roles" +
        " WHERE rolname IN ('own_dist', 'own_other')"), ["0", "0"]);
    });
});
