/**
 * Date/time functions (PostgreSQL docs §9.9) other than extraction and formatting: the clock
 * functions behind now() and CURRENT_TIMESTAMP, age, make_*, AT TIME ZONE (`timezone`),
 * to_timestamp(float8), justify_*, isfinite and date_bin.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Interval, Value } from "../types/value.js";
import { TIMESTAMP_INFINITY, TIMESTAMP_MINUS_INFINITY } from "../types/value.js";
import type { EvalContext, ScalarFunction } from "./defs.js";
import { fn, num, str } from "./builders.js";
import {
  checkTimestamp,
  dateFromYmd,
  daysInMonth,
  fromFields,
  rint,
  toFields,
  unixToPostgresSeconds,
  usecsPerDay,
} from "./calendar.js";
import { float8ToText } from "./text-out.js";
import { interval, justifyDays, justifyHours, justifyInterval } from "./interval.js";
import { explicitZoneName, localToUtc, sessionZone, utcToLocal } from "./tz.js";
import { isoOffsetZoneName } from "../types/datetime/zone.js";
import { T } from "./type-oids.js";
import { timeofday } from "./timeofday.js";

const zoneOf = (ctx: EvalContext): string => sessionZone((n) => ctx.setting(n));
const iv = (v: Value): Interval => v as Interval;

/**
 * The wall clock in microseconds since 2000-01-01, read as the session clock reads the
 * transaction and statement starts (time origin plus the monotonic clock), so
 * clock_timestamp() is never before now().
 */
export function clockMicros(): bigint {
  const ms = performance.timeOrigin + performance.now();
  return BigInt(Math.round(ms * 1000)) - BigInt(unixToPostgresSeconds) * 1_000_000n;
}

/** Returns the current date in the session zone at transaction start (CURRENT_DATE). */
export function currentDate(ctx: EvalContext): number {
  const local = utcToLocal(zoneOf(ctx), ctx.transactionStartMicros);
  return Number((local - (((local % usecsPerDay) + usecsPerDay) % usecsPerDay)) / usecsPerDay);
}

export function datetimeFunctions(): ScalarFunction[] {
  const stable = { volatility: "s" } as const;
  return [
    fn("now", [], T.timestamptz, (_a, c) => c.transactionStartMicros, stable),
    fn("transaction_timestamp", [], T.timestamptz, (_a, c) => c.transactionStartMicros, stable),
    fn("statement_timestamp", [], T.timestamptz, (_a, c) => c.statementStartMicros, stable),
    fn("clock_timestamp", [], T.timestamptz, () => clockMicros(), { volatility: "v" }),
    fn("timeofday", [], T.text, (_a, c) => timeofday(clockMicros(), zoneOf(c)), {
      volatility: "v",
    }),
    fn("current_date", [], T.date, (_a, c) => currentDate(c), stable),
    fn(
      "localtimestamp",
      [],
      T.timestamp,
      (_a, c) => utcToLocal(zoneOf(c), c.transactionStartMicros),
      stable,
    ),
    fn("localtime", [], T.time, (_a, c) => localTime(c), stable),
    ...ageAndMakeFunctions(),
  ];
}

function ageAndMakeFunctions(): ScalarFunction[] {
  const stable = { volatility: "s" } as const;
  return [
    fn("age", [T.timestamp, T.timestamp], T.interval, (a) => age(a[0] as bigint, a[1] as bigint)),
    fn(
      "age",
      [T.timestamptz, T.timestamptz],
      T.interval,
      (a, c) => age(utcToLocal(zoneOf(c), a[0] as bigint), utcToLocal(zoneOf(c), a[1] as bigint)),
      stable,
    ),
    fn(
      "age",
      [T.timestamp],
      T.interval,
      (a, c) => age(BigInt(currentDate(c)) * usecsPerDay, a[0] as bigint),
      stable,
    ),
    fn(
      "age",
      [T.timestamptz],
      T.interval,
      (a, c) => age(BigInt(currentDate(c)) * usecsPerDay, utcToLocal(zoneOf(c), a[0] as bigint)),
      stable,
    ),
    fn(
      "make_date",
      [T.int4, T.int4, T.int4],
      T.date,
      (a) => makeDate(num(a[0] ?? 0), num(a[1] ?? 0), num(a[2] ?? 0)),
      { argNames: ["year", "month", "day"] },
    ),
    fn(
      "make_time",
      [T.int4, T.int4, T.float8],
      T.time,
      (a) => makeTime(num(a[0] ?? 0), num(a[1] ?? 0), num(a[2] ?? 0)),
      { argNames: ["hour", "min", "sec"] },
    ),
    fn(
      "make_timestamp",
      [T.int4, T.int4, T.int4, T.int4, T.int4, T.float8],
      T.timestamp,
      (a) => makeTimestamp(a),
      { argNames: ["year", "month", "mday", "hour", "min", "sec"] },
    ),
    fn(
      "make_timestamptz",
      [T.int4, T.int4, T.int4, T.int4, T.int4, T.float8],
      T.timestamptz,
      (a, c) => localToUtc(zoneOf(c), makeTimestamp(a)),
      { argNames: ["year", "month", "mday", "hour", "min", "sec"], volatility: "s" },
    ),
    fn(
      "make_timestamptz",
      [T.int4, T.int4, T.int4, T.int4, T.int4, T.float8, T.text],
      T.timestamptz,
      (a) => localToUtc(explicitZoneName(isoOffsetZoneName(str(a[6] ?? ""))), makeTimestamp(a)),
      { argNames: ["year", "month", "mday", "hour", "min", "sec", "timezone"] },
    ),
    fn(
      "make_interval",
      [T.int4, T.int4, T.int4, T.int4, T.int4, T.int4, T.float8],
      T.interval,
      (a) => makeInterval(a),
      {
        argNames: ["years", "months", "weeks", "days", "hours", "mins", "secs"],
        defaults: [0, 0, 0, 0, 0, 0, 0],
      },
    ),
    ...conversionFunctions(),
  ];
}

