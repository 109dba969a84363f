/**
 * Query shapes of `test/differential/cases/query_shapes_more.sql` that need no PostgreSQL to
 * check: SEARCH/CYCLE, row comparisons with a subquery, grouping by a primary key, outer-level
 * aggregates, WITH on writes and the recursion errors. Expected rows are PostgreSQL 15's.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Engine } from "../engine.js";
import { newEngine, run } from "../test-support/harness.js";
import { lines, sqlError } from "../test-support/rows.js";

async function tree(): Promise<Engine> {
  const e = await newEngine();
  await run(e, `create table n (id int primary key, parent int, name text);
    insert into n values (1, null, 'root'), (2, 1, 'l'), (3, 1, 'r'), (4, 2, 'll');
    create table e (src int, dst int);
    insert into e values (1, 2), (2, 3), (3, 1);`);
  return e;
}

const walk = "with recursive s(id, name) as (select id, name from n where id = 1 union all " +
  "select n.id, n.name from n join s on n.parent = s.id)";

test("SEARCH DEPTH FIRST and BREADTH FIRST add an ordering column", async () => {
  const e = await tree();
  assert.deepEqual(await lines(e, `${walk} search depth first by id set o
    select id, o from s order by o`), ["1|{(1)}", "2|{(1),(2)}", "4|{(1),(2),(4)}", "3|{(1),(3)}"]);
  assert.deepEqual(await lines(e, `${walk} search breadth first by id set o
    select id, o from s order by o`), ["1|(0,1)", "2|(1,2)", "3|(1,3)", "4|(2,4)"]);
});

test("CYCLE marks the row that closes a cycle and stops there", async () => {
  const e = await tree();
  assert.deepEqual(await lines(e, `with recursive w(src, dst) as (select src, dst from e
    where src = 1 union all select e.src, e.dst from e join w on e.src = w.dst)
    cycle dst set c using p select * from w`),
  ["1|2|f|{(2)}", "2|3|f|{(2),(3)}", "3|1|f|{(2),(3),(1)}", "1|2|t|{(2),(3),(1),(2)}"]);
  await assert.rejects(run(e, `${walk} search depth first by nope set o select 1`),
    sqlError("42601", `search column "nope" not in WITH query column list`));
});

test("a row compares with a one-row subquery", async () => {
  const e = await tree();
  assert.deepEqual(await lines(e, "select id from n where (id, name) = (select 2, 'l')"), ["2"]);
  assert.deepEqual(await lines(e, "select (id, name) < (select 2, 'l') from n order by id"),
    ["t", "f", "f", "f"]);
  assert.deepEqual(await lines(e,
    "select id, (id, name) = (select 1, 'x' where false) from n where id = 1"), ["1|"]);
  await assert.rejects(run(e, "select (1, 2) = (select id, id from n)"), sqlError("21000"));
});

test("grouping by a primary key admits the table's other columns", async () => {
  const e = await tree();
  assert.deepEqual(await lines(e, "select id, name from n group by id order by id"),
    ["1|root", "2|l", "3|r", "4|ll"]);
  await assert.rejects(run(e, "select parent, name from n group by parent"), sqlError("42803"));
});

test("an aggregate of outer columns belongs to the outer query", async () => {
  const e = await tree();
  assert.deepEqual(await lines(e, "select (select sum(n.id)) from n"), ["10"]);
});

test("WITH on INSERT runs its data-modifying queries first", async () => {
  const e = await tree();
  const r = await run(e, `with gone as (delete from n where id >= 3 returning id, name)
    insert into n (id, name) select id + 10, name from gone returning id`);
  assert.deepEqual(r.rows.map((row) => row[0]).sort(), ["13", "14"]);
  assert.equal(r.tag, "INSERT 0 2");
  assert.deepEqual(await lines(e, "select id from n order by id"), ["1", "2", "13", "14"]);
});

test("ORDER BY … USING sorts by a btree operator", async () => {
  const e = await tree();
  assert.deepEqual(await lines(e, "select id, name from n order by name using >"),
    ["1|root", "3|r", "4|ll", "2|l"]);
  await assert.rejects(run(e, "select id from n order by id using <>"), sqlError("42809"));
});

test("malformed recursion gets Postgres's errors", async () => {
  const e = await tree();
  await assert.rejects(run(e, "with recursive t(n) as (select n from t) select * from t"),
    sqlError("42P19"));
  await assert.rejects(run(e, `with recursive t(n) as (select 1 union all select n + 1 from t
    order by 1) select * from t`),
  sqlError("0A000", "ORDER BY in a recursive query is not implemented"));
  await assert.rejects(run(e, `with recursive t(n) as (select 1 union all select sum(n) from t)
    select * from t`), sqlError("42P19"));
  await assert.rejects(run(e, "select * from n full join e on n.id < e.src"),
    sqlError("0A000"));
});
