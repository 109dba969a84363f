import { test } from "node:test";
import assert from "node:assert/strict";
import { parseStatements } from "@tessera/sql";
import { failure, newEngine, run, testContext } from "../test-support/harness.js";

test("CALL describes and returns the OUT and INOUT parameters", async () => {
  const e = await newEngine();
  await run(e, `create procedure p(inout a int, out b text) language plpgsql
    as $$ begin a := a * 2; b := 'v' || a; end $$`);
  const ctx = testContext();
  const prepared = e.prepare(parseStatements("call p($1, null)")[0]!.stmt, [0], ctx);
  assert.deepEqual(prepared.paramTypes, [23]);
  assert.deepEqual(prepared.columns?.map((c) => [c.name, c.typeOid]), [["a", 23], ["b", 25]]);
  const cursor = prepared.open([21], ctx);
  const result = await cursor.fetch(0);
  cursor.close();
  assert.deepEqual(result.rows, [[42, "v42"]]);
  assert.equal(result.commandTag, "CALL");
  assert.equal((await failure(e, "call p(1)")).code, "42883");
});

test("CALL inside a body writes OUT values back and needs variables for them", async () => {
  const e = await newEngine();
  await run(e, `create procedure p(inout a int, out b text) language plpgsql
    as $$ begin a := a + 1; b := 'x'; end $$`);
  await run(e, "create table t (a int, b text)");
  await run(e, `do $$ declare x int := 1; y text;
    begin call p(x, y); insert into t values (x, y); end $$`);
  assert.deepEqual((await run(e, "select a, b from t")).rows, [["2", "x"]]);
  const error = await failure(e, "do $$ begin call p(1, null); end $$");
  assert.equal(error.code, "42601");
  assert.equal(error.message,
    "procedure parameter \"a\" is an output parameter but corresponding argument is not writable");
});

test("COMMIT keeps a procedure's work through a later error; ROLLBACK undoes", async () => {
  const e = await newEngine();
  await run(e, "create table t (i int)");
  await run(e, `create procedure p() language plpgsql as $$ begin
    insert into t values (1); commit; insert into t values (2); rollback;
    insert into t values (3); commit and chain; insert into t values (4);
    raise exception 'stop'; end $$`);
  assert.equal((await failure(e, "call p()")).message, "stop");
  assert.deepEqual((await run(e, "select i from t order by i")).rows, [["1"], ["3"]]);
});

test("COMMIT in an EXCEPTION block or a function is 2D000", async () => {
  const e = await newEngine();
  const inBlock = await failure(e,
    "do $$ begin begin commit; exception when division_by_zero then null; end; end $$");
  assert.equal(inBlock.code, "2D000");
  assert.equal(inBlock.message, "cannot commit while a subtransaction is active");
  await run(e, "create function f() returns int language plpgsql as $$ begin rollback; " +
    "return 1; end $$");
  const inFunction = await failure(e, "select f()");
  assert.equal(inFunction.code, "2D000");
  assert.equal(inFunction.message, "invalid transaction termination");
});
