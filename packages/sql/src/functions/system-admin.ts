/**
 * Administration functions that need no catalog: pg_sleep_for(interval) and
 * pg_sleep_until(timestamptz) (asynchronous, cancellable as pg_sleep), width_bucket over an
 * array of thresholds, numeric_inc, pg_size_bytes and pg_column_size (`column-size.ts`).
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Interval, PgArray, Value } from "../types/value.js";
import type { EvalContext, ScalarFunction } from "./defs.js";
import { fn, str } from "./builders.js";
import { compareValues } from "./compare.js";
import { add, dec, Decimal, toBigInt, withPrecision } from "./decimal.js";
import { outOfRange } from "./errors.js";
import { pgSleep } from "./misc.js";
import { columnSize } from "./column-size.js";
import { T } from "./type-oids.js";

/** Microseconds between 1970-01-01 and 2000-01-01, the timestamp epoch. */
const epochMicros = 946_684_800_000_000n;

function nowMicros(): bigint {
  return BigInt(Date.now()) * 1000n - epochMicros;
}

/** Seconds from now until `now + interval`, months added on the calendar. */
function intervalSeconds(interval: Interval): number {
  const now = new Date();
  const then = new Date(now.getTime());
  if (interval.months !== 0) then.setUTCMonth(then.getUTCMonth() + interval.months);
  const micros = BigInt(then.getTime() - now.getTime()) * 1000n +
    BigInt(interval.days) * 86_400_000_000n + interval.micros;
  return Number(micros) / 1e6;
}

function asyncFn(name: string, argType: number,
  run: (arg: Value, ctx: EvalContext) => Promise<Value>): ScalarFunction {
  return {
    ...fn(name, [argType], T.void, () => {
      throw new SqlError(SqlState.internalError, `${name} must be called through implAsync`);
    }, { volatility: "v" }),
    implAsync: (a, ctx) => run(a[0] ?? null, ctx),
  };
}

/** width_bucket(operand, thresholds): how many thresholds are <= operand, by binary search. */
function widthBucketArray(operand: Value, thresholds: PgArray, type: number): number {
  if (thresholds.dims.length > 1) {
    throw new SqlError(SqlState.arraySubscriptError, "thresholds must be one-dimensional array");
  }
  if (thresholds.items.some((v) => v === null)) {
    throw new SqlError(SqlState.nullValueNotAllowed, "thresholds array must not contain NULLs");
  }
  let left = 0;
  let right = thresholds.items.length;
  while (left < right) {
    const mid = Math.floor((left + right) / 2);
    if (compareValues(operand, thresholds.items[mid]!, type) < 0) right = mid;
    else left = mid + 1;
  }
  return left;
}

const sizeUnits: readonly [string, bigint][] = [["bytes", 1n], ["kB", 1024n],
  ["MB", 1024n ** 2n], ["GB", 1024n ** 3n], ["TB", 1024n ** 4n], ["PB", 1024n ** 5n]];

/** pg_size_bytes: a number, optional blanks, an optional unit of 1024s, as dbsize.c reads. */
export function sizeBytes(text: string): bigint {
  const invalid = (): SqlError =>
    new SqlError(SqlState.invalidParameterValue, `invalid size: "${text}"`);
  const match = /^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$/s.exec(text);
  if (match === null) throw invalid();
  const [, numberText, unitText] = match;
  let multiplier = 1n;
  if (unitText !== "") {
    const unit = sizeUnits.find(([name]) => name.toLowerCase() === unitText!.toLowerCase());
    if (unit === undefined) {
      throw new SqlError(SqlState.invalidParameterValue, `invalid size: "${text}"`, {
        detail: `Invalid size unit: "${unitText}".`,
        hint: "Valid units are \"bytes\", \"kB\", \"MB\", \"GB\", \"TB\", and \"PB\".",
      });
    }
    multiplier = unit[1];
  }
  const bytes = withPrecision(4000, (D) => new D(numberText!).times(multiplier.toString()))
    .toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
  const value = toBigInt(bytes);
  if (value > 2n ** 63n - 1n || value < -(2n ** 63n)) throw outOfRange("bigint");
  return value;
}

export function systemAdminFunctions(): ScalarFunction[] {
  return [
    asyncFn("pg_sleep_for", T.interval, (v, ctx) => pgSleep(intervalSeconds(v as Interval),
      ctx)),
    asyncFn("pg_sleep_until", T.timestamptz, (v, ctx) =>
      pgSleep(Number((v as bigint) - nowMicros()) / 1e6, ctx)),
    fn("width_bucket", [T.anycompatible, T.anycompatiblearray], T.int4,
      (a, _ctx, call) => widthBucketArray(a[0]!, a[1] as PgArray, call.argTypes[0] ?? 0)),
    fn("numeric_inc", [T.numeric], T.numeric, (a) => add(a[0] as Decimal, dec(1))),
    fn("pg_size_bytes", [T.text], T.int8, (a) => sizeBytes(str(a[0]!))),
    fn("pg_column_size", [T.any], T.int4, (a, _ctx, call) =>
      columnSize(a[0]!, call.argTypes[0] ?? T.unknown), { volatility: "s" }),
  ];
}
