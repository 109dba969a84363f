import { test } from "node:test";
import assert from "node:assert/strict";
import { newEngine, run } from "../test-support/harness.js";

type Err = Error & { code?: string; detail?: string; hint?: string };

test("TRUNCATE refuses a referenced table unless the referencing one goes too", async () => {
  const e = await newEngine();
  await run(e, "create table p (id int primary key)");
  await run(e, "create table c (pid int references p)");
  await run(e, "insert into p values (1)");
  await run(e, "insert into c values (1)");
  await assert.rejects(run(e, "truncate p"), (err: Err) => err.code === "0A000" &&
    err.message === "cannot truncate a table referenced in a foreign key constraint" &&
    err.detail === "Table \"c\" references \"p\"." &&
    err.hint === "Truncate table \"c\" at the same time, or use TRUNCATE ... CASCADE.");
  await run(e, "truncate p, c");
  await run(e, "insert into p values (1)");
  await run(e, "insert into c values (1)");
  await run(e, "truncate p cascade");
  assert.deepEqual((await run(e, "select count(*) from c")).rows, [["0"]]);
});

test("TRUNCATE … RESTART IDENTITY restarts owned sequences", async () => {
  const e = await newEngine();
  await run(e, "create table s (id serial, x int)");
  await run(e, "insert into s (x) values (1), (2)");
  await run(e, "truncate s restart identity");
  assert.deepEqual((await run(e, "insert into s (x) values (1) returning id")).rows, [["1"]]);
});
