/**
 * Comparison operators = <> < <= > >= for every comparable type, built from one generic
 * comparator (compare.ts), plus the cross-type pairs pg_operator has: the integer widths with
 * each other, float4 with float8, text with name, and date, timestamp and timestamptz with
 * each other (those three convert through the session TimeZone, as PostgreSQL does).
 */
import type { Value } from "../types/value.js";
import { TIMESTAMP_INFINITY, TIMESTAMP_MINUS_INFINITY } from "../types/value.js";
import type { EvalContext, OperatorDef } from "./defs.js";
import { op } from "./builders.js";
import { compareDecimals, compareNumbers, compareValues } from "./compare.js";
import { Decimal } from "./decimal.js";
import { usecsPerDay } from "./calendar.js";
import { localToUtc, sessionZone } from "./tz.js";
import { T } from "./type-oids.js";
import { rangeTypes } from "./range-functions.js";
import { multirangeTypes } from "./multirange-functions.js";

type Coerce = (v: Value, ctx: EvalContext) => Value;

const comparisons: readonly [string, (c: number) => boolean, string, string][] = [
  ["=", (c) => c === 0, "<>", "="],
  ["<>", (c) => c !== 0, "=", "<>"],
  ["<", (c) => c < 0, ">=", ">"],
  ["<=", (c) => c <= 0, ">", ">="],
  [">", (c) => c > 0, "<=", "<"],
  [">=", (c) => c >= 0, "<", "<="],
];

const sameTypeComparable: readonly number[] = [
  T.bool,
  T.char,
  T.name,
  T.int2,
  T.int4,
  T.int8,
  T.text,
  T.oid,
  T.float4,
  T.float8,
  T.bpchar,
  T.date,
  T.time,
  T.timestamp,
  T.timestamptz,
  T.interval,
  T.timetz,
  T.numeric,
  T.uuid,
  T.jsonb,
  T.bytea,
  T.inet,
  T.anyarray,
  T.record,
  T.bit,
  T.varbit,
  ...rangeTypes,
  ...multirangeTypes,
];

/** Returns every comparison operator. */
export function comparisonOperators(): OperatorDef[] {
  const ops: OperatorDef[] = [];
  for (const type of sameTypeComparable) ops.push(...comparisonSet(type, type));
  const ints = [T.int2, T.int4, T.int8];
  for (const a of ints) for (const b of ints) if (a !== b) ops.push(...comparisonSet(a, b));
  ops.push(...comparisonSet(T.float4, T.float8), ...comparisonSet(T.float8, T.float4));
  ops.push(...comparisonSet(T.text, T.name), ...comparisonSet(T.name, T.text));
  const times = [T.date, T.timestamp, T.timestamptz];
  for (const a of times) {
    for (const b of times) {
      if (a === b) continue;
      const target = a === T.timestamptz || b === T.timestamptz ? T.timestamptz : T.timestamp;
      ops.push(...comparisonSet(a, b, toTime(a, target), toTime(b, target)));
    }
  }
  return ops;
}

function comparisonSet(left: number, right: number, cl?: Coerce, cr?: Coerce): OperatorDef[] {
  const type = left === T.bpchar ? T.bpchar : 0;
  const cmp = left === right ? sameTypeComparator(left) : (l: Value, r: Value): number =>
    compareValues(l, r, type);
  return comparisons.map(([name, test, negator, commutator]) =>
    cl === undefined || cr === undefined
      ? op(name, left, right, T.bool, (l, r) => test(cmp(l, r)),
        { negator, commutator, comparator: { cmp, test } })
      : op(name, left, right, T.bool,
        (l, r, ctx) => test(compareValues(cl(l, ctx), cr(r, ctx))), { negator, commutator }),
  );
}

/**
 * The comparator of two values of one type: compareValues, with its dispatch skipped for the
 * shapes that dominate scans (numbers of int2/int4/oid/float, Decimals of numeric). A value of
 * an unexpected shape still goes through compareValues.
 */
function sameTypeComparator(type: number): (l: Value, r: Value) => number {
  switch (type) {
    case T.int2:
    case T.int4:
    case T.oid:
    case T.float4:
    case T.float8:
      return (l, r) => (typeof l === "number" && typeof r === "number" ? compareNumbers(l, r)
        : compareValues(l, r));
    case T.numeric:
      return (l, r) => (l instanceof Decimal && r instanceof Decimal ? compareDecimals(l, r)
        : compareValues(l, r));
    default: {
      const kind = type === T.bpchar ? T.bpchar : 0;
      return (l, r) => compareValues(l, r, kind);
    }
  }
}

/** Returns a converter from date/timestamp/timestamptz `from` to `target`. */
function toTime(from: number, target: number): Coerce {
  if (from === target) return (v) => v;
  if (from === T.date) {
    const toTimestamp = (v: Value): bigint => dateToTimestamp(v as number);
    if (target === T.timestamp) return toTimestamp;
    return (v, ctx) => localTimestampToUtc(toTimestamp(v), ctx);
  }
  return (v, ctx) => localTimestampToUtc(v as bigint, ctx);
}

/** Converts a date to the timestamp of its midnight; infinities map to infinities. */
export function dateToTimestamp(d: number): bigint {
  if (d === Infinity) return TIMESTAMP_INFINITY;
  if (d === -Infinity) return TIMESTAMP_MINUS_INFINITY;
  return BigInt(d) * usecsPerDay;
}

/** Converts a timestamp (wall clock in the session zone) to timestamptz. */
export function localTimestampToUtc(ts: bigint, ctx: EvalContext): bigint {
  if (ts === TIMESTAMP_INFINITY || ts === TIMESTAMP_MINUS_INFINITY) return ts;
  return localToUtc(
    sessionZone((n) => ctx.setting(n)),
    ts,
  );
}
