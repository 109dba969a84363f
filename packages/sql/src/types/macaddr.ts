/**
 * macaddr and macaddr8: 6- and 8-byte MAC addresses (PostgreSQL's mac.c and mac8.c).
 *
 * A value is its canonical text, lowercase hex pairs joined by ':' ("08:00:2b:01:02:03"), so
 * code-point order of the text is Postgres's bytewise order and equal values are equal strings.
 *
 *   macaddr  input: the seven sscanf patterns of macaddr_in ("08:00:2b:01:02:03",
 *            "08-00-2b-01-02-03", "08002b:010203", "08002b-010203", "0800.2b01.0203",
 *            "0800-2b01-0203", "08002b010203"), each hex field a C %x (sign, 0x prefix)
 *   macaddr8 input: macaddr8_in's hand parser, 6 or 8 hex pairs with one optional separator
 *            (':' '-' '.') used consistently; 6 bytes become xx:xx:xx:ff:fe:xx:xx:xx
 */
import { SqlError, SqlState } from "@tessera/base";
import { ByteReader } from "./binary.js";
import { invalidInput } from "./errors.js";
import { compareText } from "./text.js";
import { isSpaceCode, type TypeIo } from "./type-io.js";
import type { CastRow } from "./cast-table.js";

/** The two types' OIDs (PostgreSQL 15's pg_type). */
export const MacTypeOid = { macaddr: 829, macaddr8: 774, macaddrArray: 1040,
  macaddr8Array: 775 } as const;

export const macaddrIo: TypeIo = {
  input: (text) => parseMacaddr(text),
  output: (value) => value as string,
  receive: (bytes) => macFromBytes(readAll(bytes, 6)),
  send: (value) => macToBytes(value as string),
  compare: (a, b) => compareText(a as string, b as string),
  equals: (a, b) => a === b,
  hashKey: (value) => value as string,
};

export const macaddr8Io: TypeIo = {
  input: (text) => parseMacaddr8(text),
  output: (value) => value as string,
  receive: (bytes) => macFromBytes(readAll(bytes, 8)),
  send: (value) => macToBytes(value as string),
  compare: (a, b) => compareText(a as string, b as string),
  equals: (a, b) => a === b,
  hashKey: (value) => value as string,
};

function readAll(bytes: Uint8Array, count: number): Uint8Array {
  const reader = new ByteReader(bytes);
  const raw = reader.bytes(count);
  reader.end();
  return raw;
}

/** The canonical text of `bytes` (6 or 8 of them). */
export function macFromBytes(bytes: ArrayLike<number>): string {
  let text = "";
  for (let i = 0; i < bytes.length; i++) {
    text += (i === 0 ? "" : ":") + (bytes[i]! & 0xff).toString(16).padStart(2, "0");
  }
  return text;
}

/** The bytes of a canonical macaddr or macaddr8 text. */
export function macToBytes(value: string): Uint8Array {
  const parts = value.split(":");
  return Uint8Array.from(parts, (part) => parseInt(part, 16));
}

/** One step of a sscanf pattern: a literal character or a %x field of some width (0: any). */
type ScanStep = string | number;

/** macaddr_in's patterns, tried in order; each must convert exactly six fields. */
const macaddrPatterns: readonly (readonly ScanStep[])[] = [
  [0, ":", 0, ":", 0, ":", 0, ":", 0, ":", 0],
  [0, "-", 0, "-", 0, "-", 0, "-", 0, "-", 0],
  [2, 2, 2, ":", 2, 2, 2],
  [2, 2, 2, "-", 2, 2, 2],
  [2, 2, ".", 2, 2, ".", 2, 2],
  [2, 2, "-", 2, 2, "-", 2, 2],
  [2, 2, 2, 2, 2, 2],
];

/** Parses macaddr text as macaddr_in does. */
export function parseMacaddr(text: string): string {
  for (const pattern of macaddrPatterns) {
    const fields = scanHexFields(text, pattern);
    if (fields === undefined) continue;
    if (fields.some((field) => field < 0 || field > 255)) {
      throw new SqlError(SqlState.numericValueOutOfRange,
        `invalid octet value in "macaddr" value: "${text}"`);
    }
    return macFromBytes(fields);
  }
  throw invalidInput("macaddr", text);
}

/**
 * Runs one pattern as sscanf with a trailing "%1s": the fields when all convert and nothing
 * but whitespace follows, else undefined. A field out of int range reads as -1, as the
 * C library's unsigned conversion stored into an int goes negative.
 */
