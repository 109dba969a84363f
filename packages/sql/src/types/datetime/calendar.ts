/**
 * Calendar arithmetic shared by the date/time types, after Postgres's datetime.c and
 * timestamp.c: Julian day numbers (date2j/j2date), the epochs and the valid ranges.
 * Dates count days from 2000-01-01; timestamps count microseconds from 2000-01-01 00:00.
 */
export const postgresEpochJulian = 2451545; // 2000-01-01
export const unixEpochJulian = 2440588; // 1970-01-01
export const usecsPerSecond = 1_000_000;
export const usecsPerDay = 86_400_000_000;
export const usecsPerDayBig = 86_400_000_000n;
export const secsPerDay = 86_400;

/** Earliest valid Julian day (4714-11-24 BC) for dates and timestamps. */
export const julianMin = 0;
/** Dates end before Julian day 2147483494 (5874898-01-01). */
export const dateEndJulian = 2147483494;
/** Timestamps end before Julian day 109203528 (294277-01-01). */
export const timestampEndJulian = 109203528;
export const timestampMinMicros = -211813488000000000n;
export const timestampEndMicros = 9223371331200000000n;

/** Date value for ±infinity; dates are plain numbers, so these are the JS infinities. */
export const dateInfinity = Infinity;
export const dateMinusInfinity = -Infinity;

/** Returns the Julian day of a proleptic Gregorian date (year 0 is 1 BC), as date2j. */
export function date2j(year: number, month: number, day: number): number {
  let y = year;
  let m = month;
  if (m > 2) {
    m += 1;
    y += 4800;
  } else {
    m += 13;
    y += 4799;
  }
  const century = Math.floor(y / 100);
  let julian = y * 365 - 32167;
  julian += Math.floor(y / 4) - century + Math.floor(century / 4);
  julian += Math.floor((7834 * m) / 256) + day;
  return julian;
}

export interface Ymd {
  year: number;
  month: number;
  day: number;
}

/** Returns the calendar date of a Julian day, as j2date (year 0 is 1 BC). */
export function j2date(julianDay: number, out: Ymd = { year: 0, month: 0, day: 0 }): Ymd {
  let julian = julianDay + 32044;
  let quad = Math.floor(julian / 146097);
  const extra = (julian - quad * 146097) * 4 + 3;
  julian += 60 + quad * 3 + Math.floor(extra / 146097);
  quad = Math.floor(julian / 1461);
  julian -= quad * 1461;
  let y = Math.floor((julian * 4) / 1461);
  julian = (y !== 0 ? (julian + 305) % 365 : (julian + 306) % 366) + 123;
  y += quad * 4;
  const year = y - 4800;
  quad = Math.floor((julian * 2141) / 65536);
  out.year = year;
  out.day = julian - Math.floor((7834 * quad) / 256);
  out.month = ((quad + 10) % 12) + 1;
  return out;
}

export function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

const monthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (monthDays[month - 1] ?? 31);
}

/** Splits microseconds-of-day into clock fields. */
export interface Clock {
  hour: number;
  minute: number;
  second: number;
  micros: number;
}

export function splitTime(timeMicros: number,
  out: Clock = { hour: 0, minute: 0, second: 0, micros: 0 }): Clock {
  let rest = timeMicros;
  out.hour = Math.floor(rest / 3_600_000_000);
  rest -= out.hour * 3_600_000_000;
  out.minute = Math.floor(rest / 60_000_000);
  rest -= out.minute * 60_000_000;
  out.second = Math.floor(rest / 1_000_000);
  out.micros = rest - out.second * 1_000_000;
  return out;
}

/** Splits a timestamp into its day (relative to 2000-01-01) and microseconds of the day. */
export function splitTimestamp(micros: bigint): { days: number; timeMicros: number } {
  let days = Number(micros / usecsPerDayBig);
  let time = Number(micros % usecsPerDayBig);
  if (time < 0) {
    time += usecsPerDay;
    days -= 1;
  }
  return { days, timeMicros: time };
}

/** Writes `value` with at least `width` digits. */
export function pad(value: number, width: number): string {
  const text = String(value);
  return text.length >= width ? text : "0".repeat(width - text.length) + text;
}

/** Writes ".ffffff" without trailing zeros, or nothing for zero, as AppendSeconds. */
export function fraction(micros: number): string {
  if (micros === 0) return "";
  let text = pad(micros, 6);
  let end = text.length;
  while (text.charCodeAt(end - 1) === 48) end--;
  text = text.slice(0, end);
  return "." + text;
}

/** Formats a date ISO-style: 2024-01-02, or 0044-03-15 BC. */
export function formatYmd(ymd: Ymd): string {
  const bc = ymd.year <= 0;
  const year = bc ? 1 - ymd.year : ymd.year;
  return `${pad(year, 4)}-${pad(ymd.month, 2)}-${pad(ymd.day, 2)}`;
}

/** Formats hh:mm:ss[.ffffff] as Postgres's EncodeTimeOnly/EncodeDateTime. */
export function formatClock(clock: Clock): string {
  const seconds = pad(clock.second, 2) + fraction(clock.micros);
  return `${pad(clock.hour, 2)}:${pad(clock.minute, 2)}:${seconds}`;
}

/** Formats a zone offset (seconds east) as +01, -05:30 or +00:53:28. */
export function formatOffset(offsetSeconds: number): string {
  const sign = offsetSeconds < 0 ? "-" : "+";
  const total = Math.abs(offsetSeconds);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  let out = sign + pad(hours, 2);
  if (minutes !== 0 || seconds !== 0) out += ":" + pad(minutes, 2);
  if (seconds !== 0) out += ":" + pad(seconds, 2);
  return out;
}
