import { test } from "node:test";
import assert from "node:assert/strict";
import { newEngine, run } from "./test-support/harness.js";

test("select without from: constants, casts and names", async () => {
  const e = await newEngine();
  const r = await run(e, "select 1, 1::int, 'a', 'a'::text, true, null, cast(2 as bigint)");
  assert.deepEqual(r.names, [
    "?column?",
    "int4",
    "?column?",
    "text",
    "?column?",
    "?column?",
    "int8",
  ]);
  assert.deepEqual(r.rows, [["1", "1", "a", "a", "t", null, "2"]]);
  assert.deepEqual(r.types, [23, 23, 25, 25, 16, 25, 20]);
  assert.equal(r.tag, "SELECT 1");
});

test("operators resolve unknown literals and integer types", async () => {
  const e = await newEngine();
  const r = await run(e, "select 1 + 2, '3' + 4, 2::int2 + 3::int8, 'a' || 'b', 1 < 2, 7 / 2");
  assert.deepEqual(r.rows, [["3", "7", "5", "ab", "t", "3"]]);
  assert.deepEqual(r.types, [23, 23, 20, 25, 16, 23]);
});

test("CASE, COALESCE, NULLIF, GREATEST, IN, BETWEEN, IS DISTINCT FROM", async () => {
  const e = await newEngine();
  const r = await run(
    e,
    `select case when 1 > 2 then 'x' else 'y' end, coalesce(null, 2, 3),
    nullif(1, 1), greatest(1, 5, 3), least(4, 2), 2 in (1, 2), 3 not in (1, 2),
    5 between 1 and 10, null is distinct from 1, 1 is not distinct from 1,
    case 2 when 1 then 'one' when 2 then 'two' end`,
  );
  assert.deepEqual(r.names, [
    "case",
    "coalesce",
    "nullif",
    "greatest",
    "least",
    "?column?",
    "?column?",
    "?column?",
    "?column?",
    "?column?",
    "case",
  ]);
  assert.deepEqual(r.rows, [["y", "2", null, "5", "2", "t", "t", "t", "t", "t", "two"]]);
});

test("three-valued logic", async () => {
  const e = await newEngine();
  const r = await run(e, "select null and false, null or true, null and true, not null::bool");
  assert.deepEqual(r.rows, [["f", "t", null, null]]);
});

test("errors carry Postgres's SQLSTATE and text", async () => {
  const e = await newEngine();
  await assert.rejects(
    run(e, "select 1 + 'a'::text"),
    (err: Error & { code?: string }) =>
      err.code === "42883" && err.message === "operator does not exist: integer + text",
  );
  await assert.rejects(
    run(e, "select foo(1)"),
    (err: Error & { code?: string }) =>
      err.code === "42883" && err.message === "function foo(integer) does not exist",
  );
  await assert.rejects(
    run(e, "select x"),
    (err: Error & { code?: string }) =>
      err.code === "42703" && err.message === 'column "x" does not exist',
  );
  await assert.rejects(
    run(e, "select * from nope"),
    (err: Error & { code?: string }) =>
      err.code === "42P01" && err.message === 'relation "nope" does not exist',
  );
  await assert.rejects(
    run(e, "select 'x'::int"),
    (err: Error & { code?: string }) => err.code === "22P02",
  );
});

test("parameters infer their types from context", async () => {
  const e = await newEngine();
  const r = await run(e, "select $1::int + 1, $2 || 'x'", [41, "a"]);
  assert.deepEqual(r.rows, [["42", "ax"]]);
});
