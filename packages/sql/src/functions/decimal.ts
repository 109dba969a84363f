/**
 * Exact numeric arithmetic with PostgreSQL's display-scale rules.
 *
 * decimal.js rounds every operation to its configured precision and forgets trailing zeros,
 * while PostgreSQL's numeric is exact and carries a display scale (`1.50 + 1` is `2.50`). So
 * arithmetic here runs on a private high-precision clone, and each result's display scale
 * rides on the Decimal as an own property `dscale`, the convention of `types/numeric.ts`
 * (`scaleOf`, `withScale`). A Decimal without one has its scale read from its digits.
 *
 * Division follows PostgreSQL's select_div_scale: at least 16 significant digits, and never
 * fewer fraction digits than either input shows. So 10 / 4 is 2.5000000000000000 and 1 / 3 is
 * 0.33333333333333333333 (the quotient's first base-10000 digit is 0, so 4 more digits).
 */
import { Decimal } from "decimal.js";
import { SqlError, SqlState } from "@tessera/base";
import { divisionByZero } from "./errors.js";

export { Decimal };

/** Exact for + - * up to a billion digits; never used for division or transcendentals. */
const Exact = Decimal.clone({ precision: 1e9, rounding: Decimal.ROUND_HALF_UP });
/** Re-tuned before each use: precision is set to the digits a result needs. */
const Tuned = Decimal.clone({ rounding: Decimal.ROUND_DOWN });

/** A Decimal that may carry PostgreSQL's display scale, as types/numeric.ts defines it. */
type ScaledDecimal = Decimal & { dscale?: number };

export const numericMinSigDigits = 16;
export const numericDisplayScaleMax = 1000;
/** numeric holds at most 131072 digits before the decimal point. */
const numericMaxWeightDigits = 131072;

/** Returns the display scale of `d`: recorded by this module, or else its fraction digits. */
export function scaleOf(d: Decimal): number {
  const recorded = (d as ScaledDecimal).dscale;
  if (recorded !== undefined) return recorded;
  return d.isFinite() ? d.decimalPlaces() : 0;
}

/**
 * Returns a new Decimal equal to `d` rounded half away from zero to `scale` fraction digits,
 * carrying display scale `scale`. Never mutates `d`.
 */
export function withScale(d: Decimal, scale: number): Decimal {
  const s = Math.max(0, scale);
  let result = new Decimal(d);
  if (result.isFinite() && result.decimalPlaces() > s) {
    result = new Decimal(new Exact(d).toDecimalPlaces(s, Decimal.ROUND_HALF_UP));
  }
  if (result.isZero() && result.isNegative()) result = new Decimal(0);
  if (result.isFinite() && result.e >= numericMaxWeightDigits) {
    throw new SqlError(SqlState.numericValueOutOfRange, "value overflows numeric format");
  }
  (result as ScaledDecimal).dscale = s;
  return result;
}

export function dec(v: number | bigint | string): Decimal {
  return withScale(new Decimal(typeof v === "bigint" ? v.toString() : v), decimalPlacesOf(v));
}

