/**
 * The FileSystem interface: every byte the WAL and checkpoints touch goes through it, so tests
 * can swap in `MemoryFileSystem` (durable versus volatile bytes, simulated crashes) and
 * `FaultyFileSystem` (injected I/O errors and torn writes), as SQLite tests through its VFS.
 *
 * The contract mirrors POSIX as a database relies on it: written bytes are durable only after
 * `FileHandle.sync`, and a created, renamed or unlinked name is durable only after `syncDir`
 * of its directory. Implementations report failures by rejecting; they never retry.
 */
import { constants, write as writeFd } from "node:fs";
import { open as openFile, mkdir, readdir, readFile, rename, stat, unlink } from "node:fs/promises";
import type { FileHandle as NodeHandle } from "node:fs/promises";
import { assert } from "@tessera/base";

/** How `open` treats a missing or existing file. */
export type OpenMode =
  | "read" // the file must exist; writes fail
  | "readWrite" // the file must exist
  | "createNew"; // the file must not exist; it is created empty

/** How `open` opens a file beyond its mode. */
export interface OpenOptions {
  /**
   * Ask for writes that are durable when they return (O_DSYNC), so a WAL append needs no
   * separate fsync: one round trip to the disk thread instead of two. A file system that
   * cannot gives an ordinary handle (`durableWrites` false) and the caller syncs.
   */
  readonly durableWrites?: boolean;
}

export interface FileHandle {
  readonly path: string;
  /** True when every write is durable on return (opened with `durableWrites` and granted). */
  readonly durableWrites: boolean;
  /** The file's length in bytes, including bytes not yet synced. */
  size(): Promise<number>;
  /**
   * Reads `length` bytes at `offset`; fewer only at the end of the file. `into`, when long
   * enough, is a buffer the implementation may read into, returning a view of it: for callers
   * that are done with the bytes before their next read (fewer buffers for the GC).
   */
  read(offset: number, length: number, into?: Uint8Array): Promise<Uint8Array>;
  /** Writes all of `data` at `offset`, extending the file if needed. */
  write(offset: number, data: Uint8Array): Promise<void>;
  /** Writes all of `data` at the end of the file. */
  append(data: Uint8Array): Promise<void>;
  truncate(size: number): Promise<void>;
  /** Makes the file's bytes durable (fsync). */
  sync(): Promise<void>;
  close(): Promise<void>;
}

export interface FileSystem {
  open(path: string, mode: OpenMode, options?: OpenOptions): Promise<FileHandle>;
  readFile(path: string): Promise<Uint8Array>;
  exists(path: string): Promise<boolean>;
  /** Names (not paths) of the entries of `dir`, sorted. */
  list(dir: string): Promise<string[]>;
  /** Creates `dir` and its missing parents; an existing directory is fine. */
  mkdir(dir: string): Promise<void>;
  /** Replaces `target` atomically, as rename(2). */
  rename(source: string, target: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** Makes the names in `dir` durable (fsync of the directory). */
  syncDir(dir: string): Promise<void>;
}

const nodeFlags: Record<OpenMode, number> = {
  read: constants.O_RDONLY,
  readWrite: constants.O_RDWR,
  createNew: constants.O_RDWR | constants.O_CREAT | constants.O_EXCL,
};
/** O_DSYNC where the platform has it (not on Windows). */
const dsyncFlag: number | undefined = (constants as { O_DSYNC?: number }).O_DSYNC;

/** The real FileSystem, on node:fs/promises. */
export class NodeFileSystem implements FileSystem {
  async open(path: string, mode: OpenMode, options: OpenOptions = {}): Promise<FileHandle> {
    const dsync = options.durableWrites === true && mode !== "read" && dsyncFlag !== undefined;
    const handle = await openFile(path, nodeFlags[mode] | (dsync ? dsyncFlag : 0), 0o666);
    const stats = await handle.stat();
    return new NodeFileHandle(path, handle, stats.size, dsync);
  }

  async readFile(path: string): Promise<Uint8Array> {
    const buffer = await readFile(path);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  }

  async exists(path: string): Promise<boolean> {
    try {
      await stat(path);
      return true;
    } catch (error) {
      if (errorCode(error) === "ENOENT") return false;
      throw error;
    }
  }

  async list(dir: string): Promise<string[]> {
    const names = await readdir(dir);
    return names.sort();
  }

  async mkdir(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
  }

  async rename(source: string, target: string): Promise<void> {
    await rename(source, target);
  }

  async unlink(path: string): Promise<void> {
    await unlink(path);
  }

  async syncDir(dir: string): Promise<void> {
    const handle = await openFile(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}

/** A node file handle that tracks its length, so appends need no O_APPEND or stat. */
class NodeFileHandle implements FileHandle {
  constructor(readonly path: string, private readonly handle: NodeHandle, private length: number,
    readonly durableWrites: boolean) {
    assert(Number.isSafeInteger(length), "a file length is a safe integer");
    assert(length >= 0, "a file length is not negative");
  }

  size(): Promise<number> {
    return Promise.resolve(this.length);
  }

  async read(offset: number, length: number, into?: Uint8Array): Promise<Uint8Array> {
    assert(offset >= 0 && length >= 0, "a read range is not negative");
    const buffer = into !== undefined && into.length >= length ? into : new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.handle.read(buffer, done, length - done, offset + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return buffer.subarray(0, done);
  }

  async write(offset: number, data: Uint8Array): Promise<void> {
    assert(offset >= 0, "a write offset is not negative");
    let done = 0;
    while (done < data.length) {
      const length = data.length - done;
      const bytesWritten = await writeAt(this.handle.fd, data, done, length, offset + done);
      assert(bytesWritten > 0, "a file write makes progress");
      done += bytesWritten;
    }
    this.length = Math.max(this.length, offset + data.length);
  }

  append(data: Uint8Array): Promise<void> {
    return this.write(this.length, data);
  }

  async truncate(size: number): Promise<void> {
    assert(size >= 0, "a truncated size is not negative");
    await this.handle.truncate(size);
    this.length = size;
  }

  async sync(): Promise<void> {
    await this.handle.sync();
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

/**
 * pwrite(2) on the thread pool, by the callback API: a WAL write is every commit's wait, and
 * the promise FileHandle's own write adds a result object and reference counting per call.
 */
function writeAt(fd: number, data: Uint8Array, from: number, length: number, position: number):
  Promise<number> {
  return new Promise((resolve, reject) => {
    writeFd(fd, data, from, length, position, (error, bytesWritten) => {
      if (error === null) resolve(bytesWritten);
      else reject(error);
    });
  });
}

/** Returns a node error's `code` (ENOENT, EIO ...), or undefined for anything else. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

/** Joins path pieces with "/"; the WAL never needs more of node:path than this. */
export function joinPath(dir: string, name: string): string {
  assert(name.length > 0, "a path piece is not empty");
  assert(!name.includes("/"), "a file name has no slash");
  return dir.endsWith("/") ? `${dir}${name}` : `${dir}/${name}`;
}
