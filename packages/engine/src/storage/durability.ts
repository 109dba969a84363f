/**
 * Durability: the engine's changes through the WAL, and the checkpoints and recovery that
 * bring them back. It is the transaction layer's `TxnLog`.
 *
 *   statement finishes   its writes become redo operations on the transaction (`redo.ts`)
 *   COMMIT               sequence positions that moved, then the transaction's operations
 *                        as one COMMIT record (DATA records first when they are large), all
 *                        appended at once; COMMIT waits for the flush (group commit)
 *   checkpoint           on shutdown, on CHECKPOINT, once the WAL since the last one passes
 *                        max_wal_size, and once checkpoint_timeout has passed since the
 *                        last one with WAL written since (`checkpoint-settings.ts`): the
 *                        snapshot of `checkpoint-image.ts`, its rows encoded while the
 *                        file is written (writers keep running), then old WAL is removed
 *   recovery             the checkpoint, then each COMMIT in the WAL; DATA without its
 *                        COMMIT (a crash between them) is skipped
 *
 *   record 1  COMMIT     varuint xid, operation bytes (the tail, after any DATA)
 *   record 2  DATA       varuint xid, operation bytes (a leading part)
 *   record 3  SEQUENCES  positions, as `encodeSequences` writes them
 *   record 4  PREPARE    varuint xid, gid, owner, database, i64 prepared micros, operation
 *                        bytes (the tail, after any DATA): PREPARE TRANSACTION's writes
 *   record 5  ABORT      varuint xid: ROLLBACK PREPARED (COMMIT PREPARED is a COMMIT)
 *
 * A checkpoint appends a PREPARE record again for every transaction still prepared, after
 * its redo point: the rows it writes leave their writes out, and recovery needs them back.
 *
 * A transaction's records are appended in one synchronous step, so no checkpoint falls
 * between them: a checkpoint's redo point is either before all of them or after all.
 */
import { assert, type Logger, type Lsn } from "@tessera/base";
import type { Catalog } from "../catalog/catalog.js";
import type { Transaction } from "../txn/transaction.js";
import type { StatementRun, Transactions, TxnLog } from "../txn/transactions.js";
import type { FileSystem } from "../wal/fs.js";
import { writeCheckpoint } from "../wal/checkpoint.js";
import type { WalStats, WalWriter } from "../wal/wal-writer.js";
import { ByteReader, ByteWriter } from "./byte-buffer.js";
import { CheckpointRaced, checkpointChunks, encodeSequences } from "./checkpoint-image.js";
import { checkpointSettings, maxWalBytes } from "./checkpoint-settings.js";
import { catalogOpSlices, encodeStatement, RelationsByStore } from "./redo.js";
import type { Snapshot } from "./table-store.js";

export const enum RecordKind { Commit = 1, Data = 2, Sequences = 3, Prepare = 4, Abort = 5 }
/** Operation bytes per record: well under `limits.walRecordBytesMax`. */
const recordOpsBytesMax = 4 * 1024 * 1024;
/** Lazy checkpoints tried before one is built all at once (a table kept changing shape). */
const checkpointAttempts = 3;
const checkpointRetryDelayMs = 500;

export interface DurabilityOptions {
  readonly fs: FileSystem;
  readonly dir: string;
  readonly wal: WalWriter;
  readonly catalog: Catalog;
  readonly txns: Transactions;
  readonly logger: Logger;
  /** The catalog history the checkpoint and replay produced, oldest first. */
  readonly history: Uint8Array[];
  /** WAL bytes between checkpoints; max_wal_size by default. */
  readonly checkpointWalBytes?: number;
  /** Time between checkpoints when WAL was written; checkpoint_timeout by default. */
  readonly checkpointTimeoutMs?: number;
  /** Runs after each checkpoint: vacuum, when the engine is idle. */
  readonly afterCheckpoint?: () => void;
}

