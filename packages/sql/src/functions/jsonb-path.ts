/**
 * Path edits on jsonb: jsonb_set, jsonb_insert and the #- operator, walking a text[] path into
 * nested objects and arrays and rebuilding the containers on the way back up.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Jsonb, PgArray, Value } from "../types/value.js";
import { str } from "./builders.js";
import { isJsonArray, isJsonObject, makeObject } from "./jsonb-util.js";

type Edit = (container: Jsonb, key: string) => Jsonb;

function walk(v: Jsonb, path: readonly string[], depth: number, edit: Edit): Jsonb {
  const key = path[depth];
  if (key === undefined) return v;
  if (depth === path.length - 1) return edit(v, key);
  if (isJsonObject(v)) {
    const child = v.entries.find(([k]) => k === key);
    if (child === undefined) return v;
    return makeObject(
      v.entries.map(([k, x]) => [k, k === key ? walk(x, path, depth + 1, edit) : x] as const),
    );
  }
  if (isJsonArray(v)) {
    const i = arrayIndex(key, v.length, depth);
    if (i < 0 || i >= v.length) return v;
    return v.map((x, j) => (j === i ? walk(x, path, depth + 1, edit) : x));
  }
  return v;
}

function arrayIndex(key: string, length: number, depth: number): number {
  if (!/^\s*-?\d+\s*$/.test(key)) {
    throw new SqlError(
      SqlState.invalidTextRepresentation,
      `path element at position ${depth + 1} is not an integer: "${key}"`,
    );
  }
  const n = Number(key);
  return n < 0 ? length + n : n;
}

export function deletePath(v: Jsonb, path: readonly string[]): Jsonb {
  if (!isJsonArray(v) && !isJsonObject(v)) {
    throw new SqlError(SqlState.invalidParameterValue, "cannot delete path in scalar");
  }
  if ((isJsonArray(v) && v.length === 0) || (isJsonObject(v) && v.entries.length === 0)) return v;
  return walk(v, path, 0, (container, key) => {
    if (isJsonObject(container)) return makeObject(container.entries.filter(([k]) => k !== key));
    if (isJsonArray(container)) {
      const i = arrayIndex(key, container.length, path.length - 1);
      return container.filter((_x, j) => j !== i);
    }
    return container;
  });
}

/** jsonb_set: replaces (or with create, adds) the value at `path`. */
export function jsonbSet(v: Jsonb, path: readonly string[], value: Jsonb, create: boolean): Jsonb {
  if (!isJsonArray(v) && !isJsonObject(v)) {
    throw new SqlError(SqlState.invalidParameterValue, "cannot set path in scalar");
  }
  return walk(v, path, 0, (container, key) => {
    if (isJsonObject(container)) {
      const exists = container.entries.some(([k]) => k === key);
      if (!exists && !create) return container;
      return makeObject([...container.entries.filter(([k]) => k !== key), [key, value]]);
    }
    if (isJsonArray(container)) {
      const n = Number(arrayIndex(key, container.length, path.length - 1));
      const raw = Number(key);
      if (n >= 0 && n < container.length) return container.map((x, j) => (j === n ? value : x));
      if (!create) return container;
      return raw < 0 ? [value, ...container] : [...container, value];
    }
    return container;
  });
}

/** jsonb_insert: inserts before (or after) the array element at `path`, or adds a new key. */
export function jsonbInsert(
  v: Jsonb,
  path: readonly string[],
  value: Jsonb,
  after: boolean,
): Jsonb {
  if (!isJsonArray(v) && !isJsonObject(v)) {
    throw new SqlError(SqlState.invalidParameterValue, "cannot set path in scalar");
  }
  return walk(v, path, 0, (container, key) => {
    if (isJsonObject(container)) {
      if (container.entries.some(([k]) => k === key)) {
        throw new SqlError(SqlState.invalidParameterValue, "cannot replace existing key", {
          hint: "Try using the function jsonb_set to replace key value.",
        });
      }
      return makeObject([...container.entries, [key, value]]);
    }
    if (isJsonArray(container)) {
      let n = Number(arrayIndex(key, container.length, path.length - 1));
      if (n < 0) n = 0;
      if (n > container.length) n = container.length;
      const at = after && n < container.length ? n + 1 : n;
      return [...container.slice(0, at), value, ...container.slice(at)];
    }
    return container;
  });
}

/** A text[] path argument; a null element raises 22004 as PostgreSQL does. */
export function pathOf(v: Value): string[] {
  return (v as PgArray).items.map((x, i) => {
    if (x === null) {
      throw new SqlError(SqlState.nullValueNotAllowed, `path element at position ${i + 1} is null`);
    }
    return str(x);
  });
}
