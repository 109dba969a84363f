/**
 * A FileSystem wrapper that fails on purpose, for tests: an I/O error on chosen operations,
 * a torn write (only a prefix of the data reaches the file, then the call fails), and a
 * process death after a chosen number of operations (every later call fails). Pair it with
 * `MemoryFileSystem.crash()` to drop what was never synced, then recover from the inner
 * file system as a restarted process would.
 *
 *     const disk = new MemoryFileSystem();
 *     const fs = new FaultyFileSystem(disk);
 *     fs.inject({ op: "sync", path: "/wal/", skip: 3 });  // the 4th WAL fsync fails with EIO
 *     fs.die({ afterOps: 120, random });                  // op 121 tears, then all fail
 *     disk.crash({ random });
 *     const release = fs.holdSyncs("/wal/");              // WAL fsyncs wait ...
 *     release();                                          // ... until released
 */
import { assert } from "@tessera/base";
import type { FileHandle, FileSystem, OpenMode, OpenOptions } from "./fs.js";
import { fsError } from "./memory-fs.js";

export type FsOp =
  | "open" | "readFile" | "exists" | "list" | "mkdir" | "rename" | "unlink" | "syncDir"
  | "size" | "read" | "write" | "append" | "truncate" | "sync" | "close";

export interface FaultRule {
  op: FsOp;
  /** Only calls on a path containing this text match; all paths when absent. */
  path?: string;
  /** Matching calls let through before the first failure (default 0). */
  skip?: number;
  /** Matching calls that fail after the skipped ones (default 1). */
  count?: number;
  /** For write and append: bytes written before the failure, making a torn write. */
  tornBytes?: number;
}

export interface DeathOptions {
  /** Operations that still succeed; the next one dies. */
  afterOps: number;
  /** When given and the dying call writes, a random prefix of its data lands first. */
  random?: () => number;
}

interface ActiveRule {
  rule: FaultRule;
  skip: number;
  count: number;
}

/** What `check` decided for one call. */
type Verdict = { fail: false } | { fail: true; tornBytes: number };

export class FaultyFileSystem implements FileSystem {
  private rules: ActiveRule[] = [];
  private death: DeathOptions | undefined;
  /** Every operation attempted, failed or not. */
  opCount = 0;
  faultCount = 0;
  dead = false;
  /** fsyncs started (held or not) and those waiting on a hold now. */
  syncCount = 0;
  syncsHeld = 0;
  private hold: { path: string; released: Promise<void> } | undefined;

  constructor(readonly inner: FileSystem) {}

  /**
   * Holds every fsync of a path containing `path` until the returned function is called:
   * a test sees what other sessions see while a commit waits for the disk.
   */
  holdSyncs(path: string): () => void {
    assert(this.hold === undefined, "one hold at a time");
    let release = (): void => undefined;
    const released = new Promise<void>((resolve) => { release = resolve; });
    this.hold = { path, released };
    return () => {
      this.hold = undefined;
      release();
    };
  }

  /** Waits while a hold covers `path` (an fsync of it). */
  async gate(path: string): Promise<void> {
    this.syncCount += 1;
    const hold = this.hold;
    if (hold === undefined || !path.includes(hold.path)) return;
    this.syncsHeld += 1;
    await hold.released;
    this.syncsHeld -= 1;
  }

  inject(rule: FaultRule): void {
    assert(rule.skip === undefined || rule.skip >= 0, "a fault skips a non-negative count");
    assert(rule.tornBytes === undefined || rule.op === "write" || rule.op === "append",
      "only writes can tear");
    this.rules.push({ rule, skip: rule.skip ?? 0, count: rule.count ?? 1 });
  }

  /** Kills the "process" after `afterOps` more operations. */
  die(options: DeathOptions): void {
    assert(options.afterOps >= 0, "death comes after a non-negative number of operations");
    assert(!this.dead, "a dead file system cannot die again");
    this.death = { ...options, afterOps: this.opCount + options.afterOps };
  }

  /** Kills the "process" now: every later call fails, as the calls of a dead process never run. */
  kill(): void {
    this.dead = true;
    this.death = undefined;
  }

