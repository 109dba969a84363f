/**
 * Casts and type names against PostgreSQL 15: contexts from pg_cast, conversion rounding
 * and errors, typmod coercion, and format_type text.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { findCast } from "./casts.js";
import { defaultFormatContext, type FormatContext } from "./context.js";
import { TypeOid as T } from "./oids.js";
import { typeOf } from "./registry.js";
import { formatType, parseTypeName, typeByName } from "./type-names.js";

function cast(source: number, target: number, text: string, typmod = -1,
  ctx: FormatContext = defaultFormatContext): string {
  const found = findCast(source, target);
  assert.ok(found, `cast ${source} -> ${target}`);
  const value = found.fn(typeOf(source).input(text, -1, ctx), typmod, ctx);
  return value === null ? "NULL" : typeOf(target).output(value, ctx);
}

test("cast contexts follow pg_cast and the I/O rules", () => {
  const context = (s: number, t: number): string | undefined => findCast(s, t)?.context;
  assert.equal(context(T.int4, T.int8), "i");
  assert.equal(context(T.int8, T.int4), "a");
  assert.equal(context(T.int4, T.bool), "e");
  assert.equal(context(T.text, T.date), "e");
  assert.equal(context(T.date, T.text), "a");
  assert.equal(context(T.jsonb, T.numeric), "e");
  assert.equal(context(T.textArray, T.int4Array), "e");
  assert.equal(context(T.int4Array, T.int8Array), "i");
  assert.equal(context(T.date, T.int4), undefined);
});

test("conversions round and fail as PostgreSQL", () => {
  assert.equal(cast(T.numeric, T.int4, "2.5"), "3");
  assert.equal(cast(T.numeric, T.int4, "-2.5"), "-3");
  assert.equal(cast(T.float8, T.int4, "2.5"), "2");
  assert.equal(cast(T.float8, T.int4, "3.5"), "4");
  assert.equal(cast(T.float8, T.int4, "-2.5"), "-2");
  assert.throws(() => cast(T.int8, T.int4, "2147483648"),
    { code: "22003", message: "integer out of range" });
  assert.throws(() => cast(T.int4, T.int2, "40000"), { message: "smallint out of range" });
  assert.throws(() => cast(T.float8, T.int8, "1e19"), { message: "bigint out of range" });
  assert.throws(() => cast(T.numeric, T.int4, "NaN"),
    { code: "0A000", message: "cannot convert NaN to integer" });
  assert.equal(cast(T.float8, T.numeric, "0.1"), "0.1");
  assert.equal(cast(T.float4, T.float8, "0.1"), "0.10000000149011612");
  assert.equal(cast(T.bool, T.text, "t"), "true");
  assert.equal(cast(T.int4, T.bool, "7"), "t");
  assert.equal(cast(T.inet, T.text, "1.2.3.4"), "1.2.3.4/32");
  assert.equal(cast(T.inet, T.cidr, "192.168.1.5/24"), "192.168.1.0/24");
  assert.equal(cast(T.int4, T.oid, "-1"), "4294967295");
  assert.equal(cast(T.bpchar, T.text, "ab  "), "ab");
  assert.equal(cast(T.jsonb, T.int4, "2.5"), "3");
  assert.throws(() => cast(T.jsonb, T.bool, '"x"'),
    { message: "cannot cast jsonb string to type boolean" });
  assert.equal(cast(T.text, T.varchar, "abcdef", 3 + 4), "abc");
  assert.equal(cast(T.numeric, T.numeric, "12.345", (5 << 16 | 2) + 4), "12.35");
  assert.equal(cast(T.textArray, T.int4Array, "{1,2}"), "{1,2}");
  const berlin = { ...defaultFormatContext, timeZone: "Europe/Berlin" };
  assert.equal(cast(T.date, T.timestamptz, "2024-07-01", -1, berlin), "2024-07-01 00:00:00+02");
  assert.equal(cast(T.timestamptz, T.date, "2024-06-30 23:30+00", -1, berlin), "2024-07-01");
  assert.equal(cast(T.timestamptz, T.timestamp, "2024-01-01 00:00+00", -1, berlin),
    "2024-01-01 01:00:00");
});

test("type names and format_type", () => {
  assert.equal(typeByName("double precision")?.oid, T.float8);
  assert.equal(typeByName("INT")?.oid, T.int4);
  assert.equal(typeByName("character varying[]")?.oid, T.varcharArray);
  assert.equal(typeByName("_int4")?.oid, T.int4Array);
  const varchar = parseTypeName("character varying(20)[]");
  assert.equal(varchar?.type.oid, T.varcharArray);
  assert.equal(varchar?.typmod, 24);
  assert.equal(parseTypeName("float(10)")?.type.oid, T.float4);
  assert.equal(formatType(T.varchar, 24), "character varying(20)");
  assert.equal(formatType(T.numeric, (10 << 16 | 2) + 4), "numeric(10,2)");
  assert.equal(formatType(T.timestamptz), "timestamp with time zone");
  assert.equal(formatType(T.timestamp, 3), "timestamp(3) without time zone");
  assert.equal(formatType(T.int4Array), "integer[]");
  assert.equal(formatType(T.bpchar), "character");
  assert.equal(formatType(T.bpchar, -1), "bpchar");
  assert.equal(formatType(T.char), '"char"');
  const interval = parseTypeName("interval day to second(2)");
  assert.ok(interval);
  assert.equal(formatType(T.interval, interval.typmod), "interval day to second(2)");
  assert.equal(typeOf(T.regtype).output(T.int4, defaultFormatContext), "integer");
  assert.equal(typeOf(T.regtype).input("text[]", -1, defaultFormatContext), T.textArray);
});

test("numeric to float goes through text, so underflow and overflow are 22003", () => {
  assert.equal(cast(T.numeric, T.float8, "0.1"), "0.1");
  assert.throws(() => cast(T.numeric, T.float8, "1e-400"),
    (e: Error & { code?: string }) => e.code === "22003" &&
      e.message.endsWith("001\" is out of range for type double precision"));
  assert.throws(() => cast(T.numeric, T.float4, "1e39"),
    (e: Error & { code?: string }) => e.code === "22003" &&
      e.message === `"1${"0".repeat(39)}" is out of range for type real`);
});
