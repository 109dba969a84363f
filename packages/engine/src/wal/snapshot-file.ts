/**
 * The checkpoint snapshot file format: the engine's opaque chunks, each with its own
 * checksum, between a header and a trailer.
 *
 *     header   8 bytes magic "TSSNAP01", u32 version (2), u32 reserved (0),
 *              u64 checkpoint id, u64 redo LSN, u32 CRC of the 32 bytes before it
 *     chunk    u32 length, u32 CRC of (u32 chunk index, data), data      ... repeated
 *     trailer  u32 0xFFFFFFFF, u32 chunk count, u64 data bytes,
 *              u32 CRC of the whole file before this field
 *
 * The CRC is zlib's CRC-32 from version 2 (native in Node, about five times as fast as the
 * JavaScript CRC-32C: a checkpoint checksums its whole image twice, writing and checking it),
 * CRC-32C in version 1, which is still read. A chunk's CRC covers its index, so a chunk moved
 * to another place fails too. Nothing may follow the trailer. `writeSnapshotFile` computes
 * the checksums; `scanSnapshotFile` checks every one of them again (STYLE.md's pairing), and
 * the writer runs it on what it wrote. Both hash each chunk's data once and derive its chunk
 * CRC and the running file CRC from that (`crc-combine.ts`); a chunk is a bounded step, so
 * writing and checking leave the event loop free between chunks.
 */
import { assert, limits, lsn, SqlError, SqlState, type Lsn } from "@tessera/base";
import * as zlib from "node:zlib";
import { crc32c } from "./crc32c.js";
import { crc32cCombine, crc32Combine, type CrcCombine } from "./crc-combine.js";
import type { FileHandle, FileSystem } from "./fs.js";
import { corruptionError } from "./record.js";

const magic = new TextEncoder().encode("TSSNAP01");
const headerBytes = 36;
const chunkHeaderBytes = 8;
const trailerBytes = 20;
const trailerMarker = 0xffff_ffff;
/** Small chunks are gathered into writes of about this size. */
const writeBytesTarget = 1 << 20;

/** A format version's checksum: the CRC of `data` continuing from `crc`, and its combine. */
interface Checksum {
  readonly version: number;
  crc(data: Uint8Array, crc?: number): number;
  readonly combine: CrcCombine;
}

/** zlib's CRC-32, in Node from 20.15 and 22.2. */
const zlibCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
const checksums: ReadonlyMap<number, Checksum> = new Map([
  [1, { version: 1, crc: (data, crc = 0) => crc32c(data, crc), combine: crc32cCombine }],
  [2, { version: 2, crc: (data, crc = 0) => crcOfVersion2(data, crc), combine: crc32Combine }],
]);
/** The version written: 2 wherever Node has zlib's CRC-32. */
const written: Checksum = checksums.get(zlibCrc32 === undefined ? 1 : 2)!;

function crcOfVersion2(data: Uint8Array, crc: number): number {
  if (zlibCrc32 === undefined) {
    throw new SqlError(SqlState.featureNotSupported,
      "checkpoint snapshots of version 2 need zlib's crc32 (Node 20.15 or later)");
  }
  return zlibCrc32(data, crc);
}

export interface SnapshotSummary {
  readonly checkpointId: bigint;
  readonly lsnRedo: Lsn;
  readonly chunkCount: number;
  readonly dataBytes: number;
  readonly fileBytes: number;
  readonly fileCrc: number;
}

/** What `writeSnapshotFile` wrote, and how long its final fsync took. */
export interface SnapshotWritten extends SnapshotSummary {
  readonly syncMs: number;
}

export type SnapshotSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/**
 * Writes and fsyncs a new snapshot file at `path` (which must not exist). `version` is for
 * tests of the reader: an older format, as an earlier build wrote it.
 */
export async function writeSnapshotFile(
  fs: FileSystem, path: string, header: { checkpointId: bigint; lsnRedo: Lsn },
  source: SnapshotSource, version = written.version,
): Promise<SnapshotWritten> {
  const sum = checksums.get(version);
  assert(sum !== undefined, "a snapshot is written in a known version");
  const file = await fs.open(path, "createNew");
  try {
    const out = new CrcAppender(file, sum);
    await out.add(encodeHeader(header.checkpointId, header.lsnRedo, sum));
    let chunkCount = 0;
    let dataBytes = 0;
    for await (const chunk of source) {
      if (chunk.length > limits.snapshotChunkBytesMax) {
        throw new SqlError(SqlState.programLimitExceeded, "checkpoint snapshot chunk is too large",
          { detail: `A chunk of ${chunk.length} bytes exceeds ${limits.snapshotChunkBytesMax}.` });
      }
      const dataCrc = sum.crc(chunk);
      await out.add(encodeChunkHeader(chunkCount, chunk.length, dataCrc, sum));
      await out.add(chunk, dataCrc);
      chunkCount += 1;
      dataBytes += chunk.length;
    }
    const trailer = encodeTrailer(chunkCount, dataBytes);
    await out.add(trailer.subarray(0, trailerBytes - 4));
    const fileCrc = out.crc;
    new DataView(trailer.buffer).setUint32(trailerBytes - 4, fileCrc, true);
    await out.add(trailer.subarray(trailerBytes - 4), null);
    await out.drain();
    const syncStart = performance.now();
    await file.sync();
    const syncMs = performance.now() - syncStart;
    return { ...header, chunkCount, dataBytes, fileBytes: out.bytes, fileCrc, syncMs };
  } finally {
    await file.close();
  }
}

