/**
 * COPY's binary format (Postgres's "PGCOPY" files, copyfromparse.c / copyto.c): an 11-byte
 * signature, a 32-bit flags word and a header extension (length, then bytes, skipped); then
 * one tuple after another, each a 16-bit field count and, per field, a 32-bit length (-1 for
 * NULL) and the value in its type's binary form (typsend / typreceive); a field count of -1
 * ends the data.
 *
 *     PGCOPY\n\377\r\n\0 | flags | ext-length ext… | n | len bytes | len bytes | … | -1
 *
 * `BinaryTupleReader` cuts tuples out of CopyData chunks that may split anything, with
 * Postgres's 22P04 errors for a malformed stream; `binaryRowEncoder` writes tuples.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { FormatContext, Value } from "@tessera/sql";
import { typeFor } from "../catalog/type-io.js";

const signature = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
/** Flag bit 16: the file has OIDs (refused since Postgres 12). */
const withOidsFlag = 1 << 16;

/** The signature, flags 0 and an empty header extension. */
export function binaryHeader(): Buffer {
  const header = Buffer.alloc(signature.length + 8);
  signature.copy(header, 0);
  return header;
}

/** The trailer: a field count of -1. */
export function binaryTrailer(): Buffer {
  return Buffer.from([0xff, 0xff]);
}

function badFormat(message: string): SqlError {
  return new SqlError(SqlState.badCopyFileFormat, message);
}

/** What `BinaryTupleReader.next` found. */
export type BinaryTuple = readonly (Uint8Array | null)[];

/** Cuts a binary COPY stream into tuples of raw fields. */
export class BinaryTupleReader {
  private buffer: Buffer = Buffer.alloc(0);
  private at = 0;
  /** Set once the signature, flags and extension were read. */
  headerRead = false;
  /** Set once the -1 trailer was read. */
  ended = false;
  /** The field whose length or bytes were wrong when `next` threw, else -1 (for CONTEXT). */
  failedField = -1;
  /**
   * The fields cut before `failedField`: Postgres decodes each field as it reads it, so a bad
   * value among them is the error it reports, not the later field's length.
   */
  fieldsBefore: readonly (Uint8Array | null)[] = [];

  constructor(private readonly columnCount: number) {}

  push(chunk: Uint8Array): void {
    if (this.ended) {
      if (chunk.length > 0) throw badFormat("received copy data after EOF marker");
      return;
    }
    const rest = this.buffer.subarray(this.at);
    this.buffer = rest.length === 0 ? Buffer.from(chunk) : Buffer.concat([rest, chunk]);
    this.at = 0;
  }

  /**
   * The next complete tuple; undefined when more bytes are needed (or the data ended). With
   * `final` set the stream is over: a cut tuple or header is an error, as in Postgres.
   */
  next(final: boolean): BinaryTuple | undefined {
    this.failedField = -1;
    if (this.ended) return undefined;
    if (!this.headerRead && !this.readHeader(final)) return undefined;
    const buffer = this.buffer;
    let at = this.at;
    // Fewer than two bytes left at the end is the end of the data, as CopyGetInt16 reads it.
    if (buffer.length - at < 2) return undefined;
    const count = buffer.readInt16BE(at);
    at += 2;
    if (count === -1) {
      this.ended = true;
      this.at = at;
      if (buffer.length > at) throw badFormat("received copy data after EOF marker");
      return undefined;
    }
    if (count !== this.columnCount) {
      throw badFormat(`row field count is ${count}, expected ${this.columnCount}`);
    }
    const fields: (Uint8Array | null)[] = new Array<Uint8Array | null>(count);
    this.fieldsBefore = fields;
    for (let k = 0; k < count; k++) {
      this.failedField = k;
      if (buffer.length - at < 4) return this.cut(final);
      const size = buffer.readInt32BE(at);
      at += 4;
      if (size === -1) {
        fields[k] = null;
        continue;
      }
      if (size < 0) throw badFormat("invalid field size");
      if (buffer.length - at < size) return this.cut(final);
      fields[k] = buffer.subarray(at, at + size);
      at += size;
    }
    this.failedField = -1;
    this.at = at;
    return fields;
  }

  /** A tuple that is not all there: wait for more bytes, or fail at the end of the data. */
  private cut(final: boolean): undefined {
    if (final) throw badFormat("unexpected EOF in COPY data");
    return undefined;
  }

  /** Reads the signature, flags and extension; false when more bytes are needed. */
  private readHeader(final: boolean): boolean {
    const buffer = this.buffer;
    const need = (n: number, message: string): boolean => {
      if (buffer.length >= n) return true;
      if (final) throw badFormat(message);
      return false;
    };
    if (!need(signature.length, "COPY file signature not recognized")) return false;
    if (!buffer.subarray(0, signature.length).equals(signature)) {
      throw badFormat("COPY file signature not recognized");
    }
    if (!need(signature.length + 4, "invalid COPY file header (missing flags)")) return false;
    const flags = buffer.readInt32BE(signature.length);
    if ((flags & withOidsFlag) !== 0) throw badFormat("invalid COPY file header (WITH OIDS)");
    if ((flags & ~withOidsFlag) >>> 16 !== 0) {
      throw badFormat("unrecognized critical flags in COPY file header");
    }
    if (!need(signature.length + 8, "invalid COPY file header (missing length)")) return false;
    const extension = buffer.readInt32BE(signature.length + 4);
    if (extension < 0) throw badFormat("invalid COPY file header (negative length)");
    const end = signature.length + 8 + extension;
    if (!need(end, "invalid COPY file header (wrong length)")) return false;
    this.headerRead = true;
    this.at = end;
    return true;
  }
}

/** The binary input of `type`'s values (typreceive), or a 0A000 naming the type. */
export function binaryReceiver(type: number, typmod: number,
  context: FormatContext): (bytes: Uint8Array) => Value {
  const io = typeFor(type);
  const receive = io.receive;
  if (receive === undefined) {
    throw new SqlError(SqlState.featureNotSupported,
      `binary input of type ${io.name} is not supported`);
  }
  return (bytes) => receive(bytes, typmod, context);
}

/** Encodes rows of values of `types` as binary COPY tuples. */
export function binaryRowEncoder(types: readonly number[],
  context: FormatContext): (row: readonly Value[]) => Buffer {
  const senders = types.map((type) => {
    const io = typeFor(type);
    const send = io.send;
    if (send === undefined) {
      throw new SqlError(SqlState.featureNotSupported,
        `binary output of type ${io.name} is not supported`);
    }
    return send;
  });
  return (row) => {
    const cells: (Uint8Array | null)[] = new Array<Uint8Array | null>(senders.length);
    let size = 2;
    for (let k = 0; k < senders.length; k++) {
      const value = row[k] ?? null;
      const cell = value === null ? null : senders[k]!(value, context);
      cells[k] = cell;
      size += 4 + (cell === null ? 0 : cell.length);
    }
    const out = Buffer.allocUnsafe(size);
    let at = out.writeInt16BE(senders.length, 0);
    for (const cell of cells) {
      if (cell === null) {
        at = out.writeInt32BE(-1, at);
        continue;
      }
      at = out.writeInt32BE(cell.length, at);
      out.set(cell, at);
      at += cell.length;
    }
    return out;
  };
}
