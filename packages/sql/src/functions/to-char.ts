/**
 * to_char for timestamp, timestamptz and interval (PostgreSQL docs table 9.27): a template is
 * read left to right, longest pattern first, each pattern replaced by a field of the value.
 * `FM` drops padding, `TH`/`th` add an ordinal suffix, double quotes and backslashes quote.
 * Month and day names pad to nine characters unless FM, as PostgreSQL does.
 */
import type { Interval, Value } from "../types/value.js";
import { TIMESTAMP_INFINITY, TIMESTAMP_MINUS_INFINITY } from "../types/value.js";
import type { EvalContext, ScalarFunction } from "./defs.js";
import { fn, str } from "./builders.js";
import { type Fields, date2j, toFields } from "./calendar.js";
import { isoWeek, isoYear } from "./iso-week.js";
import { abbreviationAt, formatOffset, offsetAt, sessionZone } from "./tz.js";
import { T } from "./type-oids.js";
import { numberToChar } from "./to-char-number.js";

const monthNames = ["January", "February", "March", "April", "May", "June", "July", "August",
  "September", "October", "November", "December"];
const dayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"];

/** The value being formatted: wall-clock fields plus what zone patterns need. */
interface Moment {
  f: Fields;
  offset: number;
  zoneAbbrev: string;
  interval: boolean;
}

const patterns = [
  "HH24", "HH12", "HH", "MI", "SSSSS", "SSSS", "SS", "MS", "US", "FF1", "FF2", "FF3", "FF4",
  "FF5", "FF6", "A.M.", "a.m.", "P.M.", "p.m.", "AM", "am", "PM", "pm", "Y,YYY", "YYYY", "yyyy",
  "YYY", "YY", "Y", "IYYY", "IYY", "IY", "I", "B.C.", "b.c.", "A.D.", "a.d.", "BC", "bc", "AD",
  "ad", "MONTH", "Month", "month", "MON", "Mon", "mon", "MM", "DAY", "Day", "day", "DY", "Dy",
  "dy", "DDD", "IDDD", "DD", "D", "ID", "WW", "W", "IW", "CC", "J", "Q", "RM", "rm", "TZH",
  "TZM", "TZ", "tz", "OF",
].sort((a, b) => b.length - a.length);

export function toCharFunctions(): ScalarFunction[] {
  const zone = (c: EvalContext): string => sessionZone((n) => c.setting(n));
  return [
    fn("to_char", [T.timestamp, T.text], T.text, (a) => timestampToChar(a[0] as bigint, str(a[1] ?? ""), "UTC", false)),
    fn("to_char", [T.timestamptz, T.text], T.text,
      (a, c) => timestampToChar(a[0] as bigint, str(a[1] ?? ""), zone(c), true), { volatility: "s" }),
    fn("to_char", [T.interval, T.text], T.text, (a) => intervalToChar(a[0] as Interval, str(a[1] ?? ""))),
    ...[T.int2, T.int4, T.int8, T.float4, T.float8, T.numeric].map((type) =>
      fn("to_char", [type, T.text], T.text, (a) => numberToChar(a[0] ?? null, type, str(a[1] ?? "")))),
  ];
}

function timestampToChar(ts: bigint, template: string, zone: string, withZone: boolean): Value {
  if (ts === TIMESTAMP_INFINITY || ts === TIMESTAMP_MINUS_INFINITY) return null;
  const offset = withZone ? offsetAt(zone, ts) : 0;
  const f = toFields(ts + BigInt(offset) * 1_000_000n);
  const zoneAbbrev = withZone ? abbreviationAt(zone, ts) : "";
  return format(template, { f, offset, zoneAbbrev, interval: false });
}

function intervalToChar(v: Interval, template: string): string {
  const total = v.micros;
  const negative = total < 0n;
  const abs = negative ? -total : total;
  const hours = Number(abs / 3_600_000_000n) * (negative ? -1 : 1);
  const rest = Number(abs % 3_600_000_000n);
  const f: Fields = {
    year: Math.trunc(v.months / 12), month: v.months % 12, day: v.days, hour: hours,
    minute: Math.floor(rest / 60_000_000) * (negative ? -1 : 1),
    second: (Math.floor(rest / 1e6) % 60) * (negative ? -1 : 1), micro: rest % 1e6,
  };
  return format(template, { f, offset: 0, zoneAbbrev: "", interval: true });
}

/** Expands `template` for one moment. */
function format(template: string, m: Moment): string {
  let out = "";
  let i = 0;
  while (i < template.length) {
    const ch = template[i] ?? "";
    if (ch === '"') {
      const end = template.indexOf('"', i + 1);
      const stop = end < 0 ? template.length : end;
      out += template.slice(i + 1, stop).replace(/\\(.)/g, "$1");
      i = stop + 1;
      continue;
    }
    if (ch === "\\" && i + 1 < template.length) {
      out += template[i + 1];
      i += 2;
      continue;
    }
    let fm = false;
    let j = i;
    if (template.startsWith("FM", j) || template.startsWith("fm", j)) {
      fm = true;
      j += 2;
    }
    const pattern = patterns.find((p) => template.startsWith(p, j));
    if (pattern === undefined) {
      out += fm ? template.slice(i, j) : ch;
      i = fm ? j : i + 1;
      continue;
    }
    j += pattern.length;
    let text = field(pattern, m, fm);
    const suffix = /^(TH|th)/.exec(template.slice(j));
    if (suffix !== null) {
      text += ordinal(Number(text), suffix[1] === "TH");
      j += 2;
    }
    out += text;
    i = j;
  }
  return out;
}