export class Durability implements TxnLog {
  private readonly relations = new RelationsByStore();
  private sequencesLogged = "";
  private checkpointRunning: Promise<void> | undefined;
  /** The snapshot a running checkpoint writes tables with: vacuum keeps what it sees. */
  private snapshotHeld: Snapshot | undefined;

  /** The oldest xid the running checkpoint's snapshot still counts running, if one runs. */
  get checkpointXmin(): number | undefined {
    const held = this.snapshotHeld;
    if (held === undefined) return undefined;
    let xmin = held.xmax;
    for (const xid of held.inProgress) if (xid < xmin) xmin = xid;
    return xmin;
  }
  private lsnCheckpoint: bigint;
  /** Where the WAL ended when the last checkpoint finished: nothing logged since, no timed one. */
  private lsnCheckpointEnd: bigint;
  private checkpointEndedAt = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: DurabilityOptions) {
    this.lsnCheckpoint = options.wal.lsnAppended;
    this.lsnCheckpointEnd = this.lsnCheckpoint;
    this.sequencesLogged = this.sequenceImage();
    this.armTimer();
  }

  /** The WAL writer's counters, read by /metrics. */
  get walStats(): Readonly<WalStats> {
    return this.options.wal.stats;
  }

  /** Where the log ends (records appended) and how far it is durable, as bigint LSNs. */
  get walPositions(): { readonly inserted: bigint; readonly flushed: bigint } {
    return { inserted: this.options.wal.lsnAppended, flushed: this.options.wal.lsnFlushed };
  }

  statementFinished(run: StatementRun): void {
    const chunk = encodeStatement(run, this.options.catalog, this.relations);
    if (chunk !== null) run.txn.redo.push(chunk);
  }

  commit(txn: Transaction): Promise<void> | null {
    assert(!this.closed, "no commits after close");
    const wal = this.options.wal;
    const sequences = this.logSequences();
    if (txn.redo.length === 0 && txn.prepared === undefined) {
      return sequences === null ? null : wal.flush(sequences);
    }
    const lsn = this.appendOps(txn, RecordKind.Commit, new Uint8Array(0));
    txn.commitAppended = true;
    for (const chunk of txn.redo) {
      if (chunk.ddl) this.options.history.push(...catalogOpSlices(chunk.bytes));
    }
    this.maybeCheckpoint();
    return wal.flush(lsn);
  }

  prepare(txn: Transaction): Promise<void> {
    assert(!this.closed, "no PREPARE after close");
    this.logSequences();
    const lsn = this.appendPrepare(txn);
    this.maybeCheckpoint();
    return this.options.wal.flush(lsn);
  }

  abortPrepared(txn: Transaction): Promise<void> {
    assert(!this.closed, "no ROLLBACK PREPARED after close");
    assert(txn.prepared !== undefined, "only prepared transactions log their abort");
    return this.options.wal.flush(this.options.wal.append(RecordKind.Abort,
      withXid(txn.xid, new Uint8Array(0))));
  }

  private appendPrepare(txn: Transaction): Lsn {
    const info = txn.prepared;
    assert(info !== undefined, "a PREPARE record is for a prepared transaction");
    const head = new ByteWriter();
    head.string(info.gid);
    head.string(info.owner);
    head.string(info.database);
    head.i64(info.preparedMicros);
    return this.appendOps(txn, RecordKind.Prepare, head.finish());
  }

  /** Appends the transaction's operations: DATA records, then `kind` with `head` and the tail. */
  private appendOps(txn: Transaction, kind: RecordKind, head: Uint8Array): Lsn {
    const wal = this.options.wal;
    // A transaction's records go in together, past the buffer limit if they must: its bytes
    // are in memory already, and the commit waits for the flush.
    const overflow = { overflow: true };
    let opsBytes = 0;
    for (const chunk of txn.redo) opsBytes += chunk.bytes.length;
    if (opsBytes <= recordOpsBytesMax) {
      // One record (every OLTP commit): its payload assembled in one buffer, in one copy.
      const parts = [head];
      for (const chunk of txn.redo) parts.push(chunk.bytes);
      return wal.append(kind, xidPayload(txn.xid, parts), overflow);
    }
    // DATA records of recordOpsBytesMax bytes each, then `kind` with the rest: each record's
    // payload copied once from the statements' chunks, never the whole transaction at once.
    const runs = byteRuns(txn.redo.map((chunk) => chunk.bytes), opsBytes, recordOpsBytesMax);
    for (let i = 0; i < runs.length - 1; i++) {
      wal.append(RecordKind.Data, xidPayload(txn.xid, runs[i]!), overflow);
    }
    return wal.append(kind, xidPayload(txn.xid, [head, ...runs[runs.length - 1]!]), overflow);
  }

  ended(_txn: Transaction): void {
    if (!this.closed) this.logSequences();
  }

  /** Writes a checkpoint now (or joins the one running). */
  checkpoint(): Promise<void> {
    this.checkpointRunning ??= this.writeCheckpoint().finally(() => {
      this.checkpointRunning = undefined;
    });
    return this.checkpointRunning;
  }

  /** Checkpoints and closes the WAL: the shutdown path. */
  async close(): Promise<void> {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.checkpoint();
    this.closed = true;
    await this.options.wal.close();
  }

  /**
   * Writes a checkpoint while writers keep running (rows are encoded lazily, see
   * `checkpointChunks`); one that raced a table's ALTER is taken again, the last time with
   * every chunk built at once.
   */
  private async writeCheckpoint(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.writeCheckpointOnce(attempt < checkpointAttempts);
        return;
      } catch (error) {
        if (!(error instanceof CheckpointRaced)) throw error;
        this.options.logger.info({ attempt, reason: error.message }, "checkpoint taken again");
        // DDL tends to come in bursts (pgbench -i adds three primary keys): let it pass.
        await new Promise((resolve) => setTimeout(resolve, checkpointRetryDelayMs));
      }
    }
  }

  private async writeCheckpointOnce(lazy: boolean): Promise<void> {
    const { wal, catalog, txns, fs, dir, logger } = this.options;
    const lsnRedo = wal.lsnAppended;
    for (const txn of txns.manager.preparedTransactions()) this.appendPrepare(txn);
    const snapshot = txns.manager.checkpointSnapshot();
    const chunks = checkpointChunks({ catalog, history: this.options.history.slice(), snapshot,
      xidNext: txns.manager.xidNext }, { lazy });
    this.snapshotHeld = snapshot;
    let written: Awaited<ReturnType<typeof writeCheckpoint>>;
    try {
      await wal.flush();
      written = await writeCheckpoint(fs, dir, chunks, lsnRedo);
    } finally {
      this.snapshotHeld = undefined;
    }
    this.lsnCheckpoint = lsnRedo;
    this.lsnCheckpointEnd = wal.lsnAppended;
    this.checkpointEndedAt = Date.now();
    this.options.afterCheckpoint?.();
    const { writeMs, syncMs, verifyMs, finishMs } = written.timings;
    logger.info({ lsnRedo: String(lsnRedo), bytes: written.fileBytes,
      segmentsRemoved: written.segmentsRemoved, writeMs: Math.round(writeMs),
      syncMs: Math.round(syncMs),
      verifyMs: Math.round(verifyMs), finishMs: Math.round(finishMs) }, "checkpoint written");
  }

  private maybeCheckpoint(): void {
    const walBytes = this.options.checkpointWalBytes ?? maxWalBytes();
    if (this.options.wal.lsnAppended - this.lsnCheckpoint < BigInt(walBytes)) return;
    this.checkpointInBackground("max_wal_size");
  }

  private checkpointInBackground(reason: string): void {
    if (this.checkpointRunning !== undefined || this.closed) return;
    this.options.logger.debug({ reason }, "checkpoint starting");
    this.checkpoint().catch((error: unknown) => {
      this.options.logger.error({ err: error }, "checkpoint failed");
    });
  }

  /**
   * Wakes up checkpoint_timeout after the last checkpoint ended (a later one moves the time)
   * and checkpoints if anything was logged since, as Postgres's checkpointer does.
   */
  private armTimer(): void {
    if (this.closed) return;
    const timeoutMs = this.options.checkpointTimeoutMs ?? checkpointSettings().checkpointTimeoutMs;
    const wait = Math.max(0, this.checkpointEndedAt + timeoutMs - Date.now());
    this.timer = setTimeout(() => {
      const due = Date.now() - this.checkpointEndedAt >= timeoutMs;
      if (due && this.options.wal.lsnAppended > this.lsnCheckpointEnd) {
        this.checkpointInBackground("checkpoint_timeout");
      }
      if (due) this.checkpointEndedAt = Math.max(this.checkpointEndedAt, Date.now());
      this.armTimer();
    }, wait);
    this.timer.unref();
  }

  /** Appends the sequence positions when any moved since last logged; returns its LSN. */
  private logSequences(): Lsn | null {
    const image = this.sequenceImage();
    if (image === this.sequencesLogged) return null;
    this.sequencesLogged = image;
    const out = new ByteWriter();
    encodeSequences(out, this.options.catalog);
    return this.options.wal.append(RecordKind.Sequences, out.finish());
  }

  private sequenceImage(): string {
    let image = "";
    for (const seq of this.options.catalog.allSequences()) {
      image += `${seq.oid}:${seq.last ?? ""}:${seq.restartAt ?? ""};`;
    }
    return image;
  }
}

