/**
 * Byte helpers for binary send/receive: a growable big-endian writer and a bounds-checked
 * reader. Every read checks the remaining length, because the bytes come from a client.
 */
import { SqlError, SqlState } from "@tessera/base";
import { invalidBinary } from "./errors.js";

export class ByteWriter {
  private buffer: Uint8Array;
  private view: DataView;
  private length = 0;

  constructor(capacity = 32) {
    this.buffer = new Uint8Array(capacity);
    this.view = new DataView(this.buffer.buffer);
  }

  int8(value: number): this {
    this.reserve(1).setInt8(this.length, value);
    this.length += 1;
    return this;
  }
  int16(value: number): this {
    this.reserve(2).setInt16(this.length, value);
    this.length += 2;
    return this;
  }
  int32(value: number): this {
    this.reserve(4).setInt32(this.length, value);
    this.length += 4;
    return this;
  }
  uint32(value: number): this {
    this.reserve(4).setUint32(this.length, value);
    this.length += 4;
    return this;
  }
  int64(value: bigint): this {
    this.reserve(8).setBigInt64(this.length, value);
    this.length += 8;
    return this;
  }
  float32(value: number): this {
    this.reserve(4).setFloat32(this.length, value);
    this.length += 4;
    return this;
  }
  float64(value: number): this {
    this.reserve(8).setFloat64(this.length, value);
    this.length += 8;
    return this;
  }
  bytes(value: Uint8Array): this {
    this.reserve(value.length);
    this.buffer.set(value, this.length);
    this.length += value.length;
    return this;
  }
  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  private reserve(count: number): DataView {
    if (this.length + count <= this.buffer.length) return this.view;
    const next = new Uint8Array(Math.max(this.buffer.length * 2, this.length + count));
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
    this.view = new DataView(next.buffer);
    return this.view;
  }
}

export class ByteReader {
  private offset = 0;
  private readonly view: DataView;

  constructor(private readonly source: Uint8Array) {
    this.view = new DataView(source.buffer, source.byteOffset, source.byteLength);
  }

  get remaining(): number {
    return this.source.length - this.offset;
  }
  int8(): number {
    this.need(1);
    return this.view.getInt8(this.offset++);
  }
  uint8(): number {
    this.need(1);
    return this.view.getUint8(this.offset++);
  }
  int16(): number {
    const value = this.need(2).getInt16(this.offset);
    this.offset += 2;
    return value;
  }
  uint16(): number {
    const value = this.need(2).getUint16(this.offset);
    this.offset += 2;
    return value;
  }
  int32(): number {
    const value = this.need(4).getInt32(this.offset);
    this.offset += 4;
    return value;
  }
  uint32(): number {
    const value = this.need(4).getUint32(this.offset);
    this.offset += 4;
    return value;
  }
  int64(): bigint {
    const value = this.need(8).getBigInt64(this.offset);
    this.offset += 8;
    return value;
  }
  float32(): number {
    const value = this.need(4).getFloat32(this.offset);
    this.offset += 4;
    return value;
  }
  float64(): number {
    const value = this.need(8).getFloat64(this.offset);
    this.offset += 8;
    return value;
  }
  bytes(count: number): Uint8Array {
    this.need(count);
    const value = this.source.subarray(this.offset, this.offset + count);
    this.offset += count;
    return value;
  }
  /** Fails unless every byte was read, as Postgres's pq_getmsgend does. */
  end(): void {
    if (this.remaining !== 0) throw invalidBinary("incorrect binary data format");
  }

  private need(count: number): DataView {
    if (count < 0 || this.offset + count > this.source.length) {
      throw invalidBinary("insufficient data left in message");
    }
    return this.view;
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Decodes UTF-8, raising 22021 for bad bytes as Postgres's pg_verify_mbstr does. */
export function utf8Decode(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    const message = 'invalid byte sequence for encoding "UTF8"';
    throw new SqlError(SqlState.characterNotInRepertoire, message);
  }
}
