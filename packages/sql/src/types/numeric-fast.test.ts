import { test } from "node:test";
import assert from "node:assert/strict";
import { Decimal } from "decimal.js";
import {
  compareDecimalValues, exactNumericText, formatPlainDecimal, parsePlainDecimal,
} from "./numeric-fast.js";

/** Compares the fast parse with decimal.js's own, field by field, and both printings. */
function check(text: string): void {
  const fast = parsePlainDecimal(text);
  assert.ok(fast !== null, text);
  const slow = new Decimal(text);
  assert.equal(fast.value.s, slow.s, `${text} sign`);
  assert.equal(fast.value.e, slow.e, `${text} exponent`);
  assert.deepEqual(fast.value.d, slow.d, `${text} digits`);
  assert.equal(fast.value.constructor, slow.constructor);
  for (let scale = 0; scale < 20; scale++) {
    const printed = formatPlainDecimal(slow, scale);
    if (printed === null) assert.ok(slow.decimalPlaces() > scale, `${text} at ${scale}`);
    else assert.equal(printed, slow.toFixed(scale), `${text} at scale ${scale}`);
  }
}

test("plain decimal text parses as decimal.js parses it", () => {
  const fixed = ["0", "-0", "+0", "0.000", "-0.0", "5.", ".5", "-.5", "007.50", "1234567",
    "12345678", "1000000", "0.05", "0.0000001", "0.00000001", "12.5", "9999999.9999999",
    "123456789012345678901234567890.123456789", "1e5".replace("e5", "00000"), "43.2"];
  for (const text of fixed) check(text);
  let seed = 7;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let round = 0; round < 3000; round++) {
    const digits = (n: number): string =>
      Array.from({ length: n }, () => String(random(3) === 0 ? 0 : random(10))).join("");
    const whole = digits(random(12));
    const fraction = random(2) === 0 ? "" : "." + digits(random(12));
    const text = (random(3) === 0 ? "-" : "") + whole + fraction;
    if (/\d/.test(text)) check(text);
  }
});

test("other text is left to the general parser", () => {
  for (const text of ["", "-", ".", "1e5", " 1", "1 ", "1.2.3", "NaN", "--1", "1_000"]) {
    assert.equal(parsePlainDecimal(text), null, text);
  }
});

test("values that need rounding are left to toFixed", () => {
  assert.equal(formatPlainDecimal(new Decimal("1.25"), 1), null);
  assert.equal(formatPlainDecimal(new Decimal("-1.25"), 2), "-1.25");
  assert.equal(formatPlainDecimal(new Decimal("1e30"), 0), new Decimal("1e30").toFixed(0));
  assert.equal(formatPlainDecimal(new Decimal("-0"), 2), "0.00");
});

test("comparison agrees with decimal.js", () => {
  const texts = ["0", "-0", "1", "-1", "0.5", "-0.5", "12.5", "12.50001", "1234567.1",
    "12345678", "-12345678", "0.00000001", "1e20", "-1e-20", "Infinity", "-Infinity"];
  for (const a of texts) {
    for (const b of texts) {
      const x = new Decimal(a);
      const y = new Decimal(b);
      assert.equal(compareDecimalValues(x, y), x.cmp(y), `${a} vs ${b}`);
    }
  }
});

test("exact text reads back as the same digits", () => {
  const texts = ["0", "-0", "1.50", "-12.5", "1e30", "1e-30", "123456789.000000001", "0.1",
    "NaN", "Infinity", "-Infinity", "99999999999999999999.5"];
  for (const text of texts) {
    const value = new Decimal(text);
    const back = new Decimal(exactNumericText(value));
    assert.equal(back.toString(), value.toString(), text);
    assert.equal(back.isNegative(), value.isNegative(), text);
  }
  assert.equal(exactNumericText(new Decimal("43.20")), "43.2");
});
