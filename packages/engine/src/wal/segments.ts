/**
 * The data directory's layout and WAL segment names.
 *
 *     <dir>/control                   which checkpoint is current (control-file.ts)
 *     <dir>/snapshot/<id>.snap        checkpoint snapshots (checkpoint.ts)
 *     <dir>/wal/000000010000000001000000   WAL segments, named by their first LSN
 *
 * A segment name is a Postgres-style 24-digit hex name: "00000001" (the timeline, always 1
 * for now) and the 16-digit LSN of the segment's first byte. LSNs run on across segments
 * without gaps, so segment N ends exactly where segment N+1 starts, and the name alone says
 * which segment holds an LSN.
 */
import { assert, lsn, type Lsn } from "@tessera/base";
import { joinPath, type FileSystem } from "./fs.js";

export const walDirName = "wal";
export const snapshotDirName = "snapshot";
export const controlFileName = "control";
const timeline = "00000001";
const segmentNamePattern = /^00000001([0-9A-F]{16})$/;

export interface Segment {
  readonly name: string;
  readonly path: string;
  /** The LSN of the segment's first byte. */
  readonly lsnStart: Lsn;
}

export function walDir(dir: string): string {
  return joinPath(dir, walDirName);
}

export function segmentName(lsnStart: Lsn): string {
  assert(lsnStart >= 0n, "a segment starts at a valid LSN");
  const name = timeline + lsnStart.toString(16).toUpperCase().padStart(16, "0");
  assert(name.length === 24, "a segment name has 24 hex digits");
  return name;
}

/** Returns the first LSN named by a segment file name, or undefined for other files. */
export function parseSegmentName(name: string): Lsn | undefined {
  const match = segmentNamePattern.exec(name);
  if (match === null) return undefined;
  const lsnStart = lsn(BigInt(`0x${match[1]!}`));
  assert(segmentName(lsnStart) === name, "segment names round-trip");
  return lsnStart;
}

/** Lists the WAL segments in LSN order; a missing wal directory holds none. */
export async function listSegments(fs: FileSystem, dir: string): Promise<Segment[]> {
  const folder = walDir(dir);
  if (!(await fs.exists(folder))) return [];
  const segments: Segment[] = [];
  for (const name of await fs.list(folder)) {
    const lsnStart = parseSegmentName(name);
    if (lsnStart !== undefined) segments.push({ name, path: joinPath(folder, name), lsnStart });
  }
  segments.sort((a, b) => (a.lsnStart < b.lsnStart ? -1 : a.lsnStart > b.lsnStart ? 1 : 0));
  for (let i = 1; i < segments.length; i++) {
    assert(segments[i - 1]!.lsnStart < segments[i]!.lsnStart, "segment starts are distinct");
  }
  return segments;
}

/**
 * Removes the segments that hold only records before `lsnRedo`: those whose successor
 * starts at or before it. The segment holding `lsnRedo`, and the last one the writer appends
 * to, always stay. Returns how many segments went.
 */
export async function removeSegmentsBefore(
  fs: FileSystem, dir: string, lsnRedo: Lsn,
): Promise<number> {
  const segments = await listSegments(fs, dir);
  let removed = 0;
  for (let i = 0; i + 1 < segments.length; i++) {
    if (segments[i + 1]!.lsnStart > lsnRedo) break;
    await fs.unlink(segments[i]!.path);
    removed += 1;
  }
  assert(removed < segments.length || segments.length === 0, "the last segment always stays");
  if (removed > 0) await fs.syncDir(walDir(dir));
  return removed;
}
