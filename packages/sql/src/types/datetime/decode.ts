/**
 * Interprets tokenized date/time input, after Postgres's DecodeDateTime: assigns numbers to
 * year, month and day (by position, length and DateStyle's field order), reads clock
 * fields, AM/PM, BC, zones and the special words. The result is plain fields; date.ts,
 * time.ts and timestamp.ts turn them into values and apply their own range checks.
 */
import { SqlError, SqlState } from "@tessera/base";
import { dateOrderOf, type DateOrder, type FormatContext } from "../context.js";
import { date2j, daysInMonth, j2date } from "./calendar.js";
import { tokenizeDateTime, type Field } from "./tokenize.js";
import { zoneAbbreviations, zoneOrThrow, type Zone } from "./zone.js";

export type Special = "infinity" | "-infinity" | "epoch" | "now" | "today" | "tomorrow" |
  "yesterday" | "allballs";

export interface DecodedDateTime {
  special: Special | undefined;
  year: number | undefined;
  month: number | undefined;
  day: number | undefined;
  hasTime: boolean;
  hour: number;
  minute: number;
  second: number;
  /** Fractional seconds, rounded to whole microseconds. */
  micros: number;
  /** A numeric offset written in the input, seconds east. */
  offset: number | undefined;
  /** A zone named in the input. */
  zone: Zone | undefined;
}

export const months: ReadonlyMap<string, number> = new Map([
  ["jan", 1], ["january", 1], ["feb", 2], ["february", 2], ["mar", 3], ["march", 3],
  ["apr", 4], ["april", 4], ["may", 5], ["jun", 6], ["june", 6], ["jul", 7], ["july", 7],
  ["aug", 8], ["august", 8], ["sep", 9], ["sept", 9], ["september", 9], ["oct", 10],
  ["october", 10], ["nov", 11], ["november", 11], ["dec", 12], ["december", 12],
]);

const weekdays = new Set(["sun", "sunday", "mon", "monday", "tue", "tues", "tuesday", "wed",
  "wednesday", "thu", "thur", "thurs", "thursday", "fri", "friday", "sat", "saturday"]);

const specials: ReadonlySet<string> = new Set(["infinity", "-infinity", "+infinity", "epoch",
  "now", "today", "tomorrow", "yesterday", "allballs"]);

/** Decoding state: the decoded fields plus what only the decoder needs. */
interface State extends DecodedDateTime {
  bc: boolean;
  meridiem: "am" | "pm" | undefined;
  yearDigits: number;
  textMonth: boolean;
  readonly order: DateOrder;
  readonly typeName: string;
  readonly input: string;
  /** For time input: a six-digit number is HHMMSS, never YYMMDD. */
  readonly timeOnly: boolean;
  /** A full zone name (not an abbreviation) was given: its offset depends on the date. */
  namedZone: boolean;
}

/** Decodes date/time text for the type named `typeName` (used in error messages). */
export function decodeDateTime(input: string, typeName: string, ctx: FormatContext,
  timeOnly = false): DecodedDateTime {
  const fields = tokenizeDateTime(input);
  if (fields === undefined || fields.length === 0) throw syntaxError({ typeName, input });
  const state: State = {
    special: undefined, year: undefined, month: undefined, day: undefined, hasTime: false,
    hour: 0, minute: 0, second: 0, micros: 0, offset: undefined, zone: undefined, bc: false,
    meridiem: undefined, yearDigits: 0, textMonth: false, order: dateOrderOf(ctx), typeName,
    input, timeOnly, namedZone: false,
  };
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    if (field !== undefined) decodeField(state, field, fields[i + 1]);
  }
  finish(state);
  return state;
}

function decodeField(state: State, field: Field, next: Field | undefined): void {
  switch (field.kind) {
    case "date": return decodeDateField(state, field.text);
    case "time": return decodeTime(state, field.text);
    case "tz": return decodeOffset(state, field.text);
    case "number": return decodeNumber(state, field.text, next);
    case "special": return decodeWord(state, field.text);
    case "string": return decodeWord(state, field.text);
  }
}

/** 22007 `invalid input syntax for type date: "..."`: date/time syntax has its own code. */
export function syntaxError(state: { typeName: string; input: string }): SqlError {
  return new SqlError(SqlState.invalidDatetimeFormat,
    `invalid input syntax for type ${state.typeName}: "${state.input}"`);
}

export function rangeError(input: string, hint = false): SqlError {
  const fields = hint ? { hint: 'Perhaps you need a different "datestyle" setting.' } : {};
  return new SqlError(SqlState.datetimeFieldOverflow,
    `date/time field value out of range: "${input}"`, fields);
}

