/**
 * Checkpoints: a snapshot of the engine's state plus the LSN where replay must start, so the
 * WAL before that LSN can go.
 *
 *     const lsnRedo = wal.lsnAppended;   // the snapshot holds every record before this
 *     await wal.flush();                  // the log up to lsnRedo is durable
 *     await writeCheckpoint(fs, dir, engine.snapshotChunks(), lsnRedo);
 *
 * The order of the steps is the crash safety: (1) the snapshot goes to a temp file, is
 * fsynced and read back with every checksum checked; (2) it is renamed into place and the
 * directory fsynced; (3) the control file is replaced atomically to name it; only then
 * (4) older snapshots and (5) WAL segments wholly before the redo LSN are removed. A crash
 * before (3) leaves the old checkpoint current and its WAL intact; a crash after it leaves
 * the new one current, and leftovers are removed by the next checkpoint.
 */
import { assert, type Lsn } from "@tessera/base";
import { readControl, writeControl } from "./control-file.js";
import { joinPath, type FileSystem } from "./fs.js";
import { corruptionError } from "./record.js";
import { removeSegmentsBefore, snapshotDirName } from "./segments.js";
import {
  scanSnapshotFile, verifySnapshotFile, writeSnapshotFile, type SnapshotSource,
  type SnapshotSummary,
} from "./snapshot-file.js";

export interface WriteCheckpointOptions {
  /** Reads the snapshot back and checks every checksum before making it current (default). */
  verify?: boolean;
}

export interface CheckpointWritten {
  readonly checkpointId: bigint;
  readonly lsnRedo: Lsn;
  readonly path: string;
  readonly fileBytes: number;
  readonly chunkCount: number;
  readonly segmentsRemoved: number;
  /** Milliseconds spent on each step, for the log (as Postgres's log_checkpoints). */
  readonly timings: CheckpointTimings;
}

export interface CheckpointTimings {
  /** Writing the snapshot file (its rows encoded meanwhile) and fsyncing it. */
  readonly writeMs: number;
  /** The part of `writeMs` spent in the final fsync. */
  readonly syncMs: number;
  /** Reading it back and checking every checksum. */
  readonly verifyMs: number;
  /** Renames, control file, and removal of old snapshots and WAL segments. */
  readonly finishMs: number;
}

/** A verified checkpoint, ready to load. */
export interface Checkpoint {
  readonly checkpointId: bigint;
  readonly lsnRedo: Lsn;
  readonly path: string;
  readonly fileBytes: number;
  readonly chunkCount: number;
  /** The snapshot's chunks in order; each is checked again as it is read. */
  chunks(): AsyncIterable<Uint8Array>;
}

export function snapshotDir(dir: string): string {
  return joinPath(dir, snapshotDirName);
}

export function snapshotPath(dir: string, checkpointId: bigint): string {
  assert(checkpointId > 0n, "checkpoint ids start at 1");
  return joinPath(snapshotDir(dir), `${checkpointId.toString(16).padStart(16, "0")}.snap`);
}

/** Writes a checkpoint whose replay starts at `lsnRedo`, then drops what it makes obsolete. */
export async function writeCheckpoint(
  fs: FileSystem, dir: string, snapshot: SnapshotSource, lsnRedo: Lsn,
  options: WriteCheckpointOptions = {},
): Promise<CheckpointWritten> {
  await fs.mkdir(snapshotDir(dir));
  const previous = await readControl(fs, dir);
  assert(previous === null || lsnRedo >= previous.lsnRedo, "the redo point never moves back");
  const checkpointId = (previous?.checkpointId ?? 0n) + 1n;
  const path = snapshotPath(dir, checkpointId);
  const temp = `${path}.tmp`;
  if (await fs.exists(temp)) await fs.unlink(temp);
  const started = performance.now();
  const written = await writeSnapshotFile(fs, temp, { checkpointId, lsnRedo }, snapshot);
  const wroteAt = performance.now();
  if (options.verify ?? true) {
    const read = await verifySnapshotFile(fs, temp);
    if (!sameSummary(read, written)) {
      throw corruptionError(`checkpoint snapshot "${temp}" reads back differently`,
        "The file system returned other bytes than were written and synced.");
    }
  }
  const verifiedAt = performance.now();
  await fs.rename(temp, path);
  await fs.syncDir(snapshotDir(dir));
  await writeControl(fs, dir, {
    checkpointId, lsnRedo, snapshotBytes: written.fileBytes, snapshotCrc: written.fileCrc,
  });
  await removeOtherSnapshots(fs, dir, path);
  const segmentsRemoved = await removeSegmentsBefore(fs, dir, lsnRedo);
  assert(written.checkpointId === checkpointId, "the snapshot carries its checkpoint id");
  return {
    checkpointId, lsnRedo, path, fileBytes: written.fileBytes, chunkCount: written.chunkCount,
    segmentsRemoved,
    timings: { writeMs: wroteAt - started, syncMs: written.syncMs, verifyMs: verifiedAt - wroteAt,
      finishMs: performance.now() - verifiedAt },
  };
}

