/**
 * numeric arithmetic operators and the power operator `^` (numeric and float8), plus `|/`
 * (square root) and `||/` (cube root). Scales follow PostgreSQL (decimal.ts): `1.50 + 1` is
 * 2.50, `1.5 * 1.5` is 2.25, `1 / 3` is 0.33333333333333333333.
 */
import type { Value } from "../types/value.js";
import type { OperatorDef } from "./defs.js";
import { op } from "./builders.js";
import { Decimal, add, div, mod, mul, sub, scaleOf, withScale } from "./decimal.js";
import { numericPower, numericSqrt } from "./numeric-math.js";
import { float8Cbrt, float8Power, float8Sqrt } from "./math.js";
import { T } from "./type-oids.js";

const numericBinary: readonly [string, (a: Decimal, b: Decimal) => Decimal][] = [
  ["+", add],
  ["-", sub],
  ["*", mul],
  ["/", div],
  ["%", mod],
  ["^", numericPower],
];

/** Returns the numeric operator table, with float8's `^`, `|/` and `||/`. */
export function numericOperators(): OperatorDef[] {
  const ops: OperatorDef[] = numericBinary.map(([name, f]) =>
    op(
      name,
      T.numeric,
      T.numeric,
      T.numeric,
      (l, r) => f(l as Decimal, r as Decimal),
      name === "+" || name === "*" ? { commutator: name } : {},
    ),
  );
  ops.push(
    op("-", 0, T.numeric, T.numeric, (_l, r) => negate(r as Decimal)),
    op("+", 0, T.numeric, T.numeric, (_l, r) => r),
    op("@", 0, T.numeric, T.numeric, (_l, r) => numericAbs(r as Decimal)),
    op("^", T.float8, T.float8, T.float8, (l, r) => float8Power(l as number, r as number)),
    op("|/", 0, T.float8, T.float8, (_l, r) => float8Sqrt(r as number)),
    op("||/", 0, T.float8, T.float8, (_l, r) => float8Cbrt(r as number)),
  );
  return ops;
}

export function negate(d: Decimal): Decimal {
  return withScale(d.negated(), scaleOf(d));
}

export function numericAbs(d: Decimal): Decimal {
  return withScale(d.abs(), scaleOf(d));
}

export { numericSqrt };

/** Returns a numeric operand as Decimal, for mixed helpers that accept any numeric shape. */
export function asDecimal(v: Value): Decimal {
  if (v instanceof Decimal) return v;
  if (typeof v === "bigint") return withScale(new Decimal(v.toString()), 0);
  return withScale(new Decimal(v as number), 0);
}