function decodeWord(state: State, word: string): void {
  const month = months.get(word);
  if (month !== undefined) {
    if (state.textMonth) throw syntaxError(state);
    state.month = month;
    state.textMonth = true;
  } else if (weekdays.has(word) || word === "t" || word === "ad" || word === "on") {
    // Day names are ignored; "t" separates date from time in ISO 8601.
  } else if (word === "bc") {
    state.bc = true;
  } else if (word === "am" || word === "pm" || word === "a.m." || word === "p.m.") {
    state.meridiem = word.startsWith("a") ? "am" : "pm";
  } else if (specials.has(word)) {
    if (state.special !== undefined) throw syntaxError(state);
    state.special = (word === "+infinity" ? "infinity" : word) as Special;
  } else if (word === "z" || word === "zulu") {
    state.offset = 0;
  } else {
    try {
      state.zone = zoneOrThrow(word);
      state.namedZone = !zoneAbbreviations.has(word);
    } catch {
      throw syntaxError(state);
    }
  }
}

/** A field like 2024-01-02, 1/8/1999, 08-jan-1999, or a zone name like europe/berlin. */
function decodeDateField(state: State, text: string): void {
  // Once month and day are known, a word with punctuation is a zone ("gmt-2"), as DecodeDateTime.
  const haveDate = state.month !== undefined && state.day !== undefined;
  if (/[a-z]/.test(text) &&
    (haveDate || text.includes("/") || text.includes("_") || !/[-.]/.test(text))) {
    state.zone = zoneOrThrow(text);
    state.namedZone = !zoneAbbreviations.has(text);
    return;
  }
  const parts = text.split(/[-/.]/).filter((part) => part !== "");
  const numbers: string[] = [];
  for (const part of parts) {
    const month = months.get(part);
    if (month !== undefined) {
      state.month = month;
      state.textMonth = true;
    } else if (/^\d+$/.test(part)) {
      numbers.push(part);
    } else {
      throw syntaxError(state);
    }
  }
  assignDateNumbers(state, numbers);
}

/** Places a date's numeric parts: year first when it has 3+ digits, else DateStyle order. */
function assignDateNumbers(state: State, numbers: string[]): void {
  const first = numbers[0] ?? "";
  if (numbers.length === 3 && !state.textMonth) {
    const [a = "", b = "", c = ""] = numbers;
    if (first.length >= 3 || state.order === "YMD") setYmd(state, a, b, c);
    else if (state.order === "DMY") setYmd(state, c, b, a);
    else setYmd(state, c, a, b);
    return;
  }
  if (numbers.length === 2 && state.textMonth) {
    const [a = "", b = ""] = numbers;
    if (a.length >= 3) setYmd(state, a, undefined, b);
    else setYmd(state, b, undefined, a);
    return;
  }
  throw syntaxError(state);
}

function setYmd(state: State, year: string, month: string | undefined, day: string): void {
  if (state.year !== undefined || state.day !== undefined) throw syntaxError(state);
  state.year = Number(year);
  state.yearDigits = year.length;
  if (month !== undefined) {
    if (state.month !== undefined) throw syntaxError(state);
    state.month = Number(month);
  }
  state.day = Number(day);
}

/** hh:mm, hh:mm:ss[.ffffff], or mm:ss.ff (a fraction after two fields means minutes). */
function decodeTime(state: State, text: string): void {
  if (state.hasTime) throw syntaxError(state);
  const parts = text.split(":");
  if (parts.length < 2 || parts.length > 3 || parts.some((part) => part === "")) {
    throw syntaxError(state);
  }
  const [a = "", b = "", c] = parts;
  if (!/^\d+$/.test(a)) throw syntaxError(state);
  if (c === undefined && b.includes(".")) {
    state.minute = Number(a);
    setSeconds(state, b);
  } else {
    if (!/^\d+$/.test(b)) throw syntaxError(state);
    state.hour = Number(a);
    state.minute = Number(b);
    if (c !== undefined) setSeconds(state, c);
  }
  state.hasTime = true;
}

function setSeconds(state: State, text: string): void {
  if (!/^\d+(\.\d*)?$/.test(text)) throw syntaxError(state);
  const dot = text.indexOf(".");
  state.second = Number(dot < 0 ? text : text.slice(0, dot));
  state.micros = dot < 0 ? 0 : fractionMicros(text.slice(dot + 1));
}

/** Rounds ".ddddddd" digits to whole microseconds as rint does (in doubles, ties to even). */
export function fractionMicros(digits: string): number {
  if (digits.length <= 6) return Number(digits.padEnd(6, "0"));
  const scaled = Number(`0.${digits}`) * 1e6;
  const rounded = Math.round(scaled);
  return Math.abs(scaled % 1) === 0.5 && rounded % 2 !== 0 ? rounded - 1 : rounded;
}

/** +hh, +hhmm, +hh:mm, +hh:mm:ss: an offset, east positive. */
function decodeOffset(state: State, text: string): void {
  const offset = parseOffset(text);
  if (offset === undefined) throw syntaxError(state);
  if (Math.abs(offset) > 15 * 3600 + 59 * 60 + 59) {
    throw new SqlError(SqlState.invalidTimeZoneDisplacementValue,
      `time zone displacement out of range: "${state.input}"`);
  }
  state.offset = offset;
}

