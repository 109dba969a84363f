/**
 * Enum types and SQL functions on a real `tessera cluster --workers 2`, as Citus propagates
 * them: CREATE / ALTER / DROP TYPE and CREATE / DROP FUNCTION reach every worker; a
 * distributed table with an enum column takes INSERT and COPY, answers router and
 * multi-shard queries on it (compared with PostgreSQL 15 holding the same plain table), and
 * a multi-shard query calls the function in the fragments pushed down to the workers;
 * create_distributed_function; a worker added later gets the types and functions before its
 * shards.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import pg from "pg";
import {
  onWorkers as workerResults,
  SideBySide, clusterBesidePostgres, startCluster, type ClusterBesidePostgres,
  type ReferencePostgres, type Rows, type TesseraCluster,
} from "../harness/index.js";

describe("enum types and SQL functions across the cluster", () => {
  let cluster: TesseraCluster;
  let reference: ReferencePostgres;
  let tessera: pg.Client;
  let side: SideBySide;
  let servers: ClusterBesidePostgres;
  const onWorkers = (sql: string): Promise<string[]> => workerResults(tessera, sql);
  const q = async (sql: string, values: unknown[] = []): Promise<Rows> =>
    (await tessera.query(sql, values)).rows as Rows;
  const both = (sql: string): Promise<void> => side.both(sql);
  const same = (sql: string): Promise<Rows> => side.same(sql);
  const sameFailure = (sql: string): Promise<pg.DatabaseError> => side.sameFailure(sql);

  before(async () => {
    servers = await clusterBesidePostgres();
    ({ cluster, reference, tessera, side } = servers);
  });
  after(async () => {
    await servers?.stop();
  });

  test("CREATE / ALTER / DROP TYPE reach every worker", async () => {
    await both("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')");
    await sameFailure("CREATE TYPE mood AS ENUM ('x')");
    assert.deepEqual(await onWorkers("SELECT enum_range(NULL::public.mood)::text"),
      ["{sad,ok,happy}", "{sad,ok,happy}"]);
    await both("ALTER TYPE mood ADD VALUE 'meh' BEFORE 'ok'");
    await both("ALTER TYPE mood RENAME VALUE 'happy' TO 'glad'");
    assert.deepEqual(await onWorkers("SELECT enum_range(NULL::public.mood)::text"),
      ["{sad,meh,ok,glad}", "{sad,meh,ok,glad}"]);
    await both("CREATE SCHEMA app");
    await both("CREATE TYPE app.size AS ENUM ('s', 'm', 'l')");
    assert.deepEqual(await onWorkers("SELECT 'm'::app.size::text"), ["m", "m"]);
    await both("DROP TYPE app.size");
    assert.deepEqual(await onWorkers("SELECT count(*) FROM pg_type WHERE typname = 'size'"),
      ["0", "0"]);
  });

  test("a distributed table with an enum column: INSERT, COPY, router and multi-shard",
    async () => {
      await both("CREATE TABLE people (id int PRIMARY KEY, name text, m mood)");
      await q("SELECT create_distributed_table('people', 'id')");
      await both("INSERT INTO people VALUES (1, 'ann', 'glad'), (2, 'bob', 'sad'), " +
        "(3, 'cy', 'ok'), (4, 'di', NULL), (5, 'ed', 'meh')");
      await sameFailure("INSERT INTO people VALUES (9, 'x', 'angry')");
      const copy = "COPY people FROM STDIN;\n6\tfay\tglad\n7\tgus\tsad\n\\.\n";
      for (const port of [cluster.port, reference.port]) {
        execFileSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", "-",
          `host=127.0.0.1 port=${port} dbname=postgres user=postgres`],
        { input: copy, timeout: 60_000 });
      }
      await same("SELECT id, name, m FROM people ORDER BY m, id");
      await same("SELECT name FROM people WHERE m = 'glad' ORDER BY name");
      await same("SELECT name, m FROM people WHERE id = 3");
      await same("SELECT m, count(*) FROM people GROUP BY m ORDER BY m");
      await same("SELECT min(m), max(m) FROM people");
      await same("SELECT name FROM people WHERE m > 'meh' ORDER BY m DESC, name");
      await both("UPDATE people SET m = 'ok' WHERE id = 4");
      await same("SELECT id, m FROM people WHERE id = 4");
      await sameFailure("DROP TYPE mood");
      await both("CREATE TABLE by_mood (m mood, n int)");
      await q("SELECT create_distributed_table('by_mood', 'm')");
      await both("INSERT INTO by_mood SELECT " +
        "(ARRAY['sad','meh','ok','glad'])[g % 4 + 1]::mood, g FROM generate_series(1, 40) g");
      await same("SELECT m, count(*), sum(n) FROM by_mood GROUP BY m ORDER BY m");
      await same("SELECT count(*), sum(n) FROM by_mood WHERE m = 'ok'");
      const router = (await q("EXPLAIN (COSTS OFF) SELECT sum(n) FROM by_mood WHERE m = 'ok'"))
        .map((r) => String(r["QUERY PLAN"])).join("\n");
      assert.match(router, /Task Count: 1\b/);
      await both("DROP TABLE by_mood");
    });

  test("SQL functions reach the workers and run in pushed-down fragments", async () => {
    await both("CREATE FUNCTION twice(int) RETURNS int LANGUAGE sql IMMUTABLE " +
      "AS 'SELECT $1 * 2'");
    await both("CREATE FUNCTION cheer(m mood) RETURNS mood LANGUAGE sql IMMUTABLE " +
      "RETURN CASE WHEN m < 'ok' THEN 'ok'::mood ELSE m END");
    await sameFailure("CREATE FUNCTION twice(int) RETURNS int LANGUAGE sql AS 'SELECT 1'");
    assert.deepEqual(await onWorkers("SELECT twice(21)"), ["42", "42"]);
    assert.deepEqual(await onWorkers("SELECT cheer('sad')::text"), ["ok", "ok"]);
    await same("SELECT id, twice(id), cheer(m) FROM people ORDER BY id");
    await same("SELECT sum(twice(id)) FROM people WHERE cheer(m) = 'ok'");
    await same("SELECT name FROM people WHERE twice(id) = 6");
    const plan = (await q("EXPLAIN (COSTS OFF) SELECT twice(id) FROM people")).map(
      (r) => String(r["QUERY PLAN"])).join("\n");
    assert.match(plan, /Task Count: \d+/);
    await q("SELECT create_distributed_function('twice(int)')");
    // As Citus: a distribution argument needs a colocation group of its type.
    await assert.rejects(q("SELECT create_distributed_function('cheer(mood)', 'm')"),
      /cannot distribute the function "cheer" since there is no table to colocate with/);
    await assert.rejects(q("SELECT create_distributed_function('twice(int)', 'nope')"),
      /distribution argument is not valid/);
    await both("CREATE OR REPLACE FUNCTION twice(int) RETURNS int LANGUAGE sql AS " +
      "'SELECT $1 + $1 + 0'");
    assert.deepEqual(await onWorkers("SELECT twice(5)"), ["10", "10"]);
    await both("CREATE FUNCTION moods_of(lo mood) RETURNS TABLE (m mood, pos int) " +
      "LANGUAGE sql STABLE AS $$ SELECT v, row_number() OVER ()::int " +
      "FROM unnest(enum_range(lo, NULL)) v $$");
    await same("SELECT m, pos FROM moods_of('ok') ORDER BY pos");
    assert.deepEqual(await onWorkers("SELECT string_agg(m::text, ',') FROM moods_of('meh')"),
      ["meh,ok,glad", "meh,ok,glad"]);
    await q("CREATE FUNCTION people_count() RETURNS bigint LANGUAGE sql " +
      "AS 'SELECT count(*) FROM people'");
    const refused = await tessera.query("SELECT people_count()").then(() => "",
      (e: pg.DatabaseError) => `${e.code} ${e.message}`);
    assert.match(refused, /^0A000 .*reads the distributed table people/);
    await q("DROP FUNCTION people_count()");
    await both("DROP FUNCTION cheer(mood)");
    assert.deepEqual(await onWorkers("SELECT count(*) FROM pg_proc WHERE proname = 'cheer'"),
      ["0", "0"]);
    await q("CREATE FUNCTION pl() RETURNS int LANGUAGE plpgsql AS 'begin return 1; end'");
    assert.deepEqual(await onWorkers("SELECT pl()"), ["1", "1"]);
  });

  test("a worker added with citus_add_node gets the types and functions first", async () => {
    const extra = await startCluster({ role: "worker" });
    const worker = new pg.Client({ host: "127.0.0.1", port: extra.port, user: "postgres",
      database: "postgres" });
    try {
      await q("SELECT citus_add_node('127.0.0.1', $1)", [extra.port]);
      await worker.connect();
      const labels = await worker.query("SELECT enum_range(NULL::mood)::text AS r, twice(4) AS t");
      assert.deepEqual(labels.rows, [{ r: "{sad,meh,ok,glad}", t: 8 }]);
      await q("CREATE TABLE later (k int, m mood)");
      await q("SELECT create_distributed_table('later', 'k', shard_count => 6)");
      await q("INSERT INTO later SELECT g, (ARRAY['sad','ok','glad'])[g % 3 + 1]::mood " +
        "FROM generate_series(1, 30) g");
      assert.deepEqual(await q("SELECT m::text AS label, count(*)::int AS n FROM later " +
        "WHERE twice(k) > 0 GROUP BY m ORDER BY m"),
      [{ label: "sad", n: 10 }, { label: "ok", n: 10 }, { label: "glad", n: 10 }]);
    } finally {
      await worker.end().catch(() => undefined);
      await extra.stop();
    }
  });
});
