/**
 * pg_dist_transaction, Citus's two-phase commit log: one row (groupid, gid) per worker
 * transaction a coordinator decided to commit. Writing a distributed transaction's rows
 * durably IS its commit decision: the coordinator appends them after every node answered
 * PREPARE TRANSACTION and before it sends the first COMMIT PREPARED, so after a crash
 * recovery commits the prepared transactions that have a row and rolls back those without
 * one (`transaction-recovery/recover.ts`).
 *
 * The rows live in an append-only file in the coordinator's data directory,
 * `pg_dist_transaction.log`, one record a line: `<crc32c as 8 hex digits> <json>\n`.
 *
 *   {"epoch":3}                                 the coordinator started for the 3rd time
 *   {"commit":[[1,"citus_0_7_12884901889_0"],[2,"citus_0_7_12884901889_1"]]}
 *   {"delete":["citus_0_7_12884901889_0"]}       recovery found it finished everywhere
 *
 * Appends are group-committed: records queued while a write and fdatasync run go out
 * together in the next one, and each caller's promise resolves once its record is on disk.
 * A commit record is one line, so a transaction's decision is all or nothing: a torn last
 * line (a crash in the middle of the write) fails its checksum and is cut off on open, as if
 * it was never written — no COMMIT PREPARED was sent for it, so no one saw it decided.
 * A bad line before the last is corruption, not a torn write, and stops the start-up.
 *
 * Any write or fsync error is final (as the WAL writer's, and Postgres's PANIC on a failed
 * fsync): the bytes on disk are unknown, so the log refuses every later call with 58030 and
 * recovery in this process stops; a restart reads what really reached the disk.
 *
 * Epochs make names unique across restarts: each start appends a new epoch, and transaction
 * numbers are `epoch * 2^32 + counter`, so a gid written before a crash is never reused by a
 * later transaction that might have a different fate.
 */
import {
  closeSync, existsSync, fsyncSync, ftruncateSync, openSync, readFileSync, renameSync,
  writeSync,
} from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { dirname, join } from "node:path";
import { SqlError, SqlState, assert } from "@tessera/base";
import { wal } from "@tessera/engine";

/** One row of pg_dist_transaction. */
export interface DistTransactionRow {
  readonly groupid: number;
  readonly gid: string;
}

type LogRecord =
  | { readonly epoch: number }
  | { readonly commit: readonly (readonly [number, string])[] }
  | { readonly delete: readonly string[] };

interface Waiter {
  readonly line: string;
  readonly apply: () => void;
  readonly resolve: () => void;
  readonly reject: (error: SqlError) => void;
}

const fileName = "pg_dist_transaction.log";
/** Transaction numbers per epoch; past it the log starts a new epoch. */
const numbersPerEpoch = 2 ** 32;
/** Epochs stay below this so `epoch * 2^32 + n` is a safe integer. */
const epochMax = 2 ** 20;
/** A rewrite that drops deleted rows happens once the file holds this many dead records. */
const deadRecordsBeforeRewrite = 10_000;

export class DistTransactionLog {
  private readonly live = new Map<string, DistTransactionRow>();
  private epochCurrent = 0;
  private counter = 0;
  private deadRecords = 0;
  private handle: FileHandle | undefined;
  private readonly queue: Waiter[] = [];
  private flushing = false;
  private failure: SqlError | undefined;

  private constructor(private readonly path: string | null) {}

  /** Reads the log of a data directory (cutting a torn tail) and starts a new epoch. */
  static open(dataDir: string): DistTransactionLog {
    const log = new DistTransactionLog(join(dataDir, fileName));
    log.load();
    log.startEpoch();
    return log;
  }

  /** A log kept in memory only, for unit tests. */
  static inMemory(): DistTransactionLog {
    const log = new DistTransactionLog(null);
    log.startEpoch();
    return log;
  }

  /** The rows in the order their decisions were made. */
  rows(): DistTransactionRow[] {
    return [...this.live.values()];
  }

  has(gid: string): boolean {
    return this.live.has(gid);
  }

