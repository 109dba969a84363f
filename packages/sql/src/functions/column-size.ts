/**
 * pg_column_size(value): the bytes of the value's stored form as PostgreSQL 15 lays it out in
 * a heap tuple. Fixed-length types take their typlen; a variable-length value takes its data
 * plus a 1-byte header when data + 1 <= 127 (a "short" varlena), else a 4-byte one:
 *
 *   text 'abc' -> 4     numeric 1.5 -> 7 (header, 2 bytes of sign/scale/weight, 2 per
 *   base-10000 digit; 4 bytes of those when the weight or scale is too large)
 *   int4[] {1,2,3} -> 33 (16 + 8 per dimension, a null bitmap when nulls, aligned, then data)
 *
 * Values of other variable-length types (jsonb, records, arrays of varlena elements …) raise
 * 0A000: their on-disk layouts are not modelled here.
 */
import { notSupported } from "@tessera/base";
import { typeByOid } from "../types/registry.js";
import type { PgArray, Value } from "../types/value.js";
import { type Decimal, scaleOf } from "./decimal.js";
import { T } from "./type-oids.js";

const utf8 = new TextEncoder();

/** The size of a variable-length datum of `data` bytes once stored (short header if it fits). */
function varlena(data: number): number {
  return data + 1 <= 127 ? data + 1 : data + 4;
}

/** Bytes of a numeric's payload (without the varlena header), as numeric.c packs it. */
export function numericPayload(d: Decimal): number {
  if (!d.isFinite()) return 2;
  if (d.isZero()) return 2;
  const [intText, fracText = ""] = d.abs().toFixed().split(".");
  const intDigits = intText!.replace(/^0+/, "");
  const intGroups = Math.ceil(intDigits.length / 4);
  const padded = intDigits.padStart(intGroups * 4, "0") +
    fracText.padEnd(Math.ceil(fracText.length / 4) * 4, "0");
  const groups = padded.match(/.{4}/g) ?? [];
  let first = 0;
  while (first < groups.length && groups[first] === "0000") first++;
  let last = groups.length;
  while (last > first && groups[last - 1] === "0000") last--;
  const ndigits = last - first;
  const weight = intGroups - 1 - first;
  const scale = scaleOf(d);
  const short = scale <= 63 && weight >= -64 && weight <= 63;
  return (short ? 2 : 4) + 2 * ndigits;
}

function align(offset: number, to: number): number {
  return Math.ceil(offset / to) * to;
}

/** The alignment of a fixed-length type inside an array (typalign). */
function typeAlign(type: number, len: number): number {
  if (type === T.timetz || type === T.interval) return 8;
  if (type === T.name || type === T.uuid || len === 1) return 1;
  return len >= 8 ? 8 : len >= 4 ? 4 : len;
}

function arraySize(value: PgArray, type: number): number {
  const element = typeByOid(value.elementType);
  const len = element?.len ?? -1;
  if (len <= 0) throw notSupported(`pg_column_size of type ${typeByOid(type)?.name ?? type}`);
  const nulls = value.items.some((v) => v === null);
  const header = 16 + 8 * value.dims.length + (nulls ? Math.ceil(value.items.length / 8) : 0);
  const elementAlign = typeAlign(value.elementType, len);
  let offset = align(header, 8);
  for (const item of value.items) {
    if (item !== null) offset = align(offset, elementAlign) + len;
  }
  return varlena(offset - 4);
}

/** pg_column_size of `value`, of type `type`. */
export function columnSize(value: Value, type: number): number {
  const info = typeByOid(type);
  if (info !== undefined && info.len > 0) return info.len;
  if (typeof value === "string") {
    return type === T.name ? 64 : varlena(utf8.encode(value).length);
  }
  if (value instanceof Uint8Array) return varlena(value.length);
  if (type === T.numeric) return varlena(numericPayload(value as Decimal));
  if (typeof value === "object" && value !== null && "kind" in value && value.kind === "array") {
    return arraySize(value as PgArray, type);
  }
  throw notSupported(`pg_column_size of type ${info?.name ?? type}`);
}
