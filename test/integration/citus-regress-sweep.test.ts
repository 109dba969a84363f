/**
 * What a sweep of Citus's regression tests (multi_upsert, multi_create_table,
 * multi_modifications, multi_simple_queries, multi_shard_update_delete) found on the
 * coordinator, each checked the way those tests use it, through a `pg` client on a
 * `tessera cluster --workers 2`:
 *
 * - citus.next_shard_id is consumed as Citus's GetNextShardId does: set once, it numbers the
 *   shards of several tables one after the other (and SHOW follows it);
 * - client_min_messages filters the notices a client gets (NOTICE under WARNING, …);
 * - create_distributed_table's errors for catalog tables, temporary tables (found by name
 *   through regclass) and shard_count with a named colocate_with;
 * - INSERT … VALUES with a subquery, and INSERT … DEFAULT VALUES without the distribution
 *   column, raise Citus's errors;
 * - `SELECT FROM t` (no columns) over a distributed table;
 * - UPDATE … SET col = (subquery) reaches the shards with the subquery's select list intact;
 * - a recursive CTE whose distributed tables are pinned by WHERE or an inner join's ON clause
 *   is router planned; UPDATE … WHERE CURRENT OF gets Citus's cursor error;
 * - create_distributed_function's colocation checks (no group, reference table, NULL);
 * - a data-modifying CTE that reads an earlier SELECT CTE of the same WITH;
 * - INSERT … SELECT of fewer columns than the table; ORDER BY an output column whose name
 *   is ambiguous among the joined tables' columns (output names come first);
 * - a partitioned table's rows are copied (and noticed) per partition when distributed.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { failureOf, startCluster, type TesseraCluster } from "../harness/index.js";

describe("citus regression sweep", () => {
  let cluster: TesseraCluster;
  let client: pg.Client;
  const notices: string[] = [];
  const q = async (sql: string): Promise<Record<string, unknown>[]> =>
    (await client.query(sql)).rows as Record<string, unknown>[];

  before(async () => {
    cluster = await startCluster({ workers: 2 });
    client = new pg.Client({ connectionString: cluster.url });
    client.on("notice", (n) => notices.push(`${n.severity ?? ""}: ${n.message}`));
    await client.connect();
  });
  after(async () => {
    await client?.end();
    await cluster?.stop();
  });

  test("citus.next_shard_id numbers the shards of one table after another", async () => {
    await q("SET citus.next_shard_id TO 980000");
    await q("SET citus.shard_count TO 4");
    await q("CREATE TABLE ns_a (k int PRIMARY KEY, v int)");
    await q("CREATE TABLE ns_b (k int, v int)");
    await q("CREATE TABLE ns_r (k int)");
    await q("SELECT create_distributed_table('ns_a', 'k')");
    await q("SELECT create_distributed_table('ns_b', 'k', colocate_with => 'none')");
    await q("SELECT create_reference_table('ns_r')");
    const rows = await q("SELECT logicalrelid::text AS t, min(shardid)::int AS lo, " +
      "max(shardid)::int AS hi FROM pg_dist_shard WHERE logicalrelid::text LIKE 'ns_%' " +
      "GROUP BY 1 ORDER BY 2");
    assert.deepEqual(rows, [{ t: "ns_a", lo: 980000, hi: 980003 },
      { t: "ns_b", lo: 980004, hi: 980007 }, { t: "ns_r", lo: 980008, hi: 980008 }]);
    assert.deepEqual(await q("SHOW citus.next_shard_id"), [{ "citus.next_shard_id": "980009" }]);
    await q("RESET citus.next_shard_id");
    await q("RESET citus.shard_count");
  });

  test("client_min_messages keeps notices below its level from the client", async () => {
    await q("CREATE SCHEMA cmm");
    await q("CREATE TABLE cmm.t (k int)");
    await q("SELECT create_distributed_table('cmm.t', 'k')");
    notices.length = 0;
    await q("SET client_min_messages TO warning");
    await q("CREATE TABLE IF NOT EXISTS cmm.t (k int)");
    await q("DO $$ BEGIN RAISE NOTICE 'hidden'; RAISE INFO 'shown'; " +
      "RAISE WARNING 'warned'; END $$");
    await q("DROP SCHEMA cmm CASCADE");
    assert.deepEqual(notices, ["INFO: shown", "WARNING: warned"]);
    await q("SET client_min_messages TO error");
    await q("DO $$ BEGIN RAISE WARNING 'quiet'; END $$");
    assert.deepEqual(notices, ["INFO: shown", "WARNING: warned"]);
    await q("RESET client_min_messages");
    await q("CREATE TABLE IF NOT EXISTS ns_b (k int)");
    assert.match(notices.at(-1) ?? "", /^NOTICE: relation "ns_b" already exists, skipping/);
  });

  test("create_distributed_table refuses catalog and temporary tables as Citus does",
    async () => {
      const catalog = await failureOf(client, "SELECT create_distributed_table('pg_class', " +
        "'relname')");
      assert.equal(catalog.code, "0A000");
      assert.equal(catalog.message, "cannot create a citus table from a catalog table");
      assert.equal((await failureOf(client, "SELECT create_reference_table('pg_class')"))
        .message, "cannot create a citus table from a catalog table");
      await q("CREATE TEMP TABLE tmp_t (a int)");
      assert.deepEqual(await q("SELECT 'tmp_t'::regclass::text AS r"), [{ r: "tmp_t" }]);
      const temp = await failureOf(client, "SELECT create_distributed_table('tmp_t', 'a')");
      assert.equal(temp.message, "cannot distribute a temporary table");
      await q("DROP TABLE tmp_t");
      await q("CREATE TABLE sc_t (a int)");
      const both = await failureOf(client, "SELECT create_distributed_table('sc_t', 'a', " +
        "shard_count := 12, colocate_with := 'ns_a')");
      assert.equal(both.message,
        "Cannot use colocate_with with a table and shard_count at the same time");
      await q("SELECT create_distributed_table('sc_t', 'a', shard_count := 3, " +
        "colocate_with := 'none')");
      assert.deepEqual(await q("SELECT count(*)::int AS n FROM pg_dist_shard " +
        "WHERE logicalrelid = 'sc_t'::regclass"), [{ n: 3 }]);
    });

  test("INSERT with subqueries or without the distribution column raises Citus's errors",
    async () => {
      const hint = "Try rewriting your queries with 'INSERT INTO ... SELECT' syntax.";
      for (const sql of [
        "INSERT INTO ns_a VALUES (1, (SELECT 1))",
        "INSERT INTO ns_a VALUES (1, 1) RETURNING (SELECT count(*) FROM ns_b)",
        "INSERT INTO ns_a VALUES (1, 1) ON CONFLICT (k) DO UPDATE SET v = " +
          "(SELECT count(*) FROM ns_a)",
      ]) {
        const error = await failureOf(client, sql);
        assert.equal(error.code, "0A000", sql);
        assert.equal(error.message, "subqueries are not supported within INSERT queries");
        assert.equal(error.hint, hint);
      }
      await q("INSERT INTO ns_a SELECT 1, (SELECT 7)");
      assert.deepEqual(await q("SELECT k, v FROM ns_a"), [{ k: 1, v: 7 }]);
      const defaults = await failureOf(client, "INSERT INTO ns_b DEFAULT VALUES");
      assert.equal(defaults.code, "22004");
      assert.equal(defaults.message, "cannot perform an INSERT without a partition column value");
    });

  test("SELECT with no columns counts the rows of a distributed table", async () => {
    await q("INSERT INTO ns_b SELECT g, g % 3 FROM generate_series(1, 10) g");
    const all = await client.query("SELECT FROM ns_b");
    assert.equal(all.rowCount, 10);
    assert.equal(all.fields.length, 0);
    assert.equal((await client.query("SELECT FROM ns_b WHERE v = 0")).rowCount, 3);
    assert.equal((await client.query("SELECT FROM ns_b WHERE k = 4")).rowCount, 1);
  });

  test("UPDATE … SET col = (subquery) keeps the subquery's select list", async () => {
    await q("UPDATE ns_b SET v = (SELECT count(*) FROM ns_a)");
    assert.deepEqual(await q("SELECT DISTINCT v FROM ns_b"), [{ v: 1 }]);
    await q("UPDATE ns_b SET v = (SELECT max(v) AS top FROM ns_a) + k WHERE k = 2");
    assert.deepEqual(await q("SELECT v FROM ns_b WHERE k = 2"), [{ v: 9 }]);
    await q("UPDATE ns_b SET v = (SELECT x FROM (SELECT k * 10 AS x) s) WHERE k < 4");
    assert.deepEqual(await q("SELECT k, v FROM ns_b WHERE k < 4 ORDER BY k"),
      [{ k: 1, v: 10 }, { k: 2, v: 20 }, { k: 3, v: 30 }]);
  });

  test("a recursive CTE pinned to one tenant through its join's ON clause is routed",
    async () => {
      await q("CREATE TABLE staff (company_id int, employee_id int, manager_id int)");
      await q("SELECT create_distributed_table('staff', 'company_id')");
      await q("INSERT INTO staff VALUES (1, 1, 0), (1, 2, 1), (1, 3, 1), (1, 4, 2), " +
        "(3, 1, 0), (3, 15, 1)");
      const tree = (pin: string): string => "WITH RECURSIVE h AS (SELECT *, 1 AS level " +
        "FROM staff WHERE company_id = 1 AND manager_id = 0 UNION SELECT s.*, h.level + 1 " +
        "FROM h JOIN staff s ON (h.employee_id = s.manager_id AND h.company_id = s.company_id" +
        `${pin})) SELECT employee_id, level FROM h WHERE level <= 2 ORDER BY employee_id`;
      assert.deepEqual(await q(tree(" AND s.company_id = 1")), [{ employee_id: 1, level: 1 },
        { employee_id: 2, level: 2 }, { employee_id: 3, level: 2 }]);
      const unpinned = await failureOf(client, tree(""));
      assert.equal(unpinned.message, "recursive CTEs are only supported when they contain a " +
        "filter on the distribution column");
    });

  test("a data-modifying CTE reads the SELECT CTEs listed before it", async () => {
    await q("CREATE TABLE mods (id int, val int)");
    await q("SELECT create_distributed_table('mods', 'id')");
    await q("INSERT INTO mods SELECT g, g FROM generate_series(1, 20) g");
    assert.deepEqual(await q("WITH ids AS (SELECT DISTINCT id FROM mods), u AS (" +
      "UPDATE mods SET val = 100 WHERE id > 10 AND id IN (SELECT * FROM ids) RETURNING *) " +
      "SELECT count(*)::int AS n FROM u"), [{ n: 10 }]);
    assert.deepEqual(await q("WITH a AS (SELECT k FROM ns_b WHERE k < 3), b AS (" +
      "SELECT k FROM a), d AS (DELETE FROM mods WHERE id IN (SELECT k FROM b) RETURNING id) " +
      "SELECT id FROM d ORDER BY id"), [{ id: 1 }, { id: 2 }]);
    assert.deepEqual(await q("SELECT count(*)::int AS n, sum(val)::int AS s FROM mods"),
      [{ n: 18, s: 1052 }]);
  });

  test("INSERT … SELECT of fewer columns than the table fills the rest with defaults",
    async () => {
      await q("CREATE TABLE totals (k int, s bigint, c bigint, tag text DEFAULT 'd')");
      await q("SELECT create_distributed_table('totals', 'k')");
      await q("INSERT INTO totals SELECT k, sum(v) FROM ns_b GROUP BY k");
      await q("INSERT INTO totals SELECT v, k FROM ns_b WHERE k = 1");
      assert.deepEqual(await q("SELECT count(*)::int AS n, count(c)::int AS c, " +
        "min(tag) AS tag FROM totals"), [{ n: 11, c: 0, tag: "d" }]);
    });

  test("ORDER BY an output name that also names columns of two joined tables", async () => {
    const rows = await q("SELECT a.k FROM totals a, totals b WHERE a.k = b.k AND a.k <= 2 " +
      "ORDER BY k DESC");
    assert.deepEqual(rows, [{ k: 2 }, { k: 1 }]);
    const grouped = await failureOf(client, "SELECT a.k FROM totals a, totals b " +
      "WHERE a.k = b.k GROUP BY k");
    assert.equal(grouped.message, "column reference \"k\" is ambiguous");
  });

  test("distributing a partitioned table copies each partition's rows apart", async () => {
    await q("CREATE TABLE parts (id int, col_2 int) PARTITION BY RANGE (col_2)");
    await q("CREATE TABLE parts_510 PARTITION OF parts FOR VALUES FROM (5) TO (10)");
    await q("CREATE TABLE parts_1120 PARTITION OF parts FOR VALUES FROM (11) TO (20)");
    await q("INSERT INTO parts VALUES (1, 11), (3, 15), (5, 17)");
    const hints: string[] = [];
    const listen = (n: { hint?: string | undefined }): void => void hints.push(n.hint ?? "");
    client.on("notice", listen);
    await q("SELECT create_distributed_table('parts', 'id')");
    client.off("notice", listen);
    assert.deepEqual(hints.filter((h) => h !== ""), ["To remove the local data, run: SELECT " +
      "truncate_local_data_after_distributing_table($$public.parts_1120$$)"]);
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM parts_1120"), [{ n: 3 }]);
  });

  test("UPDATE … WHERE CURRENT OF a distributed table raises Citus's error", async () => {
    await q("BEGIN");
    await q("DECLARE c CURSOR FOR SELECT * FROM ns_b WHERE k = 5");
    await q("FETCH c");
    const error = await failureOf(client, "UPDATE ns_b SET v = 0 WHERE CURRENT OF c");
    assert.equal(error.code, "0A000");
    assert.equal(error.message, "cannot run DML queries with cursors");
    await q("ROLLBACK");
  });

  test("create_distributed_function checks the colocation as Citus does", async () => {
    await q("CREATE FUNCTION add_one(x int) RETURNS int LANGUAGE sql IMMUTABLE " +
      "AS 'SELECT x + 1'");
    await q("CREATE FUNCTION with_text(t text) RETURNS text LANGUAGE sql IMMUTABLE " +
      "AS 'SELECT t'");
    await q("SELECT create_distributed_function('add_one(int)')");
    await q("SELECT create_distributed_function('add_one(int)', 'x', colocate_with := 'ns_a')");
    const none = await failureOf(client, "SELECT create_distributed_function('with_text(text)', " +
      "'$1')");
    assert.equal(none.code, "22023");
    assert.equal(none.message,
      "cannot distribute the function \"with_text\" since there is no table to colocate with");
    const ref = await failureOf(client, "SELECT create_distributed_function('add_one(int)', " +
      "'x', colocate_with := 'ns_r')");
    assert.equal(ref.message, "cannot colocate function \"add_one\" and table \"ns_r\" " +
      "because distribution arguments are not supported when colocating with reference tables.");
    const noArg = await failureOf(client, "SELECT create_distributed_function('add_one(int)', " +
      "colocate_with := 'ns_a')");
    assert.match(noArg.message, /since the distribution argument is not valid $/);
    const nullGroup = await failureOf(client, "SELECT create_distributed_function(" +
      "'add_one(int)', 'x', colocate_with := NULL)");
    assert.equal(nullGroup.message, "colocate_with parameter should not be NULL");
    assert.equal((await failureOf(client, "SELECT create_distributed_function('add_one(int)', " +
      "'$2')")).message, "cannot distribute the function \"add_one\" since the distribution " +
      "argument is not valid");
  });
});
