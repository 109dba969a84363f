/**
 * Two-argument statistical aggregates (PostgreSQL docs table 9.60): corr, covar_pop,
 * covar_samp and the regr_* family. Each takes (Y, X) as float8 and skips a row where either
 * is null. The state is float8_regr_accum's: N, Σx, Σy and the Youngs-Cramer running sums of
 * squares and products, so results round exactly as PostgreSQL's do.
 */
import type { Value } from "../types/value.js";
import type { AggregateFunction } from "./defs.js";
import { agg } from "./aggregate-util.js";
import { T } from "./type-oids.js";
import { floatOverflow } from "./errors.js";

interface Regr {
  n: number;
  sx: number;
  sxx: number;
  sy: number;
  syy: number;
  sxy: number;
}

type RegrFinal = (s: Regr) => Value;

const finals: readonly (readonly [string, RegrFinal])[] = [
  ["regr_sxx", (s) => s.sxx],
  ["regr_syy", (s) => s.syy],
  ["regr_sxy", (s) => s.sxy],
  ["regr_avgx", (s) => s.sx / s.n],
  ["regr_avgy", (s) => s.sy / s.n],
  ["covar_pop", (s) => s.sxy / s.n],
  ["covar_samp", (s) => (s.n < 2 ? null : s.sxy / (s.n - 1))],
  ["corr", (s) => (s.sxx === 0 || s.syy === 0 ? null : s.sxy / Math.sqrt(s.sxx * s.syy))],
  ["regr_r2", (s) => (s.sxx === 0 ? null : s.syy === 0 ? 1 : (s.sxy * s.sxy) / (s.sxx * s.syy))],
  ["regr_slope", (s) => (s.sxx === 0 ? null : s.sxy / s.sxx)],
  ["regr_intercept", (s) => (s.sxx === 0 ? null : (s.sy - (s.sx * s.sxy) / s.sxx) / s.n)],
];

export function regressionAggregates(): AggregateFunction[] {
  const defs = finals.map(([name, final]) => agg<Regr>({
    name, argTypes: [T.float8, T.float8], returnType: T.float8,
    init: () => ({ n: 0, sx: 0, sxx: 0, sy: 0, syy: 0, sxy: 0 }),
    step: (s, a) => accumulate(s, a[0] ?? null, a[1] ?? null),
    combine,
    final: (s) => (s.n < 1 ? null : final(s)),
  }));
  defs.push(agg<{ n: bigint }>({
    name: "regr_count", argTypes: [T.float8, T.float8], returnType: T.int8,
    init: () => ({ n: 0n }),
    step: (s, a) => (a[0] === null || a[1] === null ? s : { n: s.n + 1n }),
    combine: (a, b) => ({ n: a.n + b.n }),
    final: (s) => s.n,
  }));
  return defs;
}

/** float8_regr_accum: one (y, x) pair into the running sums. */
function accumulate(s: Regr, yValue: Value, xValue: Value): Regr {
  if (yValue === null || xValue === null) return s;
  const y = yValue as number;
  const x = xValue as number;
  const n = s.n + 1;
  const next = { ...s, n, sx: s.sx + x, sy: s.sy + y };
  if (s.n > 0) {
    const dx = x * n - next.sx;
    const dy = y * n - next.sy;
    const scale = 1 / (n * s.n);
    next.sxx += dx * dx * scale;
    next.syy += dy * dy * scale;
    next.sxy += dx * dy * scale;
    // Infinite sums from finite inputs are an overflow; from infinite ones, NaN.
    const finiteX = !isInf(s.sx) && !isInf(x);
    const finiteY = !isInf(s.sy) && !isInf(y);
    if (isInf(next.sx) || isInf(next.sxx)) {
      if (finiteX) throw floatOverflow();
      next.sxx = NaN;
    }
    if (isInf(next.sy) || isInf(next.syy)) {
      if (finiteY) throw floatOverflow();
      next.syy = NaN;
    }
    if (isInf(next.sxy)) {
      if (finiteX && finiteY) throw floatOverflow();
      next.sxy = NaN;
    }
    return next;
  }
  if (!Number.isFinite(x)) {
    next.sxx = NaN;
    next.sxy = NaN;
  }
  if (!Number.isFinite(y)) {
    next.syy = NaN;
    next.sxy = NaN;
  }
  return next;
}

function isInf(v: number): boolean {
  return v === Infinity || v === -Infinity;
}

/** float8_regr_combine: merges two partial states. */
function combine(a: Regr, b: Regr): Regr {
  if (a.n === 0) return b;
  if (b.n === 0) return a;
  const n = a.n + b.n;
  const dx = a.sx / a.n - b.sx / b.n;
  const dy = a.sy / a.n - b.sy / b.n;
  const f = (a.n * b.n) / n;
  return { n, sx: a.sx + b.sx, sy: a.sy + b.sy, sxx: a.sxx + b.sxx + f * dx * dx,
    syy: a.syy + b.syy + f * dy * dy, sxy: a.sxy + b.sxy + f * dx * dy };
}
