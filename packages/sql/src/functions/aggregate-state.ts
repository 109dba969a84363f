/**
 * The transition and combine functions of the built-in aggregates that PostgreSQL exposes in
 * pg_proc and that SQL may call directly or name in CREATE AGGREGATE:
 *
 *   float8_accum('{4,140,2900}', 100)                 -> {5,240,6280}   (N, Sx, Sxx)
 *   float8_regr_accum('{4,140,2900,1290,83075,15050}', 200, 100)  (N, Sx, Sxx, Sy, Syy, Sxy)
 *   float8_combine('{3,60,200}', '{2,180,200}')       -> {5,240,6280}
 *   int4_avg_accum('{0,0}', 3) -> {1,3}    int8_avg('{2,3}') -> 1.5000000000000000
 *   booland_statefunc(true, false) -> f    int8inc_any(4, 'x') -> 5    int4_sum(null, 2) -> 2
 *   float8_var_pop('{4,140,2900}') -> 725  (and float8_avg, _var_samp, _stddev_pop, _samp)
 *
 * The float8 states follow float.c: Youngs-Cramer updates of the sums of squared deviations,
 * NaN once an infinite input makes them meaningless, 22003 when finite inputs overflow.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { PgArray, Value } from "../types/value.js";
import type { ScalarFunction } from "./defs.js";
import { fn } from "./builders.js";
import { makeArray } from "./array-util.js";
import { Decimal, div, withScale } from "./decimal.js";
import { floatOverflow } from "./errors.js";
import { float8Add } from "./float-ops.js";
import { T } from "./type-oids.js";

export function aggregateStateFunctions(): ScalarFunction[] {
  const f8 = T.float8Array;
  return [
    fn("float8_accum", [f8, T.float8], f8, (a) => float8Accum(floats(a[0], 3, "float8_accum"),
      a[1] as number)),
    fn("float8_regr_accum", [f8, T.float8, T.float8], f8, (a) => float8RegrAccum(
      floats(a[0], 6, "float8_regr_accum"), a[1] as number, a[2] as number)),
    fn("float8_combine", [f8, f8], f8, (a) => float8Combine(
      floats(a[0], 3, "float8_combine"), floats(a[1], 3, "float8_combine"))),
    fn("float8_regr_combine", [f8, f8], f8, (a) => float8RegrCombine(
      floats(a[0], 6, "float8_regr_combine"), floats(a[1], 6, "float8_regr_combine"))),
    ...float8Finals(),
    fn("booland_statefunc", [T.bool, T.bool], T.bool, (a) => a[0] === true && a[1] === true),
    fn("boolor_statefunc", [T.bool, T.bool], T.bool, (a) => a[0] === true || a[1] === true),
    fn("int2_avg_accum", [T.int8Array, T.int2], T.int8Array, (a) => intAvgAccum(a[0], a[1])),
    fn("int4_avg_accum", [T.int8Array, T.int4], T.int8Array, (a) => intAvgAccum(a[0], a[1])),
    fn("int8_avg", [T.int8Array], T.numeric, (a) => int8Avg(a[0])),
    fn("int8inc_any", [T.int8, T.any], T.int8, (a) => int8Inc(a[0] as bigint)),
    fn("int2_sum", [T.int8, T.int2], T.int8, (a) => intSum(a[0], a[1]), { strict: false }),
    fn("int4_sum", [T.int8, T.int4], T.int8, (a) => intSum(a[0], a[1]), { strict: false }),
  ];
}

/** float8_avg, float8_var_pop … : the final functions over an {N, Sx, Sxx} state. */
function float8Finals(): ScalarFunction[] {
  const finals: [string, number, (n: number, sx: number, sxx: number) => number][] = [
    ["float8_avg", 1, (n, sx) => sx / n],
    ["float8_var_pop", 1, (n, _sx, sxx) => sxx / n],
    ["float8_var_samp", 2, (n, _sx, sxx) => sxx / (n - 1)],
    ["float8_stddev_pop", 1, (n, _sx, sxx) => Math.sqrt(sxx / n)],
    ["float8_stddev_samp", 2, (n, _sx, sxx) => Math.sqrt(sxx / (n - 1))],
  ];
  return finals.map(([name, least, final]) => fn(name, [T.float8Array], T.float8, (a) => {
    const [n, sx, sxx] = floats(a[0], 3, name) as [number, number, number];
    return n < least ? null : final(n, sx, sxx);
  }));
}

/** float.c's check_float8_array: a one-dimensional float8 array of `n` non-null items. */
function floats(v: Value | undefined, n: number, caller: string): number[] {
  const a = v as PgArray;
  if (a.dims.length !== 1 || a.dims[0] !== n || a.items.some((x) => x === null)) {
    throw new SqlError(SqlState.internalError, `${caller}: expected ${n}-element float8 array`);
  }
  return a.items as number[];
}

const isInf = (x: number): boolean => x === Infinity || x === -Infinity;

function float8Accum([n0, sx0, sxx0]: number[], x: number): PgArray {
  const n = n0! + 1;
  const sx = sx0! + x;
  let sxx = sxx0!;
  if (n0! > 0) {
    const tmp = x * n - sx;
    sxx += (tmp * tmp) / (n * n0!);
    if (isInf(sx) || isInf(sxx)) {
      if (!isInf(sx0!) && !isInf(x)) throw floatOverflow();
      sxx = NaN;
    }
  } else if (!Number.isFinite(x)) {
    sxx = NaN;
  }
  return makeArray(T.float8, [n, sx, sxx]);
}

