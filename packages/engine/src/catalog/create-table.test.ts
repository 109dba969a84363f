import { test } from "node:test";
import assert from "node:assert/strict";
import { newEngine, run } from "../test-support/harness.js";

type Err = Error & { code?: string };

test("CREATE TABLE checks defaults and leaves nothing behind when it fails", async () => {
  const e = await newEngine();
  await assert.rejects(run(e, "create table t (id serial, x int default 'abc')"),
    (err: Err) => err.code === "22P02");
  await run(e, "create table t (id serial, x int default '7')");
  assert.deepEqual((await run(e, "insert into t default values returning *")).rows,
    [["1", "7"]]);
  await assert.rejects(run(e, "create table b (x serial, y int references nosuch (id))"),
    (err: Err) => err.code === "42P01");
  await run(e, "create table b (x serial)");
});

test("CREATE TABLE … (LIKE t INCLUDING …) copies what the options name", async () => {
  const e = await newEngine();
  await run(e, "create table p (id int primary key, code text not null, " +
    "w int default 5 check (w < 100))");
  await run(e, "create table l1 (like p including defaults)");
  assert.deepEqual((await run(e, "insert into l1 (id, code) values (1, 'L') returning *")).rows,
    [["1", "L", "5"]]);
  await assert.rejects(run(e, "insert into l1 (id) values (2)"),
    (err: Err) => err.code === "23502");
  await run(e, "create table l2 (like p including all, extra int)");
  await run(e, "insert into l2 (id, code) values (1, 'x')");
  await assert.rejects(run(e, "insert into l2 (id, code) values (1, 'y')"),
    (err: Err) => err.code === "23505");
  await assert.rejects(run(e, "insert into l2 (id, code, w) values (2, 'y', 500)"),
    (err: Err) => err.code === "23514");
  await run(e, "create table l3 (like p)");
  assert.deepEqual((await run(e, "insert into l3 (id, code) values (1, 'L') returning w")).rows,
    [[null]]);
});
