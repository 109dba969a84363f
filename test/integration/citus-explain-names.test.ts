/**
 * The coordinator part of a distributed EXPLAIN names remote_scan's columns as Citus does
 * (`multi_explain.out`): `remote_scan.<output name>`, `worker_column_<n>` for columns that
 * feed no output, `_1`/`_2` for repeated names, and `pg_catalog.sum` where worker counts are
 * combined. Errors raised by a worker carry `CONTEXT:  while executing command on host:port`
 * after the worker's own context. Task plans and ports are not compared.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { startCluster, type TesseraCluster } from "../harness/index.js";

describe("Citus names in the coordinator part of EXPLAIN", () => {
  let cluster: TesseraCluster;
  let client: pg.Client;
  const q = async (sql: string): Promise<pg.QueryResult> => client.query(sql);
  /** The plan down to (and including) the Custom Scan's Output line. */
  const head = async (sql: string): Promise<string[]> => {
    const lines = (await q(sql)).rows.map((row) => String(row["QUERY PLAN"]));
    const scan = lines.findIndex((line) => line.includes("Custom Scan (Citus Adaptive)"));
    assert.ok(scan >= 0, lines.join("\n"));
    const output = lines[scan + 1]!.trimStart().startsWith("Output: ") ? 2 : 1;
    return lines.slice(0, scan + output);
  };

  before(async () => {
    cluster = await startCluster({ workers: 2 });
    client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    await q("SET citus.shard_count = 4");
    await q("CREATE TABLE lineitem (l_orderkey int, l_quantity int, l_price numeric)");
    await q("SELECT create_distributed_table('lineitem', 'l_orderkey')");
    await q("INSERT INTO lineitem VALUES (1, 2, 3), (2, 3, 4), (3, 3, 5)");
  });

  after(async () => {
    await client?.end();
    await cluster?.stop();
  });

  test("GROUP BY with a count, VERBOSE: Citus's exact text", async () => {
    assert.deepEqual(await head("EXPLAIN (COSTS OFF, VERBOSE) SELECT l_quantity, " +
      "count(*) count_quantity FROM lineitem GROUP BY l_quantity " +
      "ORDER BY count_quantity, l_quantity"), [
      "Sort",
      "  Output: remote_scan.l_quantity, (COALESCE((pg_catalog.sum(remote_scan.count_quantity))" +
        "::bigint, '0'::bigint))",
      "  Sort Key: (COALESCE((pg_catalog.sum(remote_scan.count_quantity))::bigint, " +
        "'0'::bigint)), remote_scan.l_quantity",
      "  ->  HashAggregate",
      "        Output: remote_scan.l_quantity, COALESCE((pg_catalog.sum(" +
        "remote_scan.count_quantity))::bigint, '0'::bigint)",
      "        Group Key: remote_scan.l_quantity",
      "        ->  Custom Scan (Citus Adaptive)",
      "              Output: remote_scan.l_quantity, remote_scan.count_quantity",
    ]);
  });

  test("without VERBOSE the keys are qualified too", async () => {
    assert.deepEqual(await head("EXPLAIN (COSTS OFF) SELECT l_quantity, count(*) count_quantity " +
      "FROM lineitem GROUP BY l_quantity ORDER BY count_quantity, l_quantity"), [
      "Sort",
      "  Sort Key: (COALESCE((pg_catalog.sum(remote_scan.count_quantity))::bigint, " +
        "'0'::bigint)), remote_scan.l_quantity",
      "  ->  HashAggregate",
      "        Group Key: remote_scan.l_quantity",
      "        ->  Custom Scan (Citus Adaptive)",
    ]);
  });

  test("repeated output names get _1, _2; HAVING columns are worker_column_<n>", async () => {
    const lines = await head("EXPLAIN (COSTS OFF, VERBOSE) SELECT sum(l_price) / avg(l_price) " +
      "FROM lineitem HAVING sum(l_price) > 100");
    assert.equal(lines.at(-1), "        Output: remote_scan.\"?column?\", " +
      "remote_scan.\"?column?_1\", remote_scan.\"?column?_2\", remote_scan.worker_column_4");
    assert.equal(lines[2], "  Filter: (sum(remote_scan.worker_column_4) > '100'::numeric)");
    assert.match(lines[1]!, /^ {2}Output: .*pg_catalog\.sum\(remote_scan\."\?column\?_2"\)/);
  });

  test("aggregates take their default names; ORDER BY and LIMIT", async () => {
    const aggs = await head("EXPLAIN (COSTS OFF, VERBOSE) SELECT max(l_quantity), count(*) " +
      "FROM lineitem");
    assert.deepEqual(aggs, [
      "Aggregate",
      "  Output: max(remote_scan.max), COALESCE((pg_catalog.sum(remote_scan.count))::bigint, " +
        "'0'::bigint)",
      "  ->  Custom Scan (Citus Adaptive)",
      "        Output: remote_scan.max, remote_scan.count",
    ]);
    assert.deepEqual(await head("EXPLAIN (COSTS OFF, VERBOSE) SELECT l_orderkey, l_quantity " +
      "FROM lineitem ORDER BY l_quantity DESC LIMIT 5"), [
      "Limit",
      "  Output: remote_scan.l_orderkey, remote_scan.l_quantity",
      "  ->  Sort",
      "        Output: remote_scan.l_orderkey, remote_scan.l_quantity",
      "        Sort Key: remote_scan.l_quantity DESC",
      "        ->  Custom Scan (Citus Adaptive)",
      "              Output: remote_scan.l_orderkey, remote_scan.l_quantity",
    ]);
  });

  test("VERBOSE router and recursively planned scans list remote_scan columns", async () => {
    assert.deepEqual(await head("EXPLAIN (COSTS OFF, VERBOSE) SELECT l_quantity, l_price, " +
      "l_price FROM lineitem WHERE l_orderkey = 5"), [
      "Custom Scan (Citus Adaptive)",
      "  Output: remote_scan.l_quantity, remote_scan.l_price, remote_scan.l_price_1",
    ]);
    const lines = (await q("EXPLAIN (COSTS OFF, VERBOSE) WITH keys AS MATERIALIZED " +
      "(SELECT DISTINCT l_orderkey FROM lineitem), series AS MATERIALIZED " +
      "(SELECT s FROM generate_series(1, 10) s) SELECT l_orderkey FROM series " +
      "JOIN keys ON (s = l_orderkey) ORDER BY s")).rows.map((row) => String(row["QUERY PLAN"]));
    assert.deepEqual(lines.slice(0, 8).map((line) => line.replace(/\d+_1$/, "XXX_1")), [
      "Custom Scan (Citus Adaptive)",
      "  Output: remote_scan.l_orderkey",
      "  ->  Distributed Subplan XXX_1",
      "        ->  HashAggregate",
      "              Output: remote_scan.l_orderkey",
      "              Group Key: remote_scan.l_orderkey",
      "              ->  Custom Scan (Citus Adaptive)",
      "                    Output: remote_scan.l_orderkey",
    ]);
  });

  test("the combine step still returns the right rows", async () => {
    const rows = (await q("SELECT l_quantity, count(*) count_quantity FROM lineitem " +
      "GROUP BY l_quantity ORDER BY count_quantity, l_quantity")).rows;
    assert.deepEqual(rows, [{ l_quantity: 2, count_quantity: "1" },
      { l_quantity: 3, count_quantity: "2" }]);
  });

  test("worker errors carry Citus's CONTEXT line, after the worker's own", async () => {
    const port = `127\\.0\\.0\\.1:(${cluster.workerPorts.join("|")})`;
    for (const sql of ["SELECT 1 / (l_quantity - 2) FROM lineitem",
      "SELECT 1 / (l_quantity - 2) FROM lineitem WHERE l_orderkey = 1",
      "UPDATE lineitem SET l_quantity = 1 / (l_quantity - 2)"]) {
      await assert.rejects(q(sql), (error: pg.DatabaseError) => {
        assert.equal(error.code, "22012");
        assert.match(error.where ?? "", new RegExp(`^while executing command on ${port}$`));
        return true;
      });
    }
    await q("CREATE FUNCTION boom() RETURNS int LANGUAGE plpgsql " +
      "AS $$ BEGIN RAISE EXCEPTION 'boom'; END $$");
    await assert.rejects(q("SELECT boom() FROM lineitem"), (error: pg.DatabaseError) => {
      assert.equal(error.code, "P0001");
      assert.match(error.where ?? "", new RegExp("^PL/pgSQL function boom\\(\\) line 1 at " +
        `RAISE\\nwhile executing command on ${port}$`));
      return true;
    });
  });
});
