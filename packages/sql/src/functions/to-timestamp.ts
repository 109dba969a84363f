/**
 * to_timestamp(text, text) and to_date(text, text): parse text by a to_char template. The
 * common numeric patterns are supported (YYYY, YY, MM, DD, HH24, HH12/HH, MI, SS, MS, US,
 * AM/PM, Mon/Month names, DDD, J, TZH, TZM); literal characters and spaces in the template
 * skip one input character, as PostgreSQL does outside FX mode.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ScalarFunction } from "./defs.js";
import { fn, str } from "./builders.js";
import { dateFromYmd, daysInMonth, fromFields, j2date, postgresEpochJd } from "./calendar.js";
import { localToUtc, sessionZone } from "./tz.js";
import { T } from "./type-oids.js";

interface Parsed {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  micro: number;
  pm: boolean | undefined;
  bc: boolean;
  tzOffset: number | undefined;
  hour12: boolean;
  julian: number | undefined;
  doy: number | undefined;
}

type NumericField = "year" | "month" | "day" | "hour" | "minute" | "second" | "micro";

function setField(p: Parsed, key: NumericField, v: number): void {
  p[key] = v;
}

const monthNames = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];

const numeric: readonly [string, number, NumericField][] = [
  ["YYYY", 4, "year"],
  ["HH24", 2, "hour"],
  ["HH12", 2, "hour"],
  ["DDD", 3, "day"],
  ["YY", 2, "year"],
  ["MM", 2, "month"],
  ["DD", 2, "day"],
  ["HH", 2, "hour"],
  ["MI", 2, "minute"],
  ["SS", 2, "second"],
  ["MS", 3, "micro"],
  ["US", 6, "micro"],
  ["J", 7, "day"],
];

export function toTimestampFunctions(): ScalarFunction[] {
  return [
    fn(
      "to_timestamp",
      [T.text, T.text],
      T.timestamptz,
      (a, ctx) => {
        const p = parse(str(a[0] ?? ""), str(a[1] ?? ""));
        const local = fromParsed(p);
        if (p.tzOffset !== undefined) return local - BigInt(p.tzOffset) * 1_000_000n;
        return localToUtc(
          sessionZone((n) => ctx.setting(n)),
          local,
        );
      },
      { volatility: "s" },
    ),
    fn(
      "to_date",
      [T.text, T.text],
      T.date,
      (a) => {
        const p = parse(str(a[0] ?? ""), str(a[1] ?? ""));
        checkDate(p);
        return dateFromYmd(p.bc ? 1 - p.year : p.year, p.month, p.day);
      },
      { volatility: "s" },
    ),
  ];
}

function fail(message: string): SqlError {
  return new SqlError(SqlState.invalidDatetimeFormat, message);
}

function parse(input: string, template: string): Parsed {
  const p: Parsed = {
    year: 1,
    month: 1,
    day: 1,
    hour: 0,
    minute: 0,
    second: 0,
    micro: 0,
    pm: undefined,
    bc: false,
    tzOffset: undefined,
    hour12: false,
    julian: undefined,
    doy: undefined,
  };
  let i = 0;
  let t = 0;
  while (t < template.length) {
    const rest = template.slice(t);
    const upper = rest.toUpperCase();
    if (upper.startsWith("FM") || upper.startsWith("FX")) {
      t += 2;
      continue;
    }
    while (input[i] === " " && template[t] !== " ") i++;
    const num = numeric.find(([pat]) => upper.startsWith(pat));
    if (num !== undefined) {
      const [pat, width, key] = num;
      const m = new RegExp(`^[+-]?\\d{1,${pat === "J" ? 9 : pat === "YYYY" ? 9 : width}}`).exec(
        input.slice(i),
      );
      if (m === null) throw fail(`invalid value "${input.slice(i, i + width)}" for "${pat}"`);
      let v = Number(m[0]);
      if (pat === "MS") v *= 1000;
      if (pat === "YY") v += v < 70 ? 2000 : 1900;
      if (pat === "HH12" || pat === "HH") p.hour12 = true;
      if (pat === "J") p.julian = v;
      else if (pat === "DDD") p.doy = v;
      else setField(p, key, v);
      i += m[0].length;
      t += pat.length;
      continue;
    }
    const word = parseWord(upper, input.slice(i), p);
    if (word !== undefined) {
      i += word[0];
      t += word[1];
      continue;
    }
    i++;
    t++;
  }
  settle(p);
  return p;
}

/** Parses a name or sign pattern; returns [input, template] lengths consumed, if it matched. */
function parseWord(upper: string, input: string, p: Parsed): [number, number] | undefined {
  if (upper.startsWith("AM") || upper.startsWith("PM")) {
    p.pm = input.slice(0, 2).toUpperCase() === "PM";
    return [2, 2];
  }
  if (upper.startsWith("BC") || upper.startsWith("AD")) {
    p.bc = input.slice(0, 2).toUpperCase() === "BC";
    return [2, 2];
  }
  if (upper.startsWith("MONTH") || upper.startsWith("MON")) {
    const word = /^[A-Za-z]+/.exec(input)?.[0]?.toLowerCase() ?? "";
    const index = monthNames.findIndex((m) =>
      upper.startsWith("MONTH") ? m === word : m.startsWith(word) && word.length === 3,
    );
    if (index < 0)
      throw fail(`invalid value "${word}" for "${upper.startsWith("MONTH") ? "Month" : "Mon"}"`);
    p.month = index + 1;
    return [word.length, upper.startsWith("MONTH") ? 5 : 3];
  }
  if (upper.startsWith("TZH")) {
    const m = /^[+-]?\d{1,2}/.exec(input);
    if (m === null) throw fail(`invalid value "${input.slice(0, 3)}" for "TZH"`);
    p.tzOffset = Number(m[0]) * 3600;
    return [m[0].length, 3];
  }
  if (upper.startsWith("TZM")) {
    const m = /^\d{1,2}/.exec(input);
    const minutes = Number(m?.[0] ?? 0) * 60;
    p.tzOffset = (p.tzOffset ?? 0) + ((p.tzOffset ?? 0) < 0 ? -minutes : minutes);
    return [m?.[0].length ?? 0, 3];
  }
  return undefined;
}

