/**
 * Small helpers COPY shares: the CONTEXT line Postgres adds to errors (with the offending
 * text clipped as its limit_printout_length does), and a frozen copy of the settings that
 * value input and output read, so per-value calls do not go back to the session.
 */
import { SqlError } from "@tessera/base";
import type { FormatSettings } from "../catalog/type-io.js";

/** Postgres prints at most this many bytes of a line or field in CONTEXT, then "...". */
const printoutBytesMax = 100;

/** Returns `error` with `where` set (a new SqlError; other errors pass through). */
export function withContext(error: unknown, where: string): unknown {
  if (!(error instanceof SqlError)) return error;
  return new SqlError(error.code, error.message, { ...error.fields, where });
}

/** Clips `text` to 100 bytes on a character boundary, marking the cut with "...". */
export function limitPrintout(text: string): string {
  if (text.length * 3 <= printoutBytesMax) return text;
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= printoutBytesMax) return text;
  let end = printoutBytesMax;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return `${bytes.subarray(0, end).toString("utf8")}...`;
}

/** The settings value I/O reads, looked up once per COPY. */
export function frozenSettings(settings: FormatSettings): FormatSettings {
  const names = ["timezone", "datestyle", "intervalstyle", "extra_float_digits", "bytea_output"];
  const values = new Map(names.map((n) => [n, settings.setting(n)]));
  return { setting: (name) => values.get(name) ?? settings.setting(name) };
}
