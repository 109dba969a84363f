/**
 * Framing: collects socket chunks and cuts them into whole messages.
 *
 * A startup packet is `int32 length, body`; every later message is `type byte, int32 length,
 * body`, and the length counts itself but not the type. Chunks arrive cut anywhere, so the
 * framer keeps a list of them and reads a header across chunk edges. As soon as a header is
 * whole it is judged: an unknown type byte, a length below 4 or past the type's cap is a
 * protocol violation, before any of the body is buffered. A body inside one chunk comes back
 * as a span of that chunk (no view is made until `body` is asked for: the message parser reads
 * the span in place); only a body that spans chunks is copied, once.
 *
 *     chunks: [51 00 00 00 0d 73 65] [6c 65 63 74 20 31 00 53 00 00 ...]
 *              Q  length 13  s  e     l  e  c  t     1  \0 S ...
 *     next(): { type: 0x51, body: "select 1\0" } (copied: it spans two chunks)
 */
import { SqlError, SqlState, assert, limits } from "@tessera/base";
import { invalidType } from "./parse-frontend.js";

/**
 * One whole message: the type byte (0 for a startup packet) and the body after the length,
 * which is `bytes[start, end)`.
 */
export class Frame {
  constructor(readonly type: number, readonly bytes: Uint8Array, readonly start: number,
    readonly end: number) {}

  /** The body as a view of its own. */
  get body(): Uint8Array {
    return this.bytes.subarray(this.start, this.end);
  }
}

/** Returns the cap on a message's length field for a type byte, or undefined if unknown. */
export type MessageBytesMaxOf = (type: number) => number | undefined;

export class Framer {
  private readonly chunks: Buffer[] = [];
  /** Bytes of `chunks[0]` already consumed. */
  private headOffset = 0;
  private bytes = 0;

  /** Returns the number of received bytes not yet returned as frames. */
  get bufferedBytes(): number {
    return this.bytes;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.bytes += chunk.length;
  }

  /**
   * Returns the next whole message, or undefined until more bytes arrive. Throws a FATAL
   * 08P01 `SqlError` for a header that can never be valid.
   */
  next(bytesMaxOf: MessageBytesMaxOf): Frame | undefined {
    if (this.bytes < 5) return undefined;
    const head = this.chunks[0]!;
    const at = this.headOffset;
    // The header mostly lies in the head chunk: read it there without walking the chunks.
    const whole = head.length - at >= 5;
    const type = whole ? head[at]! : this.byteAt(0);
    const bytesMax = bytesMaxOf(type);
    if (bytesMax === undefined) throw invalidType(type);
    const length = whole ? head.readInt32BE(at + 1) : this.int32At(1);
    if (length < 4 || length > bytesMax) throw violation("invalid message length");
    if (this.bytes < 1 + length) return undefined;
    this.skip(5);
    return this.frame(type, length - 4);
  }

  /** Returns the next startup packet (no type byte), or undefined until more bytes arrive. */
  nextStartup(): Frame | undefined {
    if (this.bytes < 4) return undefined;
    const length = this.int32At(0);
    if (length < 8 || length > limits.startupPacketBytesMax) {
      throw violation("invalid length of startup packet");
    }
    if (this.bytes < length) return undefined;
    this.skip(4);
    return this.frame(0, length - 4);
  }

  /** Cuts the next `count` bytes as a frame: a span of the head chunk when they lie in it. */
  private frame(type: number, count: number): Frame {
    const head = this.chunks[0];
    if (head !== undefined && count > 0 && head.length - this.headOffset >= count) {
      const start = this.headOffset;
      this.consume(count);
      return new Frame(type, head, start, start + count);
    }
    const body = this.take(count);
    return new Frame(type, body, 0, body.length);
  }

  private byteAt(index: number): number {
    assert(index < this.bytes, "byteAt() reads only buffered bytes");
    let position = this.headOffset + index;
    for (const chunk of this.chunks) {
      if (position < chunk.length) {
        const value = chunk[position];
        assert(value !== undefined, "the position is inside the chunk");
        return value;
      }
      position -= chunk.length;
    }
    assert(false, "a buffered byte lies in some chunk");
  }

  private int32At(index: number): number {
    return ((this.byteAt(index) << 24) | (this.byteAt(index + 1) << 16) |
      (this.byteAt(index + 2) << 8) | this.byteAt(index + 3));
  }

  /** Drops `count` buffered bytes (a header already read), making no view of them. */
  private skip(count: number): void {
    assert(count <= this.bytes, "skip() only buffered bytes");
    let left = count;
    // Bounded: every pass consumes at least one byte of the head chunk.
    while (left > 0) {
      const head = this.chunks[0];
      assert(head !== undefined, "buffered bytes lie in a chunk");
      const n = Math.min(left, head.length - this.headOffset);
      this.consume(n);
      left -= n;
    }
  }

  /** Removes `count` bytes from the front: a view when they lie in one chunk, else a copy. */
  private take(count: number): Uint8Array {
    assert(count >= 0, "take() a non-negative count");
    assert(count <= this.bytes, "take() only buffered bytes");
    const head = this.chunks[0];
    if (count === 0) return new Uint8Array(0);
    assert(head !== undefined, "buffered bytes lie in a chunk");
    if (head.length - this.headOffset >= count) {
      const view = head.subarray(this.headOffset, this.headOffset + count);
      this.consume(count);
      return view;
    }
    const copy = Buffer.allocUnsafe(count);
    let copied = 0;
    while (copied < count) {
      const chunk = this.chunks[0];
      assert(chunk !== undefined, "the chunks hold the bytes counted");
      const n = Math.min(count - copied, chunk.length - this.headOffset);
      chunk.copy(copy, copied, this.headOffset, this.headOffset + n);
      copied += n;
      this.consume(n);
    }
    return copy;
  }

  /** Advances past `count` bytes of the head chunk, dropping it once it is used up. */
  private consume(count: number): void {
    const head = this.chunks[0];
    assert(head !== undefined && this.headOffset + count <= head.length, "consume in the head");
    this.headOffset += count;
    this.bytes -= count;
    if (this.headOffset === head.length) {
      this.chunks.shift();
      this.headOffset = 0;
    }
  }
}

function violation(message: string): SqlError {
  return new SqlError(SqlState.protocolViolation, message, { severity: "FATAL" });
}
