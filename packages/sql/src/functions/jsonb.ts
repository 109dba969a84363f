/**
 * jsonb and json functions (PostgreSQL docs §9.16): building (jsonb_build_object,
 * jsonb_build_array, to_jsonb, and the json_* spellings, which print json text), inspecting
 * (jsonb_typeof, jsonb_array_length), editing (jsonb_set, jsonb_insert, jsonb_strip_nulls),
 * printing (jsonb_pretty) and the set-returning jsonb_array_elements, jsonb_each and
 * jsonb_object_keys.
 */
import { SqlError, SqlState } from "@tessera/base";
import { JSONB_NULL, type Jsonb, type PgArray, type Value } from "../types/value.js";
import type { CallInfo, EvalContext, ScalarFunction, SetReturningFunction } from "./defs.js";
import { fn, srf, str } from "./builders.js";
import { isArray, isRecord, jsonbToText, jsonString } from "./text-out.js";
import { isJsonArray, isJsonNull, isJsonObject, makeObject, toJsonb } from "./jsonb-util.js";
import {
  concatJsonb, contains, deleteIndex, deleteKey, hasKey, jsonPath, jsonText,
} from "./jsonb-ops.js";
import { deletePath, jsonbInsert, jsonbSet, pathOf } from "./jsonb-path.js";
import { sessionZone } from "./tz.js";
import { T } from "./type-oids.js";
import { jsonTextOf } from "./json-text.js";
import { spreadVariadic } from "./string-format.js";

const J = (v: Value): Jsonb => v as Jsonb;
const zoneOf = (ctx: EvalContext): string => sessionZone((n) => ctx.setting(n));
const path = pathOf;

/** json(b)_build_object keys: arrays, rows, json and jsonb are refused as PostgreSQL does. */
function checkKeyScalar(key: Value, type: number): void {
  if (isArray(key) || isRecord(key) || type === T.json || type === T.jsonb) {
    throw new SqlError(SqlState.invalidParameterValue,
      "key value must be scalar, not array, composite, or json");
  }
}

function buildObject(a: Value[], ctx: EvalContext, call: CallInfo): Jsonb {
  if (a.length % 2 !== 0) {
    throw new SqlError(
      SqlState.invalidParameterValue,
      "argument list must have even number of elements",
      {
        hint: "The arguments of jsonb_build_object() must consist of alternating keys and values.",
      },
    );
  }
  const entries: [string, Jsonb][] = [];
  for (let i = 0; i < a.length; i += 2) {
    const key = a[i] ?? null;
    if (key === null) {
      throw new SqlError(SqlState.invalidParameterValue, `argument ${i + 1}: key must not be null`);
    }
    checkKeyScalar(key, call.argTypes[i] ?? T.text);
    const keyJson = toJsonb(key, call.argTypes[i] ?? T.text, zoneOf(ctx));
    const keyText = typeof keyJson === "string" ? keyJson : jsonbToText(keyJson);
    entries.push([keyText, toJsonb(a[i + 1] ?? null, call.argTypes[i + 1] ?? T.text, zoneOf(ctx))]);
  }
  return makeObject(entries);
}

/** A variadic "any" builder that also takes `VARIADIC arr` (a null array gives null). */
function spread(body: (a: Value[], c: EvalContext, call: CallInfo) => Value) {
  return (a: Value[], c: EvalContext, call: CallInfo): Value => {
    const spreadArgs = spreadVariadic(a, call);
    return spreadArgs === undefined ? null : body(spreadArgs.values, c, spreadArgs.call);
  };
}

