/**
 * to_timestamp(text, text) and to_date(text, text): parse text by a to_char template, as
 * Postgres's do_to_timestamp. datetime-template.ts splits the template, to-timestamp-read.ts
 * reads the fields; here they become a date: CC with YY, Julian days, ISO weeks (IYYY, IW,
 * ID), day of year, the 12-hour clock, SSSS, and the range checks with Postgres's errors.
 * Fields left out default to 0001-01-01 BC 00:00:00 (year 0), as in Postgres.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ScalarFunction } from "./defs.js";
import { fn, str } from "./builders.js";
import { date2j, daysInMonth, j2date, postgresEpochJd } from "./calendar.js";
import { parseTemplate } from "./datetime-template.js";
import { week1Monday } from "./iso-week.js";
import { readInput, type FromChar } from "./to-timestamp-read.js";
import { localToUtc, sessionZone } from "./tz.js";
import { T } from "./type-oids.js";

/** A broken-down result: astronomical year (0 = 1 BC), and the zone offset if one was read. */
export interface Tm {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  micro: number;
  /** Seconds east of UTC from TZH/TZM, undefined when the input named no zone. */
  offset: number | undefined;
  /** FFn's n: the result is rounded to that many fractional digits; 0 for none. */
  precision: number;
}

/** Rounds microseconds to `digits` fractional digits, half away from zero. */
function roundToDigits(micros: bigint, digits: number): bigint {
  const scale = 10n ** BigInt(6 - digits);
  const half = scale / 2n;
  return micros >= 0n ? ((micros + half) / scale) * scale : -(((-micros + half) / scale) * scale);
}

export function toTimestampFunctions(): ScalarFunction[] {
  return [
    fn(
      "to_timestamp",
      [T.text, T.text],
      T.timestamptz,
      (a, ctx) => {
        const input = str(a[0] ?? "");
        const tm = toTm(input, str(a[1] ?? ""));
        const jd = date2j(tm.year, tm.month, tm.day);
        const time = BigInt(((tm.hour * 60 + tm.minute) * 60 + tm.second) * 1_000_000 + tm.micro);
        if (!validJulian(tm, jd)) throw timestampRange();
        const local = BigInt(jd - postgresEpochJd) * 86_400_000_000n + time;
        const utc = tm.offset !== undefined
          ? local - BigInt(tm.offset) * 1_000_000n
          : localToUtc(sessionZone((n) => ctx.setting(n)), local);
        if (utc < -211813488000000000n || utc >= 9223371331200000000n) throw timestampRange();
        return tm.precision === 0 ? utc : roundToDigits(utc, tm.precision);
      },
      { volatility: "s" },
    ),
    fn(
      "to_date",
      [T.text, T.text],
      T.date,
      (a) => {
        const input = str(a[0] ?? "");
        const tm = toTm(input, str(a[1] ?? ""));
        const jd = date2j(tm.year, tm.month, tm.day);
        if (!validJulian(tm, jd) || jd >= 2147483494) {
          throw new SqlError(SqlState.datetimeFieldOverflow, `date out of range: "${input}"`);
        }
        return jd - postgresEpochJd;
      },
      { volatility: "s" },
    ),
  ];
}

function timestampRange(): SqlError {
  return new SqlError(SqlState.datetimeFieldOverflow, "timestamp out of range");
}

/** Postgres's IS_VALID_JULIAN: from 4714-11-24 BC on. */
function validJulian(tm: Tm, jd: number): boolean {
  return jd >= 0 && tm.year < 5874898;
}

function fieldOverflow(input: string): SqlError {
  return new SqlError(SqlState.datetimeFieldOverflow,
    `date/time field value out of range: "${input}"`);
}

/**
 * Parses `input` by `template` into checked fields (do_to_timestamp); `std`: jsonpath's
 * standard mode (`readInput`).
 */
export function toTm(input: string, template: string, std = false): Tm {
  const f = readInput(input, parseTemplate(template), std);
  const tm: Tm = {
    year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0, micro: 0, offset: undefined,
    precision: f.ff,
  };
  if (f.ssss !== 0) {
    tm.hour += Math.trunc(f.ssss / 3600);
    tm.minute += Math.trunc((f.ssss % 3600) / 60);
    tm.second += f.ssss % 60;
  }
  if (f.ss !== 0) tm.second = f.ss;
  if (f.mi !== 0) tm.minute = f.mi;
  if (f.hh !== 0) tm.hour = f.hh;
  if (f.clock12) {
    if (tm.hour < 1 || tm.hour > 12) {
      throw new SqlError(SqlState.invalidDatetimeFormat,
        `hour "${tm.hour}" is invalid for the 12-hour clock`,
        { hint: "Use the 24-hour clock, or give an hour between 1 and 12." });
    }
    if (f.pm && tm.hour < 12) tm.hour += 12;
    else if (!f.pm && tm.hour === 12) tm.hour = 0;
  }
  const mask = settleDate(f, tm);
  tm.micro = f.ms * 1000 + f.us;
  validateDate(mask, tm, input);
  if (tm.hour < 0 || tm.hour >= 24 || tm.minute < 0 || tm.minute >= 60 || tm.second < 0 ||
    tm.second >= 60 || tm.micro < 0 || tm.micro >= 1_000_000) {
    throw fieldOverflow(input);
  }
  if (f.tzsign !== 0) tm.offset = f.tzsign * (f.tzh * 60 + f.tzm) * 60;
  return tm;
}

