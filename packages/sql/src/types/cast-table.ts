/**
 * PostgreSQL 15's pg_cast rows among the built-in types Tessera implements, each with its
 * conversion: `select castsource, casttarget, castcontext, castmethod from pg_cast`.
 * Binary-coercible rows ('b') keep the value (int4 to oid reinterprets the sign bit).
 */
import type { Decimal } from "decimal.js";
import {
  dateToTimestamp, dateToTimestamptz, float8ToFloat4, floatToInt, floatToInt8, floatToNumeric,
  inetToCidr, inetToText, int8ToOid, intToNumeric, intervalToTime, jsonbScalar, numericToFloat,
  numericToInt, stringCasts, timeToInterval, timestampToDate, timestampToTime,
  timestampToTimestamptz, timestamptzToTimestamp, timestamptzToTimestampInRange,
  timestamptzToTimetz, toInt,
  type CastFn,
} from "./cast-functions.js";
import type { FormatContext } from "./context.js";
import { localNow } from "./datetime/now.js";
import { sessionZone } from "./datetime/timestamp.js";
import { offsetForLocal } from "./datetime/zone.js";
import { bitCastRows } from "./bit-casts.js";
import { xactCastRows } from "./xact-ids.js";
import { macaddrCastRows } from "./macaddr.js";
import { moneyCastRows } from "./money.js";
import { geometryCastRows } from "./geometry-casts.js";
import { multirangeCastRows } from "./multirange.js";
import { outOfRange } from "./errors.js";
import { int2Max, int2Min, int4Max, int4Min } from "./integer.js";
import { formatJsonb, parseJsonb } from "./jsonb.js";
import { TypeOid as T } from "./oids.js";
import { typeOf } from "./registry.js";
import type { Inet, Interval, Jsonb, TimeTz, Value } from "./value.js";

export type CastRow = readonly [source: number, target: number, context: "i" | "a" | "e",
  method: "f" | "b" | "i", convert: CastFn, takesTypmod?: boolean];

const same: CastFn = (value) => value;
const asNumber = (fn: (value: number) => Value): CastFn => (value) => fn(value as number);
const asBigint = (fn: (value: bigint) => Value): CastFn => (value) => fn(value as bigint);
const asDecimal = (fn: (value: Decimal) => Value): CastFn => (value) => fn(value as Decimal);
/** bool as text is "true"/"false", not boolout's t/f. */
const toText: CastFn = (value) => (value === true ? "true" : "false");
const regFromInt4: CastFn = (value) => (value as number) >>> 0;
const regToInt4: CastFn = (value) => (value as number) | 0;
const jsonbTo = (want: "boolean" | "numeric", target: string, then: CastFn): CastFn =>
  (value, typmod, ctx) => then(jsonbScalar(value as Jsonb, want, target), typmod, ctx);

const numericTo = {
  int2: asDecimal((v) => numericToInt(v, "smallint")),
  int4: asDecimal((v) => numericToInt(v, "integer")),
  int8: asDecimal((v) => numericToInt(v, "bigint")),
  float4: asDecimal((v) => numericToFloat(v, true)),
  float8: asDecimal((v) => numericToFloat(v, false)),
};

