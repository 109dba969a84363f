/**
 * Orderings and hash keys: each list is in the order PostgreSQL 15's ORDER BY put it, and
 * equal values must share hash keys across representations (1.0 = 1.00, -0 = 0).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { defaultFormatContext as ctx } from "./context.js";
import { TypeOid } from "./oids.js";
import { typeOf } from "./registry.js";

function assertSorted(oid: number, texts: string[]): void {
  const type = typeOf(oid);
  const values = texts.map((text) => type.input(text, -1, ctx));
  for (let i = 0; i + 1 < values.length; i++) {
    const a = values[i] ?? null;
    const b = values[i + 1] ?? null;
    assert.ok(type.compare(a, b) <= 0, `${texts[i]} <= ${texts[i + 1]} for ${type.name}`);
    assert.ok(type.compare(b, a) >= 0, `${texts[i + 1]} >= ${texts[i]} for ${type.name}`);
  }
}

test("orders match PostgreSQL", () => {
  assertSorted(TypeOid.float8, ["-Infinity", "-1", "-0", "0", "1e-300", "Infinity", "NaN"]);
  assertSorted(TypeOid.numeric, ["-Infinity", "-1.5", "0", "1.49", "1.5", "Infinity", "NaN"]);
  assertSorted(TypeOid.text, ["", "A", "B", "a", "ab", "b", "é", "\uffff", "😀"]);
  assertSorted(TypeOid.jsonb, ["[]", "null", '"a"', '"ab"', '"b"', "1", "false", "true", "[null]",
    '["aa"]', '["b"]', '["x"]', "[1]", "[2]", "[[1]]", "[{}]", "[1, 2]", "{}", '{"a": 1}',
    '{"a": 2}', '{"a": [1]}', '{"a": {}}', '{"aa": 0}', '{"b": 0}', '{"a": 1, "b": 2}']);
  assertSorted(TypeOid.inet, ["1.2.3.5/16", "1.2.3.4/24", "1.2.3.4", "255.1.1.1", "::1"]);
  assertSorted(TypeOid.int4Array, ["{}", "{1}", "{1,2}", "{1,NULL}", "{2}"]);
  assertSorted(TypeOid.interval, ["-1 days", "0", "1 day", "30 days", "1 mon 1 sec"]);
  assertSorted(TypeOid.bytea, ["\\x", "\\x00", "\\x0000", "\\x01"]);
  assertSorted(TypeOid.timestamptz, ["-infinity", "1850-01-01", "2024-01-01", "infinity"]);
});

test("equal values share hash keys", () => {
  const pairs: [number, string, string][] = [
    [TypeOid.numeric, "1.0", "1.00"], [TypeOid.numeric, "-0", "0.000"],
    [TypeOid.float8, "-0", "0"], [TypeOid.float8, "NaN", "nan"],
    [TypeOid.interval, "1 mon", "30 days"], [TypeOid.bpchar, "ab", "ab   "],
    [TypeOid.jsonb, '{"a": 1.0}', '{"a":1}'], [TypeOid.numericArray, "{1.0}", "{1}"],
  ];
  for (const [oid, left, right] of pairs) {
    const type = typeOf(oid);
    const a = type.input(left, -1, ctx);
    const b = type.input(right, -1, ctx);
    assert.equal(type.compare(a, b), 0, `${left} = ${right}`);
    assert.equal(type.hashKey(a), type.hashKey(b), `${left} and ${right} hash alike`);
  }
  const int8 = typeOf(TypeOid.int8);
  assert.notEqual(int8.hashKey(9007199254740993n), int8.hashKey(9007199254740992n));
});

test("jsonb JSON null is not SQL NULL", () => {
  const jsonb = typeOf(TypeOid.jsonb);
  const value = jsonb.input("null", -1, ctx);
  assert.notEqual(value, null);
  assert.equal(jsonb.output(value, ctx), "null");
});
