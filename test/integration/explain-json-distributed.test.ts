/**
 * EXPLAIN (FORMAT JSON) of distributed queries on a real `tessera cluster --workers 2`, in
 * Citus's shape (multi_explain.c): a "Custom Scan" node with "Custom Plan Provider": "Citus
 * Adaptive" and a "Distributed Query" → "Job" → "Tasks" object whose tasks carry the worker's
 * own JSON plan under "Remote Plan", pasted as the worker printed it. The output is one row of
 * type json that parses; FORMAT YAML is the same document in YAML; modifications show the
 * worker's ModifyTable (FORMAT XML: citus-explain-sweep.test.ts). JSON/YAML of INSERT …
 * SELECT and of queries with distributed subplans are 0A000.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { startCluster, type TesseraCluster } from "../harness/index.js";

type Json = Record<string, unknown>;

describe("distributed EXPLAIN (FORMAT JSON)", () => {
  let cluster: TesseraCluster;
  let client: pg.Client;
  const raw = { getTypeParser: () => (value: string) => value };

  /** Runs an EXPLAIN (FORMAT JSON …), checks it is one json row, returns its text. */
  const explain = async (sql: string): Promise<string> => {
    const result = await client.query({ text: sql, rowMode: "array", types: raw });
    assert.equal(result.fields.length, 1);
    assert.equal(result.fields[0]!.name, "QUERY PLAN");
    assert.equal(result.fields[0]!.dataTypeID, 114, "the column is json");
    assert.equal(result.rows.length, 1);
    return (result.rows as string[][])[0]![0]!;
  };
  const plan = async (sql: string): Promise<Json> =>
    ((JSON.parse(await explain(sql)) as Json[])[0]!);

  before(async () => {
    cluster = await startCluster({ workers: 2 });
    client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    for (const sql of ["SET citus.shard_count = 4", "CREATE TABLE ev (id int, v int)",
      "SELECT create_distributed_table('ev', 'id')",
      "INSERT INTO ev SELECT g, g * 10 FROM generate_series(1, 8) g"]) {
      await client.query(sql);
    }
  });
  after(async () => {
    await client?.end();
    await cluster?.stop();
  });

  test("a router query: the Custom Scan is the plan", async () => {
    const query = await plan("EXPLAIN (FORMAT JSON) SELECT * FROM ev WHERE id = 3");
    const scan = query["Plan"] as Json;
    assert.deepEqual(Object.keys(scan), ["Node Type", "Custom Plan Provider", "Parallel Aware",
      "Async Capable", "Startup Cost", "Total Cost", "Plan Rows", "Plan Width",
      "Distributed Query"]);
    assert.equal(scan["Node Type"], "Custom Scan");
    assert.equal(scan["Custom Plan Provider"], "Citus Adaptive");
    const job = (scan["Distributed Query"] as Json)["Job"] as Json;
    assert.deepEqual(Object.keys(job), ["Task Count", "Tasks Shown", "Tasks"]);
    assert.equal(job["Task Count"], 1);
    assert.equal(job["Tasks Shown"], "All");
    const [task] = job["Tasks"] as Json[];
    assert.deepEqual(Object.keys(task!), ["Node", "Remote Plan"]);
    assert.match(String(task!["Node"]), /^host=127\.0\.0\.1 port=\d+ dbname=postgres$/);
    const remote = task!["Remote Plan"] as Json[][];
    assert.equal(remote.length, 1);
    const worker = remote[0]![0]!["Plan"] as Json;
    assert.equal(worker["Node Type"], "Seq Scan");
    assert.match(String(worker["Relation Name"]), /^ev_\d+$/);
    assert.equal(worker["Alias"], "ev");
    assert.equal(worker["Filter"], "(id = 3)");
  });

  test("a multi-shard aggregate nests the Custom Scan under the combine plan", async () => {
    const text = await explain("EXPLAIN (FORMAT JSON, COSTS OFF) SELECT count(*) FROM ev");
    // Citus pastes the worker's lines and closes "Remote Plan" after an empty line.
    assert.match(text, /\n {20}\]\n\n {18}\]\n/);
    const top = (JSON.parse(text) as Json[])[0]!["Plan"] as Json;
    assert.equal(top["Node Type"], "Aggregate");
    assert.equal(top["Strategy"], "Plain");
    const [scan] = top["Plans"] as Json[];
    assert.equal(scan!["Node Type"], "Custom Scan");
    assert.equal(scan!["Parent Relationship"], "Outer");
    assert.equal(scan!["Custom Plan Provider"], "Citus Adaptive");
    assert.equal(scan!["Startup Cost"], undefined, "COSTS OFF");
    const job = (scan!["Distributed Query"] as Json)["Job"] as Json;
    assert.equal(job["Task Count"], 4);
    assert.equal(job["Tasks Shown"], "One of 4");
    assert.equal((job["Tasks"] as Json[]).length, 1);
    const worker = ((job["Tasks"] as Json[])[0]!["Remote Plan"] as Json[][])[0]![0]!;
    assert.equal((worker["Plan"] as Json)["Node Type"], "Aggregate");
  });

  test("ANALYZE adds actuals, tuple data and the summary", async () => {
    const query = await plan(
      "EXPLAIN (FORMAT JSON, ANALYZE, COSTS OFF, TIMING OFF) SELECT v FROM ev");
    assert.deepEqual(Object.keys(query), ["Plan", "Planning Time", "Triggers",
      "Execution Time"]);
    const scan = query["Plan"] as Json;
    assert.equal(scan["Actual Rows"], 8);
    assert.equal(scan["Actual Loops"], 1);
    const job = (scan["Distributed Query"] as Json)["Job"] as Json;
    assert.equal(job["Tuple data received from nodes"], "32 bytes");
    const [task] = job["Tasks"] as Json[];
    assert.deepEqual(Object.keys(task!), ["Tuple data received from node", "Node",
      "Remote Plan"]);
    const worker = (task!["Remote Plan"] as Json[][])[0]![0]!;
    assert.ok("Execution Time" in worker, "the worker's own EXPLAIN ANALYZE summary");
  });

  test("VERBOSE shows each task's query; citus.explain_all_tasks shows every task", async () => {
    await client.query("SET citus.explain_all_tasks = on");
    try {
      const query = await plan("EXPLAIN (FORMAT JSON, COSTS OFF, VERBOSE) SELECT v FROM ev");
      const job = ((query["Plan"] as Json)["Distributed Query"] as Json)["Job"] as Json;
      assert.equal(job["Tasks Shown"], "All");
      const tasks = job["Tasks"] as Json[];
      assert.equal(tasks.length, 4);
      for (const task of tasks) {
        assert.match(String(task["Query"]), /^SELECT v FROM public\.ev_\d+ AS ev$/);
      }
    } finally {
      await client.query("RESET citus.explain_all_tasks");
    }
  });

  test("FORMAT YAML: the same document, the worker's YAML pasted under Remote Plan", async () => {
    const result = await client.query({ text: "EXPLAIN (FORMAT YAML, COSTS OFF) " +
      "SELECT count(*) FROM ev", rowMode: "array" });
    assert.equal(result.fields[0]!.dataTypeID, 25);
    const text = (result.rows as string[][])[0]![0]!.replace(/port=\d+/, "port=N");
    assert.equal(text, [
      "- Plan: ", "    Node Type: \"Aggregate\"", "    Strategy: \"Plain\"",
      "    Partial Mode: \"Simple\"", "    Parallel Aware: false", "    Async Capable: false",
      "    Plans: ", "      - Node Type: \"Custom Scan\"", "        Parent Relationship: \"Outer\"",
      "        Custom Plan Provider: \"Citus Adaptive\"", "        Parallel Aware: false",
      "        Async Capable: false", "        Distributed Query: ", "          Job: ",
      "            Task Count: 4", "            Tasks Shown: \"One of 4\"", "            Tasks: ",
      "              - Node: \"host=127.0.0.1 port=N dbname=postgres\"",
      "                Remote Plan: ", "                  - Plan: ",
      "                      Node Type: \"Aggregate\"",
      "                      Strategy: \"Plain\"",
      "                      Partial Mode: \"Simple\"",
      "                      Parallel Aware: false",
      "                      Async Capable: false", "                      Plans: ",
      "                        - Node Type: \"Seq Scan\"",
      "                          Parent Relationship: \"Outer\"",
      "                          Parallel Aware: false",
      "                          Async Capable: false",
      "                          Relation Name: \"ev_102008\"",
      "                          Alias: \"ev\"",
      ""].join("\n"));
  });

  test("an UPDATE: the worker's ModifyTable under the Custom Scan, no row changed", async () => {
    const query = await plan("EXPLAIN (FORMAT JSON, COSTS OFF) UPDATE ev SET v = 1 WHERE id = 2");
    const scan = query["Plan"] as Json;
    assert.equal(scan["Custom Plan Provider"], "Citus Adaptive");
    const job = (scan["Distributed Query"] as Json)["Job"] as Json;
    assert.equal(job["Task Count"], 1);
    const worker = (((job["Tasks"] as Json[])[0]!["Remote Plan"] as Json[][])[0]![0]!)["Plan"];
    assert.equal((worker as Json)["Node Type"], "ModifyTable");
    assert.equal((worker as Json)["Operation"], "Update");
    const [row] = (await client.query("SELECT count(*)::int AS n FROM ev WHERE v = 1")).rows;
    assert.equal((row as Json)["n"], 0);
  });

  test("formats and statements not implemented are 0A000", async () => {
    await assert.rejects(client.query("EXPLAIN (FORMAT JSON) INSERT INTO ev " +
      "SELECT * FROM ev LIMIT 3"),
      { code: "0A000", message: "EXPLAIN (FORMAT JSON) of INSERT ... SELECT from distributed " +
        "tables is not supported" });
    await assert.rejects(client.query("EXPLAIN (FORMAT YAML) SELECT * FROM ev " +
      "WHERE v IN (SELECT id FROM ev LIMIT 1)"), { code: "0A000", message: "EXPLAIN (FORMAT " +
      "YAML) of queries with distributed subplans is not supported" });
  });
});
