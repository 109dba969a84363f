/**
 * Subscripted targets in UPDATE SET and INSERT column lists, as PostgreSQL 15 runs them.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { newEngine, run } from "../test-support/harness.js";

test("UPDATE assigns array elements and slices", async () => {
  const e = await newEngine();
  await run(e, "create table a (id int, ia int[], m int[]); insert into a values " +
    "(1, '{1,2,3}', '{{1,2},{3,4}}'), (2, null, null)");
  const one = async (sql: string): Promise<unknown> => (await run(e, sql)).rows;
  assert.deepEqual(await one("update a set ia[2] = 99 where id = 1 returning ia"),
    [["{1,99,3}"]]);
  assert.deepEqual(await one("update a set ia[5] = 9 where id = 1 returning ia"),
    [["{1,99,3,NULL,9}"]]);
  assert.deepEqual(await one("update a set ia[2:3] = array[8, 9] where id = 2 returning ia"),
    [["[2:3]={8,9}"]]);
  assert.deepEqual(await one("update a set m[1][1] = 10, m[2][2] = 40 where id = 1 " +
    "returning m"), [["{{10,2},{3,40}}"]]);
  await assert.rejects(run(e, "update a set ia[1] = 1, ia = '{}'"), /multiple assignments/);
  await assert.rejects(run(e, "update a set ia[null] = 1"), /must not be null/);
});

test("INSERT builds arrays from subscripted targets over a null", async () => {
  const e = await newEngine();
  await run(e, "create table a (id int, ia int[])");
  const rows = (await run(e, "insert into a (id, ia[2], ia[4]) values (9, 1, 2) " +
    "returning ia")).rows;
  assert.deepEqual(rows, [["[2:4]={1,NULL,2}"]]);
  const selected = (await run(e, "insert into a (id, ia[2:3]) select 10, array[3, 4] " +
    "returning ia")).rows;
  assert.deepEqual(selected, [["[2:3]={3,4}"]]);
});
