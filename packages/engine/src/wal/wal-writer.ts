/**
 * The WAL writer: appends records to an in-memory buffer and makes them durable with group
 * commit, one write and one fsync for every committer that waits at the same time.
 *
 *     const at = wal.append(kind, payload);   // synchronous: assigns the LSN, frames, buffers
 *     await wal.flush(at);                     // resolves once the record is on disk
 *
 * Group commit: the first `flush` starts a flush loop; it takes the whole buffer, writes it
 * and fsyncs. Committers that call `flush` meanwhile append to the next buffer and wait; when
 * the fsync returns, the loop takes everything they appended as the next batch. N concurrent
 * committers cost about two fsyncs, not N.
 *
 * synchronous_commit=off is a commit that does not await `flush`: a background flush runs
 * within `writerDelayMs` of the first unflushed append (sooner past `writeWakeBytes`), as
 * Postgres's walwriter does.
 *
 * Segments: a record never straddles two segment files. One that would overflow the current
 * segment starts the next, named by its LSN. A flush writes and fsyncs the old segment before
 * it creates the new one, so recovery may trust that a segment with a successor is complete.
 *
 * Segments are opened with O_DSYNC where the file system grants it (`durableWrites`): a
 * group's write is then durable when it returns, with no fsync after it.
 *
 * Preallocation: such a segment is filled with zeros ahead of the records, a step at a time
 * (`preallocateBytes`), as Postgres zero-fills its segments. A write that grows a file must
 * also make its new length durable (a journal commit on ext4); one over bytes already there
 * is data only, about three times faster, and that write is every commit's wait. The zeros
 * never pass for records (a record's header holds its own LSN). A segment the writer leaves,
 * and the last one on `close`, is cut back to its records' end; after a crash recovery cuts
 * the zeros off (they are no torn record: it says nothing). The price: a power loss in the
 * middle of a write over several pages may keep a later page without an earlier one, which
 * recovery takes for a corrupt middle and refuses (XX001, see `record.ts`); an append could
 * not, its length being committed after its data. `preallocateBytes: 0` appends instead.
 *
 * Any write or fsync error is final: the writer fails every waiter and every later call with
 * 58030, as Postgres PANICs on a failed fsync. Restart and recovery is the only way back,
 * because bytes after a failed write may be torn and must not be followed by more records.
 */
import {
  assert, AssertionError, limits, lsn, silentLogger, SqlError, SqlState, type Logger, type Lsn,
} from "@tessera/base";
import { joinPath, type FileHandle, type FileSystem } from "./fs.js";
import { encodeRecord, recordHeaderBytes } from "./record.js";
import { listSegments, segmentName, walDir } from "./segments.js";

export interface WalWriterOptions {
  fs: FileSystem;
  dir: string;
  /** Where the log ends: `recover(...).lsnEnd`, or 0 for a new database. */
  lsnStart: Lsn;
  segmentBytes?: number;
  bufferBytesMax?: number;
  writerDelayMs?: number;
  writeWakeBytes?: number;
  /** Zeros written ahead of the records of an O_DSYNC segment at a time; 0 turns it off. */
  preallocateBytes?: number;
  logger?: Logger;
}

/** The default preallocation step: one journal commit per MiB of WAL, not one per write. */
const preallocateStepBytes = 1024 * 1024;

/** Counters for metrics; they only grow. */
export interface WalStats {
  recordsAppended: number;
  bytesAppended: number;
  bytesWritten: number;
  writeCount: number;
  /** Writes made durable: by an fsync, or by an O_DSYNC write itself. */
  fsyncCount: number;
  /** Flush loop rounds: each is one group commit of everything buffered at its start. */
  flushBatchCount: number;
  segmentsCreated: number;
}

interface Pending {
  readonly segmentStart: Lsn;
  /** The record's LSN, as its header says. */
  readonly lsn: Lsn;
  readonly bytes: Uint8Array;
}

interface Waiter {
  /** Satisfied once `lsnFlushed >= lsnTarget`. */
  readonly lsnTarget: Lsn;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

export class WalWriter {
  readonly stats: WalStats = {
    recordsAppended: 0, bytesAppended: 0, bytesWritten: 0, writeCount: 0, fsyncCount: 0,
    flushBatchCount: 0, segmentsCreated: 0,
  };
  private buffer: Pending[] = [];
  private waiters: Waiter[] = [];
  private roomWaiters: Waiter[] = [];
  private appendSegmentStart: Lsn;
  private lsnAppendedValue: Lsn;
  private lsnFlushedValue: Lsn;
  /** The current segment file's length: its records, then any preallocated zeros. */
  private fileBytesAllocated: number;
  private flushRunning = false;
  private timer: NodeJS.Timeout | undefined;
  private failure: SqlError | undefined;
  private closed = false;
  private readonly segmentBytes: number;
  private readonly bufferBytesMax: number;
  private readonly writerDelayMs: number;
  private readonly writeWakeBytes: number;
  private readonly preallocateBytes: number;
  private readonly logger: Logger;

