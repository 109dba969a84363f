/**
 * Regular-expression match extent, ARE syntax checks, regexp_replace's start and N, the
 * binary encodings and VARIADIC arrays of "any" functions, against PostgreSQL 15's output.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { SqlError } from "@tessera/base";
import type { Value } from "../types/value.js";
import { makeArray } from "./array-util.js";
import { lookupFunction } from "./registry.js";
import { call, opText, srfText, testContext, text } from "./test-util.js";
import { T } from "./type-oids.js";

const t2 = [T.text, T.text];
const t3 = [T.text, T.text, T.text];
const t4 = [T.text, T.text, T.text, T.text];

function sqlState(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    if (error instanceof SqlError) return `${error.code}: ${error.message}`;
    throw error;
  }
  return "no error";
}

test("a greedy RE takes the longest match, a non-greedy one the shortest", () => {
  assert.equal(text("regexp_match", t2, ["abcd", "a|ab"]), "{ab}");
  assert.equal(text("regexp_match", t2, ["aaa", "a*?|a"]), "{aaa}");
  assert.equal(text("regexp_match", t2, ["<a><b>", "<(.*?)>(.*)"]), '{a,""}');
  assert.equal(text("regexp_match", t2, ["abcabc", "(a.*?)(b.*)"]), "{a,b}");
  assert.equal(text("regexp_replace", t4, ["Mr Mrs", "Mr|Mrs", "X", "g"]), "X X");
  assert.equal(text("regexp_replace", t3, ["abbb", "a+b*?", "X"]), "X");
  assert.deepEqual(srfText("regexp_matches", t3, ["aabab", "ab|a", "g"], T.textArray),
    ["{a}", "{ab}", "{ab}"]);
  assert.equal(text("regexp_count", t2, ["aaaa", "a|aa"]), "2");
  // Patterns without alternation or non-greedy quantifiers keep the plain match.
  assert.equal(text("regexp_match", t2, ["foo123", "[0-9]+"]), "{123}");
});

test("ARE syntax JavaScript reads differently", () => {
  assert.equal(opText("~", T.text, T.text, "a{,2}", "a{,2}"), "t");
  assert.equal(opText("~", T.text, T.text, "x}", "x}"), "t");
  assert.equal(opText("~", T.text, T.text, "abc", "(?#note)b"), "t");
  const bad = (pattern: string): string =>
    sqlState(() => call("regexp_match", t2, ["abc", pattern]));
  assert.equal(bad("(?<x>b)"), "2201B: invalid regular expression: quantifier operand invalid");
  assert.equal(bad("a(?i)b"), "2201B: invalid regular expression: quantifier operand invalid");
  assert.equal(bad("(?P<x>a)"), "2201B: invalid regular expression: invalid embedded option");
  assert.equal(bad("a{256}"), "2201B: invalid regular expression: invalid repetition count(s)");
});

test("regexp_replace with start, N and back references", () => {
  const r = (...args: Value[]): string | null =>
    text("regexp_replace", [T.text, T.text, T.text, ...args.slice(3).map((a) =>
      typeof a === "number" ? T.int4 : T.text)], args);
  assert.equal(r("abcabcabc", "b", "X", 4), "abcaXcabc");
  assert.equal(r("abcabcabc", "b", "X", 1, 2), "abcaXcabc");
  assert.equal(r("abcabcabc", "b", "X", 1, 0), "aXcaXcaXc");
  assert.equal(r("abcabcabc", "B", "X", 1, 2, "gi"), "abcaXcabc");
  assert.equal(r("abc", "b", "X", 10), "abc");
  assert.equal(r("abc", "(b)", "\\0\\1\\&\\\\"), "a\\0bb\\c");
  assert.equal(sqlState(() => r("abc", "b", "X", 0)),
    '22023: invalid value for parameter "start": 0');
  assert.equal(sqlState(() => r("abc", "b", "X", 1, -1)),
    '22023: invalid value for parameter "n": -1');
});

test("decode checks its input as PostgreSQL does", () => {
  const decode = (s: string, f: string): string | null => text("decode", t2, [s, f]);
  assert.equal(decode("YQ==YQ==", "base64"), "\\x6161");
  assert.equal(decode("YQ=a", "base64"), "\\x61");
  assert.equal(decode(" Y W J j ", "base64"), "\\x616263");
  assert.equal(sqlState(() => decode("YQ=", "base64")), "22023: invalid base64 end sequence");
  assert.equal(sqlState(() => decode("Y===", "base64")),
    '22023: unexpected "=" while decoding base64 sequence');
  assert.equal(sqlState(() => decode("Y@Q=", "base64")),
    '22023: invalid symbol "@" found while decoding base64 sequence');
  assert.equal(decode("ab cd", "hex"), "\\xabcd");
  assert.equal(sqlState(() => decode("a b", "hex")), '22023: invalid hexadecimal digit: " "');
  assert.equal(sqlState(() => decode("abc", "hex")),
    "22023: invalid hexadecimal data: odd number of digits");
});

test("VARIADIC arrays spread into format, concat and concat_ws", () => {
  const session = testContext();
  const variadic = (name: string, fixed: Value[], array: Value): Value => {
    const def = lookupFunction(name).find((d) =>
      d.kind === "scalar" && d.argTypes.length === fixed.length + 1);
    if (def === undefined || def.kind !== "scalar") throw new Error(`no ${name}`);
    const argTypes = [...fixed.map(() => T.text), T.textArray];
    return def.impl([...fixed, array], session,
      { argTypes, returnType: T.text, variadicArray: true });
  };
  const ab = makeArray(T.text, ["a", null, "b"]);
  assert.equal(variadic("format", ["%3$s %1$s|%2$s|"], ab), "b a||");
  assert.equal(variadic("format", ["x"], null), "x");
  assert.equal(variadic("concat", [], ab), "ab");
  assert.equal(variadic("concat", [], null), null);
  assert.equal(variadic("concat_ws", ["-"], ab), "a-b");
  assert.equal(variadic("concat_ws", ["-"], null), null);
});
