/**
 * The distributed planner's refusals and EXPLAIN shapes where Citus has a fixed text
 * (`citus-surface.md` §5, §6): citus.local_table_join_policy = 'never', an invalid policy,
 * a join that needs repartitioning, recursive CTEs and LATERAL joins over distributed tables;
 * and the `->  Distributed Subplan` block of a local table shipped to the tasks. A refusal must
 * also leave nothing changed: an UPDATE refused keeps the rows.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { startCluster, type TesseraCluster } from "../harness/index.js";

describe("distributed planner errors and subplans", () => {
  let cluster: TesseraCluster;
  let client: pg.Client;
  const q = async (sql: string): Promise<Record<string, unknown>[]> =>
    (await client.query(sql)).rows as Record<string, unknown>[];
  const fails = async (sql: string, code: string, message: string, hint?: string):
    Promise<void> => {
    await assert.rejects(client.query(sql), (error: pg.DatabaseError) => {
      assert.equal(error.message, message);
      assert.equal(error.code, code);
      assert.equal(error.hint, hint);
      return true;
    });
  };

  before(async () => {
    cluster = await startCluster({ workers: 2 });
    client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    await q("CREATE TABLE ev (device_id int, event_id int, qty int, PRIMARY KEY (device_id, " +
      "event_id))");
    await q("SELECT create_distributed_table('ev', 'device_id')");
    await q("CREATE TABLE us (email text PRIMARY KEY, score int)");
    await q("SELECT create_distributed_table('us', 'email')");
    await q("CREATE TABLE loc (k int PRIMARY KEY, label text)");
    await q("INSERT INTO ev SELECT i % 10, i, i % 4 FROM generate_series(1, 100) i");
    await q("INSERT INTO us SELECT 'u' || i, i % 4 FROM generate_series(1, 10) i");
    await q("INSERT INTO loc SELECT i, 'l' || i FROM generate_series(1, 5) i");
  });
  after(async () => {
    await client.end();
    await cluster.stop();
  });

  test("local_table_join_policy 'never' refuses a local join with Citus's error", async () => {
    await q("SET citus.local_table_join_policy TO 'never'");
    const hint = "Use CTE's or subqueries to select from local tables and use them in joins";
    await fails("SELECT count(*) FROM ev JOIN loc ON loc.k = ev.qty", "0A000",
      "direct joins between distributed and local tables are not supported", hint);
    await fails("UPDATE ev SET qty = 9 FROM loc WHERE loc.k = ev.device_id", "0A000",
      "direct joins between distributed and local tables are not supported", hint);
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM ev WHERE qty = 9"), [{ n: 0 }]);
    // An enum setting, as in Citus: a bad value fails at SET and the old value stays.
    await fails("SET citus.local_table_join_policy TO 'bogus'", "22023",
      "invalid value for parameter \"citus.local_table_join_policy\": \"bogus\"",
      "Available values: never, prefer-local, prefer-distributed, auto.");
    await q("RESET citus.local_table_join_policy");
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM ev JOIN loc ON loc.k = ev.qty"),
      [{ n: 75 }]);
  });

  test("a join that needs repartitioning fails unless citus.enable_repartition_joins", async () => {
    const sql = "SELECT count(*)::int AS n FROM ev JOIN us ON us.score = ev.qty";
    await fails(sql, "XX000", "the query contains a join that requires repartitioning",
      "Set citus.enable_repartition_joins to on to enable repartitioning");
    await q("SET citus.enable_repartition_joins TO on");
    assert.deepEqual(await q(sql), [{ n: 250 }]);
    await q("RESET citus.enable_repartition_joins");
    await fails("SELECT count(*) FROM ev LEFT JOIN us ON us.score = ev.qty", "0A000",
      "complex joins are only supported when all distributed tables are co-located and " +
      "joined on their distribution columns");
  });

  test("recursive CTEs and LATERAL joins that cannot run get Citus's 0A000", async () => {
    await fails("WITH RECURSIVE r AS (SELECT qty AS n FROM ev UNION ALL SELECT n + 1 FROM r " +
      "WHERE n < 3) SELECT count(*) FROM r", "0A000",
      "recursive CTEs are only supported when they contain a filter on the distribution column");
    await fails("SELECT count(*) FROM us, LATERAL (SELECT count(*) FROM ev " +
      "WHERE ev.qty = us.score) x", "0A000",
      "complex joins are only supported when all distributed tables are co-located and " +
      "joined on their distribution columns");
    await q("CREATE TABLE kinds (k int PRIMARY KEY)");
    await q("SELECT create_reference_table('kinds')");
    await q("INSERT INTO kinds VALUES (1), (2)");
    await assert.rejects(client.query("SELECT count(*) FROM kinds t, LATERAL (SELECT count(*) " +
      "FROM ev WHERE ev.device_id = t.k) x"), (error: pg.DatabaseError) => {
      assert.equal(error.message, "cannot push down this subquery");
      assert.equal(error.detail, "Aggregates without group by are currently unsupported when " +
        "a lateral subquery references a column from a reference table");
      return error.code === "0A000";
    });
    await fails("SELECT count(*) FROM kinds t LEFT JOIN LATERAL (SELECT ev.qty FROM ev " +
      "WHERE ev.device_id = t.k) x ON true", "0A000", "cannot perform a lateral outer join " +
      "when a distributed subquery references a reference table");
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM us, LATERAL (SELECT count(*) " +
      "FROM ev WHERE ev.device_id = 3) x"), [{ n: 10 }]);
  });

  test("bound parameters reach the shipped subplans", async () => {
    const read = await client.query("SELECT count(*)::int AS n FROM ev JOIN loc " +
      "ON loc.k = ev.qty WHERE loc.k < $1 AND ev.device_id >= $2", [3, 0]);
    assert.deepEqual(read.rows, [{ n: 50 }]);
    const write = await client.query("UPDATE ev SET qty = qty FROM loc " +
      "WHERE loc.k = ev.device_id AND loc.label = $1", ["l2"]);
    assert.equal(write.rowCount, 10);
  });

  test("EXPLAIN shows the local table as a Distributed Subplan of the Custom Scan", async () => {
    const rows = await q("EXPLAIN (COSTS OFF) SELECT loc.label, count(*) FROM ev " +
      "JOIN loc ON loc.k = ev.qty WHERE loc.k < 3 GROUP BY loc.label");
    const lines = rows.map((row) => String(row["QUERY PLAN"]));
    const scan = lines.findIndex((line) => line.includes("->  Custom Scan (Citus Adaptive)"));
    assert.ok(scan > 0, lines.join("\n"));
    const indent = lines[scan]!.indexOf("->");
    assert.match(lines[scan + 1]!, new RegExp(`^ {${indent + 6}}->  Distributed Subplan \\d+_1$`));
    assert.match(lines[scan + 2]!, /->  (Seq|Index) Scan .*on loc/);
    const count = lines.findIndex((line) => line.trim() === "Task Count: 32");
    assert.ok(count > scan + 2, lines.join("\n"));
    assert.equal(lines[count]!.indexOf("Task"), indent + 6);
  });

  test("a router query ships the local table to its one task", async () => {
    const rows = await q("EXPLAIN (COSTS OFF) SELECT ev.event_id, loc.label FROM ev " +
      "JOIN loc ON loc.k = ev.qty WHERE ev.device_id = 3");
    const lines = rows.map((row) => String(row["QUERY PLAN"]));
    assert.equal(lines[0], "Custom Scan (Citus Adaptive)");
    assert.match(lines[1]!, /^ {2}->  Distributed Subplan \d+_1$/);
    assert.ok(lines.includes("  Task Count: 1"), lines.join("\n"));
  });

  test("a distributed table pinned by its primary key is read first under 'auto'", async () => {
    const rows = await q("EXPLAIN (COSTS OFF) SELECT us.score, loc.label FROM us " +
      "JOIN loc ON loc.k = us.score WHERE us.email = 'u1'");
    const lines = rows.map((row) => String(row["QUERY PLAN"]));
    assert.equal(lines[0], "Custom Scan (Citus Adaptive)");
    assert.match(lines[1]!, /^ {2}->  Distributed Subplan \d+_1$/);
    assert.equal(lines[2], "        ->  Custom Scan (Citus Adaptive)");
    assert.ok(lines.includes("  Task Count: 1"), lines.join("\n"));
    assert.ok(lines.some((line) => /Seq Scan on loc|Index Scan .* on loc/.test(line)),
      lines.join("\n"));
    assert.deepEqual(await q("SELECT us.score, loc.label FROM us JOIN loc ON loc.k = us.score " +
      "WHERE us.email = 'u1'"), [{ score: 1, label: "l1" }]);
  });
  test("INSERT … SELECT between colocated tables runs on the shards, as Citus pushes it down",
    async () => {
      await q("CREATE TABLE ev_copy (device_id int, event_id int, qty int)");
      await q("SELECT create_distributed_table('ev_copy', 'device_id')");
      const plan = (await q("EXPLAIN (COSTS OFF) INSERT INTO ev_copy SELECT device_id, " +
        "event_id, qty FROM ev WHERE qty > 1")).map((row) => String(row["QUERY PLAN"]));
      assert.equal(plan[0], "Custom Scan (Citus Adaptive)");
      assert.equal(plan[1], "  Task Count: 32");
      const insert = plan.findIndex((line) => /->  Insert on ev_copy_\d+ citus_table_alias$/
        .test(line));
      assert.ok(insert > 0, plan.join("\n"));
      assert.match(plan[insert + 1]!, /->  Seq Scan on ev_\d+ ev$/);
      assert.equal(plan[insert + 2]!.trim(), "Filter: ((device_id IS NOT NULL) AND (qty > 1))");
      await q("SET citus.log_remote_commands = on");
      const notices: string[] = [];
      const listen = (notice: { message?: string | undefined }): void => {
        notices.push(notice.message ?? "");
      };
      client.on("notice", listen);
      try {
        await q("INSERT INTO ev_copy SELECT device_id, event_id, qty FROM ev WHERE device_id = 3");
      } finally {
        client.off("notice", listen);
        await q("RESET citus.log_remote_commands");
      }
      assert.deepEqual(notices.filter((n) => n.startsWith("issuing INSERT")).map((n) =>
        n.replace(/_\d+/g, "_N")), ["issuing INSERT INTO public.ev_copy_N AS citus_table_alias " +
        "(device_id, event_id, qty) SELECT device_id, event_id, qty FROM public.ev_N AS ev " +
        "WHERE device_id = 3 AND device_id IS NOT NULL"]);
      await q("INSERT INTO ev_copy SELECT device_id, event_id, qty FROM ev WHERE device_id <> 3");
      assert.deepEqual(await q("SELECT count(*)::int AS n, sum(qty)::int AS s FROM ev_copy"),
        await q("SELECT count(*)::int AS n, sum(qty)::int AS s FROM ev"));
    });
});
