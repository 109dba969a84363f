/**
 * The value codec: SQL values to bytes and back, exactly, for the WAL and checkpoint
 * snapshots. Values are encoded by their JavaScript shape (see `@tessera/sql` types/value.ts),
 * not by column type, so whatever a row holds comes back identical: a bigint stays a bigint,
 * a numeric keeps its display scale (`dscale`, or its absence), -0 stays -0, jsonb trees keep
 * JSON null (`JSONB_NULL`, the same frozen object) apart from a nested plain null.
 *
 *   tag  shape                         payload
 *   0    null                          -
 *   1/2  false / true                  -
 *   3    number, int32 (not -0)        i32
 *   4    any other number              f64
 *   5    bigint in int64               i64
 *   6    bigint beyond int64           decimal text
 *   7    string                        UTF-8
 *   8    Decimal                       text, varuint dscale + 1 (0: none)
 *   9    Uint8Array                    bytes
 *   10   Interval                      i32 months, i32 days, i64 micros
 *   11   TimeTz                        f64 micros, i32 zone seconds
 *   12   Inet                          u8 family, bytes, varuint bits, u8 cidr
 *   13   JSONB_NULL                    -
 *   14   jsonb number                  a Decimal (tag 8)
 *   15   jsonb array (plain array)     count, values
 *   16   jsonb object                  count, (key, value) pairs
 *   17   PgArray                       element type, dims, lower bounds, count, values
 *   18   PgRecord                      count, (type, value) pairs, names or none
 *   19   jsonb object kept as text     its jsonb_out text (a `JsonbTextObject`)
 *   20   PgRange                       range type, u8 flags, lower and upper values
 *   21   PgMultirange                  multirange type, count, ranges (tag 20 each)
 *   22   PgGeometry                    shape, closed, count, f64 each (geometry-codec.ts)
 */
import { assert, limits } from "@tessera/base";
import { Decimal } from "decimal.js";
import {
  JSONB_NULL, JsonbTextObject, exactNumericText, parseNumeric, type Inet, type Interval, type Jsonb,
  type PgArray, type PgGeometry, type PgMultirange, type PgRange,
  type PgRecord, type Row, type ScaledDecimal, type TimeTz, type Value,
} from "@tessera/sql";
import { ByteReader, ByteWriter } from "./byte-buffer.js";
import { decodeGeometry, encodeGeometry } from "./geometry-codec.js";

const enum Tag {
  Null, False, True, Int32, Float64, BigInt64, BigText, Text, Numeric, Bytes, Interval, TimeTz,
  Inet, JsonNull, JsonNumber, JsonArray, JsonObject, Array, Record, JsonText, Range, Multirange,
  Geometry,
}

/** A value or a node inside a jsonb tree: what the encoder walks. */
type Encodable = Value | Jsonb;

/** Appends one row: its width, then each value. */
export function encodeRow(out: ByteWriter, row: readonly Value[]): void {
  out.varuint(row.length);
  for (const value of row) encodeValue(out, value, 0);
}

export function decodeRow(input: ByteReader): Row {
  const count = input.varuint();
  assert(count <= limits.columnCountMax + 1, "a row is at most a table wide");
  const row: Row = new Array<Value>(count);
  for (let i = 0; i < count; i++) row[i] = decodeValue(input, 0) as Value;
  return row;
}

export function encodeValue(out: ByteWriter, value: Encodable, depth: number): void {
  assert(depth <= limits.treeDepthMax, "stored values nest at most treeDepthMax deep");
  if (value === null) return out.u8(Tag.Null);
  switch (typeof value) {
    case "boolean": return out.u8(value ? Tag.True : Tag.False);
    case "number": return encodeNumber(out, value);
    case "bigint": return encodeBigint(out, value);
    case "string":
      out.u8(Tag.Text);
      return out.string(value);
    case "object": return encodeObject(out, value, depth);
    default:
      assert(false, `values are never ${typeof value}`);
  }
}

function encodeNumber(out: ByteWriter, value: number): void {
  if (Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31 && !Object.is(value, -0)) {
    out.u8(Tag.Int32);
    out.i32(value);
    return;
  }
  out.u8(Tag.Float64);
  out.f64(value);
}

const int64Min = -(2n ** 63n);
const int64End = 2n ** 63n;

function encodeBigint(out: ByteWriter, value: bigint): void {
  if (value >= int64Min && value < int64End) {
    out.u8(Tag.BigInt64);
    out.i64(value);
    return;
  }
  out.u8(Tag.BigText);
  out.string(value.toString());
}