export const castTable: readonly CastRow[] = [
  [T.bool, T.int4, "e", "f", (v) => (v === true ? 1 : 0)],
  [T.bool, T.text, "a", "f", toText], [T.bool, T.bpchar, "a", "f", toText],
  [T.bool, T.varchar, "a", "f", toText],
  [T.char, T.int4, "e", "f", (v) => signedChar(v as string)],
  [T.char, T.text, "i", "f", same],
  [T.char, T.bpchar, "a", "f", same],
  [T.char, T.varchar, "a", "f", same],
  [T.name, T.text, "i", "f", same],
  [T.name, T.bpchar, "a", "f", same],
  [T.name, T.varchar, "a", "f", same],
  [T.int8, T.int2, "a", "f", asBigint((v) => toInt(v, int2Min, int2Max, "smallint"))],
  [T.int8, T.int4, "a", "f", asBigint((v) => toInt(v, int4Min, int4Max, "integer"))],
  [T.int8, T.regproc, "i", "f", asBigint(int8ToOid)],
  [T.int8, T.oid, "i", "f", asBigint(int8ToOid)],
  [T.int8, T.float4, "i", "f", asBigint((v) => Math.fround(Number(v)))],
  [T.int8, T.float8, "i", "f", asBigint((v) => Number(v))],
  [T.int8, T.numeric, "i", "f", asBigint(intToNumeric)],
  [T.int8, T.regprocedure, "i", "f", asBigint(int8ToOid)],
  [T.int8, T.regclass, "i", "f", asBigint(int8ToOid)],
  [T.int8, T.regtype, "i", "f", asBigint(int8ToOid)],
  [T.int8, T.regnamespace, "i", "f", asBigint(int8ToOid)],
  [T.int8, T.regrole, "i", "f", asBigint(int8ToOid)],
  [T.int2, T.int8, "i", "f", asNumber(BigInt)], [T.int2, T.int4, "i", "f", same],
  [T.int2, T.regproc, "i", "f", regFromInt4], [T.int2, T.oid, "i", "f", regFromInt4],
  [T.int2, T.float4, "i", "f", same], [T.int2, T.float8, "i", "f", same],
  [T.int2, T.numeric, "i", "f", asNumber(intToNumeric)],
  [T.int2, T.regprocedure, "i", "f", regFromInt4], [T.int2, T.regclass, "i", "f", regFromInt4],
  [T.int2, T.regtype, "i", "f", regFromInt4], [T.int2, T.regnamespace, "i", "f", regFromInt4],
  [T.int2, T.regrole, "i", "f", regFromInt4],
  [T.int4, T.bool, "e", "f", (v) => v !== 0], [T.int4, T.char, "e", "f", asNumber(int4ToChar)],
  [T.int4, T.int8, "i", "f", asNumber(BigInt)],
  [T.int4, T.int2, "a", "f", asNumber((v) => toInt(v, int2Min, int2Max, "smallint"))],
  [T.int4, T.regproc, "i", "b", regFromInt4], [T.int4, T.oid, "i", "b", regFromInt4],
  [T.int4, T.float4, "i", "f", asNumber(Math.fround)], [T.int4, T.float8, "i", "f", same],
  [T.int4, T.numeric, "i", "f", asNumber(intToNumeric)],
  [T.int4, T.regprocedure, "i", "b", regFromInt4], [T.int4, T.regclass, "i", "b", regFromInt4],
  [T.int4, T.regtype, "i", "b", regFromInt4], [T.int4, T.regnamespace, "i", "b", regFromInt4],
  [T.int4, T.regrole, "i", "b", regFromInt4],
  [T.text, T.char, "a", "f", stringCasts.toChar],
  [T.text, T.name, "i", "f", stringCasts.textToName],
  [T.text, T.bpchar, "i", "b", same], [T.text, T.varchar, "i", "b", same],
  [T.text, T.regclass, "i", "f", (v, _t, ctx) => typeOf(T.regclass).input(v as string, -1, ctx)],
  [T.json, T.jsonb, "a", "i", (v) => parseJsonb(v as string)],
  [T.cidr, T.text, "a", "f", (v) => inetToText(v as Inet)],
  [T.cidr, T.inet, "i", "b", (v) => ({ ...(v as Inet), isCidr: false })],
  [T.cidr, T.bpchar, "a", "f", (v) => inetToText(v as Inet)],
  [T.cidr, T.varchar, "a", "f", (v) => inetToText(v as Inet)],
  [T.float4, T.int8, "a", "f", asNumber(floatToInt8)],
  [T.float4, T.int2, "a", "f", asNumber((v) => floatToInt(v, int2Min, int2Max, "smallint"))],
  [T.float4, T.int4, "a", "f", asNumber((v) => floatToInt(v, int4Min, int4Max, "integer"))],
  [T.float4, T.float8, "i", "f", same],
  [T.float4, T.numeric, "a", "f", asNumber((v) => floatToNumeric(v, true))],
  [T.float8, T.int8, "a", "f", asNumber(floatToInt8)],
  [T.float8, T.int2, "a", "f", asNumber((v) => floatToInt(v, int2Min, int2Max, "smallint"))],
  [T.float8, T.int4, "a", "f", asNumber((v) => floatToInt(v, int4Min, int4Max, "integer"))],
  [T.float8, T.float4, "a", "f", asNumber(float8ToFloat4)],
  [T.float8, T.numeric, "a", "f", asNumber((v) => floatToNumeric(v, false))],
  [T.inet, T.text, "a", "f", (v) => inetToText(v as Inet)],
  [T.inet, T.cidr, "a", "f", (v) => inetToCidr(v as Inet)],
  [T.inet, T.bpchar, "a", "f", (v) => inetToText(v as Inet)],
  [T.inet, T.varchar, "a", "f", (v) => inetToText(v as Inet)],
  [T.bpchar, T.char, "a", "f", stringCasts.toChar],
  [T.bpchar, T.name, "i", "f", stringCasts.bpcharToName],
  [T.bpchar, T.text, "i", "f", stringCasts.bpcharToText],
  [T.bpchar, T.varchar, "i", "f", stringCasts.bpcharToText],
  [T.varchar, T.char, "a", "f", stringCasts.toChar],
  [T.varchar, T.name, "i", "f", stringCasts.textToName],
  [T.varchar, T.text, "i", "b", same], [T.varchar, T.bpchar, "i", "b", same],
  [T.varchar, T.regclass, "i", "f", (v, _t, ctx) => typeOf(T.regclass).input(v as string, -1, ctx)],
  [T.date, T.timestamp, "i", "f", asNumber(dateToTimestamp)],
  [T.date, T.timestamptz, "i", "f", (v, _t, ctx) => dateToTimestamptz(v as number, ctx)],
  [T.time, T.interval, "i", "f", asNumber(timeToInterval)],
  [T.time, T.timetz, "i", "f", (v, _t, ctx) => timeToTimetz(v as number, ctx)],
  [T.timestamp, T.date, "a", "f", asBigint(timestampToDate)],
  [T.timestamp, T.time, "a", "f", asBigint(timestampToTime)],
  [T.timestamp, T.timestamptz, "i", "f", (v, _t, ctx) => timestampToTimestamptz(v as bigint, ctx)],
  [T.timestamptz, T.date, "a", "f",
    (v, _t, ctx) => timestampToDate(timestamptzToTimestamp(v as bigint, ctx))],
  [T.timestamptz, T.time, "a", "f",
    (v, _t, ctx) => timestampToTime(timestamptzToTimestamp(v as bigint, ctx))],
  [T.timestamptz, T.timestamp, "a", "f",
    (v, _t, ctx) => timestamptzToTimestampInRange(v as bigint, ctx)],
  [T.timestamptz, T.timetz, "a", "f", (v, _t, ctx) => timestamptzToTimetz(v as bigint, ctx)],
  [T.interval, T.time, "a", "f", (v) => intervalToTime(v as Interval)],
  [T.timetz, T.time, "a", "f", (v) => (v as TimeTz).micros],
  [T.numeric, T.int8, "a", "f", numericTo.int8], [T.numeric, T.int2, "a", "f", numericTo.int2],
  [T.numeric, T.int4, "a", "f", numericTo.int4], [T.numeric, T.float4, "i", "f", numericTo.float4],
  [T.numeric, T.float8, "i", "f", numericTo.float8],
  ...regRows(T.regproc), ...regRows(T.regprocedure), ...regRows(T.regclass), ...regRows(T.regtype),
  ...regRows(T.regnamespace), ...regRows(T.regrole), ...regRows(T.regconfig),
  ...regRows(T.regcollation), [T.oid, T.regcollation, "i", "b", same],
  [T.int4, T.regcollation, "i", "b", regFromInt4], [T.int2, T.regcollation, "i", "f", regFromInt4],
  [T.int8, T.regcollation, "i", "f", asBigint(int8ToOid)],
  [T.int4, T.regconfig, "i", "b", regFromInt4], [T.int2, T.regconfig, "i", "f", regFromInt4],
  [T.int8, T.regconfig, "i", "f", asBigint(int8ToOid)], [T.oid, T.regconfig, "i", "b", same],
  [T.oid, T.int8, "a", "f", asNumber(BigInt)], [T.oid, T.int4, "a", "b", regToInt4],
  [T.oid, T.regproc, "i", "b", same], [T.oid, T.regprocedure, "i", "b", same],
  [T.oid, T.regclass, "i", "b", same], [T.oid, T.regtype, "i", "b", same],
  [T.oid, T.regnamespace, "i", "b", same], [T.oid, T.regrole, "i", "b", same],
  [T.jsonb, T.bool, "e", "f", jsonbTo("boolean", "boolean", same)],
  [T.jsonb, T.int8, "e", "f", jsonbTo("numeric", "bigint", numericTo.int8)],
  [T.jsonb, T.int2, "e", "f", jsonbTo("numeric", "smallint", numericTo.int2)],
  [T.jsonb, T.int4, "e", "f", jsonbTo("numeric", "integer", numericTo.int4)],
  [T.jsonb, T.json, "a", "i", (v) => formatJsonb(v as Jsonb)],
  [T.jsonb, T.float4, "e", "f", jsonbTo("numeric", "real", numericTo.float4)],
  [T.jsonb, T.float8, "e", "f", jsonbTo("numeric", "double precision", numericTo.float8)],
  [T.jsonb, T.numeric, "e", "f", jsonbTo("numeric", "numeric", same)],
  ...bitCastRows,
  ...xactCastRows,
  ...macaddrCastRows,
  ...moneyCastRows,
  ...geometryCastRows,
  ...multirangeCastRows,
  ...regoperCastRows(T.regoper), ...regoperCastRows(T.regoperator),
];

