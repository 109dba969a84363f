/**
 * The control file, our pg_control: which checkpoint is current and where replay starts.
 *
 *     offset 0   8 bytes  magic "TSCTRL01"
 *            8   u32      format version (1)
 *           12   u32      reserved, 0
 *           16   u64      checkpoint id; the snapshot is snapshot/<id as 16 hex digits>.snap
 *           24   u64      redo LSN: replay starts at the record there
 *           32   u64      snapshot file size in bytes
 *           40   u32      the snapshot's whole-file CRC, tying this file to that snapshot
 *           44   u32      CRC-32C of bytes [0,44)
 *
 * It is replaced, never edited: written to "control.tmp", fsynced, renamed over "control",
 * and the directory fsynced. A crash leaves either the old file or the new one, whole.
 */
import { assert, lsn, type Lsn } from "@tessera/base";
import { crc32c } from "./crc32c.js";
import { joinPath, type FileSystem } from "./fs.js";
import { corruptionError } from "./record.js";
import { controlFileName } from "./segments.js";

export const controlBytes = 48;
const magic = "TSCTRL01";
const version = 1;

export interface Control {
  readonly checkpointId: bigint;
  readonly lsnRedo: Lsn;
  readonly snapshotBytes: number;
  readonly snapshotCrc: number;
}

export function controlPath(dir: string): string {
  return joinPath(dir, controlFileName);
}

export function encodeControl(control: Control): Uint8Array {
  assert(control.checkpointId > 0n, "checkpoint ids start at 1");
  assert(Number.isSafeInteger(control.snapshotBytes), "a snapshot size is a safe integer");
  const bytes = new Uint8Array(controlBytes);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode(magic), 0);
  view.setUint32(8, version, true);
  view.setBigUint64(16, control.checkpointId, true);
  view.setBigUint64(24, control.lsnRedo, true);
  view.setBigUint64(32, BigInt(control.snapshotBytes), true);
  view.setUint32(40, control.snapshotCrc >>> 0, true);
  view.setUint32(44, crc32c(bytes, 0, 0, 44), true);
  return bytes;
}

/** Decodes and checks a control file; anything off is XX001, never a guess. */
export function decodeControl(bytes: Uint8Array, path: string): Control {
  const message = `control file "${path}" is corrupt`;
  if (bytes.length !== controlBytes) {
    throw corruptionError(message, `It holds ${bytes.length} bytes, not ${controlBytes}.`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(44, true) !== crc32c(bytes, 0, 0, 44)) {
    throw corruptionError(message, "Its checksum does not match its contents.");
  }
  if (new TextDecoder().decode(bytes.subarray(0, 8)) !== magic) {
    throw corruptionError(message, "It does not start with the control file magic.");
  }
  if (view.getUint32(8, true) !== version) {
    throw corruptionError(message, `It has format version ${view.getUint32(8, true)}.`);
  }
  const control: Control = {
    checkpointId: view.getBigUint64(16, true),
    lsnRedo: lsn(view.getBigUint64(24, true)),
    snapshotBytes: Number(view.getBigUint64(32, true)),
    snapshotCrc: view.getUint32(40, true),
  };
  assert(control.checkpointId > 0n, "a checksummed control file names a real checkpoint");
  return control;
}

/** Returns the current control data, or null for a database that never checkpointed. */
export async function readControl(fs: FileSystem, dir: string): Promise<Control | null> {
  const path = controlPath(dir);
  if (!(await fs.exists(path))) return null;
  return decodeControl(await fs.readFile(path), path);
}

/** Replaces the control file atomically and durably (temp file, fsync, rename, dir fsync). */
export async function writeControl(fs: FileSystem, dir: string, control: Control): Promise<void> {
  const bytes = encodeControl(control);
  const path = controlPath(dir);
  const temp = `${path}.tmp`;
  assert(decodeControl(bytes, temp).lsnRedo === control.lsnRedo, "control data round-trips");
  if (await fs.exists(temp)) await fs.unlink(temp);
  const file = await fs.open(temp, "createNew");
  try {
    await file.append(bytes);
    await file.sync();
  } finally {
    await file.close();
  }
  await fs.rename(temp, path);
  await fs.syncDir(dir);
}
