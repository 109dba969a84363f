/**
 * interval: { months, days, micros } as Postgres keeps it, because a month and a day are
 * not fixed lengths of time. Input follows DecodeInterval:
 *
 *   '1 day 2 hours'        -> 1 day 02:00:00        '1.5 months' -> 1 mon 15 days
 *   '-1 days +2:03:04'     -> -1 days +02:03:04     '1 2:03'     -> 1 day 02:03:00
 *   '@ 1 day ago'          -> -1 days               'P1Y2M3DT4H' -> 1 year 2 mons 3 days 04:00:00
 *
 * Fractions flow down: a fraction of a month becomes 30-day days, of a day 24-hour seconds,
 * of a year whole months. A bare number is seconds, or the typmod's lowest field
 * (INTERVAL '1' DAY). Equality and order compare months*30 days + days*24h + time.
 */
import { SqlError, SqlState } from "@tessera/base";
import { ByteReader, ByteWriter } from "../binary.js";
import type { FormatContext } from "../context.js";
import { syntaxError } from "./decode.js";
import { bigintKey, compareBigints, trimSpace, type TypeIo } from "../type-io.js";
import type { Interval } from "../value.js";
import { formatInterval } from "./interval-format.js";
import { parseIsoInterval } from "./interval-iso.js";
import { applyIntervalTypmod, intervalRangeOf, IntervalMask } from "./interval-typmod.js";
import { tokenizeDateTime, type Field } from "./tokenize.js";

export const intervalIo: TypeIo = {
  input: (text, typmod, ctx) => applyIntervalTypmod(
    parseInterval(text, typmod, ctx.intervalStyle === "sql_standard"), typmod),
  output: (value, ctx) => formatInterval(value as Interval, ctx),
  receive(bytes, typmod) {
    const reader = new ByteReader(bytes);
    const micros = reader.int64();
    const days = reader.int32();
    const months = reader.int32();
    reader.end();
    return applyIntervalTypmod({ months, days, micros }, typmod);
  },
  send(value) {
    const interval = value as Interval;
    return new ByteWriter(16).int64(interval.micros).int32(interval.days)
      .int32(interval.months).finish();
  },
  compare: (a, b) => compareBigints(intervalSpan(a as Interval), intervalSpan(b as Interval)),
  hashKey: (value) => bigintKey(intervalSpan(value as Interval)),
};

/** Returns the interval as microseconds with 30-day months, as interval_cmp_value. */
export function intervalSpan(value: Interval): bigint {
  return value.micros + BigInt(value.days) * 86_400_000_000n +
    BigInt(value.months) * 2_592_000_000_000n;
}

/** Unit words: which field they add to and by how much. */
const units: ReadonlyMap<string, readonly ["months" | "days" | "micros", number]> = new Map([
  ...words(["microsecond", "microseconds", "usec", "usecs", "us", "usecond", "useconds"],
    "micros", 1),
  ...words(["millisecond", "milliseconds", "msec", "msecs", "ms", "msecond", "mseconds"],
    "micros", 1e3),
  ...words(["second", "seconds", "sec", "secs", "s"], "micros", 1e6),
  ...words(["minute", "minutes", "min", "mins", "m"], "micros", 6e7),
  ...words(["hour", "hours", "hr", "hrs", "h"], "micros", 3.6e9),
  ...words(["day", "days", "d"], "days", 1),
  ...words(["week", "weeks", "w"], "days", 7),
  ...words(["month", "months", "mon", "mons"], "months", 1),
  ...words(["year", "years", "yr", "yrs", "y"], "months", 12),
  ...words(["decade", "decades", "dec", "decs"], "months", 120),
  ...words(["century", "centuries", "cent", "c"], "months", 1200),
  ...words(["millennium", "millennia", "mil", "mils"], "months", 12000),
]);

function words(list: string[], field: "months" | "days" | "micros", factor: number):
  [string, readonly ["months" | "days" | "micros", number]][] {
  return list.map((word) => [word, [field, factor] as const]);
}

/** Running totals; fractions are kept as floats and rounded to microseconds at the end. */
export interface IntervalParts {
  months: number;
  days: number;
  micros: number;
  /** Whole years among `months` (Postgres keeps them in their own int32 field). */
  years?: number;
  /** Whole microseconds of sub-day units, kept exact (int64 in Postgres); added to micros. */
  wholeMicros?: bigint;
}

/**
 * Reads interval text. Under IntervalStyle sql_standard a leading minus with no other sign
 * negates every field, as DecodeInterval: '-1 2:00:00' is minus 1 day and minus 2 hours.
 */
