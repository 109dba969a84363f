/**
 * to_tsvector over json and jsonb: the string values (json(b)_to_tsvector's flags add keys,
 * numbers and booleans), in document order for json and in jsonb's key order for jsonb, each
 * parsed on its own; after a value that gave lexemes the position skips one, so phrases
 * never span two values.
 *
 *   to_tsvector('english', '{"b": "fat cats", "a": "rats"}'::jsonb) -> 'cat':4 'fat':3 'rat':1
 */
import { SqlError, SqlState } from "@tessera/base";
import { formatJsonb } from "../../types/jsonb.js";
import type { Jsonb, Value } from "../../types/value.js";
import {
  MAX_POSITION, makePosition, normalizeLexemes, type TsVector,
} from "../../types/tsvector.js";
import { Token } from "../../types/json-lex.js";
import { parseJsonSpans } from "../json-ops.js";
import { parseTextCounted } from "./ts-config.js";

type JsonSpan = ReturnType<typeof parseJsonSpans>;

/** What of a document json(b)_to_tsvector reads: its flag array, as bits. */
export const JsonParts = { string: 1, numeric: 2, boolean: 4, key: 8, all: 15 } as const;

function jsonStrings(node: JsonSpan, parts: number, out: string[]): string[] {
  if (node.kind === "object") {
    for (const [key, member] of node.members) {
      if ((parts & JsonParts.key) !== 0) out.push(key);
      jsonStrings(member, parts, out);
    }
  } else if (node.kind === "array") {
    for (const item of node.items) jsonStrings(item, parts, out);
  } else if (node.token === Token.String) {
    if ((parts & JsonParts.string) !== 0) out.push(node.text);
  } else if (node.token === Token.Number) {
    if ((parts & JsonParts.numeric) !== 0) out.push(node.raw);
  } else if (node.token === Token.True || node.token === Token.False) {
    if ((parts & JsonParts.boolean) !== 0) out.push(node.token === Token.True ? "true" : "false");
  }
  return out;
}

function jsonbStrings(value: Jsonb, parts: number, out: string[]): string[] {
  if (typeof value === "string") {
    if ((parts & JsonParts.string) !== 0) out.push(value);
  } else if (typeof value === "boolean") {
    if ((parts & JsonParts.boolean) !== 0) out.push(value ? "true" : "false");
  } else if (Array.isArray(value)) {
    for (const item of value as readonly Jsonb[]) jsonbStrings(item, parts, out);
  } else if (value !== null && typeof value === "object" && "kind" in value) {
    if (value.kind === "object") {
      for (const [key, member] of value.entries) {
        if ((parts & JsonParts.key) !== 0) out.push(key);
        jsonbStrings(member, parts, out);
      }
    } else if (value.kind === "number" && (parts & JsonParts.numeric) !== 0) {
      out.push(formatJsonb(value));
    }
  }
  return out;
}

function flagError(message: string): SqlError {
  return new SqlError(SqlState.invalidParameterValue, message);
}

/** Reads a flag array ('["string", "key"]' or '"all"'), as parse_jsonb_index_flags. */
export function jsonPartsOf(flags: Jsonb): number {
  const one = (flag: Jsonb): number => {
    if (typeof flag !== "string") throw flagError("flag array element is not a string");
    const bit = JsonParts[flag.toLowerCase() as keyof typeof JsonParts];
    if (bit === undefined) throw flagError(`wrong flag in flag array: "${flag}"`);
    return bit;
  };
  if (typeof flags === "string") return one(flags);
  if (!Array.isArray(flags)) {
    throw flagError("wrong flag type, only arrays and scalars are allowed");
  }
  let parts = 0;
  for (const flag of flags as readonly Jsonb[]) parts |= one(flag);
  return parts;
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

export function jsonVector(config: number, json: Value, parts: number = JsonParts.string):
  TsVector {
  return stringsVector(config, jsonStrings(parseJsonSpans(json as string), parts, []));
}

export function jsonbVector(config: number, jsonb: Value, parts: number = JsonParts.string):
  TsVector {
  return stringsVector(config, jsonbStrings(jsonb as Jsonb, parts, []));
}
