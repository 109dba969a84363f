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
