/**
 * Aggregates that collect their inputs: string_agg, array_agg (of scalars, and of arrays into
 * one more dimension), jsonb_agg, jsonb_object_agg, json_agg, json_object_agg.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Jsonb, PgArray, Value } from "../types/value.js";
import type { AggregateFunction } from "./defs.js";
import { agg } from "./aggregate-util.js";
import { makeArray, shapedArray } from "./array-util.js";
import { makeObject, toJsonb } from "./jsonb-util.js";
import { jsonTextOf } from "./json-text.js";
import { jsonbToText, jsonString } from "./text-out.js";
import { T, elementTypeOf } from "./type-oids.js";

interface Parts {
  values: Value[];
  seps: Value[];
}

export function stringAggregates(): AggregateFunction[] {
  return [T.text, T.bytea].map((type) =>
    agg<Parts>({
      name: "string_agg",
      argTypes: [type, type],
      returnType: type,
      init: () => ({ values: [], seps: [] }),
      step: (s, a) => {
        if (a[0] !== null && a[0] !== undefined) {
          s.values.push(a[0]);
          s.seps.push(a[1] ?? null);
        }
        return s;
      },
      final: (s) => (s.values.length === 0 ? null : type === T.text ? joinText(s) : joinBytes(s)),
      combine: (a, b) => ({ values: [...a.values, ...b.values], seps: [...a.seps, ...b.seps] }),
    }),
  );
}

function joinText(s: Parts): string {
  let out = "";
  s.values.forEach((v, i) => {
    if (i > 0 && s.seps[i] !== null) out += s.seps[i] as string;
    out += v as string;
  });
  return out;
}

function joinBytes(s: Parts): Uint8Array {
  const chunks: Uint8Array[] = [];
  s.values.forEach((v, i) => {
    if (i > 0 && s.seps[i] !== null) chunks.push(s.seps[i] as Uint8Array);
    chunks.push(v as Uint8Array);
  });
  return new Uint8Array(Buffer.concat(chunks));
}

interface Items {
  items: Value[];
}
const concat = (a: Items, b: Items): Items => ({ items: [...a.items, ...b.items] });
const collect = (s: Items, a: Value[]): Items => {
  s.items.push(a[0] ?? null);
  return s;
};

export function arrayAggregates(): AggregateFunction[] {
  return [
    agg<Items>({
      name: "array_agg",
      argTypes: [T.anynonarray],
      returnType: T.anyarray,
      init: () => ({ items: [] }),
      step: collect,
      combine: concat,
      final: (s, call) =>
        s.items.length === 0
          ? null
          : makeArray(call.argTypes[0] ?? elementTypeOf(call.returnType), s.items),
    }),
    agg<Items>({
      name: "array_agg",
      argTypes: [T.anyarray],
      returnType: T.anyarray,
      init: () => ({ items: [] }),
      combine: concat,
      step: (s, a) => {
        const v = a[0] ?? null;
        if (v === null)
          throw new SqlError(SqlState.nullValueNotAllowed, "cannot accumulate null arrays");
        if ((v as PgArray).dims.length === 0) {
          throw new SqlError(SqlState.arraySubscriptError, "cannot accumulate empty arrays");
        }
        return collect(s, a);
      },
      final: (s) => (s.items.length === 0 ? null : stack(s.items as PgArray[])),
    }),
  ];
}

function stack(arrays: PgArray[]): PgArray {
  const first = arrays[0] as PgArray;
  const shape = first.dims.join(",");
  for (const a of arrays) {
    if (a.dims.join(",") !== shape) {
      throw new SqlError(
        SqlState.arraySubscriptError,
        "cannot accumulate arrays of different dimensionality",
      );
    }
  }
  return shapedArray(
    first.elementType,
    [arrays.length, ...first.dims],
    [1, ...first.lowerBounds],
    arrays.flatMap((a) => a.items),
  );
}

interface Pairs {
  keys: Value[];
  values: Value[];
  types: number[];
}

export function jsonAggregates(): AggregateFunction[] {
  const zone = "UTC";
  return [
    agg<Items>({
      name: "jsonb_agg",
      argTypes: [T.anyelement],
      returnType: T.jsonb,
      volatility: "s",
      init: () => ({ items: [] }),
      step: collect,
      combine: concat,
      final: (s, call) =>
        s.items.length === 0
          ? null
          : s.items.map((v) => toJsonb(v, call.argTypes[0] ?? T.text, zone)),
    }),
    agg<Items>({
      name: "json_agg",
      argTypes: [T.anyelement],
      returnType: T.json,
      volatility: "s",
      init: () => ({ items: [] }),
      step: collect,
      combine: concat,
      final: (s, call) =>
        s.items.length === 0
          ? null
          : `[${s.items
              .map((v, i) => (i > 0 && isStructured(v) ? "\n " : "") +
                jsonTextOf(v, call.argTypes[0] ?? T.text, zone, false))
              .join(", ")}]`,
    }),
    agg<Pairs>({
      name: "jsonb_object_agg",
      argTypes: [T.any, T.any],
      returnType: T.jsonb,
      volatility: "s",
      init: () => ({ keys: [], values: [], types: [] }),
      step: pairStep,
      combine: (a, b) => ({
        keys: [...a.keys, ...b.keys],
        values: [...a.values, ...b.values],
        types: a.types,
      }),
      final: (s, call) =>
        s.keys.length === 0
          ? null
          : makeObject(
              s.keys.map(
                (k, i) =>
                  [
                    keyText(toJsonb(k, call.argTypes[0] ?? T.text, zone)),
                    toJsonb(s.values[i] ?? null, call.argTypes[1] ?? T.text, zone),
                  ] as const,
              ),
            ),
    }),
    agg<Pairs>({
      name: "json_object_agg",
      argTypes: [T.any, T.any],
      returnType: T.json,
      volatility: "s",
      init: () => ({ keys: [], values: [], types: [] }),
      step: pairStep,
      combine: (a, b) => ({
        keys: [...a.keys, ...b.keys],
        values: [...a.values, ...b.values],
        types: a.types,
      }),
      final: (s, call) =>
        s.keys.length === 0
          ? null
          : `{ ${s.keys
              .map(
                (k, i) =>
                  `${jsonString(keyText(toJsonb(k, call.argTypes[0] ?? T.text, zone)))} : ` +
                  jsonTextOf(s.values[i] ?? null, call.argTypes[1] ?? T.text, zone, false),
              )
              .join(", ")} }`,
    }),
  ];
}

function pairStep(s: Pairs, a: Value[]): Pairs {
  if (a[0] === null || a[0] === undefined) {
    throw new SqlError(SqlState.invalidParameterValue, "field name must not be null");
  }
  s.keys.push(a[0]);
  s.values.push(a[1] ?? null);
  return s;
}

function keyText(j: Jsonb): string {
  return typeof j === "string" ? j : jsonbToText(j);
}

/** An array or row element: Postgres's json_agg starts it on a new line after the first. */
function isStructured(v: Value): boolean {
  return typeof v === "object" && v !== null && "kind" in v &&
    (v.kind === "array" || v.kind === "record");
}
