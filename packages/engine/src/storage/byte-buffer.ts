/**
 * Byte writer and reader for the engine's durable formats (WAL operations, checkpoint
 * snapshots): little-endian fixed-width numbers, unsigned varints for lengths and ids, and
 * length-prefixed UTF-8 strings. The reader checks every length against what is left, so a
 * truncated or damaged buffer fails loudly instead of reading past its end.
 */
import { assert } from "@tessera/base";

const encoder = new TextEncoder();
const int64Min = -(2n ** 63n);
const int64End = 2n ** 63n;
const decoder = new TextDecoder("utf-8", { fatal: true });
/**
 * Strings up to this length are checked and copied in JavaScript, longer ones natively. An
 * ASCII string this short has a one-byte varuint length.
 */
const copyStringMax = 32;
const asciiOnly = /^[\x00-\x7f]*$/;
/** `finish` hands over buffers from this size; smaller ones are cheaper to copy. */
const handOverBytesMin = 64 << 10;

export class ByteWriter {
  private bytes: Uint8Array;
  private view: DataView;
  /** `bytes` as a Buffer, for its native Latin-1 copy (made when first needed). */
  private buffer: Buffer | undefined;
  /** `finish` gave `bytes` away: the next write must not touch them. */
  private handedOver = false;
  length = 0;

  /** `capacity`: the bytes to start with (a batch's estimate saves regrowing). */
  constructor(capacity = 256) {
    assert(Number.isSafeInteger(capacity) && capacity > 0, "a writer starts with some room");
    this.bytes = new Uint8Array(capacity);
    this.view = new DataView(this.bytes.buffer);
  }

  /** Makes room for `count` more bytes at once, ahead of a batch of writes. */
  reserve(count: number): void {
    assert(Number.isSafeInteger(count) && count >= 0, "a reservation is a byte count");
    this.room(count);
  }

  /**
   * The bytes written so far, the caller's to keep: a large buffer that is mostly full is
   * handed over as it is, anything else is copied. Either way the writer can go on: after a
   * hand-over its next write first copies what it holds into a buffer of its own, so later
   * writes never show in what was returned.
   */
  finish(): Uint8Array {
    assert(this.length <= this.bytes.length, "the writer stays within its buffer");
    const length = this.length;
    if (length < handOverBytesMin || length < this.bytes.length * 0.75) {
      return this.bytes.slice(0, length);
    }
    this.handedOver = true;
    return this.bytes.subarray(0, length);
  }

  /**
   * The bytes written so far, not copied: valid only until the next write or `truncate`, for
   * a caller that consumes them at once (a checkpoint's chunks, copied into its file buffer).
   */
  peek(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  /** Drops everything after `length` (an earlier `length`). */
  truncate(length: number): void {
    assert(length >= 0 && length <= this.length, "truncation stays within what was written");
    this.length = length;
  }

  u8(value: number): void {
    assert(Number.isInteger(value) && value >= 0 && value < 256, "a byte is 0..255");
    this.room(1);
    this.bytes[this.length++] = value;
  }

  i32(value: number): void {
    assert(Number.isInteger(value), "an i32 is an integer");
    this.room(4);
    this.view.setInt32(this.length, value, true);
    this.length += 4;
  }

  f64(value: number): void {
    this.room(8);
    this.view.setFloat64(this.length, value, true);
    this.length += 8;
  }

  i64(value: bigint): void {
    assert(value >= int64Min && value < int64End, "an i64 is in range");
    this.room(8);
    this.view.setBigInt64(this.length, value, true);
    this.length += 8;
  }

  /** An unsigned integer up to 2^53, seven bits a byte. */
  varuint(value: number): void {
    assert(Number.isSafeInteger(value) && value >= 0, "a varuint is a safe non-negative integer");
    this.room(8);
    const bytes = this.bytes;
    let at = this.length;
    let rest = value;
    while (rest >= 0x80) {
      bytes[at++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    bytes[at++] = rest;
    this.length = at;
  }

  raw(data: Uint8Array): void {
    this.varuint(data.length);
    this.room(data.length);
    this.bytes.set(data, this.length);
    this.length += data.length;
  }

  /**
   * Writes UTF-8 with its length, straight into the buffer. Strings up to `copyStringMax`
   * (nearly every key and number) are copied byte by byte on the guess that they are ASCII,
   * the length written as one byte; the first other character drops back to the general
   * way: ASCII found by a native regular expression is copied natively as Latin-1 (the same
   * bytes), anything else measured first, then encoded in place.
   */
  string(value: string): void {
    const length = value.length;
    if (length <= copyStringMax) {
      this.room(length + 1);
      const bytes = this.bytes;
      const start = this.length;
      let at = start + 1;
      let i = 0;
      for (; i < length; i++) {
        const code = value.charCodeAt(i);
        if (code >= 0x80) break;
        bytes[at++] = code;
      }
      if (i === length) {
        bytes[start] = length;
        this.length = at;
        return;
      }
    }
    if (asciiOnly.test(value)) {
      this.varuint(length);
      this.room(length);
      this.buffer ??= Buffer.from(this.bytes.buffer);
      const written = this.buffer.write(value, this.length, length, "latin1");
      assert(written === length, "ASCII is one byte a character");
      this.length += length;
      return;
    }
    const size = Buffer.byteLength(value, "utf8");
    this.varuint(size);
    this.room(size);
    const written = encoder.encodeInto(value, this.bytes.subarray(this.length)).written;
    assert(written === size, "UTF-8 is as long as measured");
    this.length += size;
  }

  private room(count: number): void {
    if (this.length + count <= this.bytes.length && !this.handedOver) return;
    this.handedOver = false;
    let size = this.bytes.length * 2;
    while (size < this.length + count) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
    this.view = new DataView(next.buffer);
    this.buffer = undefined;
  }
}

export class ByteReader {
  private readonly view: DataView;
  offset = 0;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get done(): boolean {
    return this.offset >= this.bytes.length;
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.offset++]!;
  }

  i32(): number {
    this.need(4);
    const value = this.view.getInt32(this.offset, true);
    this.offset += 4;
    return value;
  }

  f64(): number {
    this.need(8);
    const value = this.view.getFloat64(this.offset, true);
    this.offset += 8;
    return value;
  }

  i64(): bigint {
    this.need(8);
    const value = this.view.getBigInt64(this.offset, true);
    this.offset += 8;
    return value;
  }

  varuint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const byte = this.u8();
      value += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) {
        assert(Number.isSafeInteger(value), "a varuint decodes to a safe integer");
        return value;
      }
      scale *= 0x80;
    }
    assert(false, "a varuint has at most 8 bytes");
    return 0;
  }

  raw(): Uint8Array {
    const length = this.varuint();
    this.need(length);
    const data = this.bytes.slice(this.offset, this.offset + length);
    this.offset += length;
    return data;
  }

  string(): string {
    const length = this.varuint();
    this.need(length);
    const text = decoder.decode(this.bytes.subarray(this.offset, this.offset + length));
    this.offset += length;
    return text;
  }

  private need(count: number): void {
    assert(count >= 0, "a read length is not negative");
    assert(this.offset + count <= this.bytes.length, "a read stays within the buffer");
  }
}
