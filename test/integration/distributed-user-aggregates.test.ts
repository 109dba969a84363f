/**
 * User-defined aggregates on a real `tessera cluster --workers 2`, compared with PostgreSQL 15
 * holding the same plain tables: CREATE / ALTER / DROP AGGREGATE reach every worker (as
 * Citus propagates them), and a multi-shard query computes a user aggregate as Citus does —
 * partial states on the workers combined on the coordinator when it has a COMBINEFUNC
 * (worker_partial_agg / coord_combine_agg), the rows gathered to the coordinator otherwise,
 * and the whole aggregate on the workers under GROUP BY the distribution column. A worker
 * added later gets the aggregates after the functions they call.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import {
  onWorkers as workerResults,
  SideBySide, clusterBesidePostgres, startCluster, type ClusterBesidePostgres, type Rows,
} from "../harness/index.js";

describe("user-defined aggregates across the cluster", () => {
  let tessera: pg.Client;
  let side: SideBySide;
  let servers: ClusterBesidePostgres;
  const onWorkers = (sql: string): Promise<string[]> => workerResults(tessera, sql);
  const q = async (sql: string): Promise<Rows> => (await tessera.query(sql)).rows as Rows;
  const both = (sql: string): Promise<void> => side.both(sql);
  const same = (sql: string): Promise<Rows> => side.same(sql);
  const sameFailure = (sql: string): Promise<pg.DatabaseError> => side.sameFailure(sql);
  const plan = async (sql: string): Promise<string> =>
    (await q(`EXPLAIN (VERBOSE, COSTS OFF) ${sql}`)).map((r) => String(r["QUERY PLAN"]))
      .join("\n");

  before(async () => {
    servers = await clusterBesidePostgres();
    ({ tessera, side } = servers);
    await both("CREATE TABLE events (id int, tenant int, v int, tag text)");
    await q("SELECT create_distributed_table('events', 'id')");
    const rows = Array.from({ length: 40 }, (_, i) =>
      `(${i}, ${i % 3}, ${i % 7 === 0 ? "NULL" : (i * 13) % 17}, 't${i % 5}')`);
    await both(`INSERT INTO events VALUES ${rows.join(", ")}`);
  });
  after(async () => {
    await servers?.stop();
  });

  test("CREATE AGGREGATE reaches every worker, with its support functions", async () => {
    await both("CREATE FUNCTION ua_pair_step(s int[], v int) RETURNS int[] LANGUAGE sql " +
      "IMMUTABLE AS 'SELECT CASE WHEN $2 IS NULL THEN $1 ELSE ARRAY[$1[1] + $2, $1[2] + 1] END'");
    await both("CREATE FUNCTION ua_pair_add(a int[], b int[]) RETURNS int[] LANGUAGE sql " +
      "IMMUTABLE AS 'SELECT ARRAY[$1[1] + $2[1], $1[2] + $2[2]]'");
    await both("CREATE FUNCTION ua_pair_mean(s int[]) RETURNS numeric LANGUAGE sql " +
      "IMMUTABLE AS 'SELECT CASE WHEN $1[2] = 0 THEN NULL " +
      "ELSE round($1[1]::numeric / $1[2], 6) END'");
    await both("CREATE AGGREGATE ua_mean(int) (SFUNC = ua_pair_step, STYPE = int[], " +
      "INITCOND = '{0,0}', FINALFUNC = ua_pair_mean, COMBINEFUNC = ua_pair_add)");
    await both("CREATE AGGREGATE ua_total(int) (SFUNC = int4pl, STYPE = int, " +
      "COMBINEFUNC = int4pl)");
    await both("CREATE FUNCTION ua_join(a text, b text) RETURNS text LANGUAGE plpgsql " +
      "IMMUTABLE AS $$ BEGIN RETURN CASE WHEN a IS NULL THEN b ELSE a || '|' || b END; END $$");
    await both("CREATE AGGREGATE ua_joined(text) (SFUNC = ua_join, STYPE = text)");
    await both("CREATE AGGREGATE ua_accum(anycompatible) (SFUNC = array_append, " +
      "STYPE = anycompatiblearray, INITCOND = '{}')");
    await sameFailure("CREATE AGGREGATE ua_bad(int) (SFUNC = ua_nosuch, STYPE = int)");
    assert.deepEqual(await onWorkers("SELECT count(*) FROM pg_proc WHERE prokind = 'a' " +
      "AND proname LIKE 'ua\\_%'"), ["4", "4"]);
    assert.deepEqual(await onWorkers("SELECT ua_total(x) FROM generate_series(1, 4) x"),
      ["10", "10"]);
  });

  test("with a COMBINEFUNC: partial states on the workers, combined on the coordinator",
    async () => {
      await same("SELECT ua_mean(v), ua_total(v) FROM events");
      await same("SELECT tenant, ua_mean(v), ua_total(v) FROM events GROUP BY tenant " +
        "ORDER BY tenant");
      await same("SELECT tenant, ua_total(v) FILTER (WHERE v > 5) FROM events " +
        "GROUP BY tenant HAVING ua_total(v) > 10 ORDER BY 2 DESC, 1");
      await same("SELECT ua_total(v) FROM events WHERE false");
      await same("SELECT tenant, count(*), avg(v), ua_total(v), ua_mean(v), " +
        "ua_total(v) * 2 + sum(v) FROM events GROUP BY tenant ORDER BY ua_total(v) DESC");
      await same("SELECT tag, ua_mean(v) FROM events GROUP BY tag ORDER BY 2, 1 LIMIT 3");
      const shown = await plan("SELECT tenant, ua_total(v) FROM events GROUP BY tenant");
      assert.match(shown, /coord_combine_agg\('\d+'::oid, remote_scan\.\w+, NULL::integer\)/,
        shown);
    });

  test("without one: the rows are gathered and the aggregate runs on the coordinator",
    async () => {
      await same("SELECT ua_joined(tag ORDER BY tag, id) FROM events");
      await same("SELECT tenant, ua_joined(tag ORDER BY id) FROM events GROUP BY tenant " +
        "ORDER BY tenant");
      await same("SELECT ua_accum(v ORDER BY id) FROM events WHERE id < 10");
      await same("SELECT ua_total(DISTINCT v), ua_mean(DISTINCT v) FROM events");
      await same("SELECT tenant, ua_joined(tag ORDER BY id), sum(v), ua_total(v) " +
        "FROM events WHERE v > 3 GROUP BY tenant HAVING count(*) > 2 ORDER BY tenant");
      const shown = await plan("SELECT tenant, ua_joined(tag) FROM events GROUP BY tenant");
      assert.doesNotMatch(shown, /coord_combine_agg/, shown);
    });

  test("GROUP BY the distribution column pushes the whole aggregate down", async () => {
    const shown = await plan("SELECT id, ua_total(v) FROM events GROUP BY id");
    assert.match(shown, /Query: SELECT id, ua_total\(v\)/, shown);
    assert.doesNotMatch(shown, /coord_combine_agg|worker_partial_agg/, shown);
    await same("SELECT id, ua_mean(v), ua_joined(tag), ua_total(v) FROM events " +
      "GROUP BY id ORDER BY id LIMIT 10");
    await same("SELECT ua_total(v), ua_joined(tag) FROM events WHERE id = 7");
    await same("SELECT id, ua_total(v) OVER (PARTITION BY id) FROM events ORDER BY id LIMIT 5");
    await same("SELECT tenant, v, ua_total(v) OVER (ORDER BY id) FROM events " +
      "ORDER BY id LIMIT 8");
  });

  test("ALTER and DROP AGGREGATE reach every worker", async () => {
    await both("CREATE SCHEMA ua_app");
    await both("ALTER AGGREGATE ua_total(int) RENAME TO ua_sum");
    await same("SELECT tenant, ua_sum(v) FROM events GROUP BY tenant ORDER BY tenant");
    assert.deepEqual(await onWorkers("SELECT count(*) FROM pg_proc WHERE proname = 'ua_sum'"),
      ["1", "1"]);
    await both("ALTER AGGREGATE ua_sum(int) SET SCHEMA ua_app");
    await same("SELECT ua_app.ua_sum(v) FROM events");
    await same("SELECT tenant, ua_app.ua_sum(v) FROM events GROUP BY tenant ORDER BY 1");
    await sameFailure("SELECT ua_sum(v) FROM events");
    await both("DROP AGGREGATE ua_app.ua_sum(int), ua_joined(text)");
    await sameFailure("DROP AGGREGATE ua_joined(text)");
    assert.deepEqual(await onWorkers("SELECT count(*) FROM pg_proc WHERE prokind = 'a' " +
      "AND proname LIKE 'ua\\_%'"), ["2", "2"]);
    assert.deepEqual(await onWorkers("SELECT count(*) FROM pg_aggregate"), ["2", "2"]);
  });

  test("a worker added with citus_add_node gets the aggregates after their functions",
    async () => {
      const extra = await startCluster({ role: "worker" });
      const worker = new pg.Client({ host: "127.0.0.1", port: extra.port, user: "postgres",
        database: "postgres" });
      try {
        await q(`SELECT citus_add_node('127.0.0.1', ${extra.port})`);
        await worker.connect();
        const { rows } = await worker.query("SELECT ua_mean(x) AS m, ua_accum(x) AS a " +
          "FROM generate_series(1, 4) x");
        assert.deepEqual(rows, [{ m: "2.500000", a: [1, 2, 3, 4] }]);
      } finally {
        await worker.end().catch(() => undefined);
        await q(`SELECT citus_remove_node('127.0.0.1', ${extra.port})`).catch(() => undefined);
        await extra.stop();
      }
    });
});
