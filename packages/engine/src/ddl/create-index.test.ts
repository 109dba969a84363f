import { test } from "node:test";
import assert from "node:assert/strict";
import { newEngine, run } from "../test-support/harness.js";

type Err = Error & { code?: string; detail?: string };
const fails = (code: string, message: string, detail?: string) => (err: Err) =>
  err.code === code && err.message === message && (detail === undefined || err.detail === detail);

test("partial unique indexes hold only the rows their WHERE accepts", async () => {
  const e = await newEngine();
  await run(e, "create table c (id int, code text)");
  await run(e, "insert into c values (1, 'A'), (2, null), (3, null)");
  await run(e, "create unique index c_uq on c (code) where code is not null");
  await assert.rejects(run(e, "insert into c values (4, 'A')"), fails("23505",
    "duplicate key value violates unique constraint \"c_uq\"", "Key (code)=(A) already exists."));
  await run(e, "insert into c values (5, null)");
  assert.deepEqual((await run(e, "select id from c where code = 'A'")).rows, [["1"]]);
  await assert.rejects(run(e, "insert into c values (6, 'B') on conflict (code) do nothing"),
    fails("42P10",
      "there is no unique or exclusion constraint matching the ON CONFLICT specification"));
});

test("expression indexes: names, uniqueness and messages", async () => {
  const e = await newEngine();
  await run(e, "create table c (code text, qty int)");
  await run(e, "insert into c values ('A', 1)");
  await run(e, "create index on c (lower(code), qty desc)");
  await run(e, "create unique index on c (lower(code))");
  await assert.rejects(run(e, "insert into c values ('a', 2)"), fails("23505",
    "duplicate key value violates unique constraint \"c_lower_idx\"",
    "Key (lower(code))=(a) already exists."));
  await run(e, "drop index c_lower_qty_idx");
  await assert.rejects(run(e, "drop index c_lower_qty_idx"),
    fails("42704", "index \"c_lower_qty_idx\" does not exist"));
});
