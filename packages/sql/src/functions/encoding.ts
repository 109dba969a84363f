/**
 * encode(bytea, format) and decode(text, format) for PostgreSQL's three binary-to-text
 * formats, with its checks and wording:
 *
 *   hex      pairs of hex digits; whitespace between pairs is skipped
 *   base64   76-character lines on output; on input whitespace is skipped, `=` ends the data
 *            (and what follows still decodes, as PostgreSQL's pg_base64_decode does)
 *   escape   `\\` and `\ooo` escapes for backslash, NUL and bytes >= 0x80
 */
import { SqlError, SqlState } from "@tessera/base";

export function encode(bytes: Uint8Array, format: string): string {
  const b = Buffer.from(bytes);
  switch (format.toLowerCase()) {
    case "hex":
      return b.toString("hex");
    case "base64":
      return (b.toString("base64").match(/.{1,76}/g) ?? []).join("\n");
    case "escape":
      return escapeBytes(bytes);
    default:
      throw unrecognized(format);
  }
}

export function decode(text: string, format: string): Uint8Array {
  switch (format.toLowerCase()) {
    case "hex":
      return hexDecode(text);
    case "base64":
      return base64Decode(text);
    case "escape":
      return unescapeBytes(text);
    default:
      throw unrecognized(format);
  }
}

function unrecognized(format: string): SqlError {
  return new SqlError(SqlState.invalidParameterValue, `unrecognized encoding: "${format}"`);
}

function escapeBytes(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) {
    if (byte === 0x5c) out += "\\\\";
    else if (byte === 0 || byte >= 0x80) out += "\\" + byte.toString(8).padStart(3, "0");
    else out += String.fromCharCode(byte);
  }
  return out;
}

const isSpace = (c: string): boolean => c === " " || c === "\n" || c === "\t" || c === "\r";

function hexDigit(c: string): number {
  if (!/^[0-9a-fA-F]$/.test(c)) {
    throw new SqlError(SqlState.invalidParameterValue, `invalid hexadecimal digit: "${c}"`);
  }
  return parseInt(c, 16);
}

function hexDecode(text: string): Uint8Array {
  const cs = Array.from(text);
  const out: number[] = [];
  for (let i = 0; i < cs.length; ) {
    const c = cs[i++] ?? "";
    if (isSpace(c)) continue;
    const high = hexDigit(c);
    if (i >= cs.length) {
      throw new SqlError(SqlState.invalidParameterValue,
        "invalid hexadecimal data: odd number of digits");
    }
    out.push(high * 16 + hexDigit(cs[i++] ?? ""));
  }
  return new Uint8Array(out);
}

const base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function base64Decode(text: string): Uint8Array {
  const out: number[] = [];
  let buf = 0;
  let pos = 0;
  /** 0 while data lasts; 1 or 2 once `=` came after two or three symbols of a quantum. */
  let end = 0;
  for (const c of text) {
    if (isSpace(c)) continue;
    let b = 0;
    if (c === "=") {
      if (end === 0) {
        if (pos === 2) end = 1;
        else if (pos === 3) end = 2;
        else {
          throw new SqlError(SqlState.invalidParameterValue,
            'unexpected "=" while decoding base64 sequence');
        }
      }
    } else {
      b = base64Alphabet.indexOf(c);
      if (b < 0) {
        throw new SqlError(SqlState.invalidParameterValue,
          `invalid symbol "${c}" found while decoding base64 sequence`);
      }
    }
    buf = (buf << 6) + b;
    if (++pos === 4) {
      out.push((buf >> 16) & 255);
      if (end === 0 || end > 1) out.push((buf >> 8) & 255);
      if (end === 0 || end > 2) out.push(buf & 255);
      buf = 0;
      pos = 0;
    }
  }
  if (pos !== 0) {
    throw new SqlError(SqlState.invalidParameterValue, "invalid base64 end sequence", {
      hint: "Input data is missing padding, is truncated, or is otherwise corrupted.",
    });
  }
  return new Uint8Array(out);
}

function unescapeBytes(text: string): Uint8Array {
  const out: number[] = [];
  const raw = Buffer.from(text, "utf8");
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] ?? 0;
    if (c !== 0x5c) {
      out.push(c);
    } else if (raw[i + 1] === 0x5c) {
      out.push(0x5c);
      i++;
    } else {
      const oct = raw.subarray(i + 1, i + 4).toString();
      if (!/^[0-3][0-7]{2}$/.test(oct)) {
        throw new SqlError(
          SqlState.invalidTextRepresentation,
          "invalid input syntax for type bytea",
        );
      }
      out.push(parseInt(oct, 8));
      i += 3;
    }
  }
  return new Uint8Array(out);
}
