/**
 * float4/float8 text input and shortest output against PostgreSQL 15's printed results,
 * including the decimals that sit exactly on a rounding boundary.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { defaultFormatContext } from "./context.js";
import { formatFloat4, formatFloat8, parseFloat4, parseFloat8 } from "./float.js";

test("float4 input rounds the decimal text once, as strtof", () => {
  assert.equal(parseFloat4("7.038531e-26"), 7.038530691851209e-26);
  assert.equal(parseFloat4("-7.038531e-26"), -7.038530691851209e-26);
  assert.equal(parseFloat4("1.1"), Math.fround(1.1));
});

test("shortest output never lands on a rounding boundary, as PostgreSQL's Ryu", () => {
  const ctx = defaultFormatContext;
  assert.equal(formatFloat8(parseFloat8("1e23"), ctx), "9.999999999999999e+22");
  assert.equal(formatFloat8(parseFloat8("7e22"), ctx), "7.0000000000000004e+22");
  assert.equal(formatFloat8(parseFloat8("1e22"), ctx), "1e+22");
  assert.equal(formatFloat8(0.1, ctx), "0.1");
  assert.equal(formatFloat4(parseFloat4("9e9"), ctx), "8.999999e+09");
  assert.equal(formatFloat4(parseFloat4("7.038531e-26"), ctx), "7.038531e-26");
  assert.equal(formatFloat4(parseFloat4("1e10"), ctx), "1e+10");
});
