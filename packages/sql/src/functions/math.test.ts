/**
 * Arithmetic operators and math functions against PostgreSQL 15's printed results.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { isSqlError } from "@tessera/base";
import { call, n, opText, text } from "./test-util.js";
import { T } from "./type-oids.js";

function throwsSql(f: () => unknown, code: string, message: string): void {
  assert.throws(f, (e: unknown) => isSqlError(e) && e.code === code && e.message === message);
}

test("integer operators truncate and range-check like PostgreSQL", () => {
  assert.equal(opText("/", T.int4, T.int4, 7, 2), "3");
  assert.equal(opText("/", T.int4, T.int4, -7, 2), "-3");
  assert.equal(opText("%", T.int4, T.int4, -7, 3), "-1");
  assert.equal(opText("%", T.int8, T.int8, 7n, -3n), "1");
  throwsSql(() => opText("+", T.int4, T.int4, 2147483647, 1), "22003", "integer out of range");
  throwsSql(() => opText("*", T.int2, T.int2, -32768, -1), "22003", "smallint out of range");
  throwsSql(
    () => opText("+", T.int8, T.int4, 9223372036854775807n, 1),
    "22003",
    "bigint out of range",
  );
  throwsSql(() => opText("/", T.int4, T.int4, 1, 0), "22012", "division by zero");
});

test("float operators report overflow and underflow", () => {
  throwsSql(() => opText("/", T.float8, T.float8, 5, 0), "22012", "division by zero");
  throwsSql(
    () => opText("*", T.float8, T.float8, 1e308, 10),
    "22003",
    "value out of range: overflow",
  );
  throwsSql(
    () => opText("*", T.float8, T.float8, 1e-308, 1e-300),
    "22003",
    "value out of range: underflow",
  );
  assert.equal(opText("+", T.float8, T.float8, 0.1, 0.2), "0.30000000000000004");
  assert.equal(opText("/", T.float4, T.float4, 1, 3), "0.33333334");
});

test("numeric operators keep PostgreSQL's display scales", () => {
  assert.equal(opText("+", T.numeric, T.numeric, n("1.50"), n(1)), "2.50");
  assert.equal(opText("*", T.numeric, T.numeric, n("1.5"), n("1.5")), "2.25");
  assert.equal(opText("/", T.numeric, T.numeric, n("10.0"), n(4)), "2.5000000000000000");
  assert.equal(opText("/", T.numeric, T.numeric, n(1), n(3)), "0.33333333333333333333");
  assert.equal(opText("/", T.numeric, T.numeric, n(100), n(7)), "14.2857142857142857");
  assert.equal(
    opText("/", T.numeric, T.numeric, n("12345678901234567890"), n(3)),
    "4115226300411522630",
  );
  assert.equal(opText("/", T.numeric, T.numeric, n("0.001"), n(7)), "0.00014285714285714286");
  assert.equal(opText("^", T.numeric, T.numeric, n(2), n(10)), "1024.0000000000000000");
  assert.equal(
    opText("^", T.numeric, T.numeric, n(3), n(40)),
    "12157665459056928801.0000000000000000",
  );
  assert.equal(opText("^", T.numeric, T.numeric, n(2), n("0.5")), "1.4142135623730950");
  assert.equal(opText("^", T.numeric, T.numeric, n("0.00123"), n(3)), "0.0000000018608670");
});

test("rounding: numeric half away from zero, float8 half to even", () => {
  assert.equal(text("round", [T.numeric], [n("2.5")]), "3");
  assert.equal(text("round", [T.numeric], [n("-2.5")]), "-3");
  assert.equal(text("round", [T.float8], [2.5]), "2");
  assert.equal(text("round", [T.float8], [3.5]), "4");
  assert.equal(text("round", [T.numeric, T.int4], [n("1234.567"), 2]), "1234.57");
  assert.equal(text("round", [T.numeric, T.int4], [n("1234.567"), -2]), "1200");
  assert.equal(text("trunc", [T.numeric], [n("-1.79")]), "-1");
  assert.equal(text("ceil", [T.float8], [-0.5]), "-0");
  assert.equal(text("floor", [T.numeric], [n("-0.5")]), "-1");
});

test("transcendental numeric functions pick PostgreSQL's result scale", () => {
  assert.equal(text("sqrt", [T.numeric], [n(2)]), "1.414213562373095");
  assert.equal(text("sqrt", [T.numeric], [n(1000000)]), "1000.0000000000000");
  assert.equal(text("sqrt", [T.numeric], [n("1e-10")]), "0.000010000000000000000");
  assert.equal(text("ln", [T.numeric], [n(2)]), "0.6931471805599453");
  assert.equal(text("ln", [T.numeric], [n("1e-10")]), "-23.025850929940457");
  assert.equal(text("log", [T.numeric], [n(100)]), "2.0000000000000000");
  assert.equal(text("log", [T.numeric, T.numeric], [n("2.0"), n(1024)]), "10.0000000000000000");
  assert.equal(text("exp", [T.numeric], [n(1)]), "2.7182818284590452");
  assert.equal(text("exp", [T.numeric], [n(10)]), "22026.465794806717");
  assert.equal(text("exp", [T.numeric], [n(100)]), "26881171418161354484126255515800135873611119");
});

test("math errors carry PostgreSQL's SQLSTATEs", () => {
  throwsSql(() => call("ln", [T.numeric], [n(0)]), "2201E", "cannot take logarithm of zero");
  throwsSql(
    () => call("ln", [T.float8], [-1]),
    "2201E",
    "cannot take logarithm of a negative number",
  );
  throwsSql(
    () => call("sqrt", [T.numeric], [n(-1)]),
    "2201F",
    "cannot take square root of a negative number",
  );
  throwsSql(
    () => call("power", [T.numeric, T.numeric], [n(0), n(-1)]),
    "2201F",
    "zero raised to a negative power is undefined",
  );
  throwsSql(
    () => call("power", [T.float8, T.float8], [-8, 1 / 3]),
    "2201F",
    "a negative number raised to a non-integer power yields a complex result",
  );
});

test("assorted math functions", () => {
  assert.equal(text("mod", [T.int4, T.int4], [-7, 3]), "-1");
  assert.equal(text("div", [T.numeric, T.numeric], [n("7.5"), n(2)]), "3");
  assert.equal(text("sign", [T.numeric], [n("-3.2")]), "-1");
  assert.equal(text("degrees", [T.float8], [Math.PI]), "180");
  assert.equal(text("radians", [T.float8], [180]), "3.141592653589793");
  assert.equal(
    text(
      "width_bucket",
      [T.numeric, T.numeric, T.numeric, T.int4],
      [n("5.35"), n("0.024"), n("10.06"), 5],
    ),
    "3",
  );
  assert.equal(text("gcd", [T.int4, T.int4], [12, 18]), "6");
  assert.equal(text("lcm", [T.int4, T.int4], [4, 6]), "12");
  assert.equal(text("abs", [T.numeric], [n("-1.50")]), "1.50");
  assert.equal(text("factorial", [T.int8], [20n]), "2432902008176640000");
  assert.equal(text("exp", [T.float8], [1]), "2.718281828459045");
});

test("cbrt matches glibc to the last bit", () => {
  assert.equal(text("cbrt", [T.float8], [27]), "3.0000000000000004");
  assert.equal(text("cbrt", [T.float8], [2]), "1.2599210498948734");
  assert.equal(text("cbrt", [T.float8], [-27]), "-3.0000000000000004");
  assert.equal(text("cbrt", [T.float8], [64]), "4");
  assert.equal(text("cbrt", [T.float8], [1e-300]), "1e-100");
});

test("numeric division, div and mod follow PostgreSQL with NaN and infinities", () => {
  const nn = [T.numeric, T.numeric];
  assert.equal(opText("/", T.numeric, T.numeric, n("NaN"), n(0)), "NaN");
  assert.equal(opText("/", T.numeric, T.numeric, n(5), n("Infinity")), "0");
  assert.equal(opText("%", T.numeric, T.numeric, n("Infinity"), n(3)), "NaN");
  assert.equal(opText("%", T.numeric, T.numeric, n("4.5"), n("-Infinity")), "4.5");
  assert.equal(text("div", nn, [n("-Infinity"), n(2)]), "-Infinity");
  assert.equal(text("log", nn, [n("Infinity"), n(10)]), "0");
  assert.equal(text("gcd", nn, [n("Infinity"), n(1)]), "NaN");
  assert.equal(text("lcm", nn, [n("0.33"), n("0.5")]), "16.50");
  assert.equal(call("min_scale", [T.numeric], [n("NaN")]), null);
  throwsSql(() => opText("/", T.numeric, T.numeric, n("Infinity"), n(0)), "22012",
    "division by zero");
  throwsSql(() => text("factorial", [T.int8], [40000n]), "22003",
    "value overflows numeric format");
});

test("numeric transcendental results are not rounded twice", () => {
  assert.equal(text("sqrt", [T.numeric], [n("1.000000000000003")]), "1.000000000000001");
  assert.equal(text("round", [T.numeric, T.int4], [n("12345678901234567890123.45"), -2]),
    "12345678901234567890100");
});

test("float8 power of ±1 to an infinite exponent is 1, as C's pow", () => {
  assert.equal(opText("^", T.float8, T.float8, -1, Infinity), "1");
  assert.equal(text("power", [T.float8, T.float8], [1, -Infinity]), "1");
});
