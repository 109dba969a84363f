/**
 * Statistical aggregates (PostgreSQL docs tables 9.59 and 9.60): variance, stddev and their
 * _samp/_pop forms, and the ordered-set percentile_cont, percentile_disc and mode.
 *
 * Integer and numeric inputs accumulate exact sums (N, Σx, Σx²) and finish as numeric.c's
 * numeric_stddev_internal: numerator N·Σx² − (Σx)², divided with select_div_scale, so the
 * variance of 1,2,3,4 prints 1.6666666666666667. float inputs use the Youngs-Cramer update
 * of float8_accum, whose rounding PostgreSQL's float results reflect.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Value } from "../types/value.js";
import type { AggregateFunction } from "./defs.js";
import { agg } from "./aggregate-util.js";
import { Decimal, add, divRounded, divScale, mul, sub, withScale, scaleOf } from "./decimal.js";
import { compareValues } from "./compare.js";
import { numericSqrt } from "./numeric-math.js";
import { T } from "./type-oids.js";
import { floatOverflow } from "./errors.js";
import { numericSqrtScaled } from "./numeric-sqrt.js";

interface Exact {
  n: bigint;
  sx: Decimal;
  sxx: Decimal;
}
interface Approx {
  n: number;
  sx: number;
  sxx: number;
}

const kinds = [
  ["variance", true, true],
  ["var_samp", true, true],
  ["var_pop", true, false],
  ["stddev", false, true],
  ["stddev_samp", false, true],
  ["stddev_pop", false, false],
] as const;

const d0 = (v: bigint | number): Decimal => withScale(new Decimal(v.toString()), 0);

export function statsAggregates(): AggregateFunction[] {
  const defs: AggregateFunction[] = [];
  for (const [name, variance, sample] of kinds) {
    for (const type of [T.int2, T.int4, T.int8, T.numeric]) {
      defs.push(
        agg<Exact>({
          name,
          argTypes: [type],
          returnType: T.numeric,
          init: () => ({ n: 0n, sx: d0(0), sxx: d0(0) }),
          step: (s, a) => {
            const v = a[0] ?? null;
            if (v === null) return s;
            const x = type === T.numeric ? (v as Decimal) : d0(v as number | bigint);
            return { n: s.n + 1n, sx: add(s.sx, x), sxx: add(s.sxx, mul(x, x)) };
          },
          combine: (a, b) => ({ n: a.n + b.n, sx: add(a.sx, b.sx), sxx: add(a.sxx, b.sxx) }),
          final: (s) => exactResult(s, variance, sample),
        }),
      );
    }
    for (const type of [T.float4, T.float8]) {
      defs.push(
        agg<Approx>({
          name,
          argTypes: [type],
          returnType: T.float8,
          init: () => ({ n: 0, sx: 0, sxx: 0 }),
          step: (s, a) => (a[0] === null || a[0] === undefined ? s : floatAccum(s, a[0] as number)),
          combine: floatCombine,
          final: (s) => floatResult(s, variance, sample),
        }),
      );
    }
  }
  return [...defs, ...orderedSetAggregates()];
}

function exactResult(s: Exact, variance: boolean, sample: boolean): Value {
  if (s.n <= (sample ? 1n : 0n)) return null;
  // numeric_stddev_internal: any NaN or infinite input makes the result NaN.
  if (!s.sx.isFinite() || !s.sxx.isFinite()) return new Decimal(NaN);
  const n = d0(s.n);
  const rscale = scaleOf(s.sx) * 2;
  const numerator = sub(withScale(mul(n, s.sxx), rscale), withScale(mul(s.sx, s.sx), rscale));
  if (numerator.lte(0)) return d0(0);
  const denominator = d0(sample ? s.n * (s.n - 1n) : s.n * s.n);
  const scale = divScale(numerator, denominator);
  const result = divRounded(numerator, denominator, scale);
  return variance ? result : numericSqrtScaled(result, scale);
}

function floatAccum(s: Approx, x: number): Approx {
  const n = s.n + 1;
  const sx = s.sx + x;
  let sxx = s.sxx;
  if (s.n > 0) {
    const tmp = x * n - sx;
    sxx += (tmp * tmp) / (n * s.n);
    // float8_accum: infinite sums from finite inputs overflow; from infinite ones, NaN.
    if (isInf(sx) || isInf(sxx)) {
      if (!isInf(s.sx) && !isInf(x)) throw floatOverflow();
      sxx = NaN;
    }
  } else if (!Number.isFinite(x)) {
    sxx = NaN;
  }
  return { n, sx, sxx };
}

function isInf(v: number): boolean {
  return v === Infinity || v === -Infinity;
}

function floatCombine(a: Approx, b: Approx): Approx {
  if (a.n === 0) return b;
  if (b.n === 0) return a;
  const n = a.n + b.n;
  const tmp = a.sx / a.n - b.sx / b.n;
  return { n, sx: a.sx + b.sx, sxx: a.sxx + b.sxx + (a.n * b.n * tmp * tmp) / n };
}

function floatResult(s: Approx, variance: boolean, sample: boolean): Value {
  if (s.n <= (sample ? 1 : 0)) return null;
  const v = s.sxx / (sample ? s.n - 1 : s.n);
  return variance ? v : Math.sqrt(v);
}

interface Sorted {
  items: Value[];
}

function checkFraction(p: number): void {
  if (!(p >= 0 && p <= 1)) {
    throw new SqlError(
      SqlState.numericValueOutOfRange,
      `percentile value ${p} is not between 0 and 1`,
    );
  }
}

function orderedSetAggregates(): AggregateFunction[] {
  const collect = (s: Sorted, a: Value[]): Sorted => {
    if (a[0] !== null && a[0] !== undefined) s.items.push(a[0]);
    return s;
  };
  const base = {
    init: (): Sorted => ({ items: [] }),
    step: collect,
    orderedSet: true,
    combine: (a: Sorted, b: Sorted): Sorted => ({ items: [...a.items, ...b.items] }),
  };
  return [
    agg<Sorted>({
      ...base,
      name: "percentile_cont",
      argTypes: [T.float8],
      returnType: T.float8,
      directArgTypes: [T.float8],
      final: (s, _c, d) => percentileCont(s.items as number[], d[0] as number),
    }),
    agg<Sorted>({
      ...base,
      name: "percentile_disc",
      argTypes: [T.anyelement],
      returnType: T.anyelement,
      directArgTypes: [T.float8],
      final: (s, _c, d) => percentileDisc(s.items, d[0] as number),
    }),
    agg<Sorted>({
      ...base,
      name: "mode",
      argTypes: [T.anyelement],
      returnType: T.anyelement,
      directArgTypes: [],
      final: (s, call) => mode(s.items, call.argTypes[0] ?? 0),
    }),
  ];
}

/** Interpolates between the two rows around fraction p of the sorted input. */
export function percentileCont(sorted: number[], p: number): Value {
  if (p === null) return null;
  checkFraction(p);
  if (sorted.length === 0) return null;
  const position = p * (sorted.length - 1);
  const first = Math.floor(position);
  const second = Math.ceil(position);
  const lo = sorted[first] ?? 0;
  const hi = sorted[second] ?? 0;
  return first === second ? lo : lo + (position - first) * (hi - lo);
}

export function percentileDisc(sorted: Value[], p: number): Value {
  if (p === null) return null;
  checkFraction(p);
  if (sorted.length === 0) return null;
  const row = Math.max(Math.ceil(p * sorted.length), 1);
  return sorted[row - 1] ?? null;
}

function mode(sorted: Value[], type: number): Value {
  let best: Value = null;
  let bestCount = 0;
  for (let i = 0; i < sorted.length;) {
    let j = i + 1;
    while (j < sorted.length && compareValues(sorted[j] ?? null, sorted[i] ?? null, type) === 0)
      j++;
    if (j - i > bestCount) {
      best = sorted[i] ?? null;
      bestCount = j - i;
    }
    i = j;
  }
  return best;
}

export { numericSqrt };
