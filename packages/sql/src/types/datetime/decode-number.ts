/**
 * Numeric date fields, after Postgres's DecodeDate, DecodeNumber and DecodeNumberField.
 *
 * Which of year, month and day a bare number fills depends on what the input has already
 * given (tracked as a bit mask), on DateStyle's field order, on the number's length and on
 * whether the month was written as a word:
 *
 *   '99 Jan 08' (YMD)  -> year 99, month, day 8      '08 01 1999' (DMY) -> day, month, year
 *   '1999.008'         -> year, day of year 8        '19990108' / '990108' -> run-together date
 *   '2024-01-15 103000' -> run-together hhmmss once the date is complete
 *
 * Each function fills the state's fields and returns the mask of the fields it set; the
 * caller rejects a field set twice. Range checks wait for validateDate.
 */
import type { DateOrder } from "../context.js";
import { date2j, daysInMonth, j2date } from "./calendar.js";
import { rangeError, syntaxError } from "./decode-errors.js";

export const maskYear = 1;
export const maskMonth = 2;
export const maskDay = 4;
export const maskDayOfYear = 8;
export const maskDate = maskYear | maskMonth | maskDay;
export const maskHour = 16;
export const maskZone = 32;
export const maskMinute = 64;
export const maskSecond = 128;
export const maskTime = maskHour | maskMinute | maskSecond;
/** A word standing for a whole value ("epoch", "infinity"). */
export const maskReserved = 256;
/** The "DST" modifier of a zone abbreviation. */
export const maskDst = 512;

/** What the numeric decoders read and fill. */
export interface DateFieldState {
  year: number | undefined;
  month: number | undefined;
  day: number | undefined;
  dayOfYear: number;
  hour: number;
  minute: number;
  second: number;
  micros: number;
  hasTime: boolean;
  /** Fields already given: maskYear | maskMonth | ... */
  fmask: number;
  /** The year was written with one or two digits: 1970-2069. */
  is2digits: boolean;
  haveTextMonth: boolean;
  readonly order: DateOrder;
  readonly typeName: string;
  readonly input: string;
}

const monthWords: ReadonlyMap<string, number> = new Map([
  ["jan", 1], ["january", 1], ["feb", 2], ["february", 2], ["mar", 3], ["march", 3],
  ["apr", 4], ["april", 4], ["may", 5], ["jun", 6], ["june", 6], ["jul", 7], ["july", 7],
  ["aug", 8], ["august", 8], ["sep", 9], ["sept", 9], ["september", 9], ["oct", 10],
  ["october", 10], ["nov", 11], ["november", 11], ["dec", 12], ["december", 12],
]);
export const months: ReadonlyMap<string, number> = monthWords;

/** Adds `tmask` to the state's mask; a field given twice is a syntax error. */
export function claim(state: DateFieldState, tmask: number): void {
  if ((state.fmask & tmask) !== 0) throw syntaxError(state);
  state.fmask |= tmask;
}

/** A delimited date ("1999-01-08", "08-jan-99", "1999.008"): month words first, then numbers. */
export function decodeDate(state: DateFieldState, text: string): void {
  const parts = text.match(/[0-9]+|[a-z\u0080-\uffff]+/g) ?? [];
  if (parts.length === 0 || /[^0-9a-z\u0080-\uffff]$/.test(text)) throw syntaxError(state);
  const numbers: string[] = [];
  for (const part of parts) {
    if (/^[0-9]/.test(part)) {
      numbers.push(part);
      continue;
    }
    const month = monthWords.get(part);
    if (month === undefined) throw syntaxError(state);
    claim(state, maskMonth);
    state.month = month;
    state.haveTextMonth = true;
  }
  for (const part of numbers) claim(state, decodeNumber(state, part, state.fmask));
  if ((state.fmask & maskDate) !== maskDate) throw syntaxError(state);
}

/** One number of a date, placed by what is known so far (DecodeNumber); returns its mask. */
export function decodeNumber(state: DateFieldState, text: string, fmask: number): number {
  const match = /^(\d+)(\.\d*)?$/.exec(text);
  if (match === null) throw syntaxError(state);
  const digits = match[1] ?? "";
  if (match[2] !== undefined) {
    if (digits.length > 2) return decodeNumberField(state, text, fmask | maskDate);
    state.micros = Math.round(Number(match[2]) * 1e6);
  }
  const value = Number(digits);
  const flen = text.length;
  if (flen === 3 && (fmask & maskDate) === maskYear && value >= 1 && value <= 366) {
    state.dayOfYear = value;
    return maskDayOfYear | maskMonth | maskDay;
  }
  const field = placeNumber(state, fmask, text, value);
  if (field === maskYear) state.is2digits = flen <= 2;
  return field;
}

