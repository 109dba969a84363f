/**
 * An in-memory FileSystem that knows which bytes would survive a power failure.
 *
 * Each file (an inode) keeps its current bytes and the bytes of its last `sync`. Each name
 * lives in a volatile namespace and, after `syncDir` of its directory, in a durable one, so a
 * created or renamed file whose directory was never synced vanishes or reverts on a crash,
 * as on ext4. `crash()` reverts every file to its synced bytes, optionally keeping a random
 * prefix of the bytes appended since (the disk wrote some sectors, in order), then invalidates
 * every open handle, as a restarted process would hold none.
 *
 * Simplification: directories themselves are durable as soon as `mkdir` returns.
 */
import { posix } from "node:path";
import { assert } from "@tessera/base";
import type { FileHandle, FileSystem, OpenMode, OpenOptions } from "./fs.js";

interface Inode {
  data: Uint8Array;
  size: number;
  /** The bytes the disk holds for sure: those of the last sync. */
  synced: Uint8Array;
  /** True while every change since the last sync appended past the synced bytes. */
  appendOnly: boolean;
}

export interface CrashOptions {
  /** When given, each file keeps a random prefix of its unsynced appended bytes. */
  random?: () => number;
}

export class MemoryFileSystem implements FileSystem {
  private names = new Map<string, Inode>();
  private durableNames = new Map<string, Inode>();
  private readonly dirs = new Set<string>(["/"]);
  /** Bumped by each crash; handles from an older generation fail. */
  generation = 0;

  async open(path: string, mode: OpenMode, _options?: OpenOptions): Promise<FileHandle> {
    await tick();
    const name = normalize(path);
    let inode = this.names.get(name);
    if (mode === "createNew") {
      if (inode !== undefined || this.dirs.has(name)) throw fsError("EEXIST", "open", name);
      this.requireDir(posix.dirname(name), "open");
      inode = { data: new Uint8Array(64), size: 0, synced: new Uint8Array(0), appendOnly: true };
      this.names.set(name, inode);
    }
    if (inode === undefined) throw fsError("ENOENT", "open", name);
    return new MemoryFileHandle(this, name, inode, mode !== "read");
  }

  async readFile(path: string): Promise<Uint8Array> {
    await tick();
    const inode = this.names.get(normalize(path));
    if (inode === undefined) throw fsError("ENOENT", "readFile", path);
    return inode.data.slice(0, inode.size);
  }

  async exists(path: string): Promise<boolean> {
    await tick();
    const name = normalize(path);
    return this.names.has(name) || this.dirs.has(name);
  }

  async list(dir: string): Promise<string[]> {
    await tick();
    const parent = normalize(dir);
    this.requireDir(parent, "list");
    const entries = [...this.names.keys(), ...this.dirs].filter(
      (name) => name !== "/" && posix.dirname(name) === parent);
    return entries.map((name) => posix.basename(name)).sort();
  }

  async mkdir(dir: string): Promise<void> {
    await tick();
    let name = normalize(dir);
    const created: string[] = [];
    for (let depth = 0; !this.dirs.has(name); depth++) {
      assert(depth < 256, "a directory path has a bounded depth");
      if (this.names.has(name)) throw fsError("EEXIST", "mkdir", name);
      created.push(name);
      name = posix.dirname(name);
    }
    for (const each of created) this.dirs.add(each);
  }

  async rename(source: string, target: string): Promise<void> {
    await tick();
    const from = normalize(source);
    const to = normalize(target);
    const inode = this.names.get(from);
    if (inode === undefined) throw fsError("ENOENT", "rename", from);
    this.requireDir(posix.dirname(to), "rename");
    this.names.delete(from);
    this.names.set(to, inode);
  }

  async unlink(path: string): Promise<void> {
    await tick();
    const name = normalize(path);
    if (!this.names.delete(name)) throw fsError("ENOENT", "unlink", name);
  }

  async syncDir(dir: string): Promise<void> {
    await tick();
    const parent = normalize(dir);
    this.requireDir(parent, "syncDir");
    this.checkAlive(this.generation);
    for (const name of new Set([...this.names.keys(), ...this.durableNames.keys()])) {
      if (posix.dirname(name) !== parent) continue;
      const inode = this.names.get(name);
      if (inode === undefined) this.durableNames.delete(name);
      else this.durableNames.set(name, inode);
    }
  }

  /**
   * Simulates a power failure: names revert to the durable namespace, files to their synced
   * bytes (plus, with `random`, a random prefix of later appends), and open handles die.
   */
  crash(options: CrashOptions = {}): void {
    this.generation += 1;
    const inodes = new Set([...this.names.values(), ...this.durableNames.values()]);
    for (const inode of inodes) revertInode(inode, options.random);
    this.names = new Map(this.durableNames);
    assert(this.names.size === this.durableNames.size, "the namespace is the durable one");
  }

