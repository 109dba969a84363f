/**
 * A sweep of Citus's own EXPLAIN regression test (`multi_explain.sql`, expected output
 * `multi_explain_0.out`, the PostgreSQL ≤ 17 variant) on a `tessera cluster --workers 2`.
 * Tables are created as `multi_create_table.sql` makes them (lineitem and orders on 2 shards,
 * lineitem_hash_part and orders_hash_part on 4, ids from 360000), and each statement's
 * output is compared with Citus's, line for line, in the coordinator's part: the combine
 * plan, the Custom Scan and its Citus lines (`Task Count`, `Tasks Shown`, `->  Task`,
 * `Node: …`, `Tuple data received …`, `INSERT/SELECT method`, `Distributed Subplan`).
 * Below each task's `Node:` line sits the worker's own plan, which legitimately differs (our
 * workers run our engine, with other data): it is cut off, as are the tasks' `Query:` texts
 * and row counts. Hosts, ports and database names are masked as Citus's test masks them.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { failureOf, startCluster, type TesseraCluster } from "../harness/index.js";

/** Citus's masking of the task's node, and the actual row counts that depend on the data. */
function masked(line: string): string {
  return line.replace(/Node: host=\S+ port=\d+ dbname=\S+/,
    "Node: host=localhost port=xxxxx dbname=regression")
    .replace(/"Node": "host=\S+ port=\d+ dbname=\S+"/,
      "\"Node\": \"host=localhost port=xxxxx dbname=regression\"")
    .replace(/actual rows=\d+ loops=1/, "actual rows=N loops=1")
    .replace(/received from (nodes?): \d+ bytes/, "received from $1: N bytes")
    .replace(/(<Tuple-data-received-from-nodes?>)\d+ bytes/, "$1N bytes")
    .replace(/<Node>host=\S+ port=\d+ dbname=\S+<\/Node>/,
      "<Node>host=localhost port=xxxxx dbname=regression</Node>");
}

/** The coordinator's part of a text plan: each task's worker plan and Query: cut off. */
function citusPart(lines: readonly string[]): string[] {
  const out: string[] = [];
  let cut: number | undefined;
  for (const line of lines) {
    const indent = line.length - line.trimStart().length;
    if (cut !== undefined && indent >= cut) continue;
    cut = undefined;
    if (line.trimStart().startsWith("Query: ")) continue;
    out.push(masked(line));
    // Under "Node: …" the worker's plan follows at the same indent.
    if (line.trimStart().startsWith("Node: ")) cut = indent;
  }
  return out;
}

const lineitem = `CREATE TABLE lineitem (
  l_orderkey bigint not null, l_partkey integer not null, l_suppkey integer not null,
  l_linenumber integer not null, l_quantity decimal(15, 2) not null,
  l_extendedprice decimal(15, 2) not null, l_discount decimal(15, 2) not null,
  l_tax decimal(15, 2) not null, l_returnflag char(1) not null, l_linestatus char(1) not null,
  l_shipdate date not null, l_commitdate date not null, l_receiptdate date not null,
  l_shipinstruct char(25) not null, l_shipmode char(10) not null,
  l_comment varchar(44) not null, PRIMARY KEY(l_orderkey, l_linenumber))`;
const orders = `CREATE TABLE orders (
  o_orderkey bigint not null, o_custkey integer not null, o_orderstatus char(1) not null,
  o_totalprice decimal(15,2) not null, o_orderdate date not null,
  o_orderpriority char(15) not null, o_clerk char(15) not null,
  o_shippriority integer not null, o_comment varchar(79) not null, PRIMARY KEY(o_orderkey))`;

/** The Custom Scan block of a query on one shard group, as Citus prints it. */
const oneOf = (n: number, indent = ""): string[] => [`${indent}  Task Count: ${n}`,
  `${indent}  Tasks Shown: One of ${n}`, `${indent}  ->  Task`,
  `${indent}        Node: host=localhost port=xxxxx dbname=regression`];
const all = (n: number, indent = ""): string[] => [`${indent}  Task Count: ${n}`,
  `${indent}  Tasks Shown: All`,
  ...Array.from({ length: n }, () => [`${indent}  ->  Task`,
    `${indent}        Node: host=localhost port=xxxxx dbname=regression`]).flat()];

