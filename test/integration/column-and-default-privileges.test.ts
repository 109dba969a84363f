/**
 * Column privileges, default privileges and EXECUTE on functions beside PostgreSQL 15: GRANT
 * SELECT (a, b) / UPDATE (c) / INSERT (a) and what they let a role read and write, with
 * PostgreSQL's "permission denied for table t"; pg_attribute.attacl and psql's `\dp`;
 * ALTER DEFAULT PRIVILEGES in pg_default_acl, psql's `\ddp` and the ACLs of objects made
 * afterwards; REVOKE EXECUTE ON FUNCTION … FROM PUBLIC; DROP ROLE's list of what depends on
 * a role. On the coordinator, and for a distributed table through it; all of it kept across
 * a restart and a checkpoint, CREATE TABLE AS in a DO block too.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import {
  clusterBesidePostgres, psql, rowsOfEach, startCluster, type ClusterBesidePostgres,
} from "../harness/index.js";

/** What each statement gave, in one session: rows, or the error's code, message, detail. */
async function transcript(client: pg.Client, statements: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const sql of statements) {
    try {
      const result = await client.query(sql);
      out.push(`${result.command} ${JSON.stringify(result.rows)}`);
    } catch (error) {
      if (!(error instanceof pg.DatabaseError)) throw error;
      out.push(`ERROR ${error.code} ${error.message}` +
        `${error.detail === undefined ? "" : ` DETAIL ${error.detail}`}`);
    }
  }
  return out;
}

const setup = [
  "CREATE ROLE alice LOGIN", "CREATE ROLE bob LOGIN", "CREATE ROLE carol LOGIN",
];

const attacl = "SELECT attname, attacl::text[] FROM pg_attribute " +
  "WHERE attrelid = 'ct'::regclass AND attnum > 0 ORDER BY attnum";

const columnStatements = [
  "CREATE TABLE ct (a int, b int, c text)", "INSERT INTO ct VALUES (1, 2, 'x')",
  "GRANT SELECT (a, b) ON ct TO alice", "GRANT UPDATE (c) ON ct TO alice",
  "GRANT INSERT (a) ON ct TO alice",
  attacl,
  "SELECT relacl::text[] FROM pg_class WHERE relname = 'ct'",
  "SELECT has_column_privilege('alice', 'ct', 'a', 'SELECT') AS a, " +
    "has_column_privilege('alice', 'ct', 'c', 'SELECT') AS b, " +
    "has_column_privilege('alice', 'ct', 'c', 'UPDATE') AS c, " +
    "has_any_column_privilege('alice', 'ct', 'SELECT') AS d, " +
    "has_any_column_privilege('bob', 'ct', 'SELECT') AS e, " +
    "has_table_privilege('alice', 'ct', 'SELECT') AS f, " +
    "has_column_privilege('ct', 'a', 'SELECT, UPDATE') AS g",
  "SELECT has_column_privilege('alice', 'ct', 'nope', 'SELECT')",
  "SET ROLE alice",
  "SELECT a, b FROM ct", "SELECT * FROM ct", "SELECT c FROM ct", "SELECT count(*) FROM ct",
  "SELECT 1 FROM ct", "SELECT a FROM ct WHERE c = 'x'", "SELECT x.a FROM ct x",
  "SELECT ct FROM ct", "SELECT ct.* FROM ct",
  "UPDATE ct SET c = 'y'", "UPDATE ct SET c = 'y' WHERE a = 1",
  "UPDATE ct SET c = 'y' WHERE c = 'x'", "UPDATE ct SET b = 3",
  "INSERT INTO ct (a) VALUES (5)", "INSERT INTO ct (a, b) VALUES (5, 6)",
  "INSERT INTO ct VALUES (5)", "INSERT INTO ct VALUES (5, 6)",
  "INSERT INTO ct (a) VALUES (5) RETURNING a", "INSERT INTO ct (a) VALUES (5) RETURNING c",
  "DELETE FROM ct",
  "RESET ROLE",
  "REVOKE SELECT (b) ON ct FROM alice",
  "GRANT SELECT (nope) ON ct TO alice", "GRANT DELETE (a) ON ct TO alice",
  "GRANT ALL (a) ON ct TO bob",
  attacl,
  "REVOKE ALL ON ct FROM alice",
  attacl,
  "GRANT SELECT ON ct TO alice", "REVOKE SELECT (a) ON ct FROM alice",
  "SELECT relacl::text[] FROM pg_class WHERE relname = 'ct'",
  "SET ROLE alice", "SELECT a, b, c FROM ct ORDER BY a LIMIT 1", "RESET ROLE",
  "BEGIN", "GRANT SELECT (c) ON ct TO carol", "ROLLBACK",
  attacl,
];