/**
 * Reads a snapshot front to back, checking the header, every chunk's checksum, the trailer
 * and the whole-file checksum, and yields each chunk's data once it checked out. Returns the
 * summary. Any damage throws XX001 naming the file and the spot.
 */
export async function* scanSnapshotFile(
  fs: FileSystem, path: string, reuse = false,
): AsyncGenerator<Uint8Array, SnapshotSummary> {
  const corrupt = (detail: string): SqlError =>
    corruptionError(`checkpoint snapshot "${path}" is corrupt`, detail);
  const file = await fs.open(path, "read");
  try {
    const fileBytes = await file.size();
    if (fileBytes < headerBytes + trailerBytes) throw corrupt(`It has only ${fileBytes} bytes.`);
    const header = await file.read(0, headerBytes);
    const { checkpointId, lsnRedo, sum } = decodeHeader(header, corrupt);
    let crc = sum.crc(header);
    let offset = headerBytes;
    // With `reuse`, chunks are read into one buffer: each yielded chunk is valid until the next.
    let buffer = reuse ? new Uint8Array(writeBytesTarget) : undefined;
    // Bounded by the file: each round moves `offset` forward or returns or throws.
    for (let index = 0; ; index++) {
      const chunkHeader = await readExactly(file, offset, chunkHeaderBytes, corrupt);
      const view = new DataView(chunkHeader.buffer, chunkHeader.byteOffset, chunkHeaderBytes);
      const length = view.getUint32(0, true);
      if (length === trailerMarker) {
        const trailer = await readExactly(file, offset, trailerBytes, corrupt);
        const summary = checkTrailer(trailer, crc, index, sum, corrupt);
        if (offset + trailerBytes !== fileBytes) throw corrupt("Bytes follow its trailer.");
        return { checkpointId, lsnRedo, ...summary, fileBytes, fileCrc: summary.fileCrc };
      }
      if (length > limits.snapshotChunkBytesMax || offset + length + trailerBytes > fileBytes) {
        throw corrupt(`Chunk ${index} at offset ${offset} claims an impossible ${length} bytes.`);
      }
      if (buffer !== undefined && buffer.length < length) buffer = new Uint8Array(length);
      const data = await readExactly(file, offset + chunkHeaderBytes, length, corrupt, buffer);
      const dataCrc = sum.crc(data);
      if (view.getUint32(4, true) !== chunkCrc(index, dataCrc, length, sum)) {
        throw corrupt(`Chunk ${index} at offset ${offset} fails its checksum.`);
      }
      crc = sum.combine(sum.crc(chunkHeader, crc), dataCrc, length);
      offset += chunkHeaderBytes + length;
      assert(offset <= fileBytes, "a checked chunk lies inside the file");
      yield data;
    }
  } finally {
    await file.close();
  }
}

/** Reads the whole snapshot through `scanSnapshotFile`, keeping nothing, and summarizes it. */
export async function verifySnapshotFile(fs: FileSystem, path: string): Promise<SnapshotSummary> {
  const scan = scanSnapshotFile(fs, path, true);
  for (let step = await scan.next(); ; step = await scan.next()) {
    if (step.done === true) return step.value;
  }
}

function encodeHeader(checkpointId: bigint, lsnRedo: Lsn, sum: Checksum): Uint8Array {
  const bytes = new Uint8Array(headerBytes);
  const view = new DataView(bytes.buffer);
  bytes.set(magic, 0);
  view.setUint32(8, sum.version, true);
  view.setBigUint64(16, checkpointId, true);
  view.setBigUint64(24, lsnRedo, true);
  view.setUint32(32, sum.crc(bytes.subarray(0, 32)), true);
  return bytes;
}

