/**
 * The general-purpose aggregates (PostgreSQL docs table 9.58): count, sum, avg, min, max,
 * bool_and, bool_or, every, bit_and, bit_or, bit_xor, string_agg, array_agg. Every one has a
 * `combine`, so partial states from shards can merge on the coordinator.
 *
 * Result types follow pg_aggregate: sum(int2/int4) is int8, sum(int8) and avg of any integer
 * are numeric (avg(1,2,3,4) is 2.5000000000000000), sum(float4) stays float4.
 */
import type { Interval, Value } from "../types/value.js";
import type { AggregateFunction } from "./defs.js";
import { agg } from "./aggregate-util.js";
import { compareValues } from "./compare.js";
import { Decimal, add, div, withScale } from "./decimal.js";
import { float4Result, float8Add } from "./float-ops.js";
import { addIntervals, interval, intervalDivide } from "./interval.js";
import { outOfRange } from "./errors.js";
import { T } from "./type-oids.js";
import { bitwise } from "./bit.js";
import { arrayAggregates, stringAggregates } from "./aggregate-collect.js";

/**
 * A count: a plain number while counting (a bigint increment allocates per row) that no
 * table can push past 2^53; it becomes int8's bigint only at the end.
 */
interface Count {
  n: number;
}
interface Sum<V> {
  value: V;
  n: number;
}

const countCombine = (a: Count, b: Count): Count => ({ n: a.n + b.n });
const dec0 = (v: bigint | number): Decimal => withScale(new Decimal(v.toString()), 0);

export function basicAggregates(): AggregateFunction[] {
  return [
    agg<Count>({
      name: "count",
      argTypes: [],
      returnType: T.int8,
      init: () => ({ n: 0 }),
      step: (s) => {
        s.n++;
        return s;
      },
      final: (s) => BigInt(s.n),
      combine: countCombine,
    }),
    agg<Count>({
      name: "count",
      argTypes: [T.any],
      returnType: T.int8,
      init: () => ({ n: 0 }),
      step: (s, a) => {
        if (a[0] !== null) s.n++;
        return s;
      },
      step1: (s, a) => {
        if (a !== null) s.n++;
        return s;
      },
      final: (s) => BigInt(s.n),
      combine: countCombine,
    }),
    ...sumAggregates(),
    ...avgAggregates(),
    ...minMaxAggregates(),
    ...boolAggregates(),
    ...bitAggregates(),
    ...stringAggregates(),
    ...arrayAggregates(),
  ];
}

function summing<V>(
  name: string,
  arg: number,
  result: number,
  zero: () => V,
  plus: (a: V, b: V) => V,
  final: (s: Sum<V>) => Value,
  toV: (v: Value) => V,
): AggregateFunction {
  const step1 = (s: Sum<V>, v: Value): Sum<V> => {
    if (v !== null) {
      s.value = plus(s.value, toV(v));
      s.n++;
    }
    return s;
  };
  return agg<Sum<V>>({
    name,
    argTypes: [arg],
    returnType: result,
    init: () => ({ value: zero(), n: 0 }),
    step: (s, a) => step1(s, a[0] ?? null),
    step1,
    final: (s) => (s.n === 0 ? null : final(s)),
    combine: (a, b) => ({ value: plus(a.value, b.value), n: a.n + b.n }),
  });
}

const checkInt8 = (v: bigint): bigint => {
  if (v < -(2n ** 63n) || v >= 2n ** 63n) throw outOfRange("bigint");
  return v;
};

/**
 * The state of an integer sum: `small` is a double kept exact (|small| <= 2^52 before each
 * addition of a value below 2^31 in magnitude), moved into the bigint `big` when it grows
 * past that; larger int8 values go to `big` directly. No bigint is allocated per row while
 * the values are small.
 */
interface IntSum {
  small: number;
  big: bigint;
  n: number;
}

const smallLimit = 2 ** 52;
const int4Span = 2n ** 31n;
const int4Limit = 2 ** 31;
const big = (v: Value): bigint => BigInt(v as number | bigint);