function encodeObject(out: ByteWriter, value: object, depth: number): void {
  if (value instanceof Uint8Array) {
    out.u8(Tag.Bytes);
    out.raw(value);
    return;
  }
  if (Array.isArray(value)) {
    out.u8(Tag.JsonArray);
    out.varuint(value.length);
    for (const item of value as readonly Jsonb[]) encodeValue(out, item, depth + 1);
    return;
  }
  if ("kind" in value) return encodeKinded(out, value as KindedValue, depth);
  if ("months" in value) {
    const interval = value as Interval;
    out.u8(Tag.Interval);
    out.i32(interval.months);
    out.i32(interval.days);
    out.i64(interval.micros);
    return;
  }
  if ("zoneSeconds" in value) {
    out.u8(Tag.TimeTz);
    out.f64((value as TimeTz).micros);
    out.i32((value as TimeTz).zoneSeconds);
    return;
  }
  if ("family" in value) return encodeInet(out, value as Inet);
  encodeNumeric(out, value as Decimal);
}

type KindedValue = PgArray | PgRecord | PgRange | PgMultirange | PgGeometry |
  { readonly kind: "null" } |
  { readonly kind: "number"; readonly value: Decimal } |
  { readonly kind: "object"; readonly entries: readonly (readonly [string, Jsonb])[] };

function encodeKinded(out: ByteWriter, value: KindedValue, depth: number): void {
  switch (value.kind) {
    case "null":
      assert(value === JSONB_NULL, "JSON null is the one JSONB_NULL");
      return out.u8(Tag.JsonNull);
    case "number":
      out.u8(Tag.JsonNumber);
      return encodeNumeric(out, value.value);
    case "object":
      if (value instanceof JsonbTextObject) {
        out.u8(Tag.JsonText);
        return out.string(value.text);
      }
      out.u8(Tag.JsonObject);
      out.varuint(value.entries.length);
      for (const [key, item] of value.entries) {
        out.string(key);
        encodeValue(out, item, depth + 1);
      }
      return;
    case "array": return encodeArray(out, value, depth);
    case "record": return encodeRecord(out, value, depth);
    case "range": return encodeRange(out, value, depth);
    case "multirange":
      out.u8(Tag.Multirange);
      out.varuint(value.multirangeType);
      out.varuint(value.ranges.length);
      for (const range of value.ranges) encodeRange(out, range, depth + 1);
      return;
    case "geometry":
      out.u8(Tag.Geometry);
      return encodeGeometry(out, value);
  }
}

/** Range flags: empty, lower/upper inclusive, lower/upper infinite. */
const enum RangeFlag { Empty = 1, LowerInc = 2, UpperInc = 4, LowerInf = 8, UpperInf = 16 }

function encodeRange(out: ByteWriter, value: PgRange, depth: number): void {
  out.u8(Tag.Range);
  out.varuint(value.rangeType);
  out.u8((value.empty ? RangeFlag.Empty : 0) | (value.lowerInc ? RangeFlag.LowerInc : 0) |
    (value.upperInc ? RangeFlag.UpperInc : 0) | (value.lowerInf ? RangeFlag.LowerInf : 0) |
    (value.upperInf ? RangeFlag.UpperInf : 0));
  encodeValue(out, value.lower, depth + 1);
  encodeValue(out, value.upper, depth + 1);
}

function encodeNumeric(out: ByteWriter, value: Decimal): void {
  assert(typeof value.isFinite === "function", "an object without a known shape is a Decimal");
  out.u8(Tag.Numeric);
  out.string(exactNumericText(value));
  const scale = (value as ScaledDecimal).dscale;
  out.varuint(scale === undefined ? 0 : scale + 1);
}

function encodeInet(out: ByteWriter, value: Inet): void {
  out.u8(Tag.Inet);
  out.u8(value.family);
  out.raw(value.address);
  out.varuint(value.bits);
  out.u8(value.isCidr ? 1 : 0);
}

function encodeArray(out: ByteWriter, value: PgArray, depth: number): void {
  out.u8(Tag.Array);
  out.varuint(value.elementType);
  out.varuint(value.dims.length);
  for (const dim of value.dims) out.varuint(dim);
  for (const bound of value.lowerBounds) out.i32(bound);
  out.varuint(value.items.length);
  for (const item of value.items) encodeValue(out, item, depth + 1);
}

function encodeRecord(out: ByteWriter, value: PgRecord, depth: number): void {
  out.u8(Tag.Record);
  out.varuint(value.fields.length);
  value.fields.forEach((field, i) => {
    out.varuint(value.types[i] ?? 0);
    encodeValue(out, field, depth + 1);
  });
  out.u8(value.names === undefined ? 0 : 1);
  for (const name of value.names ?? []) out.string(name);
}

