/**
 * Interval arithmetic as PostgreSQL's timestamp.c: adding an interval to a timestamp (months,
 * then days on the calendar, then microseconds), multiplying and dividing by a float with
 * fractional months and days cascading down, and the justify_* normalisations.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Interval } from "../types/value.js";
import { TIMESTAMP_INFINITY, TIMESTAMP_MINUS_INFINITY } from "../types/value.js";
import {
  checkTimestamp,
  daysInMonth,
  fromFields,
  toFields,
  usecsPerDay,
  usecsPerSec,
} from "./calendar.js";
import { divisionByZero } from "./errors.js";
import { localToUtc, utcToLocal } from "./tz.js";

export function interval(months: number, days: number, micros: bigint): Interval {
  return Object.freeze({ months, days, micros });
}

function intervalOutOfRange(): SqlError {
  return new SqlError(SqlState.datetimeFieldOverflow, "interval out of range");
}

function checkInt32(v: number): number {
  if (!Number.isFinite(v) || v < -2147483648 || v > 2147483647) throw intervalOutOfRange();
  return v === 0 ? 0 : v;
}

/** Adds `span` to a timestamp's wall-clock time (timestamp_pl_interval). */
export function timestampPlusInterval(ts: bigint, span: Interval): bigint {
  if (ts === TIMESTAMP_INFINITY || ts === TIMESTAMP_MINUS_INFINITY) return ts;
  let result = ts;
  if (span.months !== 0) {
    const f = toFields(result);
    let month = f.month + span.months;
    let year = f.year;
    if (month > 12) {
      year += Math.trunc((month - 1) / 12);
      month = ((month - 1) % 12) + 1;
    } else if (month < 1) {
      year += Math.trunc(month / 12) - 1;
      month = (month % 12) + 12;
    }
    result = fromFields({ ...f, year, month, day: Math.min(f.day, daysInMonth(year, month)) });
  }
  if (span.days !== 0) result = checkTimestamp(result + BigInt(span.days) * usecsPerDay);
  return checkTimestamp(result + span.micros);
}

/** Adds `span` to a timestamptz: months and days in the zone's wall clock, then time. */
export function timestamptzPlusInterval(ts: bigint, span: Interval, zone: string): bigint {
  if (ts === TIMESTAMP_INFINITY || ts === TIMESTAMP_MINUS_INFINITY) return ts;
  let result = ts;
  if (span.months !== 0 || span.days !== 0) {
    const local = timestampPlusInterval(utcToLocal(zone, ts), interval(span.months, span.days, 0n));
    result = localToUtc(zone, local);
  }
  return checkTimestamp(result + span.micros);
}

export function negateInterval(v: Interval): Interval {
  return interval(checkInt32(-v.months), checkInt32(-v.days), -v.micros);
}

export function addIntervals(a: Interval, b: Interval): Interval {
  return interval(
    checkInt32(a.months + b.months),
    checkInt32(a.days + b.days),
    a.micros + b.micros,
  );
}

/** Rounds to microsecond precision, as TSROUND. */
function tsRound(v: number): number {
  return rint(v * 1e6) / 1e6;
}

function rint(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** interval * float8 (interval_mul). */
export function intervalTimes(span: Interval, factor: number): Interval {
  if (Number.isNaN(factor)) throw intervalOutOfRange();
  const monthsExact = span.months * factor;
  const daysExact = span.days * factor;
  const months = checkInt32(Math.trunc(monthsExact));
  let days = checkInt32(Math.trunc(daysExact));
  const monthRemainderDays = tsRound((monthsExact - months) * 30);
  let secRemainder = tsRound(
    (daysExact - days + monthRemainderDays - Math.trunc(monthRemainderDays)) * 86400,
  );
  if (Math.abs(secRemainder) >= 86400) {
    days += Math.trunc(secRemainder / 86400);
    secRemainder -= Math.trunc(secRemainder / 86400) * 86400;
  }
  days += Math.trunc(monthRemainderDays);
  const micros = rint(Number(span.micros) * factor + secRemainder * 1e6);
  if (!Number.isFinite(micros) || Math.abs(micros) > 9.2e18) throw intervalOutOfRange();
  return interval(months, checkInt32(days), BigInt(micros));
}

/** interval / float8 (interval_div). */
export function intervalDivide(span: Interval, factor: number): Interval {
  if (factor === 0) throw divisionByZero();
  const monthsExact = span.months / factor;
  const daysExact = span.days / factor;
  const months = checkInt32(Math.trunc(monthsExact));
  let days = checkInt32(Math.trunc(daysExact));
  const monthRemainderDays = tsRound((monthsExact - months) * 30);
  let secRemainder = tsRound(
    (daysExact - days + monthRemainderDays - Math.trunc(monthRemainderDays)) * 86400,
  );
  if (Math.abs(secRemainder) >= 86400) {
    days += Math.trunc(secRemainder / 86400);
    secRemainder -= Math.trunc(secRemainder / 86400) * 86400;
  }
  days += Math.trunc(monthRemainderDays);
  const micros = rint(Number(span.micros) / factor + secRemainder * 1e6);
  return interval(months, checkInt32(days), BigInt(micros));
}

export function justifyHours(v: Interval): Interval {
  const wholeDays = v.micros / usecsPerDay;
  let micros = v.micros - wholeDays * usecsPerDay;
  let days = checkInt32(v.days + Number(wholeDays));
  if (days > 0 && micros < 0n) {
    micros += usecsPerDay;
    days--;
  } else if (days < 0 && micros > 0n) {
    micros -= usecsPerDay;
    days++;
  }
  return interval(v.months, days, micros);
}

export function justifyDays(v: Interval): Interval {
  const wholeMonths = Math.trunc(v.days / 30);
  let days = v.days - wholeMonths * 30;
  let months = checkInt32(v.months + wholeMonths);
  if (months > 0 && days < 0) {
    days += 30;
    months--;
  } else if (months < 0 && days > 0) {
    days -= 30;
    months++;
  }
  return interval(months, days, v.micros);
}

export function justifyInterval(v: Interval): Interval {
  let { months, days, micros } = v;
  if ((days > 0 && micros > 0n) || (days < 0 && micros < 0n)) {
    const whole = Math.trunc(days / 30);
    days -= whole * 30;
    months = checkInt32(months + whole);
  }
  const wholeDays = micros / usecsPerDay;
  micros -= wholeDays * usecsPerDay;
  days += Number(wholeDays);
  const wholeMonths = Math.trunc(days / 30);
  days -= wholeMonths * 30;
  months = checkInt32(months + wholeMonths);
  if (months > 0 && (days < 0 || (days === 0 && micros < 0n))) {
    days += 30;
    months--;
  } else if (months < 0 && (days > 0 || (days === 0 && micros > 0n))) {
    days -= 30;
    months++;
  }
  if (days > 0 && micros < 0n) {
    micros += usecsPerDay;
    days--;
  } else if (days < 0 && micros > 0n) {
    micros -= usecsPerDay;
    days++;
  }
  return interval(months, days, micros);
}

/** timestamp - timestamp: whole days split out of the microseconds (justify_hours). */
export function timestampDifference(a: bigint, b: bigint): Interval {
  if (
    a === TIMESTAMP_INFINITY ||
    a === TIMESTAMP_MINUS_INFINITY ||
    b === TIMESTAMP_INFINITY ||
    b === TIMESTAMP_MINUS_INFINITY
  ) {
    throw new SqlError(SqlState.datetimeFieldOverflow, "cannot subtract infinite timestamps");
  }
  return justifyHours(interval(0, 0, a - b));
}

export { usecsPerSec };
