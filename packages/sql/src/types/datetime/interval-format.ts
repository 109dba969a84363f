/**
 * interval output in each IntervalStyle, as Postgres's EncodeInterval:
 *
 *   postgres (default)   1 year 2 mons 3 days 04:05:06.7    -1 days +02:03:04
 *   postgres_verbose     @ 1 year 2 mons 3 days 4 hours 5 mins 6.7 secs
 *   iso_8601             P1Y2M3DT4H5M6.7S
 *   sql_standard         +1-2 +3 +4:05:06.7 (mixed signs) or 1-2 (years-months only)
 */
import type { FormatContext } from "../context.js";
import type { Interval } from "../value.js";
import { fraction, pad } from "./calendar.js";

interface IntervalFields {
  year: number;
  mon: number;
  day: number;
  hour: number;
  min: number;
  sec: number;
  /** Microseconds below the second, same sign as the time. */
  fsec: number;
}

export function formatInterval(value: Interval, ctx: FormatContext): string {
  const fields = splitInterval(value);
  switch (ctx.intervalStyle.toLowerCase()) {
    case "iso_8601": return formatIso(fields);
    case "postgres_verbose": return formatVerbose(fields);
    case "sql_standard": return formatSqlStandard(fields);
    default: return formatPostgres(fields);
  }
}

function splitInterval(value: Interval): IntervalFields {
  const hourBig = value.micros / 3_600_000_000n;
  const rest = Number(value.micros - hourBig * 3_600_000_000n);
  const min = Math.trunc(rest / 60_000_000);
  const secMicros = rest - min * 60_000_000;
  const sec = Math.trunc(secMicros / 1_000_000);
  return {
    year: Math.trunc(value.months / 12),
    mon: value.months % 12,
    day: value.days,
    hour: Number(hourBig),
    min,
    sec,
    fsec: secMicros - sec * 1_000_000,
  };
}

function formatPostgres(f: IntervalFields): string {
  let out = "";
  let isZero = true;
  let isBefore = false;
  const addPart = (value: number, unit: string): void => {
    if (value === 0) return;
    const sign = isBefore && value > 0 ? "+" : "";
    out += `${isZero ? "" : " "}${sign}${value} ${unit}${value !== 1 ? "s" : ""}`;
    isBefore = value < 0;
    isZero = false;
  };
  addPart(f.year, "year");
  addPart(f.mon, "mon");
  addPart(f.day, "day");
  if (isZero || f.hour !== 0 || f.min !== 0 || f.sec !== 0 || f.fsec !== 0) {
    const minus = f.hour < 0 || f.min < 0 || f.sec < 0 || f.fsec < 0;
    const sign = minus ? "-" : isBefore ? "+" : "";
    out += `${isZero ? "" : " "}${sign}${pad(Math.abs(f.hour), 2)}:${pad(Math.abs(f.min), 2)}:` +
      `${pad(Math.abs(f.sec), 2)}${fraction(Math.abs(f.fsec))}`;
  }
  return out;
}

function formatVerbose(f: IntervalFields): string {
  let out = "@";
  let isBefore = false;
  let isZero = true;
  const addPart = (value: number, unit: string): void => {
    if (value === 0) return;
    const shown = isBefore ? -value : value;
    out += ` ${shown} ${unit}${shown !== 1 ? "s" : ""}`;
    isZero = false;
  };
  // postgres_verbose prints "ago" when the first nonzero field is negative.
  isBefore = ([f.year, f.mon, f.day, f.hour, f.min, f.sec, f.fsec].find((v) => v !== 0) ?? 0) < 0;
  addPart(f.year, "year");
  addPart(f.mon, "mon");
  addPart(f.day, "day");
  addPart(f.hour, "hour");
  addPart(f.min, "min");
  if (f.sec !== 0 || f.fsec !== 0) {
    const negative = f.sec < 0 || f.fsec < 0;
    const text = `${Math.abs(f.sec)}${fraction(Math.abs(f.fsec))}`;
    const shownNegative = isBefore ? !negative : negative;
    const plural = Math.abs(f.sec) !== 1 || f.fsec !== 0 ? "s" : "";
    out += ` ${shownNegative ? "-" : ""}${text} sec${plural}`;
    isZero = false;
  }
  if (isZero) out += " 0";
  if (isBefore) out += " ago";
  return out;
}

function formatIso(f: IntervalFields): string {
  if (f.year === 0 && f.mon === 0 && f.day === 0 && f.hour === 0 && f.min === 0 && f.sec === 0 &&
    f.fsec === 0) {
    return "PT0S";
  }
  let out = "P";
  if (f.year !== 0) out += `${f.year}Y`;
  if (f.mon !== 0) out += `${f.mon}M`;
  if (f.day !== 0) out += `${f.day}D`;
  if (f.hour !== 0 || f.min !== 0 || f.sec !== 0 || f.fsec !== 0) {
    out += "T";
    if (f.hour !== 0) out += `${f.hour}H`;
    if (f.min !== 0) out += `${f.min}M`;
    if (f.sec !== 0 || f.fsec !== 0) {
      const negative = f.sec < 0 || f.fsec < 0;
      out += `${negative ? "-" : ""}${Math.abs(f.sec)}${fraction(Math.abs(f.fsec))}S`;
    }
  }
  return out;
}

function formatSqlStandard(f: IntervalFields): string {
  const values = [f.year, f.mon, f.day, f.hour, f.min, f.sec, f.fsec];
  const hasNegative = values.some((v) => v < 0);
  const hasPositive = values.some((v) => v > 0);
  const hasYearMonth = f.year !== 0 || f.mon !== 0;
  const hasDayTime = f.day !== 0 || f.hour !== 0 || f.min !== 0 || f.sec !== 0 || f.fsec !== 0;
  const seconds = `${pad(Math.abs(f.sec), 2)}${fraction(Math.abs(f.fsec))}`;
  const clock = `${Math.abs(f.hour)}:${pad(Math.abs(f.min), 2)}:${seconds}`;
  if (!hasNegative && !hasPositive) return "0";
  if ((hasNegative && hasPositive) || (hasYearMonth && hasDayTime)) {
    const yearSign = f.year < 0 || f.mon < 0 ? "-" : "+";
    const daySign = f.day < 0 ? "-" : "+";
    const timeSign = f.hour < 0 || f.min < 0 || f.sec < 0 || f.fsec < 0 ? "-" : "+";
    return `${yearSign}${Math.abs(f.year)}-${Math.abs(f.mon)} ${daySign}${Math.abs(f.day)} ` +
      `${timeSign}${clock}`;
  }
  const sign = hasNegative ? "-" : "";
  if (hasYearMonth) return `${sign}${Math.abs(f.year)}-${Math.abs(f.mon)}`;
  if (f.day !== 0) return `${sign}${Math.abs(f.day)} ${clock}`;
  return sign + clock;
}
