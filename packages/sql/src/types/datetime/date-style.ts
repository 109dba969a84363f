/**
 * date, timestamp and timestamptz output under the non-ISO DateStyles, as Postgres's
 * EncodeDateOnly and EncodeDateTime write them:
 *
 *   SQL, MDY       01/31/2024   01/31/2024 13:45:00   01/31/2024 13:45:00 EST
 *   SQL, DMY       31/01/2024   31/01/2024 13:45:00   31/01/2024 13:45:00 EST
 *   German         31.01.2024   31.01.2024 13:45:00   31.01.2024 13:45:00 EST
 *   Postgres, MDY  01-31-2024   Wed Jan 31 13:45:00 2024   Wed Jan 31 13:45:00 2024 EST
 *   Postgres, DMY  31-01-2024   Wed 31 Jan 13:45:00 2024   Wed 31 Jan 13:45:00 2024 EST
 *
 * The zone is always written as its abbreviation after a space (an unnamed POSIX offset
 * has an empty one, so a trailing space remains, as in Postgres); years before 1 end in " BC".
 * ISO style stays in date.ts and timestamp.ts, on their fast paths.
 */
import { dateOrderOf, dateStyleOutputOf, type FormatContext } from "../context.js";
import {
  formatClock, j2date, pad, postgresEpochJulian, splitTime, splitTimestamp, type Clock, type Ymd,
} from "./calendar.js";

/** The output styles other than ISO. */
export type NonIsoStyle = "SQL" | "POSTGRES" | "GERMAN";

/** Returns the session's output style when it is not ISO, else undefined. */
export function nonIsoStyle(ctx: FormatContext | undefined): NonIsoStyle | undefined {
  if (ctx === undefined) return undefined;
  const style = dateStyleOutputOf(ctx);
  return style === "ISO" ? undefined : style;
}

const monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
  "Nov", "Dec"];
const dayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** Day, month and year of a date in `style` (no BC suffix). */
function datePart(ymd: Ymd, style: NonIsoStyle, dmy: boolean): string {
  const year = pad(ymd.year > 0 ? ymd.year : 1 - ymd.year, 4);
  const day = pad(ymd.day, 2);
  const month = pad(ymd.month, 2);
  switch (style) {
    case "SQL": return dmy ? `${day}/${month}/${year}` : `${month}/${day}/${year}`;
    case "GERMAN": return `${day}.${month}.${year}`;
    case "POSTGRES": return dmy ? `${day}-${month}-${year}` : `${month}-${day}-${year}`;
  }
}

/** Formats a finite date (days since 2000-01-01) in a non-ISO style. */
export function formatDateInStyle(days: number, style: NonIsoStyle, ctx: FormatContext): string {
  const ymd = j2date(days + postgresEpochJulian);
  const text = datePart(ymd, style, dateOrderOf(ctx) === "DMY");
  return ymd.year <= 0 ? `${text} BC` : text;
}

/**
 * Formats a finite timestamp given as local microseconds since 2000-01-01; `zone` is the
 * abbreviation to append for timestamptz, undefined for timestamp.
 */
export function formatTimestampInStyle(local: bigint, style: NonIsoStyle, ctx: FormatContext,
  zone: string | undefined): string {
  const { days, timeMicros } = splitTimestamp(local);
  const julian = days + postgresEpochJulian;
  const ymd = j2date(julian);
  const clock: Clock = splitTime(timeMicros);
  const dmy = dateOrderOf(ctx) === "DMY";
  const suffix = (zone === undefined ? "" : ` ${zone}`) + (ymd.year <= 0 ? " BC" : "");
  if (style !== "POSTGRES") return `${datePart(ymd, style, dmy)} ${formatClock(clock)}${suffix}`;
  const weekday = dayNames[((julian + 1) % 7 + 7) % 7]!;
  const month = monthNames[ymd.month - 1]!;
  const dayMonth = dmy ? `${pad(ymd.day, 2)} ${month}` : `${month} ${pad(ymd.day, 2)}`;
  const year = pad(ymd.year > 0 ? ymd.year : 1 - ymd.year, 4);
  return `${weekday} ${dayMonth} ${formatClock(clock)} ${year}${suffix}`;
}