interface DateMask {
  year: boolean;
  month: boolean;
  day: boolean;
}

/** The year, then Julian day, week, day and day-of-year fields, in Postgres's order. */
function settleDate(f: FromChar, tm: Tm): DateMask {
  const mask: DateMask = { year: false, month: false, day: false };
  if (f.year !== 0) {
    tm.year = f.cc !== 0 && f.yysz <= 2 ? centuryYear(f) : yearOf(f.year, f.bc);
    mask.year = true;
  } else if (f.cc !== 0) {
    const cc = f.bc ? -f.cc : f.cc;
    tm.year = cc >= 0 ? (cc - 1) * 100 + 1 : cc * 100 + 1;
    mask.year = true;
  }
  const all = (): void => {
    mask.year = mask.month = mask.day = true;
  };
  if (f.j !== 0) {
    [tm.year, tm.month, tm.day] = j2date(f.j);
    all();
  }
  let ddd = f.ddd;
  if (f.ww !== 0) {
    if (f.mode === "isoweek") {
      const start = week1Monday(tm.year) + (f.ww - 1) * 7;
      const jd = f.d !== 0 ? start + (f.d > 1 ? f.d - 2 : 6) : start;
      [tm.year, tm.month, tm.day] = j2date(jd);
      all();
    } else {
      ddd = (f.ww - 1) * 7 + 1;
    }
  }
  const dd = f.w !== 0 ? (f.w - 1) * 7 + 1 : f.dd;
  if (dd !== 0) {
    tm.day = dd;
    mask.day = true;
  }
  if (f.mm !== 0) {
    tm.month = f.mm;
    mask.month = true;
  }
  if (ddd !== 0 && (tm.month <= 1 || tm.day <= 1)) {
    if (tm.year === 0 && !f.bc) {
      throw new SqlError(SqlState.invalidDatetimeFormat,
        "cannot calculate day of year without year information");
    }
    if (f.mode === "isoweek") {
      [tm.year, tm.month, tm.day] = j2date(week1Monday(tm.year) - 1 + ddd);
      all();
    } else {
      dayOfYear(tm, ddd);
      mask.month = mask.day = true;
    }
  }
  return mask;
}

/** A year of YYYY (or more digits), BC-adjusted to astronomical numbering. */
function yearOf(year: number, bc: boolean): number {
  const signed = bc ? -year : year;
  return signed < 0 ? signed + 1 : signed;
}

/** CC with a two-digit year: that year of the century (the 21st runs 2001-2100). */
function centuryYear(f: FromChar): number {
  const cc = f.bc ? -f.cc : f.cc;
  const yy = f.year % 100;
  if (yy === 0) return cc * 100 + (cc >= 0 ? 0 : 1);
  return cc >= 0 ? yy + (cc - 1) * 100 : (cc + 1) * 100 - yy + 1;
}

/** Sets month and day from a Gregorian day of year, where they were not given. */
function dayOfYear(tm: Tm, ddd: number): void {
  let month = 1;
  let before = 0;
  while (month < 12 && ddd > before + daysInMonth(tm.year, month)) {
    before += daysInMonth(tm.year, month);
    month++;
  }
  if (month === 12 && ddd > before + 31) month = 13;
  if (tm.month <= 1) tm.month = month;
  if (tm.day <= 1) tm.day = ddd - before;
}

/** Postgres's ValidateDate for to_timestamp: every failure is a field overflow. */
function validateDate(mask: DateMask, tm: Tm, input: string): void {
  if (mask.month && (tm.month < 1 || tm.month > 12)) throw fieldOverflow(input);
  if (mask.day && (tm.day < 1 || tm.day > 31)) throw fieldOverflow(input);
  if (mask.year && mask.month && mask.day) {
    if (tm.day > daysInMonth(tm.year, tm.month)) throw fieldOverflow(input);
  }
}
