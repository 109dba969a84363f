/**
 * jsonb operators and functions against PostgreSQL 15's printed results.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Jsonb, Value } from "../types/value.js";
import { parseJson } from "./jsonb-util.js";
import { makeArray } from "./array-util.js";
import { n, opText, srfText, text } from "./test-util.js";
import { T } from "./type-oids.js";

const j = (s: string): Jsonb => parseJson(s);
const path = (...keys: string[]): Value => makeArray(T.text, keys);

test("jsonb operators", () => {
  const doc = j('{"a":1,"b":[1,2,{"c":"x"}]}');
  assert.equal(opText("->", T.jsonb, T.text, doc, "b"), '[1, 2, {"c": "x"}]');
  assert.equal(opText("->>", T.jsonb, T.text, j('{"a":1}'), "a"), "1");
  assert.equal(opText("->", T.jsonb, T.int4, j("[1,2,3]"), -1), "3");
  assert.equal(
    opText("#>", T.jsonb, T.textArray, j('{"a":{"b":[1,2]}}'), path("a", "b", "1")),
    "2",
  );
  assert.equal(
    opText("#>>", T.jsonb, T.textArray, j('{"a":{"b":[1,2]}}'), path("a", "b")),
    "[1, 2]",
  );
  assert.equal(opText("@>", T.jsonb, T.jsonb, j('{"a":1,"b":{"c":2}}'), j('{"b":{}}')), "t");
  assert.equal(opText("@>", T.jsonb, T.jsonb, j("[1,2,[3]]"), j("[[3]]")), "t");
  assert.equal(opText("@>", T.jsonb, T.jsonb, j("[1,2]"), j("1")), "t");
  assert.equal(opText("?", T.jsonb, T.text, j('{"a":1}'), "a"), "t");
  assert.equal(opText("?|", T.jsonb, T.textArray, j('["a","b"]'), path("x", "b")), "t");
  assert.equal(opText("?&", T.jsonb, T.textArray, j('{"a":1,"b":2}'), path("a", "c")), "f");
  assert.equal(
    opText("||", T.jsonb, T.jsonb, j('{"a":1}'), j('{"b":2,"a":3}')),
    '{"a": 3, "b": 2}',
  );
  assert.equal(opText("||", T.jsonb, T.jsonb, j("[1]"), j("2")), "[1, 2]");
  assert.equal(opText("-", T.jsonb, T.text, j('{"a":1,"b":2}'), "a"), '{"b": 2}');
  assert.equal(opText("-", T.jsonb, T.int4, j("[1,2,3]"), -1), "[1, 2]");
  assert.equal(
    opText("#-", T.jsonb, T.textArray, j('{"a":{"b":1,"c":2}}'), path("a", "b")),
    '{"a": {"c": 2}}',
  );
});

test("jsonb and json builders", () => {
  assert.equal(
    text(
      "jsonb_build_object",
      [T.any],
      ["b", 1, "a", "x", "aa", n("2.50"), "n", null],
      [T.text, T.int4, T.text, T.text, T.text, T.numeric, T.text, T.text],
    ),
    '{"a": "x", "b": 1, "n": null, "aa": 2.50}',
  );
  assert.equal(
    text("jsonb_build_array", [T.any], [1, "a", true, null], [T.int4, T.text, T.bool, T.text]),
    '[1, "a", true, null]',
  );
  assert.equal(
    text("to_jsonb", [T.anyelement], [makeArray(T.int4, [1, 2])], [T.int4Array]),
    "[1, 2]",
  );
  assert.equal(text("to_jsonb", [T.anyelement], [1.5], [T.float8]), "1.5");
  assert.equal(text("to_jsonb", [T.anyelement], [NaN], [T.float8]), '"NaN"');
  assert.equal(
    text("json_build_object", [T.any], ["a", 1, "b", "x"], [T.text, T.int4, T.text, T.text]),
    '{"a" : 1, "b" : "x"}',
  );
  assert.equal(text("json_build_array", [T.any], [1, "a"], [T.int4, T.text]), '[1, "a"]');
  assert.equal(
    text(
      "to_json",
      [T.anyelement],
      [{ kind: "record", fields: [1, "a"], types: [T.int4, T.text] }],
      [T.record],
    ),
    '{"f1":1,"f2":"a"}',
  );
});

test("jsonb processing functions", () => {
  assert.equal(text("jsonb_typeof", [T.jsonb], [j("1.5")]), "number");
  assert.equal(text("jsonb_array_length", [T.jsonb], [j("[1,2,3]")]), "3");
  assert.equal(
    text("jsonb_strip_nulls", [T.jsonb], [j('{"a":null,"b":{"c":null,"d":1}}')]),
    '{"b": {"d": 1}}',
  );
  const set = [T.jsonb, T.textArray, T.jsonb, T.bool];
  assert.equal(
    text("jsonb_set", set, [j('{"a":[1,2]}'), path("a", "0"), j('"x"'), true]),
    '{"a": ["x", 2]}',
  );
  assert.equal(text("jsonb_set", set, [j('{"a":1}'), path("b"), j("2"), true]), '{"a": 1, "b": 2}');
  assert.equal(
    text("jsonb_insert", set, [j('{"a":[1,2]}'), path("a", "1"), j("9"), false]),
    '{"a": [1, 9, 2]}',
  );
  assert.equal(
    text("jsonb_insert", set, [j('{"a":[1,2]}'), path("a", "1"), j("9"), true]),
    '{"a": [1, 2, 9]}',
  );
  assert.equal(
    text("jsonb_extract_path_text", [T.jsonb, T.textArray], [j('{"a":{"b":"c"}}'), path("a", "b")]),
    "c",
  );
  assert.equal(
    text("jsonb_pretty", [T.jsonb], [j('{"a":[1,{"b":2}],"c":{}}')]),
    '{\n    "a": [\n        1,\n        {\n            "b": 2\n        }\n    ],\n' +
      '    "c": {\n    }\n}',
  );
  assert.deepEqual(srfText("jsonb_each", [T.jsonb], [j('{"b":1,"a":"x"}')], T.jsonb), [
    'a|"x"',
    "b|1",
  ]);
  assert.deepEqual(srfText("jsonb_array_elements_text", [T.jsonb], [j('[1,"a",null]')], T.text), [
    "1",
    "a",
    "",
  ]);
  assert.deepEqual(srfText("jsonb_object_keys", [T.jsonb], [j('{"bb":1,"a":2}')], T.text), [
    "a",
    "bb",
  ]);
});
