/**
 * Mathematical functions (PostgreSQL docs §9.3): abs, round, trunc, ceil, floor, sign, mod,
 * div, gcd, lcm, power, sqrt, cbrt, exp, ln, log, log10, pi, degrees, radians, the
 * trigonometric functions, random, setseed, width_bucket, scale, factorial.
 *
 * round(numeric) rounds half away from zero; round(float8) rounds half to even (C's rint).
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Value } from "../types/value.js";
import type { ScalarFunction } from "./defs.js";
import { fn, num } from "./builders.js";
import { Decimal, divTrunc, mod, scaleOf, withScale } from "./decimal.js";
import {
  divisionByZero,
  floatOverflow,
  floatUnderflow,
  invalidParameter,
  outOfRange,
} from "./errors.js";
import { numericAbs } from "./numeric-ops.js";
import { numericExp, numericLn, numericLog, numericPower, numericSqrt } from "./numeric-math.js";
import { mathMoreFunctions } from "./math-more.js";
import { T } from "./type-oids.js";
import { cbrt } from "./libm.js";

const D = (v: Value): Decimal => v as Decimal;
const dec = (v: number): Decimal => withScale(new Decimal(v), 0);

/** Returns the math function table. */
export function mathFunctions(): ScalarFunction[] {
  return [
    fn("abs", [T.int2], T.int2, (a) => checkedAbs(num(a[0] ?? 0), 32767, "smallint")),
    fn("abs", [T.int4], T.int4, (a) => checkedAbs(num(a[0] ?? 0), 2147483647, "integer")),
    fn("abs", [T.int8], T.int8, (a) => absBig(a[0] as bigint)),
    fn("abs", [T.float4], T.float4, (a) => Math.abs(num(a[0] ?? 0))),
    fn("abs", [T.float8], T.float8, (a) => Math.abs(num(a[0] ?? 0))),
    fn("abs", [T.numeric], T.numeric, (a) => numericAbs(D(a[0] ?? null))),
    fn("round", [T.float8], T.float8, (a) => rint(num(a[0] ?? 0))),
    fn("round", [T.numeric], T.numeric, (a) => roundNumeric(D(a[0] ?? null), 0)),
    fn("round", [T.numeric, T.int4], T.numeric, (a) =>
      roundNumeric(D(a[0] ?? null), num(a[1] ?? 0)),
    ),
    fn("trunc", [T.float8], T.float8, (a) => Math.trunc(num(a[0] ?? 0))),
    fn("trunc", [T.numeric], T.numeric, (a) => truncNumeric(D(a[0] ?? null), 0)),
    fn("trunc", [T.numeric, T.int4], T.numeric, (a) =>
      truncNumeric(D(a[0] ?? null), num(a[1] ?? 0)),
    ),
    ...["ceil", "ceiling"].flatMap((name) => [
      fn(name, [T.float8], T.float8, (a) => Math.ceil(num(a[0] ?? 0))),
      fn(name, [T.numeric], T.numeric, (a) => integral(D(a[0] ?? null), Decimal.ROUND_CEIL)),
    ]),
    fn("floor", [T.float8], T.float8, (a) => Math.floor(num(a[0] ?? 0))),
    fn("floor", [T.numeric], T.numeric, (a) => integral(D(a[0] ?? null), Decimal.ROUND_FLOOR)),
    fn("sign", [T.float8], T.float8, (a) => signOf(num(a[0] ?? 0))),
    fn("sign", [T.numeric], T.numeric, (a) => numericSign(D(a[0] ?? null))),
    ...modFunctions(),
    ...["power", "pow"].flatMap((name) => [
      fn(name, [T.float8, T.float8], T.float8, (a) => float8Power(num(a[0] ?? 0), num(a[1] ?? 0))),
      fn(name, [T.numeric, T.numeric], T.numeric, (a) =>
        numericPower(D(a[0] ?? null), D(a[1] ?? null)),
      ),
    ]),
    fn("sqrt", [T.float8], T.float8, (a) => float8Sqrt(num(a[0] ?? 0))),
    fn("sqrt", [T.numeric], T.numeric, (a) => numericSqrt(D(a[0] ?? null))),
    fn("cbrt", [T.float8], T.float8, (a) => float8Cbrt(num(a[0] ?? 0))),
    fn("exp", [T.float8], T.float8, (a) => float8Exp(num(a[0] ?? 0))),
    fn("exp", [T.numeric], T.numeric, (a) => numericExp(D(a[0] ?? null))),
    fn("ln", [T.float8], T.float8, (a) => float8Log(num(a[0] ?? 0), Math.log)),
    fn("ln", [T.numeric], T.numeric, (a) => numericLn(D(a[0] ?? null))),
    fn("log", [T.float8], T.float8, (a) => float8Log(num(a[0] ?? 0), Math.log10)),
    fn("log10", [T.float8], T.float8, (a) => float8Log(num(a[0] ?? 0), Math.log10)),
    fn("log", [T.numeric], T.numeric, (a) => numericLog(dec(10), D(a[0] ?? null))),
    fn("log10", [T.numeric], T.numeric, (a) => numericLog(dec(10), D(a[0] ?? null))),
    fn("log", [T.numeric, T.numeric], T.numeric, (a) =>
      numericLog(D(a[0] ?? null), D(a[1] ?? null)),
    ),
    fn("pi", [], T.float8, () => Math.PI),
    fn("degrees", [T.float8], T.float8, (a) => num(a[0] ?? 0) / radiansPerDegree),
    fn("radians", [T.float8], T.float8, (a) => num(a[0] ?? 0) * radiansPerDegree),
    fn("random", [], T.float8, (_a, ctx) => ctx.random(), { volatility: "v" }),
    fn("setseed", [T.float8], T.void, (a, ctx) => setSeed(num(a[0] ?? 0), ctx.setSeed), {
      volatility: "v",
    }),
    ...mathMoreFunctions(),
  ];
}

