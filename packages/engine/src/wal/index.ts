/**
 * The WAL module's public surface; see README.md for the files, the record format and the
 * recovery rules.
 */
export { crc32c } from "./crc32c.js";
export {
  NodeFileSystem, errorCode, joinPath, type FileHandle, type FileSystem, type OpenMode,
} from "./fs.js";
export { MemoryFileSystem, fsError, type CrashOptions } from "./memory-fs.js";
export {
  FaultyFileSystem, type DeathOptions, type FaultRule, type FsOp,
} from "./faulty-fs.js";
export {
  encodeRecord, decodeRecords, corruptionError, recordHeaderBytes, recordBytesMax,
  type WalRecord, type DecodeResult, type DecodeStop,
} from "./record.js";
export {
  listSegments, removeSegmentsBefore, segmentName, parseSegmentName, walDir, type Segment,
} from "./segments.js";
export { WalWriter, type WalWriterOptions, type WalStats } from "./wal-writer.js";
export { readWal, type WalRange } from "./wal-reader.js";
export { readControl, type Control } from "./control-file.js";
export {
  writeCheckpoint, readCheckpoint, snapshotPath, type Checkpoint, type CheckpointWritten,
  type WriteCheckpointOptions,
} from "./checkpoint.js";
export { type SnapshotSource } from "./snapshot-file.js";
export { recover, type Recovery, type RecoverOptions, type TornTail } from "./recovery.js";
