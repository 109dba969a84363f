/**
 * Interprets tokenized date/time input, after Postgres's DecodeDateTime: assigns numbers to
 * year, month and day (by position, length and DateStyle's field order), reads clock
 * fields, AM/PM, BC, zones and the special words. The result is plain fields; date.ts,
 * time.ts and timestamp.ts turn them into values and apply their own range checks.
 */
import { SqlError, SqlState } from "@tessera/base";
import { dateOrderOf, type FormatContext } from "../context.js";
import { j2date, postgresEpochJulian } from "./calendar.js";
import { rangeError, syntaxError } from "./decode-errors.js";
import {
  claim, decodeBareNumber, decodeDate, decodeNumberField, decodeTimeNumber, maskDate, maskDay,
  maskHour, maskMinute, maskMonth, maskReserved, maskSecond, maskTime, maskYear, months,
  maskDst, maskZone, validateDate, type DateFieldState,
} from "./decode-number.js";
import { localNow } from "./now.js";
import { tokenizeDateTime, type Field } from "./tokenize.js";
import { isZoneAbbreviation, zoneAbbreviations, zoneOrThrow, type Zone } from "./zone.js";
import { daylightAbbreviations } from "./zone-abbreviations.js";

export { months, rangeError, syntaxError };

export type Special = "infinity" | "-infinity" | "epoch" | "now";

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

const weekdays = new Set(["sun", "sunday", "mon", "monday", "tue", "tues", "tuesday", "wed",
  "wednesday", "thu", "thur", "thurs", "thursday", "fri", "friday", "sat", "saturday"]);

/** Words that stand for a whole value; they exclude every other field. */
const specials: ReadonlySet<string> = new Set(["infinity", "-infinity", "+infinity", "epoch",
  "now"]);

/** Words that stand for a date relative to today in the session zone. */
const relativeDays: ReadonlyMap<string, number> = new Map([
  ["today", 0], ["tomorrow", 1], ["yesterday", -1],
]);

/** Decoding state: the decoded fields plus what only the decoder needs. */
interface State extends DecodedDateTime, DateFieldState {
  bc: boolean;
  meridiem: "am" | "pm" | undefined;
  /** A label ("j", "t", "y", "h", ...) was read: it says what the next field is. */
  label: Label | undefined;
  isJulian: boolean;
  readonly ctx: FormatContext;
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
    meridiem: undefined, dayOfYear: 0, fmask: 0, is2digits: false, haveTextMonth: false,
    label: undefined, isJulian: false, ctx, order: dateOrderOf(ctx), typeName, input, timeOnly,
    namedZone: false,
  };
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    if (field !== undefined) decodeField(state, field);
  }
  finish(state);
  return state;
}

function decodeField(state: State, field: Field): void {
  switch (field.kind) {
    case "date": return decodeDateField(state, field.text);
    case "time": return decodeTime(state, field.text);
    case "tz": return decodeOffset(state, field.text);
    case "number": return decodeNumberText(state, field.text);
    case "special": return decodeWord(state, field.text);
    case "string": return decodeWord(state, field.text);
  }
}

function decodeWord(state: State, word: string): void {
  const month = months.get(word);
  if (month !== undefined) {
    const numericMonth = state.month;
    if ((state.fmask & maskMonth) !== 0 && !state.haveTextMonth && (state.fmask & maskDay) === 0 &&
      numericMonth !== undefined && numericMonth >= 1 && numericMonth <= 31) {
      // "08 Jan 99": the number taken for a month was the day.
      state.day = numericMonth;
      claim(state, maskDay);
    } else {
      claim(state, maskMonth);
    }
    state.month = month;
    state.haveTextMonth = true;
  } else if (labels.has(word)) {
    setLabel(state, labels.get(word));
  } else if (weekdays.has(word) || word === "ad" || word === "on") {
    // Day names are ignored; "t" separates date from time in ISO 8601.
  } else if (word === "bc") {
    state.bc = true;
  } else if (word === "am" || word === "pm" || word === "a.m." || word === "p.m.") {
    state.meridiem = word.startsWith("a") ? "am" : "pm";
  } else if (relativeDays.has(word)) {
    if (state.timeOnly) throw syntaxError(state);
    claim(state, maskDate);
    const date = j2date(localNow(state.ctx).days + postgresEpochJulian +
      (relativeDays.get(word) ?? 0));
    state.year = date.year;
    state.month = date.month;
    state.day = date.day;
  } else if (word === "allballs") {
    claim(state, maskTime | maskZone);
    state.offset = 0;
    state.hasTime = true;
  } else if (specials.has(word)) {
    // 'now' excludes every other field; 'epoch' and 'infinity' ignore a later time or zone.
    const mask = word === "now" ? maskDate | maskTime | maskZone : maskDate | maskReserved;
    claim(state, state.timeOnly ? maskTime : mask);
    state.special = (word === "+infinity" ? "infinity" : word) as Special;
  } else if (word === "dst") {
    applyDst(state);
  } else if (word === "z" || word === "zulu") {
    claim(state, maskZone);
    state.offset = 0;
  } else {
    claim(state, maskZone);
    try {
      state.zone = zoneOrThrow(word);
      state.namedZone = !isZoneAbbreviation(word);
    } catch {
      throw syntaxError(state);
    }
  }
}

