/**
 * The rest of the math functions: trigonometry, width_bucket, gcd, lcm, factorial,
 * min_scale and trim_scale.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Value } from "../types/value.js";
import type { ScalarFunction } from "./defs.js";
import { fn, num } from "./builders.js";
import { Decimal, divTrunc, mod, mul, scaleOf, withScale } from "./decimal.js";
import { outOfRange } from "./errors.js";
import { T } from "./type-oids.js";

const trig: readonly [string, (x: number) => number][] = [
  ["sin", Math.sin],
  ["cos", Math.cos],
  ["tan", Math.tan],
  ["cot", (x) => 1 / Math.tan(x)],
  ["asin", Math.asin],
  ["acos", Math.acos],
  ["atan", Math.atan],
  ["sinh", Math.sinh],
  ["cosh", Math.cosh],
  ["tanh", Math.tanh],
  ["asinh", Math.asinh],
  ["acosh", Math.acosh],
  ["atanh", Math.atanh],
];

/** Returns the trigonometric and integer-theory functions. */
export function mathMoreFunctions(): ScalarFunction[] {
  return [
    ...trig.map(([name, f]) =>
      fn(name, [T.float8], T.float8, (a) => checkDomain(f(num(a[0] ?? 0)), num(a[0] ?? 0))),
    ),
    fn("atan2", [T.float8, T.float8], T.float8, (a) => Math.atan2(num(a[0] ?? 0), num(a[1] ?? 0))),
    fn("width_bucket", [T.float8, T.float8, T.float8, T.int4], T.int4, (a) =>
      widthBucket(num(a[0] ?? 0), num(a[1] ?? 0), num(a[2] ?? 0), num(a[3] ?? 0)),
    ),
    fn("width_bucket", [T.numeric, T.numeric, T.numeric, T.int4], T.int4, (a) =>
      widthBucket(dnum(a[0]), dnum(a[1]), dnum(a[2]), num(a[3] ?? 0)),
    ),
    fn("gcd", [T.int4, T.int4], T.int4, (a) => intGcd(a, 2147483647n, "integer")),
    fn("gcd", [T.int8, T.int8], T.int8, (a) => intGcd(a, 2n ** 63n - 1n, "bigint")),
    fn("gcd", [T.numeric, T.numeric], T.numeric, (a) =>
      numericGcd(a[0] as Decimal, a[1] as Decimal),
    ),
    fn("lcm", [T.int4, T.int4], T.int4, (a) => intLcm(a, 2147483647n, "integer")),
    fn("lcm", [T.int8, T.int8], T.int8, (a) => intLcm(a, 2n ** 63n - 1n, "bigint")),
    fn("lcm", [T.numeric, T.numeric], T.numeric, (a) =>
      numericLcm(a[0] as Decimal, a[1] as Decimal),
    ),
    fn("numeric_larger", [T.numeric, T.numeric], T.numeric, (a) =>
      numericCmp(a[0] as Decimal, a[1] as Decimal) >= 0 ? a[0]! : a[1]!,
    ),
    fn("numeric_smaller", [T.numeric, T.numeric], T.numeric, (a) =>
      numericCmp(a[0] as Decimal, a[1] as Decimal) <= 0 ? a[0]! : a[1]!,
    ),
    fn("factorial", [T.int8], T.numeric, (a) => factorial(a[0] as bigint)),
    fn("min_scale", [T.numeric], T.int4, (a) =>
      (a[0] as Decimal).isFinite() ? minScale(a[0] as Decimal) : null,
    ),
    fn("trim_scale", [T.numeric], T.numeric, (a) =>
      withScale(a[0] as Decimal, minScale(a[0] as Decimal)),
    ),
  ];
}

function checkDomain(result: number, x: number): number {
  if (Number.isNaN(result) && !Number.isNaN(x)) {
    throw new SqlError(SqlState.numericValueOutOfRange, "input is out of range");
  }
  return result;
}

