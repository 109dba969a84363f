/**
 * Square root of a numeric rounded to a given scale, as numeric.c's sqrt_var with an explicit
 * rscale (the stddev aggregates take the variance's scale).
 */
import { Decimal, withPrecision, withScale } from "./decimal.js";

export function numericSqrtScaled(x: Decimal, scale: number): Decimal {
  const digits = Math.max(x.e, 0) + scale + 8;
  return withScale(
    withPrecision(digits, (D) => new D(x).sqrt()),
    scale,
  );
}
