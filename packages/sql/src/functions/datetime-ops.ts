/**
 * Date/time operators: timestamp[tz] ± interval, date ± integer, date - date, date ± interval,
 * date + time, timestamp - timestamp, time ± interval, and interval + - * / (PostgreSQL docs
 * table 9.31). timestamptz arithmetic uses the session TimeZone for its calendar steps.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Interval, Value } from "../types/value.js";
import type { EvalContext, OperatorDef } from "./defs.js";
import { op } from "./builders.js";
import { usecsPerDay } from "./calendar.js";
import { dateToTimestamp } from "./comparison.js";
import {
  addIntervals,
  interval,
  intervalDivide,
  intervalTimes,
  negateInterval,
  timestampDifference,
  timestampPlusInterval,
  timestamptzPlusInterval,
} from "./interval.js";
import { sessionZone } from "./tz.js";
import { T } from "./type-oids.js";
import { timetzOperators } from "./datetime-timetz.js";

const iv = (v: Value): Interval => v as Interval;
const zoneOf = (ctx: EvalContext): string => sessionZone((n) => ctx.setting(n));

function checkDate(d: number): number {
  // IS_VALID_DATE: from 4714-11-24 BC (Julian day 0) up to, not including, 5874898-01-01.
  if (Number.isFinite(d) && (d < -2451545 || d >= 2147483494 - 2451545)) {
    throw new SqlError(SqlState.datetimeFieldOverflow, "date out of range");
  }
  return d;
}

/** Returns the date/time operator table. */
export function datetimeOperators(): OperatorDef[] {
  const tsPlus = (ts: Value, span: Interval): Value => timestampPlusInterval(ts as bigint, span);
  const tzPlus = (ts: Value, span: Interval, ctx: EvalContext): Value =>
    timestamptzPlusInterval(ts as bigint, span, zoneOf(ctx));
  return [
    op("+", T.timestamp, T.interval, T.timestamp, (l, r) => tsPlus(l, iv(r)), { commutator: "+" }),
    op("+", T.interval, T.timestamp, T.timestamp, (l, r) => tsPlus(r, iv(l)), { commutator: "+" }),
    op("-", T.timestamp, T.interval, T.timestamp, (l, r) => tsPlus(l, negateInterval(iv(r)))),
    op("+", T.timestamptz, T.interval, T.timestamptz, (l, r, c) => tzPlus(l, iv(r), c)),
    op("+", T.interval, T.timestamptz, T.timestamptz, (l, r, c) => tzPlus(r, iv(l), c)),
    op("-", T.timestamptz, T.interval, T.timestamptz, (l, r, c) =>
      tzPlus(l, negateInterval(iv(r)), c),
    ),
    op("-", T.timestamp, T.timestamp, T.interval, (l, r) =>
      timestampDifference(l as bigint, r as bigint),
    ),
    op("-", T.timestamptz, T.timestamptz, T.interval, (l, r) =>
      timestampDifference(l as bigint, r as bigint),
    ),
    op("+", T.date, T.int4, T.date, (l, r) => checkDate((l as number) + (r as number))),
    op("+", T.int4, T.date, T.date, (l, r) => checkDate((l as number) + (r as number))),
    op("-", T.date, T.int4, T.date, (l, r) => checkDate((l as number) - (r as number))),
    op("-", T.date, T.date, T.int4, (l, r) => dateMinusDate(l as number, r as number)),
    op("+", T.date, T.interval, T.timestamp, (l, r) => tsPlus(dateToTimestamp(l as number), iv(r))),
    op("+", T.interval, T.date, T.timestamp, (l, r) => tsPlus(dateToTimestamp(r as number), iv(l))),
    op("-", T.date, T.interval, T.timestamp, (l, r) =>
      tsPlus(dateToTimestamp(l as number), negateInterval(iv(r))),
    ),
    op(
      "+",
      T.date,
      T.time,
      T.timestamp,
      (l, r) => dateToTimestamp(l as number) + BigInt(r as number),
    ),
    op(
      "+",
      T.time,
      T.date,
      T.timestamp,
      (l, r) => dateToTimestamp(r as number) + BigInt(l as number),
    ),
    op("+", T.time, T.interval, T.time, (l, r) => timePlus(l as number, iv(r).micros)),
    op("+", T.interval, T.time, T.time, (l, r) => timePlus(r as number, iv(l).micros)),
    op("-", T.time, T.interval, T.time, (l, r) => timePlus(l as number, -iv(r).micros)),
    op("-", T.time, T.time, T.interval, (l, r) =>
      interval(0, 0, BigInt((l as number) - (r as number))),
    ),
    ...intervalOperators(),
    ...timetzOperators(),
  ];
}

function intervalOperators(): OperatorDef[] {
  return [
    op("+", T.interval, T.interval, T.interval, (l, r) => addIntervals(iv(l), iv(r))),
    op("-", T.interval, T.interval, T.interval, (l, r) =>
      addIntervals(iv(l), negateInterval(iv(r))),
    ),
    op("-", 0, T.interval, T.interval, (_l, r) => negateInterval(iv(r))),
    op("+", 0, T.interval, T.interval, (_l, r) => r),
    op("*", T.interval, T.float8, T.interval, (l, r) => intervalTimes(iv(l), r as number)),
    op("*", T.float8, T.interval, T.interval, (l, r) => intervalTimes(iv(r), l as number)),
    op("/", T.interval, T.float8, T.interval, (l, r) => intervalDivide(iv(l), r as number)),
  ];
}

function dateMinusDate(a: number, b: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b)) {
    throw new SqlError(SqlState.datetimeFieldOverflow, "cannot subtract infinite dates");
  }
  return a - b;
}

/** Adds microseconds to a time of day, wrapping around midnight. */
function timePlus(time: number, micros: bigint): number {
  const day = Number(usecsPerDay);
  const t = (time + Number(micros % usecsPerDay)) % day;
  return t < 0 ? t + day : t;
}
