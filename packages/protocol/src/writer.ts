/**
 * A growable byte buffer that backend messages are serialized into, one after another.
 *
 * Every message starts with `begin(type)`, which reserves the 4-byte length, and ends with
 * `end()`, which fills the length in. The buffer is handed to the socket whole by `take()` and
 * a fresh one starts, so bytes in flight are never overwritten. Cells and strings are copied
 * straight in: serializing a DataRow allocates nothing per cell.
 */
import { assert } from "@tessera/base";

const capacityInitial = 16 * 1024;
/** Up to this size `take` copies (Buffer.allocUnsafe pools allocations below 4 KiB). */
const copyOutBytesMax = 4 * 1024 - 1;

export class Writer {
  private buffer: Buffer = Buffer.allocUnsafe(capacityInitial);
  private offset = 0;
  /** Offset of the current message's type byte, or -1 between messages. */
  private messageStart = -1;

  /** Returns the number of bytes written and not yet taken. */
  get length(): number {
    return this.offset;
  }

  /** Starts a message with a type byte and a length placeholder. */
  begin(type: number): void {
    assert(this.messageStart === -1, "a message begins only after the previous one ended");
    assert(type > 0 && type < 128, "a backend message type is an ASCII letter");
    this.ensure(5);
    this.messageStart = this.offset;
    this.buffer[this.offset] = type;
    this.offset += 5;
  }

  /** Finishes the current message by writing its length (which counts itself, not the type). */
  end(): void {
    assert(this.messageStart >= 0, "end() follows begin()");
    const length = this.offset - this.messageStart - 1;
    assert(length >= 4, "a message length counts at least itself");
    this.buffer.writeInt32BE(length, this.messageStart + 1);
    this.messageStart = -1;
  }

  int8(value: number): void {
    this.ensure(1);
    this.buffer[this.offset] = value & 0xff;
    this.offset += 1;
  }

  int16(value: number): void {
    assert(Number.isInteger(value) && value >= -32768 && value <= 65535, "int16 in range");
    this.ensure(2);
    this.buffer.writeUInt16BE(value & 0xffff, this.offset);
    this.offset += 2;
  }

  int32(value: number): void {
    assert(Number.isInteger(value), "int32 is an integer");
    assert(value >= -2147483648 && value <= 4294967295, "int32 in range");
    this.ensure(4);
    this.buffer.writeUInt32BE(value >>> 0, this.offset);
    this.offset += 4;
  }

  /** Writes a NUL-terminated UTF-8 string; the string itself must hold no NUL. */
  cstring(value: string): void {
    assert(!value.includes("\0"), "a protocol string holds no NUL byte");
    this.ensure(value.length * 3 + 1);
    this.offset += this.buffer.write(value, this.offset, "utf8");
    this.buffer[this.offset] = 0;
    this.offset += 1;
  }

  /** Writes raw bytes with no length prefix. */
  bytes(value: Uint8Array): void {
    this.ensure(value.length);
    this.buffer.set(value, this.offset);
    this.offset += value.length;
  }

  /** Writes an int32 length then the bytes, or -1 for SQL NULL (DataRow and Bind cells). */
  cell(value: Uint8Array | null): void {
    if (value === null) {
      this.int32(-1);
      return;
    }
    this.ensure(4 + value.length);
    this.buffer.writeInt32BE(value.length, this.offset);
    this.buffer.set(value, this.offset + 4);
    this.offset += 4 + value.length;
  }

  /** A copy of the bytes written from offset `start` on; call only between messages. */
  copyFrom(start: number): Uint8Array {
    assert(this.messageStart === -1 && start >= 0 && start <= this.offset,
      "a copied range holds whole messages");
    return new Uint8Array(this.buffer.subarray(start, this.offset));
  }

  /**
   * Hands over the written bytes; call only between messages. A small output (one query's
   * answer) is copied out into Node's pooled small buffers and this buffer is kept for the
   * next; a large one takes the buffer itself and a fresh one starts.
   */
  take(): Buffer {
    assert(this.messageStart === -1, "take() never splits a message");
    if (this.offset <= copyOutBytesMax) {
      const copy = Buffer.allocUnsafe(this.offset);
      this.buffer.copy(copy, 0, 0, this.offset);
      this.offset = 0;
      return copy;
    }
    const taken = this.buffer.subarray(0, this.offset);
    this.buffer = Buffer.allocUnsafe(Math.max(capacityInitial, Math.min(this.offset, 1 << 20)));
    this.offset = 0;
    return taken;
  }

  /** Grows the buffer so that `count` more bytes fit, doubling to keep appends amortized O(1). */
  private ensure(count: number): void {
    const needed = this.offset + count;
    if (needed <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = Buffer.allocUnsafe(capacity);
    this.buffer.copy(grown, 0, 0, this.offset);
    this.buffer = grown;
  }
}
