/**
 * Calendar arithmetic shared by the date/time functions: PostgreSQL's Julian-day conversions
 * (date2j/j2date from datetime.c, proleptic Gregorian, year 0 is 1 BC) and the split of a
 * microsecond timestamp into fields and back.
 *
 * Timestamps are microseconds since 2000-01-01 00:00 (Julian day 2451545), dates are days
 * since then: the same epoch, so `days * usecsPerDay` is a date's midnight.
 */
import { TIMESTAMP_INFINITY, TIMESTAMP_MINUS_INFINITY } from "../types/value.js";
import { SqlError, SqlState } from "@tessera/base";
import { date2j } from "../types/datetime/calendar.js";

export const usecsPerSec = 1_000_000n;
export const usecsPerMinute = 60_000_000n;
export const usecsPerHour = 3_600_000_000n;
export const usecsPerDay = 86_400_000_000n;
export const postgresEpochJd = 2451545;
export const unixEpochJd = 2440588;
/** Seconds from 1970-01-01 to 2000-01-01. */
export const unixToPostgresSeconds = 946_684_800;

/** Broken-down time, as PostgreSQL's struct pg_tm plus fractional microseconds. */
export interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  micro: number;
}

/** PostgreSQL's date2j, shared with the type system. */
export { date2j };

/** Returns [year, month, day] of a Julian day (PostgreSQL's j2date). */
export function j2date(jd: number): [number, number, number] {
  let julian = jd + 32044;
  let quad = Math.floor(julian / 146097);
  const extra = (julian - quad * 146097) * 4 + 3;
  julian += 60 + quad * 3 + Math.floor(extra / 146097);
  quad = Math.floor(julian / 1461);
  julian -= quad * 1461;
  let y = Math.floor((julian * 4) / 1461);
  julian = (y !== 0 ? (julian + 305) % 365 : (julian + 306) % 366) + 123;
  y += quad * 4;
  const year = y - 4800;
  const q = Math.floor((julian * 2141) / 65536);
  const day = julian - Math.floor((7834 * q) / 256);
  const month = ((q + 10) % 12) + 1;
  return [year, month, day];
}

/** Returns the weekday of a Julian day, 0 = Sunday. */
export function j2day(jd: number): number {
  return (((jd + 1) % 7) + 7) % 7;
}

export function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

const monthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeap(year) ? 29 : (monthDays[month - 1] ?? 30);
}

/** Splits a finite timestamp into fields (PostgreSQL's timestamp2tm without a zone). */
export function toFields(ts: bigint): Fields {
  let days = ts / usecsPerDay;
  let time = ts % usecsPerDay;
  if (time < 0n) {
    time += usecsPerDay;
    days -= 1n;
  }
  const [year, month, day] = j2date(Number(days) + postgresEpochJd);
  const t = Number(time);
  const micro = t % 1_000_000;
  const secs = (t - micro) / 1_000_000;
  return {
    year,
    month,
    day,
    hour: Math.floor(secs / 3600),
    minute: Math.floor(secs / 60) % 60,
    second: secs % 60,
    micro,
  };
}

/** Joins fields into a timestamp; raises 22008 when the result leaves PostgreSQL's range. */
export function fromFields(f: Fields): bigint {
  const days = BigInt(date2j(f.year, f.month, f.day) - postgresEpochJd);
  const time =
    BigInt(f.hour) * usecsPerHour +
    BigInt(f.minute) * usecsPerMinute +
    BigInt(f.second) * usecsPerSec +
    BigInt(f.micro);
  return checkTimestamp(days * usecsPerDay + time);
}

/** PostgreSQL's range: 4714-11-24 BC to 294276-12-31 AD. */
const timestampMin = -211813488000000000n;
const timestampEnd = 9223371331200000000n;

export function checkTimestamp(ts: bigint): bigint {
  if (ts < timestampMin || ts >= timestampEnd) {
    throw new SqlError(SqlState.datetimeFieldOverflow, "timestamp out of range");
  }
  return ts;
}

export function isFiniteTimestamp(ts: bigint): boolean {
  return ts !== TIMESTAMP_INFINITY && ts !== TIMESTAMP_MINUS_INFINITY;
}

/** Returns the day count since 2000-01-01 for a date's fields. */
export function dateFromYmd(year: number, month: number, day: number): number {
  return date2j(year, month, day) - postgresEpochJd;
}

export function ymdFromDate(date: number): [number, number, number] {
  return j2date(date + postgresEpochJd);
}

/** C's rint: the nearest integer, ties to even (Postgres rounds float seconds this way). */
export function rint(value: number): number {
  const rounded = Math.round(value);
  return Math.abs(value % 1) === 0.5 && rounded % 2 !== 0 ? rounded - 1 : rounded;
}
