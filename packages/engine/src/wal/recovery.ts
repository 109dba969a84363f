/**
 * Recovery: what start-up does before the engine takes writes. It loads the current
 * checkpoint (every checksum checked), then validates the WAL from the checkpoint's redo LSN
 * to its end, and hands back the snapshot, the records to replay and the LSN where the
 * writer continues.
 *
 *     const r = await recover(fs, dir, { logger });
 *     if (r.checkpoint !== null) for await (const chunk of r.checkpoint.chunks()) load(chunk);
 *     for await (const record of r.records) redo(record);
 *     const wal = await WalWriter.open({ fs, dir, lsnStart: r.lsnEnd });
 *
 * The rules, in the order recovery applies them:
 * - a corrupt control file or snapshot is refused (XX001), never skipped;
 * - every segment but the last must decode cleanly and end exactly where the next starts,
 *   because the writer fsyncs a segment whole before it creates the next;
 * - in the last segment, a bad record with nothing valid after it is a torn tail: a crash
 *   cut the last write short, and no record there was ever acknowledged. It is logged and
 *   the segment truncated to the last good record, so new appends start cleanly;
 * - zeros alone after the last record are the writer's preallocated space (`wal-writer.ts`),
 *   not a torn record: the segment is cut back to its records without a warning;
 * - a bad record with a valid record after it is a corrupt middle: acknowledged records may
 *   be damaged, so recovery refuses (XX001) rather than lose or skip them;
 * - the log must reach the redo LSN, and the redo LSN must start a record.
 *
 * Validation runs in full before `recover` returns, so nothing is replayed from a log that
 * turns out to be corrupt further on. Replay then re-reads the segments (one in memory at a
 * time) and checks each record again.
 */
import { assert, lsn, silentLogger, type Logger, type Lsn } from "@tessera/base";
import { readCheckpoint, type Checkpoint } from "./checkpoint.js";
import type { FileSystem } from "./fs.js";
import { corruptionError, decodeRecords, type WalRecord } from "./record.js";
import { listSegments, type Segment } from "./segments.js";
import { readWal } from "./wal-reader.js";

export interface RecoverOptions {
  logger?: Logger;
}

/** What a torn tail looked like before recovery cut it off. */
export interface TornTail {
  readonly segment: string;
  /** The LSN of the first bad byte: where the log now ends. */
  readonly lsn: Lsn;
  readonly bytesDiscarded: number;
  readonly reason: string;
}

export interface Recovery {
  readonly checkpoint: Checkpoint | null;
  /** Replay starts here: the checkpoint's redo LSN, or 0 without a checkpoint. */
  readonly lsnRedo: Lsn;
  /** The end of the valid log: open the writer here. */
  readonly lsnEnd: Lsn;
  readonly tornTail: TornTail | null;
  /** The records of [lsnRedo, lsnEnd) in order, checked again as they are read. */
  readonly records: AsyncIterable<WalRecord>;
}

export async function recover(
  fs: FileSystem, dir: string, options: RecoverOptions = {},
): Promise<Recovery> {
  const logger = options.logger ?? silentLogger();
  const checkpoint = await readCheckpoint(fs, dir);
  const lsnRedo = checkpoint?.lsnRedo ?? lsn(0n);
  const segments = segmentsFromRedo(await listSegments(fs, dir), lsnRedo);
  let lsnEnd = lsnRedo;
  let tornTail: TornTail | null = null;
  for (let i = 0; i < segments.length; i++) {
    const next = segments[i + 1];
    const checked = await checkSegment(fs, segments[i]!, next, lsnRedo);
    lsnEnd = checked.lsnEnd;
    if (checked.tornTail !== null) {
      assert(next === undefined, "only the last segment may end torn");
      tornTail = checked.tornTail;
      logger.warn({ ...tornTail, lsn: String(tornTail.lsn) },
        "WAL ends with a torn record; the segment is truncated after the last valid record");
    }
  }
  if (lsnEnd < lsnRedo) {
    throw corruptionError(`WAL ends at LSN ${lsnEnd}, before the redo point ${lsnRedo}`,
      "The checkpoint needs records that are not in the log.");
  }
  logger.info({ lsnRedo: String(lsnRedo), lsnEnd: String(lsnEnd), segments: segments.length },
    "WAL validated for recovery");
  const range = { lsnFrom: lsnRedo, lsnTo: lsnEnd };
  return {
    checkpoint, lsnRedo, lsnEnd, tornTail,
    records: { [Symbol.asyncIterator]: () => readWal(fs, dir, range) },
  };
}