function ordinal(n: number, upper: boolean): string {
  const last2 = Math.abs(n) % 100;
  const last = Math.abs(n) % 10;
  const s = last2 >= 11 && last2 <= 13 ? "th" : last === 1 ? "st" : last === 2 ? "nd" : last === 3 ? "rd" : "th";
  return upper ? s.toUpperCase() : s;
}

function num(v: number, width: number, fm: boolean): string {
  if (fm) return String(v);
  const s = String(Math.abs(v)).padStart(width, "0");
  return v < 0 ? "-" + s : s;
}

function cased(name: string, pattern: string, fm: boolean, width: number): string {
  const text = pattern === pattern.toUpperCase() ? name.toUpperCase()
    : pattern === pattern.toLowerCase() ? name.toLowerCase() : name;
  return fm ? text : text.padEnd(width, " ");
}

function field(p: string, m: Moment, fm: boolean): string {
  const f = m.f;
  const year = f.year > 0 ? f.year : 1 - f.year;
  const jd = date2j(f.year, f.month, f.day);
  const dow = (jd + 1) % 7;
  const hour12 = f.hour % 12 === 0 ? 12 : f.hour % 12;
  switch (p) {
    case "HH24": return num(f.hour, 2, fm);
    case "HH": case "HH12": return num(m.interval ? f.hour % 12 : hour12, 2, fm);
    case "MI": return num(f.minute, 2, fm);
    case "SS": return num(f.second, 2, fm);
    case "SSSS": case "SSSSS": return String(f.hour * 3600 + f.minute * 60 + f.second);
    case "MS": return num(Math.floor(f.micro / 1000), 3, fm);
    case "US": return num(f.micro, 6, fm);
    case "FF1": case "FF2": case "FF3": case "FF4": case "FF5": case "FF6":
      return String(f.micro).padStart(6, "0").slice(0, Number(p[2]));
    case "AM": case "PM": return f.hour >= 12 ? "PM" : "AM";
    case "am": case "pm": return f.hour >= 12 ? "pm" : "am";
    case "A.M.": case "P.M.": return f.hour >= 12 ? "P.M." : "A.M.";
    case "a.m.": case "p.m.": return f.hour >= 12 ? "p.m." : "a.m.";
    case "Y,YYY": return `${Math.floor(year / 1000)},${String(year % 1000).padStart(3, "0")}`;
    case "YYYY": case "yyyy": return num(year, 4, fm);
    case "YYY": return num(year % 1000, 3, fm);
    case "YY": return num(year % 100, 2, fm);
    case "Y": return String(year % 10);
    case "IYYY": return num(isoYear(f.year, f.month, f.day), 4, fm);
    case "IYY": return num(isoYear(f.year, f.month, f.day) % 1000, 3, fm);
    case "IY": return num(isoYear(f.year, f.month, f.day) % 100, 2, fm);
    case "I": return String(isoYear(f.year, f.month, f.day) % 10);
    case "BC": case "AD": return f.year > 0 ? "AD" : "BC";
    case "bc": case "ad": return f.year > 0 ? "ad" : "bc";
    case "B.C.": case "A.D.": return f.year > 0 ? "A.D." : "B.C.";
    case "b.c.": case "a.d.": return f.year > 0 ? "a.d." : "b.c.";
    case "MONTH": case "Month": case "month": return cased(monthNames[f.month - 1] ?? "", p, fm, 9);
    case "MON": case "Mon": case "mon": return cased((monthNames[f.month - 1] ?? "").slice(0, 3), p, true, 3);
    case "MM": return num(f.month, 2, fm);
    case "DAY": case "Day": case "day": return cased(dayNames[dow] ?? "", p, fm, 9);
    case "DY": case "Dy": case "dy": return cased((dayNames[dow] ?? "").slice(0, 3), p, true, 3);
    case "DDD": return num(jd - date2j(f.year, 1, 1) + 1, 3, fm);
    case "IDDD": {
      const iy = isoYear(f.year, f.month, f.day);
      return num((isoWeek(f.year, f.month, f.day) - 1) * 7 + ((dow + 6) % 7) + 1 + 0 * iy, 3, fm);
    }
    case "DD": return num(f.day, 2, fm);
    case "D": return String(dow + 1);
    case "ID": return String(dow === 0 ? 7 : dow);
    case "W": return String(Math.floor((f.day - 1) / 7) + 1);
    case "WW": return num(Math.floor((jd - date2j(f.year, 1, 1)) / 7) + 1, 2, fm);
    case "IW": return num(isoWeek(f.year, f.month, f.day), 2, fm);
    case "CC": return num(f.year > 0 ? Math.floor((f.year + 99) / 100) : -Math.floor((99 - (f.year - 1)) / 100), 2, fm);
    case "J": return String(jd);
    case "Q": return String(Math.floor((f.month - 1) / 3) + 1);
    case "RM": return fm ? (roman[f.month - 1] ?? "") : (roman[f.month - 1] ?? "").padEnd(4);
    case "rm": return (fm ? (roman[f.month - 1] ?? "") : (roman[f.month - 1] ?? "").padEnd(4)).toLowerCase();
    case "TZ": return m.zoneAbbrev;
    case "tz": return m.zoneAbbrev.toLowerCase();
    case "TZH": return (m.offset < 0 ? "-" : "+") + String(Math.floor(Math.abs(m.offset) / 3600)).padStart(2, "0");
    case "TZM": return String(Math.floor(Math.abs(m.offset) / 60) % 60).padStart(2, "0");
    case "OF": return formatOffset(m.offset, false);
    default: return p;
  }
}