export function jsonbFunctions(): (ScalarFunction | SetReturningFunction)[] {
  const variadicAny = { strict: false, variadic: T.any, volatility: "s" } as const;
  return [
    fn("jsonb_build_object", [T.any], T.jsonb, spread(buildObject), variadicAny),
    fn("jsonb_build_object", [], T.jsonb, () => makeObject([]), { volatility: "s" }),
    fn(
      "jsonb_build_array",
      [T.any],
      T.jsonb,
      spread((a, c, call) => a.map((v, i) => toJsonb(v, call.argTypes[i] ?? T.text, zoneOf(c)))),
      variadicAny,
    ),
    fn("jsonb_build_array", [], T.jsonb, () => [], { volatility: "s" }),
    fn(
      "to_jsonb",
      [T.anyelement],
      T.jsonb,
      (a, c, call) => toJsonb(a[0] ?? null, call.argTypes[0] ?? T.text, zoneOf(c)),
      { volatility: "s" },
    ),
    fn(
      "to_json",
      [T.anyelement],
      T.json,
      (a, c, call) => jsonTextOf(a[0] ?? null, call.argTypes[0] ?? T.text, zoneOf(c), false),
      { volatility: "s" },
    ),
    fn(
      "row_to_json",
      [T.record],
      T.json,
      (a, c, call) => jsonTextOf(a[0] ?? null, call.argTypes[0] ?? T.record, zoneOf(c), false),
      { volatility: "s" },
    ),
    fn(
      "json_build_object",
      [T.any],
      T.json,
      spread((a, c, call) => jsonBuildObject(a, c, call)),
      variadicAny,
    ),
    fn("json_build_object", [], T.json, () => "{}", { volatility: "s" }),
    fn(
      "json_build_array",
      [T.any],
      T.json,
      spread((a, c, call) =>
        `[${a
          .map((v, i) => jsonTextOf(v, call.argTypes[i] ?? T.text, zoneOf(c), false))
          .join(", ")}]`),
      variadicAny,
    ),
    fn("json_build_array", [], T.json, () => "[]", { volatility: "s" }),
    ...jsonbProcessingFunctions(),
  ];
}

/** The functions behind the jsonb containment and existence operators. */
function jsonbOperatorFunctions(): ScalarFunction[] {
  const keys = (v: Value | undefined): string[] =>
    (v as PgArray).items.filter((x) => x !== null).map((x) => str(x));
  return [
    fn("jsonb_contains", [T.jsonb, T.jsonb], T.bool, (a) => contains(J(a[0]!), J(a[1]!))),
    fn("jsonb_contained", [T.jsonb, T.jsonb], T.bool, (a) => contains(J(a[1]!), J(a[0]!))),
    fn("jsonb_exists", [T.jsonb, T.text], T.bool, (a) => hasKey(J(a[0]!), str(a[1]!))),
    fn("jsonb_exists_any", [T.jsonb, T.textArray], T.bool,
      (a) => keys(a[1]).some((k) => hasKey(J(a[0]!), k))),
    fn("jsonb_exists_all", [T.jsonb, T.textArray], T.bool,
      (a) => keys(a[1]).every((k) => hasKey(J(a[0]!), k))),
    fn("jsonb_concat", [T.jsonb, T.jsonb], T.jsonb, (a) => concatJsonb(J(a[0]!), J(a[1]!))),
    fn("jsonb_delete", [T.jsonb, T.text], T.jsonb, (a) => deleteKey(J(a[0]!), str(a[1]!))),
    fn("jsonb_delete", [T.jsonb, T.int4], T.jsonb,
      (a) => deleteIndex(J(a[0]!), a[1] as number)),
    fn("jsonb_delete_path", [T.jsonb, T.textArray], T.jsonb,
      (a) => deletePath(J(a[0]!), path(a[1]!))),
  ];
}