const defaultStatements = [
  "CREATE SCHEMA ds",
  "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO bob",
  "ALTER DEFAULT PRIVILEGES IN SCHEMA ds GRANT INSERT ON TABLES TO alice",
  "ALTER DEFAULT PRIVILEGES FOR ROLE alice GRANT USAGE ON SEQUENCES TO bob",
  "ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC",
  "ALTER DEFAULT PRIVILEGES GRANT USAGE ON TYPES TO alice",
  "ALTER DEFAULT PRIVILEGES GRANT CREATE ON SCHEMAS TO alice",
  "SELECT defaclrole::regrole::text, defaclnamespace::regnamespace::text, defaclobjtype, " +
    "defaclacl::text[] FROM pg_default_acl ORDER BY 1, 2, 3",
  "CREATE TABLE ds.t1 (a int)", "CREATE TABLE t2 (a int)", "CREATE SEQUENCE sq1",
  "CREATE VIEW v1 AS SELECT 1 AS x", "CREATE SCHEMA ds2",
  "CREATE FUNCTION fx() RETURNS int LANGUAGE sql AS 'SELECT 1'",
  "SELECT relname, relacl::text[] FROM pg_class WHERE relname IN ('t1', 't2', 'sq1', 'v1') " +
    "ORDER BY 1",
  "SELECT proacl::text[] FROM pg_proc WHERE proname = 'fx'",
  "SELECT nspacl::text[] FROM pg_namespace WHERE nspname = 'ds2'",
  "ALTER DEFAULT PRIVILEGES IN SCHEMA ds GRANT SELECT ON SCHEMAS TO alice",
  "ALTER DEFAULT PRIVILEGES IN SCHEMA ds GRANT CREATE ON SCHEMAS TO alice",
  "ALTER DEFAULT PRIVILEGES IN SCHEMA ds REVOKE SELECT ON TABLES FROM bob",
  "ALTER DEFAULT PRIVILEGES GRANT DELETE (a) ON TABLES TO bob",
  "ALTER DEFAULT PRIVILEGES FOR ROLE nobody GRANT SELECT ON TABLES TO bob",
  "ALTER DEFAULT PRIVILEGES IN SCHEMA nope GRANT SELECT ON TABLES TO bob",
  "ALTER DEFAULT PRIVILEGES GRANT USAGE ON TABLES TO bob",
  "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO PUBLIC WITH GRANT OPTION",
  "ALTER DEFAULT PRIVILEGES REVOKE SELECT ON TABLES FROM bob",
  "ALTER DEFAULT PRIVILEGES IN SCHEMA ds REVOKE INSERT ON TABLES FROM alice",
  "ALTER DEFAULT PRIVILEGES GRANT EXECUTE ON FUNCTIONS TO PUBLIC",
  "SET ROLE alice",
  "ALTER DEFAULT PRIVILEGES FOR ROLE postgres GRANT SELECT ON TABLES TO alice",
  "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO bob",
  "RESET ROLE",
  "SELECT defaclrole::regrole::text, defaclnamespace::regnamespace::text, defaclobjtype, " +
    "defaclacl::text[] FROM pg_default_acl ORDER BY 1, 2, 3",
  "DROP ROLE carol", "DROP ROLE alice",
];

const executeStatements = [
  "CREATE FUNCTION addone(int) RETURNS int LANGUAGE sql AS 'SELECT $1 + 1'",
  "CREATE FUNCTION plf() RETURNS int LANGUAGE plpgsql AS 'BEGIN RETURN 7; END'",
  "CREATE PROCEDURE pr() LANGUAGE plpgsql AS 'BEGIN NULL; END'",
  "REVOKE EXECUTE ON FUNCTION addone(int) FROM PUBLIC",
  "REVOKE EXECUTE ON FUNCTION plf FROM PUBLIC", "REVOKE EXECUTE ON PROCEDURE pr FROM PUBLIC",
  "SELECT proname, proacl::text[] FROM pg_proc WHERE proname IN ('addone', 'plf', 'pr') " +
    "ORDER BY 1",
  "SELECT has_function_privilege('bob', 'addone(int)', 'EXECUTE') AS a, " +
    "has_function_privilege('bob', 'plf()', 'execute') AS b, " +
    "has_function_privilege('bob', 'lower(text)', 'EXECUTE') AS c, " +
    "has_function_privilege('addone(integer)', 'EXECUTE') AS d",
  "SET ROLE bob",
  "SELECT addone(1)", "SELECT plf()", "CALL pr()", "SELECT * FROM addone(1)",
  "SELECT 1 WHERE addone(1) = 2",
  "RESET ROLE", "GRANT EXECUTE ON FUNCTION addone(int) TO bob",
  "GRANT EXECUTE ON PROCEDURE pr TO bob", "SET ROLE bob", "SELECT addone(1)", "CALL pr()",
  "SELECT has_function_privilege('addone(int)', 'EXECUTE WITH GRANT OPTION') AS a, " +
    "has_function_privilege(current_user, 'addone(int)', 'EXECUTE') AS b",
  "RESET ROLE",
];

