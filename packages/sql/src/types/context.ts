/**
 * The session settings that change how values print and parse: Postgres's DateStyle,
 * IntervalStyle, TimeZone, extra_float_digits and bytea_output GUCs, plus the statement's
 * "now" for inputs like 'now' and 'today'. Type I/O reads them; it never reads globals.
 */
export interface FormatContext {
  /** DateStyle, e.g. "ISO, MDY": output style, then field order for ambiguous input. */
  readonly dateStyle: string;
  /** IntervalStyle: "postgres" (default), "postgres_verbose", "sql_standard" or "iso_8601". */
  readonly intervalStyle: string;
  /** TimeZone: an IANA name ("UTC", "Europe/Berlin") or a POSIX-ish offset ("+02"). */
  readonly timeZone: string;
  /** extra_float_digits: above 0 prints the shortest exact form; else 15 + n digits. */
  readonly extraFloatDigits: number;
  readonly byteaOutput: "hex" | "escape";
  /** The transaction's start, microseconds since 2000-01-01 UTC, for 'now' and 'today'. */
  readonly nowMicros?: bigint;
}

export const defaultFormatContext: FormatContext = Object.freeze({
  dateStyle: "ISO, MDY",
  intervalStyle: "postgres",
  timeZone: "UTC",
  extraFloatDigits: 1,
  byteaOutput: "hex",
});

/** The three field orders DateStyle can ask for when a date's fields are all numbers. */
export type DateOrder = "MDY" | "DMY" | "YMD";

/** Returns the field order DateStyle names; Postgres defaults to MDY. */
export function dateOrderOf(ctx: FormatContext): DateOrder {
  const style = ctx.dateStyle.toUpperCase();
  if (style.includes("DMY") || style.includes("EURO")) return "DMY";
  if (style.includes("YMD")) return "YMD";
  if (style.includes("MDY") || style.includes("US")) return "MDY";
  // "German" alone implies DMY, the others MDY, as Postgres's check_datestyle decides.
  if (style.includes("GERMAN")) return "DMY";
  return "MDY";
}

/** Returns the output style DateStyle names: ISO (default), SQL, Postgres or German. */
export function dateStyleOutputOf(ctx: FormatContext): "ISO" | "SQL" | "POSTGRES" | "GERMAN" {
  const style = ctx.dateStyle.toUpperCase();
  if (style.includes("SQL")) return "SQL";
  if (style.includes("POSTGRES")) return "POSTGRES";
  if (style.includes("GERMAN")) return "GERMAN";
  return "ISO";
}
