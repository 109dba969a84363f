import { test } from "node:test";
import assert from "node:assert/strict";
import { SqlError } from "@tessera/base";
import { formatJsonb, parseJsonb, parseJsonbLexed } from "./jsonb.js";
import { parseJsonbPlain } from "./jsonb-scan.js";
import { makeObject, makeObjectOwned } from "./jsonb-build.js";
import type { Jsonb } from "./value.js";

const plain = [
  '{"humidity": 63.2, "temperature": 51.3, "status": "ok"}',
  '{"b": 1, "a": [1, 2.50], "a": true}',
  ' { "x" : -0 , "y":1e5,"z":-1.25E-3, "w": 0.0 } ',
  '[]', '{}', ' [ ] ', '{ }', '"text"', '""', 'true', 'false', 'null', '12', '-0.5',
  '[1, [2, [3, {"k": null}]], {"": ""}]',
  '{"é": 1, "e": 2, "ée": 3, "aa": 4}',
  '\n{\t"a":\r\n1}\n',
  '{"a": {"a": {"a": 1}}, "a": 2}',
  '[true,false,null,"x",1.5e+10]',
];

const declined = [
  '{"a\\"b": 1}', '"\\u00e9"', '"tab\\there"', '{"a": "\\/"}',
  '', ' ', '{', '}', '[1,]', '{"a" 1}', '{"a": 1,}', '{a: 1}', '01', '1.', '-', '.5',
  '1e', '1e+', 'tru', 'truex', 'nul', '1x', '[1] x', '"open', '{"a": 1} {', "'a'",
  '"\u0001"', '[1 2]', '{"a": 1 "b": 2}', '\u00a01', 'NaN', '-Infinity', '1_0',
  '['.repeat(100) + ']'.repeat(100),
];

test("plain text parses to exactly the full parser's tree", () => {
  for (const text of plain) {
    const fast = parseJsonbPlain(text);
    assert.notEqual(fast, undefined, text);
    assert.deepStrictEqual(fast, parseJsonbLexed(text), text);
    assert.equal(formatJsonb(parseJsonb(text)), formatJsonb(parseJsonbLexed(text)), text);
  }
  assert.equal(formatJsonb(parseJsonb(plain[1]!)), '{"a": true, "b": 1}');
  assert.equal(formatJsonb(parseJsonb(plain[2]!)), '{"w": 0.0, "x": 0, "y": 100000, ' +
    '"z": -0.00125}');
});

test("escapes, deep nesting and bad input go to the full parser", () => {
  for (const text of declined) {
    assert.equal(parseJsonbPlain(text), undefined, text);
    let lexed: unknown;
    try {
      lexed = formatJsonb(parseJsonbLexed(text));
    } catch (error) {
      assert.ok(error instanceof SqlError, text);
      assert.throws(() => parseJsonb(text), (e: unknown) =>
        e instanceof SqlError && e.message === error.message &&
        e.fields.detail === error.fields.detail, text);
      continue;
    }
    assert.equal(formatJsonb(parseJsonb(text)), lexed, text);
  }
});

test("objects sorted in place match makeObject, duplicates and UTF-8 lengths included", () => {
  const keys = ["a", "b", "aa", "é", "e", "ab", "", "zz", "\u{1F600}", "ba", "B", "a~", "~"];
  let seed = 7;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let round = 0; round < 2000; round++) {
    const entries: [string, Jsonb][] = [];
    const count = random(15);
    for (let i = 0; i < count; i++) entries.push([keys[random(keys.length)]!, String(i)]);
    const ascii = entries.every(([key]) => /^[\x00-\x7f]*$/.test(key));
    assert.deepStrictEqual(makeObjectOwned(entries.slice(), false), makeObject(entries));
    if (ascii) assert.deepStrictEqual(makeObjectOwned(entries.slice(), true), makeObject(entries));
  }
});

test("shared short strings are equal to the text they stand for", () => {
  const docs = ['{"status": "ok"}', '{"status": "ko"}', '{"statuz": "ok"}', '{"s": "o", "": ""}'];
  for (let round = 0; round < 3; round++) {
    for (const text of docs) assert.deepStrictEqual(parseJsonbPlain(text), parseJsonbLexed(text));
  }
});
