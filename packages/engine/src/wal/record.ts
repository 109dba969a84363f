/**
 * WAL record framing: how one record's bytes look, and how a run of bytes is cut back into
 * records with a verdict on where and why the valid run stops.
 *
 *     offset 0   u32 length   whole record, header included (little-endian, as all fields)
 *            4   u32 crc      CRC-32C of bytes [0,4) and [8,length): header and payload
 *            8   u64 lsn      the record's own LSN: its byte position in the WAL stream
 *           16   u8  kind     1..255, defined by the engine; 0 never appears in a record
 *           17   payload
 *
 * The LSN is the record's position, so a record is valid only where it was written: stale
 * bytes, a zeroed page or a record copied elsewhere all fail the `lsn` check. That is what
 * makes scanning ahead safe. When decoding stops at a bad spot, we look for any valid record
 * further on, at its own position. None means a torn tail (a crash cut the last write short).
 * One means the middle of the log is corrupt, and replay must refuse rather than skip.
 *
 * The scan starts one byte after the bad spot, not after the length the bad record claims:
 * that length may be the damaged field. The price: a payload crafted to hold a fake record
 * at its exact future LSN, torn by a crash, reads as corruption. Recovery then refuses to
 * start, which is the safe side; it never skips a record that was committed.
 */
import { assert, limits, lsn, SqlError, SqlState, type Lsn } from "@tessera/base";
import { crc32c } from "./crc32c.js";

export const recordHeaderBytes = 17;
/** The longest record we accept on append or replay: header plus the payload limit. */
export const recordBytesMax = recordHeaderBytes + limits.walRecordBytesMax;

export interface WalRecord {
  readonly lsn: Lsn;
  /** The LSN just past this record: where the next one starts. */
  readonly lsnNext: Lsn;
  readonly kind: number;
  readonly payload: Uint8Array;
}

/** Why decoding stopped before the end of the buffer, or that it did not. */
export type DecodeStop =
  | { readonly state: "clean" }
  | { readonly state: "tornTail"; readonly offset: number; readonly reason: string }
  | {
    readonly state: "corruptMiddle";
    readonly offset: number;
    readonly reason: string;
    /** Where the first valid record after the bad spot starts. */
    readonly offsetValid: number;
  };

export interface DecodeResult {
  readonly records: WalRecord[];
  /** Bytes of the valid prefix: the offset just past the last good record. */
  readonly offsetEnd: number;
  readonly stop: DecodeStop;
}

/** Makes the XX001 error that recovery and readers raise for damaged files. */
export function corruptionError(message: string, detail: string): SqlError {
  assert(message.length > 0, "a corruption error names what is corrupt");
  assert(detail.length > 0, "a corruption error says why");
  return new SqlError(SqlState.dataCorrupted, message, { detail });
}

/** Frames one record at `lsnRecord`. A payload past the limit is the caller's 54000. */
export function encodeRecord(lsnRecord: Lsn, kind: number, payload: Uint8Array): Uint8Array {
  assert(Number.isInteger(kind), "a record kind is an integer");
  assert(kind >= 1 && kind <= 255, "a record kind is 1..255; 0 is never written");
  if (payload.length > limits.walRecordBytesMax) {
    throw new SqlError(SqlState.programLimitExceeded, "WAL record is too large", {
      detail: `A record payload of ${payload.length} bytes exceeds the limit of `
        + `${limits.walRecordBytesMax} bytes.`,
    });
  }
  const length = recordHeaderBytes + payload.length;
  const bytes = new Uint8Array(length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, length, true);
  view.setBigUint64(8, lsnRecord, true);
  bytes[16] = kind;
  bytes.set(payload, recordHeaderBytes);
  view.setUint32(4, recordCrc(bytes, 0, length), true);
  assert(view.getUint32(0, true) === bytes.length, "an encoded record's length field is its size");
  return bytes;
}

/** Returns the CRC-32C of the record at `offset` of `length` bytes, skipping its crc field. */
function recordCrc(bytes: Uint8Array, offset: number, length: number): number {
  assert(length >= recordHeaderBytes, "a record holds at least its header");
  assert(offset + length <= bytes.length, "a record lies inside its buffer");
  return crc32c(bytes, crc32c(bytes, 0, offset, offset + 4), offset + 8, offset + length);
}

/**
 * Cuts `buffer`, whose first byte sits at `lsnStart`, into records. Stops at the first
 * incomplete, misplaced or checksum-failing record and says whether valid records follow.
 */
export function decodeRecords(buffer: Uint8Array, lsnStart: Lsn): DecodeResult {
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const records: WalRecord[] = [];
  let offset = 0;
  while (offset < buffer.length) {
    const check = checkRecordAt(buffer, view, offset, lsnStart);
    if (!check.ok) {
      const offsetValid = findValidRecord(buffer, view, offset + 1, lsnStart);
      const stop: DecodeStop = offsetValid === undefined
        ? { state: "tornTail", offset, reason: check.reason }
        : { state: "corruptMiddle", offset, reason: check.reason, offsetValid };
      return { records, offsetEnd: offset, stop };
    }
    const at = lsn(lsnStart + BigInt(offset));
    records.push({
      lsn: at,
      lsnNext: lsn(at + BigInt(check.length)),
      kind: buffer[offset + 16]!,
      payload: buffer.subarray(offset + recordHeaderBytes, offset + check.length),
    });
    offset += check.length;
  }
  assert(offset === buffer.length, "clean decoding consumes the whole buffer");
  return { records, offsetEnd: offset, stop: { state: "clean" } };
}

/** The verdict on the bytes at `offset`: a whole record's length, or why not. */
type RecordCheck = { ok: true; length: number } | { ok: false; reason: string };

/** Checks the record at `offset` the same way on every replay: length, place, kind, CRC. */
function checkRecordAt(
  buffer: Uint8Array, view: DataView, offset: number, lsnStart: Lsn,
): RecordCheck {
  assert(offset >= 0 && offset < buffer.length, "a record check starts inside the buffer");
  const remaining = buffer.length - offset;
  if (remaining < recordHeaderBytes) return { ok: false, reason: "incomplete record header" };
  const length = view.getUint32(offset, true);
  if (length < recordHeaderBytes || length > recordBytesMax) {
    return { ok: false, reason: `invalid record length ${length}` };
  }
  const lsnFound = view.getBigUint64(offset + 8, true);
  if (lsnFound !== lsnStart + BigInt(offset)) {
    return { ok: false, reason: `record at the wrong position (it claims LSN ${lsnFound})` };
  }
  if (length > remaining) return { ok: false, reason: "incomplete record" };
  if (buffer[offset + 16] === 0) return { ok: false, reason: "invalid record kind 0" };
  const crcFound = view.getUint32(offset + 4, true);
  if (crcFound !== recordCrc(buffer, offset, length)) {
    return { ok: false, reason: "record checksum mismatch" };
  }
  return { ok: true, length };
}

/**
 * Returns the offset of the first valid record at or after `from`, or undefined. The cheap
 * test of the LSN's low word at each offset rejects almost every spot before the CRC runs.
 */
function findValidRecord(
  buffer: Uint8Array, view: DataView, from: number, lsnStart: Lsn,
): number | undefined {
  assert(from > 0, "a scan ahead starts after the bad spot");
  const lowStart = Number(lsnStart & 0xffff_ffffn);
  for (let offset = from; offset + recordHeaderBytes <= buffer.length; offset++) {
    if (view.getUint32(offset + 8, true) !== ((lowStart + offset) >>> 0)) continue;
    if (checkRecordAt(buffer, view, offset, lsnStart).ok) return offset;
  }
  return undefined;
}
