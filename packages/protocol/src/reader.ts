/**
 * A bounds-checked reader over one message body. It trusts nothing: every read checks what is
 * left, a string must end in NUL inside the body and be valid UTF-8, and `end()` checks that
 * nothing is left over. Every failure is the client's: 08P01 with Postgres's wording
 * (pqformat.c), never an assertion.
 */
import { SqlError, SqlState, assert } from "@tessera/base";

const utf8 = new TextDecoder("utf-8", { fatal: true });

export class MessageReader {
  private offset: number;
  private readonly limit: number;

  /** Reads `body[start, end)`. */
  constructor(private readonly body: Uint8Array, start = 0, end = body.length) {
    assert(start >= 0 && start <= end && end <= body.length, "the span lies in the bytes");
    this.offset = start;
    this.limit = end;
  }

  /** Returns the number of unread bytes. */
  get remaining(): number {
    return this.limit - this.offset;
  }

  uint8(): number {
    this.need(1);
    const value = this.body[this.offset];
    assert(value !== undefined, "need() checked the byte is there");
    this.offset += 1;
    return value;
  }

  /** Reads an unsigned 16-bit count or code, as pq_getmsgint(msg, 2). */
  uint16(): number {
    this.need(2);
    const value = (this.byteAt(0) << 8) | this.byteAt(1);
    this.offset += 2;
    return value;
  }

  /** Reads a signed 16-bit value (format codes). */
  int16(): number {
    const value = this.uint16();
    return value >= 0x8000 ? value - 0x10000 : value;
  }

  int32(): number {
    this.need(4);
    const value = (this.byteAt(0) << 24) | (this.byteAt(1) << 16) | (this.byteAt(2) << 8) |
      this.byteAt(3);
    this.offset += 4;
    return value;
  }

  /** Reads an unsigned 32-bit value (OIDs). */
  uint32(): number {
    return this.int32() >>> 0;
  }

  /** Reads a NUL-terminated UTF-8 string. */
  cstring(): string {
    const nul = this.body.indexOf(0, this.offset);
    if (nul < 0 || nul >= this.limit) throw malformed("invalid string in message");
    const value = nul - this.offset <= shortAsciiBytesMax
      ? shortAscii(this.body, this.offset, nul) ?? decode(this.body.subarray(this.offset, nul))
      : decode(this.body.subarray(this.offset, nul));
    this.offset = nul + 1;
    return value;
  }

  /** Returns a view of the next `count` bytes, without copying. */
  bytes(count: number): Uint8Array {
    assert(count >= 0, "a byte count is not negative");
    this.need(count);
    const value = this.body.subarray(this.offset, this.offset + count);
    this.offset += count;
    return value;
  }

  /** Returns a view of all unread bytes. */
  rest(): Uint8Array {
    return this.bytes(this.remaining);
  }

  /** Checks that the whole body was read, as pq_getmsgend. */
  end(): void {
    if (this.offset !== this.limit) throw malformed("invalid message format");
  }

  private need(count: number): void {
    if (this.limit - this.offset < count) {
      throw malformed("insufficient data left in message");
    }
  }

  private byteAt(index: number): number {
    const value = this.body[this.offset + index];
    assert(value !== undefined, "need() checked the byte is there");
    return value;
  }
}

/** Names of statements and portals are short: up to this length ASCII is decoded in place. */
const shortAsciiBytesMax = 24;

/**
 * Decodes `bytes[start, end)` when they are all ASCII (where UTF-8 is the identity), sparing
 * the decoder's call for the names every Bind and Execute carry; undefined otherwise.
 */
function shortAscii(bytes: Uint8Array, start: number, end: number): string | undefined {
  if (start === end) return "";
  const known = recentName(bytes, start, end);
  if (known !== undefined) return known;
  let value = "";
  for (let i = start; i < end; i++) {
    const byte = bytes[i]!;
    if (byte >= 0x80) return undefined;
    value += String.fromCharCode(byte);
  }
  // A copy: the bytes may be a view of a buffer that is used again.
  rememberName(new Uint8Array(bytes.subarray(start, end)), value);
  return value;
}

/**
 * The last few short names decoded, with their bytes: a session binds the same statement
 * name query after query, and the string it found before (already flat and hashed, as a map
 * key) is returned again instead of being built anew.
 */
const recentNamesMax = 8;
const recentNameBytes: Uint8Array[] = [];
const recentNames: string[] = [];
let recentNameNext = 0;

function recentName(bytes: Uint8Array, start: number, end: number): string | undefined {
  const length = end - start;
  for (let r = 0; r < recentNames.length; r++) {
    const known = recentNameBytes[r]!;
    if (known.length !== length) continue;
    let i = 0;
    while (i < length && known[i] === bytes[start + i]) i++;
    if (i === length) return recentNames[r];
  }
  return undefined;
}

function rememberName(bytes: Uint8Array, name: string): void {
  recentNameBytes[recentNameNext] = bytes;
  recentNames[recentNameNext] = name;
  recentNameNext = (recentNameNext + 1) % recentNamesMax;
}

/** Decodes UTF-8, rejecting invalid sequences instead of replacing them with U+FFFD. */
export function decode(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new SqlError(SqlState.characterNotInRepertoire,
      'invalid byte sequence for encoding "UTF8"', { severity: "FATAL" });
  }
}

/** Returns the protocol violation that a malformed message gets; it ends the connection. */
export function malformed(message: string, detail?: string): SqlError {
  return new SqlError(SqlState.protocolViolation, message, {
    severity: "FATAL",
    ...(detail !== undefined && { detail }),
  });
}
