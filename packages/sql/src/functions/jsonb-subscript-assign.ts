/**
 * Assignment through jsonb subscripts, `UPDATE t SET doc['a']['b'][2] = '1'` (PostgreSQL's
 * jsonb_subscript_assign: setPath with create, fill-gaps and consistent-position). Missing keys
 * are added; a missing path is built, an integer subscript making an array padded with nulls;
 * an array index past the end pads with nulls; a negative index counts from the end and may not
 * reach before the start; a scalar on the way is an error. An SQL NULL source becomes an empty
 * array when the first subscript is an integer, else an empty object; an SQL NULL value is
 * JSON null.
 *
 *   {"a": 1} ['b']['c'] := 2   ->  {"a": 1, "b": {"c": 2}}
 *   [1] [3] := 9               ->  [1, null, null, 9]
 *   null ['x'][1] := true      ->  {"x": [null, true]}
 */
import { SqlError, SqlState } from "@tessera/base";
import { JSONB_NULL, type Jsonb, type Value } from "../types/value.js";
import { isJsonArray, isJsonObject, makeObject } from "./jsonb-util.js";

/** strtoint: optional blanks and sign, digits, nothing after; undefined when not an integer. */
function integerOf(text: string): number | undefined {
  if (!/^\s*[+-]?\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= -2147483648 && n <= 2147483647 ? n : undefined;
}

const nulls = (count: number): Jsonb[] => Array.from({ length: Math.max(0, count) },
  () => JSONB_NULL);

/** The containers push_path builds for path[from..]: arrays for integers, else objects. */
function buildPath(path: readonly string[], from: number, value: Jsonb): Jsonb {
  let result = value;
  for (let i = path.length - 1; i >= from; i--) {
    const key = path[i]!;
    const index = integerOf(key);
    result = index === undefined ? makeObject([[key, result]]) : [...nulls(index), result];
  }
  return result;
}

function scalarOnPath(): SqlError {
  return new SqlError(SqlState.invalidParameterValue, "cannot replace existing key", {
    detail: "The path assumes key is a composite object, but it is a scalar value.",
  });
}

function assignAt(v: Jsonb, path: readonly string[], level: number, value: Jsonb): Jsonb {
  const key = path[level]!;
  const last = level === path.length - 1;
  if (isJsonObject(v)) {
    const found = v.entries.find(([k]) => k === key);
    const next = found === undefined ? (last ? value : buildPath(path, level + 1, value))
      : (last ? value : assignAt(found[1], path, level + 1, value));
    return makeObject([...v.entries.filter(([k]) => k !== key), [key, next]]);
  }
  if (!isJsonArray(v)) throw scalarOnPath();
  let index = integerOf(key);
  if (index === undefined) {
    throw new SqlError(SqlState.invalidTextRepresentation,
      `path element at position ${level + 1} is not an integer: "${key}"`);
  }
  if (index < 0) {
    if (-index > v.length) {
      throw new SqlError(SqlState.invalidParameterValue,
        `path element at position ${level + 1} is out of range: ${index}`);
    }
    index += v.length;
  }
  if (index < v.length) {
    const item = v[index]!;
    const next = last ? value : assignAt(item, path, level + 1, value);
    return v.map((x, j) => (j === index ? next : x));
  }
  const added = last ? value : buildPath(path, level + 1, value);
  return [...v, ...nulls(index - v.length), added];
}

/**
 * Returns `source` with the value at `path` set to `value`; `expectArray` (the first subscript
 * is an integer) picks the container an SQL NULL source starts as. Null subscripts raise 22004.
 */
export function jsonbSubscriptAssign(source: Value, path: readonly Value[],
  expectArray: boolean, value: Value): Jsonb {
  const keys = path.map((p) => {
    if (p === null) {
      throw new SqlError(SqlState.nullValueNotAllowed,
        "jsonb subscript in assignment must not be null");
    }
    return String(p);
  });
  const base: Jsonb = source === null ? (expectArray ? [] : makeObject([])) : source as Jsonb;
  const newValue: Jsonb = value === null ? JSONB_NULL : value as Jsonb;
  if (!isJsonObject(base) && !isJsonArray(base)) throw scalarOnPath();
  return keys.length === 0 ? base : assignAt(base, keys, 0, newValue);
}