  get epoch(): number {
    return this.epochCurrent;
  }

  /** The write or fsync error that stopped the log, if one did. */
  get failed(): SqlError | undefined {
    return this.failure;
  }

  /** Returns a transaction number no earlier start of this coordinator handed out. */
  nextTransactionNumber(): number {
    this.checkUsable();
    if (this.counter === numbersPerEpoch - 1) this.startEpoch();
    this.counter++;
    const number = this.epochCurrent * numbersPerEpoch + this.counter;
    assert(Number.isSafeInteger(number), "transaction numbers are safe integers");
    return number;
  }

  /**
   * Records the commit decision for a distributed transaction's prepared transactions;
   * resolves once the record is on disk. The rows show in pg_dist_transaction from then on.
   */
  recordCommit(rows: readonly DistTransactionRow[]): Promise<void> {
    assert(rows.length > 0, "a commit decision names at least one prepared transaction");
    for (const row of rows) {
      assert(Number.isInteger(row.groupid) && row.groupid >= 0, "group ids are integers");
      assert(!this.live.has(row.gid), "a gid is decided once");
    }
    const record: LogRecord = { commit: rows.map((r) => [r.groupid, r.gid] as const) };
    return this.append(record, () => {
      for (const row of rows) this.live.set(row.gid, row);
    });
  }

  /** Deletes rows whose transactions are finished on every node (recovery's last step). */
  delete(gids: readonly string[]): Promise<void> {
    const known = gids.filter((gid) => this.live.has(gid));
    if (known.length === 0) return Promise.resolve();
    return this.append({ delete: known }, () => {
      for (const gid of known) this.live.delete(gid);
      this.deadRecords += known.length;
    });
  }

  /** Closes the file once every queued record is written. */
  async close(): Promise<void> {
    while (this.flushing || this.queue.length > 0) await this.flush();
    await this.handle?.close();
    this.handle = undefined;
  }