export function parseInterval(text: string, typmod = -1, sqlStandard = false): Interval {
  const trimmed = trimSpace(text);
  if (/^p/i.test(trimmed)) return finishInterval(parseIsoInterval(trimmed, text), text);
  const tokens = tokenizeDateTime(trimmed);
  if (tokens === undefined || tokens.length === 0) {
    throw syntaxError({ typeName: "interval", input: text });
  }
  const fields = sqlStandard && leadingSignOnly(tokens) ? negateAll(tokens) : tokens;
  const parts: IntervalParts = { months: 0, days: 0, micros: 0 };
  let negate = false;
  const range = intervalRangeOf(typmod);
  // Each unit may be given once ('1 hour 1 hour' is an error), as DecodeInterval's field mask.
  const seen = new Set<string>();
  const claim = (...keys: readonly (readonly [string, number])[]): void => {
    for (const [field, factor] of keys) {
      const key = `${field}:${factor}`;
      if (seen.has(key)) throw syntaxError({ typeName: "interval", input: text });
      seen.add(key);
    }
  };
  const isTime = (f: Field | undefined): boolean =>
    f?.kind === "time" || (f?.kind === "tz" && f.text.includes(":"));
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as Field;
    const next = fields[i + 1];
    if (field.kind === "string" && field.text === "ago") {
      negate = true;
    } else if (isTime(field)) {
      claim(["micros", 3.6e9], ["micros", 6e7], ["micros", 1e6]);
      addTime(parts, field.text, text, range);
    } else if ((field.kind === "date" || field.kind === "tz") &&
      /^[+-]?\d+-\d+$/.test(field.text)) {
      claim(["months", 1]);
      addYearMonth(parts, field.text);
    } else if (field.kind === "number" || field.kind === "tz") {
      const value = Number(field.text);
      if (!Number.isFinite(value)) throw syntaxError({ typeName: "interval", input: text });
      // The integer and the fraction are read apart, as Postgres reads them (strtoint, then
      // the fraction digits), so '1.0000015 sec' rounds exactly as there.
      const add = (unit: readonly ["months" | "days" | "micros", number]): void => {
        claim(unit);
        const [whole, fraction] = splitNumber(field.text);
        if (unit[0] === "micros") {
          parts.wholeMicros = (parts.wholeMicros ?? 0n) + wholeOf(field.text) * BigInt(unit[1]);
        } else {
          addUnit(parts, whole, unit[0], unit[1]);
        }
        addUnit(parts, fraction, unit[0], unit[1]);
      };
      const unit = next?.kind === "string" ? units.get(next.text) : undefined;
      if (unit !== undefined) {
        add(unit);
        i++;
      } else if (isTime(next)) {
        add(["days", 1]);
      } else if (next === undefined || (next.kind === "string" && next.text === "ago")) {
        add(bareNumberUnit(range));
      } else {
        throw syntaxError({ typeName: "interval", input: text });
      }
    } else {
      throw syntaxError({ typeName: "interval", input: text });
    }
  }
  if (negate) {
    parts.months = -parts.months;
    parts.days = -parts.days;
    parts.micros = -parts.micros;
    parts.wholeMicros = -(parts.wholeMicros ?? 0n);
  }
  return finishInterval(parts, text);
}

/** Gives every numeric field after the first the leading minus ('-1 2:00' is -1 day -2 h). */
function negateAll(fields: readonly Field[]): Field[] {
  return fields.map((field, i) =>
    i > 0 && field.kind !== "string" ? { kind: "tz", text: `-${field.text}` } : field);
}

/** True when the first field starts with '-' and no later field carries a sign. */
function leadingSignOnly(fields: readonly Field[]): boolean {
  if (!(fields[0]?.text.startsWith("-") ?? false)) return false;
  return fields.slice(1).every((f) => !/^[+-]/.test(f.text));
}

/** The integer part of "-12.5" exactly, as a bigint (-12n). */
function wholeOf(text: string): bigint {
  const match = /^([+-]?)(\d*)/.exec(text);
  const digits = match?.[2] ?? "";
  const value = digits === "" ? 0n : BigInt(digits);
  return match?.[1] === "-" ? -value : value;
}

/** Splits "-1.25" into -1 and -0.25 as separate doubles, both carrying the sign. */
function splitNumber(text: string): [number, number] {
  const dot = text.indexOf(".");
  if (dot < 0) return [Number(text), 0];
  const negative = text.startsWith("-");
  const whole = Number(text.slice(0, dot).replace(/^[+-]$/, "") || "0");
  const fraction = Number(`0${text.slice(dot)}`);
  return [negative ? -Math.abs(whole) : whole, negative ? -fraction : fraction];
}

/**
 * Microseconds of a fraction of `scale` microseconds: truncated, then the rest rounded by rint
 * (AdjustFractMicroseconds), so 1.5 us becomes 1 and 2.5 us becomes 2.
 */
