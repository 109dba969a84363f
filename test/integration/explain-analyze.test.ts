/**
 * EXPLAIN ANALYZE of distributed queries and EXPLAIN [ANALYZE] of INSERT, UPDATE and DELETE
 * on a real `tessera cluster --workers 2`, in Citus's shapes (`citus-surface.md` §5): the
 * Custom Scan's `(actual …)`, `Tuple data received from node(s)`, the worker's own EXPLAIN
 * ANALYZE under `->  Task`, the Planning / Execution Time lines, and modifications that
 * EXPLAIN ANALYZE really performs while plain EXPLAIN leaves the rows alone.
 * Ports and timings are masked.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { startCluster, type TesseraCluster } from "../harness/index.js";

/** Masks what changes from run to run: ports and timings. */
function mask(line: string): string {
  return line.replace(/port=\d+/, "port=xxxxx")
    .replace(/actual time=\d+\.\d{3}\.\.\d+\.\d{3}/, "actual time=N..N")
    .replace(/Time: \d+\.\d{3} ms$/, "Time: N ms");
}

describe("distributed EXPLAIN ANALYZE and EXPLAIN of modifications", () => {
  let cluster: TesseraCluster;
  let client: pg.Client;
  const q = async (sql: string): Promise<Record<string, unknown>[]> =>
    (await client.query(sql)).rows as Record<string, unknown>[];
  const plan = async (sql: string): Promise<string[]> =>
    (await q(sql)).map((row) => mask(String(row["QUERY PLAN"])));
  const count = async (sql: string): Promise<number> =>
    Number((await q(sql))[0]!["n"]);
  const analyzeOff = "ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF";

  before(async () => {
    cluster = await startCluster({ workers: 2 });
    client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    await q("SET citus.shard_count = 4");
    await q("CREATE TABLE ev (id int, v int)");
    await q("SELECT create_distributed_table('ev', 'id')");
    await q("CREATE TABLE ref (id int, name text)");
    await q("SELECT create_reference_table('ref')");
    await q("INSERT INTO ev SELECT g, g * 10 FROM generate_series(1, 8) g");
    await q("INSERT INTO ref VALUES (1, 'a')");
  });
  after(async () => {
    await client.end();
    await cluster.stop();
  });

  test("EXPLAIN ANALYZE of a multi-shard aggregate, timing and summary off", async () => {
    const lines = await plan(`EXPLAIN (${analyzeOff}) SELECT count(*) FROM ev`);
    assert.deepEqual(lines, [
      "Aggregate (actual rows=1 loops=1)",
      "  ->  Custom Scan (Citus Adaptive) (actual rows=4 loops=1)",
      "        Task Count: 4",
      "        Tuple data received from nodes: 32 bytes",
      "        Tasks Shown: One of 4",
      "        ->  Task",
      "              Tuple data received from node: 8 bytes",
      "              Node: host=127.0.0.1 port=xxxxx dbname=postgres",
      "              ->  Aggregate (actual rows=1 loops=1)",
      "                    ->  Seq Scan on ev_102008 ev (actual rows=3 loops=1)",
    ]);
  });

  test("EXPLAIN ANALYZE with timing prints actual times and both summaries", async () => {
    const lines = await plan("EXPLAIN ANALYZE SELECT count(*) FROM ev");
    assert.match(lines[0]!, /^Aggregate {2}\(cost=.*\) \(actual time=N\.\.N rows=1 loops=1\)$/);
    assert.equal(lines[1], "  ->  Custom Scan (Citus Adaptive)  (cost=0.00..0.00 rows=100000 " +
      "width=8) (actual time=N..N rows=4 loops=1)");
    assert.ok(lines.includes("                  Planning Time: N ms"), lines.join("\n"));
    assert.ok(lines.includes("                  Execution Time: N ms"), lines.join("\n"));
    assert.deepEqual(lines.slice(-2), ["Planning Time: N ms", "Execution Time: N ms"]);
  });

  test("EXPLAIN ANALYZE of a router query and of every task", async () => {
    assert.deepEqual(await plan(`EXPLAIN (${analyzeOff}) SELECT * FROM ev WHERE id = 3`), [
      "Custom Scan (Citus Adaptive) (actual rows=1 loops=1)",
      "  Task Count: 1",
      "  Tuple data received from nodes: 8 bytes",
      "  Tasks Shown: All",
      "  ->  Task",
      "        Tuple data received from node: 8 bytes",
      "        Node: host=127.0.0.1 port=xxxxx dbname=postgres",
      "        ->  Seq Scan on ev_102009 ev (actual rows=1 loops=1)",
      "              Filter: (id = 3)",
      "              Rows Removed by Filter: 1",
    ]);
    await q("SET citus.explain_all_tasks = on");
    try {
      const lines = await plan(`EXPLAIN (${analyzeOff}) SELECT * FROM ev`);
      assert.equal(lines[0], "Custom Scan (Citus Adaptive) (actual rows=8 loops=1)");
      assert.equal(lines[2], "  Tuple data received from nodes: 64 bytes");
      assert.equal(lines[3], "  Tasks Shown: All");
      const perNode = lines.filter((line) => line.includes("received from node:"))
        .map((line) => Number(/(\d+) bytes/.exec(line)![1]));
      assert.equal(perNode.length, 4);
      assert.equal(perNode.reduce((a, b) => a + b, 0), 64);
    } finally {
      await q("RESET citus.explain_all_tasks");
    }
  });

  test("EXPLAIN ANALYZE of a recursively planned CTE runs its subplan first", async () => {
    const lines = (await plan(`EXPLAIN (${analyzeOff}) WITH c AS (SELECT id FROM ev` +
      " ORDER BY id LIMIT 2) SELECT count(*) FROM c"))
      .map((line) => line.replace(/Subplan \d+_/, "Subplan N_"));
    assert.deepEqual(lines.slice(0, 5), [
      "Custom Scan (Citus Adaptive) (actual rows=1 loops=1)",
      "  ->  Distributed Subplan N_1",
      "        Intermediate Data Size: 8 bytes",
      "        Result destination: Write locally",
      "        ->  Limit (actual rows=2 loops=1)"]);
    const task = lines.indexOf("  Task Count: 1");
    assert.deepEqual(lines.slice(task, task + 6), ["  Task Count: 1",
      "  Tuple data received from nodes: 8 bytes", "  Tasks Shown: All", "  ->  Task",
      "        Tuple data received from node: 8 bytes",
      "        Node: coordinator dbname=postgres"]);
    assert.equal(lines[task + 6], "        ->  Aggregate (actual rows=1 loops=1)");
  });

  test("EXPLAIN of UPDATE, DELETE and INSERT shows the shard tasks and changes nothing",
    async () => {
      const update = await plan("EXPLAIN (COSTS OFF) UPDATE ev SET v = 1 WHERE id = 3");
      assert.deepEqual(update.slice(0, 5), ["Custom Scan (Citus Adaptive)", "  Task Count: 1",
        "  Tasks Shown: All", "  ->  Task",
        "        Node: host=127.0.0.1 port=xxxxx dbname=postgres"]);
      assert.match(update[5]!, /^ {8}->  Update on ev_102009 ev$/);
      const del = await plan("EXPLAIN DELETE FROM ev");
      assert.deepEqual(del.slice(0, 4), [
        "Custom Scan (Citus Adaptive)  (cost=0.00..0.00 rows=0 width=0)", "  Task Count: 4",
        "  Tasks Shown: One of 4", "  ->  Task"]);
      assert.match(del[5]!, /^ {8}->  Delete on ev_102008/);
      const insert = await plan("EXPLAIN (COSTS OFF) INSERT INTO ev VALUES (1, 2), (3, 4)");
      assert.deepEqual(insert.slice(0, 3), ["Custom Scan (Citus Adaptive)", "  Task Count: 2",
        "  Tasks Shown: One of 2"]);
      assert.match(insert[5]!, /^ {8}->  Insert on ev_102008/);
      assert.deepEqual(await plan("EXPLAIN (COSTS OFF) DELETE FROM ev WHERE id = 3 AND id = 4"),
        ["Custom Scan (Citus Adaptive)", "  Task Count: 0", "  Tasks Shown: All"]);
      const returning = await plan("EXPLAIN (COSTS OFF) DELETE FROM ev WHERE id = 3 RETURNING *");
      assert.equal(returning[1], "  Task Count: 1");
      const ref = await plan("EXPLAIN (COSTS OFF) UPDATE ref SET name = 'x'");
      assert.deepEqual(ref.slice(1, 3), ["  Task Count: 1", "  Tasks Shown: All"]);
      assert.equal(await count("SELECT count(*) AS n FROM ev"), 8);
      assert.equal(await count("SELECT v AS n FROM ev WHERE id = 3"), 30);
      assert.equal(await count("SELECT count(*) AS n FROM ref WHERE name = 'a'"), 1);
    });

  test("EXPLAIN ANALYZE of UPDATE and DELETE performs them", async () => {
    const update = await plan(`EXPLAIN (${analyzeOff}) UPDATE ev SET v = 99 WHERE id = 3`);
    assert.deepEqual(update.slice(0, 5), ["Custom Scan (Citus Adaptive) (actual rows=0 loops=1)",
      "  Task Count: 1", "  Tasks Shown: All", "  ->  Task",
      "        Node: host=127.0.0.1 port=xxxxx dbname=postgres"]);
    assert.match(update[5]!, /^ {8}->  Update on ev_102009 ev \(actual rows=0 loops=1\)$/);
    assert.equal(update[6], "              ->  Seq Scan on ev_102009 ev (actual rows=1 loops=1)");
    assert.equal(await count("SELECT v AS n FROM ev WHERE id = 3"), 99);
    const returning = await plan(`EXPLAIN (${analyzeOff}) UPDATE ev SET v = 98 WHERE id = 3` +
      " RETURNING id");
    assert.equal(returning[0], "Custom Scan (Citus Adaptive) (actual rows=1 loops=1)");
    assert.equal(await count("SELECT v AS n FROM ev WHERE id = 3"), 98);
    const del = await plan(`EXPLAIN (${analyzeOff}) DELETE FROM ev WHERE id > 5`);
    assert.deepEqual(del.slice(0, 3), ["Custom Scan (Citus Adaptive) (actual rows=0 loops=1)",
      "  Task Count: 4", "  Tasks Shown: One of 4"]);
    assert.equal(await count("SELECT count(*) AS n FROM ev"), 5);
    const ref = await plan(`EXPLAIN (${analyzeOff}) UPDATE ref SET name = 'y'`);
    assert.equal(ref[1], "  Task Count: 1");
    const names = await Promise.all(cluster.workerPorts.map(async (port) => {
      const c = new pg.Client({ host: "127.0.0.1", port, user: "postgres",
        database: "postgres" });
      await c.connect();
      try {
        return (await c.query("SELECT name FROM ref_102012")).rows;
      } finally {
        await c.end();
      }
    }));
    assert.deepEqual(names, [[{ name: "y" }], [{ name: "y" }]]);
    const timed = await plan("EXPLAIN ANALYZE INSERT INTO ev VALUES (20, 1)");
    assert.match(timed[0]!,
      /^Custom Scan \(Citus Adaptive\) {2}\(cost=0\.00\.\.0\.00 rows=0 width=0\)/);
    assert.deepEqual(timed.slice(-2), ["Planning Time: N ms", "Execution Time: N ms"]);
    assert.equal(await count("SELECT count(*) AS n FROM ev WHERE id = 20"), 1);
  });

  test("INSERT … SELECT pulls to the coordinator; its EXPLAIN ANALYZE is refused", async () => {
    const lines = await plan("EXPLAIN (COSTS OFF) INSERT INTO ev SELECT * FROM ev LIMIT 3");
    assert.deepEqual(lines.slice(0, 6), ["Custom Scan (Citus INSERT ... SELECT)",
      "  INSERT/SELECT method: pull to coordinator", "  ->  Limit",
      "        ->  Custom Scan (Citus Adaptive)", "              Task Count: 4",
      "              Tasks Shown: One of 4"]);
    // (`INSERT INTO ev SELECT * FROM ev` itself is pushed down to the shards, as in Citus.)
    await assert.rejects(q("EXPLAIN ANALYZE INSERT INTO ev SELECT * FROM ev LIMIT 3"),
      (e: { code?: string; message?: string }) => e.code === "XX000" && e.message ===
        "EXPLAIN ANALYZE is currently not supported for INSERT ... SELECT commands via " +
        "coordinator");
    assert.equal(await count("SELECT count(*) AS n FROM ev"), 6);
  });

  test("EXPLAIN (FORMAT XML) prints Citus's document in XML", async () => {
    const [doc] = await plan("EXPLAIN (FORMAT XML, COSTS OFF) SELECT count(*) FROM ev");
    const lines = doc!.split("\n");
    assert.equal(lines[0], "<explain xmlns=\"http://www.postgresql.org/2009/explain\">");
    assert.ok(lines.includes(`${" ".repeat(10)}<Custom-Plan-Provider>Citus Adaptive` +
      "</Custom-Plan-Provider>"), doc);
    assert.ok(lines.includes("              <Tasks-Shown>One of 4</Tasks-Shown>"), doc);
  });
});