function float8RegrAccum(state: number[], y: number, x: number): PgArray {
  const [n0, sx0, sxx0, sy0, syy0, sxy0] = state as [number, number, number, number, number,
    number];
  const n = n0 + 1;
  const sx = sx0 + x;
  const sy = sy0 + y;
  let [sxx, syy, sxy] = [sxx0, syy0, sxy0];
  if (n0 > 0) {
    const tx = x * n - sx;
    const ty = y * n - sy;
    const scale = 1 / (n * n0);
    sxx += tx * tx * scale;
    syy += ty * ty * scale;
    sxy += tx * ty * scale;
    if (isInf(sx) || isInf(sxx)) {
      if (!isInf(sx0) && !isInf(x)) throw floatOverflow();
      sxx = NaN;
    }
    if (isInf(sy) || isInf(syy)) {
      if (!isInf(sy0) && !isInf(y)) throw floatOverflow();
      syy = NaN;
    }
    if (isInf(sxy)) {
      if (!isInf(sx0) && !isInf(x) && !isInf(sy0) && !isInf(y)) throw floatOverflow();
      sxy = NaN;
    }
  } else {
    if (!Number.isFinite(x)) sxx = sxy = NaN;
    if (!Number.isFinite(y)) syy = sxy = NaN;
  }
  return makeArray(T.float8, [n, sx, sxx, sy, syy, sxy]);
}

/** Sxx of two merged groups: both Sxx plus the spread between their means. */
function mergedSquares(n1: number, s1: number, ss1: number, n2: number, s2: number,
  ss2: number): number {
  const tmp = s1 / n1 - s2 / n2;
  const merged = ss1 + ss2 + (n1 * n2 * tmp * tmp) / (n1 + n2);
  if (isInf(merged) && !isInf(ss1) && !isInf(ss2)) throw floatOverflow();
  return merged;
}

function float8Combine(a: number[], b: number[]): PgArray {
  const [n1, s1, ss1] = a as [number, number, number];
  const [n2, s2, ss2] = b as [number, number, number];
  if (n1 === 0) return makeArray(T.float8, b);
  if (n2 === 0) return makeArray(T.float8, a);
  return makeArray(T.float8, [n1 + n2, float8Add(s1, s2),
    mergedSquares(n1, s1, ss1, n2, s2, ss2)]);
}

function float8RegrCombine(a: number[], b: number[]): PgArray {
  const [n1, sx1, sxx1, sy1, syy1, sxy1] = a as [number, number, number, number, number,
    number];
  const [n2, sx2, sxx2, sy2, syy2, sxy2] = b as [number, number, number, number, number,
    number];
  if (n1 === 0) return makeArray(T.float8, b);
  if (n2 === 0) return makeArray(T.float8, a);
  const n = n1 + n2;
  const tx = sx1 / n1 - sx2 / n2;
  const ty = sy1 / n1 - sy2 / n2;
  const sxy = sxy1 + sxy2 + (n1 * n2 * tx * ty) / n;
  if (isInf(sxy) && !isInf(sxy1) && !isInf(sxy2)) throw floatOverflow();
  return makeArray(T.float8, [n, float8Add(sx1, sx2), mergedSquares(n1, sx1, sxx1, n2, sx2,
    sxx2), float8Add(sy1, sy2), mergedSquares(n1, sy1, syy1, n2, sy2, syy2), sxy]);
}

/** int2/int4_avg_accum: the {count, sum} state of avg over small integers. */
function intAvgAccum(state: Value | undefined, x: Value | undefined): PgArray {
  const [count, sum] = countAndSum(state, "int4_avg_accum");
  return makeArray(T.int8, [count + 1n, int8Add(sum, BigInt(x as number))]);
}

function int8Avg(state: Value | undefined): Value {
  const [count, sum] = countAndSum(state, "int8_avg");
  if (count === 0n) return null;
  const whole = (v: bigint): Decimal => withScale(new Decimal(v.toString()), 0);
  return div(whole(sum), whole(count));
}

function countAndSum(state: Value | undefined, caller: string): [bigint, bigint] {
  const a = state as PgArray;
  if (a.dims.length !== 1 || a.dims[0] !== 2 || a.items.some((x) => x === null)) {
    throw new SqlError(SqlState.internalError, `${caller}: expected 2-element int8 array`);
  }
  return [a.items[0] as bigint, a.items[1] as bigint];
}

const int8Max = 9223372036854775807n;

function int8Add(a: bigint, b: bigint): bigint {
  const sum = a + b;
  if (sum > int8Max || sum < -int8Max - 1n) {
    throw new SqlError(SqlState.numericValueOutOfRange, "bigint out of range");
  }
  return sum;
}

function int8Inc(a: bigint): bigint {
  return int8Add(a, 1n);
}

/** int2_sum, int4_sum: sum's state function, which starts from a null state. */
function intSum(state: Value | undefined, x: Value | undefined): Value {
  if (state === null || state === undefined) {
    return x === null || x === undefined ? null : BigInt(x as number);
  }
  if (x === null || x === undefined) return state;
  return int8Add(state as bigint, BigInt(x as number));
}