/** regoper and regoperator: the reg* casts, and from oid, int2, int4 and int8. */
function regoperCastRows(reg: number): CastRow[] {
  return [...regRows(reg), [T.oid, reg, "i", "b", same], [T.int4, reg, "i", "b", regFromInt4],
    [T.int2, reg, "i", "f", regFromInt4], [T.int8, reg, "i", "f", asBigint(int8ToOid)]];
}

/** The casts every reg* type has: to int8 and int4 (assignment) and to oid (implicit). */
function regRows(reg: number): CastRow[] {
  const rows: CastRow[] = [
    [reg, T.int8, "a", "f", asNumber(BigInt)], [reg, T.int4, "a", "b", regToInt4],
    [reg, T.oid, "i", "b", same],
  ];
  if (reg === T.regproc) rows.push([reg, T.regprocedure, "i", "b", same]);
  return rows;
}

/** "char" as int4 is the byte read as a signed char. */
function signedChar(value: string): number {
  const code = value.charCodeAt(0) || 0;
  return code > 127 ? code - 256 : code;
}

function int4ToChar(value: number): string {
  if (value < -128 || value > 127) throw outOfRange('"char"');
  return value === 0 ? "" : String.fromCharCode(value < 0 ? value + 256 : value);
}

function timeToTimetz(micros: number, ctx: FormatContext): TimeTz {
  const today = localNow(ctx).days;
  const localSeconds = (today + 10957) * 86400 + Math.floor(micros / 1e6);
  const offset = offsetForLocal(sessionZone(ctx), localSeconds);
  return { micros, zoneSeconds: -offset };
}