function conversionFunctions(): ScalarFunction[] {
  return [
    fn("to_timestamp", [T.float8], T.timestamptz, (a) => toTimestamp(num(a[0] ?? 0))),
    fn("justify_days", [T.interval], T.interval, (a) => justifyDays(iv(a[0] ?? null))),
    fn("justify_hours", [T.interval], T.interval, (a) => justifyHours(iv(a[0] ?? null))),
    fn("justify_interval", [T.interval], T.interval, (a) => justifyInterval(iv(a[0] ?? null))),
    fn("timezone", [T.text, T.timestamptz], T.timestamp, (a) =>
      finiteOr(a[1] as bigint, (ts) => utcToLocal(explicitZoneName(str(a[0] ?? "")), ts)),
    ),
    fn("timezone", [T.text, T.timestamp], T.timestamptz, (a) =>
      finiteOr(a[1] as bigint, (ts) => localToUtc(explicitZoneName(str(a[0] ?? "")), ts)),
    ),
    fn("isfinite", [T.date], T.bool, (a) => Number.isFinite(a[0] as number)),
    fn("isfinite", [T.timestamp], T.bool, (a) => isFiniteTs(a[0] as bigint)),
    fn("isfinite", [T.timestamptz], T.bool, (a) => isFiniteTs(a[0] as bigint)),
    fn("isfinite", [T.interval], T.bool, () => true),
    fn("date_bin", [T.interval, T.timestamp, T.timestamp], T.timestamp, (a) =>
      dateBin(iv(a[0] ?? null), a[1] as bigint, a[2] as bigint),
    ),
    fn("date_bin", [T.interval, T.timestamptz, T.timestamptz], T.timestamptz, (a) =>
      dateBin(iv(a[0] ?? null), a[1] as bigint, a[2] as bigint),
    ),
  ];
}

function isFiniteTs(ts: bigint): boolean {
  return ts !== TIMESTAMP_INFINITY && ts !== TIMESTAMP_MINUS_INFINITY;
}

function finiteOr(ts: bigint, f: (ts: bigint) => bigint): bigint {
  return isFiniteTs(ts) ? f(ts) : ts;
}

function localTime(c: EvalContext): number {
  const local = utcToLocal(zoneOf(c), c.transactionStartMicros);
  return Number(((local % usecsPerDay) + usecsPerDay) % usecsPerDay);
}

/** age(a, b): the symbolic difference in years, months and days (timestamp_age). */
export function age(a: bigint, b: bigint): Interval {
  if (!isFiniteTs(a) || !isFiniteTs(b)) {
    throw new SqlError(SqlState.datetimeFieldOverflow, "cannot subtract infinite timestamps");
  }
  const f1 = toFields(a);
  const f2 = toFields(b);
  const flip = a < b ? -1 : 1;
  let micro = flip * (f1.micro - f2.micro);
  let sec = flip * (f1.second - f2.second);
  let min = flip * (f1.minute - f2.minute);
  let hour = flip * (f1.hour - f2.hour);
  let mday = flip * (f1.day - f2.day);
  let mon = flip * (f1.month - f2.month);
  let year = flip * (f1.year - f2.year);
  while (micro < 0) {
    micro += 1_000_000;
    sec--;
  }
  while (sec < 0) {
    sec += 60;
    min--;
  }
  while (min < 0) {
    min += 60;
    hour--;
  }
  while (hour < 0) {
    hour += 24;
    mday--;
  }
  const borrow = a < b ? f1 : f2;
  while (mday < 0) {
    mday += daysInMonth(borrow.year, borrow.month);
    mon--;
  }
  while (mon < 0) {
    mon += 12;
    year--;
  }
  const micros = BigInt((hour * 60 + min) * 60 + sec) * 1_000_000n + BigInt(micro);
  return interval(flip * (year * 12 + mon), flip * mday, BigInt(flip) * micros);
}