export function decodeValue(input: ByteReader, depth: number): Encodable {
  assert(depth <= limits.treeDepthMax, "stored values nest at most treeDepthMax deep");
  const tag = input.u8() as Tag;
  switch (tag) {
    case Tag.Null: return null;
    case Tag.False: return false;
    case Tag.True: return true;
    case Tag.Int32: return input.i32();
    case Tag.Float64: return input.f64();
    case Tag.BigInt64: return input.i64();
    case Tag.BigText: return BigInt(input.string());
    case Tag.Text: return input.string();
    case Tag.Numeric: return decodeNumeric(input);
    case Tag.Bytes: return input.raw();
    case Tag.Interval: return { months: input.i32(), days: input.i32(), micros: input.i64() };
    case Tag.TimeTz: return { micros: input.f64(), zoneSeconds: input.i32() };
    case Tag.Inet: return decodeInet(input);
    case Tag.JsonNull: return JSONB_NULL;
    case Tag.JsonNumber:
      assert(input.u8() === Tag.Numeric, "a jsonb number holds a numeric");
      return { kind: "number", value: decodeNumeric(input) };
    default: return decodeNested(tag, input, depth);
  }
}

function decodeNested(tag: Tag, input: ByteReader, depth: number): Encodable {
  switch (tag) {
    case Tag.JsonArray: {
      const items: Jsonb[] = [];
      for (let n = input.varuint(); n > 0; n--) items.push(decodeValue(input, depth + 1) as Jsonb);
      return items;
    }
    case Tag.JsonObject: {
      const entries: [string, Jsonb][] = [];
      for (let n = input.varuint(); n > 0; n--) {
        const key = input.string();
        entries.push([key, decodeValue(input, depth + 1) as Jsonb]);
      }
      return { kind: "object", entries };
    }
    case Tag.Array: return decodeArray(input, depth);
    case Tag.Record: return decodeRecord(input, depth);
    case Tag.JsonText: return new JsonbTextObject(input.string());
    case Tag.Range: return decodeRange(input, depth);
    case Tag.Multirange: {
      const multirangeType = input.varuint();
      const ranges: PgRange[] = [];
      for (let n = input.varuint(); n > 0; n--) {
        assert(input.u8() === Tag.Range, "a multirange holds ranges");
        ranges.push(decodeRange(input, depth + 1));
      }
      return { kind: "multirange", multirangeType, ranges };
    }
    case Tag.Geometry: return decodeGeometry(input);
    default:
      assert(false, `value tag ${tag} is known`);
      return null;
  }
}

function decodeRange(input: ByteReader, depth: number): PgRange {
  const rangeType = input.varuint();
  const flags = input.u8();
  const lower = decodeValue(input, depth + 1) as Value;
  const upper = decodeValue(input, depth + 1) as Value;
  return { kind: "range", rangeType, empty: (flags & RangeFlag.Empty) !== 0, lower, upper,
    lowerInc: (flags & RangeFlag.LowerInc) !== 0, upperInc: (flags & RangeFlag.UpperInc) !== 0,
    lowerInf: (flags & RangeFlag.LowerInf) !== 0, upperInf: (flags & RangeFlag.UpperInf) !== 0 };
}

function decodeNumeric(input: ByteReader): Decimal {
  const text = input.string();
  const scale = input.varuint();
  // No display scale: a bare Decimal, never one whose `dscale` is deleted (that deoptimises
  // every numeric it touches).
  if (scale === 0) return new Decimal(text);
  const value = parseNumeric(text) as ScaledDecimal;
  value.dscale = scale - 1;
  return value;
}

function decodeInet(input: ByteReader): Inet {
  const family = input.u8();
  assert(family === 4 || family === 6, "inet families are 4 and 6");
  const address = input.raw();
  const bits = input.varuint();
  return { family, address, bits, isCidr: input.u8() === 1 };
}

function decodeArray(input: ByteReader, depth: number): PgArray {
  const elementType = input.varuint();
  const dimCount = input.varuint();
  const dims: number[] = [];
  for (let i = 0; i < dimCount; i++) dims.push(input.varuint());
  const lowerBounds: number[] = [];
  for (let i = 0; i < dimCount; i++) lowerBounds.push(input.i32());
  const items: Value[] = [];
  for (let n = input.varuint(); n > 0; n--) items.push(decodeValue(input, depth + 1) as Value);
  return { kind: "array", elementType, dims, lowerBounds, items };
}

function decodeRecord(input: ByteReader, depth: number): PgRecord {
  const fields: Value[] = [];
  const types: number[] = [];
  for (let n = input.varuint(); n > 0; n--) {
    types.push(input.varuint());
    fields.push(decodeValue(input, depth + 1) as Value);
  }
  if (input.u8() === 0) return { kind: "record", fields, types };
  const names = fields.map(() => input.string());
  return { kind: "record", fields, types, names };
}
