/**
 * time: microseconds since midnight (24:00:00 allowed, as Postgres allows it), and timetz:
 * a TimeTz with its zone offset in Postgres's convention (seconds west, so +01 is -3600).
 * Input takes the clock fields of any date/time literal and drops the date; six bare
 * digits read as HHMMSS.
 */
import { ByteReader, ByteWriter } from "../binary.js";
import type { FormatContext } from "../context.js";
import { compareNumbers, type TypeIo } from "../type-io.js";
import type { TimeTz } from "../value.js";
import {
  date2j, formatClock, formatOffset, postgresEpochJulian, splitTime, usecsPerDay, type Clock,
} from "./calendar.js";
import { decodeDateTime, syntaxError, type DecodedDateTime } from "./decode.js";
import { localNow } from "./now.js";
import { sessionZone } from "./timestamp.js";
import { offsetForLocal } from "./zone.js";

export const timeIo: TypeIo = {
  input: (text, typmod, ctx) => roundTime(parseTime(text, ctx, "time").micros, typmod),
  output: (value) => formatTime(value as number),
  receive(bytes, typmod) {
    const reader = new ByteReader(bytes);
    const micros = Number(reader.int64());
    reader.end();
    return roundTime(micros, typmod);
  },
  send: (value) => new ByteWriter(8).int64(BigInt(value as number)).finish(),
  compare: (a, b) => compareNumbers(a as number, b as number),
  equals: (a, b) => a === b,
  hashKey: (value) => value as number,
};

export const timetzIo: TypeIo = {
  input: (text, typmod, ctx) => parseTimetz(text, typmod, ctx),
  output: (value) => formatTimetz(value as TimeTz),
  receive(bytes, typmod) {
    const reader = new ByteReader(bytes);
    const micros = roundTime(Number(reader.int64()), typmod);
    const zoneSeconds = reader.int32();
    reader.end();
    return { micros, zoneSeconds };
  },
  send: (value) => {
    const timetz = value as TimeTz;
    return new ByteWriter(12).int64(BigInt(timetz.micros)).int32(timetz.zoneSeconds).finish();
  },
  compare: (a, b) => compareTimetz(a as TimeTz, b as TimeTz),
  hashKey: (value) => `${(value as TimeTz).micros}/${(value as TimeTz).zoneSeconds}`,
};

/** Parses the clock part of time input; 'now' and 'allballs' are special. */
function parseTime(text: string, ctx: FormatContext, typeName: string):
  { micros: number; decoded: DecodedDateTime } {
  const decoded = decodeDateTime(text, typeName, ctx, true);
  if (decoded.special === "now") return { micros: localNow(ctx).timeMicros, decoded };
  if (decoded.special !== undefined || !decoded.hasTime) {
    throw syntaxError({ typeName, input: text });
  }
  const micros = decoded.hour * 3_600_000_000 + decoded.minute * 60_000_000 +
    decoded.second * 1_000_000 + decoded.micros;
  return { micros: Math.min(micros, usecsPerDay), decoded };
}

function parseTimetz(text: string, typmod: number, ctx: FormatContext): TimeTz {
  const { micros, decoded } = parseTime(text, ctx, "time with time zone");
  let offset = decoded.offset;
  if (offset === undefined) {
    const zone = decoded.zone ?? sessionZone(ctx);
    // The zone's offset on the date given with the time, else today's (DetermineTimeZoneOffset).
    const { year, month, day } = decoded;
    const days = year !== undefined && month !== undefined && day !== undefined
      ? date2j(year, month, day) - postgresEpochJulian : localNow(ctx).days;
    offset = offsetForLocal(zone, (days + 10957) * 86400 + Math.floor(micros / 1e6));
  }
  return { micros: roundTime(micros, typmod), zoneSeconds: -offset };
}

const clock: Clock = { hour: 0, minute: 0, second: 0, micros: 0 };

export function formatTime(micros: number): string {
  return formatClock(splitTime(micros, clock));
}

export function formatTimetz(value: TimeTz): string {
  return formatClock(splitTime(value.micros, clock)) + formatOffset(-value.zoneSeconds);
}

/** Orders timetz by UTC instant, then by offset, as timetz_cmp. */
export function compareTimetz(a: TimeTz, b: TimeTz): number {
  const byInstant = compareNumbers(a.micros + a.zoneSeconds * 1e6, b.micros + b.zoneSeconds * 1e6);
  return byInstant !== 0 ? byInstant : compareNumbers(a.zoneSeconds, b.zoneSeconds);
}

/** Rounds to typmod's fractional digits, half away from zero, as AdjustTimeForTypmod. */
export function roundTime(micros: number, typmod: number): number {
  if (typmod < 0 || typmod >= 6) return micros;
  const scale = 10 ** (6 - typmod);
  return Math.round(micros / scale) * scale;
}