function scanHexFields(text: string, pattern: readonly ScanStep[]): number[] | undefined {
  const fields: number[] = [];
  let pos = 0;
  for (const step of pattern) {
    if (typeof step === "string") {
      if (text[pos] !== step) return undefined;
      pos++;
      continue;
    }
    while (pos < text.length && isSpaceCode(text.charCodeAt(pos))) pos++;
    const field = scanHex(text, pos, step === 0 ? Infinity : step);
    if (field === undefined) return undefined;
    fields.push(field.value);
    pos = field.end;
  }
  while (pos < text.length && isSpaceCode(text.charCodeAt(pos))) pos++;
  return pos === text.length ? fields : undefined;
}

/** C's %x at `pos`: optional sign, optional 0x, hex digits, at most `width` characters. */
function scanHex(text: string, start: number, width: number): { value: number; end: number }
  | undefined {
  let pos = start;
  const limit = Math.min(text.length, start + width);
  let negative = false;
  if (pos < limit && (text[pos] === "+" || text[pos] === "-")) {
    negative = text[pos] === "-";
    pos++;
  }
  if (pos + 2 < limit + 1 && text[pos] === "0" && (text[pos + 1] === "x" ||
    text[pos + 1] === "X") && pos + 2 < limit && isHex(text.charCodeAt(pos + 2))) pos += 2;
  const digitsStart = pos;
  let value = 0;
  while (pos < limit && isHex(text.charCodeAt(pos))) {
    value = value * 16 + parseInt(text[pos]!, 16);
    pos++;
  }
  if (pos === digitsStart) return undefined;
  if (value > 0xffffffff) value = -1;
  else if (negative && value !== 0) value = -1;
  else if (value > 0x7fffffff) value = -1;
  return { value, end: pos };
}

function isHex(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

/** Parses macaddr8 text as macaddr8_in does. */
export function parseMacaddr8(text: string): string {
  const bytes: number[] = [];
  let pos = 0;
  let spacer = "";
  while (pos < text.length && isSpaceCode(text.charCodeAt(pos))) pos++;
  while (pos + 1 < text.length) {
    const high = text.charCodeAt(pos);
    const low = text.charCodeAt(pos + 1);
    if (!isHex(high) || !isHex(low)) throw invalidInput("macaddr8", text);
    bytes.push(parseInt(text.slice(pos, pos + 2), 16));
    pos += 2;
    if (bytes.length > 8) throw invalidInput("macaddr8", text);
    const next = text[pos];
    if (next === ":" || next === "-" || next === ".") {
      if (spacer === "") spacer = next;
      else if (spacer !== next) throw invalidInput("macaddr8", text);
      pos++;
    }
    if ((bytes.length === 6 || bytes.length === 8) && pos < text.length &&
      isSpaceCode(text.charCodeAt(pos))) {
      while (pos < text.length && isSpaceCode(text.charCodeAt(pos))) pos++;
      if (pos < text.length) throw invalidInput("macaddr8", text);
    }
  }
  if (bytes.length === 6) bytes.splice(3, 0, 0xff, 0xfe);
  else if (bytes.length !== 8) throw invalidInput("macaddr8", text);
  return macFromBytes(bytes);
}

/** macaddr to macaddr8: ff:fe goes into the middle. */
export function macaddrToMacaddr8(value: string): string {
  return `${value.slice(0, 8)}:ff:fe${value.slice(8)}`;
}

/** macaddr8 to macaddr: only xx:xx:xx:ff:fe:xx:xx:xx converts (22003 otherwise). */
export function macaddr8ToMacaddr(value: string): string {
  if (value.slice(9, 14) !== "ff:fe") {
    throw new SqlError(SqlState.numericValueOutOfRange,
      "macaddr8 data out of range to convert to macaddr", {
        hint: "Only addresses that have FF and FE as values in the 4th and 5th bytes from the " +
          "left, for example xx:xx:xx:ff:fe:xx:xx:xx, are eligible to be converted from " +
          "macaddr8 to macaddr.",
      });
  }
  return value.slice(0, 8) + value.slice(14);
}

/** The casts between the two (pg_cast: both implicit, by function). */
export const macaddrCastRows: readonly CastRow[] = [
  [MacTypeOid.macaddr, MacTypeOid.macaddr8, "i", "f", (v) => macaddrToMacaddr8(v as string)],
  [MacTypeOid.macaddr8, MacTypeOid.macaddr, "i", "f", (v) => macaddr8ToMacaddr(v as string)],
];
