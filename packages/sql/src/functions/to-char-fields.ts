/**
 * The field patterns of to_char for dates, times and intervals: each pattern name maps to the
 * text of one field of a broken-down moment (to-char.ts walks the template).
 */
import { type Fields, date2j } from "./calendar.js";
import { isoWeek, isoYear } from "./iso-week.js";

const monthNames = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const dayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"];

/** The value being formatted: wall-clock fields plus what zone patterns need. */
export interface Moment {
  f: Fields;
  offset: number;
  zoneAbbrev: string;
  interval: boolean;
}

function num(v: number, width: number, fm: boolean): string {
  if (fm) return String(v);
  const s = String(Math.abs(v)).padStart(width, "0");
  return v < 0 ? "-" + s : s;
}

/** printf's "%0*d": the width counts a minus sign, as Postgres prints DD, MM and DDD. */
function cnum(v: number, width: number, fm: boolean): string {
  if (fm || v >= 0) return num(v, width, fm);
  return "-" + String(-v).padStart(width - 1, "0");
}

function pad2(v: number): string {
  return String(v).padStart(2, "0");
}

function cased(name: string, pattern: string, fm: boolean, width: number): string {
  const text =
    pattern === pattern.toUpperCase()
      ? name.toUpperCase()
      : pattern === pattern.toLowerCase()
        ? name.toLowerCase()
        : name;
  return fm ? text : text.padEnd(width, " ");
}

/** The ISO year, counted back from 1 before year 1 as Postgres prints it (not for intervals). */
function isoYearOf(m: Moment): number {
  const iso = isoYear(m.f.year, m.f.month, m.f.day);
  return m.interval || iso > 0 ? iso : 1 - iso;
}

/** Expands the time, year and era patterns; the rest go to dateField. */
export function field(p: string, m: Moment, fm: boolean): string {
  const f = m.f;
  // An interval's years print signed; a date's BC years count back from 1.
  const year = m.interval || f.year > 0 ? f.year : 1 - f.year;
  const hour12 = f.hour % 12 === 0 ? 12 : f.hour % 12;
  switch (p) {
    case "HH24":
      return num(f.hour, 2, fm);
    case "HH":
    case "HH12":
      return num(hour12, 2, fm);
    case "MI":
      return num(f.minute, 2, fm);
    case "SS":
      return num(f.second, 2, fm);
    case "SSSS":
    case "SSSSS":
      return String(f.hour * 3600 + f.minute * 60 + f.second);
    case "MS":
      return cnum(Math.trunc(f.micro / 1000), 3, false);
    case "US":
      return cnum(f.micro, 6, false);
    case "FF1":
    case "FF2":
    case "FF3":
    case "FF4":
    case "FF5":
    case "FF6":
      return String(f.micro).padStart(6, "0").slice(0, Number(p[2]));
    case "AM":
    case "PM":
      return f.hour % 24 >= 12 ? "PM" : "AM";
    case "am":
    case "pm":
      return f.hour % 24 >= 12 ? "pm" : "am";
    case "A.M.":
    case "P.M.":
      return f.hour % 24 >= 12 ? "P.M." : "A.M.";
    case "a.m.":
    case "p.m.":
      return f.hour % 24 >= 12 ? "p.m." : "a.m.";
    case "Y,YYY":
      return `${Math.trunc(year / 1000)},${cnum(year % 1000, 3, false)}`;
    case "YYYY":
    case "yyyy":
      return num(year, 4, fm);
    case "YYY":
      return num(year % 1000, 3, fm);
    case "YY":
      return num(year % 100, 2, fm);
    case "Y":
      return String(year % 10);
    case "IYYY":
      return num(isoYearOf(m), 4, fm);
    case "IYY":
      return num(isoYearOf(m) % 1000, 3, fm);
    case "IY":
      return num(isoYearOf(m) % 100, 2, fm);
    case "I":
      return String(isoYearOf(m) % 10);
    case "BC":
    case "AD":
      return f.year > 0 ? "AD" : "BC";
    case "bc":
    case "ad":
      return f.year > 0 ? "ad" : "bc";
    case "B.C.":
    case "A.D.":
      return f.year > 0 ? "A.D." : "B.C.";
    case "b.c.":
    case "a.d.":
      return f.year > 0 ? "a.d." : "b.c.";
    default:
      return dateField(p, m, fm);
  }
}

