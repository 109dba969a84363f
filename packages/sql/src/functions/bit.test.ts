/**
 * bit and bit varying: I/O, typmods, integer casts, operators and functions against
 * PostgreSQL 15's output.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { bitsFromInt, bitsToInt, coerceBit, coerceVarbit, parseBits } from "../types/bit.js";
import { findCast } from "../types/casts.js";
import { defaultFormatContext } from "../types/context.js";
import { opText, text } from "./test-util.js";
import { T } from "./type-oids.js";

test("bit input, typmods and integer casts", () => {
  assert.equal(parseBits("b101"), "101");
  assert.equal(parseBits("x1F"), "00011111");
  assert.throws(() => parseBits("102"), /"2" is not a valid binary digit/);
  assert.equal(coerceBit("101", 1, true), "1");
  assert.equal(coerceBit("1", 3, true), "100");
  assert.throws(() => coerceBit("1011", 3, false), /bit string length 4 does not match/);
  assert.equal(coerceVarbit("10010", 3, true), "100");
  assert.throws(() => coerceVarbit("1001", 3, false), /too long for type bit varying\(3\)/);
  assert.equal(bitsFromInt(255n, 8), "11111111");
  assert.equal(bitsFromInt(-1n, 40), "1".repeat(40));
  assert.equal(bitsToInt("1010", 32), 10n);
  assert.equal(bitsToInt("1".repeat(32), 32), -1n);
  const cast = findCast(T.int4, T.bit);
  assert.equal(cast?.takesTypmod, true);
  assert.equal(cast?.fn(5, 4, defaultFormatContext), "0101");
});

test("bit operators and functions", () => {
  assert.equal(opText("&", T.bit, T.bit, "1010", "0110"), "0010");
  assert.equal(opText("#", T.bit, T.bit, "1010", "0110"), "1100");
  assert.equal(opText("~", 0, T.bit, null, "1010"), "0101");
  assert.equal(opText("<<", T.bit, T.int4, "1010", 1), "0100");
  assert.equal(opText(">>", T.bit, T.int4, "1010", 2), "0010");
  assert.equal(opText("||", T.varbit, T.varbit, "10", "1"), "101");
  assert.throws(() => opText("|", T.bit, T.bit, "10", "1"), /cannot OR bit strings/);
  assert.equal(text("get_bit", [T.bit, T.int4], ["1010", 0]), "1");
  assert.equal(text("set_bit", [T.bit, T.int4, T.int4], ["1010", 1, 1]), "1110");
  assert.equal(text("substring", [T.bit, T.int4, T.int4], ["101101", 2, 3]), "011");
  assert.equal(text("bit_count", [T.varbit], ["1011"]), "3");
});