function fieldError(what: string, values: string): SqlError {
  return new SqlError(
    SqlState.datetimeFieldOverflow,
    `${what} field value out of range: ${values}`,
  );
}

function makeDate(year: number, month: number, day: number): number {
  if (year === 0)
    throw fieldError(
      "date",
      `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`,
    );
  const y = year < 0 ? year + 1 : year;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(y, month)) {
    throw fieldError(
      "date",
      `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`,
    );
  }
  return dateFromYmd(y, month, day);
}

function makeTime(hour: number, minute: number, sec: number): number {
  const micros = Math.round(sec * 1e6);
  if (
    hour < 0 ||
    minute < 0 ||
    minute > 59 ||
    sec < 0 ||
    hour > 24 ||
    (hour === 24 && (minute > 0 || micros > 0)) ||
    micros > 60e6
  ) {
    throw fieldError(
      "time",
      [pad2(hour), pad2(minute), float8ToText(sec).padStart(2, "0")].join(":"),
    );
  }
  return (hour * 60 + minute) * 60 * 1e6 + micros;
}

function makeTimestamp(a: Value[]): bigint {
  const date = makeDate(num(a[0] ?? 0), num(a[1] ?? 0), num(a[2] ?? 0));
  const time = makeTime(num(a[3] ?? 0), num(a[4] ?? 0), num(a[5] ?? 0));
  return checkTimestamp(BigInt(date) * usecsPerDay + BigInt(time));
}

function makeInterval(a: Value[]): Interval {
  const [years = 0, months = 0, weeks = 0, days = 0, hours = 0, mins = 0, secs = 0] = a.map((v) =>
    v === null ? 0 : (v as number),
  );
  if (!Number.isFinite(secs)) {
    throw new SqlError(SqlState.datetimeFieldOverflow, "interval out of range");
  }
  const micros =
    BigInt(rint(secs * 1e6)) + BigInt(hours) * 3_600_000_000n + BigInt(mins) * 60_000_000n;
  const totalMonths = years * 12 + months;
  const totalDays = weeks * 7 + days;
  // Postgres 15 lets these wrap around int32; later versions refuse, as here.
  if (Math.abs(totalMonths) > 2147483647 || Math.abs(totalDays) > 2147483647) {
    throw new SqlError(SqlState.datetimeFieldOverflow, "interval out of range");
  }
  return interval(totalMonths, totalDays, micros);
}

/** C's printf "%g": six significant digits, exponent form outside 1e-4 .. 1e6. */
function formatG(value: number): string {
  const [mantissa = "", exponent = "0"] = value.toExponential(5).split("e");
  const power = Number(exponent);
  const trim = (text: string): string => (text.includes(".") ? text.replace(/\.?0+$/, "") : text);
  if (power < -4 || power >= 6) {
    const sign = power < 0 ? "-" : "+";
    return `${trim(mantissa)}e${sign}${String(Math.abs(power)).padStart(2, "0")}`;
  }
  return trim(value.toFixed(Math.max(0, 5 - power)));
}

/** to_timestamp(float8): seconds since the Unix epoch, rounded to microseconds. */
function toTimestamp(seconds: number): bigint {
  if (Number.isNaN(seconds)) {
    throw new SqlError(SqlState.datetimeFieldOverflow, "timestamp cannot be NaN");
  }
  if (seconds === Infinity) return TIMESTAMP_INFINITY;
  if (seconds === -Infinity) return TIMESTAMP_MINUS_INFINITY;
  // Postgres's bounds: Julian day 0 (4714-11-24 BC) up to the end of year 294276.
  if (seconds < -210_866_803_200 || seconds >= 9_224_318_016_000) {
    throw new SqlError(
      SqlState.datetimeFieldOverflow,
      `timestamp out of range: "${formatG(seconds)}"`,
    );
  }
  return checkTimestamp(BigInt(rint((seconds - unixToPostgresSeconds) * 1e6)));
}

function dateBin(stride: Interval, source: bigint, origin: bigint): bigint {
  if (!isFiniteTs(source)) return source;
  if (!isFiniteTs(origin)) {
    throw new SqlError(SqlState.datetimeFieldOverflow, "origin out of range");
  }
  if (stride.months !== 0) {
    throw new SqlError(
      SqlState.featureNotSupported,
      "timestamps cannot be binned into intervals containing months or years",
    );
  }
  const span = BigInt(stride.days) * usecsPerDay + stride.micros;
  if (span <= 0n)
    throw new SqlError(SqlState.datetimeFieldOverflow, "stride must be greater than zero");
  const diff = source - origin;
  let bins = diff / span;
  if (diff < 0n && diff % span !== 0n) bins -= 1n;
  return origin + bins * span;
}

export { fromFields };

function pad2(v: number): string {
  return String(v).padStart(2, "0");
}
