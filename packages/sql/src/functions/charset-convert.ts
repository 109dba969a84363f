/**
 * PostgreSQL's pg_convert for convert_to, convert_from, convert and length(bytea, name): the
 * source bytes are verified in their encoding (no NUL, valid UTF8), then converted through
 * UTF8. Conversions exist between UTF8 and each single-byte set of charset-tables.ts; SQL_ASCII
 * on either side means no conversion (a SQL_ASCII source is verified in the destination's
 * encoding); two other encodings have no default conversion function (42883).
 *
 *   convert_to('é', 'LATIN1') -> \xe9      convert_from('\x80', 'WIN1252') -> €
 */
import { SqlError, SqlState } from "@tessera/base";
import { charsetDecodeTable, charsetEncodeTable, otherEncodings, type SingleByteCharset }
  from "./charset-tables.js";

export type Encoding = "UTF8" | "SQL_ASCII" | SingleByteCharset;

const encodingNames: Readonly<Record<string, Encoding>> = {
  utf8: "UTF8", unicode: "UTF8", sqlascii: "SQL_ASCII",
  latin1: "LATIN1", iso88591: "LATIN1", latin9: "LATIN9", iso885915: "LATIN9",
  win1252: "WIN1252", windows1252: "WIN1252",
};

/** Resolves an encoding name as pg_char_to_encoding: case and punctuation do not matter. */
export function encodingOf(name: string, role: "source" | "destination"): Encoding {
  const key = name.toLowerCase().replace(/[^a-z0-9]/g, "");
  const known = encodingNames[key];
  if (known !== undefined) return known;
  const other = otherEncodings[key];
  if (other !== undefined) {
    throw new SqlError(SqlState.featureNotSupported,
      `conversion between ${other} and UTF8 is not supported`);
  }
  throw new SqlError(SqlState.invalidParameterValue, `invalid ${role} encoding name "${name}"`);
}

/**
 * pg_verify_mbstr: no NUL in any encoding, well-formed sequences in UTF8. Returns the number
 * of characters.
 */
function verify(bytes: Uint8Array, encoding: Encoding): number {
  if (encoding !== "UTF8") {
    const nul = bytes.indexOf(0);
    if (nul >= 0) invalidSequence(encoding, 0);
    return bytes.length;
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return invalidSequence("UTF8", firstInvalidUtf8(bytes));
  }
  if (text.includes("\0")) invalidSequence("UTF8", 0);
  return Array.from(text).length;
}

function invalidSequence(encoding: Encoding, byte: number): never {
  throw new SqlError(SqlState.characterNotInRepertoire,
    `invalid byte sequence for encoding "${encoding}": 0x${byte.toString(16).padStart(2, "0")}`);
}

/** length(bytes, encoding): the characters of verified bytes. */
export function lengthInEncoding(bytes: Uint8Array, encoding: Encoding): number {
  return verify(bytes, encoding);
}

/** pg_convert: `bytes` in `source` as bytes in `target`. */
export function convertBytes(bytes: Uint8Array, source: Encoding, target: Encoding): Uint8Array {
  verify(bytes, source);
  if (source === target || target === "SQL_ASCII") return bytes;
  if (source === "SQL_ASCII") {
    verify(bytes, target);
    return bytes;
  }
  if (source !== "UTF8" && target !== "UTF8") {
    throw new SqlError(SqlState.undefinedFunction,
      `default conversion function for encoding "${source}" to "${target}" does not exist`);
  }
  return source === "UTF8" ? fromUtf8(bytes, target as SingleByteCharset)
    : toUtf8(bytes, source as SingleByteCharset);
}

function fromUtf8(bytes: Uint8Array, charset: SingleByteCharset): Uint8Array {
  const table = charsetEncodeTable(charset);
  const out: number[] = [];
  for (const ch of Buffer.from(bytes).toString("utf8")) {
    const byte = table.get(ch.codePointAt(0)!);
    if (byte === undefined) {
      const seq = [...Buffer.from(ch, "utf8")].map((b) => `0x${b.toString(16)}`).join(" ");
      throw new SqlError(SqlState.untranslatableCharacter,
        `character with byte sequence ${seq} in encoding "UTF8" has no equivalent in ` +
        `encoding "${charset}"`);
    }
    out.push(byte);
  }
  return new Uint8Array(out);
}

function toUtf8(bytes: Uint8Array, charset: SingleByteCharset): Uint8Array {
  const table = charsetDecodeTable(charset);
  let out = "";
  for (const byte of bytes) {
    const cp = table[byte]!;
    if (cp < 0) {
      throw new SqlError(SqlState.untranslatableCharacter,
        `character with byte sequence 0x${byte.toString(16)} in encoding "${charset}" has ` +
        "no equivalent in encoding \"UTF8\"");
    }
    out += String.fromCodePoint(cp);
  }
  return new Uint8Array(Buffer.from(out, "utf8"));
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
