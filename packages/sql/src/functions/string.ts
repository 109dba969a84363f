/**
 * String functions (PostgreSQL docs §9.4): length, case, substrings, trimming, padding,
 * splitting and searching. Strings are JavaScript strings and positions count code points, as
 * PostgreSQL counts characters in UTF8; case mapping is ASCII-only, as under the C locale.
 */
import { SqlError } from "@tessera/base";
import type { Value } from "../types/value.js";
import type { ScalarFunction } from "./defs.js";
import { fn, num, str } from "./builders.js";
import { T } from "./type-oids.js";
import { stringFormatFunctions } from "./string-format.js";
import { identFunctions } from "./string-ident.js";

const s0 = (a: Value[]): string => str(a[0] ?? "");
const s1 = (a: Value[]): string => str(a[1] ?? "");
const chars = (s: string): string[] => Array.from(s);

/** Returns the string function table. */
export function stringFunctions(): ScalarFunction[] {
  return [
    ...["length", "char_length", "character_length"].flatMap((name) => [
      fn(name, [T.text], T.int4, (a) => codePointLength(s0(a))),
      fn(name, [T.bpchar], T.int4, (a) => codePointLength(s0(a).replace(/ +$/, ""))),
    ]),
    fn("length", [T.bytea], T.int4, (a) => (a[0] as Uint8Array).length),
    fn("octet_length", [T.text], T.int4, (a) => Buffer.byteLength(s0(a))),
    // bpcharoctetlen counts the padding char(n) stores: 'ab'::char(4) is 4 bytes.
    fn("octet_length", [T.bpchar], T.int4, (a) => Buffer.byteLength(s0(a))),
    fn("octet_length", [T.bytea], T.int4, (a) => (a[0] as Uint8Array).length),
    fn("bit_length", [T.text], T.int4, (a) => Buffer.byteLength(s0(a)) * 8),
    fn("lower", [T.text], T.text, (a) => asciiLower(s0(a))),
    fn("upper", [T.text], T.text, (a) => asciiUpper(s0(a))),
    fn("initcap", [T.text], T.text, (a) => initcap(s0(a))),
    ...["substr", "substring"].flatMap((name) => [
      fn(name, [T.text, T.int4], T.text, (a) => substring(s0(a), num(a[1] ?? 0), undefined)),
      fn(name, [T.text, T.int4, T.int4], T.text, (a) =>
        substring(s0(a), num(a[1] ?? 0), num(a[2] ?? 0)),
      ),
    ]),
    fn("position", [T.text, T.text], T.int4, (a) => strpos(s0(a), s1(a))),
    fn("strpos", [T.text, T.text], T.int4, (a) => strpos(s0(a), s1(a))),
    ...trimFunctions(),
    fn("replace", [T.text, T.text, T.text], T.text, (a) =>
      s1(a) === ""
        ? s0(a)
        : s0(a)
            .split(s1(a))
            .join(str(a[2] ?? "")),
    ),
    fn("split_part", [T.text, T.text, T.int4], T.text, (a) =>
      splitPart(s0(a), s1(a), num(a[2] ?? 0)),
    ),
    fn("left", [T.text, T.int4], T.text, (a) => leftChars(s0(a), num(a[1] ?? 0))),
    fn("right", [T.text, T.int4], T.text, (a) => rightChars(s0(a), num(a[1] ?? 0))),
    fn("lpad", [T.text, T.int4], T.text, (a) => pad(s0(a), num(a[1] ?? 0), " ", true)),
    fn("lpad", [T.text, T.int4, T.text], T.text, (a) =>
      pad(s0(a), num(a[1] ?? 0), str(a[2] ?? ""), true),
    ),
    fn("rpad", [T.text, T.int4], T.text, (a) => pad(s0(a), num(a[1] ?? 0), " ", false)),
    fn("rpad", [T.text, T.int4, T.text], T.text, (a) =>
      pad(s0(a), num(a[1] ?? 0), str(a[2] ?? ""), false),
    ),
    fn("repeat", [T.text, T.int4], T.text, (a) => repeat(s0(a), num(a[1] ?? 0))),
    fn("reverse", [T.text], T.text, (a) => chars(s0(a)).reverse().join("")),
    fn("starts_with", [T.text, T.text], T.bool, (a) => s0(a).startsWith(s1(a))),
    // to_ascii transliterates LATIN1, LATIN2 and WIN1250 only; a UTF8 database always fails.
    fn("to_ascii", [T.text], T.text, () => {
      throw new SqlError("0A000", "encoding conversion from UTF8 to ASCII not supported");
    }),
    fn("ascii", [T.text], T.int4, (a) => s0(a).codePointAt(0) ?? 0),
    fn("chr", [T.int4], T.text, (a) => chr(num(a[0] ?? 0))),
    fn("translate", [T.text, T.text, T.text], T.text, (a) =>
      translate(s0(a), s1(a), str(a[2] ?? "")),
    ),
    fn("overlay", [T.text, T.text, T.int4, T.int4], T.text, (a) =>
      overlay(s0(a), s1(a), num(a[2] ?? 0), num(a[3] ?? 0)),
    ),
    fn("overlay", [T.text, T.text, T.int4], T.text, (a) =>
      overlay(s0(a), s1(a), num(a[2] ?? 0), codePointLength(s1(a))),
    ),
    ...stringFormatFunctions(),
    ...identFunctions(),
  ];
}

