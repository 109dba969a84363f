/**
 * timeofday(): the wall clock as text, `Fri Mar 04 05:06:07.123456 2021 UTC`, the format
 * PostgreSQL builds with strftime("%a %b %d %H:%M:%S.%%06d %Y %Z").
 */
import { toFields } from "./calendar.js";
import { abbreviationAt, utcToLocal } from "./tz.js";
import { date2j } from "./calendar.js";

const days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export function timeofday(utcMicros: bigint, zone: string): string {
  const f = toFields(utcToLocal(zone, utcMicros));
  const p = (v: number, w = 2): string => String(v).padStart(w, "0");
  const dow = days[(date2j(f.year, f.month, f.day) + 1) % 7] ?? "";
  return (
    `${dow} ${months[f.month - 1] ?? ""} ${p(f.day)} ${p(f.hour)}:${p(f.minute)}:` +
    `${p(f.second)}.${p(f.micro, 6)} ${f.year} ${abbreviationAt(zone, utcMicros)}`
  );
}
