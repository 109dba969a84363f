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
