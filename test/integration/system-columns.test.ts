/**
 * System columns (ctid, xmin, xmax, cmin, cmax, tableoid), the transaction id functions and
 * types (txid_current(), pg_current_snapshot(), tid, xid, xid8, cid, pg_snapshot) and
 * TABLESAMPLE, on a real `tessera cluster --workers 1` beside PostgreSQL 15. Values that
 * depend only on the statements (ctids of a fresh table, dedup results, errors, xmin equal to
 * txid_current() in one transaction) are compared with PostgreSQL; xid numbers, which differ
 * between the two servers, are compared by their relations. Distributed tables: ctid comes
 * from the shard, TABLESAMPLE is refused cleanly (0A000).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import {
  SideBySide, clusterBesidePostgres, failureOf, type ClusterBesidePostgres, type Rows,
} from "../harness/index.js";

describe("system columns, transaction ids and TABLESAMPLE", () => {
  let tessera: pg.Client;
  let postgres: pg.Client;
  let side: SideBySide;
  let servers: ClusterBesidePostgres;
  const both = (sql: string): Promise<void> => side.both(sql);
  const same = (sql: string): Promise<Rows> => side.same(sql);
  /** Runs `sql` on both servers; returns [postgres, tessera] results. */
  const each = async (sql: string): Promise<[pg.QueryResult, pg.QueryResult]> =>
    [await postgres.query(sql), await tessera.query(sql)];

  before(async () => {
    servers = await clusterBesidePostgres(1);
    ({ tessera, postgres, side } = servers);
  });
  after(async () => {
    await servers?.stop();
  });

  test("ctid numbers a fresh table's versions as PostgreSQL's heap does", async () => {
    await both("CREATE TABLE items (id int PRIMARY KEY, k int, v text)");
    await both("INSERT INTO items VALUES (1, 1, 'a'), (2, 1, 'b'), (3, 2, 'c'), (4, 2, 'd'), " +
      "(5, 3, 'e')");
    await same("SELECT ctid, * FROM items ORDER BY id");
    await same("SELECT * FROM items ORDER BY id");
    await both("UPDATE items SET v = 'x' WHERE id = 2");
    await same("SELECT ctid, id FROM items ORDER BY ctid");
    await same("SELECT id, v FROM items WHERE ctid = '(0,1)'");
    await same("SELECT id FROM items WHERE ctid = '(0,2)'");
    await same("SELECT min(ctid), max(ctid), count(DISTINCT ctid) FROM items");
    await same("SELECT a.id, b.id FROM items a JOIN items b ON a.ctid = b.ctid ORDER BY 1");
    await same("SELECT cmin, cmax, xmax FROM items WHERE id = 1");
    await same("SELECT tableoid::regclass, count(*) FROM items GROUP BY 1");
    await same("SELECT ctid FROM items WHERE id = 4");
  });

  test("duplicates removed by ctid, both common ways", async () => {
    await both("CREATE TABLE dups (k int, v int)");
    await both("INSERT INTO dups SELECT g % 4, g FROM generate_series(1, 20) g");
    const [expected, actual] = await each(
      "DELETE FROM dups a USING dups b WHERE a.ctid < b.ctid AND a.k = b.k");
    assert.equal(actual.rowCount, expected.rowCount);
    await same("SELECT k, v FROM dups ORDER BY k");
    await both("INSERT INTO dups SELECT g % 4, g FROM generate_series(1, 8) g");
    await both("DELETE FROM dups WHERE ctid NOT IN (SELECT min(ctid) FROM dups GROUP BY k)");
    await same("SELECT k, v FROM dups ORDER BY k");
    await same("SELECT k FROM dups d WHERE EXISTS (SELECT 1 FROM dups e " +
      "WHERE e.k = d.k AND e.ctid <> d.ctid)");
  });

  test("xmin is the inserting transaction's txid_current()", async () => {
    await both("CREATE TABLE acct (id int PRIMARY KEY, balance int)");
    await both("BEGIN");
    await same("SELECT txid_current_if_assigned() IS NULL AS unassigned");
    await both("INSERT INTO acct VALUES (1, 100), (2, 50)");
    await same("SELECT xmin::text = txid_current()::text AS mine, " +
      "pg_current_xact_id()::text = txid_current()::text AS same_id, " +
      "txid_current_if_assigned() = txid_current() AS assigned, " +
      "txid_status(txid_current()) AS status, xmax FROM acct ORDER BY id");
    await both("COMMIT");
    await same("SELECT count(DISTINCT xmin::text) FROM acct");
    await same("SELECT xmin, * FROM acct WHERE false");
    await same("SELECT txid_status(xmin::text::bigint) FROM acct WHERE id = 1");
    await same("SELECT age(xmin) >= 1 AS aged FROM acct WHERE id = 1");
  });

  test("optimistic locking on xmin", async () => {
    for (const client of [postgres, tessera]) {
      const seen = (await client.query("SELECT xmin FROM acct WHERE id = 1")).rows[0] as
        { xmin: string };
      const first = await client.query(
        `UPDATE acct SET balance = balance - 10 WHERE id = 1 AND xmin = '${seen.xmin}'`);
      assert.equal(first.rowCount, 1);
      const stale = await client.query(
        `UPDATE acct SET balance = balance - 10 WHERE id = 1 AND xmin = '${seen.xmin}'`);
      assert.equal(stale.rowCount, 0);
      const now = (await client.query("SELECT xmin <> $1::xid AS moved FROM acct WHERE id = 1",
        [seen.xmin])).rows[0] as { moved: boolean };
      assert.equal(now.moved, true);
    }
    await same("SELECT id, balance FROM acct ORDER BY id");
  });

  test("an aborted transaction's status, and the snapshot functions", async () => {
    const ids: string[] = [];
    for (const client of [postgres, tessera]) {
      await client.query("BEGIN");
      const row = (await client.query("SELECT txid_current() AS id")).rows[0] as { id: string };
      await client.query("ROLLBACK");
      ids.push(row.id);
    }
    const [pgStatus, ourStatus] = [
      (await postgres.query(`SELECT txid_status(${ids[0]!}) AS s`)).rows,
      (await tessera.query(`SELECT txid_status(${ids[1]!}) AS s`)).rows];
    assert.deepEqual(ourStatus, pgStatus);
    assert.deepEqual(ourStatus, [{ s: "aborted" }]);
    const snapshot = (await tessera.query("SELECT txid_current_snapshot()::text AS s, " +
      "pg_current_snapshot()::text AS p")).rows[0] as { s: string; p: string };
    assert.match(snapshot.s, /^\d+:\d+:(\d+(,\d+)*)?$/);
    assert.match(snapshot.p, /^\d+:\d+:(\d+(,\d+)*)?$/);
    await same("SELECT txid_snapshot_xmin(txid_current_snapshot()) <= " +
      "txid_snapshot_xmax(txid_current_snapshot()) AS ordered");
    await same("SELECT txid_visible_in_snapshot(txid_current(), txid_current_snapshot()) AS v");
    await same("SELECT pg_snapshot_xmin('10:20:12,15'), pg_snapshot_xmax('10:20:12,15'), " +
      "txid_snapshot_xmin('10:20:12,15'), '10:20:12,12,13'::pg_snapshot, '10:20:'::txid_snapshot");
    await same("SELECT pg_snapshot_xip('10:20:12,15') AS x, " +
      "pg_typeof(pg_snapshot_xip('10:20:12,15'))");
    await same("SELECT txid_snapshot_xip('10:20:12,15') AS x");
    await same("SELECT pg_visible_in_snapshot('12', '10:20:12,15') AS a, " +
      "pg_visible_in_snapshot('9', '10:20:12,15') AS b, " +
      "txid_visible_in_snapshot(20, '10:20:12,15') AS c, txid_visible_in_snapshot(13, '10:20:12')");
    await side.sameFailure("SELECT '10:20:15,12'::pg_snapshot");
    await side.sameFailure("SELECT '0:20:'::txid_snapshot");
    await side.sameFailure("SELECT txid_status(99999999)");
  });

  test("tid, xid, xid8 and cid read and compare as in PostgreSQL 15", async () => {
    await same("SELECT '(1,2)'::tid, '(,2)'::tid, '(1,)'::tid, '(-1,2)'::tid, " +
      "'ab(1,2)zz'::tid, '(0,1)'::tid < '(0,2)'::tid AS lt, '(1,1)'::tid > '(0,9)'::tid AS gt");
    await same("SELECT 'abc'::xid, '-1'::xid, '0x10'::xid, ' 12 '::xid, '99999999999'::xid, " +
      "'12'::xid8, '-1'::xid8, '5'::cid, '7'::xid = 7 AS eq_int, '7'::xid <> '8'::xid AS ne");
    await same("SELECT '12'::xid8::xid, '4294967297'::xid8::xid, " +
      "'12'::xid8 < '13'::xid8 AS lt, pg_typeof('1'::xid8)");
    for (const bad of ["( 1 , 2 )", "(1,2", "(4294967296,1)", "(1,65536)", "(1,2,3)"]) {
      await side.sameFailure(`SELECT '${bad}'::tid`);
    }
    await side.sameFailure("SELECT '1'::xid < '2'::xid");
  });

  test("tableoid names each row's partition", async () => {
    await both("CREATE TABLE parts (id int, k int) PARTITION BY RANGE (id)");
    await both("CREATE TABLE parts_a PARTITION OF parts FOR VALUES FROM (0) TO (10)");
    await both("CREATE TABLE parts_b PARTITION OF parts FOR VALUES FROM (10) TO (20)");
    await both("INSERT INTO parts VALUES (1, 1), (15, 2), (3, 3)");
    await same("SELECT tableoid::regclass, ctid, id FROM parts ORDER BY id");
    await same("SELECT id FROM parts WHERE tableoid = 'parts_b'::regclass");
  });

  test("TABLESAMPLE: errors, edges and repeatable samples", async () => {
    await both("CREATE TABLE many (id int)");
    await both("INSERT INTO many SELECT generate_series(1, 2000)");
    await same("SELECT count(*) FROM many TABLESAMPLE BERNOULLI (100)");
    await same("SELECT count(*) FROM many TABLESAMPLE SYSTEM (100) REPEATABLE (3)");
    await same("SELECT count(*) FROM many TABLESAMPLE BERNOULLI (0)");
    await side.sameFailure("SELECT count(*) FROM many TABLESAMPLE BERNOULLI (150)");
    await side.sameFailure("SELECT count(*) FROM many TABLESAMPLE BERNOULLI (-1)");
    await side.sameFailure("SELECT count(*) FROM many TABLESAMPLE BERNOULLI ('NaN')");
    await side.sameFailure("SELECT count(*) FROM many TABLESAMPLE foo (1)");
    await side.sameFailure("SELECT count(*) FROM many TABLESAMPLE BERNOULLI (1, 2)");
    await side.sameFailure("SELECT count(*) FROM many TABLESAMPLE BERNOULLI (NULL)");
    await side.sameFailure("SELECT count(*) FROM many TABLESAMPLE BERNOULLI (5) REPEATABLE (NULL)");
    const sample = "SELECT array_agg(id ORDER BY id)::text AS ids, count(*)::int AS n " +
      "FROM many TABLESAMPLE BERNOULLI (30) REPEATABLE (42)";
    const first = (await tessera.query(sample)).rows[0] as { ids: string; n: number };
    const again = (await tessera.query(sample)).rows[0] as { ids: string; n: number };
    assert.equal(again.ids, first.ids);
    assert.ok(first.n > 450 && first.n < 750, `30 % of 2000 rows, got ${first.n}`);
    const other = (await tessera.query(sample.replace("(42)", "(43)"))).rows[0] as
      { ids: string };
    assert.notEqual(other.ids, first.ids);
    const blocks = (await tessera.query("SELECT count(*)::int AS n FROM many " +
      "TABLESAMPLE SYSTEM (50) REPEATABLE (7)")).rows[0] as { n: number };
    // Whole blocks of 291 versions: six full ones and a last one of 254.
    assert.ok(blocks.n % 291 === 0 || blocks.n % 291 === 254, `whole blocks, got ${blocks.n}`);
    await same("SELECT count(*) FROM many TABLESAMPLE BERNOULLI (50) WHERE id < 0");
    const plan = async (client: pg.Client): Promise<string[]> =>
      ((await client.query("EXPLAIN SELECT * FROM many TABLESAMPLE BERNOULLI (10) " +
        "REPEATABLE (3) WHERE id > 5")).rows as { "QUERY PLAN": string }[])
        .map((r) => r["QUERY PLAN"].replace(/\s+\(cost=.*\)$/, ""));
    assert.deepEqual(await plan(tessera), await plan(postgres));
  });

  test("INSERT … RETURNING system columns: the upsert idiom (xmax = 0) AS inserted", async () => {
    await both("CREATE TABLE upserts (id int PRIMARY KEY, n int)");
    await same("INSERT INTO upserts VALUES (1, 1) RETURNING ctid, xmax, cmin, " +
      "(xmax = 0) AS inserted");
    await same("INSERT INTO upserts VALUES (1, 5), (2, 2) ON CONFLICT (id) DO UPDATE " +
      "SET n = excluded.n RETURNING id, ctid, (xmax = 0) AS inserted");
    await same("INSERT INTO upserts VALUES (2, 3) ON CONFLICT DO NOTHING RETURNING xmax");
    await both("BEGIN");
    await same("INSERT INTO upserts VALUES (4, 4) RETURNING " +
      "xmin::text = txid_current()::text AS mine, tableoid::regclass");
    await same("INSERT INTO upserts VALUES (4, 9) ON CONFLICT (id) DO UPDATE SET n = 9 " +
      "RETURNING xmax::text = txid_current()::text AS locked");
    await both("COMMIT");
    await same("SELECT ctid, * FROM upserts ORDER BY id");
    await both("CREATE TABLE routed (id int PRIMARY KEY, n int) PARTITION BY RANGE (id)");
    await both("CREATE TABLE routed_a PARTITION OF routed FOR VALUES FROM (0) TO (10)");
    await same("INSERT INTO routed VALUES (1, 1), (2, 2) RETURNING tableoid::regclass, ctid");
    await side.sameFailure("INSERT INTO routed VALUES (3, 3) RETURNING xmin");
  });

  test("UPDATE and DELETE … RETURNING read the new and the deleted versions", async () => {
    await same("UPDATE items SET v = 'y' WHERE id = 1 RETURNING ctid, xmax, cmin, " +
      "xmin::text = txid_current()::text AS mine");
    await same("DELETE FROM items WHERE id = 3 RETURNING ctid, cmax, " +
      "xmax::text = txid_current()::text AS mine");
    await same("UPDATE items a SET v = b.v FROM items b WHERE a.id = 4 AND b.id = 5 " +
      "RETURNING a.ctid, b.ctid, a.v");
    await same("UPDATE parts SET id = 12 WHERE id = 1 RETURNING tableoid::regclass, ctid, xmax");
    await same("DELETE FROM parts WHERE id = 3 RETURNING tableoid::regclass, ctid");
    await same("SELECT tableoid::regclass, ctid, id FROM parts ORDER BY id");
  });

  test("views: over system columns, and without their own", async () => {
    await both("CREATE VIEW items_ids AS SELECT ctid AS c, id FROM items WHERE xmax = '0'");
    await same("SELECT c, id FROM items_ids ORDER BY id");
    await same("SELECT pg_get_viewdef('items_ids')");
    await both("CREATE VIEW items_view AS SELECT * FROM items");
    await side.sameFailure("SELECT ctid FROM items_view");
    await side.sameFailure("SELECT xmin FROM (SELECT 1) s");
  });

  test("distributed tables: ctid from the shard, TABLESAMPLE on each shard", async () => {
    await tessera.query("CREATE TABLE dist (id int, k int)");
    await tessera.query("SELECT create_distributed_table('dist', 'id')");
    await tessera.query("INSERT INTO dist SELECT g, g % 3 FROM generate_series(1, 20) g");
    const router = await tessera.query("SELECT ctid, xmin <> '0'::xid AS has_xmin " +
      "FROM dist WHERE id = 3");
    assert.deepEqual(router.rows, [{ ctid: "(0,1)", has_xmin: true }]);
    const deleted = await tessera.query(
      "DELETE FROM dist a USING dist b WHERE a.ctid < b.ctid AND a.id = b.id");
    assert.equal(deleted.rowCount, 0);
    const count = async (sql: string): Promise<number> =>
      ((await tessera.query(sql)).rows[0] as { n: number }).n;
    assert.equal(await count("SELECT count(*)::int AS n FROM dist TABLESAMPLE BERNOULLI (100)"),
      20);
    assert.equal(await count("SELECT count(*)::int AS n FROM dist TABLESAMPLE SYSTEM (0)"), 0);
    assert.equal(await count("SELECT count(*)::int AS n FROM dist d " +
      "TABLESAMPLE BERNOULLI (100) REPEATABLE (1) WHERE d.id = 3"), 1);
    const sample = "SELECT array_agg(id ORDER BY id)::text AS ids FROM dist " +
      "TABLESAMPLE BERNOULLI (50) REPEATABLE (9)";
    assert.deepEqual((await tessera.query(sample)).rows, (await tessera.query(sample)).rows);
    const grouped = await tessera.query("SELECT k, count(*)::int AS n FROM dist " +
      "TABLESAMPLE BERNOULLI (100) JOIN (VALUES (0), (1), (2)) v(k) USING (k) GROUP BY k " +
      "ORDER BY k");
    assert.deepEqual(grouped.rows, [{ k: 0, n: 6 }, { k: 1, n: 7 }, { k: 2, n: 7 }]);
    const plan = (await tessera.query("EXPLAIN (COSTS OFF) SELECT count(*) FROM dist " +
      "TABLESAMPLE BERNOULLI (10) REPEATABLE (2)")).rows as { "QUERY PLAN": string }[];
    assert.ok(plan.some((r) => /Sample Scan on dist_\d+ dist/.test(r["QUERY PLAN"])),
      JSON.stringify(plan));
    const wrong = await failureOf(tessera, "SELECT count(*) FROM dist TABLESAMPLE BERNOULLI (150)");
    assert.equal(wrong.code, "2202H");
    const nested = await failureOf(tessera,
      "SELECT count(*) FROM (SELECT * FROM dist TABLESAMPLE BERNOULLI (50)) s");
    assert.equal(nested.code, "0A000");
    assert.match(nested.message, /TABLESAMPLE on a distributed table/);
  });
});
