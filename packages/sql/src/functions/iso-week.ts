/**
 * ISO 8601 weeks, as PostgreSQL's date2isoweek / date2isoyear / isoweek2date: weeks start on
 * Monday and week 1 holds the year's first Thursday.
 */
import { date2j } from "./calendar.js";

/** Returns the Julian day of the Monday of ISO week 1 of `year`. */
export function week1Monday(year: number): number {
  const jan4 = date2j(year, 1, 4);
  const dayOfWeek = (jan4 + 1) % 7; // 0 = Sunday
  return jan4 - ((dayOfWeek + 6) % 7);
}

export function isoYear(year: number, month: number, day: number): number {
  const jd = date2j(year, month, day);
  if (jd < week1Monday(year)) return year - 1;
  if (jd >= week1Monday(year + 1)) return year + 1;
  return year;
}

export function isoWeek(year: number, month: number, day: number): number {
  const jd = date2j(year, month, day);
  return Math.floor((jd - week1Monday(isoYear(year, month, day))) / 7) + 1;
}

/** Returns the Julian day of the Monday starting the ISO week that holds the date. */
export function isoWeekStart(year: number, month: number, day: number): number {
  const jd = date2j(year, month, day);
  return jd - ((jd + 1 + 6) % 7);
}
