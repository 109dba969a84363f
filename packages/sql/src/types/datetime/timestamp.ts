/**
 * timestamp and timestamptz: bigint microseconds since 2000-01-01 00:00 (UTC for
 * timestamptz), with TIMESTAMP_INFINITY / TIMESTAMP_MINUS_INFINITY for ±infinity.
 *
 * timestamp ignores any zone in its input; timestamptz converts from the zone written in
 * the input, else from the session's TimeZone, and prints in the session's zone:
 *
 *   SET timezone = 'Europe/Berlin';
 *   '2024-07-01 12:00'::timestamptz          -> 2024-07-01 12:00:00+02
 *   '2024-07-01 12:00 UTC'::timestamptz      -> 2024-07-01 14:00:00+02
 */
import { SqlError, SqlState } from "@tessera/base";
import { ByteReader, ByteWriter } from "../binary.js";
import type { FormatContext } from "../context.js";
import { bigintKey, compareBigints, type TypeIo } from "../type-io.js";
import { TIMESTAMP_INFINITY, TIMESTAMP_MINUS_INFINITY } from "../value.js";
import {
  date2j, formatClock, formatOffset, formatYmd, fraction, j2date,
  postgresEpochJulian, splitTime, splitTimestamp, timestampEndMicros,
  timestampMinMicros, usecsPerDay, usecsPerDayBig, type Clock, type Ymd,
} from "./calendar.js";
import { formatTimestampInStyle, nonIsoStyle } from "./date-style.js";
import { decodeDateTime, syntaxError, type DecodedDateTime } from "./decode.js";
import { localNow, nowMicros } from "./now.js";
import { parseIsoTimestamp } from "./timestamp-fast.js";
import { findZone, localToUnix, timeZoneSettingName, utcZone, type Zone } from "./zone.js";

const unixEpochMicros = -946_684_800_000_000n;

export const timestampIo: TypeIo = {
  input: (text, typmod, ctx) => roundTimestamp(parseTimestamp(text, ctx, false), typmod),
  output: (value, ctx) => {
    const style = nonIsoStyle(ctx);
    const ts = value as bigint;
    return style === undefined || !isFiniteTimestamp(ts)
      ? formatTimestamp(ts) : formatTimestampInStyle(ts, style, ctx, undefined);
  },
  receive: (bytes, typmod) => roundTimestamp(receiveInt64(bytes), typmod),
  send: (value) => new ByteWriter(8).int64(value as bigint).finish(),
  compare: (a, b) => compareBigints(a as bigint, b as bigint),
  equals: (a, b) => a === b,
  hashKey: (value) => bigintKey(value as bigint),
};

export const timestamptzIo: TypeIo = {
  ...timestampIo,
  input: (text, typmod, ctx) => roundTimestamp(parseTimestamp(text, ctx, true), typmod),
  output: (value, ctx) => formatTimestamptz(value as bigint, ctx),
};

function receiveInt64(bytes: Uint8Array): bigint {
  const reader = new ByteReader(bytes);
  const value = reader.int64();
  reader.end();
  return value;
}

/** Parses timestamp text; `withZone` selects timestamptz's conversion to UTC. */
export function parseTimestamp(text: string, ctx: FormatContext, withZone: boolean): bigint {
  const iso = parseIsoTimestamp(text, withZone);
  if (iso !== undefined) return iso;
  const typeName = withZone ? "timestamp with time zone" : "timestamp";
  const decoded = decodeDateTime(text, typeName, ctx);
  const special = specialTimestamp(decoded, ctx, withZone);
  if (special !== undefined) return special;
  const { year, month, day } = decoded;
  if (year === undefined || month === undefined || day === undefined) {
    throw syntaxError({ typeName, input: text });
  }
  // As IS_VALID_JULIAN: the range proper is checked after the zone is applied.
  if (year < -4713 || (year === -4713 && month < 11) || year > 294277) {
    throw timestampRange(text);
  }
  const julian = date2j(year, month, day);
  const time = decoded.hour * 3_600_000_000 + decoded.minute * 60_000_000 +
    decoded.second * 1_000_000 + decoded.micros;
  const local = BigInt(julian - postgresEpochJulian) * usecsPerDayBig + BigInt(time);
  const result = withZone ? localToUtc(local, decoded, ctx) : local;
  if (result < timestampMinMicros || result >= timestampEndMicros) throw timestampRange(text);
  return result;
}

function timestampRange(text: string): SqlError {
  return new SqlError(SqlState.datetimeFieldOverflow, `timestamp out of range: "${text}"`);
}

function specialTimestamp(decoded: DecodedDateTime, ctx: FormatContext, withZone: boolean):
  bigint | undefined {
  switch (decoded.special) {
    case undefined: return undefined;
    case "infinity": return TIMESTAMP_INFINITY;
    case "-infinity": return TIMESTAMP_MINUS_INFINITY;
    case "epoch": return unixEpochMicros;
    case "now": return withZone ? nowMicros(ctx) : localNow(ctx).local;
  }
}

/** Converts local microseconds to UTC by the input's offset or zone, else the session's. */
export function localToUtc(local: bigint, decoded: Pick<DecodedDateTime, "offset" | "zone">,
  ctx: FormatContext): bigint {
  if (decoded.offset !== undefined) return local - BigInt(decoded.offset) * 1_000_000n;
  const zone = decoded.zone ?? sessionZone(ctx);
  return localInZoneToUtc(local, zone);
}

