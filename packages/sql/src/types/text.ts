/**
 * The string types: text, varchar(n), char(n) (bpchar), name, "char", plus unknown and
 * cstring, which behave as text. Lengths count characters (code points), as Postgres does
 * in UTF8, not UTF-16 units. Comparison is the C collation's: UTF-8 byte order, which
 * differs from JavaScript's `<` only when a surrogate pair meets U+E000..U+FFFF.
 *
 *   'abcd'::varchar(3)        -> 22001 value too long for type character varying(3)
 *   'ab  '::varchar(3)        -> 'ab ' (the excess is spaces, so it is cut silently)
 *   'ab'::char(4)             -> 'ab  ' (char(n) pads; comparisons ignore the padding)
 */
import { SqlError, SqlState, limits } from "@tessera/base";
import { utf8Decode, utf8Encode } from "./binary.js";
import type { TypeIo } from "./type-io.js";

export const textIo: TypeIo = {
  input: (text) => text,
  output: (value) => value as string,
  receive: (bytes) => utf8Decode(bytes),
  send: (value) => utf8Encode(value as string),
  compare: (a, b) => compareText(a as string, b as string),
  equals: (a, b) => a === b,
  hashKey: (value) => value as string,
};

export const varcharIo: TypeIo = {
  ...textIo,
  input: (text, typmod) => coerceVarchar(text, typmod, false),
  receive: (bytes, typmod) => coerceVarchar(utf8Decode(bytes), typmod, false),
};

export const bpcharIo: TypeIo = {
  input: (text, typmod) => coerceBpchar(text, typmod, false),
  output: (value) => value as string,
  receive: (bytes, typmod) => coerceBpchar(utf8Decode(bytes), typmod, false),
  send: (value) => utf8Encode(value as string),
  compare: (a, b) => compareBpchar(a as string, b as string),
  hashKey: (value) => trimTrailingSpaces(value as string),
};

export const nameIo: TypeIo = {
  ...textIo,
  input: (text) => truncateName(text),
  receive: (bytes) => truncateName(utf8Decode(bytes)),
};

/** "char": one byte; bytes past ASCII print as \ooo and the zero byte prints as ''. */
export const charIo: TypeIo = {
  input: (text) => parseChar(text),
  output: (value) => formatChar(value as string),
  receive: (bytes) => (bytes.length === 0 ? "" : String.fromCharCode(bytes[0] ?? 0)),
  send: (value) => Uint8Array.of((value as string).charCodeAt(0) || 0),
  compare: (a, b) => compareNumbersOfChar(a as string, b as string),
  equals: (a, b) => a === b,
  hashKey: (value) => value as string,
};

/** Compares strings in UTF-8 byte order without allocating. */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca === cb) continue;
    // A surrogate (a code point above U+FFFF) encodes after U+E000..U+FFFF in UTF-8.
    if (ca >= 0xd800 && cb >= 0xd800) return utf8Rank(ca) - utf8Rank(cb);
    return ca - cb;
  }
  return a.length - b.length;
}

function utf8Rank(code: number): number {
  return code >= 0xd800 && code <= 0xdfff ? code + 0x10000 : code;
}

/** Compares char(n) values ignoring trailing spaces, as bpcharcmp. */
export function compareBpchar(a: string, b: string): number {
  const aLength = trueLength(a);
  const bLength = trueLength(b);
  if (aLength === a.length && bLength === b.length) return compareText(a, b);
  return compareText(a.slice(0, aLength), b.slice(0, bLength));
}

function compareNumbersOfChar(a: string, b: string): number {
  return (a.charCodeAt(0) || 0) - (b.charCodeAt(0) || 0);
}

function trueLength(text: string): number {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 32) end--;
  return end;
}

export function trimTrailingSpaces(text: string): string {
  const end = trueLength(text);
  return end === text.length ? text : text.slice(0, end);
}

/** Counts code points; a surrogate pair is one character. */
export function characterLength(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) count--;
  }
  return count;
}

/** Returns the first `count` characters (code points) of `text`. */
function takeCharacters(text: string, count: number): string {
  let units = 0;
  for (let taken = 0; taken < count && units < text.length; taken++) {
    const code = text.charCodeAt(units);
    units += code >= 0xd800 && code <= 0xdbff ? 2 : 1;
  }
  return text.slice(0, units);
}

/**
 * Applies varchar(n): an explicit cast cuts silently; otherwise only trailing spaces may
 * be cut, and anything else too long is 22001.
 */
export function coerceVarchar(text: string, typmod: number, isExplicit: boolean): string {
  if (typmod < 4) return text;
  const max = typmod - 4;
  if (text.length <= max) return text;
  if (characterLength(text) <= max) return text;
  const kept = takeCharacters(text, max);
  if (!isExplicit && !isAllSpaces(text, kept.length)) {
    throw new SqlError(SqlState.stringDataRightTruncation,
      `value too long for type character varying(${max})`);
  }
  return kept;
}

/** Applies char(n): pads to n characters, or cuts as varchar does. */
export function coerceBpchar(text: string, typmod: number, isExplicit: boolean): string {
  if (typmod < 4) return text;
  const max = typmod - 4;
  const length = characterLength(text);
  if (length === max) return text;
  if (length < max) return text + " ".repeat(max - length);
  const kept = takeCharacters(text, max);
  if (!isExplicit && !isAllSpaces(text, kept.length)) {
    throw new SqlError(SqlState.stringDataRightTruncation,
      `value too long for type character(${max})`);
  }
  return kept;
}

function isAllSpaces(text: string, from: number): boolean {
  for (let i = from; i < text.length; i++) if (text.charCodeAt(i) !== 32) return false;
  return true;
}

/** Cuts a name to NAMEDATALEN - 1 bytes of UTF-8, on a character boundary. */
export function truncateName(text: string): string {
  const max = limits.identifierLengthMax;
  if (text.length <= max / 3) return text;
  const bytes = utf8Encode(text);
  if (bytes.length <= max) return text;
  let end = max;
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return utf8Decode(bytes.subarray(0, end));
}

function parseChar(text: string): string {
  if (text.length === 4 && text[0] === "\\" && /^[0-3][0-7][0-7]$/.test(text.slice(1))) {
    return String.fromCharCode(parseInt(text.slice(1), 8));
  }
  if (text.length === 0) return "";
  const code = text.charCodeAt(0);
  if (code < 128) return text[0] ?? "";
  return String.fromCharCode(utf8Encode(text)[0] ?? 0);
}

function formatChar(value: string): string {
  const code = value.charCodeAt(0) || 0;
  if (code === 0) return "";
  if (code < 128) return value;
  return "\\" + code.toString(8).padStart(3, "0");
}
