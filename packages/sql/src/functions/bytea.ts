/**
 * bytea functions (PostgreSQL's varlena.c and mbutils.c): substring and position on bytes,
 * get_byte/set_byte, get_bit/set_bit, trimming, overlay, and the encoding conversions
 * convert_to, convert_from and convert (charset-convert.ts):
 *
 *   convert_to('é', 'UTF8') -> \xc3a9     convert_to('é', 'LATIN1') -> \xe9
 *   convert_from('\x48c3a9', 'UTF8') -> Hé
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Value } from "../types/value.js";
import type { ScalarFunction } from "./defs.js";
import { fn, num, str } from "./builders.js";
import { T } from "./type-oids.js";
import { convertBytes, encodingOf, lengthInEncoding } from "./charset-convert.js";

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
      convertBytes(Buffer.from(str(a[0] ?? ""), "utf8"), "UTF8",
        encodingOf(str(a[1] ?? ""), "destination"))),
    fn("convert_from", [T.bytea, T.name], T.text, (a) =>
      Buffer.from(convertBytes(B(a[0]), encodingOf(str(a[1] ?? ""), "source"), "UTF8"))
        .toString("utf8")),
    fn("convert", [T.bytea, T.name, T.name], T.bytea, (a) =>
      convertBytes(B(a[0]), encodingOf(str(a[1] ?? ""), "source"),
        encodingOf(str(a[2] ?? ""), "destination"))),
    fn("length", [T.bytea, T.name], T.int4, (a) =>
      lengthInEncoding(B(a[0]), encodingOf(str(a[1] ?? ""), "source"))),
    fn("bit_length", [T.bytea], T.int4, (a) => B(a[0]).length * 8),
    fn("bit_count", [T.bytea], T.int8, (a) => BigInt(bitCount(B(a[0])))),
    ...([["btrim", true, true], ["ltrim", true, false], ["rtrim", false, true]] as const).map(
      ([name, left, right]) => fn(name, [T.bytea, T.bytea], T.bytea,
        (a) => byteTrim(B(a[0]), B(a[1]), left, right))),
    fn("overlay", [T.bytea, T.bytea, T.int4, T.int4], T.bytea,
      (a) => byteOverlay(B(a[0]), B(a[1]), num(a[2] ?? 0), num(a[3] ?? 0))),
    fn("overlay", [T.bytea, T.bytea, T.int4], T.bytea,
      (a) => byteOverlay(B(a[0]), B(a[1]), num(a[2] ?? 0), B(a[1]).length)),
  ];
}

function bitCount(bytes: Uint8Array): number {
  let n = 0;
  for (let b of bytes) {
    for (; b !== 0; b &= b - 1) n++;
  }
  return n;
}

/** byteatrim: drops the bytes found in `set` from either end. */
function byteTrim(bytes: Uint8Array, set: Uint8Array, left: boolean, right: boolean):
  Uint8Array {
  const drop = new Set(set);
  let start = 0;
  let end = bytes.length;
  if (left) while (start < end && drop.has(bytes[start]!)) start++;
  if (right) while (end > start && drop.has(bytes[end - 1]!)) end--;
  return bytes.slice(start, end);
}

/** byteaoverlay: the bytes before `start`, the replacement, then those after start+count. */
function byteOverlay(bytes: Uint8Array, replacement: Uint8Array, start: number, count: number):
  Uint8Array {
  if (start <= 0) {
    throw new SqlError(SqlState.substringError, "negative substring length not allowed");
  }
  const head = byteSubstring(bytes, 1, start - 1);
  const tail = byteSubstring(bytes, start + count, null);
  const out = new Uint8Array(head.length + replacement.length + tail.length);
  out.set(head, 0);
  out.set(replacement, head.length);
  out.set(tail, head.length + replacement.length);
  return out;
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
