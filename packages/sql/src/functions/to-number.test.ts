/**
 * to_number, the degree-based trigonometric functions and the position-based regexp
 * functions, against PostgreSQL 15's printed results.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { isSqlError } from "@tessera/base";
import { call, n, text } from "./test-util.js";
import { T } from "./type-oids.js";

const tt = [T.text, T.text];

test("to_number reads by the format's nodes", () => {
  assert.equal(text("to_number", tt, ["1,234.5", "9G999D9"]), "1234.5");
  assert.equal(text("to_number", tt, ["-12", "S99"]), "-12");
  assert.equal(text("to_number", tt, ["$ 12.50", "L99D99"]), "12.50");
  assert.equal(text("to_number", tt, ["<12>", "99PR"]), "-12");
  assert.equal(text("to_number", tt, ["12.345", "99.99"]), "12.34");
  assert.equal(text("to_number", tt, [".5-", "9.9S"]), "-0.5");
});

test("trigonometry in degrees is exact at the well-known angles", () => {
  const f = [T.float8];
  assert.equal(text("sind", f, [30]), "0.5");
  assert.equal(text("cosd", f, [60]), "0.5");
  assert.equal(text("tand", f, [45]), "1");
  assert.equal(text("tand", f, [180]), "0");
  assert.equal(text("asind", f, [0.5]), "30");
  assert.equal(text("acosd", f, [-0.5]), "120");
  assert.equal(text("atand", f, [1]), "45");
  assert.equal(text("sind", f, [-390]), "-0.5");
  assert.throws(() => call("asind", f, [2]),
    (e: unknown) => isSqlError(e) && e.code === "22003");
});

test("regexp_count, regexp_instr and regexp_substr count characters", () => {
  assert.equal(text("regexp_count", tt, ["abcabc", "b"]), "2");
  assert.equal(text("regexp_count", [T.text, T.text, T.int4], ["abcabc", "b", 3]), "1");
  assert.equal(text("regexp_instr", [T.text, T.text, T.int4, T.int4], ["abcabc", "c", 1, 2]),
    "6");
  assert.equal(text("regexp_instr",
    [T.text, T.text, T.int4, T.int4, T.int4], ["ébc", "b", 1, 1, 1]), "3");
  assert.equal(text("regexp_instr", tt, ["abc", "x"]), "0");
  assert.equal(text("regexp_substr", tt, ["abc123", "\\d+"]), "123");
  assert.equal(text("regexp_substr",
    [T.text, T.text, T.int4, T.int4, T.text, T.int4], ["a1b2", "([a-z])(\\d)", 1, 2, "", 2]),
  "2");
  assert.throws(() => call("regexp_instr", [T.text, T.text, T.int4], ["a", "a", 0]),
    (e: unknown) => isSqlError(e) && e.message === "invalid value for parameter \"start\": 0");
});

test("to_number keeps the fraction digits read and honours MI, V and an empty format", () => {
  assert.equal(text("to_number", tt, ["0.00001-", "9.999999S"]), "-0.00001");
  assert.equal(text("to_number", tt, ["5.01-", "FM9.999999MI"]), "-5.01");
  assert.equal(text("to_number", tt, ["1234.56", "L99,999.99"]), "1234.56");
  assert.equal(text("to_number", tt, ["123456", "9999999V99"]), "1234.5600000000000000");
  assert.equal(call("to_number", tt, ["12", ""]), null);
});

test("to_char places S, L, quoted text and special numerics as PostgreSQL", () => {
  const nt = [T.numeric, T.text];
  assert.equal(text("to_char", nt, [n(-123), "9999S"]), " 123-");
  assert.equal(text("to_char", nt, [n(3), "FML9"]), " 3");
  assert.equal(text("to_char", nt, [n(12), '"n\\"o" 99']), 'n"o  12');
  assert.equal(text("to_char", nt, [n("-Infinity"), "MI9999999999.99"]), "-  Infinity");
  assert.equal(text("to_char", nt, [n(0), "FM999.999"]), "0.");
  assert.equal(text("to_char", [T.float8, T.text], [0.15, "9.9"]), "  .1");
});

test("to_char of a float prints at most DBL_DIG / FLT_DIG digits, as PostgreSQL", () => {
  const f8 = [T.float8, T.text];
  assert.equal(text("to_char", f8, [1e20, "999999999999999999999D9"]),
    " 100000000000000000000");
  assert.equal(text("to_char", f8, [1234567890123.456, "9999999999999D999\"x\""]),
    " 1234567890123.46");
  assert.equal(text("to_char", f8, [-1234567890123.456, "9999999999999D999PR"]),
    "<1234567890123.46>");
  assert.equal(text("to_char", [T.float4, T.text], [123456.789, "999999D999"]), " 123457");
  assert.equal(text("to_char", f8, [1.5, "9D99"]), " 1.50");
});