export function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}

export function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

export function asciiUpper(s: string): string {
  return s.replace(/[a-z]+/g, (m) => m.toUpperCase());
}

function initcap(s: string): string {
  let out = "";
  let inWord = false;
  for (const ch of s) {
    // asc_initcap under the C locale: only ASCII letters and digits continue a word.
    const alnum = /[A-Za-z0-9]/.test(ch);
    out += inWord ? asciiLower(ch) : asciiUpper(ch);
    inWord = alnum;
  }
  return out;
}

/** substring(s from start for count), with PostgreSQL's clamping of out-of-range starts. */
export function substring(s: string, start: number, count: number | undefined): string {
  if (count !== undefined && count < 0) {
    throw new SqlError("22011", "negative substring length not allowed");
  }
  const cs = chars(s);
  const from = Math.max(start, 1);
  const end = count === undefined ? cs.length + 1 : start + count;
  if (end <= from) return "";
  return cs.slice(from - 1, end - 1).join("");
}

export function strpos(haystack: string, needle: string): number {
  const i = haystack.indexOf(needle);
  return i < 0 ? 0 : codePointLength(haystack.slice(0, i)) + 1;
}

function trimFunctions(): ScalarFunction[] {
  const variants: readonly [string, boolean, boolean][] = [
    ["btrim", true, true],
    ["ltrim", true, false],
    ["rtrim", false, true],
  ];
  return variants.flatMap(([name, left, right]) => [
    fn(name, [T.text], T.text, (a) => trim(s0(a), " ", left, right)),
    fn(name, [T.text, T.text], T.text, (a) => trim(s0(a), s1(a), left, right)),
  ]);
}

export function trim(s: string, set: string, left: boolean, right: boolean): string {
  const drop = new Set(chars(set));
  const cs = chars(s);
  let start = 0;
  let end = cs.length;
  if (left) while (start < end && drop.has(cs[start] ?? "")) start++;
  if (right) while (end > start && drop.has(cs[end - 1] ?? "")) end--;
  return cs.slice(start, end).join("");
}

function splitPart(s: string, delimiter: string, n: number): string {
  if (n === 0) {
    throw new SqlError("22023", "field position must not be zero");
  }
  const parts = delimiter === "" ? [s] : s.split(delimiter);
  const index = n > 0 ? n - 1 : parts.length + n;
  return parts[index] ?? "";
}

function leftChars(s: string, n: number): string {
  const cs = chars(s);
  return (n >= 0 ? cs.slice(0, n) : cs.slice(0, Math.max(0, cs.length + n))).join("");
}

function rightChars(s: string, n: number): string {
  const cs = chars(s);
  return (n >= 0 ? cs.slice(Math.max(0, cs.length - n)) : cs.slice(Math.min(-n, cs.length))).join(
    "",
  );
}

/** The largest text value PostgreSQL allocates (MaxAllocSize less the varlena header). */
const maxTextBytes = 0x3fffffff - 4;

function tooLarge(): SqlError {
  return new SqlError("54000", "requested length too large");
}

/** A result the JavaScript engine cannot hold as a string is refused as too large. */
function checkStringLength(units: number): void {
  if (units > 0x1fffffe8) throw tooLarge();
}

function pad(s: string, length: number, fill: string, left: boolean): string {
  if (length <= 0) return "";
  // lpad/rpad reserve the encoding's longest character (4 bytes in UTF8) per position.
  if (length * 4 > maxTextBytes) throw tooLarge();
  const cs = chars(s);
  if (cs.length >= length) return cs.slice(0, length).join("");
  const fillChars = chars(fill);
  if (fillChars.length === 0) return s;
  const missing = length - cs.length;
  const whole = Math.floor(missing / fillChars.length);
  checkStringLength(s.length + fill.length * (whole + 1));
  const padding = fill.repeat(whole) + fillChars.slice(0, missing % fillChars.length).join("");
  return left ? padding + s : s + padding;
}

function repeat(s: string, count: number): string {
  if (count <= 0 || s === "") return "";
  if (Buffer.byteLength(s) * count > maxTextBytes) throw tooLarge();
  checkStringLength(s.length * count);
  return s.repeat(count);
}

function chr(code: number): string {
  if (code === 0) throw new SqlError("54000", "null character not permitted");
  if (code < 0) throw new SqlError("22023", "character number must be positive");
  if (code > 0x10ffff) {
    throw new SqlError("54000", "requested character too large for encoding: " + code);
  }
  if (code >= 0xd800 && code <= 0xdfff) {
    throw new SqlError("54000", "requested character not valid for encoding: " + code);
  }
  return String.fromCodePoint(code);
}

function translate(s: string, from: string, to: string): string {
  const fromChars = chars(from);
  const toChars = chars(to);
  let out = "";
  for (const ch of s) {
    const i = fromChars.indexOf(ch);
    if (i < 0) out += ch;
    else if (i < toChars.length) out += toChars[i] ?? "";
  }
  return out;
}

function overlay(s: string, replacement: string, start: number, count: number): string {
  if (start <= 0) throw new SqlError("22011", "negative substring length not allowed");
  return substring(s, 1, start - 1) + replacement + substring(s, start + count, undefined);
}
