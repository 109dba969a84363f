/**
 * Set-returning functions: generate_series over integers, numerics and timestamps, unnest
 * and generate_subscripts. Each yields lazily, so `LIMIT` stops an endless-looking series.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Interval, PgArray, Value } from "../types/value.js";
import type { SetReturningFunction } from "./defs.js";
import { srf } from "./builders.js";
import { stringToArray } from "./array.js";
import { Decimal, add, withScale } from "./decimal.js";
import { compareDecimals, intervalSpan } from "./compare.js";
import { timestampPlusInterval, timestamptzPlusInterval } from "./interval.js";
import { sessionZone } from "./tz.js";
import { T } from "./type-oids.js";

function stepZero(): SqlError {
  return new SqlError(SqlState.invalidParameterValue, "step size cannot equal zero");
}

function* intSeries(start: bigint, stop: bigint, step: bigint, big: boolean): Iterable<Value> {
  if (step === 0n) throw stepZero();
  for (let i = start; step > 0n ? i <= stop : i >= stop; i += step) yield big ? i : Number(i);
}

function* numericSeries(start: Decimal, stop: Decimal, step: Decimal): Iterable<Value> {
  if (step.isZero()) throw stepZero();
  for (const [v, what] of [
    [start, "start"],
    [stop, "stop"],
    [step, "step size"],
  ] as const) {
    if (v.isNaN())
      throw new SqlError(SqlState.invalidParameterValue, `${what} value cannot be NaN`);
    if (!v.isFinite())
      throw new SqlError(SqlState.invalidParameterValue, `${what} value cannot be infinity`);
  }
  for (
    let i = start;
    step.isPositive() ? compareDecimals(i, stop) <= 0 : compareDecimals(i, stop) >= 0;
    i = add(i, step)
  ) {
    yield i;
  }
}

function* timeSeries(
  start: bigint,
  stop: bigint,
  step: Interval,
  next: (t: bigint) => bigint,
): Iterable<Value> {
  const span = intervalSpan(step);
  if (span === 0n) throw stepZero();
  for (let t = start; span > 0n ? t <= stop : t >= stop; t = next(t)) yield t;
}

const big = (v: Value | undefined): bigint => BigInt(v as number | bigint);

export function seriesFunctions(): SetReturningFunction[] {
  return [
    srf("generate_series", [T.int4, T.int4], T.int4, (a) =>
      intSeries(big(a[0]), big(a[1]), 1n, false),
    ),
    srf("generate_series", [T.int4, T.int4, T.int4], T.int4, (a) =>
      intSeries(big(a[0]), big(a[1]), big(a[2]), false),
    ),
    srf("generate_series", [T.int8, T.int8], T.int8, (a) =>
      intSeries(big(a[0]), big(a[1]), 1n, true),
    ),
    srf("generate_series", [T.int8, T.int8, T.int8], T.int8, (a) =>
      intSeries(big(a[0]), big(a[1]), big(a[2]), true),
    ),
    srf("generate_series", [T.numeric, T.numeric], T.numeric, (a) =>
      numericSeries(a[0] as Decimal, a[1] as Decimal, withScale(new Decimal(1), 0)),
    ),
    srf("generate_series", [T.numeric, T.numeric, T.numeric], T.numeric, (a) =>
      numericSeries(a[0] as Decimal, a[1] as Decimal, a[2] as Decimal),
    ),
    srf(
      "generate_series",
      [T.timestamp, T.timestamp, T.interval],
      T.timestamp,
      (a) =>
        timeSeries(a[0] as bigint, a[1] as bigint, a[2] as Interval, (t) =>
          timestampPlusInterval(t, a[2] as Interval),
        ),
    ),
    srf(
      "generate_series",
      [T.timestamptz, T.timestamptz, T.interval],
      T.timestamptz,
      (a, ctx) =>
        timeSeries(a[0] as bigint, a[1] as bigint, a[2] as Interval, (t) =>
          timestamptzPlusInterval(
            t,
            a[2] as Interval,
            sessionZone((n) => ctx.setting(n)),
          ),
        ),
      { volatility: "s" },
    ),
    srf("unnest", [T.anyarray], T.anyelement, (a) => (a[0] as PgArray).items),
    // string_to_table: string_to_array's pieces as rows.
    srf("string_to_table", [T.text, T.text], T.text, (a) => stringPieces(a[0], a[1], null),
      { strict: false }),
    srf("string_to_table", [T.text, T.text, T.text], T.text,
      (a) => stringPieces(a[0], a[1], a[2] ?? null), { strict: false }),
    srf("generate_subscripts", [T.anyarray, T.int4], T.int4, (a) =>
      subscripts(a[0] as PgArray, a[1] as number, false),
    ),
    srf("generate_subscripts", [T.anyarray, T.int4, T.bool], T.int4, (a) =>
      subscripts(a[0] as PgArray, a[1] as number, a[2] as boolean),
    ),
  ];
}

function* subscripts(a: PgArray, dim: number, reverse: boolean): Iterable<Value> {
  const length = a.dims[dim - 1];
  if (length === undefined) return;
  const lower = a.lowerBounds[dim - 1] ?? 1;
  for (let i = 0; i < length; i++) yield reverse ? lower + length - 1 - i : lower + i;
}

function stringPieces(text: Value | undefined, delimiter: Value | undefined,
  nullText: Value): Value[] {
  const array = stringToArray(text ?? null, delimiter ?? null, nullText);
  return array === null ? [] : (array as PgArray).items.slice();
}
