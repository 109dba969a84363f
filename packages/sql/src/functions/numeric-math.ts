/**
 * numeric's transcendental functions (sqrt, ln, log, exp, power) with PostgreSQL's result
 * scales, so `sqrt(2::numeric)` prints 1.414213562373095 and `2::numeric ^ 10` prints
 * 1024.0000000000000000 as PostgreSQL 15 does.
 *
 * Each picks its result scale the way numeric.c does (at least 16 significant digits, never
 * fewer fraction digits than the inputs show), computes with a few guard digits, and rounds
 * half away from zero.
 */
import { SqlError, SqlState } from "@tessera/base";
import {
  Decimal,
  baseWeight,
  numericDisplayScaleMax,
  numericMinSigDigits,
  scaleOf,
  withPrecision,
  withScale,
} from "./decimal.js";
import { divisionByZero } from "./errors.js";

function clampScale(rscale: number, ...inputs: Decimal[]): number {
  let s = rscale;
  for (const d of inputs) s = Math.max(s, scaleOf(d));
  return Math.min(Math.max(s, 0), numericDisplayScaleMax);
}

/** Computes with enough digits for `rscale` fraction digits of a result near 10^weight. */
function compute(weight: number, rscale: number, f: (D: typeof Decimal) => Decimal): Decimal {
  const digits = Math.max(weight + 1, 1) + rscale + 8;
  return withScale(withPrecision(digits, f), rscale);
}

export function numericSqrt(x: Decimal): Decimal {
  if (x.isNaN()) return x;
  if (x.isNegative() && !x.isZero()) {
    throw new SqlError(
      SqlState.invalidArgumentForPowerFunction,
      "cannot take square root of a negative number",
    );
  }
  if (!x.isFinite()) return x;
  const [weight] = baseWeight(x);
  const sweight = Math.trunc(((weight + 1) * 4) / 2) - 1;
  const rscale = clampScale(numericMinSigDigits - sweight, x);
  return compute(sweight, rscale, (D) => new D(x).sqrt());
}

function checkLogArgument(x: Decimal): void {
  if (x.isZero()) {
    throw new SqlError(SqlState.invalidArgumentForLogarithm, "cannot take logarithm of zero");
  }
  if (x.isNegative()) {
    throw new SqlError(
      SqlState.invalidArgumentForLogarithm,
      "cannot take logarithm of a negative number",
    );
  }
}

/** Returns PostgreSQL's estimate_ln_dweight: the decimal weight of ln(x). */
export function estimateLnWeight(x: Decimal): number {
  if (x.gte(0.9) && x.lte(1.1)) {
    const d = x.minus(1);
    return d.isZero() ? 0 : d.e;
  }
  const lnX = (x.e + Math.log10(Number(x.toExponential(15).split("e")[0]))) * Math.LN10;
  return Math.trunc(Math.log10(Math.abs(lnX)));
}

export function numericLn(x: Decimal): Decimal {
  if (x.isNaN()) return x;
  checkLogArgument(x);
  if (!x.isFinite()) return x;
  const w = estimateLnWeight(x);
  const rscale = clampScale(numericMinSigDigits - w, x);
  return compute(w, rscale, (D) => new D(x).ln());
}

/** log(base, x) as numeric's log_var. */
export function numericLog(base: Decimal, x: Decimal): Decimal {
  if (base.isNaN() || x.isNaN()) return new Decimal(NaN);
  checkLogArgument(base);
  checkLogArgument(x);
  if (!base.isFinite()) return x.isFinite() ? withScale(new Decimal(0), 0) : new Decimal(NaN);
  if (!x.isFinite()) return x;
  if (base.eq(1)) throw divisionByZero();
  const w = estimateLnWeight(x) - estimateLnWeight(base);
  const rscale = clampScale(numericMinSigDigits - w, base, x);
  return compute(w, rscale, (D) => new D(x).ln().div(new D(base).ln()));
}

export function numericExp(x: Decimal): Decimal {
  if (x.isNaN()) return x;
  if (!x.isFinite()) return x.isNegative() ? withScale(new Decimal(0), 0) : x;
  const val = x.toNumber() * 0.434294481903252;
  if (val > 131072) {
    throw new SqlError(SqlState.numericValueOutOfRange, "value overflows numeric format");
  }
  const rscale = clampScale(numericMinSigDigits - Math.trunc(val), x);
  return compute(Math.ceil(val), rscale, (D) => new D(x).exp());
}

/** base ^ exp as numeric's power_var, integer exponents exactly. */
export function numericPower(base: Decimal, exp: Decimal): Decimal {
  if (base.isNaN() || exp.isNaN()) {
    return base.eq(1) || exp.isZero() ? withScale(new Decimal(1), 0) : new Decimal(NaN);
  }
  if (base.isZero() && exp.isNegative()) {
    throw new SqlError(
      SqlState.invalidArgumentForPowerFunction,
      "zero raised to a negative power is undefined",
    );
  }
  const integral = exp.isInteger();
  if (base.isNegative() && !integral) {
    throw new SqlError(
      SqlState.invalidArgumentForPowerFunction,
      "a negative number raised to a non-integer power yields a complex result",
    );
  }
  if (!base.isFinite() || !exp.isFinite()) return base.pow(exp);
  const log10 = base.isZero()
    ? 0
    : exp.toNumber() *
      (base.abs().e + Math.log10(Number(base.abs().toExponential(15).split("e")[0])));
  if (log10 > 131072) {
    throw new SqlError(SqlState.numericValueOutOfRange, "value overflows numeric format");
  }
  if (integral && exp.abs().lte(2147483647)) {
    const rscale = clampScale(numericMinSigDigits, base);
    return compute(Math.ceil(Math.max(log10, 0)), rscale, (D) => new D(base).pow(exp));
  }
  const rscale = clampScale(numericMinSigDigits - Math.trunc(log10), base, exp);
  return compute(Math.ceil(Math.max(log10, 0)), rscale, (D) => new D(base).pow(exp));
}