function intSumStep(s: IntSum, v: Value): IntSum {
  if (v === null) return s;
  s.n++;
  let x: number;
  if (typeof v === "number" && v < int4Limit && v > -int4Limit) x = v;
  else if (typeof v === "bigint" && v < int4Span && v > -int4Span) x = Number(v);
  else {
    s.big += BigInt(v as number | bigint);
    return s;
  }
  const small = s.small + x;
  if (small > smallLimit || small < -smallLimit) {
    s.big += BigInt(small);
    s.small = 0;
  } else {
    s.small = small;
  }
  return s;
}

/** sum/avg of int2, int4 or int8: exact, with an IntSum state. */
function intSumming(name: string, arg: number, result: number,
  final: (total: bigint, n: number) => Value): AggregateFunction {
  return agg<IntSum>({
    name,
    argTypes: [arg],
    returnType: result,
    init: () => ({ small: 0, big: 0n, n: 0 }),
    step: (s, a) => intSumStep(s, a[0] ?? null),
    step1: intSumStep,
    final: (s) => (s.n === 0 ? null : final(s.big + BigInt(s.small), s.n)),
    combine: (a, b) => ({ small: 0, big: a.big + b.big + BigInt(a.small) + BigInt(b.small),
      n: a.n + b.n }),
  });
}

function sumAggregates(): AggregateFunction[] {
  const decPlus = (a: Decimal, b: Decimal): Decimal => add(a, b);
  const ivPlus = (a: Interval, b: Interval): Interval => addIntervals(a, b);
  return [
    intSumming("sum", T.int2, T.int8, (total) => checkInt8(total)),
    intSumming("sum", T.int4, T.int8, (total) => checkInt8(total)),
    intSumming("sum", T.int8, T.numeric, (total) => dec0(total)),
    summing(
      "sum",
      T.numeric,
      T.numeric,
      () => dec0(0),
      decPlus,
      (s) => s.value,
      (v) => v as Decimal,
    ),
    summing(
      "sum",
      T.float4,
      T.float4,
      () => 0,
      (a, b) => float4Result(a + b, a, b),
      (s) => s.value,
      (v) => v as number,
    ),
    summing(
      "sum",
      T.float8,
      T.float8,
      () => 0,
      float8Add,
      (s) => s.value,
      (v) => v as number,
    ),
    summing(
      "sum",
      T.interval,
      T.interval,
      () => interval(0, 0, 0n),
      ivPlus,
      (s) => s.value,
      (v) => v as Interval,
    ),
  ];
}

function avgAggregates(): AggregateFunction[] {
  const avgInt = (total: bigint, n: number): Value => div(dec0(total), dec0(n));
  return [
    intSumming("avg", T.int2, T.numeric, avgInt),
    intSumming("avg", T.int4, T.numeric, avgInt),
    intSumming("avg", T.int8, T.numeric, avgInt),
    summing(
      "avg",
      T.numeric,
      T.numeric,
      () => dec0(0),
      (a, b) => add(a, b),
      (s) => div(s.value, dec0(s.n)),
      (v) => v as Decimal,
    ),
    summing(
      "avg",
      T.float4,
      T.float8,
      () => 0,
      float8Add,
      (s) => s.value / Number(s.n),
      (v) => v as number,
    ),
    summing(
      "avg",
      T.float8,
      T.float8,
      () => 0,
      float8Add,
      (s) => s.value / Number(s.n),
      (v) => v as number,
    ),
    summing(
      "avg",
      T.interval,
      T.interval,
      () => interval(0, 0, 0n),
      addIntervals,
      (s) => intervalDivide(s.value, Number(s.n)),
      (v) => v as Interval,
    ),
  ];
}

const ordered: readonly number[] = [
  T.int2,
  T.int4,
  T.int8,
  T.float4,
  T.float8,
  T.numeric,
  T.text,
  T.bpchar,
  T.date,
  T.time,
  T.timetz,
  T.timestamp,
  T.timestamptz,
  T.interval,
  T.oid,
  T.anyarray,
  T.inet,
  T.bool,
  T.uuid,
];

