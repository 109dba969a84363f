/** Subscripts on any expression, checked against PostgreSQL 15's answers. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { newEngine, run } from "../test-support/harness.js";
import { lines, sqlError } from "../test-support/rows.js";

test("array subscripts on expressions, with slices and null subscripts", async () => {
  const e = await newEngine();
  assert.deepEqual(await lines(e, `select (array['red', 'blue', 'green'])[(5 % 3) + 1],
    (array[1, 2, 3, 4])[2:3], (array[1, 2, 3])[:2], (array[1, 2, 3])[2:],
    ('{{1,2},{3,4}}'::int[])[2][1], ('{{1,2},{3,4}}'::int[])[1:1][2:2],
    ('{{1,2},{3,4}}'::int[])[1:1][2], ('{{1,2},{3,4}}'::int[])[1],
    ('{1,2}'::int[])[null], ('{1,2}'::int[])['2'], ('{1,2}'::int[])[1.6],
    ('[0:2]={a,b,c}'::text[])[-5:1], (array[1])[3:4]`),
  ["green|{2,3}|{1,2}|{2,3}|3|{{2}}|{{1,2}}|||2|2|{a,b}|{}"]);
  const r = await run(e, "select (array[1, 2])[1], (array[1, 2])[1:1]");
  assert.deepEqual(r.names, ["array", "array"]);
  assert.deepEqual(r.types, [23, 1007]);
});

test("jsonb subscripts walk objects and arrays", async () => {
  const e = await newEngine();
  assert.deepEqual(await lines(e, `select ('{"a": {"b": [1, 2]}}'::jsonb)['a']['b'][1],
    ('{"a": 1}'::jsonb)['x'], ('[5, 6]'::jsonb)['1']`), ["2||6"]);
  await assert.rejects(run(e, "select ('[1]'::jsonb)[1:2]"),
    sqlError("42804", "jsonb subscript does not support slices"));
});

test("subscripting a type without subscripts fails as in PostgreSQL", async () => {
  const e = await newEngine();
  await assert.rejects(run(e, "select ('abc'::text)[1]"), sqlError("42804",
    "cannot subscript type text because it does not support subscripting"));
  await assert.rejects(run(e, "select (array[1])[true]"),
    sqlError("42804", "array subscript must have type integer"));
});

test("a frame from a following row to a preceding one is a windowing error", async () => {
  const e = await newEngine();
  await assert.rejects(run(e, `select sum(x) over (order by id rows between 1 following
    and 1 preceding) from (values (1, 2)) t(id, x)`), sqlError("42P20"));
});
