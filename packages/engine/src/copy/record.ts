/**
 * What COPY FROM's format readers share: the record interface the loader pulls fields
 * through, and the errors about the shape of the input rather than one field's value.
 */
import { SqlError, SqlState, type SqlStateCode } from "@tessera/base";

/** A reader of records (lines, or CSV records that may span lines) from decoded text. */
export interface RecordReader {
  /** The current record's fields; null for NULL. Only the first `count` are valid. */
  readonly fields: (string | null)[];
  readonly count: number;
  /** The current record's text span, for error context. */
  readonly lineStart: number;
  readonly lineEnd: number;
  /** Set once the end-of-data marker `\.` was read. */
  readonly ended: boolean;
  reset(text: string, final: boolean): void;
  /** Reads the next complete record; false when none remains in the block. */
  next(): boolean;
  /** The current record's text, for error context. */
  lineText(): string;
  /** The unconsumed rest of the block: an incomplete record to carry over. */
  rest(): string;
}

/**
 * Marks errors whose CONTEXT names the line but not its text ("COPY t, line 3"), as Postgres
 * reports line-structure errors; the loader fills in the context.
 */
export const lineOnlyContext = "\u0000line";

export function lineError(code: SqlStateCode, message: string, hint?: string): SqlError {
  return new SqlError(code, message,
    hint === undefined ? { where: lineOnlyContext } : { hint, where: lineOnlyContext });
}

/** Returns Postgres's 22021 error for the invalid UTF-8 sequence at `at` (or the first one). */
export function invalidUtf8(bytes: Uint8Array, at: number): SqlError {
  const start = at >= 0 ? at : firstInvalid(bytes);
  const length = Math.max(1, Math.min(sequenceLength(bytes[start] ?? 0), bytes.length - start));
  const shown = Array.from(bytes.subarray(start, start + length),
    (b) => `0x${b.toString(16).padStart(2, "0")}`).join(" ");
  return new SqlError(SqlState.characterNotInRepertoire,
    `invalid byte sequence for encoding "UTF8": ${shown}`);
}

/** The sequence length a lead byte announces, as Postgres's pg_utf_mblen reads it. */
function sequenceLength(lead: number): number {
  if ((lead & 0xe0) === 0xc0) return 2;
  if ((lead & 0xf0) === 0xe0) return 3;
  if ((lead & 0xf8) === 0xf0) return 4;
  return 1;
}

/** Returns the offset of the first byte that does not start or continue valid UTF-8. */
export function firstInvalid(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    if (lead === 0) return i;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const n = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3
      : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (n === 0 || i + n > bytes.length) return i;
    for (let k = 1; k < n; k++) {
      if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    }
    i += n;
  }
  return -1;
}
