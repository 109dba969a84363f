/**
 * Array operators, array functions and set-returning functions against PostgreSQL 15.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { PgArray, Value } from "../types/value.js";
import { makeArray, shapedArray } from "./array-util.js";
import { arraySubscript } from "./array.js";
import { n, opText, srfText, text } from "./test-util.js";
import { T } from "./type-oids.js";

const ints = (...xs: (number | null)[]): PgArray => makeArray(T.int4, xs);
const texts = (...xs: (string | null)[]): PgArray => makeArray(T.text, xs);
const grid = shapedArray(T.int4, [2, 2], [1, 1], [1, 2, 3, 4]);
const zeroBased = shapedArray(T.int4, [3], [0], [1, 2, 3]);
const CA = T.anycompatiblearray;
const C = T.anycompatible;

test("array operators", () => {
  assert.equal(opText("@>", T.anyarray, T.anyarray, ints(1, 2, 3), ints(2)), "t");
  assert.equal(opText("<@", T.anyarray, T.anyarray, ints(1, 2), ints(1)), "f");
  assert.equal(opText("&&", T.anyarray, T.anyarray, ints(1, 2), ints(2, 3)), "t");
  assert.equal(opText("@>", T.anyarray, T.anyarray, ints(1, null), ints(null)), "f");
  assert.equal(
    opText("||", CA, CA, ints(1), shapedArray(T.int4, [2, 1], [1, 1], [2, 3])),
    "{{1},{2},{3}}",
  );
  assert.equal(opText("=", T.anyarray, T.anyarray, ints(1, 2), ints(1, 2)), "t");
  assert.equal(opText("<", T.anyarray, T.anyarray, ints(1, 2), ints(1, 2, 0)), "t");
});

test("array functions", () => {
  assert.equal(text("array_length", [T.anyarray, T.int4], [grid, 2]), "2");
  assert.equal(text("array_lower", [T.anyarray, T.int4], [zeroBased, 1]), "0");
  assert.equal(text("array_upper", [T.anyarray, T.int4], [ints(1, 2, 3), 1]), "3");
  assert.equal(text("array_dims", [T.anyarray], [zeroBased]), "[0:2]");
  assert.equal(text("array_dims", [T.anyarray], [grid]), "[1:2][1:2]");
  assert.equal(text("cardinality", [T.anyarray], [grid]), "4");
  assert.equal(text("array_append", [CA, C], [ints(1, 2), 3]), "{1,2,3}");
  assert.equal(text("array_prepend", [C, CA], [0, ints(1)]), "{0,1}");
  assert.equal(text("array_cat", [CA, CA], [ints(1), ints(2, 3)]), "{1,2,3}");
  assert.equal(text("array_remove", [CA, C], [ints(1, 2, 1, null), 1]), "{2,NULL}");
  assert.equal(text("array_replace", [CA, C, C], [ints(1, 2, 1), 1, 9]), "{9,2,9}");
  assert.equal(
    text("array_to_string", [T.anyarray, T.text, T.text], [ints(1, null, 3), ",", "*"]),
    "1,*,3",
  );
  assert.equal(text("array_to_string", [T.anyarray, T.text], [texts("a", null), ","]), "a");
  assert.equal(text("string_to_array", [T.text, T.text], ["a,b,,c", ","]), '{a,b,"",c}');
  assert.equal(text("string_to_array", [T.text, T.text], ["abc", null]), "{a,b,c}");
  assert.equal(
    text("string_to_array", [T.text, T.text, T.text], ["a,x,b", ",", "x"]),
    "{a,NULL,b}",
  );
  assert.equal(text("array_position", [CA, C, T.int4], [texts("a", "b", "a"), "a", 2]), "3");
  assert.equal(text("array_positions", [CA, C], [ints(1, 2, 1), 1]), "{1,3}");
  assert.equal(arraySubscript(zeroBased, [0]), 1);
  assert.equal(arraySubscript(grid, [2, 1]), 3);
  assert.equal(arraySubscript(grid, [3, 1]), null);
});

test("set-returning functions", () => {
  assert.deepEqual(srfText("generate_series", [T.int4, T.int4, T.int4], [1, 10, 4], T.int4), [
    "1",
    "5",
    "9",
  ]);
  assert.deepEqual(srfText("generate_series", [T.int4, T.int4, T.int4], [3, 1, -1], T.int4), [
    "3",
    "2",
    "1",
  ]);
  assert.deepEqual(
    srfText(
      "generate_series",
      [T.numeric, T.numeric, T.numeric],
      [n("0.5"), n(2), n("0.75")],
      T.numeric,
    ),
    ["0.5", "1.25", "2.00"],
  );
  const day = 86_400_000_000n;
  assert.deepEqual(
    srfText(
      "generate_series",
      [T.timestamp, T.timestamp, T.interval],
      [0n, 2n * day, { months: 0, days: 1, micros: 0n }],
      T.timestamp,
    ),
    ["2000-01-01 00:00:00", "2000-01-02 00:00:00", "2000-01-03 00:00:00"],
  );
  assert.deepEqual(srfText("unnest", [T.anyarray], [grid], T.int4), ["1", "2", "3", "4"]);
  assert.deepEqual(srfText("generate_subscripts", [T.anyarray, T.int4], [zeroBased, 1], T.int4), [
    "0",
    "1",
    "2",
  ]);
  const values: Value[] = [...srfText("generate_series", [T.int8, T.int8], [1n, 3n], T.int8)];
  assert.deepEqual(values, ["1", "2", "3"]);
});

test("trim_array and array_fill", () => {
  const ints = makeArray(T.int4, [1, 2, 3, 4]);
  assert.equal(text("trim_array", [T.anyarray, T.int4], [ints, 2], [T.int4Array, T.int4]),
    "{1,2}");
  assert.equal(text("array_fill", [T.anyelement, T.int4Array], [7, makeArray(T.int4, [3])],
    [T.int4, T.int4Array]), "{7,7,7}");
  assert.equal(text("array_fill", [T.anyelement, T.int4Array], ["x", makeArray(T.int4, [2, 2])],
    [T.text, T.int4Array]), "{{x,x},{x,x}}");
  assert.equal(text("array_fill", [T.anyelement, T.int4Array, T.int4Array],
    [0, makeArray(T.int4, [2]), makeArray(T.int4, [5])], [T.int4, T.int4Array, T.int4Array]),
  "[5:6]={0,0}");
});
