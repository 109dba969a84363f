/**
 * The conversion functions behind pg_cast's function casts, each with Postgres's rounding
 * and errors: numeric to integer rounds half away from zero, float to integer rounds half
 * to even (rint), and overflow says "integer out of range" (22003).
 */
import { Decimal } from "decimal.js";
import { SqlError, SqlState } from "@tessera/base";
import type { FormatContext } from "./context.js";
import {
  splitTimestamp, timestampEndMicros, timestampMinMicros, usecsPerDay, usecsPerDayBig,
} from "./datetime/calendar.js";
import { localInZoneToUtc, offsetOfUtc, sessionZone } from "./datetime/timestamp.js";
import { outOfRange } from "./errors.js";
import { formatInet } from "./inet.js";
import { formatFloat4, formatFloat8, parseFloat4, parseFloat8 } from "./float.js";
import { int2Max, int2Min, int4Max, int4Min, int8Max, int8Min, oidMax } from "./integer.js";
import { formatNumeric, parseNumeric, withScale } from "./numeric.js";
import { trimTrailingSpaces, truncateName } from "./text.js";
import { TIMESTAMP_INFINITY, TIMESTAMP_MINUS_INFINITY } from "./value.js";
import type { Inet, Interval, Jsonb, TimeTz, Value } from "./value.js";

export type CastFn = (value: Value, typmod: number, ctx: FormatContext) => Value;

/** Narrows a JS integer (or bigint) to int2/int4 with Postgres's overflow error. */
export function toInt(value: number | bigint, min: number, max: number, name: string): number {
  if (value < min || value > max) throw outOfRange(name);
  return Number(value);
}

export function toInt8(value: number | bigint): bigint {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < -9223372036854775808 || value >= 9223372036854775808) {
      throw outOfRange("bigint");
    }
    return BigInt(value);
  }
  if (value < int8Min || value > int8Max) throw outOfRange("bigint");
  return value;
}

/** Rounds half to even, as C's rint() under the default rounding mode. */
export function rint(value: number): number {
  const floor = Math.floor(value);
  const diff = value - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

export function floatToInt(value: number, min: number, max: number, name: string): number {
  if (Number.isNaN(value)) throw outOfRange(name);
  return toInt(rint(value), min, max, name);
}

export function floatToInt8(value: number): bigint {
  if (Number.isNaN(value)) throw outOfRange("bigint");
  return toInt8(rint(value));
}

/** Converts numeric to an integer type, rounding half away from zero. */
export function numericToInt(value: Decimal, name: "smallint" | "integer" | "bigint"):
  number | bigint {
  if (value.isNaN()) {
    throw new SqlError(SqlState.featureNotSupported, `cannot convert NaN to ${name}`);
  }
  if (!value.isFinite()) {
    throw new SqlError(SqlState.featureNotSupported, `cannot convert infinity to ${name}`);
  }
  const rounded = value.toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
  if (name === "bigint") return toInt8(BigInt(rounded.toFixed(0)));
  const [min, max] = name === "smallint" ? [int2Min, int2Max] : [int4Min, int4Max];
  if (rounded.lt(min) || rounded.gt(max)) throw outOfRange(name);
  return rounded.toNumber();
}

export function intToNumeric(value: number | bigint): Decimal {
  return withScale(new Decimal(value.toString()), 0);
}

/** float to numeric goes through %.15g text (%.6g for real), as float8_numeric does. */
export function floatToNumeric(value: number, isFloat4: boolean): Decimal {
  if (Number.isNaN(value)) return new Decimal(NaN);
  if (!Number.isFinite(value)) return new Decimal(value);
  const text = value.toPrecision(isFloat4 ? 6 : 15);
  if (text.includes("e")) return parseNumeric(text);
  return parseNumeric(text.replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, ""));
}

/**
 * numeric to float goes through text, as numeric_float8 calls numeric_out then float8in: a
 * value too small or too large for the float is 22003 naming the numeric's digits.
 */
export function numericToFloat(value: Decimal, isFloat4: boolean): number {
  const text = formatNumeric(value);
  return isFloat4 ? parseFloat4(text) : parseFloat8(text);
}

export function float8ToFloat4(value: number): number {
  const rounded = Math.fround(value);
  if (!Number.isFinite(rounded) && Number.isFinite(value)) {
    throw new SqlError(SqlState.numericValueOutOfRange, "value out of range: overflow");
  }
  if (rounded === 0 && value !== 0) {
    throw new SqlError(SqlState.numericValueOutOfRange, "value out of range: underflow");
  }
  return rounded;
}

export function int8ToOid(value: bigint): number {
  if (value < -2147483648n || value > BigInt(oidMax)) {
    throw new SqlError(SqlState.numericValueOutOfRange, "OID out of range");
  }
  return Number(value < 0n ? value + BigInt(oidMax) + 1n : value);
}