/** The switch of DecodeNumber: which field the next number fills. */
function placeNumber(state: DateFieldState, fmask: number, text: string, value: number): number {
  const flen = text.length;
  const have = fmask & maskDate;
  const yearFirst = flen >= 3 || state.order === "YMD";
  switch (have) {
    case 0:
      if (yearFirst) return setField(state, maskYear, value);
      return setField(state, state.order === "DMY" ? maskDay : maskMonth, value);
    case maskYear:
      return setField(state, maskMonth, value);
    case maskMonth:
      if (state.haveTextMonth && yearFirst) return setField(state, maskYear, value);
      return setField(state, maskDay, value);
    case maskYear | maskMonth:
      if (state.haveTextMonth && flen >= 3 && state.is2digits) {
        // DD-MON-YYYY: the number taken for a two-digit year was the day.
        state.day = state.year;
        state.year = value;
        state.is2digits = false;
        return maskDay;
      }
      return setField(state, maskDay, value);
    case maskDay:
      return setField(state, maskMonth, value);
    case maskMonth | maskDay:
      return setField(state, maskYear, value);
    case maskDate:
      return decodeNumberField(state, text, fmask);
    default:
      throw syntaxError(state);
  }
}

function setField(state: DateFieldState, field: number, value: number): number {
  if (field === maskYear) state.year = value;
  else if (field === maskMonth) state.month = value;
  else state.day = value;
  return field;
}

/**
 * A run-together number (DecodeNumberField): YYYYMMDD or YYMMDD while the date is
 * incomplete, else hhmmss or hhmm, with an optional fraction of a second.
 */
export function decodeNumberField(state: DateFieldState, text: string, fmask: number): number {
  let digits = text;
  const dot = text.indexOf(".");
  if (dot >= 0) {
    const fraction = text.slice(dot);
    state.micros = fraction === "." ? 0 : Math.round(Number(fraction) * 1e6);
    digits = text.slice(0, dot);
  } else if ((fmask & maskDate) !== maskDate && digits.length >= 6) {
    const len = digits.length;
    state.day = Number(digits.slice(len - 2));
    state.month = Number(digits.slice(len - 4, len - 2));
    state.year = Number(digits.slice(0, len - 4));
    if (len - 4 === 2) state.is2digits = true;
    return maskDate;
  }
  if ((fmask & maskTime) !== maskTime && (digits.length === 6 || digits.length === 4)) {
    state.hour = Number(digits.slice(0, 2));
    state.minute = Number(digits.slice(2, 4));
    state.second = digits.length === 6 ? Number(digits.slice(4, 6)) : 0;
    state.hasTime = true;
    return maskTime;
  }
  throw syntaxError(state);
}

/** A bare number of date/time input (the DTK_NUMBER case of DecodeDateTime). */
export function decodeBareNumber(state: DateFieldState, text: string): number {
  const dot = text.indexOf(".");
  const fmask = state.fmask;
  if (dot >= 0 && (fmask & maskDate) === 0) {
    decodeDate(state, text);
    return 0;
  }
  if (dot > 2) return decodeNumberField(state, text, fmask);
  if (text.length >= 6 && ((fmask & maskDate) !== maskDate || (fmask & maskTime) !== maskTime)) {
    return decodeNumberField(state, text, fmask);
  }
  return decodeNumber(state, text, fmask);
}

/** A bare number of time input (DecodeTimeOnly): only hhmm, hhmmss[.fff] fit. */
export function decodeTimeNumber(state: DateFieldState, text: string): number {
  const dot = text.indexOf(".");
  if (dot >= 0) {
    if (dot > 2) return decodeNumberField(state, text, state.fmask | maskDate);
    throw syntaxError(state);
  }
  if (text.length > 4) return decodeNumberField(state, text, state.fmask | maskDate);
  return decodeNumber(state, text, state.fmask | maskDate);
}

/** Applies BC and two-digit years, then the day of year, then month and day ranges. */
export function validateDate(state: DateFieldState, bc: boolean, isJulian: boolean): void {
  if (state.year !== undefined && (state.fmask & maskYear) !== 0 && !isJulian) {
    if (bc) {
      if (state.year <= 0) throw rangeError(state.input);
      state.year = 1 - state.year;
    } else if (state.is2digits) {
      if (state.year < 70) state.year += 2000;
      else if (state.year < 100) state.year += 1900;
    } else if (state.year <= 0) {
      throw rangeError(state.input); // there is no year zero in AD/BC notation
    }
  }
  if ((state.fmask & maskDayOfYear) !== 0) {
    const date = j2date(date2j(state.year ?? 0, 1, 1) + state.dayOfYear - 1);
    state.year = date.year;
    state.month = date.month;
    state.day = date.day;
  }
  const { year, month, day } = state;
  if (month !== undefined && (month < 1 || month > 12)) throw rangeError(state.input, true);
  if (day !== undefined && (day < 1 || day > 31)) throw rangeError(state.input, true);
  if (year !== undefined && month !== undefined && day !== undefined &&
    day > daysInMonth(year, month)) {
    throw rangeError(state.input);
  }
}