/** Expands the month, day, week and zone patterns. */
function dateField(p: string, m: Moment, fm: boolean): string {
  const f = m.f;
  const jd = date2j(f.year, f.month, f.day);
  const dow = (jd + 1) % 7;
  switch (p) {
    case "MONTH":
    case "Month":
    case "month":
      return cased(monthNames[f.month - 1] ?? "", p, fm, 9);
    case "MON":
    case "Mon":
    case "mon":
      return cased((monthNames[f.month - 1] ?? "").slice(0, 3), p, true, 3);
    case "MM":
      return num(f.month, 2, fm);
    case "DAY":
    case "Day":
    case "day":
      return cased(dayNames[dow] ?? "", p, fm, 9);
    case "DY":
    case "Dy":
    case "dy":
      return cased((dayNames[dow] ?? "").slice(0, 3), p, true, 3);
    case "DDD":
      // An interval's day of year approximates its whole span in days.
      return m.interval ? cnum((f.year * 12 + f.month) * 30 + f.day, 3, fm)
        : num(jd - date2j(f.year, 1, 1) + 1, 3, fm);
    case "IDDD": {
      const iy = isoYear(f.year, f.month, f.day);
      return num((isoWeek(f.year, f.month, f.day) - 1) * 7 + ((dow + 6) % 7) + 1 + 0 * iy, 3, fm);
    }
    case "DD":
      return cnum(f.day, 2, fm);
    case "D":
      return String(dow + 1);
    case "ID":
      return String(dow === 0 ? 7 : dow);
    case "W":
      return String(Math.floor((f.day - 1) / 7) + 1);
    case "WW": {
      const yday = m.interval ? (f.year * 12 + f.month) * 30 + f.day
        : jd - date2j(f.year, 1, 1) + 1;
      return cnum(Math.trunc((yday - 1) / 7) + 1, 2, fm);
    }
    case "IW":
      return num(isoWeek(f.year, f.month, f.day), 2, fm);
    case "CC":
      return num(m.interval ? Math.trunc(f.year / 100) :
        f.year > 0 ? Math.floor((f.year + 99) / 100) : -Math.floor((99 - (f.year - 1)) / 100),
        2,
        fm,
      );
    case "J":
      return String(jd);
    case "Q":
      return String(Math.floor((f.month - 1) / 3) + 1);
    case "RM":
      return fm ? (roman[f.month - 1] ?? "") : (roman[f.month - 1] ?? "").padEnd(4);
    case "rm":
      return (fm ? (roman[f.month - 1] ?? "") : (roman[f.month - 1] ?? "").padEnd(4)).toLowerCase();
    case "TZ":
      return m.zoneAbbrev;
    case "tz":
      return m.zoneAbbrev.toLowerCase();
    case "TZH":
      return (
        (m.offset < 0 ? "-" : "+") + String(Math.floor(Math.abs(m.offset) / 3600)).padStart(2, "0")
      );
    case "TZM":
      return String(Math.floor(Math.abs(m.offset) / 60) % 60).padStart(2, "0");
    case "OF": {
      // Hours, and minutes when not zero; seconds of an offset are not printed.
      const abs = Math.abs(m.offset);
      const hours = String(Math.floor(abs / 3600)).padStart(fm ? 0 : 2, "0");
      const minutes = abs % 3600 === 0 ? "" : `:${pad2(Math.floor((abs % 3600) / 60))}`;
      return `${m.offset < 0 ? "-" : "+"}${hours}${minutes}`;
    }
    default:
      return p;
  }
}
