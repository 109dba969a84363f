/**
 * Start-up of a durable engine: `wal/recovery.ts` validates the checkpoint and the log,
 * then this replays them into the engine (the checkpoint's history and rows, then every
 * committed transaction in the log), vacuums what replayed deletes left, opens the WAL
 * writer where the log ends and attaches durability to the transaction layer. A checkpoint
 * follows when anything was replayed, so the next start replays less.
 *
 * Progress goes to `reportProgress` (task "recovery", in bytes: the checkpoint's snapshot,
 * then the WAL from the redo point to its end), which the CLI draws as a progress bar.
 */
import { throttledProgress, type Logger } from "@tessera/base";
import type { Engine } from "../engine.js";
import type { FileSystem } from "../wal/fs.js";
import { recordHeaderBytes } from "../wal/record.js";
import { recover } from "../wal/recovery.js";
import { WalWriter } from "../wal/wal-writer.js";
import { ByteReader } from "./byte-buffer.js";
import { applySequences, loadCheckpoint } from "./checkpoint-image.js";
import { concat, Durability, readXid, RecordKind } from "./durability.js";
import { decodeOp, OpKind } from "./redo.js";
import { Replayer } from "./replay.js";
import { vacuumIdle } from "./vacuum.js";
import { readPrepareHead, RecoveredPrepared } from "./recover-prepared.js";

export interface RecoverEngineOptions {
  readonly fs: FileSystem;
  readonly dir: string;
  readonly logger: Logger;
  readonly checkpointWalBytes?: number;
  /** WAL bytes buffered ahead of the disk (default `limits.walBufferBytesMax`). */
  readonly walBufferBytesMax?: number;
  readonly afterCheckpoint?: () => void;
}

/** Recovers `engine` (new and empty) from `dir`; returns its durability, attached. */
export async function recoverEngine(engine: Engine, options: RecoverEngineOptions):
  Promise<Durability> {
  const { fs, dir, logger } = options;
  await fs.mkdir(dir);
  const recovery = await recover(fs, dir, { logger });
  const replayer = new Replayer(engine, logger);
  let history: Uint8Array[] = [];
  let xidMax = 0;
  const snapshotBytes = recovery.checkpoint?.fileBytes ?? 0;
  const walBytes = Number(recovery.lsnEnd - recovery.lsnRedo);
  const progress = throttledProgress("recovery", snapshotBytes + walBytes);
  progress(0);
  if (recovery.checkpoint !== null) {
    const loaded = await loadCheckpoint(counted(recovery.checkpoint.chunks(), progress),
      replayer, engine.catalog);
    history = loaded.history;
    xidMax = loaded.xidNext;
  }
  const pending = new Map<number, Uint8Array[]>();
  const prepared = new RecoveredPrepared(engine.txns.manager);
  let commits = 0;
  for await (const record of recovery.records) {
    progress(snapshotBytes + Number(record.lsn - recovery.lsnRedo) + recordHeaderBytes
      + record.payload.length);
    if (record.kind === RecordKind.Sequences) {
      applySequences(new ByteReader(record.payload), engine.catalog);
      continue;
    }
    const { xid, ops } = readXid(record.payload);
    xidMax = Math.max(xidMax, xid);
    const parts = pending.get(xid) ?? [];
    if (record.kind === RecordKind.Data) {
      parts.push(ops);
      pending.set(xid, parts);
      continue;
    }
    pending.delete(xid);
    if (record.kind === RecordKind.Abort) {
      prepared.abort(xid);
      continue;
    }
    if (record.kind === RecordKind.Prepare) {
      const { info, rest } = readPrepareHead(ops);
      await prepared.prepare(xid, info, concat([...parts, rest]), replayer);
      continue;
    }
    commits++;
    if (prepared.commit(xid, history)) continue;
    parts.push(ops);
    await replayOps(concat(parts), replayer, history);
  }
  replayer.finish();
  progress(snapshotBytes + walBytes);
  engine.txns.manager.advanceXid(xidMax + 1);
  const vacuumed = vacuumIdle(engine.catalog, () => prepared.size === 0,
    engine.txns.manager.xidNext);
  for (const txn of prepared.remaining()) engine.txns.manager.adoptPrepared(txn);
  logger.info({ commits, uncommitted: pending.size, prepared: prepared.size,
    ops: replayer.opCount,
    failed: replayer.failedCount, vacuumed }, "recovery replayed the WAL");
  const wal = await WalWriter.open({ fs, dir, lsnStart: recovery.lsnEnd, logger,
    ...(options.walBufferBytesMax !== undefined &&
      { bufferBytesMax: options.walBufferBytesMax }) });
  const durability = new Durability({ fs, dir, wal, catalog: engine.catalog, txns: engine.txns,
    logger, history, ...(options.checkpointWalBytes !== undefined &&
      { checkpointWalBytes: options.checkpointWalBytes }),
    ...(options.afterCheckpoint !== undefined && { afterCheckpoint: options.afterCheckpoint }) });
  engine.txns.log = durability;
  if (commits > 0 || recovery.tornTail !== null) await durability.checkpoint();
  return durability;
}

/** Applies one transaction's operations; catalog-changing ones join the history. */
async function replayOps(bytes: Uint8Array, replayer: Replayer, history: Uint8Array[]):
  Promise<void> {
  const input = new ByteReader(bytes);
  while (!input.done) {
    const start = input.offset;
    const op = decodeOp(input);
    if (op.kind === OpKind.Utility && op.catalog) history.push(bytes.slice(start, input.offset));
    await replayer.apply(op);
  }
}

/** Passes chunks through, reporting the bytes read so far (a chunk's header is 8 bytes). */
async function* counted(chunks: AsyncIterable<Uint8Array>, progress: (done: number) => void):
  AsyncGenerator<Uint8Array> {
  let done = 0;
  for await (const chunk of chunks) {
    done += chunk.length + 8;
    progress(done);
    yield chunk;
  }
}
