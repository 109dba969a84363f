/**
 * Ranges and multiranges through the WAL value codec: every flag, infinite and empty ranges,
 * bound values of several shapes (int4, int8, numeric with its scale, timestamps), multiranges
 * empty and not, and arrays of them come back equal under their types' comparison and text.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { TypeOid, defaultFormatContext, typeOf, type Value } from "@tessera/sql";
import { ByteReader, ByteWriter } from "./byte-buffer.js";
import { decodeRow, encodeRow } from "./value-codec.js";

test("ranges and multiranges round-trip through the codec", () => {
  const cases: [number, string][] = [
    [TypeOid.int4range, "[1,5)"], [TypeOid.int4range, "empty"], [TypeOid.int4range, "(,3)"],
    [TypeOid.int8range, "[9223372036854775806,)"], [TypeOid.numrange, "(1.50,2.5]"],
    [TypeOid.numrange, "(,)"], [TypeOid.tstzrange, "[2024-01-01 10:00+00,2024-01-02)"],
    [TypeOid.daterange, "[2024-01-01,infinity)"], [TypeOid.int4multirange, "{}"],
    [TypeOid.int4multirange, "{[1,3), [5,7), (10,)}"], [TypeOid.nummultirange, "{[1.0,2]}"],
    [TypeOid.tsmultirange, "{[2024-01-01 10:00,2024-01-01 11:00)}"],
    [6150, "{\"{[1,2)}\",NULL,\"{}\"}"],
  ];
  const ctx = defaultFormatContext;
  const row: Value[] = cases.map(([type, text]) => typeOf(type).input(text, -1, ctx));
  const out = new ByteWriter();
  encodeRow(out, row);
  const input = new ByteReader(out.finish());
  const back = decodeRow(input);
  assert.ok(input.done);
  cases.forEach(([type, text], i) => {
    const io = typeOf(type);
    assert.equal(io.compare(back[i]!, row[i]!), 0, text);
    assert.equal(io.output(back[i]!, ctx), io.output(row[i]!, ctx), text);
  });
});