function decimalPlacesOf(v: number | bigint | string): number {
  if (typeof v === "bigint") return 0;
  if (typeof v === "string") {
    const m = /^[+-]?\d*(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(v.trim());
    if (m !== null) return Math.max(0, (m[1]?.length ?? 0) - Number(m[2] ?? 0));
  }
  const d = new Decimal(v);
  return d.isFinite() ? d.decimalPlaces() : 0;
}

export function add(a: Decimal, b: Decimal): Decimal {
  return withScale(new Exact(a).plus(b), Math.max(scaleOf(a), scaleOf(b)));
}

export function sub(a: Decimal, b: Decimal): Decimal {
  return withScale(new Exact(a).minus(b), Math.max(scaleOf(a), scaleOf(b)));
}

export function mul(a: Decimal, b: Decimal): Decimal {
  return withScale(new Exact(a).times(b), Math.min(scaleOf(a) + scaleOf(b), 16383));
}

/** Divides as numeric_div: PostgreSQL's select_div_scale, rounded half away from zero. */
export function div(a: Decimal, b: Decimal): Decimal {
  if (a.isNaN() || b.isNaN()) return new Decimal(NaN);
  if (b.isZero()) throw divisionByZero();
  if (!b.isFinite()) return a.isFinite() ? withScale(new Decimal(0), 0) : new Decimal(NaN);
  if (!a.isFinite()) return a.div(b);
  return divRounded(a, b, divScale(a, b));
}

/** Returns a / b rounded half away from zero to `scale` fraction digits. */
export function divRounded(a: Decimal, b: Decimal, scale: number): Decimal {
  if (b.isZero()) throw divisionByZero();
  if (a.isZero()) return withScale(new Decimal(0), scale);
  const quotientExponent = a.e - b.e + 1;
  Tuned.set({ precision: Math.max(1, quotientExponent + scale + 3) });
  const q = new Tuned(a).div(b);
  return withScale(q, scale);
}

/** Returns a / b truncated toward zero to an integer (div(), and the first step of mod). */
export function divTrunc(a: Decimal, b: Decimal): Decimal {
  if (a.isNaN() || b.isNaN()) return new Decimal(NaN);
  if (b.isZero()) throw divisionByZero();
  if (!b.isFinite()) return a.isFinite() ? withScale(new Decimal(0), 0) : new Decimal(NaN);
  if (!a.isFinite()) return a.div(b);
  Tuned.set({ precision: Math.max(1, a.e - b.e + 3) });
  return withScale(new Tuned(a).div(b).truncated(), 0);
}

export function mod(a: Decimal, b: Decimal): Decimal {
  if (a.isNaN() || b.isNaN()) return new Decimal(NaN);
  if (b.isZero()) throw divisionByZero();
  if (!a.isFinite()) return new Decimal(NaN);
  if (!b.isFinite()) return a;
  const q = divTrunc(a, b);
  return withScale(new Exact(a).minus(new Exact(b).times(q)), Math.max(scaleOf(a), scaleOf(b)));
}

/** Returns the result scale of a / b as PostgreSQL's select_div_scale computes it. */
export function divScale(a: Decimal, b: Decimal): number {
  const [weight1, first1] = baseWeight(a);
  const [weight2, first2] = baseWeight(b);
  let qweight = weight1 - weight2;
  if (first1 <= first2) qweight--;
  let rscale = numericMinSigDigits - qweight * 4;
  rscale = Math.max(rscale, scaleOf(a), scaleOf(b), 0);
  return Math.min(rscale, numericDisplayScaleMax);
}

/**
 * Returns PostgreSQL's base-10000 weight of `d` and its first base-10000 digit: 12345.6 is
 * [1, 1] (1|2345.6), 0.00123 is [-1, 12].
 */
export function baseWeight(d: Decimal): [number, number] {
  if (d.isZero() || !d.isFinite()) return [0, 0];
  const weight = Math.floor(d.e / 4);
  const leading = (((d.e % 4) + 4) % 4) + 1;
  const digits = d.abs().toFixed().replace(".", "").replace(/^0+/, "");
  const first = Number(digits.slice(0, leading).padEnd(leading, "0"));
  return [weight, first];
}

/**
 * Runs `fn` on a clone tuned to `precision` significant digits, truncating: the caller rounds
 * the result half away from zero to fewer digits, and a truncated guard never turns a value
 * just below a half into one (sqrt(1.000000000000003) is 1.000000000000001, not ...002).
 */
export function withPrecision(precision: number, fn: (D: typeof Decimal) => Decimal): Decimal {
  Tuned.set({ precision, rounding: Decimal.ROUND_DOWN });
  return new Decimal(fn(Tuned));
}

/** Converts a finite integral Decimal to bigint. */
export function toBigInt(d: Decimal): bigint {
  return BigInt(d.toFixed(0));
}

export function isDecimal(v: unknown): v is Decimal {
  return v instanceof Decimal;
}
