/**
 * uuid: 32 hex digits, optionally in braces, with a hyphen allowed after any group of four
 * digits (uuid_in); stored and printed as lowercase 8-4-4-4-12. Lowercase canonical text
 * sorts exactly as Postgres's memcmp of the 16 bytes.
 */
import { ByteReader } from "./binary.js";
import { invalidInput } from "./errors.js";
import { compareText } from "./text.js";
import type { TypeIo } from "./type-io.js";

export const uuidIo: TypeIo = {
  input: (text) => parseUuid(text),
  output: (value) => value as string,
  receive(bytes) {
    const reader = new ByteReader(bytes);
    const raw = reader.bytes(16);
    reader.end();
    return uuidFromBytes(raw);
  },
  send: (value) => uuidToBytes(value as string),
  compare: (a, b) => compareText(a as string, b as string),
  equals: (a, b) => a === b,
  hashKey: (value) => value as string,
};

export function parseUuid(text: string): string {
  let i = 0;
  const braced = text.charCodeAt(0) === 123;
  if (braced) i++;
  let hex = "";
  while (hex.length < 32) {
    const pair = text.slice(i, i + 2);
    if (!/^[0-9a-fA-F]{2}$/.test(pair)) throw invalidInput("uuid", text);
    hex += pair;
    i += 2;
    if (text[i] === "-" && hex.length % 4 === 0 && hex.length < 32) i++;
  }
  if (braced) {
    if (text[i] !== "}") throw invalidInput("uuid", text);
    i++;
  }
  if (i !== text.length) throw invalidInput("uuid", text);
  const lower = hex.toLowerCase();
  return `${lower.slice(0, 8)}-${lower.slice(8, 12)}-${lower.slice(12, 16)}-` +
    `${lower.slice(16, 20)}-${lower.slice(20)}`;
}

export function uuidToBytes(value: string): Uint8Array {
  const hex = value.replace(/-/g, "");
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function uuidFromBytes(bytes: Uint8Array): string {
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-` +
    hex.slice(20);
}