function jsonbProcessingFunctions(): (ScalarFunction | SetReturningFunction)[] {
  return [
    fn("jsonb_typeof", [T.jsonb], T.text, (a) => jsonbType(J(a[0] ?? null))),
    ...jsonbOperatorFunctions(),
    fn("jsonb_array_length", [T.jsonb], T.int4, (a) => arrayLength(J(a[0] ?? null))),
    fn("jsonb_strip_nulls", [T.jsonb], T.jsonb, (a) => stripNulls(J(a[0] ?? null))),
    fn("jsonb_pretty", [T.jsonb], T.text, (a) => pretty(J(a[0] ?? null), 0)),
    fn(
      "jsonb_extract_path",
      [T.jsonb, T.textArray],
      T.jsonb,
      (a) => jsonPath(J(a[0] ?? null), a[1] as PgArray) ?? null,
      { variadic: T.text },
    ),
    fn(
      "jsonb_extract_path_text",
      [T.jsonb, T.textArray],
      T.text,
      (a) => jsonText(jsonPath(J(a[0] ?? null), a[1] as PgArray)),
      { variadic: T.text },
    ),
    fn(
      "jsonb_set",
      [T.jsonb, T.textArray, T.jsonb, T.bool],
      T.jsonb,
      (a) => jsonbSet(J(a[0] ?? null), path(a[1] ?? null), J(a[2] ?? null), a[3] !== false),
      { argNames: ["jsonb_in", "path", "replacement", "create_if_missing"], defaults: [true] },
    ),
    fn(
      "jsonb_set_lax",
      [T.jsonb, T.textArray, T.jsonb, T.bool, T.text],
      T.jsonb,
      jsonbSetLax,
      { strict: false, defaults: [true, "use_json_null"],
        argNames: ["jsonb_in", "path", "replacement", "create_if_missing",
          "null_value_treatment"] },
    ),
    fn(
      "jsonb_insert",
      [T.jsonb, T.textArray, T.jsonb, T.bool],
      T.jsonb,
      (a) => jsonbInsert(J(a[0] ?? null), path(a[1] ?? null), J(a[2] ?? null), a[3] === true),
      { argNames: ["jsonb_in", "path", "replacement", "insert_after"], defaults: [false] },
    ),
    srf(
      "jsonb_array_elements",
      [T.jsonb],
      T.jsonb,
      (a) => elements(J(a[0] ?? null), "extract elements from"),
      { outColumns: [{ name: "value", type: T.jsonb }] },
    ),
    srf(
      "jsonb_array_elements_text",
      [T.jsonb],
      T.text,
      (a) => elements(J(a[0] ?? null), "extract elements from").map((x) => jsonText(x)),
      { outColumns: [{ name: "value", type: T.text }] },
    ),
    srf(
      "jsonb_each",
      [T.jsonb],
      T.record,
      (a) => entries(J(a[0] ?? null)).map(([k, v]) => [k, v]),
      {
        outColumns: [
          { name: "key", type: T.text },
          { name: "value", type: T.jsonb },
        ],
      },
    ),
    srf(
      "jsonb_each_text",
      [T.jsonb],
      T.record,
      (a) => entries(J(a[0] ?? null)).map(([k, v]) => [k, jsonText(v)]),
      {
        outColumns: [
          { name: "key", type: T.text },
          { name: "value", type: T.text },
        ],
      },
    ),
    srf("jsonb_object_keys", [T.jsonb], T.text, (a) => objectKeys(J(a[0] ?? null))),
  ];
}

const nullTreatments = '"delete_key", "return_target", "use_json_null", or "raise_exception"';

/** jsonb_set_lax: jsonb_set, with an SQL NULL replacement handled as `null_value_treatment`. */
function jsonbSetLax(a: Value[]): Value {
  const [target, pathArg, replacement] = a;
  const create = a[3] === undefined ? true : a[3];
  const treatment = a[4] === undefined ? "use_json_null" : a[4];
  if (target === null || target === undefined || pathArg === null || pathArg === undefined
    || create === null) return null;
  if (treatment === null) {
    throw new SqlError(SqlState.invalidParameterValue,
      `null_value_treatment must be ${nullTreatments}`);
  }
  const at = path(pathArg);
  if (replacement !== null && replacement !== undefined) {
    return jsonbSet(J(target), at, J(replacement), create !== false);
  }
  switch (str(treatment)) {
    case "raise_exception":
      throw new SqlError(SqlState.nullValueNotAllowed, "JSON value must not be null", {
        detail: "Exception was raised because null_value_treatment is \"raise_exception\".",
        hint: "To avoid, either change the null_value_treatment argument or ensure that an SQL "
          + "NULL is not passed.",
      });
    case "use_json_null": return jsonbSet(J(target), at, JSONB_NULL, create !== false);
    case "delete_key": return deletePath(J(target), at);
    case "return_target": return target;
    default:
      throw new SqlError(SqlState.invalidParameterValue,
        `null_value_treatment must be ${nullTreatments}`);
  }
}

