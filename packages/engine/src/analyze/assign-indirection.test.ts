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

test("targets go through fields and subscripts, also of domains", async () => {
  const e = await newEngine();
  await run(e, `create type it as (n int, tags text[]);
    create domain pos_ints as int[] check (value[1] > 0);
    create domain it_d as it check ((value).n is not null and (value).tags is not null);
    create table n (f1 it, f2 it[], f3 pos_ints); create table n4 (f4 it_d)`);
  const one = async (sql: string): Promise<unknown> => (await run(e, sql)).rows;
  assert.deepEqual(await one("insert into n (f1.tags[1], f1.tags[2]) values ('a', 'b') " +
    "returning f1::text"), [["(,\"{a,b}\")"]]);
  assert.deepEqual(await one("insert into n (f2[1].tags[2]) values ('x') returning f2::text"),
    [["{\"(,[2:2]={x})\"}"]]);
  assert.deepEqual(await one("insert into n (f3[1], f3[2]) values (1, 2) returning f3"),
    [["{1,2}"]]);
  await assert.rejects(run(e, "insert into n (f3[1]) values (0)"),
    (err: Error & { code?: string }) => err.code === "23514");
  await assert.rejects(run(e, "insert into n4 (f4.n) values (1)"),
    (err: Error & { code?: string }) => err.code === "23514");
  assert.deepEqual(await one("insert into n4 (f4.n, f4.tags) values (1, '{t}') returning f4"),
    [["(1,{t})"]]);
  await assert.rejects(run(e, "insert into n (f3[1], f3[2]) values (1, default)"),
    (err: Error & { code?: string; message: string }) => err.code === "0A000" &&
      err.message === "cannot set an array element to DEFAULT");
  await assert.rejects(run(e, "update n set f1.n = default"),
    (err: Error & { code?: string; message: string }) => err.code === "0A000" &&
      err.message === "cannot set a subfield to DEFAULT");
});
