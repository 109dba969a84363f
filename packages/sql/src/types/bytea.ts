/**
 * bytea: input in hex (`\x4142`, whitespace allowed between byte pairs) or the traditional
 * escape format (`ab\000\\`); output in hex unless bytea_output is 'escape'.
 */
import { SqlError, SqlState } from "@tessera/base";
import { isSpaceCode, type TypeIo } from "./type-io.js";

export const byteaIo: TypeIo = {
  input: (text) => parseBytea(text),
  output: (value, ctx) => ctx.byteaOutput === "escape"
    ? formatByteaEscape(value as Uint8Array)
    : formatByteaHex(value as Uint8Array),
  receive: (bytes) => bytes.slice(),
  send: (value) => value as Uint8Array,
  compare: (a, b) => compareBytes(a as Uint8Array, b as Uint8Array),
  hashKey: (value) => bytesKey(value as Uint8Array),
};

const hexDigits = "0123456789abcdef";

export function formatByteaHex(bytes: Uint8Array): string {
  const parts = new Array<string>(bytes.length + 1);
  parts[0] = "\\x";
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] ?? 0;
    parts[i + 1] = (hexDigits[byte >> 4] ?? "") + (hexDigits[byte & 15] ?? "");
  }
  return parts.join("");
}

export function formatByteaEscape(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) {
    if (byte === 92) out += "\\\\";
    else if (byte < 0x20 || byte > 0x7e) out += "\\" + byte.toString(8).padStart(3, "0");
    else out += String.fromCharCode(byte);
  }
  return out;
}

export function parseBytea(text: string): Uint8Array {
  if (text.length >= 2 && text[0] === "\\" && (text[1] === "x" || text[1] === "X")) {
    return parseHex(text, 2);
  }
  return parseEscape(text);
}

function parseHex(text: string, from: number): Uint8Array {
  const out = new Uint8Array((text.length - from) >> 1);
  let count = 0;
  let i = from;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (isSpaceCode(code)) {
      i++;
      continue;
    }
    const high = hexValue(text, i);
    if (i + 1 >= text.length) {
      throw new SqlError(SqlState.invalidParameterValue,
        "invalid hexadecimal data: odd number of digits");
    }
    const low = hexValue(text, i + 1);
    out[count++] = (high << 4) | low;
    i += 2;
  }
  return out.slice(0, count);
}

function hexValue(text: string, at: number): number {
  const code = text.charCodeAt(at);
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  throw new SqlError(SqlState.invalidParameterValue,
    `invalid hexadecimal digit: "${text.slice(at, at + 1)}"`);
}

function parseEscape(text: string): Uint8Array {
  const encoded = new TextEncoder().encode(text);
  const out = new Uint8Array(encoded.length);
  let count = 0;
  let i = 0;
  while (i < encoded.length) {
    const byte = encoded[i] ?? 0;
    if (byte !== 92) {
      out[count++] = byte;
      i++;
    } else if (encoded[i + 1] === 92) {
      out[count++] = 92;
      i += 2;
    } else if (isOctalTriple(encoded, i + 1)) {
      out[count++] = ((encoded[i + 1] ?? 0) - 48) * 64 + ((encoded[i + 2] ?? 0) - 48) * 8 +
        ((encoded[i + 3] ?? 0) - 48);
      i += 4;
    } else {
      throw new SqlError(SqlState.invalidTextRepresentation, "invalid input syntax for type bytea");
    }
  }
  return out.slice(0, count);
}

function isOctalTriple(bytes: Uint8Array, at: number): boolean {
  const a = bytes[at] ?? 0;
  const b = bytes[at + 1] ?? 0;
  const c = bytes[at + 2] ?? 0;
  return a >= 48 && a <= 51 && b >= 48 && b <= 55 && c >= 48 && c <= 55;
}

/** Orders bytes as memcmp, the shorter first when one is a prefix of the other. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return a.length - b.length;
}

/** Returns a latin1 string of the bytes: one character per byte, so keys are exact. */
export function bytesKey(bytes: Uint8Array): string {
  let out = "";
  const chunk = 8192;
  for (let i = 0; i < bytes.length; i += chunk) {
    out += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return out;
}