const radiansPerDegree = 0.0174532925199432957692;

function checkedAbs(v: number, max: number, type: string): number {
  if (-v > max) throw outOfRange(type);
  return Math.abs(v);
}

function absBig(v: bigint): bigint {
  if (v === -(2n ** 63n)) throw outOfRange("bigint");
  return v < 0n ? -v : v;
}

/** Rounds half to even, as C's rint. */
export function rint(x: number): number {
  if (!Number.isFinite(x)) return x;
  const r = Math.round(x);
  if (Math.abs(x % 1) === 0.5 && r % 2 !== 0) return r - 1;
  return r === 0 && x < 0 ? -0 : r;
}

/** Rounds half away from zero to `scale` digits (negative: to tens, hundreds …). */
export function roundNumeric(d: Decimal, scale: number): Decimal {
  return toScale(d, scale, Decimal.ROUND_HALF_UP);
}

export function truncNumeric(d: Decimal, scale: number): Decimal {
  return toScale(d, scale, Decimal.ROUND_DOWN);
}

function toScale(d: Decimal, scale: number, rounding: Decimal.Rounding): Decimal {
  if (!d.isFinite()) return d;
  // numeric.c clamps the scale to numeric's limits: display scale 16383, weight 131072 digits.
  const s = Math.max(Math.min(scale, 16383), -131072);
  if (s >= 0) return withScale(d.toDecimalPlaces(s, rounding), s);
  // Shift by exponent text: the constructor is exact where div and times would round.
  const shifted = new Decimal(`${d.toFixed()}e${s}`).toDecimalPlaces(0, rounding);
  return withScale(new Decimal(`${shifted.toFixed()}e${-s}`), 0);
}

function integral(d: Decimal, rounding: Decimal.Rounding): Decimal {
  if (!d.isFinite()) return d;
  return withScale(d.toDecimalPlaces(0, rounding), 0);
}