  /** Returns the synced bytes of `path` under its current name, for tests. */
  syncedBytes(path: string): Uint8Array | undefined {
    return this.names.get(normalize(path))?.synced.slice();
  }

  /** Throws if a handle of `generation` outlived a crash. */
  checkAlive(generation: number): void {
    if (generation === this.generation) return;
    throw fsError("EBADF", "use of a handle from before a crash", "");
  }

  private requireDir(dir: string, op: string): void {
    if (!this.dirs.has(dir)) throw fsError("ENOENT", op, dir);
  }
}

/** Reverts one file to its synced bytes, keeping a random prefix of later appends if asked. */
function revertInode(inode: Inode, random: (() => number) | undefined): void {
  const syncedLength = inode.synced.length;
  let kept = 0;
  if (random !== undefined && inode.appendOnly && inode.size > syncedLength) {
    kept = Math.floor(random() * (inode.size - syncedLength + 1));
  }
  assert(kept >= 0 && syncedLength + kept <= Math.max(inode.size, syncedLength), "kept bytes fit");
  const data = new Uint8Array(Math.max(64, syncedLength + kept));
  data.set(inode.synced, 0);
  data.set(inode.data.subarray(syncedLength, syncedLength + kept), syncedLength);
  inode.data = data;
  inode.size = syncedLength + kept;
  inode.synced = data.slice(0, inode.size);
  inode.appendOnly = true;
}

class MemoryFileHandle implements FileHandle {
  /** Always false: callers sync, and tests see every fsync (options.durableWrites ignored). */
  readonly durableWrites = false;
  private readonly generation: number;

  constructor(
    private readonly fs: MemoryFileSystem,
    readonly path: string,
    private readonly inode: Inode,
    private readonly writable: boolean,
  ) {
    this.generation = fs.generation;
  }

  async size(): Promise<number> {
    await this.enter(false, "size");
    return this.inode.size;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    assert(offset >= 0 && length >= 0, "a read range is not negative");
    await this.enter(false, "read");
    const end = Math.min(this.inode.size, offset + length);
    return this.inode.data.slice(Math.min(offset, end), end);
  }

  async write(offset: number, data: Uint8Array): Promise<void> {
    assert(offset >= 0, "a write offset is not negative");
    await this.enter(true, "write");
    this.writeNow(offset, data);
  }

  async append(data: Uint8Array): Promise<void> {
    await this.enter(true, "append");
    this.writeNow(this.inode.size, data);
  }

  async truncate(size: number): Promise<void> {
    assert(size >= 0, "a truncated size is not negative");
    await this.enter(true, "truncate");
    if (size > this.inode.size) this.writeNow(size, new Uint8Array(0));
    this.inode.size = size;
    this.inode.appendOnly = this.inode.appendOnly && size >= this.inode.synced.length;
  }

  async sync(): Promise<void> {
    await this.enter(false, "sync");
    this.inode.synced = this.inode.data.slice(0, this.inode.size);
    this.inode.appendOnly = true;
  }

  async close(): Promise<void> {
    await tick();
  }

  /** Writes at once: the operation is atomic with respect to other tasks. */
  private writeNow(offset: number, data: Uint8Array): void {
    const inode = this.inode;
    const end = offset + data.length;
    if (end > inode.data.length) {
      const grown = new Uint8Array(Math.max(end, inode.data.length * 2));
      grown.set(inode.data.subarray(0, inode.size));
      inode.data = grown;
    }
    if (offset > inode.size) inode.data.fill(0, inode.size, offset);
    inode.data.set(data, offset);
    inode.size = Math.max(inode.size, end);
    inode.appendOnly = inode.appendOnly && offset >= inode.synced.length;
    assert(inode.size >= end, "a write leaves the file at least as long as its end");
  }

  /** Yields to the event loop, then checks the handle is usable for the operation. */
  private async enter(writing: boolean, op: string): Promise<void> {
    await tick();
    this.fs.checkAlive(this.generation);
    if (writing && !this.writable) throw fsError("EBADF", op, this.path);
  }
}

/** Makes an Error shaped like node's fs errors, with `code` set. */
export function fsError(code: string, op: string, path: string): Error {
  const error = new Error(`${code}: ${op} '${path}'`);
  Object.assign(error, { code });
  return error;
}

function normalize(path: string): string {
  assert(path.startsWith("/"), "memory file system paths are absolute");
  const name = posix.normalize(path);
  return name.length > 1 && name.endsWith("/") ? name.slice(0, -1) : name;
}

/** Lets other tasks run between file operations, so tests see real interleavings. */
function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
