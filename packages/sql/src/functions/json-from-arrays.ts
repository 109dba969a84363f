/**
 * json and jsonb built from SQL arrays and rows: json_object / jsonb_object (a text array of
 * alternating keys and values, a two-column array, or separate key and value arrays),
 * array_to_json and row_to_json with their `pretty` flag (a line break after each top-level
 * element).
 *
 *   json_object('{a,1,b,2}')        -> {"a" : "1", "b" : "2"}
 *   jsonb_object('{a,b}', '{1,2}')  -> {"a": "1", "b": "2"}
 *   array_to_json('{1,2}', true)    -> [1,\n 2]
 */
import { SqlError, SqlState } from "@tessera/base";
import { JSONB_NULL, type Jsonb, type PgArray, type Value } from "../types/value.js";
import { fn, str } from "./builders.js";
import type { CallInfo, EvalContext, ScalarFunction } from "./defs.js";
import { jsonTextOf } from "./json-text.js";
import { makeObject } from "./jsonb-util.js";
import { jsonString } from "./text-out.js";
import { T } from "./type-oids.js";
import { sessionZone } from "./tz.js";

type Pairs = [string, string | null][];

function subscriptError(message: string): SqlError {
  return new SqlError(SqlState.arraySubscriptError, message);
}

function keyOf(v: Value): string {
  if (v === null) {
    throw new SqlError(SqlState.nullValueNotAllowed, "null value not allowed for object key");
  }
  return str(v);
}

/** Pairs of a one-argument json_object: `{k,v,k,v}` or `{{k,v},{k,v}}`. */
function pairsOfOne(a: PgArray): Pairs {
  const dims = a.dims;
  if (dims.length === 1 && (dims[0] ?? 0) % 2 !== 0) {
    throw subscriptError("array must have even number of elements");
  }
  if (dims.length === 2 && dims[1] !== 2) throw subscriptError("array must have two columns");
  if (dims.length > 2) throw subscriptError("wrong number of array subscripts");
  const out: Pairs = [];
  for (let i = 0; i + 1 < a.items.length; i += 2) {
    const value = a.items[i + 1] ?? null;
    out.push([keyOf(a.items[i] ?? null), value === null ? null : str(value)]);
  }
  return out;
}

/** Pairs of a two-argument json_object: keys and values side by side. */
function pairsOfTwo(keys: PgArray, values: PgArray): Pairs {
  if (keys.dims.length > 1 || keys.dims.length !== values.dims.length) {
    throw subscriptError("wrong number of array subscripts");
  }
  if (keys.items.length !== values.items.length) {
    throw subscriptError("mismatched array dimensions");
  }
  return keys.items.map((k, i) => {
    const value = values.items[i] ?? null;
    return [keyOf(k), value === null ? null : str(value)];
  });
}

function jsonObjectText(pairs: Pairs): string {
  const parts = pairs.map(([k, v]) => `${jsonString(k)} : ${v === null ? "null" : jsonString(v)}`);
  return `{${parts.join(", ")}}`;
}

function jsonbObjectOf(pairs: Pairs): Jsonb {
  return makeObject(pairs.map(([k, v]): [string, Jsonb] => [k, v === null ? JSONB_NULL : v]));
}

/** json text of an array or row; `pretty` breaks the line after each top-level element. */
function prettyJson(v: Value, ctx: EvalContext, call: CallInfo, pretty: boolean): string {
  const zone = sessionZone((n) => ctx.setting(n));
  return jsonTextOf(v, call.argTypes[0] ?? T.record, zone, pretty);
}

export function jsonFromArrayFunctions(): ScalarFunction[] {
  const arr = (v: Value | undefined): PgArray => v as PgArray;
  const stable = { volatility: "s" } as const;
  return [
    fn("json_object", [T.textArray], T.json, (a) => jsonObjectText(pairsOfOne(arr(a[0])))),
    fn("json_object", [T.textArray, T.textArray], T.json,
      (a) => jsonObjectText(pairsOfTwo(arr(a[0]), arr(a[1])))),
    fn("jsonb_object", [T.textArray], T.jsonb, (a) => jsonbObjectOf(pairsOfOne(arr(a[0])))),
    fn("jsonb_object", [T.textArray, T.textArray], T.jsonb,
      (a) => jsonbObjectOf(pairsOfTwo(arr(a[0]), arr(a[1])))),
    fn("array_to_json", [T.anyarray], T.json, (a, c, call) => prettyJson(a[0] ?? null, c, call,
      false), stable),
    fn("array_to_json", [T.anyarray, T.bool], T.json,
      (a, c, call) => prettyJson(a[0] ?? null, c, call, a[1] === true), stable),
    fn("row_to_json", [T.record, T.bool], T.json,
      (a, c, call) => prettyJson(a[0] ?? null, c, call, a[1] === true), stable),
  ];
}