/** Converts local microseconds in `zone` to UTC microseconds. */
export function localInZoneToUtc(local: bigint, zone: Zone): bigint {
  const seconds = floorDiv(local, 1_000_000n);
  const localUnix = Number(seconds) + 946_684_800;
  const utcUnix = localToUnix(zone, localUnix);
  return local - BigInt(localUnix - utcUnix) * 1_000_000n;
}

/** The TimeZone setting's zone; a bare number there is hours east, as SET TimeZone reads it. */
export function sessionZone(ctx: FormatContext): Zone {
  return findZone(timeZoneSettingName(ctx.timeZone)) ?? utcZone;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const quotient = a / b;
  return a % b < 0n ? quotient - 1n : quotient;
}

/** Returns the zone offset, seconds east, of UTC instant `utc` in `zone`. */
export function offsetOfUtc(utc: bigint, zone: Zone): number {
  return zone.offsetAt(Number(floorDiv(utc, 1_000_000n)) + 946_684_800);
}

const ymd: Ymd = { year: 0, month: 0, day: 0 };
const clock: Clock = { hour: 0, minute: 0, second: 0, micros: 0 };

export function formatTimestamp(value: bigint): string {
  if (value === TIMESTAMP_INFINITY) return "infinity";
  if (value === TIMESTAMP_MINUS_INFINITY) return "-infinity";
  const micros = Number(value);
  if (Math.abs(micros) <= exactMicrosMax) return formatExactLocal(micros);
  const { days, timeMicros } = splitTimestamp(value);
  j2date(days + postgresEpochJulian, ymd);
  splitTime(timeMicros, clock);
  const text = `${formatYmd(ymd)} ${formatClock(clock)}`;
  return ymd.year <= 0 ? text + " BC" : text;
}

function isFiniteTimestamp(value: bigint): boolean {
  return value !== TIMESTAMP_INFINITY && value !== TIMESTAMP_MINUS_INFINITY;
}

export function formatTimestamptz(value: bigint, ctx: FormatContext): string {
  if (value === TIMESTAMP_INFINITY) return "infinity";
  if (value === TIMESTAMP_MINUS_INFINITY) return "-infinity";
  const zone = sessionZone(ctx);
  const style = nonIsoStyle(ctx);
  if (style !== undefined) {
    const unixSeconds = Number(floorDiv(value, 1_000_000n)) + 946_684_800;
    const local = value + BigInt(zone.offsetAt(unixSeconds)) * 1_000_000n;
    return formatTimestampInStyle(local, style, ctx, zone.abbreviationAt(unixSeconds));
  }
  const micros = Number(value);
  if (Math.abs(micros) <= exactMicrosMax) {
    const offset = zone.offsetAt(floorDivExact(micros, 1_000_000) + 946_684_800);
    return formatExactLocal(micros + offset * 1_000_000) + offsetText(offset);
  }
  const offset = offsetOfUtc(value, zone);
  const { days, timeMicros } = splitTimestamp(value + BigInt(offset) * 1_000_000n);
  j2date(days + postgresEpochJulian, ymd);
  splitTime(timeMicros, clock);
  const text = `${formatYmd(ymd)} ${formatClock(clock)}${formatOffset(offset)}`;
  return ymd.year <= 0 ? text + " BC" : text;
}

/**
 * Timestamps within this many microseconds of 2000-01-01 (about 285 years, less two days for
 * a zone's offset) are formatted with plain numbers, which hold them exactly; the rest, and
 * every year outside 1000..9999 with it, take the bigint path.
 */
const exactMicrosMax = Number.MAX_SAFE_INTEGER - 2 * usecsPerDay;

/** `a` divided by `b`, rounded down; exact for integers below 2^53. */
function floorDivExact(a: number, b: number): number {
  const rest = a % b;
  const quotient = (a - rest) / b;
  return rest < 0 ? quotient - 1 : quotient;
}

const twoDigits: readonly string[] = Array.from({ length: 100 },
  (_, i) => (i < 10 ? "0" : "") + String(i));

/** "YYYY-MM-DD HH:MM:SS[.ffffff]" of local micros since 2000-01-01 within `exactMicrosMax`. */
function formatExactLocal(micros: number): string {
  const days = floorDivExact(micros, usecsPerDay);
  j2date(days + postgresEpochJulian, ymd);
  splitTime(micros - days * usecsPerDay, clock);
  return String(ymd.year) + "-" + twoDigits[ymd.month]! + "-" + twoDigits[ymd.day]! + " " +
    twoDigits[clock.hour]! + ":" + twoDigits[clock.minute]! + ":" + twoDigits[clock.second]! +
    fraction(clock.micros);
}

let lastOffset = 0;
let lastOffsetText = "+00";

/** `formatOffset`, remembered for the last offset: a session prints mostly one. */
function offsetText(offset: number): string {
  if (offset !== lastOffset) {
    lastOffsetText = formatOffset(offset);
    lastOffset = offset;
  }
  return lastOffsetText;
}

/** Rounds to typmod's fractional digits, half away from zero, as AdjustTimestampForTypmod. */
export function roundTimestamp(value: bigint, typmod: number): bigint {
  if (typmod < 0 || typmod >= 6) return value;
  if (value === TIMESTAMP_INFINITY || value === TIMESTAMP_MINUS_INFINITY) return value;
  const scale = 10n ** BigInt(6 - typmod);
  const half = scale / 2n;
  if (value >= 0n) return ((value + half) / scale) * scale;
  return -(((-value + half) / scale) * scale);
}
