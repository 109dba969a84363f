/**
 * Ordering and equality of non-null values, as PostgreSQL's btree comparison functions: one
 * generic `compareValues` that dispatches on the JavaScript shape (value.ts), with the
 * PostgreSQL rules that shapes alone do not say: NaN sorts above every number and equals
 * itself, intervals compare by their 30-day-month span, bpchar ignores trailing blanks, text
 * compares by code point (the C collation), nulls inside arrays and rows sort last.
 */
import type {
  Inet, Interval, Jsonb, PgArray, PgGeometry, PgMultirange, PgRange, PgRecord, TimeTz, Value,
} from "../types/value.js";
import { SqlError, SqlState } from "@tessera/base";
import { compareRanges } from "../types/range.js";
import { multirangeRangeOid, rangeSubtypeOf } from "../types/registry.js";
import { compareMultiranges } from "../types/multirange.js";
import { compareInet } from "../types/inet.js";
import { compareDecimalValues } from "../types/numeric-fast.js";
import { Decimal } from "./decimal.js";
import { compareJsonb as typesCompareJsonb } from "../types/jsonb-compare.js";
import { isArray, isInterval, isRecord, isTimeTz } from "./text-out.js";
import { T } from "./type-oids.js";
import { usecsPerDay } from "./calendar.js";

/** Returns <0, 0 or >0 as `a` sorts before, with or after `b`; `type` matters for bpchar. */
export function compareValues(a: Value, b: Value, type = 0): number {
  if (a === null || b === null) return a === null ? (b === null ? 0 : 1) : -1;
  if (typeof a === "number" && typeof b === "number") return compareNumbers(a, b);
  if (typeof a === "bigint" && typeof b === "bigint") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "bigint" || typeof b === "bigint") return mixedIntegers(a, b);
  if (typeof a === "string" && typeof b === "string") return compareStrings(a, b, type);
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  if (a instanceof Decimal && b instanceof Decimal) return compareDecimals(a, b);
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.compare(a, b);
  if (isArray(a) && isArray(b)) return compareArrays(a, b);
  if (isRecord(a) && isRecord(b)) return compareRecords(a, b);
  if (isInterval(a) && isInterval(b)) return compareBig(intervalSpan(a), intervalSpan(b));
  if (isTimeTz(a) && isTimeTz(b)) return compareTimeTz(a, b);
  if (isInet(a) && isInet(b)) return compareInet(a, b);
  if (isRange(a) && isRange(b)) return compareRanges(rangeSubtypeOf(a.rangeType), a, b);
  if (isMultirange(a) && isMultirange(b)) {
    return compareMultiranges(rangeSubtypeOf(multirangeRangeOid(a.multirangeType)!), a, b);
  }
  if (isGeometry(a)) throw noGeometryEquality(a);
  return compareJsonb(a as Jsonb, b as Jsonb);
}

export function isRange(v: Value): v is PgRange {
  return typeof v === "object" && v !== null && "kind" in v && v.kind === "range";
}

export function isMultirange(v: Value): v is PgMultirange {
  return typeof v === "object" && v !== null && "kind" in v && v.kind === "multirange";
}

function isGeometry(v: Value): v is PgGeometry {
  return typeof v === "object" && v !== null && "kind" in v && v.kind === "geometry";
}

/** The geometric types have no btree opclass: arrays and rows of them do not compare. */
function noGeometryEquality(v: PgGeometry): SqlError {
  return new SqlError(SqlState.undefinedFunction,
    `could not identify an equality operator for type ${v.shape}`);
}

/** Returns true when `a` equals `b` under PostgreSQL's `=` for their type. */
function isInet(v: Value): v is Inet {
  return typeof v === "object" && v !== null && "family" in v && "address" in v;
}

export function equalValues(a: Value, b: Value, type = 0): boolean {
  return compareValues(a, b, type) === 0;
}

export function compareNumbers(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compares int2/int4 (number) with int8 (bigint); JavaScript relations handle the mix. */
function mixedIntegers(a: Value, b: Value): number {
  const x = a as number | bigint;
  const y = b as number | bigint;
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareDecimals(a: Decimal, b: Decimal): number {
  if (a.isNaN()) return b.isNaN() ? 0 : 1;
  if (b.isNaN()) return -1;
  return compareDecimalValues(a, b);
}

/** Compares by Unicode code point, which is UTF-8 byte order: the C collation. */
export function compareStrings(a: string, b: string, type = 0): number {
  const x = type === T.bpchar ? a.replace(/ +$/, "") : a;
  const y = type === T.bpchar ? b.replace(/ +$/, "") : b;
  if (x === y) return 0;
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const cx = x.charCodeAt(i);
    const cy = y.charCodeAt(i);
    if (cx === cy) continue;
    const sx = cx >= 0xd800 && cx <= 0xdfff;
    const sy = cy >= 0xd800 && cy <= 0xdfff;
    if (sx !== sy) return sx ? 1 : -1;
    return cx - cy;
  }
  return x.length - y.length;
}

/** Returns an interval's span in microseconds with 30-day months (interval_cmp_value). */
export function intervalSpan(v: Interval): bigint {
  return v.micros + BigInt(v.days) * usecsPerDay + BigInt(v.months) * 30n * usecsPerDay;
}

function compareTimeTz(a: TimeTz, b: TimeTz): number {
  const ua = a.micros + a.zoneSeconds * 1e6;
  const ub = b.micros + b.zoneSeconds * 1e6;
  if (ua !== ub) return ua < ub ? -1 : 1;
  return a.zoneSeconds - b.zoneSeconds;
}

/** array_cmp: elements in order, then the shorter first, then dimensions, then bounds. */
function compareArrays(a: PgArray, b: PgArray): number {
  const n = Math.min(a.items.length, b.items.length);
  for (let i = 0; i < n; i++) {
    const c = compareValues(a.items[i] ?? null, b.items[i] ?? null, a.elementType);
    if (c !== 0) return c;
  }
  if (a.items.length !== b.items.length) return a.items.length - b.items.length;
  if (a.dims.length !== b.dims.length) return a.dims.length - b.dims.length;
  for (let i = 0; i < a.dims.length; i++) {
    const c = (a.dims[i] ?? 0) - (b.dims[i] ?? 0);
    if (c !== 0) return c;
  }
  for (let i = 0; i < a.lowerBounds.length; i++) {
    const c = (a.lowerBounds[i] ?? 0) - (b.lowerBounds[i] ?? 0);
    if (c !== 0) return c;
  }
  return 0;
}

function compareRecords(a: PgRecord, b: PgRecord): number {
  const n = Math.min(a.fields.length, b.fields.length);
  for (let i = 0; i < n; i++) {
    const c = compareValues(a.fields[i] ?? null, b.fields[i] ?? null, a.types[i] ?? 0);
    if (c !== 0) return c;
  }
  return a.fields.length - b.fields.length;
}

/** jsonb btree order: the type system's (raw scalars as one-element arrays, JSONB_NULL). */
export const compareJsonb: (a: Jsonb, b: Jsonb) => number = typesCompareJsonb;
