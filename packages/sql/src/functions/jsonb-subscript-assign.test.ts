/**
 * jsonb subscript assignment, json_object / jsonb_object and jsonpath printing fixes, against
 * PostgreSQL 15's printed results.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { SqlError } from "@tessera/base";
import { canonicalJsonPath } from "../types/jsonpath.js";
import { formatJsonb } from "../types/jsonb.js";
import type { Jsonb, Value } from "../types/value.js";
import { makeArray } from "./array-util.js";
import type { EvalContext } from "./defs.js";
import { jsonFromArrayFunctions } from "./json-from-arrays.js";
import { jsonbSubscriptAssign } from "./jsonb-subscript-assign.js";
import { parseJson } from "./jsonb-util.js";
import { jsonpathFunctions } from "./jsonpath.js";
import { T } from "./type-oids.js";

const parsed = (text: string | null): Jsonb | null => (text === null ? null : parseJson(text));
const assign = (doc: string | null, path: Value[], value: string | null,
  expectArray = false): string =>
  formatJsonb(jsonbSubscriptAssign(parsed(doc), path, expectArray, parsed(value)));

test("jsonb subscript assignment builds paths as PostgreSQL does", () => {
  assert.equal(assign('{"a": 1}', ["b", "c"], "2"), '{"a": 1, "b": {"c": 2}}');
  assert.equal(assign("[1]", ["3"], "9"), "[1, null, null, 9]");
  assert.equal(assign(null, ["x", "1"], "true"), '{"x": [null, true]}');
  assert.equal(assign(null, ["1"], "5", true), "[null, 5]");
  assert.equal(assign("[1, 2]", ["-1"], "0"), "[1, 0]");
  assert.equal(assign('{"a": 1}', ["a"], null), '{"a": null}');
  assert.throws(() => assign("[1]", ["-5"], "0"), /out of range: -5/);
  assert.throws(() => assign('{"a": 1}', ["a", "b"], "0"), /cannot replace existing key/);
  assert.throws(() => assign("[1]", ["x"], "0"), /is not an integer: "x"/);
  assert.throws(() => assign("{}", [null], "0"), /must not be null/);
});

test("json_object and jsonb_object", () => {
  const fns = jsonFromArrayFunctions();
  const run = (name: string, ...arrays: string[][]): Value => {
    const def = fns.find((f) => f.name === name && f.argTypes.length === arrays.length);
    assert.ok(def !== undefined);
    const args = arrays.map((a) => makeArray(T.text, a));
    return def.impl(args, {} as EvalContext, { argTypes: [], returnType: 0 });
  };
  assert.equal(run("json_object", ["a", "1", "b", "2"]), '{"a" : "1", "b" : "2"}');
  assert.equal(formatJsonb(run("jsonb_object", ["a", "b", "a"], ["1", "2", "3"]) as Jsonb),
    '{"a": "3", "b": "2"}');
  assert.throws(() => run("json_object", ["a", "b", "c"]),
    (e: unknown) => e instanceof SqlError && e.code === "2202E");
});

test("jsonpath prints chains over parenthesised expressions and reads escaped keys", () => {
  assert.equal(canonicalJsonPath("1 + ($.a.b + 2).c.d"), '(1 + ($."a"."b" + 2)."c"."d")');
  assert.equal(canonicalJsonPath("$.foo\\x50\\u0067"), '$."fooPg"');
  assert.throws(() => canonicalJsonPath("00"), /trailing junk/);
  assert.throws(() => canonicalJsonPath('$ ? (@ like_regex "x" flag "x")'),
    (e: unknown) => e instanceof SqlError && e.code === "0A000");
});

test("silent jsonpath calls keep the items found before an error", () => {
  const def = jsonpathFunctions().find((f) => f.name === "jsonb_path_query_array");
  assert.ok(def !== undefined && def.kind === "scalar");
  const got = def.impl([parseJson('[{"a": 1}, {"a": 2}, {}]'), canonicalJsonPath("strict $[*].a"),
    parseJson("{}"), true], {} as EvalContext, { argTypes: [], returnType: 0 });
  assert.equal(formatJsonb(got as Jsonb), "[1, 2]");
});
