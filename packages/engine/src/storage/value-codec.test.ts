import { test } from "node:test";
import assert from "node:assert/strict";
import { JSONB_NULL, parseNumeric, type Value } from "@tessera/sql";
import { ByteReader, ByteWriter } from "./byte-buffer.js";
import { decodeRow, encodeRow } from "./value-codec.js";

test("values round-trip exactly, numeric scale and -0 included", () => {
  const scaled = parseNumeric("1.500");
  const natural = parseNumeric("2.5");
  delete (natural as { dscale?: number }).dscale;
  const row: Value[] = [null, true, false, 0, -0, 2 ** 31, 1.5, NaN, -Infinity, 2n ** 63n - 1n,
    -(2n ** 70n), "", "héllo ☃", scaled, natural, parseNumeric("-0"), parseNumeric("Infinity"),
    new Uint8Array([0, 255]), { months: 1, days: -2, micros: 3_500_000n },
    { micros: 1.5, zoneSeconds: -3600 },
    { family: 6, address: new Uint8Array(16), bits: 64, isCidr: true },
    { kind: "object", entries: [["a", [null, JSONB_NULL, true, "x"]],
      ["b", { kind: "number", value: parseNumeric("1.50") }]] },
    { kind: "array", elementType: 23, dims: [2], lowerBounds: [0], items: [1, null] },
    { kind: "record", fields: [1, "a"], types: [23, 25], names: ["x", "y"] }];
  const out = new ByteWriter();
  encodeRow(out, row);
  const input = new ByteReader(out.finish());
  const back = decodeRow(input);
  assert.ok(input.done);
  assert.equal(back.length, row.length);
  row.forEach((value, i) => {
    const got = back[i];
    if (typeof value === "object" && value !== null && "toFixed" in value) {
      assert.equal(String(got), String(value));
      assert.equal((got as { dscale?: number }).dscale, (value as { dscale?: number }).dscale);
      assert.equal(Object.hasOwn(got as object, "dscale"), Object.hasOwn(value, "dscale"));
      return;
    }
    assert.ok(Object.is(got, value) || JSON.stringify(got, replacer) ===
      JSON.stringify(value, replacer), `value ${i}`);
  });
  const json = back[21] as unknown as { entries: [string, unknown[]][] };
  assert.equal(json.entries[0]![1][1], JSONB_NULL);
});

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return `${value}n`;
  if (value instanceof Uint8Array) return [...value];
  if (typeof value === "object" && value !== null && "toFixed" in value) {
    return `${String(value)}/${(value as { dscale?: number }).dscale}`;
  }
  return value;
}

test("strings keep their byte format: a varuint UTF-8 length, then TextEncoder's bytes", () => {
  const samples = ["a".repeat(200), "é".repeat(100), "x😀y", "lone \ud800 surrogate", "\udc00", ""];
  for (const text of samples) {
    const out = new ByteWriter(1);
    out.string(text);
    const utf8 = new TextEncoder().encode(text);
    const expected = new ByteWriter();
    expected.raw(utf8);
    assert.deepEqual(out.finish(), expected.finish());
    const back = new ByteReader(out.finish()).string();
    assert.equal(back, new TextDecoder().decode(utf8));
  }
});
