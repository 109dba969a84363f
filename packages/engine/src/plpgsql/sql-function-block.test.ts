import { test } from "node:test";
import assert from "node:assert/strict";
import { SqlError } from "@tessera/base";
import { allSqlFunctions } from "../catalog/sql-functions.js";
import { newEngine, run } from "../test-support/harness.js";
import { runsAsCall, sqlFunctionAsBlock } from "./sql-function-block.js";

test("a SQL function with SECURITY DEFINER runs as a PL/pgSQL block of its body", async () => {
  const e = await newEngine();
  await run(e, `create function f(a int) returns int language sql security definer
    as $$ select 1; select a * 2 $$`);
  const fn = allSqlFunctions(e.catalog).find((f) => f.name === "f")!;
  assert.equal(runsAsCall(fn), true);
  const block = sqlFunctionAsBlock(fn);
  assert.deepEqual(block.inArgs, [true]);
  assert.match(block.createSql, /perform 1;/);
  assert.match(block.createSql, /return \(select \* from \(select a \* 2\) as r limit 1\);/);
});

test("a SETOF SQL function with a SET clause returns its last query", async () => {
  const e = await newEngine();
  await run(e, `create function g() returns setof int language sql set work_mem = '2MB'
    as $$ select 1 union all select 2 $$`);
  const fn = allSqlFunctions(e.catalog).find((f) => f.name === "g")!;
  assert.match(sqlFunctionAsBlock(fn).createSql, /return query select 1 union all select 2;/);
});

test("a plain SQL function is still expanded in place", async () => {
  const e = await newEngine();
  await run(e, "create function h() returns int language sql as $$ select 3 $$");
  const fn = allSqlFunctions(e.catalog).find((f) => f.name === "h")!;
  assert.equal(runsAsCall(fn), false);
});

test("row results of such functions are refused with 0A000", async () => {
  const e = await newEngine();
  await run(e, "create table t (a int, b int)");
  await assert.rejects(run(e, `create function k() returns t language sql security definer
    as $$ select 1, 2 $$`), (error: unknown) => error instanceof SqlError &&
    error.code === "0A000");
});