function fractionToMicros(fraction: number, scale: number): number {
  const scaled = fraction * scale;
  const whole = Math.trunc(scaled);
  return whole + roundHalfEven(scaled - whole);
}

/** Adds `value` units, letting a fraction flow to the next smaller field as Postgres does. */
export function addUnit(parts: IntervalParts, value: number, field: "months" | "days" | "micros",
  factor: number): void {
  const whole = Math.trunc(value);
  const fraction = value - whole;
  if (field === "micros") {
    parts.micros += whole * factor + fractionToMicros(fraction, factor);
  } else if (field === "days") {
    parts.days += whole * factor;
    addFractionalDays(parts, fraction * factor);
  } else if (factor >= 12) {
    // Years, decades, centuries, millennia: the fraction becomes whole months.
    parts.months += whole * factor + Math.round(fraction * factor);
    parts.years = (parts.years ?? 0) + whole * (factor / 12);
  } else {
    parts.months += whole * factor;
    addFractionalDays(parts, fraction * factor * 30);
  }
}

function addFractionalDays(parts: IntervalParts, days: number): void {
  const whole = Math.trunc(days);
  parts.days += whole;
  parts.micros += fractionToMicros(days - whole, 86_400_000_000);
}

/** Adds [+-]hh:mm[:ss[.frac]] (mm:ss.frac when the typmod is MINUTE TO SECOND). */
function addTime(parts: IntervalParts, text: string, input: string, range: number): void {
  const negative = text.startsWith("-");
  const body = text.replace(/^[+-]/, "");
  const pieces = body.split(":");
  if (pieces.length > 3 || pieces.some((piece) => !/^\d+(\.\d*)?$/.test(piece))) {
    throw syntaxError({ typeName: "interval", input });
  }
  const numbers = pieces.map(Number);
  const minuteToSecond = range === (IntervalMask.minute | IntervalMask.second);
  const minutesFirst = pieces.length === 2 && (minuteToSecond || pieces[1]?.includes("."));
  const [hours, minutes, seconds] = minutesFirst
    ? [0, numbers[0] ?? 0, numbers[1] ?? 0]
    : [numbers[0] ?? 0, numbers[1] ?? 0, numbers[2] ?? 0];
  if (minutes >= 60 || seconds >= 60) {
    throw new SqlError(SqlState.intervalFieldOverflow,
      `interval field value out of range: "${input}"`);
  }
  const wholeSeconds = Math.trunc(seconds);
  const micros = hours * 3.6e9 + minutes * 6e7 + wholeSeconds * 1e6 +
    roundHalfEven((seconds - wholeSeconds) * 1e6);
  parts.micros += negative ? -micros : micros;
}

/** C's rint: to the nearest integer, ties to even. */
function roundHalfEven(value: number): number {
  const rounded = Math.round(value);
  return Math.abs(value % 1) === 0.5 && rounded % 2 !== 0 ? rounded - 1 : rounded;
}

function addYearMonth(parts: IntervalParts, text: string): void {
  const negative = text.startsWith("-");
  const [years = 0, months = 0] = text.replace(/^[+-]/, "").split("-").map(Number);
  const total = years * 12 + months;
  parts.months += negative ? -total : total;
}

function bareNumberUnit(range: number): readonly ["months" | "days" | "micros", number] {
  if (range & IntervalMask.second) return ["micros", 1e6];
  if (range & IntervalMask.minute) return ["micros", 6e7];
  if (range & IntervalMask.hour) return ["micros", 3.6e9];
  if (range & IntervalMask.day) return ["days", 1];
  if (range & IntervalMask.month) return ["months", 1];
  if (range & IntervalMask.year) return ["months", 12];
  return ["micros", 1e6];
}

/** Rounds the totals and checks the int32 month/day and int64 microsecond limits. */
export function finishInterval(parts: IntervalParts, text: string): Interval {
  const months = Math.round(parts.months);
  const days = Math.round(parts.days);
  const rounded = Math.round(parts.micros);
  const micros = Number.isFinite(rounded) && Math.abs(rounded) < 1e19
    ? BigInt(rounded) + (parts.wholeMicros ?? 0n) : undefined;
  const outside = (v: number): boolean => v < -2147483648 || v > 2147483647;
  const years = parts.years ?? 0;
  if (outside(years) || outside(months - years * 12) || outside(days) || micros === undefined ||
    micros < -9223372036854775808n || micros > 9223372036854775807n) {
    throw new SqlError(SqlState.intervalFieldOverflow,
      `interval field value out of range: "${text}"`);
  }
  // Each field fits, but years and months together do not (tm2itm).
  if (outside(months)) throw new SqlError(SqlState.datetimeFieldOverflow, "interval out of range");
  return { months: months === 0 ? 0 : months, days: days === 0 ? 0 : days, micros };
}

export type { FormatContext };