function signOf(x: number): number {
  if (Number.isNaN(x)) return x;
  return x > 0 ? 1 : x < 0 ? -1 : 0;
}

function numericSign(d: Decimal): Decimal {
  if (d.isNaN()) return d;
  return dec(d.isZero() ? 0 : d.isNegative() ? -1 : 1);
}

function modFunctions(): ScalarFunction[] {
  const intMod = (a: Value[]): Value => {
    const [x, y] = [a[0] as number, a[1] as number];
    if (y === 0) throw divisionByZero();
    return x % y === 0 ? 0 : x % y;
  };
  return [
    fn("mod", [T.int2, T.int2], T.int2, intMod),
    fn("mod", [T.int4, T.int4], T.int4, intMod),
    fn("mod", [T.int8, T.int8], T.int8, (a) => {
      if (a[1] === 0n) throw divisionByZero();
      return (a[0] as bigint) % (a[1] as bigint);
    }),
    fn("mod", [T.numeric, T.numeric], T.numeric, (a) => mod(D(a[0] ?? null), D(a[1] ?? null))),
    fn("div", [T.numeric, T.numeric], T.numeric, (a) => divTrunc(D(a[0] ?? null), D(a[1] ?? null))),
    fn("scale", [T.numeric], T.int4, (a) =>
      D(a[0] ?? null).isFinite() ? scaleOf(D(a[0] ?? null)) : null,
    ),
  ];
}

export function float8Power(x: number, y: number): number {
  if (x === 0 && y < 0) {
    throw new SqlError(
      SqlState.invalidArgumentForPowerFunction,
      "zero raised to a negative power is undefined",
    );
  }
  if (x < 0 && !Number.isInteger(y) && Number.isFinite(y)) {
    throw new SqlError(
      SqlState.invalidArgumentForPowerFunction,
      "a negative number raised to a non-integer power yields a complex result",
    );
  }
  if (Number.isNaN(x)) return y === 0 ? 1 : NaN;
  if (Number.isNaN(y)) return x === 1 ? 1 : NaN;
  // C's pow: 1 and -1 to an infinite power are 1 (JavaScript says NaN).
  if (Math.abs(x) === 1 && !Number.isFinite(y)) return 1;
  const r = Math.pow(x, y);
  if (!Number.isFinite(r) && Number.isFinite(x) && Number.isFinite(y)) throw floatOverflow();
  if (r === 0 && x !== 0 && Number.isFinite(x) && Number.isFinite(y)) throw floatUnderflow();
  return r;
}

export function float8Sqrt(x: number): number {
  if (x < 0) {
    throw new SqlError(
      SqlState.invalidArgumentForPowerFunction,
      "cannot take square root of a negative number",
    );
  }
  return Math.sqrt(x);
}

/** cbrt as glibc computes it (see libm.ts); Math.cbrt differs in the last bit. */
export function float8Cbrt(x: number): number {
  return cbrt(x);
}

function float8Exp(x: number): number {
  const r = Math.exp(x);
  if (!Number.isFinite(r) && Number.isFinite(x)) throw floatOverflow();
  if (r === 0 && Number.isFinite(x)) throw floatUnderflow();
  return r;
}

function float8Log(x: number, f: (v: number) => number): number {
  if (x === 0) {
    throw new SqlError(SqlState.invalidArgumentForLogarithm, "cannot take logarithm of zero");
  }
  if (x < 0) {
    throw new SqlError(
      SqlState.invalidArgumentForLogarithm,
      "cannot take logarithm of a negative number",
    );
  }
  return f(x);
}

/** Reseeds the session PRNG; returns the void value, which prints as an empty string. */
function setSeed(seed: number, set: (seed: number) => void): string {
  if (!(seed >= -1 && seed <= 1)) {
    throw invalidParameter(`setseed parameter ${seed} is out of allowed range [-1,1]`);
  }
  set(seed);
  return "";
}