/** "MET DST": daylight time one hour ahead of the abbreviation (or offset) just given. */
function applyDst(state: State): void {
  claim(state, maskDst);
  const name = state.zone?.name.toLowerCase() ?? "";
  if (daylightAbbreviations.has(name)) throw syntaxError(state);
  const abbreviation = state.zone !== undefined && !state.namedZone
    ? zoneAbbreviations.get(name) : undefined;
  if (state.offset === undefined && abbreviation === undefined) throw syntaxError(state);
  state.offset = (state.offset ?? abbreviation ?? 0) + 3600;
  state.zone = undefined;
}

/** A field like 2024-01-02, 1/8/1999, 08-jan-1999, or a zone name like europe/berlin. */
function decodeDateField(state: State, text: string): void {
  // Once the date is known, a word with punctuation is a zone ("gmt-2"), as DecodeDateTime.
  const haveDate = (state.fmask & maskDate) === maskDate;
  if (/[a-z]/.test(text) &&
    (haveDate || text.includes("/") || text.includes("_") || !/[-.]/.test(text))) {
    claim(state, maskZone);
    state.zone = zoneOrThrow(text);
    state.namedZone = !isZoneAbbreviation(text);
    return;
  }
  if (/^\d/.test(text) && (haveDate || state.label !== undefined)) {
    return decodeTimeWithZone(state, text);
  }
  decodeDate(state, text);
}

/** "040506-08" once the date is known: a run-together time and its zone offset. */
function decodeTimeWithZone(state: State, text: string): void {
  if (state.label === "julian") return decodeJulianWithZone(state, text);
  if (state.label !== undefined && state.label !== "time") throw syntaxError(state);
  state.label = undefined;
  const dash = text.indexOf("-");
  if ((state.fmask & maskTime) === maskTime || dash < 0) throw syntaxError(state);
  decodeOffset(state, text.slice(dash));
  claim(state, decodeNumberField(state, text.slice(0, dash), state.fmask | maskDate));
}

