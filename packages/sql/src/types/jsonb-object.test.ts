import { test } from "node:test";
import assert from "node:assert/strict";
import { makeObject, utf8Length } from "./jsonb.js";
import { compareText } from "./text.js";
import type { Jsonb } from "./value.js";

/** The general sort: by UTF-8 length, then bytes, the last duplicate winning. */
function reference(entries: readonly (readonly [string, Jsonb])[]): (readonly [string, Jsonb])[] {
  const indexed = entries.map((entry, index) => ({ entry, index, bytes: utf8Length(entry[0]) }));
  indexed.sort((a, b) =>
    a.bytes - b.bytes || compareText(a.entry[0], b.entry[0]) || b.index - a.index);
  const result: (readonly [string, Jsonb])[] = [];
  for (const item of indexed) {
    if (result[result.length - 1]?.[0] === item.entry[0]) continue;
    result.push(item.entry);
  }
  return result;
}

test("small objects sort and deduplicate as large ones do", () => {
  let seed = 3;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const alphabet = ["a", "b", "z", "é", "😀", "\uffff", "A"];
  for (let round = 0; round < 5000; round++) {
    const entries: [string, Jsonb][] = [];
    const count = random(14);
    for (let i = 0; i < count; i++) {
      let key = "";
      for (let k = random(4); k > 0; k--) key += alphabet[random(alphabet.length)];
      entries.push([key, String(i)]);
    }
    assert.deepEqual(makeObject(entries).entries, reference(entries), JSON.stringify(entries));
  }
});
