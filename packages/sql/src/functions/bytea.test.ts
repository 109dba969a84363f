/** bytea functions and encoding conversions, against PostgreSQL 15's printed results. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { isSqlError } from "@tessera/base";
import { call, text } from "./test-util.js";
import { T } from "./type-oids.js";

const bytes = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex, "hex"));

test("substring, position, get_byte and set_byte work on bytes", () => {
  assert.equal(text("substring", [T.bytea, T.int4, T.int4], [bytes("0102030405"), 2, 3]),
    "\\x020304");
  assert.equal(text("substring", [T.bytea, T.int4, T.int4], [bytes("0102"), 0, 2]), "\\x01");
  assert.equal(text("position", [T.bytea, T.bytea], [bytes("010203"), bytes("03")]), "3");
  assert.equal(text("get_byte", [T.bytea, T.int4], [bytes("0a0b"), 1]), "11");
  assert.equal(text("set_byte", [T.bytea, T.int4, T.int4], [bytes("000000"), 1, 255]),
    "\\x00ff00");
  assert.throws(() => call("get_byte", [T.bytea, T.int4], [bytes("0a"), 1]),
    (e: unknown) => isSqlError(e) && e.code === "2202E" &&
      e.message === "index 1 out of valid range, 0..0");
});

test("convert_to, convert_from and length(bytea, encoding)", () => {
  assert.equal(text("convert_to", [T.text, T.name], ["é", "UTF8"]), "\\xc3a9");
  assert.equal(text("convert_to", [T.text, T.name], ["é", "latin1"]), "\\xe9");
  assert.equal(text("convert_from", [T.bytea, T.name], [bytes("48c3a9"), "UTF8"]), "Hé");
  assert.equal(text("length", [T.bytea, T.name], [bytes("48c3a9"), "UTF8"]), "2");
  assert.throws(() => call("convert_to", [T.text, T.name], ["€", "LATIN1"]),
    (e: unknown) => isSqlError(e) && e.code === "22P05");
  assert.throws(() => call("convert_from", [T.bytea, T.name], [bytes("ff"), "UTF8"]),
    (e: unknown) => isSqlError(e) && e.code === "22021" &&
      e.message === "invalid byte sequence for encoding \"UTF8\": 0xff");
  assert.throws(() => call("convert_to", [T.text, T.name], ["x", "nope"]),
    (e: unknown) => isSqlError(e) && e.message === "invalid destination encoding name \"nope\"");
});

test("WIN1252 and LATIN9 convert through UTF8; other pairs have no conversion", () => {
  assert.equal(text("convert_from", [T.bytea, T.name], [bytes("80"), "WIN1252"]), "€");
  assert.equal(text("convert_to", [T.text, T.name], ["€Œé", "LATIN9"]), "\\xa4bce9");
  assert.equal(text("convert", [T.bytea, T.name, T.name], [bytes("e282ac"), "UTF8", "win1252"]),
    "\\x80");
  assert.throws(() => call("convert_from", [T.bytea, T.name], [bytes("81"), "WIN1252"]),
    (e: unknown) => isSqlError(e) && e.code === "22P05");
  assert.throws(() => call("convert_from", [T.bytea, T.name], [bytes("6100"), "UTF8"]),
    (e: unknown) => isSqlError(e) && e.code === "22021");
  assert.throws(() => call("convert", [T.bytea, T.name, T.name], [bytes("80"), "WIN1252",
    "LATIN1"]), (e: unknown) => isSqlError(e) && e.code === "42883");
});

test("bytea trim, overlay, bit_count and bit_length", () => {
  const two = [T.bytea, T.bytea];
  assert.equal(text("btrim", two, [bytes("00746f6d00"), bytes("00")]), "\\x746f6d");
  assert.equal(text("ltrim", two, [bytes("0000a000"), bytes("00")]), "\\xa000");
  assert.equal(text("rtrim", two, [bytes("00a00000"), bytes("00")]), "\\x00a0");
  assert.equal(text("overlay", [T.bytea, T.bytea, T.int4, T.int4],
    [bytes("0102030405"), bytes("aabb"), 2, 3]), "\\x01aabb05");
  assert.equal(text("overlay", [T.bytea, T.bytea, T.int4], [bytes("0102"), bytes("ff"), 5]),
    "\\x0102ff");
  assert.equal(text("bit_count", [T.bytea], [bytes("1234567890")]), "15");
  assert.equal(text("bit_length", [T.bytea], [bytes("010203")]), "24");
});