describe("column privileges, default privileges and EXECUTE as in PostgreSQL 15", () => {
  let env: ClusterBesidePostgres;
  before(async () => {
    env = await clusterBesidePostgres(1);
    for (const sql of setup) await env.side.both(sql);
  });
  after(async () => {
    await env?.stop();
  });

  const same = async (statements: readonly string[]): Promise<void> => {
    const expected = await transcript(env.postgres, statements);
    const actual = await transcript(env.tessera, statements);
    assert.deepEqual(actual, expected);
  };

  test("GRANT and REVOKE on columns, and what they allow", async () => {
    await same(columnStatements);
    const dp = "\\dp ct";
    assert.equal(await psql(env.cluster.port, dp), await psql(env.reference.port, dp));
  });

  test("column privileges on a distributed table, through the coordinator", async () => {
    await env.tessera.query("CREATE TABLE dct (k int, a int, secret text)");
    await env.tessera.query("SELECT create_distributed_table('dct', 'k')");
    await env.tessera.query("INSERT INTO dct VALUES (1, 10, 's'), (2, 20, 't')");
    await env.postgres.query("CREATE TABLE dct (k int, a int, secret text)");
    await env.postgres.query("INSERT INTO dct VALUES (1, 10, 's'), (2, 20, 't')");
    await same(["GRANT SELECT (k, a) ON dct TO bob", "GRANT UPDATE (a) ON dct TO bob",
      "SET ROLE bob", "SELECT k, a FROM dct ORDER BY k", "SELECT * FROM dct",
      "SELECT a FROM dct WHERE k = 2", "SELECT secret FROM dct WHERE k = 1",
      "UPDATE dct SET a = a + 1 WHERE k = 1", "UPDATE dct SET secret = 'u' WHERE k = 1",
      "SELECT count(*) FROM dct", "RESET ROLE", "SELECT k, a FROM dct ORDER BY k"]);
  });

  test("ALTER DEFAULT PRIVILEGES, pg_default_acl, \\ddp and the objects made after",
    async () => {
      const statements = defaultStatements;
      await same(statements.slice(0, 8));
      assert.equal(await psql(env.cluster.port, "\\ddp"),
        await psql(env.reference.port, "\\ddp"));
      await same(statements.slice(8));
      assert.equal(await psql(env.cluster.port, "\\ddp"),
        await psql(env.reference.port, "\\ddp"));
    });

  test("EXECUTE on functions and procedures", async () => {
    await same(executeStatements);
    const df = "\\df+ addone";
    assert.equal(await psql(env.cluster.port, df), await psql(env.reference.port, df));
  });
});

describe("column ACLs, default privileges and a DO block's CREATE TABLE AS survive restarts",
  () => {
    const check = ["SELECT attname, attacl::text[] FROM pg_attribute " +
      "WHERE attrelid = 'ct'::regclass AND attnum > 0 ORDER BY 1",
    "SELECT defaclobjtype, defaclacl::text[] FROM pg_default_acl ORDER BY 1, 2",
    "SELECT * FROM p"];

    test("restart, checkpoint, restart", async () => {
      const dataDir = mkdtempSync(join(tmpdir(), "tessera-privileges-"));
      const start = (): ReturnType<typeof startCluster> =>
        startCluster({ role: "coordinator", dataDir });
      let node = await start();
      await rowsOfEach(node.url, ["CREATE ROLE alice", "CREATE TABLE ct (a int, b int)",
        "GRANT SELECT (a) ON ct TO alice",
        "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO alice", "CREATE SCHEMA ds",
        "ALTER DEFAULT PRIVILEGES IN SCHEMA ds GRANT INSERT ON TABLES TO alice",
        "DO $$ BEGIN CREATE TABLE p AS SELECT g FROM generate_series(1, 3) g; END $$"]);
      const before = await rowsOfEach(node.url, check);
      assert.deepEqual(before[0], [{ attname: "a", attacl: ["alice=r/postgres"] },
        { attname: "b", attacl: null }]);
      await node.stop();
      node = await start();
      assert.deepEqual(await rowsOfEach(node.url, check), before);
      await rowsOfEach(node.url, ["CHECKPOINT", "CREATE TABLE ds.t3 (a int)"]);
      await node.stop();
      node = await start();
      try {
        assert.deepEqual(await rowsOfEach(node.url, check), before);
        assert.deepEqual(await rowsOfEach(node.url,
          ["SELECT relacl::text[] FROM pg_class WHERE relname = 't3'"]),
        [[{ relacl: ["postgres=arwdDxt/postgres", "alice=ar/postgres"] }]]);
      } finally {
        await node.stop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
