/**
 * Views over distributed and reference tables on a real `tessera cluster --workers 2`,
 * checked against PostgreSQL 15 holding the same tables as plain ones: CREATE VIEW is
 * accepted, reading a view (alone, filtered, aggregated, joined with a local table, a view of
 * a view) gives PostgreSQL's rows, a view or subquery pinned to one shard runs as one router
 * task, the view's columns stay as made after a column rename, pg_get_viewdef prints the
 * same text, and DROP VIEW works.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { clusterBesidePostgres, type ClusterBesidePostgres } from "../harness/index.js";

describe("views over Citus tables", () => {
  let servers: ClusterBesidePostgres;
  let tessera: pg.Client;
  const both = (sql: string): Promise<void> => servers.side.both(sql);
  const same = (sql: string): Promise<unknown> => servers.side.same(sql);

  before(async () => {
    servers = await clusterBesidePostgres();
    tessera = servers.tessera;
    await both("CREATE TABLE ev (id int, dev int, v int)");
    await both("CREATE TABLE kinds (dev int PRIMARY KEY, name text)");
    await both("CREATE TABLE notes (dev int, note text)");
    await tessera.query("SELECT create_distributed_table('ev', 'dev')");
    await tessera.query("SELECT create_reference_table('kinds')");
    await both("INSERT INTO ev SELECT g, g % 10, g FROM generate_series(1, 200) g");
    await both("INSERT INTO kinds SELECT g, 'kind ' || g FROM generate_series(0, 9) g");
    await both("INSERT INTO notes VALUES (3, 'three'), (7, 'seven')");
  });

  after(async () => {
    await servers?.stop();
  });

  test("reading views of distributed and reference tables", async () => {
    await both("CREATE VIEW ev_by_dev AS SELECT dev, count(*) AS n, sum(v) AS s FROM ev " +
      "GROUP BY dev");
    await both("CREATE VIEW ev_three AS SELECT * FROM ev WHERE dev = 3");
    await both("CREATE VIEW ev_named AS SELECT e.id, k.name FROM ev e JOIN kinds k " +
      "ON k.dev = e.dev");
    await both("CREATE VIEW busy AS SELECT * FROM ev_by_dev WHERE n > 5");
    await same("SELECT * FROM ev_by_dev ORDER BY dev");
    await same("SELECT * FROM ev_by_dev WHERE dev = 3");
    await same("SELECT count(*), sum(v) FROM ev_three");
    await same("SELECT * FROM ev_three WHERE id < 50 ORDER BY id");
    await same("SELECT name, count(*) FROM ev_named GROUP BY name ORDER BY name");
    await same("SELECT count(*), sum(s) FROM busy");
    await same("SELECT n.note, b.n FROM notes n JOIN ev_by_dev b USING (dev) ORDER BY 1");
    await same("SELECT pg_get_viewdef('ev_by_dev'::regclass)");
  });

  test("a view or subquery pinned to one shard runs as one router task", async () => {
    const plan = (sql: string): Promise<string> => tessera.query(`EXPLAIN (COSTS OFF) ${sql}`)
      .then((r) => r.rows.map((row: Record<string, string>) => row["QUERY PLAN"]).join("\n"));
    for (const sql of ["SELECT * FROM ev_three WHERE id < 50",
      "SELECT count(*) FROM (SELECT * FROM ev WHERE dev = 3 UNION ALL " +
        "SELECT * FROM ev WHERE dev = 3) u"]) {
      const text = await plan(sql);
      assert.match(text, /Task Count: 1\n/, sql);
      assert.doesNotMatch(text, /Distributed Subplan/, sql);
      await same(sql);
    }
    // Different shards: planned another way, same rows.
    await same("SELECT count(*) FROM (SELECT * FROM ev WHERE dev = 3 UNION ALL " +
      "SELECT * FROM ev WHERE dev = 4) u");
  });

  test("a view keeps its columns after a column rename, and can be dropped", async () => {
    await both("CREATE VIEW ev_all AS SELECT * FROM ev");
    await both("ALTER TABLE ev RENAME COLUMN v TO val");
    await same("SELECT * FROM ev_all WHERE dev = 5 ORDER BY id");
    await same("SELECT * FROM ev_by_dev ORDER BY dev LIMIT 3");
    await both("DROP VIEW ev_all");
    await servers.side.sameFailure("SELECT * FROM ev_all");
  });
});