/** hh:mm, hh:mm:ss[.ffffff], or mm:ss.ff (a fraction after two fields means minutes). */
function decodeTime(state: State, text: string): void {
  if (state.label !== undefined && state.label !== "time") throw syntaxError(state);
  state.label = undefined;
  claim(state, maskTime);
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

/**
 * +h, +hh, +hhmm, +hh:mm, +hh:mm:ss: an offset, east positive (DecodeTimezone). Hours past
 * 15, or minutes or seconds past 59, are 22009.
 */
function decodeOffset(state: State, text: string): void {
  claim(state, maskZone);
  const match = /^([+-])(\d+)(?::(\d*)(?::(\d*))?)?$/.exec(text);
  if (match === null) throw syntaxError(state);
  const [, sign, first = "", minuteText, secondText] = match;
  let hours = Number(first);
  let minutes = Number(minuteText ?? 0);
  if (minuteText === undefined && text.length > 3) {
    minutes = hours % 100;
    hours = Math.floor(hours / 100);
  }
  const seconds = Number(secondText ?? 0);
  if (hours > 15 || minutes >= 60 || seconds >= 60) {
    throw new SqlError(SqlState.invalidTimeZoneDisplacementValue,
      `time zone displacement out of range: "${state.input}"`);
  }
  const offset = hours * 3600 + minutes * 60 + seconds;
  state.offset = sign === "-" ? -offset : offset;
}

/** A bare number: a labelled field, else placed as DecodeDateTime/DecodeTimeOnly do. */
function decodeNumberText(state: State, text: string): void {
  if (state.label !== undefined) return decodeLabelled(state, text);
  claim(state, state.timeOnly ? decodeTimeNumber(state, text) : decodeBareNumber(state, text));
}

type Label = "julian" | "time" | "year" | "month" | "day" | "hour" | "minute" | "second";

/** Words that label the next number: Julian day, ISO "T" time, "y2001m02d04 h04mm17s25". */
const labels: ReadonlyMap<string, Label> = new Map([
  ["j", "julian"], ["jd", "julian"], ["julian", "julian"], ["t", "time"], ["y", "year"],
  ["m", "month"], ["d", "day"], ["h", "hour"], ["mm", "minute"], ["s", "second"],
]);

function setLabel(state: State, label: Label | undefined): void {
  if (state.label !== undefined || label === undefined) throw syntaxError(state);
  // "T" separates a complete date from its time (in time input it may lead).
  if (label === "time" && !state.timeOnly && (state.fmask & maskDate) !== maskDate) {
    throw syntaxError(state);
  }
  if (state.timeOnly && label !== "time") throw syntaxError(state);
  state.label = label;
}

/** A number after a label (the ptype branch of DecodeDateTime). */
function decodeLabelled(state: State, text: string): void {
  const label = state.label;
  state.label = undefined;
  if (label === "julian") return decodeJulian(state, text);
  if (label === "time") {
    const tmask = decodeNumberField(state, text, state.fmask | maskDate);
    if (tmask !== maskTime) throw syntaxError(state);
    return claim(state, tmask);
  }
  const match = /^(\d+)(\.\d*)?$/.exec(text);
  if (match === null || (match[2] !== undefined && label !== "second")) throw syntaxError(state);
  const value = Number(match[1]);
  if (label === "year") {
    claim(state, maskYear);
    state.year = value;
  } else if (label === "month" && (state.fmask & maskMonth) !== 0 &&
    (state.fmask & maskHour) !== 0) {
    claim(state, maskMinute);
    state.minute = value;
  } else if (label === "month") {
    claim(state, maskMonth);
    state.month = value;
  } else if (label === "day") {
    claim(state, maskDay);
    state.day = value;
  } else if (label === "hour") {
    claim(state, maskHour);
    state.hour = value;
  } else if (label === "minute") {
    claim(state, maskMinute);
    state.minute = value;
  } else {
    claim(state, maskSecond);
    state.second = value;
    if (match[2] !== undefined) state.micros = fractionMicros(match[2].slice(1));
  }
  state.hasTime ||= label === "hour" || label === "minute" || label === "second";
}

/** "J2452271-08": a whole Julian day with a zone offset, the time left at midnight. */
function decodeJulianWithZone(state: State, text: string): void {
  state.label = undefined;
  const dash = text.indexOf("-");
  decodeJulian(state, text.slice(0, dash));
  decodeOffset(state, text.slice(dash));
  claim(state, maskTime);
  state.hasTime = true;
}

/** "J2451187" or "J2451187.5": a Julian day number, its fraction a time of day. */
function decodeJulian(state: State, text: string): void {
  const match = /^(\d+)(\.\d*)?$/.exec(text);
  if (match === null) throw syntaxError(state);
  claim(state, maskDate);
  const date = j2date(Number(match[1]));
  state.year = date.year;
  state.month = date.month;
  state.day = date.day;
  state.isJulian = true;
  if (match[2] !== undefined && match[2] !== ".") {
    claim(state, maskTime);
    const micros = Math.round(Number(match[2]) * 86_400_000_000);
    state.hour = Math.floor(micros / 3_600_000_000);
    state.minute = Math.floor(micros / 60_000_000) % 60;
    state.second = Math.floor(micros / 1_000_000) % 60;
    state.micros = micros % 1_000_000;
    state.hasTime = true;
  }
}

/** Applies AM/PM, BC and two-digit years, then checks every field's range. */
function finish(state: State): void {
  // A time alone cannot take a named zone: which offset applies depends on the date.
  if (state.timeOnly && state.namedZone && state.day === undefined) throw syntaxError(state);
  if (state.label !== undefined) throw syntaxError(state);
  validateDate(state, state.bc, state.isJulian);
  if (state.meridiem !== undefined) {
    if (state.hour > 12) throw rangeError(state.input);
    if (state.meridiem === "pm" && state.hour < 12) state.hour += 12;
    if (state.meridiem === "am" && state.hour === 12) state.hour = 0;
  }
  checkClock(state);
}

function checkClock(state: State): void {
  const { hour, minute, second, micros } = state;
  const overflow = hour > 24 || minute > 59 || second > 60 ||
    (hour === 24 && (minute > 0 || second > 0 || micros > 0));
  if (overflow) throw rangeError(state.input);
}
