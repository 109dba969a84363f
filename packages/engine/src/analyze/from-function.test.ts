/**
 * Functions in FROM: ROWS FROM, multi-argument unnest, column definition lists for
 * record-returning functions and tables' row types, as PostgreSQL 15 runs them.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { newEngine, run } from "../test-support/harness.js";

test("unnest(a, b) zips its arrays, padding the shorter with nulls", async () => {
  const e = await newEngine();
  const r = await run(e, "select * from unnest(array[1, 2], array['x', 'y', 'z']) as t(n, s)");
  assert.deepEqual(r.names, ["n", "s"]);
  assert.deepEqual(r.rows, [["1", "x"], ["2", "y"], [null, "z"]]);
});

test("ROWS FROM runs functions side by side, a plain function giving one row", async () => {
  const e = await newEngine();
  const r = await run(e, "select * from rows from (generate_series(1, 2), upper('a')) " +
    "with ordinality");
  assert.deepEqual(r.names, ["generate_series", "upper", "ordinality"]);
  assert.deepEqual(r.rows, [["1", "A", "1"], ["2", null, "2"]]);
  assert.deepEqual((await run(e, "select * from upper('x') as u")).rows, [["X"]]);
});

test("column definition lists type a record function's columns", async () => {
  const e = await newEngine();
  const r = await run(e, "select * from jsonb_to_record('{\"a\": 1, \"b\": \"x\", " +
    "\"c\": [1]}') as t(a int, b text, c jsonb, d int[])");
  assert.deepEqual(r.rows, [["1", "x", "[1]", null]]);
  const set = await run(e, "select * from json_to_recordset('[{\"a\": 1, \"b\": [2, 3]}, " +
    "{\"a\": 3}]') as t(a int, b int[])");
  assert.deepEqual(set.rows, [["1", "{2,3}"], ["3", null]]);
  await assert.rejects(run(e, "select * from jsonb_to_record('{}')"),
    /column definition list is required/);
  await assert.rejects(run(e, "select * from upper('x') as t(a text)"),
    /only allowed for functions returning "record"/);
});

test("a table's name is its row type", async () => {
  const e = await newEngine();
  await run(e, "create table docs (id int, j json, b jsonb)");
  const r = await run(e, "select * from jsonb_populate_record(null::docs, " +
    "'{\"id\": 99, \"b\": {\"q\": 1}}')");
  assert.deepEqual(r.rows, [["99", null, "{\"q\": 1}"]]);
  const whole = await run(e, "select jsonb_populate_record(null::docs, '{\"id\": 1}')");
  assert.deepEqual(whole.rows, [["(1,,)"]]);
  const set = await run(e, "select id from jsonb_populate_recordset(null::docs, " +
    "'[{\"id\": 1}, {\"id\": 2}]')");
  assert.deepEqual(set.rows, [["1"], ["2"]]);
  const typ = await run(e, "select t.typtype, t.typrelid = c.oid from pg_type t " +
    "join pg_class c on c.relname = t.typname where t.typname = 'docs'");
  assert.deepEqual(typ.rows, [["c", "t"]]);
});
