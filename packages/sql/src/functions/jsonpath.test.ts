/**
 * jsonpath parsing, printing and execution against PostgreSQL 15's printed results.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { SqlError } from "@tessera/base";
import { canonicalJsonPath } from "../types/jsonpath.js";
import { formatJsonb } from "../types/jsonb.js";
import type { Jsonb, Value } from "../types/value.js";
import { parseJson } from "./jsonb-util.js";
import { jsonpathFunctions } from "./jsonpath.js";
import type { EvalContext } from "./defs.js";

const ctx = {} as EvalContext;
const call = { argTypes: [], returnType: 0 };

function callFn(name: string, doc: string, path: string, vars = "{}", silent = false): Value {
  const def = jsonpathFunctions().find((f) => f.name === name);
  assert.ok(def !== undefined && def.kind === "scalar");
  return def.impl([parseJson(doc), canonicalJsonPath(path), parseJson(vars), silent], ctx, call);
}

const arr = (doc: string, path: string, vars = "{}"): string =>
  formatJsonb(callFn("jsonb_path_query_array", doc, path, vars) as Jsonb);

test("jsonpath prints as jsonpath_out", () => {
  const cases: [string, string][] = [
    ["$.a > 1", '($."a" > 1)'],
    ['$."a"[*]?(@ > 1)', '$."a"[*]?(@ > 1)'],
    ["strict $.a.b[1 to last, 2]", 'strict $."a"."b"[1 to last,2]'],
    ['$ ? (!(@ == 1) && exists(@.x) || @ like_regex "a.c" flag "i")',
      '$?(!(@ == 1) && exists (@."x") || @ like_regex "a.c" flag "i")'],
    ["$.a.**{2 to last}.b", '$."a".**{2 to last}."b"'],
    ["-$.a + 2 * (3 - 1)", '(-$."a" + 2 * (3 - 1))'],
    ['$.a ? (@ starts with "x")', '$."a"?(@ starts with "x")'],
    ["$var.type()", '$"var".type()'],
    ["(1 + 2).type()", "(1 + 2).type()"],
    ["$ ? ((@ == 1) is unknown)", "$?((@ == 1) is unknown)"],
    ["-1", "-1"], ["1.50", "1.50"], ["1e3", "1000"],
    ["$.a.size().double()", '$."a".size().double()'],
    ['$.datetime("yyyy")', '$.datetime("yyyy")'],
  ];
  for (const [input, printed] of cases) assert.equal(canonicalJsonPath(input), printed, input);
});

test("jsonpath input errors", () => {
  const code = (text: string): string | undefined => {
    try { canonicalJsonPath(text); } catch (e) { return e instanceof SqlError ? e.code : "?"; }
    return undefined;
  };
  assert.equal(code("@"), "42601");
  assert.equal(code("last"), "42601");
  assert.equal(code("$ +"), "42601");
  assert.equal(code(""), "22P02");
});

test("jsonpath execution", () => {
  assert.equal(arr('{"a":[1,2,{"b":3}],"c":"x"}', "$.**"),
    '[{"a": [1, 2, {"b": 3}], "c": "x"}, [1, 2, {"b": 3}], 1, 2, {"b": 3}, 3, "x"]');
  assert.equal(arr('[1,[2,3],{"a":4}]', "lax $[*].a"), "[4]");
  assert.equal(arr('{"a":[1,2,3,4,5]}', "$.a[1 to last, 0]"), "[2, 3, 4, 5, 1]");
  assert.equal(arr("[1.5, -2.25, 3]", "$[*].floor()"), "[1, -3, 3]");
  assert.equal(arr("[1.5, -2.25, 3]", "$[*].abs()"), "[1.5, 2.25, 3]");
  assert.equal(arr('["1.5", 2]', "$[*].double()"), "[1.5, 2]");
  assert.equal(arr('{"a":1,"b":[1,2]}', "$.keyvalue()"),
    '[{"id": 0, "key": "a", "value": 1}, {"id": 0, "key": "b", "value": [1, 2]}]');
  assert.equal(arr('[1,"a",null,true,[],{}]', "$[*].type()"),
    '["number", "string", "null", "boolean", "array", "object"]');
  assert.equal(arr('{"x":[1,2,3]}', "$.x[*] ? (@ >= $min)", '{"min":2}'), "[2, 3]");
  assert.equal(arr("[10,3]", "$[0] / $[1]"), "[3.3333333333333333]");
  assert.equal(arr('["abc","ABd","x"]', '$[*] ? (@ like_regex "^ab" flag "i")'), '["abc", "ABd"]');
  assert.equal(arr("[1,2]", "strict $.size()"), "[2]");
  assert.equal(arr('[1,"a",null]', "$[*] ? (@ != 1)"), "[null]");
  assert.equal(arr("[1,2]", "$ ? (@[*] > 1)"), "[2]");
  assert.equal(arr("[1,2]", "strict $ ? (@[*] > 1)"), "[[1, 2]]");
  assert.equal(arr("[1,2,3]", "-$[*]"), "[-1, -2, -3]");
  assert.equal(arr("[1,2]", "$[*] ? ((@ > 1) is unknown)"), "[]");
  assert.equal(callFn("jsonb_path_exists", '{"a":1}', "strict $.b", "{}", true), null);
  assert.equal(callFn("jsonb_path_match", '{"a":1}', "exists($.a)"), true);
  assert.throws(() => callFn("jsonb_path_exists", "{}", "strict $.a"), { code: "2203A" });
  assert.throws(() => callFn("jsonb_path_match", "1", "$"), { code: "22038" });
});
