/**
 * bit and bit varying operators and functions (PostgreSQL docs §9.6): & | # (xor) on strings
 * of equal length, ~, shifts that keep the length, || (a varbit), length, get_bit, set_bit,
 * bit_count, substring. Values are strings of "0"/"1" (`types/bit.ts`).
 *
 *   B'1010' & B'0110' -> 0010      B'1010' << 1 -> 0100      set_bit(B'1010', 1, 1) -> 1110
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Value } from "../types/value.js";
import type { FunctionDef, OperatorDef } from "./defs.js";
import { fn, op } from "./builders.js";
import { T } from "./type-oids.js";

const B = (v: Value): string => v as string;

export function bitOperators(): OperatorDef[] {
  return [
    op("&", T.bit, T.bit, T.bit, (l, r) => bitwise(B(l), B(r), "AND", (a, b) => a & b)),
    op("|", T.bit, T.bit, T.bit, (l, r) => bitwise(B(l), B(r), "OR", (a, b) => a | b)),
    op("#", T.bit, T.bit, T.bit, (l, r) => bitwise(B(l), B(r), "XOR", (a, b) => a ^ b)),
    op("~", 0, T.bit, T.bit, (_l, r) => [...B(r)].map((c) => (c === "1" ? "0" : "1")).join("")),
    op("<<", T.bit, T.int4, T.bit, (l, r) => shiftLeft(B(l), r as number)),
    op(">>", T.bit, T.int4, T.bit, (l, r) => shiftLeft(B(l), -(r as number))),
    op("||", T.varbit, T.varbit, T.varbit, (l, r) => B(l) + B(r)),
  ];
}

export function bitFunctions(): FunctionDef[] {
  const defs: FunctionDef[] = [];
  for (const type of [T.bit, T.varbit]) {
    defs.push(
      fn("length", [type], T.int4, (a) => B(a[0]!).length),
      fn("bit_length", [type], T.int4, (a) => B(a[0]!).length),
      fn("octet_length", [type], T.int4, (a) => Math.ceil(B(a[0]!).length / 8)),
      fn("bit_count", [type], T.int8, (a) => BigInt([...B(a[0]!)].filter((c) => c === "1").length)),
      fn("get_bit", [type, T.int4], T.int4, (a) => Number(B(a[0]!)[bitIndex(B(a[0]!), a[1]!)])),
      fn("set_bit", [type, T.int4, T.int4], type, (a) => setBit(B(a[0]!), a[1]!, a[2]!)),
      fn("substring", [type, T.int4, T.int4], type,
        (a) => substringBits(B(a[0]!), a[1] as number, a[2] as number)),
      fn("substring", [type, T.int4], type,
        (a) => substringBits(B(a[0]!), a[1] as number, null)),
    );
  }
  defs.push(
    fn("position", [T.bit, T.bit], T.int4, (a) => bitPosition(B(a[0]!), B(a[1]!))),
    fn("overlay", [T.bit, T.bit, T.int4, T.int4], T.bit,
      (a) => overlayBits(B(a[0]!), B(a[1]!), a[2] as number, a[3] as number)),
    fn("overlay", [T.bit, T.bit, T.int4], T.bit,
      (a) => overlayBits(B(a[0]!), B(a[1]!), a[2] as number, B(a[1]!).length)),
  );
  return defs;
}

/** position(sub in bits) as bitposition: 1-based, 0 when absent, 1 when `sub` is empty. */
function bitPosition(bits: string, sub: string): number {
  if (sub.length === 0) return 1;
  return bits.indexOf(sub) + 1;
}

/** overlay(bits placing repl from start for count) as bitoverlay. */
function overlayBits(bits: string, repl: string, start: number, count: number): string {
  if (count < 0) {
    throw new SqlError(SqlState.substringError, "negative substring length not allowed");
  }
  return substringBits(bits, 1, start - 1) + repl + substringBits(bits, start + count, null);
}

export function bitwise(l: string, r: string, what: string, f: (a: number, b: number) => number):
  string {
  if (l.length !== r.length) {
    throw new SqlError(SqlState.stringDataLengthMismatch,
      `cannot ${what} bit strings of different sizes`);
  }
  let out = "";
  for (let i = 0; i < l.length; i++) out += String(f(Number(l[i]), Number(r[i])));
  return out;
}

/** Shifts left by `n` (right when negative), filling with zeros and keeping the length. */
function shiftLeft(bits: string, n: number): string {
  const length = bits.length;
  if (n >= length || -n >= length) return "0".repeat(length);
  if (n >= 0) return bits.slice(n) + "0".repeat(n);
  return "0".repeat(-n) + bits.slice(0, length + n);
}

function bitIndex(bits: string, n: Value): number {
  const i = n as number;
  if (i < 0 || i >= bits.length) {
    throw new SqlError(SqlState.arraySubscriptError,
      `bit index ${i} out of valid range (0..${bits.length - 1})`);
  }
  return i;
}

function setBit(bits: string, n: Value, value: Value): string {
  const i = bitIndex(bits, n);
  if (value !== 0 && value !== 1) {
    throw new SqlError(SqlState.invalidParameterValue, "new bit must be 0 or 1");
  }
  return bits.slice(0, i) + String(value) + bits.slice(i + 1);
}

/** SQL substring over bits: 1-based start, a negative length is an error. */
function substringBits(bits: string, start: number, count: number | null): string {
  if (count !== null && count < 0) {
    throw new SqlError(SqlState.substringError, "negative substring length not allowed");
  }
  const from = Math.max(start, 1);
  const end = count === null ? bits.length + 1 : Math.max(start + count, 1);
  return end <= from ? "" : bits.slice(from - 1, end - 1);
}
