import { test } from "node:test";
import assert from "node:assert/strict";
import { formatJsonb, parseJsonb, parseJsonbLexed } from "./jsonb.js";
import { depthMax } from "./jsonb-scan.js";
import { canonicalJsonbObject, JsonbTextObject, jsonbTextOf } from "./jsonb-text.js";
import type { JsonbObject } from "./value.js";

/** Objects the canonical scan keeps as text: printed as jsonb_out, entries as the parser's. */
const kept = [
  '{"humidity": 43.2, "temperature": 56.2, "status": "ok"}',
  '{"b": 1, "a": [1, 2.50], "a": true}',
  '{}', ' { } ', '{"a":{}}', '{"a": [ ]}', '{"a":1}', '{"a" : 1}', '{"a":\t1}', '{"a":  1}',
  '{"a": 0.10, "b": -12.500, "c": 0.000, "d": -0.01}',
  '{"é": 1, "e": 2, "ée": 3, "aa": 4, "ab": {"z": [1, {"y": null, "x": false}]}}',
  '{"😀": 1, "\uffff": 2, "a": 3}', '{"a": "😀\uffff", "": ""}',
  '{"k": 1, "k": 2, "j": 3, "k": 4}', '{"a": {"a": {"a": 1}}, "a": 2}',
  '\n{\t"b": {"d": 1, "c": 2}, "a": [ {"y":1,"x":[]} ]}\n',
  '{"a": true , "b":false,"c" :null}',
  '{"a":' .repeat(depthMax) + "1" + "}".repeat(depthMax),
];

/** Left to the tree parsers: escapes, exponents, negative zero, size limits, errors. */
const declined = [
  '{"a": "x\\"y"}', '{"a\\n": 1}', '{"a": "\\u00e9"}', '{"a": 1e2}', '{"a": -2E-2}',
  '{"a": -0}', '{"a": -0.00}', '{"a": [-0.0]}', '{"a":"\u0001"}',
  '{"a":' .repeat(depthMax + 1) + "1" + "}".repeat(depthMax + 1),
  `{"a": ${"1".repeat(101)}}`,
  JSON.stringify(Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, i]))),
  '[1]', '"a"', "1", "null", "", "{", '{"a": 1,}', '{"a": 1} x', '{"a": 01}', '{"a": 1.}',
  '{"a": tru}', '{"a": truex}', '{"a": [1,2,]}', '{"a": 1.5.3}', '{a: 1}', '{"a" 1}',
];

/** Checks a text object against the tree parser's: output, fields read from text, entries. */
function expectSame(text: string, value: JsonbObject): void {
  const tree = parseJsonbLexed(text) as JsonbObject;
  assert.equal(formatJsonb(value), formatJsonb(tree), text);
  if (value instanceof JsonbTextObject) {
    const fresh = new JsonbTextObject(value.text);
    for (const key of [...tree.entries.map(([k]) => k), "missing", "", "a"]) {
      const want = tree.entries.find(([k]) => k === key)?.[1];
      assert.deepStrictEqual(fresh.member(key), want, `${text} -> ${key}`);
    }
  }
  assert.deepStrictEqual(value.entries, tree.entries, text);
  if (value instanceof JsonbTextObject) {
    for (const [key, item] of tree.entries) assert.deepStrictEqual(value.member(key), item);
  }
}

test("plain objects are kept as their jsonb_out text", () => {
  for (const text of kept) {
    const value = canonicalJsonbObject(text);
    assert.ok(value instanceof JsonbTextObject, text);
    assert.equal(jsonbTextOf(value), value.text);
    expectSame(text, value);
    assert.ok(parseJsonb(text) instanceof JsonbTextObject, text);
  }
  assert.equal(canonicalJsonbObject(kept[0]!)!.text,
    '{"status": "ok", "humidity": 43.2, "temperature": 56.2}');
  assert.equal(canonicalJsonbObject(kept[1]!)!.text, '{"a": true, "b": 1}');
});

test("anything jsonb_out would print differently is declined", () => {
  for (const text of declined) {
    assert.equal(canonicalJsonbObject(text), undefined, text);
    let want: string | Error;
    let got: string | Error;
    try { want = formatJsonb(parseJsonbLexed(text)); } catch (e) { want = e as Error; }
    try { got = formatJsonb(parseJsonb(text)); } catch (e) { got = e as Error; }
    if (want instanceof Error) assert.deepStrictEqual(got, want, text);
    else assert.equal(got, want, text);
  }
});

test("random documents print as the tree parser's", () => {
  let seed = 7;
  const pick = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const space = (): string => [" ", "", "", "\t", "\n ", "  "][pick(6)]!;
  const words = ["a", "b", "aa", "ab", "é", "😀", "\uffff", "key", "", "a b", "x\ny"];
  const numbers = ["0", "-0", "1", "-1", "12.50", "0.0", "-0.00", "3.14", "1e3", "-2E-2"];
  const value = (depth: number): string => {
    switch (pick(depth > 3 ? 4 : 6)) {
      case 0: return numbers[pick(numbers.length)]!;
      case 1: return JSON.stringify(words[pick(words.length)]);
      case 2: return ["true", "false", "null"][pick(3)]!;
      case 3: return '"s"';
      case 4: return object(depth + 1);
      default: return "[" + space() + Array.from({ length: pick(4) }, () => value(depth + 1))
        .join(space() + "," + space()) + space() + "]";
    }
  };
  const object = (depth: number): string => "{" + space() +
    Array.from({ length: pick(6) }, () =>
      JSON.stringify(words[pick(words.length)]) + space() + ":" + space() + value(depth))
      .join(space() + "," + space()) + space() + "}";
  let keptCount = 0;
  for (let i = 0; i < 3000; i++) {
    const text = object(0);
    const parsed = parseJsonb(text);
    assert.equal(formatJsonb(parsed), formatJsonb(parseJsonbLexed(text)), text);
    if (parsed instanceof JsonbTextObject) {
      keptCount++;
      expectSame(text, parsed);
    }
  }
  assert.ok(keptCount > 1000, "most random documents are plain");
});