  clearFaults(): void {
    this.rules = [];
    this.death = undefined;
  }

  /** Decides whether a call fails; throws at once for failures that write nothing. */
  check(op: FsOp, path: string, writeBytes = 0): Verdict {
    this.opCount += 1;
    if (this.dead) throw fsError("EIO", `${op} after the process died`, path);
    if (this.death !== undefined && this.opCount > this.death.afterOps) {
      this.dead = true;
      const random = this.death.random;
      const tornBytes = random === undefined ? 0 : Math.floor(random() * writeBytes);
      return this.failWith(op, path, writeBytes, tornBytes);
    }
    for (const active of this.rules) {
      if (active.rule.op !== op || active.count === 0) continue;
      if (active.rule.path !== undefined && !path.includes(active.rule.path)) continue;
      if (active.skip > 0) {
        active.skip -= 1;
        continue;
      }
      active.count -= 1;
      return this.failWith(op, path, writeBytes, active.rule.tornBytes ?? 0);
    }
    return { fail: false };
  }

  private failWith(op: FsOp, path: string, writeBytes: number, tornBytes: number): Verdict {
    this.faultCount += 1;
    if (writeBytes === 0 || tornBytes === 0) throw fsError("EIO", `injected ${op}`, path);
    return { fail: true, tornBytes: Math.min(tornBytes, writeBytes) };
  }

  async open(path: string, mode: OpenMode, options?: OpenOptions): Promise<FileHandle> {
    this.check("open", path);
    return new FaultyFileHandle(this, await this.inner.open(path, mode, options));
  }
  async readFile(path: string): Promise<Uint8Array> {
    this.check("readFile", path);
    return this.inner.readFile(path);
  }
  async exists(path: string): Promise<boolean> {
    this.check("exists", path);
    return this.inner.exists(path);
  }
  async list(dir: string): Promise<string[]> {
    this.check("list", dir);
    return this.inner.list(dir);
  }
  async mkdir(dir: string): Promise<void> {
    this.check("mkdir", dir);
    return this.inner.mkdir(dir);
  }
  async rename(source: string, target: string): Promise<void> {
    this.check("rename", `${source} -> ${target}`);
    return this.inner.rename(source, target);
  }
  async unlink(path: string): Promise<void> {
    this.check("unlink", path);
    return this.inner.unlink(path);
  }
  async syncDir(dir: string): Promise<void> {
    this.check("syncDir", dir);
    return this.inner.syncDir(dir);
  }
}

class FaultyFileHandle implements FileHandle {
  readonly path: string;
  readonly durableWrites: boolean;

  constructor(private readonly fs: FaultyFileSystem, private readonly inner: FileHandle) {
    this.path = inner.path;
    this.durableWrites = inner.durableWrites;
  }

  async size(): Promise<number> {
    this.fs.check("size", this.path);
    return this.inner.size();
  }
  async read(offset: number, length: number): Promise<Uint8Array> {
    this.fs.check("read", this.path);
    return this.inner.read(offset, length);
  }
  async write(offset: number, data: Uint8Array): Promise<void> {
    const verdict = this.fs.check("write", this.path, data.length);
    if (!verdict.fail) return this.inner.write(offset, data);
    await this.inner.write(offset, data.subarray(0, verdict.tornBytes));
    throw fsError("EIO", `torn write of ${verdict.tornBytes} of ${data.length} bytes`, this.path);
  }
  async append(data: Uint8Array): Promise<void> {
    const verdict = this.fs.check("append", this.path, data.length);
    if (this.durableWrites) await this.fs.gate(this.path);
    if (!verdict.fail) return this.inner.append(data);
    await this.inner.append(data.subarray(0, verdict.tornBytes));
    throw fsError("EIO", `torn append of ${verdict.tornBytes} of ${data.length} bytes`, this.path);
  }
  async truncate(size: number): Promise<void> {
    this.fs.check("truncate", this.path);
    return this.inner.truncate(size);
  }
  async sync(): Promise<void> {
    this.fs.check("sync", this.path);
    await this.fs.gate(this.path);
    return this.inner.sync();
  }
  async close(): Promise<void> {
    this.fs.check("close", this.path);
    return this.inner.close();
  }
}
