/**
 * Select-level clauses checked against PostgreSQL 15: set-operation literal typing, DISTINCT
 * ON, FETCH … WITH TIES, FOR UPDATE's placement rules, SRFs in CASE, whole-row references.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { newEngine, run } from "../test-support/harness.js";
import { lines, sampleTable, sqlError } from "../test-support/rows.js";

async function sample() {
  const e = await newEngine();
  await run(e, sampleTable);
  return e;
}

test("set operation branches leave literals unknown until the operation types them", async () => {
  const e = await newEngine();
  const r = await run(e, "select null union select 1");
  assert.deepEqual(r.types, [23]);
  assert.deepEqual(await lines(e, "select 'a' union select 'b' order by 1"), ["a", "b"]);
  await assert.rejects(run(e, "select 1 union select 'a'"),
    sqlError("22P02", "invalid input syntax for type integer: \"a\""));
  assert.deepEqual((await run(e, "select 1, true")).names, ["?column?", "?column?"]);
});

test("DISTINCT ON takes expressions and must lead ORDER BY", async () => {
  const e = await sample();
  assert.deepEqual(await lines(e, `select distinct on (x % 2) id from t where x is not null
    order by x % 2, id desc`), ["4", "8"]);
  await assert.rejects(run(e, "select distinct on (y) id from t order by x"),
    sqlError("42P10", "SELECT DISTINCT ON expressions must match initial ORDER BY expressions"));
});

test("FETCH FIRST … WITH TIES keeps the rows tying the last one", async () => {
  const e = await sample();
  assert.deepEqual(await lines(e, "select id from t order by x fetch first 2 rows with ties"),
    ["1", "2", "8"]);
  await assert.rejects(run(e, "select id from t fetch first 2 rows with ties"),
    sqlError("42601", "WITH TIES cannot be specified without ORDER BY clause"));
});

test("FOR UPDATE reads rows and refuses grouped results", async () => {
  const e = await sample();
  assert.deepEqual(await lines(e, "select id from t where id < 3 order by id for update"),
    ["1", "2"]);
  await assert.rejects(run(e, "select count(*) from t for update"),
    sqlError("0A000", "FOR UPDATE is not allowed with aggregate functions"));
  await assert.rejects(run(e, "select id from t for share of u"), sqlError("42P01"));
});

test("set-returning functions are not allowed in CASE", async () => {
  const e = await newEngine();
  await assert.rejects(run(e, "select case when true then generate_series(1, 2) end"),
    sqlError("0A000", "set-returning functions are not allowed in CASE"));
});

test("whole-row references and field selection", async () => {
  const e = await sample();
  assert.deepEqual(await lines(e, "select t::text from t where id = 3"), ["(3,2,a,)"]);
  assert.deepEqual(await lines(e, `select (p).y, (p).x + 1 from (select t as p from t
    where id = 4) s`), ["c|3"]);
  assert.deepEqual(await lines(e, "select (row(1, 'b')).f2"), ["b"]);
  await assert.rejects(run(e, "select (x).y from t"), sqlError("42809"));
});

test("a whole-row reference keeps its field names for to_jsonb", async () => {
  const e = await newEngine();
  assert.deepEqual(await lines(e, "select to_jsonb(r) from (select 1 as a, 'x' as b) r"),
    ["{\"a\": 1, \"b\": \"x\"}"]);
});