function jsonBuildObject(a: Value[], ctx: EvalContext, call: CallInfo): string {
  if (a.length % 2 !== 0) {
    throw new SqlError(
      SqlState.invalidParameterValue,
      "argument list must have even number of elements",
      { hint: "The arguments of json_build_object() must consist of alternating keys and values." },
    );
  }
  const parts: string[] = [];
  for (let i = 0; i < a.length; i += 2) {
    if (a[i] === null) {
      throw new SqlError(SqlState.invalidParameterValue, `argument ${i + 1}: key must not be null`);
    }
    checkKeyScalar(a[i] ?? null, call.argTypes[i] ?? T.text);
    const key = jsonTextOf(a[i] ?? null, call.argTypes[i] ?? T.text, zoneOf(ctx), false);
    const keyText = key.startsWith('"') ? key : jsonString(key);
    parts.push(
      `${keyText} : ` +
        jsonTextOf(a[i + 1] ?? null, call.argTypes[i + 1] ?? T.text, zoneOf(ctx), false),
    );
  }
  return `{${parts.join(", ")}}`;
}

export function jsonbType(v: Jsonb): string {
  if (isJsonNull(v)) return "null";
  if (typeof v === "string") return "string";
  if (typeof v === "boolean") return "boolean";
  if (isJsonArray(v)) return "array";
  return isJsonObject(v) ? "object" : "number";
}

function arrayLength(v: Jsonb): number {
  if (isJsonArray(v)) return v.length;
  const what = isJsonObject(v) ? "a non-array" : "a scalar";
  throw new SqlError(SqlState.invalidParameterValue, `cannot get array length of ${what}`);
}

function stripNulls(v: Jsonb): Jsonb {
  if (isJsonArray(v)) return v.map(stripNulls);
  if (isJsonObject(v)) {
    return makeObject(
      v.entries.filter(([, x]) => !isJsonNull(x)).map(([k, x]) => [k, stripNulls(x)] as const),
    );
  }
  return v;
}

/** Prints jsonb as jsonb_pretty: four-space indents, one member per line. */
function pretty(v: Jsonb, depth: number): string {
  const pad = "    ".repeat(depth + 1);
  const end = "    ".repeat(depth);
  if (isJsonArray(v)) {
    if (v.length === 0) return "[\n" + end + "]";
    return `[\n${v.map((x) => pad + pretty(x, depth + 1)).join(",\n")}\n${end}]`;
  }
  if (isJsonObject(v)) {
    if (v.entries.length === 0) return "{\n" + end + "}";
    const members = v.entries.map(([k, x]) => `${pad}${jsonString(k)}: ${pretty(x, depth + 1)}`);
    return `{\n${members.join(",\n")}\n${end}}`;
  }
  return jsonbToText(v);
}

function elements(v: Jsonb, what: string): Jsonb[] {
  if (isJsonArray(v)) return [...v];
  const kind = isJsonObject(v) ? "an object" : "a scalar";
  throw new SqlError(SqlState.invalidParameterValue, `cannot ${what} ${kind}`);
}

function entries(v: Jsonb): (readonly [string, Jsonb])[] {
  if (isJsonObject(v)) return [...v.entries];
  const kind = isJsonArray(v) ? "an array" : "a scalar";
  throw new SqlError(SqlState.invalidParameterValue, `cannot call jsonb_each on ${kind}`);
}

function objectKeys(v: Jsonb): string[] {
  if (isJsonObject(v)) return v.entries.map(([k]) => k);
  const kind = isJsonArray(v) ? "an array" : "a scalar";
  throw new SqlError(SqlState.invalidParameterValue, `cannot call jsonb_object_keys on ${kind}`);
}
