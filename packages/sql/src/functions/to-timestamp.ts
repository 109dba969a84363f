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
  year: number; month: number; day: number; hour: number; minute: number; second: number;
  micro: number; pm: boolean | undefined; bc: boolean; tzOffset: number | undefined;
  hour12: boolean;
}

const monthNames = ["january", "february", "march", "april", "may", "june", "july", "august",
  "september", "october", "november", "december"];

const numeric: readonly [string, number, keyof Parsed][] = [
  ["YYYY", 4, "year"], ["HH24", 2, "hour"], ["HH12", 2, "hour"], ["DDD", 3, "day"],
  ["YY", 2, "year"], ["MM", 2, "month"], ["DD", 2, "day"], ["HH", 2, "hour"], ["MI", 2, "minute"],
  ["SS", 2, "second"], ["MS", 3, "micro"], ["US", 6, "micro"], ["J", 7, "day"],
];

export function toTimestampFunctions(): ScalarFunction[] {
  return [
    fn("to_timestamp", [T.text, T.text], T.timestamptz, (a, ctx) => {
      const p = parse(str(a[0] ?? ""), str(a[1] ?? ""));
      const local = fromParsed(p);
      if (p.tzOffset !== undefined) return local - BigInt(p.tzOffset) * 1_000_000n;
      return localToUtc(sessionZone((n) => ctx.setting(n)), local);
    }, { volatility: "s" }),
    fn("to_date", [T.text, T.text], T.date, (a) => {
      const p = parse(str(a[0] ?? ""), str(a[1] ?? ""));
      checkDate(p);
      return dateFromYmd(p.bc ? 1 - p.year : p.year, p.month, p.day);
    }, { volatility: "s" }),
  ];
}

function fail(message: string): SqlError {
  return new SqlError(SqlState.invalidDatetimeFormat, message);
}

function parse(input: string, template: string): Parsed {
  const p: Parsed = { year: 1, month: 1, day: 1, hour: 0, minute: 0, second: 0, micro: 0,
    pm: undefined, bc: false, tzOffset: undefined, hour12: false };
  let i = 0;
  let t = 0;
  let julian: number | undefined;
  while (t < template.length) {
    const rest = template.slice(t);
    const upper = rest.toUpperCase();
    if (upper.startsWith("FM") || upper.startsWith("FX")) { t += 2; continue; }
    while (input[i] === " " && template[t] !== " ") i++;
    const num = numeric.find(([pat]) => upper.startsWith(pat));
    if (num !== undefined) {
      const [pat, width, key] = num;
      const m = new RegExp(`^[+-]?\\d{1,${pat === "J" ? 9 : pat === "YYYY" ? 9 : width}}`).exec(input.slice(i));
      if (m === null) throw fail(`invalid value "${input.slice(i, i + width)}" for "${pat}"`);
      let v = Number(m[0]);
      if (pat === "MS") v *= 1000;
      if (pat === "YY") v += v < 70 ? 2000 : 1900;
      if (pat === "HH12" || pat === "HH") p.hour12 = true;
      if (pat === "J") julian = v;
      else if (pat === "DDD") (p as unknown as Record<string, number>)["doy"] = v;
      else (p as unknown as Record<string, number>)[key] = v;
      i += m[0].length;
      t += pat.length;
      continue;
    }
    if (upper.startsWith("AM") || upper.startsWith("PM")) {
      p.pm = input.slice(i, i + 2).toUpperCase() === "PM";
      i += 2; t += 2; continue;
    }
    if (upper.startsWith("BC") || upper.startsWith("AD")) {
      p.bc = input.slice(i, i + 2).toUpperCase() === "BC";
      i += 2; t += 2; continue;
    }
    if (upper.startsWith("MONTH") || upper.startsWith("MON")) {
      const word = /^[A-Za-z]+/.exec(input.slice(i))?.[0]?.toLowerCase() ?? "";
      const index = monthNames.findIndex((m) => (upper.startsWith("MONTH") ? m === word : m.startsWith(word) && word.length === 3));
      if (index < 0) throw fail(`invalid value "${word}" for "${upper.startsWith("MONTH") ? "Month" : "Mon"}"`);
      p.month = index + 1;
      i += word.length; t += upper.startsWith("MONTH") ? 5 : 3; continue;
    }
    if (upper.startsWith("TZH")) {
      const m = /^[+-]?\d{1,2}/.exec(input.slice(i));
      if (m === null) throw fail(`invalid value "${input.slice(i, i + 3)}" for "TZH"`);
      p.tzOffset = Number(m[0]) * 3600;
      i += m[0].length; t += 3; continue;
    }
    if (upper.startsWith("TZM")) {
      const m = /^\d{1,2}/.exec(input.slice(i));
      const minutes = Number(m?.[0] ?? 0) * 60;
      p.tzOffset = (p.tzOffset ?? 0) + ((p.tzOffset ?? 0) < 0 ? -minutes : minutes);
      i += m?.[0].length ?? 0; t += 3; continue;
    }
    i++;
    t++;
  }
  if (julian !== undefined) [p.year, p.month, p.day] = j2date(julian);
  const doy = (p as unknown as Record<string, number>)["doy"];
  if (doy !== undefined) [p.year, p.month, p.day] = j2date(dateFromYmd(p.year, 1, 1) + postgresEpochJd + doy - 1);
  if (p.hour12) {
    if (p.hour < 1 || p.hour > 12) {
      throw new SqlError(SqlState.invalidDatetimeFormat, `hour "${p.hour}" is invalid for the 12-hour clock`,
        { hint: "Use the 24-hour clock, or give an hour between 1 and 12." });
    }
    if (p.pm === true && p.hour < 12) p.hour += 12;
    if (p.pm === false && p.hour === 12) p.hour = 0;
  } else if (p.pm === true && p.hour < 12) {
    p.hour += 12;
  }
  return p;
}

function checkDate(p: Parsed): void {
  if (p.month < 1 || p.month > 12 || p.day < 1 || p.day > daysInMonth(p.year, p.month)) {
    const text = `${String(p.year).padStart(4, "0")}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
    throw new SqlError(SqlState.datetimeFieldOverflow, `date/time field value out of range: "${text}"`);
  }
}

function fromParsed(p: Parsed): bigint {
  checkDate(p);
  if (p.hour > 24 || p.minute > 59 || p.second > 60) {
    throw new SqlError(SqlState.datetimeFieldOverflow, "date/time field value out of range");
  }
  return fromFields({ year: p.bc ? 1 - p.year : p.year, month: p.month, day: p.day, hour: p.hour,
    minute: p.minute, second: p.second, micro: p.micro });
}