export const stringCasts = {
  bpcharToText: (value: Value): Value => trimTrailingSpaces(value as string),
  bpcharToName: (value: Value): Value => truncateName(trimTrailingSpaces(value as string)),
  textToName: (value: Value): Value => truncateName(value as string),
  toChar: (value: Value): Value => (value as string).slice(0, 1),
};

export function formatFloatText(value: number, isFloat4: boolean, ctx: FormatContext): string {
  return isFloat4 ? formatFloat4(value, ctx) : formatFloat8(value, ctx);
}

/** inet/cidr as text always show the mask length, as network_show. */
export function inetToText(inet: Inet): string {
  return formatInet({ ...inet, isCidr: true });
}

/** inet to cidr zeroes the bits right of the mask. */
export function inetToCidr(inet: Inet): Inet {
  const address = inet.address.slice();
  for (let i = 0; i < address.length; i++) {
    const keep = Math.max(0, Math.min(8, inet.bits - i * 8));
    address[i] = (address[i] ?? 0) & ((0xff << (8 - keep)) & 0xff);
  }
  return { family: inet.family, address, bits: inet.bits, isCidr: true };
}

// Date and time conversions. Dates are days; timestamps bigint microseconds.

export function dateToTimestamp(days: number): bigint {
  if (days === Infinity) return TIMESTAMP_INFINITY;
  if (days === -Infinity) return TIMESTAMP_MINUS_INFINITY;
  return BigInt(days) * usecsPerDayBig;
}

export function dateToTimestamptz(days: number, ctx: FormatContext): bigint {
  const local = dateToTimestamp(days);
  if (local === TIMESTAMP_INFINITY || local === TIMESTAMP_MINUS_INFINITY) return local;
  return localInZoneToUtc(local, sessionZone(ctx));
}

export function timestampToDate(value: bigint): number {
  if (value === TIMESTAMP_INFINITY) return Infinity;
  if (value === TIMESTAMP_MINUS_INFINITY) return -Infinity;
  return splitTimestamp(value).days;
}

/** Returns the session-local wall clock of a timestamptz as a timestamp. */
export function timestamptzToTimestamp(value: bigint, ctx: FormatContext): bigint {
  if (value === TIMESTAMP_INFINITY || value === TIMESTAMP_MINUS_INFINITY) return value;
  return value + BigInt(offsetOfUtc(value, sessionZone(ctx))) * 1_000_000n;
}

/** The timestamptz::timestamp cast: the local time must be a valid timestamp too. */
export function timestamptzToTimestampInRange(value: bigint, ctx: FormatContext): bigint {
  const local = timestamptzToTimestamp(value, ctx);
  // A valid instant can fall outside timestamp's range in local time (4714-11-23 BC).
  if (local !== TIMESTAMP_INFINITY && local !== TIMESTAMP_MINUS_INFINITY &&
    (local < timestampMinMicros || local >= timestampEndMicros)) {
    throw new SqlError(SqlState.datetimeFieldOverflow, "timestamp out of range");
  }
  return local;
}

export function timestampToTimestamptz(value: bigint, ctx: FormatContext): bigint {
  if (value === TIMESTAMP_INFINITY || value === TIMESTAMP_MINUS_INFINITY) return value;
  return localInZoneToUtc(value, sessionZone(ctx));
}

/** The time of day; null for ±infinity, as timestamp_time. */
export function timestampToTime(value: bigint): number | null {
  if (value === TIMESTAMP_INFINITY || value === TIMESTAMP_MINUS_INFINITY) return null;
  return splitTimestamp(value).timeMicros;
}

/** The local time with its offset; null for ±infinity, as timestamptz_timetz. */
export function timestamptzToTimetz(value: bigint, ctx: FormatContext): TimeTz | null {
  if (value === TIMESTAMP_INFINITY || value === TIMESTAMP_MINUS_INFINITY) return null;
  const offset = offsetOfUtc(value, sessionZone(ctx));
  const micros = splitTimestamp(value + BigInt(offset) * 1_000_000n).timeMicros;
  return { micros, zoneSeconds: -offset };
}

export function intervalToTime(value: Interval): number {
  let micros = Number(value.micros % usecsPerDayBig);
  if (micros < 0) micros += usecsPerDay;
  return micros;
}

export function timeToInterval(micros: number): Interval {
  return { months: 0, days: 0, micros: BigInt(micros) };
}

// jsonb to scalar types: only a scalar of the matching kind converts.

export function jsonbTypeName(value: Jsonb): string {
  if (value === null || (value as { kind?: string }).kind === "null") return "null";
  if (typeof value === "string") return "string";
  if (typeof value === "boolean") return "boolean";
  if (Array.isArray(value)) return "array";
  return (value as { kind: string }).kind === "number" ? "numeric" : "object";
}

export function jsonbScalar(value: Jsonb, want: "boolean" | "numeric", target: string): Value {
  if (jsonbTypeName(value) !== want) {
    throw new SqlError(SqlState.invalidParameterValue,
      `cannot cast jsonb ${jsonbTypeName(value)} to type ${target}`);
  }
  return want === "numeric" ? (value as { value: Decimal }).value : (value as boolean);
}
