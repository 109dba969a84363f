/**
 * smallint, integer, bigint and oid. Input follows Postgres 15's pg_strtoint*: optional
 * whitespace, an optional sign, decimal digits, optional whitespace; anything else is 22P02
 * and a value past the type's range is 22003 naming the type. int2/int4/oid are JavaScript
 * numbers; int8 is a bigint, so its comparisons never lose precision.
 */
import { ByteReader, ByteWriter } from "./binary.js";
import { invalidInput, valueOutOfRange } from "./errors.js";
import { bigintKey, compareBigints, isSpaceCode, type TypeIo } from "./type-io.js";

export const int2Min = -32768;
export const int2Max = 32767;
export const int4Min = -2147483648;
export const int4Max = 2147483647;
export const int8Min = -(2n ** 63n);
export const int8Max = 2n ** 63n - 1n;
export const oidMax = 4294967295;

export const int2Io: TypeIo = {
  input: (text) => parseSmallInteger(text, int2Min, int2Max, "smallint"),
  output: (value) => String(value as number),
  receive: (bytes) => readExactly(bytes, (reader) => reader.int16()),
  send: (value) => new ByteWriter(2).int16(value as number).finish(),
  compare: (a, b) => (a as number) - (b as number),
  equals: (a, b) => a === b,
  hashKey: (value) => value as number,
};

export const int4Io: TypeIo = {
  input: (text) => parseSmallInteger(text, int4Min, int4Max, "integer"),
  output: (value) => String(value as number),
  receive: (bytes) => readExactly(bytes, (reader) => reader.int32()),
  send: (value) => new ByteWriter(4).int32(value as number).finish(),
  compare: (a, b) => (a as number) - (b as number),
  equals: (a, b) => a === b,
  hashKey: (value) => value as number,
};

export const int8Io: TypeIo = {
  input: (text) => parseInt8(text),
  output: (value) => (value as bigint).toString(),
  receive: (bytes) => readExactly(bytes, (reader) => reader.int64()),
  send: (value) => new ByteWriter(8).int64(value as bigint).finish(),
  compare: (a, b) => compareBigints(a as bigint, b as bigint),
  equals: (a, b) => a === b,
  hashKey: (value) => bigintKey(value as bigint),
};

/** oid (and xid): unsigned 32-bit; input accepts negatives down to -2^31 and wraps them. */
export const oidIo: TypeIo = {
  input: (text) => parseOid(text, "oid"),
  output: (value) => String(value as number),
  receive: (bytes) => readExactly(bytes, (reader) => reader.uint32()),
  send: (value) => new ByteWriter(4).uint32(value as number).finish(),
  compare: (a, b) => (a as number) - (b as number),
  equals: (a, b) => a === b,
  hashKey: (value) => value as number,
};

/**
 * Parses int2/int4 text without allocating: the digits accumulate in a double, exact far
 * past int4's range, and the range check happens once at the end.
 */
export function parseSmallInteger(text: string, min: number, max: number, name: string): number {
  const span = digitSpan(text);
  if (span === undefined) throw invalidInput(name, text);
  // Eleven digits already exceed int4; stop before a double could round.
  if (span.end - span.start > 11) throw valueOutOfRange(name, text);
  let value = 0;
  for (let i = span.start; i < span.end; i++) value = value * 10 + (text.charCodeAt(i) - 48);
  if (span.negative) value = -value;
  if (value < min || value > max) throw valueOutOfRange(name, text);
  return value === 0 ? 0 : value;
}

export function parseInt8(text: string): bigint {
  const span = digitSpan(text);
  if (span === undefined) throw invalidInput("bigint", text);
  if (span.end - span.start > 20) throw valueOutOfRange("bigint", text);
  if (span.end - span.start <= 15) {
    // Fifteen digits are exact in a double and within int8: no text to parse, no range check.
    let small = 0;
    for (let i = span.start; i < span.end; i++) small = small * 10 + (text.charCodeAt(i) - 48);
    return BigInt(span.negative ? -small : small);
  }
  let value = BigInt(text.slice(span.start, span.end));
  if (span.negative) value = -value;
  if (value < int8Min || value > int8Max) throw valueOutOfRange("bigint", text);
  return value;
}

/** Parses oid text as Postgres's oidin: strtoul semantics, so -1 means 4294967295. */
export function parseOid(text: string, name: string): number {
  const span = digitSpan(text);
  if (span === undefined) throw invalidInput(name, text);
  if (span.end - span.start > 11) throw valueOutOfRange(name, text);
  let value = 0;
  for (let i = span.start; i < span.end; i++) value = value * 10 + (text.charCodeAt(i) - 48);
  if (value > oidMax || (span.negative && value > 2147483648)) throw valueOutOfRange(name, text);
  return span.negative && value !== 0 ? oidMax + 1 - value : value;
}

interface DigitSpan {
  readonly negative: boolean;
  readonly start: number;
  readonly end: number;
}

/** Finds the digits of `[space][sign]digits[space]`, or returns undefined for bad syntax. */
function digitSpan(text: string): DigitSpan | undefined {
  let i = 0;
  const length = text.length;
  while (i < length && isSpaceCode(text.charCodeAt(i))) i++;
  let negative = false;
  const sign = text.charCodeAt(i);
  if (sign === 45 || sign === 43) {
    negative = sign === 45;
    i++;
  }
  const start = i;
  while (i < length && isDigitCode(text.charCodeAt(i))) i++;
  const end = i;
  if (end === start) return undefined;
  while (i < length && isSpaceCode(text.charCodeAt(i))) i++;
  if (i !== length) return undefined;
  // Leading zeros never count against the digit limits: '0000000000001' is 1.
  let first = start;
  while (first < end - 1 && text.charCodeAt(first) === 48) first++;
  return { negative, start: first, end };
}

function isDigitCode(code: number): boolean {
  return code >= 48 && code <= 57;
}

function readExactly<T>(bytes: Uint8Array, read: (r: ByteReader) => T): T {
  const reader = new ByteReader(bytes);
  const value = read(reader);
  reader.end();
  return value;
}