export function parseOffset(text: string): number | undefined {
  const match = /^([+-])(\d{1,2})(?::?(\d{2}))?(?::(\d{2}))?$/.exec(text);
  if (match === null) return undefined;
  const seconds = Number(match[2]) * 3600 + Number(match[3] ?? 0) * 60 + Number(match[4] ?? 0);
  return match[1] === "-" ? -seconds : seconds;
}

/** A bare number: YYYYMMDD, HHMMSS, YYYY.DDD, or one part of a textual date. */
function decodeNumber(state: State, text: string, next: Field | undefined): void {
  const dot = text.indexOf(".");
  if (dot >= 0) return decodeNumberWithFraction(state, text, dot);
  const haveDate = state.year !== undefined && state.day !== undefined;
  if (text.length === 8 && !haveDate && state.month === undefined) {
    return setYmd(state, text.slice(0, 4), text.slice(4, 6), text.slice(6));
  }
  if (text.length === 6 && (haveDate || state.timeOnly) && !state.hasTime) {
    return setClock(state, text, 0);
  }
  if (text.length === 4 && state.timeOnly && !haveDate && !state.hasTime) {
    return setClock(state, `${text}00`, 0); // hhmm
  }
  if (text.length === 6 && !haveDate && state.month === undefined) {
    return setYmd(state, text.slice(0, 2), text.slice(2, 4), text.slice(4));
  }
  if (text.length === 14 && !haveDate) {
    setYmd(state, text.slice(0, 4), text.slice(4, 6), text.slice(6, 8));
    return setClock(state, text.slice(8), 0);
  }
  decodeDatePart(state, text, next);
}

function decodeNumberWithFraction(state: State, text: string, dot: number): void {
  const whole = text.slice(0, dot);
  const haveDate = state.year !== undefined;
  if (whole.length === 6 && (haveDate || state.timeOnly) && !state.hasTime) {
    return setClock(state, whole, fractionMicros(text.slice(dot + 1)));
  }
  if (whole.length === 4 && !haveDate && state.month === undefined) {
    // YYYY.DDD: a year and a day of the year.
    const dayOfYear = Number(text.slice(dot + 1));
    if (dayOfYear < 1 || dayOfYear > 366) throw rangeError(state.input);
    const date = j2date(date2j(Number(whole), 1, 1) + dayOfYear - 1);
    state.year = date.year;
    state.yearDigits = 4;
    state.month = date.month;
    state.day = date.day;
    return;
  }
  throw syntaxError(state);
}

function setClock(state: State, digits: string, micros: number): void {
  state.hour = Number(digits.slice(0, 2));
  state.minute = Number(digits.slice(2, 4));
  state.second = Number(digits.slice(4, 6));
  state.micros = micros;
  state.hasTime = true;
}

/** Fills day then year around a month name: "Jan 8 1999", "8 January 1999". */
function decodeDatePart(state: State, text: string, next: Field | undefined): void {
  const value = Number(text);
  if (state.day === undefined && text.length <= 2 && (state.textMonth || next?.kind === "string")) {
    state.day = value;
  } else if (state.year === undefined) {
    state.year = value;
    state.yearDigits = text.length;
  } else if (state.day === undefined) {
    state.day = value;
  } else {
    throw syntaxError(state);
  }
}

/** Applies AM/PM, BC and two-digit years, then checks every field's range. */
function finish(state: State): void {
  // A time alone cannot take a named zone: which offset applies depends on the date.
  if (state.timeOnly && state.namedZone && state.day === undefined) throw syntaxError(state);
  if (state.meridiem !== undefined) {
    if (state.hour > 12) throw rangeError(state.input);
    if (state.meridiem === "pm" && state.hour < 12) state.hour += 12;
    if (state.meridiem === "am" && state.hour === 12) state.hour = 0;
  }
  if (state.year !== undefined) {
    if (state.bc) {
      if (state.year <= 0) throw rangeError(state.input);
      state.year = 1 - state.year;
    } else if (state.yearDigits <= 2 && state.yearDigits > 0) {
      state.year += state.year < 70 ? 2000 : 1900;
    } else if (state.year <= 0) {
      throw rangeError(state.input); // there is no year zero in AD/BC notation
    }
  }
  checkClock(state);
  if (state.month !== undefined && (state.month < 1 || state.month > 12)) {
    throw rangeError(state.input, !state.textMonth);
  }
  if (state.day !== undefined && state.year !== undefined && state.month !== undefined) {
    if (state.day < 1 || state.day > daysInMonth(state.year, state.month)) {
      if (state.day > 31 || state.day < 1) throw rangeError(state.input, true);
      throw rangeError(state.input);
    }
  }
}

function checkClock(state: State): void {
  const { hour, minute, second, micros } = state;
  const overflow = hour > 24 || minute > 59 || second > 60 ||
    (hour === 24 && (minute > 0 || second > 0 || micros > 0));
  if (overflow) throw rangeError(state.input);
}
