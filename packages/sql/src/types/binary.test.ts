/**
 * Binary send/receive against bytes PostgreSQL 15 produced (numeric_send, array_send, ...),
 * plus round trips through receive for every family.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { defaultFormatContext as ctx } from "./context.js";
import { TypeOid } from "./oids.js";
import { typeOf } from "./registry.js";
import { makeNumericTypmod } from "./numeric.js";

function hex(bytes: Uint8Array): string {
  return "\\x" + Buffer.from(bytes).toString("hex");
}

/** [type, input text, typmod, bytes PG's *_send returned]. */
const vectors: [number, string, number, string][] = [
  [TypeOid.numeric, "12.5", makeNumericTypmod(5, 1), "\\x0002000000000001000c1388"],
  [TypeOid.numeric, "0.00", -1, "\\x0000000000000002"],
  [TypeOid.numeric, "-123456789.0001", -1, "\\x0004000240000004000109291a850001"],
  [TypeOid.numeric, "NaN", -1, "\\x00000000c0000000"],
  [TypeOid.numeric, "10000", -1, "\\x00010001000000000001"],
  [TypeOid.numeric, "0.00001234", -1, "\\x0001fffe0000000804d2"],
  [TypeOid.int4Array, "{{1,NULL},{3,4}}", -1,
    "\\x000000020000000100000017000000020000000100000002000000010000000400000001ffffffff" +
    "00000004000000030000000400000004"],
  [TypeOid.textArray, "[0:1]={a,b}", -1,
    "\\x000000010000000000000019000000020000000000000001610000000162"],
  [TypeOid.interval, "1 year 2 days 3 sec", -1, "\\x00000000002dc6c0000000020000000c"],
  [TypeOid.jsonb, '{"a":1}', -1, "\\x017b2261223a20317d"],
  [TypeOid.date, "2024-01-01", -1, "\\x0000223e"],
  [TypeOid.date, "infinity", -1, "\\x7fffffff"],
  [TypeOid.timestamp, "2024-01-01 00:00:01", -1, "\\x0002b0d5d4f88240"],
  [TypeOid.inet, "::1/64", -1, "\\x0340001000000000000000000000000000000001"],
  [TypeOid.cidr, "10/8", -1, "\\x020801040a000000"],
  [TypeOid.float4, "1.5", -1, "\\x3fc00000"],
  [TypeOid.uuid, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", -1, "\\xa0eebc999c0b4ef8bb6d6bb9bd380a11"],
  [TypeOid.bit, "10101", -1, "\\x00000005a8"],
  [TypeOid.bit, "101010101", -1, "\\x00000009aa80"],
  [TypeOid.varbit, "111", -1, "\\x00000003e0"],
  [TypeOid.varbit, "", -1, "\\x00000000"],
];

test("record_send: field count, then each field's OID, length and bytes", () => {
  const record = typeOf(TypeOid.record);
  const value = { kind: "record" as const, fields: [1, "a", null],
    types: [TypeOid.int4, TypeOid.text, TypeOid.int4] };
  // PostgreSQL 15: select record_send(row(1, 'a'::text, null::int))
  assert.equal(hex(record.send!(value, ctx)),
    "\\x0000000300000017000000040000000100000019000000016100000017ffffffff");
});

test("bit receive refuses a wrong length or nonzero padding with 22P03", () => {
  const bit = typeOf(TypeOid.varbit);
  assert.throws(() => bit.receive?.(Buffer.from("00000009aa", "hex"), -1, ctx), { code: "22P03" });
  assert.throws(() => bit.receive?.(Buffer.from("00000003e1", "hex"), -1, ctx), { code: "22P03" });
});

test("send matches PostgreSQL's bytes and receive reads them back", () => {
  for (const [oid, text, typmod, bytes] of vectors) {
    const type = typeOf(oid);
    const value = type.input(text, typmod, ctx);
    const sent = type.send?.(value, ctx);
    assert.ok(sent, `${type.name} has send`);
    assert.equal(hex(sent), bytes, `${type.name} ${text}`);
    const back = type.receive?.(sent, typmod, ctx);
    assert.ok(back !== undefined);
    const label = `${type.name} ${text} round trip`;
    assert.equal(type.output(back, ctx), type.output(value, ctx), label);
  }
});

test("receive rejects short and trailing bytes with 22P03", () => {
  const int4 = typeOf(TypeOid.int4);
  assert.throws(() => int4.receive?.(Uint8Array.of(0, 0, 1), -1, ctx), { code: "22P03" });
  assert.throws(() => int4.receive?.(Uint8Array.of(0, 0, 0, 1, 2), -1, ctx), { code: "22P03" });
  const array = typeOf(TypeOid.int4Array);
  const wrongElement = Buffer.from("000000010000000000000019000000010000000100000001610000", "hex");
  assert.throws(() => array.receive?.(wrongElement, -1, ctx), { code: "42804" });
});

test("round trips keep values for every binary type", () => {
  const samples: [number, string][] = [
    [TypeOid.bool, "t"], [TypeOid.int2, "-32768"], [TypeOid.int8, "-9223372036854775808"],
    [TypeOid.float8, "-1.5e-300"], [TypeOid.text, "héllo 😀"], [TypeOid.bytea, "\\x00ff"],
    [TypeOid.time, "23:59:59.999999"], [TypeOid.timestamptz, "2024-07-01 12:00+02"],
    [TypeOid.timetz, "04:05:06+05:30"], [TypeOid.oid, "4294967295"], [TypeOid.json, '{"a": 1}'],
    [TypeOid.numeric, "-Infinity"], [TypeOid.bpchar, "ab  "], [TypeOid.name, "pg_class"],
    [TypeOid.varcharArray, '{"a b",NULL}'], [TypeOid.pgLsn, "16/B374D848"],
  ];
  for (const [oid, text] of samples) {
    const type = typeOf(oid);
    const value = type.input(text, -1, ctx);
    const bytes = type.send?.(value, ctx);
    assert.ok(bytes, `${type.name} has send`);
    const back = type.receive?.(bytes, -1, ctx);
    assert.ok(back !== undefined);
    assert.equal(type.compare(back, value), 0, `${type.name} ${text}`);
  }
});
