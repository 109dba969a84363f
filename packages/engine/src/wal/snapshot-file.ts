/**
 * The checkpoint snapshot file format: the engine's opaque chunks, each with its own
 * checksum, between a header and a trailer.
 *
 *     header   8 bytes magic "TSSNAP01", u32 version (1), u32 reserved (0),
 *              u64 checkpoint id, u64 redo LSN, u32 CRC-32C of the 32 bytes before it
 *     chunk    u32 length, u32 CRC-32C of (u32 chunk index, data), data      ... repeated
 *     trailer  u32 0xFFFFFFFF, u32 chunk count, u64 data bytes,
 *              u32 CRC-32C of the whole file before this field
 *
 * A chunk's CRC covers its index, so a chunk moved to another place fails too. Nothing may
 * follow the trailer. `writeSnapshotFile` computes the checksums; `scanSnapshotFile` checks
 * every one of them again (STYLE.md's pairing), and the writer runs it on what it wrote.
 */
import { assert, limits, lsn, SqlError, SqlState, type Lsn } from "@tessera/base";
import { crc32c } from "./crc32c.js";
import type { FileHandle, FileSystem } from "./fs.js";
import { corruptionError } from "./record.js";

const magic = new TextEncoder().encode("TSSNAP01");
const version = 1;
const headerBytes = 36;
const chunkHeaderBytes = 8;
const trailerBytes = 20;
const trailerMarker = 0xffff_ffff;
/** Small chunks are gathered into writes of about this size. */
const writeBytesTarget = 1 << 20;

export interface SnapshotSummary {
  readonly checkpointId: bigint;
  readonly lsnRedo: Lsn;
  readonly chunkCount: number;
  readonly dataBytes: number;
  readonly fileBytes: number;
  readonly fileCrc: number;
}

export type SnapshotSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/** Writes and fsyncs a new snapshot file at `path` (which must not exist). */
export async function writeSnapshotFile(
  fs: FileSystem, path: string, header: { checkpointId: bigint; lsnRedo: Lsn },
  source: SnapshotSource,
): Promise<SnapshotSummary> {
  const file = await fs.open(path, "createNew");
  try {
    const out = new CrcAppender(file);
    await out.add(encodeHeader(header.checkpointId, header.lsnRedo));
    let chunkCount = 0;
    let dataBytes = 0;
    for await (const chunk of source) {
      if (chunk.length > limits.snapshotChunkBytesMax) {
        throw new SqlError(SqlState.programLimitExceeded, "checkpoint snapshot chunk is too large",
          { detail: `A chunk of ${chunk.length} bytes exceeds ${limits.snapshotChunkBytesMax}.` });
      }
      await out.add(encodeChunkHeader(chunkCount, chunk));
      await out.add(chunk);
      chunkCount += 1;
      dataBytes += chunk.length;
    }
    const trailer = encodeTrailer(chunkCount, dataBytes);
    await out.add(trailer.subarray(0, trailerBytes - 4));
    const fileCrc = out.crc;
    new DataView(trailer.buffer).setUint32(trailerBytes - 4, fileCrc, true);
    await out.add(trailer.subarray(trailerBytes - 4), false);
    await out.drain();
    await file.sync();
    return { ...header, chunkCount, dataBytes, fileBytes: out.bytes, fileCrc };
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
  fs: FileSystem, path: string,
): AsyncGenerator<Uint8Array, SnapshotSummary> {
  const corrupt = (detail: string): SqlError =>
    corruptionError(`checkpoint snapshot "${path}" is corrupt`, detail);
  const file = await fs.open(path, "read");
  try {
    const fileBytes = await file.size();
    if (fileBytes < headerBytes + trailerBytes) throw corrupt(`It has only ${fileBytes} bytes.`);
    const header = await file.read(0, headerBytes);
    const { checkpointId, lsnRedo } = decodeHeader(header, corrupt);
    let crc = crc32c(header);
    let offset = headerBytes;
    // Bounded by the file: each round moves `offset` forward or returns or throws.
    for (let index = 0; ; index++) {
      const chunkHeader = await readExactly(file, offset, chunkHeaderBytes, corrupt);
      const view = new DataView(chunkHeader.buffer, chunkHeader.byteOffset, chunkHeaderBytes);
      const length = view.getUint32(0, true);
      if (length === trailerMarker) {
        const trailer = await readExactly(file, offset, trailerBytes, corrupt);
        const summary = checkTrailer(trailer, crc, index, corrupt);
        if (offset + trailerBytes !== fileBytes) throw corrupt("Bytes follow its trailer.");
        return { checkpointId, lsnRedo, ...summary, fileBytes, fileCrc: summary.fileCrc };
      }
      if (length > limits.snapshotChunkBytesMax || offset + length + trailerBytes > fileBytes) {
        throw corrupt(`Chunk ${index} at offset ${offset} claims an impossible ${length} bytes.`);
      }
      const data = await readExactly(file, offset + chunkHeaderBytes, length, corrupt);
      if (view.getUint32(4, true) !== chunkCrc(index, data)) {
        throw corrupt(`Chunk ${index} at offset ${offset} fails its checksum.`);
      }
      crc = crc32c(data, crc32c(chunkHeader, crc));
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
  const scan = scanSnapshotFile(fs, path);
  for (let step = await scan.next(); ; step = await scan.next()) {
    if (step.done === true) return step.value;
  }
}

function encodeHeader(checkpointId: bigint, lsnRedo: Lsn): Uint8Array {
  const bytes = new Uint8Array(headerBytes);
  const view = new DataView(bytes.buffer);
  bytes.set(magic, 0);
  view.setUint32(8, version, true);
  view.setBigUint64(16, checkpointId, true);
  view.setBigUint64(24, lsnRedo, true);
  view.setUint32(32, crc32c(bytes, 0, 0, 32), true);
  return bytes;
}

function decodeHeader(
  bytes: Uint8Array, corrupt: (detail: string) => SqlError,
): { checkpointId: bigint; lsnRedo: Lsn } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, headerBytes);
  if (view.getUint32(32, true) !== crc32c(bytes, 0, 0, 32)) {
    throw corrupt("Its header fails its checksum.");
  }
  if (!magic.every((byte, i) => bytes[i] === byte)) throw corrupt("Its magic is wrong.");
  if (view.getUint32(8, true) !== version) throw corrupt("Its format version is unknown.");
  return { checkpointId: view.getBigUint64(16, true), lsnRedo: lsn(view.getBigUint64(24, true)) };
}

function encodeChunkHeader(index: number, data: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(chunkHeaderBytes);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, data.length, true);
  view.setUint32(4, chunkCrc(index, data), true);
  assert(data.length !== trailerMarker, "a chunk length never looks like the trailer marker");
  return bytes;
}

