import { test } from "node:test";
import assert from "node:assert/strict";
import { lsn, silentLogger, SqlError, SqlState, type Logger, type Lsn } from "@tessera/base";
import { writeCheckpoint } from "./checkpoint.js";
import { MemoryFileSystem } from "./memory-fs.js";
import { recordHeaderBytes } from "./record.js";
import { recover } from "./recovery.js";
import { listSegments, segmentName } from "./segments.js";
import { collect, idOf, payloadFor } from "./testing.js";
import { readWal } from "./wal-reader.js";
import { WalWriter } from "./wal-writer.js";

const dir = "/db";
const recordBytes = recordHeaderBytes + 4 + 40;
const isCorrupt = (pattern: RegExp) => (error: unknown): boolean =>
  error instanceof SqlError && error.code === SqlState.dataCorrupted && pattern.test(error.message);

/** Writes `count` flushed records of `recordBytes` bytes, `perSegment` to a segment. */
async function logOf(count: number, perSegment = 1000): Promise<MemoryFileSystem> {
  const fs = new MemoryFileSystem();
  const wal = await WalWriter.open({
    fs, dir, lsnStart: lsn(0n), segmentBytes: perSegment * recordBytes,
  });
  for (let id = 0; id < count; id++) wal.append(1, payloadFor(id, 40));
  await wal.close();
  return fs;
}

async function flipByte(fs: MemoryFileSystem, path: string, at: number): Promise<void> {
  const file = await fs.open(path, "readWrite");
  const [byte] = await file.read(at, 1);
  await file.write(at, Uint8Array.of(byte! ^ 0x40));
  await file.close();
}

async function replayedIds(fs: MemoryFileSystem): Promise<number[]> {
  return (await collect((await recover(fs, dir)).records)).map((r) => idOf(r.payload));
}

const segmentPath = (lsnStart: number): string =>
  `${dir}/wal/${segmentName(lsn(BigInt(lsnStart)))}`;

test("a damaged last record is a torn tail: logged, cut off, and appends go on", async () => {
  const fs = await logOf(5);
  await flipByte(fs, segmentPath(0), 4 * recordBytes + 30);
  const warnings: string[] = [];
  const logger = silentLoggerWith(warnings);
  const recovery = await recover(fs, dir, { logger });
  assert.equal(recovery.tornTail?.lsn, BigInt(4 * recordBytes));
  assert.equal(recovery.tornTail?.reason, "record checksum mismatch");
  assert.equal(warnings.length, 1);
  assert.equal((await fs.readFile(segmentPath(0))).length, 4 * recordBytes, "truncated");
  assert.deepEqual((await collect(recovery.records)).map((r) => idOf(r.payload)), [0, 1, 2, 3]);
  const wal = await WalWriter.open({ fs, dir, lsnStart: recovery.lsnEnd });
  await wal.flush(wal.append(1, payloadFor(9, 40)));
  await wal.close();
  assert.deepEqual(await replayedIds(fs), [0, 1, 2, 3, 9]);
  assert.equal((await recover(fs, dir)).tornTail, null);
});

test("a damaged record with valid records after it is refused, never skipped", async () => {
  const fs = await logOf(5);
  await flipByte(fs, segmentPath(0), 2 * recordBytes + 20);
  await assert.rejects(recover(fs, dir), isCorrupt(/invalid record in the middle/));
  assert.equal((await fs.readFile(segmentPath(0))).length, 5 * recordBytes, "nothing truncated");
});

test("damage in a segment that has a successor is refused, even at its end", async () => {
  const fs = await logOf(6, 3);
  assert.equal((await listSegments(fs, dir)).length, 2);
  await flipByte(fs, segmentPath(0), 3 * recordBytes - 1);
  await assert.rejects(recover(fs, dir), isCorrupt(/invalid record in WAL segment/));
});

test("a missing segment or a gap between segments is refused", async () => {
  const fs = await logOf(9, 3);
  await fs.unlink(segmentPath(3 * recordBytes));
  await assert.rejects(recover(fs, dir), isCorrupt(/does not end where the next starts/));
  const first = await logOf(9, 3);
  await first.unlink(segmentPath(0));
  await assert.rejects(recover(first, dir), isCorrupt(/holding LSN 0 is missing/));
});

test("a log shorter than the checkpoint's redo point is refused", async () => {
  const fs = await logOf(3);
  await writeCheckpoint(fs, dir, [], lsn(BigInt(3 * recordBytes)));
  const file = await fs.open(segmentPath(0), "readWrite");
  await file.truncate(2 * recordBytes);
  await file.close();
  await assert.rejects(recover(fs, dir), isCorrupt(/before the redo point/));
});

test("a redo point inside a record is refused", async () => {
  const fs = await logOf(3);
  await writeCheckpoint(fs, dir, [], lsn(BigInt(recordBytes + 5)));
  await assert.rejects(recover(fs, dir), isCorrupt(/not at a WAL record boundary/));
});

test("segments left before the redo point are ignored, even if damaged", async () => {
  const fs = await logOf(9, 3);
  const lsnRedo = lsn(BigInt(6 * recordBytes));
  const keepAll = [...await listSegments(fs, dir)];
  await writeCheckpoint(fs, dir, [], lsnRedo);
  assert.equal((await listSegments(fs, dir)).length, 1);
  for (const segment of keepAll.slice(0, 2)) {
    const file = await fs.open(segment.path, "createNew");
    await file.append(new Uint8Array(50).fill(7));
    await file.close();
  }
  assert.deepEqual(await replayedIds(fs), [6, 7, 8]);
});

test("readWal streams a range and refuses one that runs past the log", async () => {
  const fs = await logOf(10, 4);
  const at = (id: number): Lsn => lsn(BigInt(id * recordBytes));
  const ids = async (from: number, to: number): Promise<number[]> =>
    (await collect(readWal(fs, dir, { lsnFrom: at(from), lsnTo: at(to) })))
      .map((r) => idOf(r.payload));
  assert.deepEqual(await ids(3, 9), [3, 4, 5, 6, 7, 8]);
  assert.deepEqual(await ids(0, 10), [...Array(10).keys()]);
  assert.deepEqual(await ids(5, 5), []);
  await assert.rejects(ids(2, 11), isCorrupt(/WAL ends at LSN/));
  await assert.rejects(collect(readWal(fs, dir, { lsnFrom: lsn(3n), lsnTo: at(4) })),
    isCorrupt(/no record at LSN 3/));
});

test("recovery of an empty directory starts a new log at LSN 0", async () => {
  const fs = new MemoryFileSystem();
  const recovery = await recover(fs, dir);
  assert.equal(recovery.checkpoint, null);
  assert.equal(recovery.lsnEnd, 0n);
  assert.deepEqual(await collect(recovery.records), []);
});

/** A pino-shaped logger that records warning messages; enough for `recover`. */
function silentLoggerWith(warnings: string[]): Logger {
  const logger = silentLogger();
  logger.warn = ((...args: unknown[]) => {
    warnings.push(String(args.at(-1)));
  }) as typeof logger.warn;
  return logger;
}
