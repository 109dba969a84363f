/**
 * Writes through views and tables made from queries over Citus tables, on a real
 * `tessera cluster --workers 2` beside PostgreSQL 15 holding the same tables as plain ones:
 *
 * - INSERT, UPDATE and DELETE through automatically updatable views of distributed and
 *   reference tables (and of local tables of the coordinator) give PostgreSQL's rows, counts
 *   and RETURNING lists; one pinned by the distribution column runs as one router task;
 * - views that are not automatically updatable fail with PostgreSQL's 55000 / 0A000, DETAIL
 *   and HINT; WITH [LOCAL | CASCADED] CHECK OPTION fails with 44000 and the failing row;
 * - CREATE TABLE … AS and SELECT … INTO over distributed tables make local tables with the
 *   rows; materialized views over them are created, read, refreshed and dropped, and keep
 *   their rows and state across a restart.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import {
  clusterBesidePostgres, startCluster, type ClusterBesidePostgres,
} from "../harness/index.js";

type Outcome = { rows: unknown[]; command: string; count: number | null } |
  { code: string | undefined; message: string; detail: string | undefined;
    hint: string | undefined };

async function outcome(client: pg.Client, sql: string): Promise<Outcome> {
  try {
    const result = await client.query(sql);
    return { rows: result.rows as unknown[], command: result.command, count: result.rowCount };
  } catch (error) {
    assert.ok(error instanceof pg.DatabaseError, String(error));
    return { code: error.code, message: error.message, detail: error.detail, hint: error.hint };
  }
}

describe("writes through views and tables from queries over Citus tables", () => {
  let servers: ClusterBesidePostgres;
  let tessera: pg.Client;
  const both = (sql: string): Promise<void> => servers.side.both(sql);
  /** The same rows, command and count, or the same error with its DETAIL and HINT. */
  const same = async (sql: string): Promise<Outcome> => {
    const expected = await outcome(servers.postgres, sql);
    const actual = await outcome(tessera, sql);
    assert.deepEqual(actual, expected, sql);
    return actual;
  };
  /** `same` for statements whose rows come in no fixed order (multi-row RETURNING). */
  const sameSet = async (sql: string): Promise<void> => {
    const sorted = (result: Outcome): Outcome => ("rows" in result ? { ...result,
      rows: result.rows.map((row) => JSON.stringify(row)).sort() } : result);
    const expected = sorted(await outcome(servers.postgres, sql));
    assert.deepEqual(sorted(await outcome(tessera, sql)), expected, sql);
  };
  const failsAlike = async (sql: string, code: string): Promise<void> => {
    const result = await same(sql);
    assert.ok("code" in result && result.code === code, `${sql} fails with ${code}`);
  };
  const plan = async (sql: string): Promise<string> =>
    (await tessera.query(`EXPLAIN (COSTS OFF) ${sql}`)).rows
      .map((row: Record<string, string>) => row["QUERY PLAN"]).join("\n");

  before(async () => {
    servers = await clusterBesidePostgres();
    tessera = servers.tessera;
    await both("CREATE TABLE ev (id int PRIMARY KEY, dev int, v text DEFAULT 'dflt', " +
      "amount numeric(10,2) DEFAULT 1.5)");
    await both("CREATE TABLE kinds (k int PRIMARY KEY, name text)");
    await both("CREATE TABLE notes (id int PRIMARY KEY, dev int, note text)");
    await tessera.query("SELECT create_distributed_table('ev', 'id')");
    await tessera.query("SELECT create_reference_table('kinds')");
    await both("INSERT INTO ev SELECT g, g % 5, 'v' || g, g * 0.5 FROM generate_series(1, 60) g");
    await both("INSERT INTO kinds SELECT g, 'kind ' || g FROM generate_series(1, 4) g");
  });

  after(async () => {
    await servers?.stop();
  });

  test("INSERT, UPDATE and DELETE through simple views, routed when pinned", async () => {
    await both("CREATE VIEW ev_pos (i, d, val) AS SELECT id, dev, v FROM ev WHERE dev > 0");
    await both("CREATE VIEW ev_pos_big AS SELECT * FROM ev_pos WHERE i > 30");
    await both("CREATE VIEW kinds_v AS SELECT name, k FROM kinds WHERE k < 100");
    await same("INSERT INTO ev_pos VALUES (101, 1, 'a')");
    await sameSet("INSERT INTO ev_pos (i, d) VALUES (102, 2), (103, 0) RETURNING *");
    await same("INSERT INTO ev_pos_big (i, val) VALUES (104, 'b') RETURNING i, d, val");
    await same("UPDATE ev_pos SET val = val || '!' WHERE i = 7 RETURNING *");
    await same("UPDATE ev_pos SET d = d + 10 WHERE i BETWEEN 1 AND 12");
    await sameSet("UPDATE ev_pos_big SET val = 'big' WHERE d = 3 RETURNING i, val");
    await same("DELETE FROM ev_pos WHERE i = 103");
    await sameSet("DELETE FROM ev_pos WHERE d = 4 RETURNING i, d");
    await same("DELETE FROM ev_pos_big WHERE val = 'big'");
    await sameSet("UPDATE ev_pos SET d = d FROM kinds k WHERE k.k = ev_pos.d " +
      "RETURNING ev_pos.i, k.name");
    await same("INSERT INTO ev_pos VALUES (7, 1, 'dup') ON CONFLICT (i) DO UPDATE " +
      "SET val = excluded.val RETURNING *");
    await sameSet("INSERT INTO kinds_v VALUES ('five', 5), ('six', 6) RETURNING *");
    await same("UPDATE kinds_v SET name = upper(name) WHERE k > 4");
    await same("DELETE FROM kinds_v WHERE k = 6 RETURNING k");
    await same("SELECT * FROM ev ORDER BY id");
    await same("SELECT * FROM kinds ORDER BY k");
    for (const sql of ["UPDATE ev_pos SET val = 'x' WHERE i = 7", "DELETE FROM ev_pos WHERE i = 7",
      "INSERT INTO ev_pos VALUES (7000, 1, 'x')"]) {
      assert.match(await plan(sql), /Task Count: 1\n/, sql);
    }
    await same("SELECT count(*) FROM ev");
  });

  test("views that cannot be written fail as PostgreSQL's", async () => {
    await both("CREATE VIEW ev_agg AS SELECT dev, count(*) FROM ev GROUP BY dev");
    await both("CREATE VIEW ev_dist AS SELECT DISTINCT dev FROM ev");
    await both("CREATE VIEW ev_lim AS SELECT * FROM ev ORDER BY id LIMIT 3");
    await both("CREATE VIEW ev_join AS SELECT e.id, k.name FROM ev e JOIN kinds k ON k.k = e.dev");
    await both("CREATE VIEW ev_expr AS SELECT id, dev * 2 AS dd, v FROM ev");
    await both("CREATE VIEW ev_win AS SELECT id, rank() OVER (ORDER BY id) FROM ev");
    await failsAlike("INSERT INTO ev_agg VALUES (1, 1)", "55000");
    await failsAlike("UPDATE ev_agg SET dev = 1", "55000");
    await failsAlike("DELETE FROM ev_dist", "55000");
    await failsAlike("DELETE FROM ev_lim", "55000");
    await failsAlike("UPDATE ev_join SET name = 'x'", "55000");
    await failsAlike("DELETE FROM ev_win", "55000");
    await failsAlike("INSERT INTO ev_expr VALUES (900, 1, 'x')", "0A000");
    await failsAlike("UPDATE ev_expr SET dd = 4", "0A000");
    await same("INSERT INTO ev_expr (id, v) VALUES (900, 'x') RETURNING *");
    await sameSet("UPDATE ev_expr SET v = 'y' WHERE dd = 2 RETURNING id, dd, v");
    await failsAlike("SELECT amount FROM ev_pos", "42703");
    await failsAlike("UPDATE ev_pos SET val = amount::text", "42703");
    await failsAlike("CREATE VIEW ev_agg_checked AS SELECT dev, count(*) FROM ev GROUP BY dev " +
      "WITH CHECK OPTION", "0A000");
  });

  test("WITH CHECK OPTION: LOCAL, CASCADED and check_option", async () => {
    await both("CREATE VIEW ev_chk (i, d, val) AS SELECT id, dev, v FROM ev WHERE dev > 0 " +
      "WITH CHECK OPTION");
    await both("CREATE VIEW ev_loc AS SELECT id, dev, v FROM ev WHERE dev > 0 " +
      "WITH LOCAL CHECK OPTION");
    await both("CREATE VIEW ev_casc AS SELECT * FROM ev_loc WHERE id < 1000 " +
      "WITH CASCADED CHECK OPTION");
    await both("CREATE VIEW ev_open AS SELECT * FROM ev_loc WHERE id < 1000");
    await both("CREATE VIEW ev_opt WITH (check_option = local) AS SELECT * FROM ev " +
      "WHERE v <> 'no'");
    await both("CREATE VIEW kinds_chk AS SELECT k, name FROM kinds WHERE k > 0 " +
      "WITH CHECK OPTION");
    await same("INSERT INTO ev_chk VALUES (301, 1, 'ok') RETURNING *");
    await failsAlike("INSERT INTO ev_chk VALUES (302, 0, 'no')", "44000");
    await failsAlike("INSERT INTO ev_chk (i, val) VALUES (303, 'null dev')", "44000");
    await failsAlike("UPDATE ev_chk SET d = -1 WHERE i = 301", "44000");
    await failsAlike("UPDATE ev_chk SET d = NULL WHERE i BETWEEN 290 AND 310", "44000");
    await same("UPDATE ev_chk SET d = d + 1 WHERE i = 301 RETURNING *");
    await failsAlike("INSERT INTO ev_casc VALUES (2000, 1, 'x')", "44000");
    await failsAlike("INSERT INTO ev_casc VALUES (304, -1, 'x')", "44000");
    await failsAlike("INSERT INTO ev_casc VALUES (2001, -1, 'x')", "44000");
    await failsAlike("INSERT INTO ev_open VALUES (2002, -1, 'x')", "44000");
    await same("INSERT INTO ev_open VALUES (2003, 1, 'outside')");
    await failsAlike("INSERT INTO ev_opt (id, dev, v) VALUES (305, 1, 'no')", "44000");
    await failsAlike("INSERT INTO ev_chk SELECT id + 5000, -dev, v FROM ev WHERE id = 3",
      "44000");
    await same("INSERT INTO ev_chk SELECT id + 5000, dev, v FROM ev WHERE id < 5 AND dev > 0");
    await same("INSERT INTO kinds_chk VALUES (10, 'ten')");
    await failsAlike("INSERT INTO kinds_chk VALUES (-10, 'minus ten')", "44000");
    await failsAlike("UPDATE kinds_chk SET k = -k WHERE k = 10", "44000");
    await both("PREPARE move (int, int) AS UPDATE ev_chk SET d = $2 WHERE i = $1");
    await same("EXECUTE move (301, 3)");
    await failsAlike("EXECUTE move (301, -3)", "44000");
    const bound = (client: pg.Client, values: unknown[]): Promise<Outcome> =>
      client.query("UPDATE ev_chk SET d = $1 WHERE i = $2", values).then(
        (r) => ({ rows: r.rows as unknown[], command: r.command, count: r.rowCount }),
        (e: pg.DatabaseError) => ({ code: e.code, message: e.message, detail: e.detail,
          hint: e.hint }));
    for (const values of [[4, 301], [-4, 301]]) {
      assert.deepEqual(await bound(tessera, values), await bound(servers.postgres, values));
    }
    await both("BEGIN");
    await same("INSERT INTO ev_chk VALUES (306, 1, 'in block')");
    await failsAlike("UPDATE ev_chk SET d = 0 WHERE i = 306", "44000");
    await both("ROLLBACK");
    await same("SELECT * FROM ev WHERE id > 280 ORDER BY id");
    await same("SELECT * FROM kinds ORDER BY k");
  });

  test("views of the coordinator's local tables", async () => {
    await both("CREATE VIEW notes_v (n, txt) AS SELECT id, note FROM notes WHERE dev = 1 " +
      "WITH CHECK OPTION");
    await same("INSERT INTO notes (id, dev, note) VALUES (1, 1, 'one'), (2, 2, 'two')");
    await same("INSERT INTO notes_v VALUES (3, 'three')");
    await failsAlike("INSERT INTO notes_v VALUES (4, 'four')", "44000");
    await sameSet("UPDATE notes_v SET txt = upper(txt) RETURNING *");
    await same("DELETE FROM notes_v WHERE n = 3 RETURNING *");
    await same("SELECT * FROM notes ORDER BY id");
  });

  test("CREATE TABLE AS and SELECT INTO over distributed tables", async () => {
    await same("CREATE TABLE ev_totals AS SELECT dev, count(*), sum(amount) FROM ev GROUP BY dev");
    await same("SELECT * FROM ev_totals ORDER BY dev");
    await same("CREATE TABLE ev_some (a, b) AS SELECT i, d FROM ev_pos WHERE i < 10");
    await same("SELECT * FROM ev_some ORDER BY a");
    await same("SELECT e.id, k.name INTO ev_named FROM ev e JOIN kinds k ON k.k = e.dev " +
      "WHERE e.id < 20");
    await same("SELECT * FROM ev_named ORDER BY id");
    await same("CREATE TABLE ev_empty AS SELECT * FROM ev WITH NO DATA");
    await same("SELECT count(*) FROM ev_empty");
    await failsAlike("CREATE TABLE ev_totals AS SELECT id FROM ev", "42P07");
    await same("CREATE TABLE IF NOT EXISTS ev_totals AS SELECT id FROM ev");
    await failsAlike("CREATE TABLE ev_bad AS SELECT 1 / (id - 5) FROM ev", "22012");
    await same("SELECT count(*) FROM pg_class WHERE relname = 'ev_bad'");
    await same("SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a " +
      "WHERE a.attrelid = 'ev_totals'::regclass AND a.attnum > 0 ORDER BY a.attnum");
    const local = await tessera.query("SELECT count(*) FROM pg_dist_partition " +
      "WHERE logicalrelid = 'ev_totals'::regclass");
    assert.deepEqual(local.rows, [{ count: "0" }], "the new table is local");
  });

  test("materialized views over distributed tables", async () => {
    await same("CREATE MATERIALIZED VIEW ev_mv AS SELECT dev, count(*) AS n FROM ev GROUP BY dev");
    await same("SELECT * FROM ev_mv ORDER BY dev");
    await same("CREATE MATERIALIZED VIEW ev_mv_later (i, val) AS SELECT i, val FROM ev_pos " +
      "WHERE i < 5 WITH NO DATA");
    await failsAlike("SELECT * FROM ev_mv_later", "55000");
    await failsAlike("REFRESH MATERIALIZED VIEW CONCURRENTLY ev_mv_later", "0A000");
    await same("REFRESH MATERIALIZED VIEW ev_mv_later");
    await same("SELECT * FROM ev_mv_later ORDER BY i");
    await same("INSERT INTO ev VALUES (4000, 1), (4001, 2)");
    await same("SELECT * FROM ev_mv ORDER BY dev");
    await failsAlike("REFRESH MATERIALIZED VIEW CONCURRENTLY ev_mv", "55000");
    await same("CREATE UNIQUE INDEX ev_mv_dev ON ev_mv (dev)");
    await same("REFRESH MATERIALIZED VIEW CONCURRENTLY ev_mv");
    await same("SELECT * FROM ev_mv ORDER BY dev");
    await failsAlike("INSERT INTO ev_mv VALUES (9, 9)", "42809");
    await failsAlike("DROP VIEW ev_mv", "42809");
    await failsAlike("DROP TABLE ev_mv", "42809");
    await same("SELECT relkind FROM pg_class WHERE relname = 'ev_mv'");
    await same("REFRESH MATERIALIZED VIEW ev_mv WITH NO DATA");
    await failsAlike("SELECT * FROM ev_mv", "55000");
    await same("DROP MATERIALIZED VIEW ev_mv, ev_mv_later");
    await same("DROP MATERIALIZED VIEW IF EXISTS ev_mv");
  });

  test("materialized views and tables from queries survive a restart", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "tessera-mv-"));
    const run = async (sqls: string[]): Promise<unknown[]> => {
      const cluster = await startCluster({ workers: 1, dataDir });
      const client = new pg.Client({ connectionString: cluster.url });
      await client.connect();
      const results: unknown[] = [];
      try {
        for (const sql of sqls) {
          const result = await outcome(client, sql);
          results.push("rows" in result ? result.rows : result.code);
        }
      } finally {
        await client.end();
        await cluster.stop({ keepData: true, signal: "SIGKILL" });
      }
      return results;
    };
    try {
      await run(["CREATE TABLE t (id int PRIMARY KEY, dev int)",
        "SELECT create_distributed_table('t', 'id')",
        "INSERT INTO t SELECT g, g % 3 FROM generate_series(1, 9) g",
        "CREATE MATERIALIZED VIEW before_cp AS SELECT dev, count(*) AS n FROM t GROUP BY dev",
        "CREATE MATERIALIZED VIEW empty_mv AS SELECT dev FROM t WITH NO DATA",
        "CREATE TABLE t_copy AS SELECT * FROM t WHERE id < 4", "CHECKPOINT",
        "INSERT INTO t VALUES (10, 1)", "REFRESH MATERIALIZED VIEW before_cp",
        "CREATE MATERIALIZED VIEW after_cp AS SELECT id FROM t WHERE id > 8",
        "CREATE TABLE l (a int)", "INSERT INTO l VALUES (1), (2)",
        "CREATE MATERIALIZED VIEW l_mv AS SELECT a FROM l", "INSERT INTO l VALUES (3)",
        "REFRESH MATERIALIZED VIEW l_mv",
        "CREATE VIEW l_small AS SELECT a FROM l WHERE a < 10 WITH CHECK OPTION"]);
      const after = await run(["SELECT * FROM before_cp ORDER BY dev", "SELECT * FROM empty_mv",
        "SELECT * FROM after_cp ORDER BY id", "SELECT count(*) FROM t_copy",
        "SELECT count(*) FROM l_mv", "INSERT INTO l_small VALUES (50)"]);
      assert.deepEqual(after, [[{ dev: 0, n: "3" }, { dev: 1, n: "4" }, { dev: 2, n: "3" }],
        "55000", [{ id: 9 }, { id: 10 }], [{ count: "3" }], [{ count: "3" }], "44000"]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    }
  });
});
