/**
 * Planner paths: ordered index scans, top-N sorts, join aliases, hash joins across integer
 * types, pushed-down filters, DISTINCT ON, and the prepared point lookup.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseStatements } from "@tessera/sql";
import { newEngine, run, testContext } from "./test-support/harness.js";
import { lines, sampleTable } from "./test-support/rows.js";

async function sample() {
  const e = await newEngine();
  await run(e, sampleTable);
  await run(e, `create table a (id int primary key, v text);
    create table b (id serial primary key, aid bigint, w int);
    insert into a values (1, 'x'), (2, 'y');
    insert into b (aid, w) values (1, 10), (1, 3), (2, 7), (3, 1)`);
  return e;
}

test("ORDER BY on an index walks it, forward or backward, and stops at the LIMIT", async () => {
  const e = await sample();
  assert.deepEqual(await lines(e, "select id from t order by id desc limit 2"), ["8", "7"]);
  assert.deepEqual(await lines(e, "select id from t order by id limit 2 offset 1"), ["2", "3"]);
  assert.deepEqual(await lines(e, "select id from t where id > 5 order by id desc"),
    ["8", "7", "6"]);
  assert.deepEqual(await lines(e, "explain (costs off) select * from t order by id desc limit 2"),
    ["Limit", "  ->  Index Scan Backward using t_pkey on t"]);
  assert.deepEqual(await lines(e,
    "explain (analyze, costs off, timing off, summary off) select * from t order by id limit 2"),
  ["Limit (actual rows=2 loops=1)", "  ->  Index Scan using t_pkey on t (actual rows=2 loops=1)"]);
});

test("top-N sorts keep the first rows in order, nulls where they belong", async () => {
  const e = await sample();
  assert.deepEqual(await lines(e, "select id, x from t order by x desc, id limit 3"),
    ["6|", "5|3", "7|3"]);
  assert.deepEqual(await lines(e,
    "select id from t order by x nulls first, id desc limit 3 offset 1"),
    ["8", "2", "1"]);
  assert.deepEqual(await lines(e, "select id from t order by z limit 0"), []);
});

test("join aliases hide or name the joined columns", async () => {
  const e = await sample();
  assert.deepEqual(await lines(e,
    "select j.v, j.w from (a join b on a.id = b.aid) as j(i, v) order by 1, 2"),
    ["x|3", "x|10", "y|7"]);
  assert.deepEqual(await lines(e, "select u.id, a.v from a join b using (id) as u order by 1"),
    ["1|x", "2|y"]);
  assert.deepEqual(await lines(e, "select * from (a join b using (id)) j order by 1"),
    ["1|x|1|10", "2|y|1|3"]);
  await assert.rejects(run(e, "select a.id from (a join b on a.id = b.aid) as j"));
});

test("hash joins across int4 and int8 keys, outer joins on either side", async () => {
  const e = await sample();
  assert.deepEqual(await lines(e, "explain (costs off) select * from a join b on a.id = b.aid"),
    ["Hash Join", "  Hash Cond: (b.aid = a.id)", "  ->  Seq Scan on b", "  ->  Hash",
      "        ->  Seq Scan on a"]);
  assert.deepEqual(await lines(e, "select a.id, b.w from a, b where a.id = b.aid order by 2"),
    ["1|3", "2|7", "1|10"]);
  assert.deepEqual(await lines(e,
    "select a.id, b.w from a left join b on a.id = b.aid and b.w > 5 order by 1, 2"),
    ["1|10", "2|7"]);
  assert.deepEqual(await lines(e,
    "select a.id, b.w from a right join b on a.id = b.aid order by 2"),
    ["|1", "1|3", "2|7", "1|10"]);
  assert.deepEqual(await lines(e,
    "select a.id, b.aid from a full join b on a.id = b.aid order by 2, 1"),
    ["1|1", "1|1", "2|2", "|3"]);
});

test("filters reach derived tables; DISTINCT ON keeps each group's first row", async () => {
  const e = await sample();
  assert.deepEqual(await lines(e,
    "select * from (select x, count(*) c from t group by x) s where c > 1 order by 1"),
    ["1|3", "2|2", "3|2"]);
  assert.deepEqual(await lines(e,
    "select id from (select * from t where x > 1) s where s.id < 7 order by 1"),
    ["3", "4", "5"]);
  assert.deepEqual(await lines(e, "select distinct on (x) x, id from t order by x, id desc"),
    ["1|8", "2|4", "3|7", "|6"]);
});

test("a prepared primary-key lookup runs many times with new parameters", async () => {
  const e = await sample();
  const ctx = testContext();
  const [parsed] = parseStatements("select y, x from t where id = $1");
  const prepared = e.prepare(parsed!.stmt, [23], ctx);
  const fetchOne = async (id: number | null) => {
    const cursor = prepared.open([id], ctx);
    const result = await cursor.fetch(0);
    cursor.close();
    return [result.rows, result.commandTag];
  };
  assert.deepEqual(await fetchOne(2), [[["b", 1]], "SELECT 1"]);
  assert.deepEqual(await fetchOne(6), [[["a", null]], "SELECT 1"]);
  assert.deepEqual(await fetchOne(99), [[], "SELECT 0"]);
  assert.deepEqual(await fetchOne(null), [[], "SELECT 0"]);
  await run(e, "update t set y = 'q' where id = 2");
  assert.deepEqual(await fetchOne(2), [[["q", 1]], "SELECT 1"]);
  const cursor = prepared.open([3], ctx);
  assert.deepEqual(await cursor.fetch(1), { rows: [["a", 2]] });
  assert.deepEqual(await cursor.fetch(1), { rows: [], commandTag: "SELECT 1" });
});