function dnum(v: Value | undefined): number {
  return (v as Decimal).toNumber();
}

/** Returns the bucket of `x` among `count` equal buckets from `low` to `high`. */
function widthBucket(x: number, low: number, high: number, count: number): number {
  const fail = (message: string): SqlError =>
    new SqlError(SqlState.invalidArgumentForWidthBucketFunction, message);
  if (count <= 0) throw fail("count must be greater than zero");
  if (Number.isNaN(x) || Number.isNaN(low) || Number.isNaN(high)) {
    throw fail("operand, lower bound, and upper bound cannot be NaN");
  }
  if (!Number.isFinite(low) || !Number.isFinite(high)) {
    throw fail("lower and upper bounds must be finite");
  }
  if (low === high) throw fail("lower bound cannot equal upper bound");
  if (low < high) {
    if (x < low) return 0;
    if (x >= high) return checkBucket(count + 1);
    return Math.min(Math.floor(((x - low) / (high - low)) * count) + 1, count);
  }
  if (x > low) return 0;
  if (x <= high) return checkBucket(count + 1);
  return Math.min(Math.floor(((low - x) / (low - high)) * count) + 1, count);
}

function checkBucket(v: number): number {
  if (v > 2147483647) throw outOfRange("integer");
  return v;
}

function gcdBig(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function intGcd(a: Value[], max: bigint, type: string): Value {
  const g = gcdBig(BigInt(a[0] as number | bigint), BigInt(a[1] as number | bigint));
  if (g > max) throw outOfRange(type);
  return type === "bigint" ? g : Number(g);
}

function intLcm(a: Value[], max: bigint, type: string): Value {
  const x = BigInt(a[0] as number | bigint);
  const y = BigInt(a[1] as number | bigint);
  if (x === 0n || y === 0n) return type === "bigint" ? 0n : 0;
  let l = (x / gcdBig(x, y)) * y;
  if (l < 0n) l = -l;
  if (l > max) throw outOfRange(type);
  return type === "bigint" ? l : Number(l);
}

function numericGcd(a: Decimal, b: Decimal): Decimal {
  if (!a.isFinite() || !b.isFinite()) return new Decimal(NaN);
  let x = a.abs();
  let y = b.abs();
  while (!y.isZero()) [x, y] = [y, mod(x, y)];
  return withScale(x, Math.max(scaleOf(a), scaleOf(b)));
}

/** lcm of numerics as numeric_lcm: |a / gcd(a, b) * b|, 0 when either is 0. */
function numericLcm(a: Decimal, b: Decimal): Decimal {
  if (!a.isFinite() || !b.isFinite()) return new Decimal(NaN);
  const scale = Math.max(scaleOf(a), scaleOf(b));
  if (a.isZero() || b.isZero()) return withScale(new Decimal(0), scale);
  const g = numericGcd(a, b);
  return withScale(mul(divTrunc(a, g), b).abs(), scale);
}

/** numeric ordering: NaN above everything, as numeric_cmp. */
function numericCmp(a: Decimal, b: Decimal): number {
  if (a.isNaN() || b.isNaN()) return a.isNaN() ? (b.isNaN() ? 0 : 1) : -1;
  return a.comparedTo(b);
}

function factorial(n: bigint): Decimal {
  if (n < 0n) {
    throw new SqlError(
      SqlState.numericValueOutOfRange,
      "factorial of a negative number is undefined",
    );
  }
  let r = 1n;
  for (let i = 2n; i <= n; i++) {
    r *= i;
    // numeric holds 131072 integral digits: about 435412 bits.
    if ((i & 255n) === 0n && r.toString(16).length * 4 > 435420) {
      throw new SqlError(SqlState.numericValueOutOfRange, "value overflows numeric format");
    }
  }
  return withScale(new Decimal(r.toString()), 0);
}

function minScale(d: Decimal): number {
  return d.isFinite() ? d.decimalPlaces() : 0;
}
