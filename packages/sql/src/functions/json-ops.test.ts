/**
 * json (text) operators and functions keep the source text; jsonb functions treat JSON null
 * (JSONB_NULL) apart from SQL null. Expectations are PostgreSQL 15's output.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseJsonb } from "../types/jsonb.js";
import { makeArray } from "./array-util.js";
import { opText, srfText, text } from "./test-util.js";
import { T } from "./type-oids.js";

const doc = '{"b":1, "a": [1,  "two", null], "b":3}';

test("json operators return members as written", () => {
  assert.equal(opText("->", T.json, T.text, doc, "a"), '[1,  "two", null]');
  assert.equal(opText("->", T.json, T.text, doc, "b"), "3");
  assert.equal(opText("->>", T.json, T.text, '{"s": "x\\"y"}', "s"), 'x"y');
  assert.equal(opText("->>", T.json, T.int4, '[1, null]', 1), null);
  assert.equal(opText("#>>", T.json, T.textArray, doc, makeArray(T.text, ["a", "1"])), "two");
  assert.equal(text("json_typeof", [T.json], [doc]), "object");
  assert.equal(text("json_array_length", [T.json], ["[1, [2, 3]]"]), "2");
  assert.equal(text("json_strip_nulls", [T.json], ['{"a": null, "b": [null, 1]}']),
    '{"b":[null,1]}');
  assert.deepEqual(srfText("json_each", [T.json], [doc], T.json), ["b|1", "a|[1,  \"two\", null]",
    "b|3"]);
});

test("jsonb keeps JSON null apart from SQL null", () => {
  const b = parseJsonb('[1, "two", null, {"x": null}]');
  assert.equal(opText("->", T.jsonb, T.int4, b, 2), "null");
  assert.equal(opText("->>", T.jsonb, T.int4, b, 2), null);
  assert.equal(opText("->", T.jsonb, T.int4, parseJsonb('"just"'), 0), '"just"');
  assert.equal(opText("->", T.jsonb, T.text, parseJsonb("[1]"), "0"), null);
  assert.equal(text("jsonb_typeof", [T.jsonb], [parseJsonb("null")]), "null");
  assert.equal(text("jsonb_strip_nulls", [T.jsonb], [b]), '[1, "two", null, {}]');
  assert.deepEqual(srfText("jsonb_array_elements_text", [T.jsonb], [b], T.text),
    ["1", "two", "", '{"x": null}']);
});
