/** EXPLAIN: plan shapes as PostgreSQL 15 prints them, costs format, ANALYZE and options. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { newEngine, run } from "./test-support/harness.js";
import { lines, sampleTable, sqlError } from "./test-support/rows.js";
import type { Engine } from "./engine.js";

async function sample(): Promise<Engine> {
  const e = await newEngine();
  await run(e, sampleTable);
  await run(e, `create table a (id int primary key, v text);
    create table b (id serial primary key, aid int, w int);
    insert into a values (1, 'x'), (2, 'y');
    insert into b (aid, w) values (1, 10), (1, 3), (2, 7), (3, 1)`);
  return e;
}

const plan = (e: Engine, sql: string) => lines(e, `explain (costs off) ${sql}`);

test("scans, filters and index conditions", async () => {
  const e = await sample();
  const r = await run(e, "explain (costs off) select * from t where x > 5");
  assert.deepEqual(r.names, ["QUERY PLAN"]);
  assert.equal(r.tag, "EXPLAIN");
  assert.deepEqual(await plan(e, "select * from t where id = 1"),
    ["Index Scan using t_pkey on t", "  Index Cond: (id = 1)"]);
  assert.deepEqual(await plan(e, "select * from t where y = 'a' and x + 1 > 3"),
    ["Seq Scan on t", "  Filter: ((y = 'a'::text) AND ((x + 1) > 3))"]);
  assert.deepEqual(await plan(e, "select * from t where x > 1.5 and z = 1 and y like 'a%'"),
    ["Seq Scan on t",
      "  Filter: ((y ~~ 'a%'::text) AND (z = '1'::double precision) AND ((x)::numeric > 1.5))"]);
  assert.deepEqual(await plan(e, "select * from t where x = -1 and -x < 0 and x is not null"),
    ["Seq Scan on t", "  Filter: ((x IS NOT NULL) AND (x = '-1'::integer) AND ((- x) < 0))"]);
  assert.deepEqual(await plan(e, "select * from t where y in ('a', 'b')"),
    ["Seq Scan on t", "  Filter: (y = ANY ('{a,b}'::text[]))"]);
  assert.deepEqual(await plan(e, "select * from generate_series(1, 3)"),
    ["Function Scan on generate_series"]);
  assert.deepEqual(await plan(e, "values (1), (2)"), ["Values Scan on \"*VALUES*\""]);
  assert.deepEqual(await plan(e, "select 1"), ["Result"]);
  assert.deepEqual(await plan(e, "select 1 from t where false"),
    ["Result", "  One-Time Filter: false"]);
});

test("sorts, limits, aggregates and windows", async () => {
  const e = await sample();
  assert.deepEqual(await plan(e, "select * from t order by x limit 3"),
    ["Limit", "  ->  Sort", "        Sort Key: x", "        ->  Seq Scan on t"]);
  assert.deepEqual(await plan(e,
    "select x + 1 as a, count(*) from t group by 1 order by 1 desc nulls last"),
    ["Sort", "  Sort Key: ((x + 1)) DESC NULLS LAST", "  ->  HashAggregate",
      "        Group Key: (x + 1)", "        ->  Seq Scan on t"]);
  assert.deepEqual(await plan(e, "select x, count(*) from t group by x order by count(*) desc"),
    ["Sort", "  Sort Key: (count(*)) DESC", "  ->  HashAggregate", "        Group Key: x",
      "        ->  Seq Scan on t"]);
  assert.deepEqual(await plan(e, "select count(*) from t"), ["Aggregate", "  ->  Seq Scan on t"]);
  assert.deepEqual(await plan(e,
    "select row_number() over (order by x), rank() over (order by y) from t"),
    ["WindowAgg", "  ->  Sort", "        Sort Key: x", "        ->  WindowAgg",
      "              ->  Sort", "                    Sort Key: y",
      "                    ->  Seq Scan on t"]);
  assert.deepEqual(await plan(e,
    "select x, sum(id) over (partition by x order by id) from t order by x"),
    ["WindowAgg", "  ->  Sort", "        Sort Key: x, id", "        ->  Seq Scan on t"]);
  assert.deepEqual(await plan(e, "select x, y, count(*) from t group by cube(x, y)"),
    ["MixedAggregate", "  Hash Key: x, y", "  Hash Key: x", "  Hash Key: y", "  Group Key: ()",
      "  ->  Seq Scan on t"]);
  assert.deepEqual(await plan(e,
    "select * from (select x, count(*) c from t group by x) s where c > 1"),
    ["HashAggregate", "  Group Key: t.x", "  Filter: (count(*) > 1)", "  ->  Seq Scan on t"]);
});

test("joins: hash side, outer joins, pushed-down filters, subplans", async () => {
  const e = await sample();
  assert.deepEqual(await plan(e, "select * from a join b on a.id = b.aid where b.w > 5"),
    ["Hash Join", "  Hash Cond: (b.aid = a.id)", "  ->  Seq Scan on b",
      "        Filter: (w > 5)", "  ->  Hash", "        ->  Seq Scan on a"]);
  assert.deepEqual(await plan(e, "select * from a left join b on a.id = b.aid"),
    ["Hash Right Join", "  Hash Cond: (b.aid = a.id)", "  ->  Seq Scan on b", "  ->  Hash",
      "        ->  Seq Scan on a"]);
  assert.deepEqual(await plan(e, "select x from t union select id from a"),
    ["HashAggregate", "  Group Key: t.x", "  ->  Append", "        ->  Seq Scan on t",
      "        ->  Seq Scan on a"]);
  assert.deepEqual(await plan(e, "select * from t where x = (select max(x) from t)"),
    ["Seq Scan on t", "  Filter: (x = $0)", "  InitPlan 1 (returns $0)", "    ->  Aggregate",
      "          ->  Seq Scan on t t_1"]);
});

test("costs follow Postgres's model for fresh tables", async () => {
  const e = await sample();
  assert.deepEqual(await lines(e, "explain select * from t"),
    ["Seq Scan on t  (cost=0.00..20.70 rows=1070 width=48)"]);
  assert.deepEqual(await lines(e, "explain select * from t where x = 1"),
    ["Seq Scan on t  (cost=0.00..23.38 rows=5 width=48)", "  Filter: (x = 1)"]);
  assert.deepEqual(await lines(e, "explain select x, count(*) from t group by x"),
    ["HashAggregate  (cost=26.05..28.05 rows=200 width=12)", "  Group Key: x",
      "  ->  Seq Scan on t  (cost=0.00..20.70 rows=1070 width=4)"]);
  assert.deepEqual(await lines(e, "explain select * from t order by x limit 3"),
    ["Limit  (cost=34.53..34.54 rows=3 width=48)",
      "  ->  Sort  (cost=34.53..37.20 rows=1070 width=48)", "        Sort Key: x",
      "        ->  Seq Scan on t  (cost=0.00..20.70 rows=1070 width=48)"]);
});

test("EXPLAIN ANALYZE runs the plan and reports what happened", async () => {
  const e = await sample();
  const off = "explain (analyze, costs off, timing off, summary off)";
  assert.deepEqual(await lines(e, `${off} select * from t where x = 1`),
    ["Seq Scan on t (actual rows=3 loops=1)", "  Filter: (x = 1)", "  Rows Removed by Filter: 5"]);
  assert.deepEqual(await lines(e, `${off} select * from t order by x limit 2`),
    ["Limit (actual rows=2 loops=1)", "  ->  Sort (actual rows=2 loops=1)", "        Sort Key: x",
      "        Sort Method: top-N heapsort  Memory: 25kB",
      "        ->  Seq Scan on t (actual rows=8 loops=1)"]);
  const timed = await lines(e, "explain analyze select * from t where id = 2");
  const actual = /\(actual time=\d+\.\d{3}\.\.\d+\.\d{3} rows=1 loops=1\)$/;
  assert.ok(timed[0]!.startsWith(
    "Index Scan using t_pkey on t  (cost=0.15..8.17 rows=1 width=48) (actual time="));
  assert.match(timed[0]!, actual);
  assert.match(timed[2]!, /^Planning Time: \d+\.\d{3} ms$/);
  assert.match(timed[3]!, /^Execution Time: \d+\.\d{3} ms$/);
  await run(e, "explain analyze insert into a values (9, 'n')");
  assert.deepEqual(await lines(e, "select v from a where id = 9"), ["n"]);
});

test("EXPLAIN option errors", async () => {
  const e = await sample();
  await assert.rejects(run(e, "explain (foo) select 1"),
    sqlError("42601", "unrecognized EXPLAIN option \"foo\""));
  await assert.rejects(run(e, "explain (timing) select 1"),
    sqlError("22023", "EXPLAIN option TIMING requires ANALYZE"));
  assert.deepEqual(await lines(e, "explain (format xml, costs off) select 1"), [
    "<explain xmlns=\"http://www.postgresql.org/2009/explain\">\n  <Query>\n    <Plan>\n" +
    "      <Node-Type>Result</Node-Type>\n      <Parallel-Aware>false</Parallel-Aware>\n" +
    "      <Async-Capable>false</Async-Capable>\n    </Plan>\n  </Query>\n</explain>"]);
  await assert.rejects(run(e, "explain (format html) select 1"),
    sqlError("22023", "unrecognized value for EXPLAIN option \"format\": \"html\""));
  await assert.rejects(run(e, "explain (analyze maybe) select 1"),
    sqlError("42601", "analyze requires a Boolean value"));
});

test("INSERT, UPDATE and DELETE show the target's alias as PostgreSQL 15 does", async () => {
  const e = await newEngine();
  await run(e, "create table m (id int, v text)");
  assert.deepEqual(await plan(e, "update m as x set v = 'a' where x.id = 1"),
    ["Update on m x", "  ->  Seq Scan on m x", "        Filter: (id = 1)"]);
  assert.deepEqual(await plan(e, "update m set v = 'a' where id = 1"),
    ["Update on m", "  ->  Seq Scan on m", "        Filter: (id = 1)"]);
  assert.deepEqual(await plan(e, "insert into m as z values (1, 'q')"),
    ["Insert on m z", "  ->  Result"]);
  assert.deepEqual(await plan(e, "delete from m m where id = 3"),
    ["Delete on m", "  ->  Seq Scan on m", "        Filter: (id = 3)"]);
  const verbose = await lines(e,
    "explain (costs off, verbose) delete from m as y where y.id = 2");
  assert.deepEqual(verbose.slice(0, 2), ["Delete on public.m y", "  ->  Seq Scan on public.m y"]);
});

test("FORMAT JSON and YAML: one row, PostgreSQL's keys, groups and indentation", async () => {
  const e = await sample();
  const r = await run(e, "explain (format json, costs off) select * from t where x = 1 " +
    "order by y");
  assert.deepEqual(r.names, ["QUERY PLAN"]);
  assert.deepEqual(r.types, [114]);
  assert.equal(r.tag, "EXPLAIN");
  assert.deepEqual(r.rows, [[`[
  {
    "Plan": {
      "Node Type": "Sort",
      "Parallel Aware": false,
      "Async Capable": false,
      "Sort Key": ["y"],
      "Plans": [
        {
          "Node Type": "Seq Scan",
          "Parent Relationship": "Outer",
          "Parallel Aware": false,
          "Async Capable": false,
          "Relation Name": "t",
          "Alias": "t",
          "Filter": "(x = 1)"
        }
      ]
    }
  }
]`]]);
  assert.deepEqual(await lines(e, "explain (format yaml) select count(*) from t"), [`- Plan: 
    Node Type: "Aggregate"
    Strategy: "Plain"
    Partial Mode: "Simple"
    Parallel Aware: false
    Async Capable: false
    Startup Cost: 23.38
    Total Cost: 23.39
    Plan Rows: 1
    Plan Width: 8
    Plans: 
      - Node Type: "Seq Scan"
        Parent Relationship: "Outer"
        Parallel Aware: false
        Async Capable: false
        Relation Name: "t"
        Alias: "t"
        Startup Cost: 0.00
        Total Cost: 20.70
        Plan Rows: 1070
        Plan Width: 0`]);
  const [analyzed] = await lines(e, "explain (format json, analyze, costs off, timing off) " +
    "select * from t where x = (select max(x) from t)");
  const doc = JSON.parse(analyzed!) as Record<string, unknown>[];
  assert.deepEqual(Object.keys(doc[0]!), ["Plan", "Planning Time", "Triggers",
    "Execution Time"]);
  const plan = doc[0]!["Plan"] as Record<string, unknown>;
  assert.equal(plan["Actual Rows"], 2);
  assert.equal(plan["Rows Removed by Filter"], 6);
  const [init] = plan["Plans"] as Record<string, unknown>[];
  assert.equal(init!["Parent Relationship"], "InitPlan");
  assert.equal(init!["Subplan Name"], "InitPlan 1 (returns $0)");
  assert.equal(((init!["Plans"] as Record<string, unknown>[])[0]!)["Alias"], "t_1");
});

test("VERBOSE shows each node's Output as PostgreSQL 15 does", async () => {
  const e = await sample();
  const verbose = (sql: string) => lines(e, `explain (costs off, verbose) ${sql}`);
  assert.deepEqual(await verbose("select a.v, b.w from a join b on a.id = b.aid"),
    ["Hash Join", "  Output: a.v, b.w", "  Inner Unique: true", "  Hash Cond: (b.aid = a.id)",
      "  ->  Seq Scan on public.b", "        Output: b.id, b.aid, b.w", "  ->  Hash",
      "        Output: a.v, a.id", "        ->  Seq Scan on public.a",
      "              Output: a.v, a.id"]);
  assert.deepEqual(await verbose("select aid + 1 from b order by 1"),
    ["Sort", "  Output: ((aid + 1))", "  Sort Key: ((b.aid + 1))", "  ->  Seq Scan on public.b",
      "        Output: (aid + 1)"]);
  assert.deepEqual(await verbose("select aid, count(*) from b group by aid"),
    ["HashAggregate", "  Output: aid, count(*)", "  Group Key: b.aid",
      "  ->  Seq Scan on public.b", "        Output: id, aid, w"]);
  assert.deepEqual(await verbose("delete from a where id = 2"),
    ["Delete on public.a", "  ->  Index Scan using a_pkey on public.a", "        Output: ctid",
      "        Index Cond: (a.id = 2)"]);
});
