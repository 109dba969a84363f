/**
 * bit(n) and bit varying(n) (PostgreSQL's varbit.c). A value is a string of "0" and "1"
 * characters, one per bit, most significant first: B'1010' is "1010". Text input takes binary
 * digits, or hex digits after an `x` (`X'1F'`, four bits each). Ordering compares bits left to
 * right, a shorter string that is a prefix of a longer one sorting first, which is what
 * Postgres's byte comparison with zero padding amounts to, and plain string order gives.
 *
 * The typmod is the length: bit(n) must match it exactly (an explicit cast pads with zeros or
 * cuts), bit varying(n) may not exceed it (an explicit cast cuts). `bit` alone is bit(1).
 */
import { SqlError, SqlState } from "@tessera/base";
import { compareText } from "./text.js";
import type { TypeIo } from "./type-io.js";
import type { Value } from "./value.js";

/** Postgres's limit on a bit string's length (VARBITMAXLEN for 1 GB). */
const bitLengthMax = 0x7fffffff - 64;

export const bitIo: TypeIo = {
  input: (text, typmod) => coerceBit(parseBits(text), typmod, false, true),
  output: (value) => value as string,
  receive: (bytes, typmod) => coerceBit(receiveBits(bytes), typmod, false, true),
  send: (value) => sendBits(value as string),
  compare: (a, b) => compareText(a as string, b as string),
  equals: (a, b) => a === b,
  hashKey: (value) => value as string,
};

export const varbitIo: TypeIo = {
  ...bitIo,
  input: (text, typmod) => coerceVarbit(parseBits(text), typmod, false),
  receive: (bytes, typmod) => coerceVarbit(receiveBits(bytes), typmod, false),
};

/** bit_send / varbit_send: the length in bits (int32), then the bits, first bit high. */
function sendBits(bits: string): Uint8Array {
  const bytes = new Uint8Array(4 + Math.ceil(bits.length / 8));
  new DataView(bytes.buffer).setInt32(0, bits.length);
  for (let i = 0; i < bits.length; i++) {
    if (bits.charCodeAt(i) === 49) bytes[4 + (i >> 3)]! |= 0x80 >> (i & 7);
  }
  return bytes;
}

/** bit_recv: the bits `sendBits` writes; the pad bits of the last byte must be zero. */
function receiveBits(bytes: Uint8Array): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = bytes.length >= 4 ? view.getInt32(0) : -1;
  if (length < 0 || length > bitLengthMax || bytes.length !== 4 + Math.ceil(length / 8)) {
    throw new SqlError(SqlState.invalidBinaryRepresentation,
      "invalid length in external bit string");
  }
  let bits = "";
  for (let i = 0; i < length; i++) bits += (bytes[4 + (i >> 3)]! & (0x80 >> (i & 7))) ? "1" : "0";
  const pad = length % 8 === 0 ? 0 : bytes[bytes.length - 1]! & (0xff >> (length % 8));
  if (pad !== 0) {
    throw new SqlError(SqlState.invalidBinaryRepresentation,
      "bit string padding is not zero");
  }
  return bits;
}

/** Reads binary digits, or hex digits after x/X (b/B may prefix binary digits). */
export function parseBits(text: string): string {
  let body = text;
  let hex = false;
  if (body.startsWith("b") || body.startsWith("B")) body = body.slice(1);
  else if (body.startsWith("x") || body.startsWith("X")) {
    body = body.slice(1);
    hex = true;
  }
  if (!hex) {
    for (const ch of body) {
      if (ch !== "0" && ch !== "1") throw invalidDigit(ch, "binary");
    }
    return body;
  }
  let bits = "";
  for (const ch of body) {
    const digit = parseInt(ch, 16);
    if (Number.isNaN(digit)) throw invalidDigit(ch, "hexadecimal");
    bits += digit.toString(2).padStart(4, "0");
  }
  return bits;
}

function invalidDigit(ch: string, kind: string): SqlError {
  return new SqlError(SqlState.invalidTextRepresentation,
    `"${ch}" is not a valid ${kind} digit`);
}

/**
 * Applies bit(n)'s typmod: an explicit cast pads with zeros or cuts; anything else must match.
 * On input Postgres's bit_in raises the mismatch; `fromInput` keeps that wording.
 */
export function coerceBit(bits: string, typmod: number, explicit: boolean,
  fromInput = false): string {
  if (typmod <= 0 || bits.length === typmod) return bits;
  if (!explicit || fromInput) {
    throw new SqlError(SqlState.stringDataLengthMismatch,
      `bit string length ${bits.length} does not match type bit(${typmod})`);
  }
  return bits.length > typmod ? bits.slice(0, typmod) : bits.padEnd(typmod, "0");
}

/** Applies bit varying(n)'s typmod: longer strings are cut by an explicit cast, else fail. */
export function coerceVarbit(bits: string, typmod: number, explicit: boolean): string {
  if (typmod <= 0 || bits.length <= typmod) return bits;
  if (!explicit) {
    throw new SqlError(SqlState.stringDataRightTruncation,
      `bit string too long for type bit varying(${typmod})`);
  }
  return bits.slice(0, typmod);
}

/** Returns the low `length` bits of a two's-complement integer, sign-extended (bitfromint8). */
export function bitsFromInt(value: bigint, typmod: number): string {
  const length = typmod <= 0 ? 1 : typmod;
  if (length > bitLengthMax) throw new SqlError(SqlState.programLimitExceeded, "bit too long");
  let bits = "";
  for (let i = length - 1; i >= 0; i--) {
    bits += i >= 64 ? (value < 0n ? "1" : "0") : ((value >> BigInt(i)) & 1n).toString();
  }
  return bits;
}

/** Reads a bit string as a signed integer of `width` bits (bittoint4, bittoint8). */
export function bitsToInt(bits: string, width: 32 | 64): bigint {
  if (bits.length > width) {
    throw new SqlError(SqlState.numericValueOutOfRange,
      width === 32 ? "integer out of range" : "bigint out of range");
  }
  if (bits.length === 0) return 0n;
  return BigInt.asIntN(width, BigInt(`0b${bits}`));
}

/** The value shape of bit strings, for callers that narrow a Value. */
export function asBits(value: Value): string {
  return value as string;
}
