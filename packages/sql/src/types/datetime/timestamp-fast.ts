/**
 * The fast path of timestamp input, for the one shape bulk loads nearly always carry: ISO
 * 8601 as Postgres and most clients print it,
 *
 *   2024-01-01 00:00:01.000+00      YYYY-MM-DD[ T]HH:MM:SS[.f{1,6}][±HH[[:]MM]]
 *
 * read with character arithmetic instead of the general tokenizer and field decoder. Only
 * text that is certainly valid and needs no choice takes it: a four-digit year, a real
 * calendar day, hour < 24, minute and second < 60, at most six fraction digits, an offset
 * within ±15:59. timestamptz without an offset (the session zone applies) and everything
 * else returns undefined, for `parseTimestamp` to decode as always.
 */
import { date2j, daysInMonth, postgresEpochJulian, usecsPerDayBig } from "./calendar.js";

/** Returns microseconds since 2000-01-01 (UTC for `withZone`), or undefined: not our shape. */
export function parseIsoTimestamp(text: string, withZone: boolean): bigint | undefined {
  const length = text.length;
  if (length < 19) return undefined;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  const separator = text.charCodeAt(10);
  if (separator !== 32 && separator !== 84) return undefined;
  if (text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (year < 1000 || month < 1 || month > 12 || day < 1) return undefined;
  if (hour < 0 || minute < 0 || second < 0) return undefined;
  if (day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  let at = 19;
  let micros = 0;
  if (at < length && text.charCodeAt(at) === 46) {
    const start = ++at;
    while (at < length && isDigit(text.charCodeAt(at))) at++;
    const count = at - start;
    if (count === 0 || count > 6) return undefined;
    micros = digits(text, start, count) * 10 ** (6 - count);
  }
  const offset = at === length ? undefined : offsetSeconds(text, at);
  if (offset === null || (offset === undefined && withZone)) return undefined;
  const time = ((hour * 60 + minute) * 60 + second) * 1_000_000 + micros;
  const shift = withZone && offset !== undefined ? offset * 1_000_000 : 0;
  const days = date2j(year, month, day) - postgresEpochJulian;
  // Within about 285 years of 2000 the microseconds are exact in a double: one BigInt.
  if (days > -exactDaysMax && days < exactDaysMax) {
    return BigInt(days * usecsPerDay + (time - shift));
  }
  return BigInt(days) * usecsPerDayBig + BigInt(time - shift);
}

const usecsPerDay = 86_400_000_000;
/** |days × usecsPerDay| plus a day's time stays below 2^53 under this many days. */
const exactDaysMax = 104_000;

/** Reads `±HH`, `±HHMM` or `±HH:MM` to the end of `text`; null for anything else. */
function offsetSeconds(text: string, at: number): number | null {
  const sign = text.charCodeAt(at);
  if (sign !== 43 && sign !== 45) return null;
  const rest = text.length - at - 1;
  let minutes = 0;
  if (rest === 4) minutes = digits(text, at + 3, 2);
  else if (rest === 5 && text.charCodeAt(at + 3) === 58) minutes = digits(text, at + 4, 2);
  else if (rest !== 2) return null;
  const hours = digits(text, at + 1, 2);
  if (hours < 0 || minutes < 0 || hours > 15 || minutes > 59) return null;
  const seconds = hours * 3600 + minutes * 60;
  return sign === 45 ? -seconds : seconds;
}

/** Reads `count` decimal digits at `at`; -1 when any is not a digit. */
function digits(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const code = text.charCodeAt(i);
    if (!isDigit(code)) return -1;
    value = value * 10 + code - 48;
  }
  return value;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}