const newerOnTie: readonly number[] = [T.numeric, T.float4, T.float8, T.interval];

interface Best {
  value: Value;
}

function minMaxAggregates(): AggregateFunction[] {
  return ordered
    .flatMap((type) =>
      (["min", "max"] as const).map((name) => {
        const sign = name === "min" ? 1 : -1;
        // numeric_smaller, float8_larger, interval_smaller… keep the newer of two equal
        // values (1.5 after 1.50, '30 days' after '1 mon', -0 after 0); others the older.
        const tie = newerOnTie.includes(type) ? 0 : -1;
        const better = (a: Value, b: Value): Value =>
          a === null ? b : b === null ? a : sign * compareValues(b, a, type) <= tie ? b : a;
        return agg<Best>({
          name,
          argTypes: [type],
          returnType: type,
          init: () => ({ value: null }),
          step: (s, a) => {
            s.value = better(s.value, a[0] ?? null);
            return s;
          },
          final: (s) => s.value,
          combine: (a, b) => ({ value: better(a.value, b.value) }),
        });
      }),
    )
    .filter((def) => !(def.argTypes[0] === T.bool || def.argTypes[0] === T.uuid));
}

function boolAggregates(): AggregateFunction[] {
  const make = (name: string, and: boolean): AggregateFunction =>
    agg<Best>({
      name,
      argTypes: [T.bool],
      returnType: T.bool,
      init: () => ({ value: null }),
      step: (s, a) => {
        const v = a[0] ?? null;
        if (v !== null) s.value = s.value === null ? v : and ? s.value && v : s.value || v;
        return s;
      },
      final: (s) => s.value,
      combine: (a, b) => ({
        value:
          a.value === null
            ? b.value
            : b.value === null
              ? a.value
              : and
                ? (a.value as boolean) && (b.value as boolean)
                : (a.value as boolean) || (b.value as boolean),
      }),
    });
  return [make("bool_and", true), make("every", true), make("bool_or", false)];
}

function bitAggregates(): AggregateFunction[] {
  const ops: readonly [string, (a: bigint, b: bigint) => bigint][] = [
    ["bit_and", (a, b) => a & b],
    ["bit_or", (a, b) => a | b],
    ["bit_xor", (a, b) => a ^ b],
  ];
  return [...[T.int2, T.int4, T.int8].flatMap((type) =>
    ops.map(([name, f]) => {
      const merge = (a: bigint | null, b: bigint | null): bigint | null =>
        a === null ? b : b === null ? a : f(a, b);
      return agg<{ value: bigint | null }>({
        name,
        argTypes: [type],
        returnType: type,
        init: () => ({ value: null }),
        step: (s, a) => {
          if (a[0] !== null) s.value = merge(s.value, big(a[0] ?? 0));
          return s;
        },
        final: (s) => (s.value === null ? null : type === T.int8 ? s.value : Number(s.value)),
        combine: (a, b) => ({ value: merge(a.value, b.value) }),
      });
    }),
  ), ...bitStringAggregates()];
}

/** bit_and, bit_or and bit_xor over bit strings; inputs of different lengths are an error. */
function bitStringAggregates(): AggregateFunction[] {
  const ops = [["bit_and", "AND"], ["bit_or", "OR"], ["bit_xor", "XOR"]] as const;
  const fns = { AND: (a: number, b: number) => a & b, OR: (a: number, b: number) => a | b,
    XOR: (a: number, b: number) => a ^ b };
  return ops.map(([name, what]) => {
    const merge = (a: string | null, b: string | null): string | null =>
      a === null ? b : b === null ? a : bitwise(a, b, what, fns[what]);
    return agg<{ value: string | null }>({
      name,
      argTypes: [T.bit],
      returnType: T.bit,
      init: () => ({ value: null }),
      step: (s, a) => ({ value: merge(s.value, (a[0] ?? null) as string | null) }),
      final: (s) => s.value,
      combine: (a, b) => ({ value: merge(a.value, b.value) }),
    });
  });
}