/** Applies Julian day, day of year and the 12-hour clock once every field is read. */
function settle(p: Parsed): void {
  if (p.julian !== undefined) [p.year, p.month, p.day] = j2date(p.julian);
  if (p.doy !== undefined) {
    [p.year, p.month, p.day] = j2date(dateFromYmd(p.year, 1, 1) + postgresEpochJd + p.doy - 1);
  }
  if (p.hour12) {
    if (p.hour < 1 || p.hour > 12) {
      throw new SqlError(
        SqlState.invalidDatetimeFormat,
        `hour "${p.hour}" is invalid for the 12-hour clock`,
        { hint: "Use the 24-hour clock, or give an hour between 1 and 12." },
      );
    }
    if (p.pm === true && p.hour < 12) p.hour += 12;
    if (p.pm === false && p.hour === 12) p.hour = 0;
  } else if (p.pm === true && p.hour < 12) {
    p.hour += 12;
  }
}

function checkDate(p: Parsed): void {
  if (p.month < 1 || p.month > 12 || p.day < 1 || p.day > daysInMonth(p.year, p.month)) {
    const pad = (v: number, width: number): string => String(v).padStart(width, "0");
    const text = `${pad(p.year, 4)}-${pad(p.month, 2)}-${pad(p.day, 2)}`;
    throw new SqlError(
      SqlState.datetimeFieldOverflow,
      `date/time field value out of range: "${text}"`,
    );
  }
}

function fromParsed(p: Parsed): bigint {
  checkDate(p);
  if (p.hour > 24 || p.minute > 59 || p.second > 60) {
    throw new SqlError(SqlState.datetimeFieldOverflow, "date/time field value out of range");
  }
  return fromFields({
    year: p.bc ? 1 - p.year : p.year,
    month: p.month,
    day: p.day,
    hour: p.hour,
    minute: p.minute,
    second: p.second,
    micro: p.micro,
  });
}
