/**
 * jsonb operators (PostgreSQL docs tables 9.45 and 9.46): -> ->> #> #>> @> <@ ? ?| ?& || -
 * #-. Paths and keys arrive as text and text[]; array indexes count from the end when
 * negative, as PostgreSQL does.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Jsonb, PgArray, Value } from "../types/value.js";
import type { OperatorDef } from "./defs.js";
import { op, str } from "./builders.js";
import { compareJsonb } from "./compare.js";
import { jsonbToText } from "./text-out.js";
import { isJsonArray, isJsonNull, isJsonObject, makeObject } from "./jsonb-util.js";
import { JsonbTextObject } from "../types/jsonb-text.js";
import { deletePath, pathOf } from "./jsonb-path.js";
import { T } from "./type-oids.js";

const J = (v: Value): Jsonb => v as Jsonb;

/** Returns the field `key` of an object, or element `key` (an integer) of an array. */
export function jsonGet(v: Jsonb, key: string | number): Jsonb | undefined {
  if (typeof key === "number") {
    if (!isJsonArray(v)) return undefined;
    const index = key < 0 ? v.length + key : key;
    return v[index];
  }
  if (!isJsonObject(v)) return undefined;
  if (v instanceof JsonbTextObject) return v.member(key);
  const entries = v.entries;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (entry[0] === key) return entry[1];
  }
  return undefined;
}

/**
 * Treats a top-level scalar as the one-element array jsonb stores it as, so `'"x"' -> 0` is
 * "x" as in PostgreSQL (only the root: a nested scalar is no array).
 */
function asRoot(v: Jsonb): Jsonb {
  return isJsonArray(v) || isJsonObject(v) ? v : [v];
}

/** Returns jsonb as ->> does: strings unquoted, json null as SQL null. */
export function jsonText(v: Jsonb | undefined): Value {
  if (v === undefined || isJsonNull(v)) return null;
  return typeof v === "string" ? v : jsonbToText(v);
}

export function jsonPath(v: Jsonb, path: PgArray): Jsonb | undefined {
  // As jsonb_get_element: a scalar yields itself for an empty path, else nothing.
  if (path.items.length > 0 && !isJsonArray(v) && !isJsonObject(v)) return undefined;
  let current: Jsonb | undefined = v;
  for (const key of path.items) {
    if (current === undefined || key === null) return undefined;
    current = isJsonArray(current)
      ? /^-?\d+$/.test(key as string)
        ? jsonGet(current, Number(key))
        : undefined
      : jsonGet(current, key as string);
  }
  return current;
}

/** Returns true when `a` contains `b` (jsonb @>). */
export function contains(a: Jsonb, b: Jsonb): boolean {
  if (isJsonObject(b)) {
    if (!isJsonObject(a)) return false;
    return b.entries.every(([k, bv]) => {
      const av = jsonGet(a, k);
      return av !== undefined && containsNested(av, bv);
    });
  }
  if (isJsonArray(b)) {
    if (!isJsonArray(a)) return false;
    return b.every((bv) => a.some((av) => containsNested(av, bv)));
  }
  if (isJsonArray(a))
    return a.some((av) => !isJsonArray(av) && !isJsonObject(av) && compareJsonb(av, b) === 0);
  return compareJsonb(a, b) === 0;
}

function containsNested(a: Jsonb, b: Jsonb): boolean {
  if (isJsonObject(b) || isJsonArray(b)) {
    if (isJsonArray(b) !== isJsonArray(a)) return false;
    return contains(a, b);
  }
  return !isJsonArray(a) && !isJsonObject(a) && compareJsonb(a, b) === 0;
}

/** Returns true when the key exists at top level (or as a string element of an array). */
export function hasKey(v: Jsonb, key: string): boolean {
  if (isJsonObject(v)) return jsonGet(v, key) !== undefined;
  if (isJsonArray(v)) return v.some((x) => x === key);
  return v === key;
}

/** jsonb || jsonb: objects merge (right wins), anything else concatenates as arrays. */
export function concatJsonb(a: Jsonb, b: Jsonb): Jsonb {
  if (isJsonObject(a) && isJsonObject(b)) return makeObject([...a.entries, ...b.entries]);
  const left = isJsonArray(a) ? a : [a];
  const right = isJsonArray(b) ? b : [b];
  return [...left, ...right];
}

export function deleteKey(v: Jsonb, key: string): Jsonb {
  if (isJsonObject(v)) return makeObject(v.entries.filter(([k]) => k !== key));
  if (isJsonArray(v)) return v.filter((x) => x !== key);
  throw new SqlError(SqlState.invalidParameterValue, "cannot delete from scalar");
}

export function deleteIndex(v: Jsonb, index: number): Jsonb {
  if (isJsonObject(v)) {
    throw new SqlError(
      SqlState.invalidParameterValue,
      "cannot delete from object using integer index",
    );
  }
  if (!isJsonArray(v))
    throw new SqlError(SqlState.invalidParameterValue, "cannot delete from scalar");
  const i = index < 0 ? v.length + index : index;
  return v.filter((_x, j) => j !== i);
}

const texts = (v: Value): string[] =>
  (v as PgArray).items.filter((x): x is string => x !== null).map(str);

export function jsonbOperators(): OperatorDef[] {
  return [
    op("->", T.jsonb, T.text, T.jsonb, (l, r) => jsonGet(J(l), str(r)) ?? null),
    op("->", T.jsonb, T.int4, T.jsonb, (l, r) => jsonGet(asRoot(J(l)), r as number) ?? null),
    op("->>", T.jsonb, T.text, T.text, (l, r) => jsonText(jsonGet(J(l), str(r)))),
    op("->>", T.jsonb, T.int4, T.text,
      (l, r) => jsonText(jsonGet(asRoot(J(l)), r as number))),
    op("#>", T.jsonb, T.textArray, T.jsonb, (l, r) => jsonPath(J(l), r as PgArray) ?? null),
    op("#>>", T.jsonb, T.textArray, T.text, (l, r) => jsonText(jsonPath(J(l), r as PgArray))),
    op("@>", T.jsonb, T.jsonb, T.bool, (l, r) => contains(J(l), J(r)), { commutator: "<@" }),
    op("<@", T.jsonb, T.jsonb, T.bool, (l, r) => contains(J(r), J(l)), { commutator: "@>" }),
    op("?", T.jsonb, T.text, T.bool, (l, r) => hasKey(J(l), str(r))),
    op("?|", T.jsonb, T.textArray, T.bool, (l, r) => texts(r).some((k) => hasKey(J(l), k))),
    op("?&", T.jsonb, T.textArray, T.bool, (l, r) => texts(r).every((k) => hasKey(J(l), k))),
    op("||", T.jsonb, T.jsonb, T.jsonb, (l, r) => concatJsonb(J(l), J(r))),
    op("-", T.jsonb, T.text, T.jsonb, (l, r) => deleteKey(J(l), str(r))),
    op("-", T.jsonb, T.int4, T.jsonb, (l, r) => deleteIndex(J(l), r as number)),
    op("-", T.jsonb, T.textArray, T.jsonb, (l, r) => texts(r).reduce(deleteKey, J(l))),
    op("#-", T.jsonb, T.textArray, T.jsonb, (l, r) => deletePath(J(l), pathOf(r))),
  ];
}