/** The header's fields and its version's checksum, once the header checks out. */
function decodeHeader(
  bytes: Uint8Array, corrupt: (detail: string) => SqlError,
): { checkpointId: bigint; lsnRedo: Lsn; sum: Checksum } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, headerBytes);
  const stored = view.getUint32(32, true);
  const head = bytes.subarray(0, 32);
  const sum = checksums.get(view.getUint32(8, true));
  if (sum === undefined) {
    // Intact under some version's checksum: a version this build does not know; else damage.
    const intact = [...checksums.values()].some((c) => (c.version === 1 || zlibCrc32 !== undefined)
      && c.crc(head) === stored);
    throw corrupt(intact ? "Its format version is unknown." : "Its header fails its checksum.");
  }
  if (sum.crc(head) !== stored) throw corrupt("Its header fails its checksum.");
  if (!magic.every((byte, i) => bytes[i] === byte)) throw corrupt("Its magic is wrong.");
  return { checkpointId: view.getBigUint64(16, true), lsnRedo: lsn(view.getBigUint64(24, true)),
    sum };
}

function encodeChunkHeader(index: number, length: number, dataCrc: number, sum: Checksum):
  Uint8Array {
  const bytes = new Uint8Array(chunkHeaderBytes);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, length, true);
  view.setUint32(4, chunkCrc(index, dataCrc, length, sum), true);
  assert(length !== trailerMarker, "a chunk length never looks like the trailer marker");
  return bytes;
}

/** The CRC of (u32 index, data), from the CRC of the data alone (`dataCrc`) and its length. */
function chunkCrc(index: number, dataCrc: number, length: number, sum: Checksum): number {
  assert(Number.isSafeInteger(index) && index >= 0, "a chunk index is a count");
  const indexBytes = new Uint8Array(4);
  new DataView(indexBytes.buffer).setUint32(0, index, true);
  return sum.combine(sum.crc(indexBytes), dataCrc, length);
}

function encodeTrailer(chunkCount: number, dataBytes: number): Uint8Array {
  const bytes = new Uint8Array(trailerBytes);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, trailerMarker, true);
  view.setUint32(4, chunkCount, true);
  view.setBigUint64(8, BigInt(dataBytes), true);
  return bytes;
}

function checkTrailer(
  trailer: Uint8Array, crcBefore: number, chunkCount: number, sum: Checksum,
  corrupt: (detail: string) => SqlError,
): { chunkCount: number; dataBytes: number; fileCrc: number } {
  const view = new DataView(trailer.buffer, trailer.byteOffset, trailerBytes);
  const fileCrc = view.getUint32(trailerBytes - 4, true);
  if (fileCrc !== sum.crc(trailer.subarray(0, trailerBytes - 4), crcBefore)) {
    throw corrupt("Its whole-file checksum does not match.");
  }
  if (view.getUint32(4, true) !== chunkCount) {
    throw corrupt(`Its trailer counts ${view.getUint32(4, true)} chunks, not ${chunkCount}.`);
  }
  return { chunkCount, dataBytes: Number(view.getBigUint64(8, true)), fileCrc };
}

async function readExactly(
  file: FileHandle, offset: number, length: number, corrupt: (detail: string) => SqlError,
  into?: Uint8Array,
): Promise<Uint8Array> {
  const bytes = await file.read(offset, length, into);
  if (bytes.length !== length) throw corrupt(`It ends inside the item at offset ${offset}.`);
  return bytes;
}

/**
 * Appends through a staging buffer and keeps the running CRC of everything appended. Data is
 * copied or written before `add` returns, so a source may reuse its chunk buffers; the staging
 * buffer itself is written in place (no copy), each write awaited before it is refilled.
 */
class CrcAppender {
  crc = 0;
  bytes = 0;
  private readonly staging = new Uint8Array(writeBytesTarget);
  private stagedBytes = 0;

  constructor(private readonly file: FileHandle, private readonly sum: Checksum) {}

  /**
   * Appends `data`. `dataCrc`: its CRC when the caller has it already, or null only for the
   * trailer's own CRC field, which the file CRC leaves out.
   */
  async add(data: Uint8Array, dataCrc?: number | null): Promise<void> {
    if (dataCrc === undefined) this.crc = this.sum.crc(data, this.crc);
    else if (dataCrc !== null) this.crc = this.sum.combine(this.crc, dataCrc, data.length);
    this.bytes += data.length;
    if (this.stagedBytes + data.length > this.staging.length) await this.drain();
    if (data.length >= this.staging.length) {
      await this.file.append(data);
      return;
    }
    this.staging.set(data, this.stagedBytes);
    this.stagedBytes += data.length;
    assert(this.stagedBytes <= this.staging.length, "staged bytes fit the staging buffer");
  }

  async drain(): Promise<void> {
    if (this.stagedBytes === 0) return;
    await this.file.append(this.staging.subarray(0, this.stagedBytes));
    this.stagedBytes = 0;
  }
}