/** Citus's `EXPLAIN (COSTS FALSE, FORMAT XML)` of the GROUP BY query: (indent, line). */
const citusXml: readonly (readonly [number, string])[] = [
  [0, "<explain xmlns=\"http://www.postgresql.org/2009/explain\">"],
  [2, "<Query>"],
  [4, "<Plan>"],
  [6, "<Node-Type>Sort</Node-Type>"],
  [6, "<Parallel-Aware>false</Parallel-Aware>"],
  [6, "<Async-Capable>false</Async-Capable>"],
  [6, "<Sort-Key>"],
  [8, "<Item>(COALESCE((pg_catalog.sum(remote_scan.count_quantity))::bigint, '0'::bigint))</Item>"],
  [8, "<Item>remote_scan.l_quantity</Item>"],
  [6, "</Sort-Key>"],
  [6, "<Plans>"],
  [8, "<Plan>"],
  [10, "<Node-Type>Aggregate</Node-Type>"],
  [10, "<Strategy>Hashed</Strategy>"],
  [10, "<Partial-Mode>Simple</Partial-Mode>"],
  [10, "<Parent-Relationship>Outer</Parent-Relationship>"],
  [10, "<Parallel-Aware>false</Parallel-Aware>"],
  [10, "<Async-Capable>false</Async-Capable>"],
  [10, "<Group-Key>"],
  [12, "<Item>remote_scan.l_quantity</Item>"],
  [10, "</Group-Key>"],
  [10, "<Plans>"],
  [12, "<Plan>"],
  [14, "<Node-Type>Custom Scan</Node-Type>"],
  [14, "<Parent-Relationship>Outer</Parent-Relationship>"],
  [14, "<Custom-Plan-Provider>Citus Adaptive</Custom-Plan-Provider>"],
  [14, "<Parallel-Aware>false</Parallel-Aware>"],
  [14, "<Async-Capable>false</Async-Capable>"],
  [14, "<Distributed-Query>"],
  [16, "<Job>"],
  [18, "<Task-Count>2</Task-Count>"],
  [18, "<Tasks-Shown>One of 2</Tasks-Shown>"],
  [18, "<Tasks>"],
  [20, "<Task>"],
  [22, "<Node>host=localhost port=xxxxx dbname=regression</Node>"],
  [22, "<Remote-Plan>"],
  [24, "<explain xmlns=\"http://www.postgresql.org/2009/explain\">"],
  [26, "<Query>"],
  [28, "<Plan>"],
  [30, "<Node-Type>Aggregate</Node-Type>"],
  [30, "<Strategy>Hashed</Strategy>"],
  [30, "<Partial-Mode>Simple</Partial-Mode>"],
  [30, "<Parallel-Aware>false</Parallel-Aware>"],
  [30, "<Async-Capable>false</Async-Capable>"],
  [30, "<Group-Key>"],
  [32, "<Item>l_quantity</Item>"],
  [30, "</Group-Key>"],
  [30, "<Plans>"],
  [32, "<Plan>"],
  [34, "<Node-Type>Seq Scan</Node-Type>"],
  [34, "<Parent-Relationship>Outer</Parent-Relationship>"],
  [34, "<Parallel-Aware>false</Parallel-Aware>"],
  [34, "<Async-Capable>false</Async-Capable>"],
  [34, "<Relation-Name>lineitem_360000</Relation-Name>"],
  [34, "<Alias>lineitem</Alias>"],
  [32, "</Plan>"],
  [30, "</Plans>"],
  [28, "</Plan>"],
  [26, "</Query>"],
  [24, "</explain>"],
  [22, "</Remote-Plan>"],
  [20, "</Task>"],
  [18, "</Tasks>"],
  [16, "</Job>"],
  [14, "</Distributed-Query>"],
  [12, "</Plan>"],
  [10, "</Plans>"],
  [8, "</Plan>"],
  [6, "</Plans>"],
  [4, "</Plan>"],
  [2, "</Query>"],
  [0, "</explain>"],
];