  private constructor(
    private readonly fs: FileSystem,
    private readonly dir: string,
    private file: FileHandle,
    private fileSegmentStart: Lsn,
    options: WalWriterOptions,
  ) {
    this.fileBytesAllocated = Number(options.lsnStart - fileSegmentStart);
    this.segmentBytes = options.segmentBytes ?? limits.walSegmentBytes;
    this.bufferBytesMax = options.bufferBytesMax ?? limits.walBufferBytesMax;
    this.writerDelayMs = options.writerDelayMs ?? limits.walWriterDelayMs;
    this.writeWakeBytes = options.writeWakeBytes ?? limits.walWriteWakeBytes;
    this.preallocateBytes = options.preallocateBytes ?? preallocateStepBytes;
    this.logger = options.logger ?? silentLogger();
    this.appendSegmentStart = fileSegmentStart;
    this.lsnAppendedValue = options.lsnStart;
    this.lsnFlushedValue = options.lsnStart;
    assert(this.segmentBytes >= recordHeaderBytes, "a segment holds at least one record");
    assert(this.bufferBytesMax >= 2 * recordHeaderBytes, "the buffer holds a few records");
    assert(Number.isSafeInteger(this.preallocateBytes) && this.preallocateBytes >= 0,
      "a preallocation step is a byte count");
  }

  /**
   * Opens the log for appending at `lsnStart`. The last segment must end exactly there,
   * which recovery guarantees (it truncates a torn tail); a new log gets its first segment.
   */
  static async open(options: WalWriterOptions): Promise<WalWriter> {
    const { fs, dir, lsnStart } = options;
    await fs.mkdir(walDir(dir));
    const last = (await listSegments(fs, dir)).at(-1);
    if (last === undefined) {
      const file = await createSegment(fs, dir, lsnStart);
      const writer = new WalWriter(fs, dir, file, lsnStart, options);
      writer.stats.segmentsCreated += 1;
      return writer;
    }
    const file = await fs.open(last.path, "readWrite", segmentOptions);
    const size = await file.size();
    assert(last.lsnStart <= lsnStart, "the log is opened at or after its last segment's start");
    assert(last.lsnStart + BigInt(size) === lsnStart,
      `segment ${last.name} ends at ${lsnStart}: recover before writing`);
    return new WalWriter(fs, dir, file, last.lsnStart, options);
  }

  /** The LSN the next record gets: the end of everything appended. */
  get lsnAppended(): Lsn {
    return this.lsnAppendedValue;
  }

  /** The end of the durable prefix of the log. */
  get lsnFlushed(): Lsn {
    return this.lsnFlushedValue;
  }

  /** Bytes appended but not yet durable. */
  get bytesUnflushed(): number {
    return Number(this.lsnAppendedValue - this.lsnFlushedValue);
  }

  /**
   * Frames and buffers one record and returns its LSN; durable only after `flush`. A full
   * buffer refuses the record with 53200, unless `overflow` allows it: a committing
   * transaction's records must all go in at once, and their bytes are already in memory.
   */
  append(kind: number, payload: Uint8Array, options: { overflow?: boolean } = {}): Lsn {
    if (this.failure !== undefined) throw this.failure;
    assert(!this.closed, "no appends after close");
    const length = recordHeaderBytes + payload.length;
    if (options.overflow !== true && this.bytesUnflushed + length > this.bufferBytesMax) {
      throw new SqlError(SqlState.outOfMemory, "WAL buffer is full", {
        detail: `${this.bytesUnflushed} bytes of WAL wait for the disk; the limit is `
          + `${this.bufferBytesMax}.`,
        hint: "Await waitForRoom() before appending large amounts of WAL.",
      });
    }
    const used = Number(this.lsnAppendedValue - this.appendSegmentStart);
    if (used > 0 && used + length > this.segmentBytes) {
      this.appendSegmentStart = this.lsnAppendedValue;
    }
    const at = this.lsnAppendedValue;
    const bytes = encodeRecord(at, kind, payload);
    this.buffer.push({ segmentStart: this.appendSegmentStart, lsn: at, bytes });
    this.lsnAppendedValue = lsn(at + BigInt(bytes.length));
    this.stats.recordsAppended += 1;
    this.stats.bytesAppended += bytes.length;
    assert(bytes.length === length, "a framed record is header plus payload");
    if (this.bytesUnflushed >= this.writeWakeBytes) this.kick();
    else this.armTimer();
    return at;
  }

