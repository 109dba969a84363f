/**
 * to_tsvector over json and jsonb: the string values (not keys, numbers or booleans), in
 * document order for json and in jsonb's key order for jsonb, each parsed on its own; after
 * a string that gave lexemes the position skips one, so phrases never span two values.
 *
 *   to_tsvector('english', '{"b": "fat cats", "a": "rats"}'::jsonb) -> 'cat':4 'fat':3 'rat':1
 */
import type { Jsonb, Value } from "../../types/value.js";
import {
  MAX_POSITION, makePosition, normalizeLexemes, type TsVector,
} from "../../types/tsvector.js";
import { Token } from "../../types/json-lex.js";
import { parseJsonSpans } from "../json-ops.js";
import { parseTextCounted } from "./ts-config.js";

type JsonSpan = ReturnType<typeof parseJsonSpans>;

function jsonStrings(node: JsonSpan, out: string[]): string[] {
  if (node.kind === "object") for (const [, member] of node.members) jsonStrings(member, out);
  else if (node.kind === "array") for (const item of node.items) jsonStrings(item, out);
  else if (node.token === Token.String) out.push(node.text);
  return out;
}

function jsonbStrings(value: Jsonb, out: string[]): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) {
    for (const item of value as readonly Jsonb[]) jsonbStrings(item, out);
  }
  else if (value !== null && typeof value === "object" && "kind" in value &&
    value.kind === "object") {
    for (const [, member] of value.entries) jsonbStrings(member, out);
  }
  return out;
}

function stringsVector(config: number, strings: readonly string[]): TsVector {
  const byWord = new Map<string, number[]>();
  let base = 0;
  for (const text of strings) {
    const { words, positions } = parseTextCounted(config, text);
    for (const { word, pos } of words) {
      const at = Math.min(base + pos, MAX_POSITION);
      const list = byWord.get(word);
      if (list === undefined) byWord.set(word, [at]);
      else if (list[list.length - 1] !== at) list.push(at);
    }
    base += positions + (words.length > 0 ? 1 : 0);
  }
  return normalizeLexemes([...byWord].map(([word, list]) =>
    ({ word, positions: list.map((p) => makePosition(p, 0)) })));
}

export function jsonVector(config: number, json: Value): TsVector {
  return stringsVector(config, jsonStrings(parseJsonSpans(json as string), []));
}

export function jsonbVector(config: number, jsonb: Value): TsVector {
  return stringsVector(config, jsonbStrings(jsonb as Jsonb, []));
}