describe("Citus multi_explain sweep", () => {
  let cluster: TesseraCluster;
  let client: pg.Client;
  const q = async (sql: string): Promise<pg.QueryResult> => client.query(sql);
  const plan = async (sql: string): Promise<string[]> =>
    citusPart((await q(sql)).rows.map((row) => String(row["QUERY PLAN"])));

  before(async () => {
    cluster = await startCluster({ workers: 2 });
    client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    await q("SET citus.next_shard_id TO 360000");
    await q(lineitem);
    await q("SELECT create_distributed_table('lineitem', 'l_orderkey', 'hash', " +
      "shard_count := 2)");
    await q(orders);
    await q("SELECT create_distributed_table('orders', 'o_orderkey', 'hash', " +
      "colocate_with := 'lineitem')");
    await q("INSERT INTO lineitem SELECT g, g, g, 1, g % 50, 1, 0, 0, 'A', 'F', '1995-01-01', " +
      "'1995-01-01', '1995-01-01', 'x', 'y', 'z' FROM generate_series(1, 200) g");
    await q("INSERT INTO orders SELECT g, g % 10, 'O', 1, '1995-01-01', 'p', 'c', 0, 'z' " +
      "FROM generate_series(1, 200) g");
    await q("SET citus.next_shard_id TO 360041");
    await q("SET citus.shard_count TO 4");
    await q("CREATE TABLE lineitem_hash_part (LIKE lineitem)");
    await q("SELECT create_distributed_table('lineitem_hash_part', 'l_orderkey')");
    await q("CREATE TABLE orders_hash_part (LIKE orders)");
    await q("SELECT create_distributed_table('orders_hash_part', 'o_orderkey')");
    await q("INSERT INTO lineitem_hash_part SELECT * FROM lineitem");
    await q("INSERT INTO orders_hash_part SELECT * FROM orders");
  });
  after(async () => {
    await client?.end();
    await cluster?.stop();
  });

  test("FORMAT JSON and YAML name remote_scan's columns in the combine plan", async () => {
    const sql = "SELECT l_quantity, count(*) count_quantity FROM lineitem " +
      "GROUP BY l_quantity ORDER BY count_quantity, l_quantity";
    const json = (await q(`EXPLAIN (COSTS FALSE, FORMAT JSON) ${sql}`)).rows[0]!["QUERY PLAN"];
    const top = (json as { Plan: Record<string, unknown> }[])[0]!.Plan;
    assert.deepEqual(top["Sort Key"], ["(COALESCE((pg_catalog.sum(" +
      "remote_scan.count_quantity))::bigint, '0'::bigint))", "remote_scan.l_quantity"]);
    const agg = (top["Plans"] as Record<string, unknown>[])[0]!;
    assert.deepEqual(agg["Group Key"], ["remote_scan.l_quantity"]);
    const scan = (agg["Plans"] as Record<string, unknown>[])[0]!;
    assert.equal(scan["Custom Plan Provider"], "Citus Adaptive");
    const yaml = String((await q(`EXPLAIN (COSTS FALSE, FORMAT YAML) ${sql}`))
      .rows[0]!["QUERY PLAN"]).split("\n").map((line) => line.trimEnd());
    assert.deepEqual(yaml.slice(0, 16), [
      "- Plan:",
      "    Node Type: \"Sort\"",
      "    Parallel Aware: false",
      "    Async Capable: false",
      "    Sort Key:",
      "      - \"(COALESCE((pg_catalog.sum(remote_scan.count_quantity))::bigint, " +
        "'0'::bigint))\"",
      "      - \"remote_scan.l_quantity\"",
      "    Plans:",
      "      - Node Type: \"Aggregate\"",
      "        Strategy: \"Hashed\"",
      "        Partial Mode: \"Simple\"",
      "        Parent Relationship: \"Outer\"",
      "        Parallel Aware: false",
      "        Async Capable: false",
      "        Group Key:",
      "          - \"remote_scan.l_quantity\"",
    ]);
  });

  test("FORMAT XML: Citus's document, byte for byte", async () => {
    const doc = String((await q("EXPLAIN (COSTS FALSE, FORMAT XML) SELECT l_quantity, " +
      "count(*) count_quantity FROM lineitem GROUP BY l_quantity " +
      "ORDER BY count_quantity, l_quantity")).rows[0]!["QUERY PLAN"]);
    assert.deepEqual(doc.split("\n").map(masked),
      citusXml.map(([indent, text]) => " ".repeat(indent) + text));
    const analyzed = String((await q("EXPLAIN (COSTS off, ANALYZE on, TIMING off, " +
      "SUMMARY off, FORMAT XML, BUFFERS OFF) SELECT * FROM lineitem WHERE l_orderkey = 1"))
      .rows[0]!["QUERY PLAN"]).split("\n");
    assert.deepEqual(analyzed.slice(3, 18).map(masked), [
      "      <Node-Type>Custom Scan</Node-Type>",
      "      <Custom-Plan-Provider>Citus Adaptive</Custom-Plan-Provider>",
      "      <Parallel-Aware>false</Parallel-Aware>",
      "      <Async-Capable>false</Async-Capable>",
      "      <Actual-Rows>1</Actual-Rows>",
      "      <Actual-Loops>1</Actual-Loops>",
      "      <Distributed-Query>",
      "        <Job>",
      "          <Task-Count>1</Task-Count>",
      "          <Tuple-data-received-from-nodes>N bytes</Tuple-data-received-from-nodes>",
      "          <Tasks-Shown>All</Tasks-Shown>",
      "          <Tasks>",
      "            <Task>",
      "              <Tuple-data-received-from-node>N bytes</Tuple-data-received-from-node>",
      "              <Node>host=localhost port=xxxxx dbname=regression</Node>",
    ]);
    assert.deepEqual(analyzed.slice(-6), ["      </Distributed-Query>", "    </Plan>",
      "    <Triggers>", "    </Triggers>", "  </Query>", "</explain>"]);
  });

  test("avg is combined as Citus does: sum / pg_catalog.sum, no NULLIF", async () => {
    const lines = await plan("EXPLAIN (COSTS FALSE, VERBOSE TRUE) " +
      "SELECT sum(l_quantity) / avg(l_quantity) FROM lineitem");
    // Our engine prints an aggregate inside an expression in parentheses, PostgreSQL not.
    const bare = lines[1]!.replace(/\(((?:pg_catalog\.)?sum\([^()]*\))\)/g, "$1");
    assert.equal(bare, "  Output: (sum(remote_scan.\"?column?\") / (sum(remote_scan." +
      "\"?column?_1\") / pg_catalog.sum(remote_scan.\"?column?_2\")))");
    assert.deepEqual(lines.slice(2, 4), ["  ->  Custom Scan (Citus Adaptive)",
      "        Output: remote_scan.\"?column?\", remote_scan.\"?column?_1\", " +
        "remote_scan.\"?column?_2\""]);
    const rows = (await q("SELECT avg(l_quantity) AS a, avg(l_partkey) AS b, " +
      "avg(l_quantity) FILTER (WHERE false) AS c FROM lineitem")).rows;
    assert.deepEqual(rows, [{ a: "24.5000000000000000", b: "100.5000000000000000", c: null }]);
  });

  test("EXPLAIN CREATE TABLE … AS shows the SELECT's distributed plan", async () => {
    assert.deepEqual(await plan("EXPLAIN (COSTS FALSE) CREATE TABLE explain_result AS " +
      "SELECT * FROM lineitem"), ["Custom Scan (Citus Adaptive)", ...oneOf(2)]);
    assert.equal((await q("SELECT to_regclass('explain_result') AS r")).rows[0]!["r"], null);
    const analyzed = await failureOf(client, "EXPLAIN ANALYZE CREATE TABLE explain_result AS " +
      "SELECT * FROM lineitem");
    assert.equal(analyzed.code, "0A000");
  });

  test("EXPLAIN EXECUTE of prepared statements", async () => {
    await q("PREPARE task_tracker_query AS " +
      "SELECT avg(l_linenumber) FROM lineitem WHERE l_orderkey > 9030");
    assert.deepEqual(await plan("EXPLAIN (COSTS FALSE) EXECUTE task_tracker_query"),
      ["Aggregate", "  ->  Custom Scan (Citus Adaptive)", ...oneOf(2, "      ")]);
    await q("PREPARE router_executor_query AS SELECT l_quantity FROM lineitem " +
      "WHERE l_orderkey = 5");
    const router = ["Custom Scan (Citus Adaptive)  (cost=0.00..0.00 rows=0 width=0)",
      ...all(1)];
    assert.deepEqual(await plan("EXPLAIN EXECUTE router_executor_query"), router);
    await q("PREPARE router_executor_query_param(int) AS SELECT l_quantity FROM lineitem " +
      "WHERE l_orderkey = $1");
    assert.deepEqual(await plan("EXPLAIN EXECUTE router_executor_query_param(5)"), router);
    const full = (await q("EXPLAIN (COSTS OFF) EXECUTE router_executor_query_param(5)")).rows
      .map((row) => String(row["QUERY PLAN"]));
    assert.ok(full.some((line) => line.includes("(l_orderkey = 5)")), full.join("\n"));
    assert.deepEqual(await plan("EXPLAIN (ANALYZE ON, COSTS OFF, TIMING OFF, SUMMARY OFF, " +
      "BUFFERS OFF) EXECUTE router_executor_query_param(5)"), [
      "Custom Scan (Citus Adaptive) (actual rows=N loops=1)",
      "  Task Count: 1",
      "  Tuple data received from nodes: N bytes",
      "  Tasks Shown: All",
      "  ->  Task",
      "        Tuple data received from node: N bytes",
      "        Node: host=localhost port=xxxxx dbname=regression",
    ]);
    await q("PREPARE multi_shard_query_param(int) AS UPDATE lineitem SET l_quantity = $1");
    await q("BEGIN");
    assert.deepEqual(await plan("EXPLAIN (COSTS OFF) EXECUTE multi_shard_query_param(5)"),
      ["Custom Scan (Citus Adaptive)", ...oneOf(2)]);
    assert.deepEqual(await plan("EXPLAIN (ANALYZE ON, COSTS OFF, TIMING OFF, SUMMARY OFF, " +
      "BUFFERS OFF) EXECUTE multi_shard_query_param(5)"),
    ["Custom Scan (Citus Adaptive) (actual rows=N loops=1)", ...oneOf(2)]);
    assert.equal((await q("SELECT count(*)::int AS n FROM lineitem WHERE l_quantity = 5"))
      .rows[0]!["n"], 200);
    await q("ROLLBACK");
    await q("CREATE TABLE lineitem_clone (LIKE lineitem)");
    await q("PREPARE local_query(bigint) AS SELECT * FROM lineitem_clone WHERE l_orderkey = $1");
    assert.deepEqual(await plan("EXPLAIN (COSTS OFF) EXECUTE local_query(3)"),
      ["Seq Scan on lineitem_clone", "  Filter: (l_orderkey = '3'::bigint)"]);
    const wrong = await failureOf(client, "EXPLAIN EXECUTE router_executor_query_param(5, 6)");
    assert.equal(wrong.message,
      "wrong number of parameters for prepared statement \"router_executor_query_param\"");
    assert.equal((await failureOf(client, "EXPLAIN EXECUTE nope")).code, "26000");
  });

  test("INSERT … SELECT from a function is pulled to the coordinator", async () => {
    const head = ["Custom Scan (Citus INSERT ... SELECT)",
      "  INSERT/SELECT method: pull to coordinator"];
    assert.deepEqual(await plan("EXPLAIN (COSTS OFF) INSERT INTO lineitem_hash_part " +
      "(l_orderkey) SELECT s FROM generate_series(1,5) s"),
    [...head, "  ->  Function Scan on generate_series s"]);
    assert.deepEqual(await plan("EXPLAIN (COSTS OFF) INSERT INTO lineitem_hash_part " +
      "SELECT o_orderkey FROM orders_hash_part LIMIT 3"),
    [...head, "  ->  Limit", "        ->  Custom Scan (Citus Adaptive)",
      ...oneOf(4, "            ")]);
    const refused = await failureOf(client, "EXPLAIN ANALYZE INSERT INTO lineitem_hash_part " +
      "(l_orderkey) SELECT s FROM generate_series(1,5) s");
    assert.equal(refused.message, "EXPLAIN ANALYZE is currently not supported for " +
      "INSERT ... SELECT commands via coordinator");
  });

  test("INSERT … SELECT * between colocated tables is pushed down", async () => {
    await q("SET citus.next_shard_id TO 570009");
    await q("CREATE TABLE explain_analyze_test(a int, b text)");
    await q("SELECT create_distributed_table('explain_analyze_test', 'a')");
    await q("INSERT INTO explain_analyze_test VALUES (1, 'value 1'), (2, 'value 2'), " +
      "(3, 'value 3'), (6, 'value 4')");
    await q("BEGIN");
    const lines = (await q("EXPLAIN (ANALYZE on, COSTS off, TIMING off, SUMMARY off, " +
      "BUFFERS off) INSERT INTO explain_analyze_test SELECT * FROM explain_analyze_test"))
      .rows.map((row) => String(row["QUERY PLAN"]));
    assert.deepEqual(citusPart(lines), ["Custom Scan (Citus Adaptive) (actual rows=N loops=1)",
      ...oneOf(4)]);
    assert.match(lines[5]!, /->  Insert on explain_analyze_test_5700\d\d citus_table_alias/);
    assert.ok(lines.includes("                    Filter: (a IS NOT NULL)"), lines.join("\n"));
    assert.equal((await q("SELECT count(*)::int AS n FROM explain_analyze_test")).rows[0]!["n"],
      8);
    await q("ROLLBACK");
    await q("BEGIN");
    assert.equal((await q("INSERT INTO lineitem_hash_part SELECT l.* FROM " +
      "lineitem_hash_part l JOIN orders_hash_part o ON l.l_orderkey = o.o_orderkey")).rowCount,
    200);
    assert.deepEqual(citusPart((await q("EXPLAIN (COSTS OFF) INSERT INTO lineitem_hash_part " +
      "SELECT * FROM lineitem_hash_part")).rows.map((row) => String(row["QUERY PLAN"]))),
    ["Custom Scan (Citus Adaptive)", ...oneOf(4)]);
    await q("ROLLBACK");
  });

  test("a multi-row INSERT aliases the target in every shard's INSERT", async () => {
    const analyze = "EXPLAIN (ANALYZE on, COSTS off, TIMING off, SUMMARY off, BUFFERS off) ";
    await q("BEGIN");
    const single = (await q(`${analyze}INSERT INTO explain_analyze_test VALUES (5, 'value 5')`))
      .rows.map((row) => String(row["QUERY PLAN"]));
    assert.match(single[5]!, /->  Insert on explain_analyze_test_5700\d\d \(actual/);
    // 5 and 6 live in different shards: each INSERT gets one row, aliased all the same.
    const multi = (await q(`${analyze}INSERT INTO explain_analyze_test VALUES (5, 'value 5'), ` +
      "(6, 'value 6')")).rows.map((row) => String(row["QUERY PLAN"]));
    assert.deepEqual(citusPart(multi), ["Custom Scan (Citus Adaptive) (actual rows=N loops=1)",
      ...oneOf(2)]);
    assert.match(multi[5]!, /->  Insert on explain_analyze_test_5700\d\d citus_table_alias /);
    await q("ROLLBACK");
  });

  test("EXPLAIN ANALYZE of a query without columns counts no tuple bytes", async () => {
    const analyze = "EXPLAIN (ANALYZE on, COSTS off, TIMING off, SUMMARY off, BUFFERS off) ";
    assert.deepEqual(await plan(`${analyze}SELECT FROM lineitem WHERE l_orderkey = 1`),
      ["Custom Scan (Citus Adaptive) (actual rows=N loops=1)", ...all(1)]);
    await q("PREPARE dummy_prep_stmt(int) AS SELECT FROM lineitem_hash_part");
    assert.deepEqual(await plan(`${analyze}EXECUTE dummy_prep_stmt(50)`),
      ["Custom Scan (Citus Adaptive) (actual rows=N loops=1)", ...oneOf(4)]);
  });

  test("citus.explain_all_tasks shows every task", async () => {
    await q("SET citus.explain_all_tasks TO on");
    assert.deepEqual(await plan("EXPLAIN (COSTS FALSE) SELECT avg(l_linenumber) FROM lineitem " +
      "WHERE l_orderkey > 9030"), ["Aggregate", "  ->  Custom Scan (Citus Adaptive)",
      ...all(2, "      ")]);
    assert.deepEqual(await plan("EXPLAIN (COSTS FALSE) UPDATE lineitem_hash_part " +
      "SET l_suppkey = 12 WHERE l_orderkey = 1 OR l_orderkey = 3"),
    ["Custom Scan (Citus Adaptive)", ...all(2)]);
    await q("RESET citus.explain_all_tasks");
    assert.deepEqual(await plan("EXPLAIN (COSTS FALSE) UPDATE lineitem SET l_suppkey = 12 " +
      "WHERE l_orderkey = 1 AND l_orderkey = 0"),
    ["Custom Scan (Citus Adaptive)", "  Task Count: 0", "  Tasks Shown: All"]);
  });
});
