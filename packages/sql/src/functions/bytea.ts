/**
 * bytea functions (PostgreSQL's varlena.c and mbutils.c): substring and position on bytes,
 * get_byte/set_byte, get_bit/set_bit, and the encoding conversions convert_to, convert_from
 * and convert between UTF8, LATIN1 and SQL_ASCII:
 *
 *   convert_to('é', 'UTF8') -> \xc3a9     convert_to('é', 'LATIN1') -> \xe9
 *   convert_from('\x48c3a9', 'UTF8') -> Hé
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Value } from "../types/value.js";
import type { ScalarFunction } from "./defs.js";
import { fn, num, str } from "./builders.js";
import { T } from "./type-oids.js";

const B = (v: Value | undefined): Uint8Array => v as Uint8Array;

export function byteaFunctions(): ScalarFunction[] {
  return [
    ...["substring", "substr"].flatMap((name) => [
      fn(name, [T.bytea, T.int4], T.bytea, (a) => byteSubstring(B(a[0]), num(a[1] ?? 1), null)),
      fn(name, [T.bytea, T.int4, T.int4], T.bytea,
        (a) => byteSubstring(B(a[0]), num(a[1] ?? 1), num(a[2] ?? 0))),
    ]),
    fn("position", [T.bytea, T.bytea], T.int4, (a) => bytePosition(B(a[0]), B(a[1]))),
    fn("get_byte", [T.bytea, T.int4], T.int4, (a) => B(a[0])[byteIndex(B(a[0]), a[1])]!),
    fn("set_byte", [T.bytea, T.int4, T.int4], T.bytea, (a) => {
      const copy = B(a[0]).slice();
      copy[byteIndex(copy, a[1])] = num(a[2] ?? 0) & 0xff;
      return copy;
    }),
    fn("get_bit", [T.bytea, T.int8], T.int4, (a) => {
      const bit = bitIndex(B(a[0]), a[1]);
      return (B(a[0])[bit >> 3]! >> (bit & 7)) & 1;
    }),
    fn("set_bit", [T.bytea, T.int8, T.int4], T.bytea, (a) => setBit(B(a[0]), a[1], a[2])),
    fn("convert_to", [T.text, T.name], T.bytea, (a) =>
      encodeText(str(a[0] ?? ""), encodingOf(str(a[1] ?? ""), "destination"))),
    fn("convert_from", [T.bytea, T.name], T.text, (a) =>
      decodeBytes(B(a[0]), encodingOf(str(a[1] ?? ""), "source"))),
    fn("convert", [T.bytea, T.name, T.name], T.bytea, (a) => {
      const source = encodingOf(str(a[1] ?? ""), "source");
      const target = encodingOf(str(a[2] ?? ""), "destination");
      return encodeText(decodeBytes(B(a[0]), source), target);
    }),
    fn("length", [T.bytea, T.name], T.int4, (a) =>
      Array.from(decodeBytes(B(a[0]), encodingOf(str(a[1] ?? ""), "source"))).length),
  ];
}

/** bytea_substr: 1-based start, a start before 1 eats into the count, as for text. */
function byteSubstring(bytes: Uint8Array, start: number, count: number | null): Uint8Array {
  if (count !== null && count < 0) {
    throw new SqlError(SqlState.substringError, "negative substring length not allowed");
  }
  const from = Math.max(start, 1);
  const end = count === null ? bytes.length + 1 : start + count;
  return end <= from ? new Uint8Array(0) : bytes.slice(from - 1, end - 1);
}

function bytePosition(haystack: Uint8Array, needle: Uint8Array): number {
  if (needle.length === 0) return 1;
  return Buffer.from(haystack).indexOf(Buffer.from(needle)) + 1;
}

function byteIndex(bytes: Uint8Array, index: Value | undefined): number {
  const n = num(index ?? 0);
  if (n < 0 || n >= bytes.length) {
    throw new SqlError(SqlState.arraySubscriptError,
      `index ${n} out of valid range, 0..${bytes.length - 1}`);
  }
  return n;
}

function bitIndex(bytes: Uint8Array, index: Value | undefined): number {
  const n = Number(index as bigint);
  if (n < 0 || n >= bytes.length * 8) {
    throw new SqlError(SqlState.arraySubscriptError,
      `index ${n} out of valid range, 0..${bytes.length * 8 - 1}`);
  }
  return n;
}

function setBit(bytes: Uint8Array, index: Value | undefined, value: Value | undefined):
  Uint8Array {
  const bit = bitIndex(bytes, index);
  const v = num(value ?? 0);
  if (v !== 0 && v !== 1) {
    throw new SqlError(SqlState.invalidParameterValue, "new bit must be 0 or 1");
  }
  const copy = bytes.slice();
  copy[bit >> 3] = (copy[bit >> 3]! & ~(1 << (bit & 7))) | (v << (bit & 7));
  return copy;
}

type Encoding = "UTF8" | "LATIN1" | "SQL_ASCII";

/** Resolves an encoding name as pg_char_to_encoding: case and punctuation do not matter. */
function encodingOf(name: string, role: "source" | "destination"): Encoding {
  const key = name.toLowerCase().replace(/[^a-z0-9]/g, "");
  if (key === "utf8" || key === "unicode") return "UTF8";
  if (key === "latin1" || key === "iso88591") return "LATIN1";
  if (key === "sqlascii") return "SQL_ASCII";
  throw new SqlError(SqlState.invalidParameterValue, `invalid ${role} encoding name "${name}"`);
}

function encodeText(text: string, encoding: Encoding): Uint8Array {
  if (encoding !== "LATIN1") return new Uint8Array(Buffer.from(text, "utf8"));
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code > 0xff) {
      const bytes = [...Buffer.from(ch, "utf8")].map((b) => `0x${b.toString(16)}`).join(" ");
      throw new SqlError(SqlState.untranslatableCharacter,
        `character with byte sequence ${bytes} in encoding "UTF8" has no equivalent in ` +
        `encoding "LATIN1"`);
    }
    out.push(code);
  }
  return new Uint8Array(out);
}

function decodeBytes(bytes: Uint8Array, encoding: Encoding): string {
  if (encoding === "LATIN1") return String.fromCharCode(...bytes);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    throw new SqlError(SqlState.characterNotInRepertoire,
      `invalid byte sequence for encoding "UTF8": 0x${bad.toString(16).padStart(2, "0")}`);
  }
}

/** Returns the first byte that starts no valid UTF-8 sequence (for the error message). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3
      : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (length === 0) return b;
    for (let k = 1; k < length; k++) {
      if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return b;
    }
    i += length - 1;
  }
  return bytes[0] ?? 0;
}