function chunkCrc(index: number, data: Uint8Array): number {
  assert(Number.isSafeInteger(index) && index >= 0, "a chunk index is a count");
  const indexBytes = new Uint8Array(4);
  new DataView(indexBytes.buffer).setUint32(0, index, true);
  return crc32c(data, crc32c(indexBytes));
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
  trailer: Uint8Array, crcBefore: number, chunkCount: number,
  corrupt: (detail: string) => SqlError,
): { chunkCount: number; dataBytes: number; fileCrc: number } {
  const view = new DataView(trailer.buffer, trailer.byteOffset, trailerBytes);
  const fileCrc = view.getUint32(trailerBytes - 4, true);
  if (fileCrc !== crc32c(trailer, crcBefore, 0, trailerBytes - 4)) {
    throw corrupt("Its whole-file checksum does not match.");
  }
  if (view.getUint32(4, true) !== chunkCount) {
    throw corrupt(`Its trailer counts ${view.getUint32(4, true)} chunks, not ${chunkCount}.`);
  }
  return { chunkCount, dataBytes: Number(view.getBigUint64(8, true)), fileCrc };
}

async function readExactly(
  file: FileHandle, offset: number, length: number, corrupt: (detail: string) => SqlError,
): Promise<Uint8Array> {
  const bytes = await file.read(offset, length);
  if (bytes.length !== length) throw corrupt(`It ends inside the item at offset ${offset}.`);
  return bytes;
}

/**
 * Appends through a staging buffer and keeps the running CRC of everything appended. Data is
 * copied or written before `add` returns, so a source may reuse its chunk buffers.
 */
class CrcAppender {
  crc = 0;
  bytes = 0;
  private readonly staging = new Uint8Array(writeBytesTarget);
  private stagedBytes = 0;

  constructor(private readonly file: FileHandle) {}

  /** Appends `data`; `checksummed` is false only for the trailer's own CRC field. */
  async add(data: Uint8Array, checksummed = true): Promise<void> {
    if (checksummed) this.crc = crc32c(data, this.crc);
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
    await this.file.append(this.staging.slice(0, this.stagedBytes));
    this.stagedBytes = 0;
  }
}