/**
 * Cuts the bytes of `parts` (`total` in all) into runs of `max` bytes, the last one holding
 * the rest (1 to `max` bytes): each run is a list of views into the parts, nothing copied.
 */
function byteRuns(parts: readonly Uint8Array[], total: number,
  max: number): Uint8Array[][] {
  const runs: Uint8Array[][] = [];
  let run: Uint8Array[] = [];
  let room = max;
  let left = total;
  for (const part of parts) {
    let at = 0;
    while (at < part.length) {
      // A full run closes only when bytes remain after it: the last run is never empty.
      if (room === 0 && left > 0) {
        runs.push(run);
        run = [];
        room = max;
      }
      const take = Math.min(room, part.length - at);
      run.push(part.subarray(at, at + take));
      at += take;
      room -= take;
      left -= take;
    }
  }
  runs.push(run);
  return runs;
}

/** The varuint `xid` (as `ByteWriter.varuint` writes it), then `parts`, in one new buffer. */
function xidPayload(xid: number, parts: readonly Uint8Array[]): Uint8Array {
  assert(xid > 0 && Number.isSafeInteger(xid), "logged transactions have xids");
  let xidBytes = 1;
  for (let rest = xid; rest >= 0x80; rest = Math.floor(rest / 0x80)) xidBytes++;
  let length = xidBytes;
  for (const part of parts) length += part.length;
  const payload = new Uint8Array(length);
  let at = 0;
  let rest = xid;
  while (rest >= 0x80) {
    payload[at++] = (rest % 0x80) | 0x80;
    rest = Math.floor(rest / 0x80);
  }
  payload[at++] = rest;
  for (const part of parts) {
    payload.set(part, at);
    at += part.length;
  }
  assert(at === length, "a record payload fills its buffer");
  return payload;
}

function withXid(xid: number, ops: Uint8Array): Uint8Array {
  assert(xid > 0, "logged transactions have xids");
  const out = new ByteWriter();
  out.varuint(xid);
  const head = out.finish();
  const payload = new Uint8Array(head.length + ops.length);
  payload.set(head);
  payload.set(ops, head.length);
  return payload;
}

/** Splits a COMMIT or DATA payload into its xid and operation bytes. */
export function readXid(payload: Uint8Array): { xid: number; ops: Uint8Array } {
  const input = new ByteReader(payload);
  const xid = input.varuint();
  assert(xid > 0, "logged transactions have xids");
  return { xid, ops: payload.subarray(input.offset) };
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
