/** WITH queries read on demand, and data-modifying WITH queries, against PostgreSQL 15. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { newEngine, run } from "../test-support/harness.js";
import { lines, sqlError } from "../test-support/rows.js";

test("a LIMIT stops a recursion that never ends by itself", async () => {
  const e = await newEngine();
  assert.deepEqual(await lines(e, `with recursive r(n) as (select 1 union all select n + 1
    from r) select * from r limit 3`), ["1", "2", "3"]);
  assert.deepEqual(await lines(e, `with recursive r(n) as (select 1 union select n + 1 from r
    where n < 4) select a.n, b.n from r a join r b on a.n = b.n + 1 order by 1`),
  ["2|1", "3|2", "4|3"]);
});

test("INSERT, UPDATE and DELETE in WITH run once; the main query sees RETURNING", async () => {
  const e = await newEngine();
  await run(e, "create table p (id int primary key, title text); insert into p values (1, 'a')");
  assert.deepEqual(await lines(e, `with u as (update p set title = title || '!' returning *)
    select title from u`), ["a!"]);
  const r = await run(e, `with i as (insert into p values (2, 'b') returning id)
    select (select count(*) from p), (select count(*) from i)`);
  assert.deepEqual(r.rows, [["1", "1"]]);
  assert.equal(r.tag, "SELECT 1");
  // The main query's snapshot predates the CTE's writes, as in Postgres.
  assert.deepEqual(await lines(e, "with d as (delete from p where id = 2) select count(*) from p"),
    ["2"]);
  await assert.rejects(run(e, "with d as (delete from p) select * from d"),
    sqlError("0A000", "WITH query \"d\" does not have a RETURNING clause"));
  assert.deepEqual(await lines(e, "select count(*) from p"), ["1"]);
});

test("a recursion inside a recursive term streams its rows, so the outer LIMIT stops both",
  async () => {
    const e = await newEngine();
    assert.deepEqual(await lines(e, `with recursive q(n) as (select 1 union all
      (with recursive x(m) as (select n from q union all select m + 1 from x) select m from x))
      select * from q limit 4`), ["1", "1", "2", "3"]);
  });

test("a CTE reading an outer column is recomputed for each outer row, and so is its reader",
  async () => {
    const e = await newEngine();
    assert.deepEqual(await lines(e, `select (with c(v) as (values (g)) select (select v from c))
      from generate_series(1, 3) g`), ["1", "2", "3"]);
  });

test("an inner WITH of the recursive term may read the recursion; its own name shadows it",
  async () => {
    const e = await newEngine();
    assert.deepEqual(await lines(e, `with recursive q(n) as (select 1 union all
      (with x as (select n + 1 as n from q where n < 3) select * from x)) select * from q`),
    ["1", "2", "3"]);
    assert.deepEqual(await lines(e, `with recursive t(j) as (with s(i) as (values (5))
      select i from s union all select j + 1 from t where j < 6) select * from t`), ["5", "6"]);
    await assert.rejects(run(e, `with recursive o(x) as (with i as (select 2 from o)
      select * from i union select * from o) select * from o`),
    sqlError("42P19", "recursive reference to query \"o\" must not appear within a subquery"));
  });

test("a data-modifying WITH query nobody reads runs after the main statement", async () => {
  const e = await newEngine();
  await run(e, "create table z (k int primary key, v int); insert into z values (1, 10), (2, 20)");
  // The DELETE goes first; the UPDATE then finds row 2 already gone, as in Postgres.
  assert.deepEqual(await lines(e, `with a as (update z set v = v * 2 returning *)
    delete from z where k = 2 returning k`), ["2"]);
  assert.deepEqual(await lines(e, "select * from z order by k"), ["1|20"]);
  // Read by the main query, it runs when first read, to completion.
  assert.deepEqual(await lines(e, `with a as (update z set v = v + 1 returning *)
    select (select count(*) from a), (select count(*) from z where v = 21)`), ["1|0"]);
});