  /**
   * Resolves once the record at `lsnRecord` (by default, every record appended so far) and
   * all before it are durable. Concurrent calls share writes and fsyncs.
   */
  flush(lsnRecord?: Lsn): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const lsnTarget = lsnRecord === undefined ? this.lsnAppendedValue : lsn(lsnRecord + 1n);
    assert(lsnTarget <= this.lsnAppendedValue, "flush waits only for appended records");
    if (this.lsnFlushedValue >= lsnTarget) return Promise.resolve();
    const promise = new Promise<void>((resolve, reject) => {
      this.waiters.push({ lsnTarget, resolve, reject });
    });
    this.kick();
    return promise;
  }

  /** Resolves once the unflushed bytes are at most half the buffer limit (backpressure). */
  waitForRoom(): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.bytesUnflushed <= this.bufferBytesMax / 2) return Promise.resolve();
    const lsnTarget = lsn(this.lsnAppendedValue - BigInt(Math.floor(this.bufferBytesMax / 2)));
    const promise = new Promise<void>((resolve, reject) => {
      this.roomWaiters.push({ lsnTarget, resolve, reject });
    });
    this.kick();
    return promise;
  }

  /** Flushes everything and closes the current segment. The writer takes no more records. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.failure === undefined) await this.flush();
    this.closed = true;
    this.clearTimer();
    if (this.failure === undefined) {
      await this.cutPreallocated();
      await this.file.close();
      return;
    }
    // The failure was already reported to every waiter; release the handle if we still can.
    await this.file.close().catch(() => undefined);
  }

  /** Starts the flush loop unless it runs already; it will take whatever is buffered. */
  private kick(): void {
    if (this.flushRunning || this.failure !== undefined) return;
    this.clearTimer();
    void this.flushLoop();
  }

  /** Arms the background flush that makes synchronous_commit=off records durable. */
  private armTimer(): void {
    if (this.timer !== undefined || this.flushRunning || this.buffer.length === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.kick();
    }, this.writerDelayMs);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * Writes and fsyncs batches until the buffer is empty. Each round takes everything that
   * was appended while the previous round's fsync ran: that is the group commit. It runs as
   * long as appends keep coming, like an event loop, but each round ends in an fsync.
   *
   * One write at a time: a write that overlapped an earlier one could reach the disk before
   * it, and a crash between them would leave valid records after a hole, which recovery must
   * take for a corrupt middle.
   */
  private async flushLoop(): Promise<void> {
    assert(!this.flushRunning, "one flush loop at a time");
    this.flushRunning = true;
    try {
      while (this.buffer.length > 0) {
        const batch = this.buffer;
        this.buffer = [];
        await this.writeBatch(batch);
        this.stats.flushBatchCount += 1;
        this.settleWaiters();
      }
      assert(this.lsnFlushedValue === this.lsnAppendedValue, "an empty buffer is all durable");
      assert(this.waiters.length === 0, "no flush waits once everything is durable");
    } catch (error) {
      if (error instanceof AssertionError) throw error;
      this.fail(error);
    } finally {
      this.flushRunning = false;
    }
  }

  /** Writes one batch, a group of records per segment, fsyncing each group. */
  private async writeBatch(batch: Pending[]): Promise<void> {
    assert(batch.length > 0, "a batch holds records");
    let first = 0;
    while (first < batch.length) {
      const segmentStart = batch[first]!.segmentStart;
      let end = first;
      while (end < batch.length && batch[end]!.segmentStart === segmentStart) end += 1;
      await this.writeGroup(segmentStart, batch.slice(first, end));
      first = end;
    }
    assert(first === batch.length, "every record of the batch was written");
  }

  /** Writes one segment's records of a batch in one write at their place, durably. */
  private async writeGroup(segmentStart: Lsn, group: Pending[]): Promise<void> {
    if (segmentStart !== this.fileSegmentStart) await this.switchSegment(segmentStart);
    const bytes = concat(group);
    const fileBytes = Number(this.lsnFlushedValue - this.fileSegmentStart);
    assert(this.lsnFlushedValue >= this.fileSegmentStart, "the durable end is in this segment");
    assert(group[0]!.lsn === this.lsnFlushedValue,
      `the group's first record continues segment ${segmentName(segmentStart)} at ${fileBytes}`);
    if (this.preallocating) {
      await this.preallocate(fileBytes + bytes.length);
      await this.file.write(fileBytes, bytes);
    } else {
      await this.file.append(bytes);
      this.fileBytesAllocated = fileBytes + bytes.length;
    }
    this.stats.bytesWritten += bytes.length;
    this.stats.writeCount += 1;
    // An O_DSYNC segment's write was durable on return: one trip to the disk, not two.
    if (!this.file.durableWrites) await this.file.sync();
    this.stats.fsyncCount += 1;
    this.lsnFlushedValue = lsn(this.lsnFlushedValue + BigInt(bytes.length));
  }

  /** Leaves a complete, synced segment for a new one that starts where it ends. */
  private async switchSegment(segmentStart: Lsn): Promise<void> {
    assert(segmentStart === this.lsnFlushedValue, "a new segment starts at the durable end");
    assert(segmentStart > this.fileSegmentStart, "segments only move forward");
    await this.cutPreallocated();
    await this.file.close();
    this.file = await createSegment(this.fs, this.dir, segmentStart);
    this.fileSegmentStart = segmentStart;
    this.fileBytesAllocated = 0;
    this.stats.segmentsCreated += 1;
  }

  /** Zero-fills ahead only where a write is its own fsync: there it saves the length's. */
  private get preallocating(): boolean {
    return this.preallocateBytes > 0 && this.file.durableWrites;
  }

  /**
   * Makes the segment file at least `end` bytes long, zero-filling a step past it (within the
   * segment's size). The zeros' write is O_DSYNC too: the new length is durable when it
   * returns, so the records written over them next need no journal commit.
   */
  private async preallocate(end: number): Promise<void> {
    if (end <= this.fileBytesAllocated) return;
    const target = Math.max(end, Math.min(this.segmentBytes,
      this.fileBytesAllocated + this.preallocateBytes));
    while (this.fileBytesAllocated < target) {
      const length = Math.min(target - this.fileBytesAllocated, this.preallocateBytes);
      await this.file.write(this.fileBytesAllocated, zeros(length));
      this.fileBytesAllocated += length;
    }
    assert(this.fileBytesAllocated >= end, "the records' bytes are allocated");
  }

  /**
   * Cuts the zeros after the segment's last record off, durably, so a segment that is left
   * (or a closed log) ends exactly at its records, as recovery and `open` expect.
   */
  private async cutPreallocated(): Promise<void> {
    const end = Number(this.lsnFlushedValue - this.fileSegmentStart);
    if (this.fileBytesAllocated === end) return;
    assert(this.fileBytesAllocated > end, "only zeros lie past the durable end");
    await this.file.truncate(end);
    await this.file.sync();
    this.fileBytesAllocated = end;
  }

  /** Resolves the waiters whose records are now durable. */
  private settleWaiters(): void {
    const flushed = this.lsnFlushedValue;
    const done: Waiter[] = [];
    takeReady(this.waiters, flushed, done);
    if (this.roomWaiters.length > 0) takeReady(this.roomWaiters, flushed, done);
    for (const waiter of done) waiter.resolve();
  }

  /** Turns an I/O error into the writer's final 58030 and fails everyone waiting. */
  private fail(error: unknown): void {
    assert(this.failure === undefined, "a writer fails once");
    const detail = error instanceof Error ? error.message : String(error);
    this.failure = new SqlError(SqlState.ioError,
      `could not write to WAL segment "${segmentName(this.fileSegmentStart)}"`, {
        detail: `${detail}. No record after LSN ${this.lsnFlushedValue} is durable.`,
        hint: "Restart the server; recovery replays the durable log.",
      });
    this.logger.error({ err: detail, lsnFlushed: String(this.lsnFlushedValue) },
      "WAL write failed");
    const failed = [...this.waiters, ...this.roomWaiters];
    this.waiters = [];
    this.roomWaiters = [];
    this.buffer = [];
    this.clearTimer();
    for (const waiter of failed) waiter.reject(this.failure);
  }
}