/**
 * Returns the segments from the one holding `lsnRedo` on. Older ones are leftovers of a
 * checkpoint that crashed before removing them; the next checkpoint removes them.
 */
function segmentsFromRedo(segments: Segment[], lsnRedo: Lsn): Segment[] {
  if (segments.length === 0) {
    if (lsnRedo === 0n) return [];
    throw corruptionError("WAL segments are missing",
      `The checkpoint's redo point is LSN ${lsnRedo}, but the WAL directory is empty.`);
  }
  let first = 0;
  while (first + 1 < segments.length && segments[first + 1]!.lsnStart <= lsnRedo) first += 1;
  const head = segments[first]!;
  if (head.lsnStart > lsnRedo) {
    throw corruptionError(`WAL segment holding LSN ${lsnRedo} is missing`,
      `The first segment is "${head.name}".`);
  }
  assert(first < segments.length, "the segment holding the redo point exists");
  return segments.slice(first);
}

interface SegmentCheck {
  readonly lsnEnd: Lsn;
  readonly tornTail: TornTail | null;
}

/** Validates one segment by the rules above; truncates a torn tail of the last segment. */
async function checkSegment(
  fs: FileSystem, segment: Segment, next: Segment | undefined, lsnRedo: Lsn,
): Promise<SegmentCheck> {
  const bytes = await fs.readFile(segment.path);
  const decoded = decodeRecords(bytes, segment.lsnStart);
  const stop = decoded.stop;
  const lsnEnd = lsn(segment.lsnStart + BigInt(decoded.offsetEnd));
  const where = `WAL segment "${segment.name}" at offset ${"offset" in stop ? stop.offset : 0}`;
  if (stop.state === "corruptMiddle") {
    throw corruptionError(`invalid record in the middle of ${where}`,
      `${stop.reason}; a valid record follows at offset ${stop.offsetValid}, so records `
        + "after the damage may have been committed.");
  }
  if (next !== undefined && stop.state === "tornTail") {
    throw corruptionError(`invalid record in ${where}`,
      `${stop.reason}; segment "${next.name}" follows, so this segment was complete.`);
  }
  if (next !== undefined && lsnEnd !== next.lsnStart) {
    throw corruptionError(`WAL segment "${segment.name}" does not end where the next starts`,
      `It ends at LSN ${lsnEnd}; segment "${next.name}" starts at ${next.lsnStart}.`);
  }
  checkRedoBoundary(segment, decoded.records, lsnEnd, lsnRedo);
  if (stop.state === "clean") return { lsnEnd, tornTail: null };
  const preallocated = isZero(bytes.subarray(decoded.offsetEnd));
  const file = await fs.open(segment.path, "readWrite");
  try {
    await file.truncate(decoded.offsetEnd);
    await file.sync();
  } finally {
    await file.close();
  }
  if (preallocated) return { lsnEnd, tornTail: null };
  const bytesDiscarded = bytes.length - decoded.offsetEnd;
  assert(bytesDiscarded > 0, "a torn tail discards bytes");
  const tornTail = { segment: segment.name, lsn: lsnEnd, bytesDiscarded, reason: stop.reason };
  return { lsnEnd, tornTail };
}

/** True when every byte is zero: preallocated space that no write reached. */
function isZero(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

/** Refuses a redo LSN inside this segment that does not start a record (or end the log). */
function checkRedoBoundary(
  segment: Segment, records: WalRecord[], lsnEnd: Lsn, lsnRedo: Lsn,
): void {
  if (lsnRedo < segment.lsnStart || lsnRedo >= lsnEnd) return;
  if (records.some((record) => record.lsn === lsnRedo)) return;
  assert(lsnRedo > segment.lsnStart, "a segment's first byte starts its first record");
  throw corruptionError(`redo point ${lsnRedo} is not at a WAL record boundary`,
    `Segment "${segment.name}" has no record starting there.`);
}