  private checkUsable(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  private append(record: LogRecord, apply: () => void): Promise<void> {
    this.checkUsable();
    const line = encodeLine(record);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ line, apply, resolve, reject });
      void this.flush();
    });
  }

  /** Writes every queued record with one write and one fdatasync (group commit). */
  private async flush(): Promise<void> {
    if (this.flushing || this.queue.length === 0) return;
    this.flushing = true;
    const batch = this.queue.splice(0, this.queue.length);
    try {
      if (this.path !== null) {
        this.handle ??= await open(this.path, "a");
        await this.handle.write(batch.map((w) => w.line).join(""));
        await this.handle.datasync();
      }
    } catch (error) {
      this.fail(error, batch);
      return;
    } finally {
      this.flushing = false;
    }
    for (const waiter of batch) waiter.apply();
    for (const waiter of batch) waiter.resolve();
    if (this.deadRecords >= deadRecordsBeforeRewrite) await this.rewrite();
    if (this.queue.length > 0) void this.flush();
  }

  private fail(error: unknown, batch: readonly Waiter[]): void {
    const message = error instanceof Error ? error.message : String(error);
    this.failure = new SqlError(SqlState.ioError,
      `could not write to file "${this.path ?? fileName}": ${message}`,
      { detail: "The commit log of distributed transactions stopped; restart the coordinator." });
    for (const waiter of [...batch, ...this.queue.splice(0, this.queue.length)]) {
      waiter.reject(this.failure);
    }
  }

  /** Replaces the file with the live rows only (temp file, fsync, rename, fsync dir). */
  private async rewrite(): Promise<void> {
    if (this.path === null || this.flushing || this.failure !== undefined) return;
    this.flushing = true;
    try {
      await this.handle?.close();
      this.handle = undefined;
      const lines = [encodeLine({ epoch: this.epochCurrent })];
      if (this.live.size > 0) {
        lines.push(encodeLine({ commit: this.rows().map((r) => [r.groupid, r.gid] as const) }));
      }
      writeDurably(this.path, lines.join(""));
      this.deadRecords = 0;
    } catch (error) {
      this.fail(error, []);
    } finally {
      this.flushing = false;
    }
  }

  /** Replays the file into memory; a torn last line is cut off. */
  private load(): void {
    assert(this.path !== null, "only a file-backed log loads");
    if (!existsSync(this.path)) {
      writeDurably(this.path, "");
      return;
    }
    const bytes = readFileSync(this.path);
    let offset = 0;
    while (offset < bytes.length) {
      const end = bytes.indexOf(0x0a, offset);
      const record = end < 0 ? undefined : decodeLine(bytes.subarray(offset, end));
      if (record === undefined) {
        // Only the last line may be torn; anything after a bad line means corruption.
        assert(end < 0 || end === bytes.length - 1,
          `${this.path}: a damaged record at byte ${offset} is followed by others`);
        this.cutAt(offset);
        break;
      }
      this.replay(record);
      offset = end + 1;
    }
  }

  private replay(record: LogRecord): void {
    if ("epoch" in record) {
      assert(record.epoch > this.epochCurrent, "epochs grow");
      this.epochCurrent = record.epoch;
    } else if ("commit" in record) {
      for (const [groupid, gid] of record.commit) this.live.set(gid, { groupid, gid });
    } else {
      for (const gid of record.delete) this.live.delete(gid);
      this.deadRecords += record.delete.length;
    }
  }

  private cutAt(offset: number): void {
    assert(this.path !== null, "only a file-backed log is cut");
    const fd = openSync(this.path, "r+");
    try {
      ftruncateSync(fd, offset);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** Appends the next epoch synchronously: nothing may be named in it before it is durable. */
  private startEpoch(): void {
    const epoch = this.epochCurrent + 1;
    assert(epoch < epochMax, "the coordinator restarted fewer than 2^20 times");
    if (this.path !== null) {
      const fd = openSync(this.path, "a");
      try {
        writeSync(fd, encodeLine({ epoch }));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    this.epochCurrent = epoch;
    this.counter = 0;
  }
}

function encodeLine(record: LogRecord): string {
  const json = JSON.stringify(record);
  assert(!json.includes("\n"), "a record is one line");
  const crc = wal.crc32c(Buffer.from(json, "utf8")).toString(16).padStart(8, "0");
  return `${crc} ${json}\n`;
}

/** Returns the record of a line, or undefined when the line is damaged. */
function decodeLine(line: Buffer): LogRecord | undefined {
  if (line.length < 10 || line[8] !== 0x20) return undefined;
  const json = line.subarray(9);
  const crc = Number.parseInt(line.subarray(0, 8).toString("latin1"), 16);
  if (!Number.isInteger(crc) || wal.crc32c(json) !== crc) return undefined;
  return narrowRecord(JSON.parse(json.toString("utf8")) as unknown);
}

/** Checks a record's shape; a checksummed record of the wrong shape is a bug. */
function narrowRecord(value: unknown): LogRecord {
  assert(typeof value === "object" && value !== null, "a log record is an object");
  const record = value as Record<string, unknown>;
  if (typeof record["epoch"] === "number") return { epoch: record["epoch"] };
  const commit = record["commit"];
  if (Array.isArray(commit)) {
    return { commit: commit.map((row: unknown) => {
      assert(Array.isArray(row) && row.length === 2, "a commit row is a pair");
      const [groupid, gid] = row as unknown[];
      assert(typeof groupid === "number" && Number.isInteger(groupid), "groupid is an int");
      assert(typeof gid === "string" && gid !== "", "gid is a string");
      return [groupid, gid] as const;
    }) };
  }
  const deleted = record["delete"];
  assert(Array.isArray(deleted), "a log record is epoch, commit or delete");
  return { delete: deleted.map((gid: unknown) => {
    assert(typeof gid === "string", "a deleted gid is a string");
    return gid;
  }) };
}

/** Writes a whole file atomically and durably: temp file, fsync, rename, fsync directory. */
function writeDurably(path: string, text: string): void {
  const temp = `${path}.tmp`;
  const fd = openSync(temp, "w", 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
  const dir = openSync(dirname(path), "r");
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}
