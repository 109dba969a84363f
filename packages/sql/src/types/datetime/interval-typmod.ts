/**
 * interval's typmod: a field range (INTERVAL DAY TO SECOND) in the high 16 bits and a
 * fractional precision in the low 16, as Postgres's INTERVAL_TYPMOD. Applying it truncates
 * fields below the range and rounds the seconds, as AdjustIntervalForTypmod.
 */
import type { Interval } from "../value.js";

export const IntervalMask = {
  month: 1 << 1,
  year: 1 << 2,
  day: 1 << 3,
  hour: 1 << 10,
  minute: 1 << 11,
  second: 1 << 12,
} as const;

export const intervalFullRange = 0x7fff;
export const intervalFullPrecision = 0xffff;

export function makeIntervalTypmod(range: number, precision: number): number {
  return ((range & 0x7fff) << 16) | (precision & 0xffff);
}

/** Returns the range mask of a typmod (full range when there is none). */
export function intervalRangeOf(typmod: number): number {
  return typmod < 0 ? intervalFullRange : (typmod >> 16) & 0x7fff;
}

export function intervalPrecisionOf(typmod: number): number {
  return typmod < 0 ? intervalFullPrecision : typmod & 0xffff;
}

const usecsPerHour = 3_600_000_000n;
const usecsPerMinute = 60_000_000n;

export function applyIntervalTypmod(value: Interval, typmod: number): Interval {
  if (typmod < 0) return value;
  const range = intervalRangeOf(typmod);
  const precision = intervalPrecisionOf(typmod);
  let { months, days, micros } = value;
  const M = IntervalMask;
  if (range !== intervalFullRange) {
    if (range === M.year) {
      months = Math.trunc(months / 12) * 12;
      days = 0;
      micros = 0n;
    } else if (range === M.month || range === (M.year | M.month)) {
      days = 0;
      micros = 0n;
    } else if (range === M.day) {
      micros = 0n;
    } else if ((range & M.hour) !== 0 && (range & (M.minute | M.second)) === 0) {
      micros = (micros / usecsPerHour) * usecsPerHour;
    } else if ((range & M.minute) !== 0 && (range & M.second) === 0) {
      micros = (micros / usecsPerMinute) * usecsPerMinute;
    }
  }
  if (precision !== intervalFullPrecision && precision < 6) {
    const scale = 10n ** BigInt(6 - precision);
    const half = scale / 2n;
    micros = micros >= 0n ? ((micros + half) / scale) * scale
      : -(((-micros + half) / scale) * scale);
  }
  return { months, days, micros };
}
