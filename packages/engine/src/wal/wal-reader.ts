/**
 * Reads WAL records in LSN order over a range `[lsnFrom, lsnTo)`: recovery's replay, and
 * later the change stream of an online shard move ("every change since this LSN").
 *
 * Inside the range nothing may be missing or damaged: a segment gap, a bad record or a log
 * that ends early is XX001. A live log is read up to `WalWriter.lsnFlushed`, never past it.
 */
import { assert, type Lsn } from "@tessera/base";
import type { FileSystem } from "./fs.js";
import { corruptionError, decodeRecords, type WalRecord } from "./record.js";
import { listSegments, type Segment } from "./segments.js";

export interface WalRange {
  /** The LSN of the first record to read; it must start a record. */
  lsnFrom: Lsn;
  /** The end of the range: the end of a record, or of the log. */
  lsnTo: Lsn;
}

/** Yields every record of the range in order, or throws XX001 at the first inconsistency. */
export async function* readWal(
  fs: FileSystem, dir: string, range: WalRange,
): AsyncGenerator<WalRecord> {
  assert(range.lsnFrom <= range.lsnTo, "a WAL range is ordered");
  if (range.lsnFrom === range.lsnTo) return;
  const segments = segmentsOfRange(await listSegments(fs, dir), range);
  let lsnNext = range.lsnFrom;
  for (const segment of segments) {
    if (segment !== segments[0] && segment.lsnStart !== lsnNext) {
      throw corruptionError(`WAL segment "${segment.name}" does not follow its predecessor`,
        `The log continues at LSN ${lsnNext}, but the next segment starts at ${segment.lsnStart}.`);
    }
    const decoded = decodeRecords(await fs.readFile(segment.path), segment.lsnStart);
    for (const record of decoded.records) {
      if (record.lsn < lsnNext) continue;
      if (record.lsn >= range.lsnTo) return;
      if (record.lsn !== lsnNext) {
        throw corruptionError(`WAL has no record at LSN ${lsnNext}`,
          `Segment "${segment.name}" has a record at ${record.lsn} after it instead.`);
      }
      yield record;
      lsnNext = record.lsnNext;
    }
    if (lsnNext >= range.lsnTo) break;
    if (decoded.stop.state !== "clean") {
      throw corruptionError(`invalid WAL record in segment "${segment.name}"`,
        `At offset ${decoded.stop.offset}: ${decoded.stop.reason}.`);
    }
  }
  if (lsnNext !== range.lsnTo) {
    throw corruptionError(`WAL ends at LSN ${lsnNext}`,
      `Records up to LSN ${range.lsnTo} were expected.`);
  }
}

/** Returns the segments that hold the range, starting with the one holding `lsnFrom`. */
function segmentsOfRange(segments: Segment[], range: WalRange): Segment[] {
  let first = -1;
  for (let i = 0; i < segments.length && segments[i]!.lsnStart <= range.lsnFrom; i++) first = i;
  if (first < 0) {
    throw corruptionError(`WAL segment holding LSN ${range.lsnFrom} is missing`,
      segments.length === 0 ? "The WAL directory holds no segments."
        : `The first segment is "${segments[0]!.name}".`);
  }
  const holding = segments.slice(first).filter((segment) => segment.lsnStart < range.lsnTo);
  assert(holding.length > 0, "the segment holding lsnFrom holds part of the range");
  return holding;
}