/**
 * Returns the current checkpoint after checking the control file and every checksum of its
 * snapshot, or null for a database that never checkpointed. Damage anywhere is XX001.
 */
export async function readCheckpoint(fs: FileSystem, dir: string): Promise<Checkpoint | null> {
  const control = await readControl(fs, dir);
  if (control === null) return null;
  const path = snapshotPath(dir, control.checkpointId);
  if (!(await fs.exists(path))) {
    throw corruptionError(`checkpoint snapshot "${path}" is missing`,
      `The control file names checkpoint ${control.checkpointId}, but its snapshot is gone.`);
  }
  const summary = await verifySnapshotFile(fs, path);
  const expected = { checkpointId: control.checkpointId, lsnRedo: control.lsnRedo };
  if (summary.checkpointId !== expected.checkpointId || summary.lsnRedo !== expected.lsnRedo
    || summary.fileBytes !== control.snapshotBytes || summary.fileCrc !== control.snapshotCrc) {
    throw corruptionError(`checkpoint snapshot "${path}" does not match the control file`,
      `The control file expects ${control.snapshotBytes} bytes with CRC ${control.snapshotCrc}`
        + ` at redo LSN ${control.lsnRedo}.`);
  }
  assert(summary.lsnRedo === control.lsnRedo, "the verified snapshot has the control's redo");
  return {
    ...expected, path, fileBytes: summary.fileBytes, chunkCount: summary.chunkCount,
    chunks: () => rereadChunks(fs, path, summary),
  };
}

/** Yields the chunks of an already verified snapshot, refusing if the file changed since. */
async function* rereadChunks(
  fs: FileSystem, path: string, expected: SnapshotSummary,
): AsyncGenerator<Uint8Array> {
  const scan = scanSnapshotFile(fs, path);
  for (let step = await scan.next(); ; step = await scan.next()) {
    if (step.done === true) {
      if (!sameSummary(step.value, expected)) {
        throw corruptionError(`checkpoint snapshot "${path}" changed while it was read`,
          "Its summary differs from the one verified before loading.");
      }
      return;
    }
    yield step.value;
  }
}

function sameSummary(a: SnapshotSummary, b: SnapshotSummary): boolean {
  return a.checkpointId === b.checkpointId && a.lsnRedo === b.lsnRedo
    && a.chunkCount === b.chunkCount && a.dataBytes === b.dataBytes
    && a.fileBytes === b.fileBytes && a.fileCrc === b.fileCrc;
}

/** Removes every snapshot file except `keep`, leftovers of earlier or interrupted checkpoints. */
async function removeOtherSnapshots(fs: FileSystem, dir: string, keep: string): Promise<void> {
  const folder = snapshotDir(dir);
  let removed = 0;
  for (const name of await fs.list(folder)) {
    const path = joinPath(folder, name);
    if (path === keep) continue;
    await fs.unlink(path);
    removed += 1;
  }
  if (removed > 0) await fs.syncDir(folder);
  assert(await fs.exists(keep), "the current snapshot survives the cleanup");
}
