/**
 * Building jsonb trees (value.ts `Jsonb`): objects in PostgreSQL's key order, numbers as
 * numerics, a small parser for json text, and the conversion of any SQL value to jsonb that
 * to_jsonb, jsonb_build_* and jsonb_agg share. `types/jsonb.ts` owns jsonb I/O and key order;
 * a SQL null inside a built value becomes JSON null (JSONB_NULL), never a plain null.
 */
import { SqlError, SqlState } from "@tessera/base";
import {
  JSONB_NULL, type Jsonb, type JsonbNull, type JsonbNumber, type JsonbObject, type PgArray,
  type PgRecord, type Value,
} from "../types/value.js";
import {
  makeJsonbNumber, makeObject as typesMakeObject, parseJsonb,
} from "../types/jsonb.js";
import { Decimal, withScale } from "./decimal.js";
import {
  float4ToText,
  float8ToText,
  isArray,
  isRecord,
  timestampToText,
  timestamptzToText,
  valueToText,
} from "./text-out.js";
import { offsetAt, formatOffset } from "./tz.js";
import { T } from "./type-oids.js";

export function jsonNumber(d: Decimal): JsonbNumber {
  return Object.freeze(makeJsonbNumber(d));
}

/**
 * Sorts entries shorter key first (UTF-8 bytes), then bytewise; the last duplicate wins.
 * The type system's rule (`types/jsonb.ts`), so built and parsed objects agree.
 */
export function makeObject(entries: readonly (readonly [string, Jsonb])[]): JsonbObject {
  return Object.freeze(typesMakeObject(entries));
}

/** True for JSON null: JSONB_NULL, or a plain null nested in an older tree. */
export function isJsonNull(v: Jsonb | undefined): v is null | JsonbNull {
  return v === null || v === JSONB_NULL ||
    (typeof v === "object" && !Array.isArray(v) && (v as { kind?: string }).kind === "null");
}

export function isJsonObject(v: Jsonb): v is JsonbObject {
  return (
    typeof v === "object" && v !== null && !Array.isArray(v) && "kind" in v && v.kind === "object"
  );
}

export function isJsonArray(v: Jsonb): v is readonly Jsonb[] {
  return Array.isArray(v);
}

/** Parses json text into a jsonb tree, as jsonb_in (JSON null is JSONB_NULL). */
export function parseJson(text: string): Jsonb {
  return parseJsonb(text);
}

function parseNumber(text: string): Decimal {
  const m = /^-?\d*(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  const scale = Math.max(0, (m?.[1]?.length ?? 0) - Number(m?.[2] ?? 0));
  return withScale(new Decimal(text), scale);
}

/** Converts a SQL value of type `type` to jsonb, as to_jsonb does. */
export function toJsonb(v: Value, type: number, zone: string): Jsonb {
  if (v === null) return JSONB_NULL;
  switch (type) {
    case T.jsonb:
      return v as Jsonb;
    case T.json:
      return parseJson(v as string);
    case T.bool:
      return v as boolean;
    case T.int2:
    case T.int4:
    case T.int8:
    case T.oid:
      return jsonNumber(withScale(new Decimal(String(v)), 0));
    case T.numeric:
      return numericJson(v as Decimal);
    case T.float4:
      return floatJson(float4ToText(v as number));
    case T.float8:
      return floatJson(float8ToText(v as number));
    case T.timestamp:
      return timestampToText(v as bigint).replace(" ", "T");
    case T.timestamptz:
      return timestamptzJson(v as bigint, zone);
    case T.date:
      return valueToText(v, T.date, zone);
    default:
      break;
  }
  if (isArray(v)) return arrayJson(v, zone);
  if (isRecord(v)) return recordJson(v, zone);
  return valueToText(v, type, zone);
}

function numericJson(d: Decimal): Jsonb {
  return d.isFinite() ? jsonNumber(d) : valueToText(d, T.numeric);
}

function floatJson(text: string): Jsonb {
  return /^-?[0-9]/.test(text) ? jsonNumber(parseNumber(text)) : text;
}

function timestamptzJson(ts: bigint, zone: string): string {
  const text = timestamptzToText(ts, zone);
  if (!/\d$/.test(text)) return text;
  const offset = formatOffset(offsetAt(zone, ts), true);
  return timestampToText(ts + BigInt(offsetAt(zone, ts)) * 1_000_000n).replace(" ", "T") + offset;
}

function arrayJson(a: PgArray, zone: string): Jsonb {
  let index = 0;
  const build = (dim: number): Jsonb[] => {
    const out: Jsonb[] = [];
    for (let i = 0; i < (a.dims[dim] ?? 0); i++) {
      out.push(
        dim === a.dims.length - 1
          ? toJsonb(a.items[index++] ?? null, a.elementType, zone)
          : build(dim + 1),
      );
    }
    return out;
  };
  return a.dims.length === 0 ? [] : build(0);
}

function recordJson(r: PgRecord, zone: string): Jsonb {
  return makeObject(
    r.fields.map(
      (f, i) => [r.names?.[i] ?? `f${i + 1}`, toJsonb(f, r.types[i] ?? T.text, zone)] as const,
    ),
  );
}