/** Segments are only appended to: with O_DSYNC each group's write is its fsync. */
const segmentOptions = { durableWrites: true };

/** Creates an empty segment and makes its name durable before any record goes in. */
async function createSegment(fs: FileSystem, dir: string, lsnStart: Lsn): Promise<FileHandle> {
  const file = await fs.open(joinPath(walDir(dir), segmentName(lsnStart)), "createNew",
    segmentOptions);
  await fs.syncDir(walDir(dir));
  return file;
}

/** Moves the waiters of `waiters` satisfied by `flushed` to `done`, in place and in order. */
function takeReady(waiters: Waiter[], flushed: Lsn, done: Waiter[]): void {
  let kept = 0;
  for (const waiter of waiters) {
    if (waiter.lsnTarget <= flushed) done.push(waiter);
    else waiters[kept++] = waiter;
  }
  waiters.length = kept;
}

let zeroBuffer = new Uint8Array(0);

/** `length` zero bytes, from one shared buffer (file writes only read it). */
function zeros(length: number): Uint8Array {
  if (zeroBuffer.length < length) zeroBuffer = new Uint8Array(length);
  return zeroBuffer.subarray(0, length);
}

function concat(group: Pending[]): Uint8Array {
  if (group.length === 1) return group[0]!.bytes;
  let length = 0;
  for (const pending of group) length += pending.bytes.length;
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const pending of group) {
    bytes.set(pending.bytes, offset);
    offset += pending.bytes.length;
  }
  assert(offset === length, "a concatenated group fills its buffer");
  return bytes;
}
