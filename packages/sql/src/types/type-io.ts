/**
 * The I/O contract every type implements: text input and output exactly as PostgreSQL 15,
 * optional binary send/receive, a total order (the btree opclass), and a hash key.
 * Family files (`integer.ts`, `numeric.ts`, ...) export `TypeIo` objects; `registry.ts` joins
 * them with the pg_type rows.
 */
import type { FormatContext } from "./context.js";
import type { Value } from "./value.js";

export interface TypeIo {
  /** Parses Postgres text input; `typmod` is -1 when the target has none. */
  input(text: string, typmod: number, ctx: FormatContext): Value;
  /** Prints a non-null value exactly as Postgres's output function. */
  output(value: Value, ctx: FormatContext): string;
  receive?(bytes: Uint8Array, typmod: number, ctx: FormatContext): Value;
  send?(value: Value, ctx: FormatContext): Uint8Array;
  /** Orders two non-null values as the type's btree opclass (NaN above all numbers). */
  compare(a: Value, b: Value): number;
  /** Tests equality faster than `compare(a, b) === 0` where it can. */
  equals?(a: Value, b: Value): boolean;
  /**
   * Returns a key equal for equal values and distinct for distinct values, for hash joins
   * and grouping: numeric 1.0 and 1.00 share a key, as float -0 and 0 do.
   */
  hashKey(value: Value): string | number;
}

/** Whitespace as C's isspace() in the C locale, which Postgres's input functions skip. */
export function isSpaceCode(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

/** Trims C-locale whitespace from both ends. */
export function trimSpace(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isSpaceCode(text.charCodeAt(start))) start++;
  while (end > start && isSpaceCode(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** Orders two JavaScript numbers that are never NaN. */
export function compareNumbers(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareBigints(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Returns a hash key for a bigint: a number when exact, else its decimal text. */
export function bigintKey(value: bigint): string | number {
  const asNumber = Number(value);
  return Number.isSafeInteger(asNumber) ? asNumber : value.toString();
}
