/**
 * The engine's checkpoint snapshot: the chunks `wal/checkpoint.ts` writes between its header
 * and trailer. Taken synchronously, so it is one consistent moment: the catalog as the
 * history of committed utility statements, every sequence's position, and every committed
 * row (transactions whose commit record is appended count as committed).
 *
 *   chunk 1  header      u32 format, varuint next OID, varuint next xid
 *   chunk 2  history     varuint count, (varuint length, utility op)...
 *   chunk 3  sequences   see `encodeSequences`
 *   chunk 4  rows        varuint table OID, varuint count, rows...  (about 1 MiB each)
 *
 * Loading replays the history into an empty engine, then sets the sequences and loads the
 * rows (`Replayer`), so the next steps of recovery replay the WAL on top.
 */
import { assert } from "@tessera/base";
import type { Catalog } from "../catalog/catalog.js";
import { isTempSchema } from "../catalog/catalog.js";
import { ByteReader, ByteWriter } from "./byte-buffer.js";
import { decodeOp, OpKind } from "./redo.js";
import type { Replayer } from "./replay.js";
import { sees, type Snapshot } from "./table-store.js";
import { decodeRow, encodeRow } from "./value-codec.js";

const enum ChunkKind { Header = 1, History = 2, Sequences = 3, Rows = 4 }
const formatVersion = 1;
const chunkBytesTarget = 1 << 20;

export interface CheckpointState {
  readonly catalog: Catalog;
  readonly history: readonly Uint8Array[];
  readonly snapshot: Snapshot;
  readonly xidNext: number;
}

/** Builds every chunk of a checkpoint now, in memory. */
export function checkpointChunks(state: CheckpointState): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  const header = new ByteWriter();
  header.u8(ChunkKind.Header);
  header.i32(formatVersion);
  header.varuint(state.catalog.oidNext);
  header.varuint(state.xidNext);
  chunks.push(header.finish());
  let out = startChunk(ChunkKind.History);
  for (const op of state.history) {
    if (out.length > chunkBytesTarget) {
      chunks.push(out.finish());
      out = startChunk(ChunkKind.History);
    }
    out.raw(op);
  }
  chunks.push(out.finish());
  const sequences = startChunk(ChunkKind.Sequences);
  encodeSequences(sequences, state.catalog);
  chunks.push(sequences.finish());
  for (const rel of state.catalog.allRelations()) {
    if (rel.kind !== "r" || rel.virtualRows !== undefined || isTempSchema(rel.schema)) continue;
    rowChunks(chunks, rel.oid, rel.store.versions.filter((v) => sees(state.snapshot, v))
      .map((v) => v.values));
  }
  assert(chunks.length >= 3, "a checkpoint has a header, a history and sequences");
  return chunks;
}

function startChunk(kind: ChunkKind): ByteWriter {
  const out = new ByteWriter();
  out.u8(kind);
  return out;
}

function rowChunks(chunks: Uint8Array[], oid: number, rows: readonly (readonly unknown[])[]):
  void {
  for (let start = 0; start < rows.length;) {
    const body = new ByteWriter();
    let count = 0;
    while (start + count < rows.length && body.length < chunkBytesTarget) {
      encodeRow(body, rows[start + count] as Parameters<typeof encodeRow>[1]);
      count++;
    }
    const out = startChunk(ChunkKind.Rows);
    out.varuint(oid);
    out.varuint(count);
    const head = out.finish();
    const tail = body.finish();
    const chunk = new Uint8Array(head.length + tail.length);
    chunk.set(head);
    chunk.set(tail, head.length);
    chunks.push(chunk);
    start += count;
  }
}

/** Every sequence's position: varuint count, (OID, last or none, restart or none)... */
export function encodeSequences(out: ByteWriter, catalog: Catalog): void {
  const sequences = [...catalog.allSequences()].filter((s) => !isTempSchema(s.schema));
  out.varuint(sequences.length);
  for (const seq of sequences) {
    out.varuint(seq.oid);
    encodeOptional(out, seq.last);
    encodeOptional(out, seq.restartAt);
  }
}

/** Sets the positions `encodeSequences` wrote on the sequences that exist. */
export function applySequences(input: ByteReader, catalog: Catalog): void {
  for (let n = input.varuint(); n > 0; n--) {
    const oid = input.varuint();
    const last = decodeOptional(input);
    const restartAt = decodeOptional(input);
    const seq = catalog.sequence(oid);
    if (seq === undefined) continue;
    seq.last = last;
    seq.restartAt = restartAt;
    seq.logCount = 0;
  }
}

function encodeOptional(out: ByteWriter, value: bigint | null): void {
  out.u8(value === null ? 0 : 1);
  if (value !== null) out.i64(value);
}

function decodeOptional(input: ByteReader): bigint | null {
  return input.u8() === 0 ? null : input.i64();
}

/** Loads a checkpoint's chunks; returns its next xid and the history it held. */
export async function loadCheckpoint(chunks: AsyncIterable<Uint8Array>, replayer: Replayer,
  catalog: Catalog): Promise<{ xidNext: number; history: Uint8Array[] }> {
  let xidNext = 0;
  let oidNext = 0;
  const history: Uint8Array[] = [];
  for await (const chunk of chunks) {
    const input = new ByteReader(chunk);
    const kind = input.u8() as ChunkKind;
    if (kind === ChunkKind.Header) {
      assert(input.i32() === formatVersion, "the checkpoint format is known");
      oidNext = input.varuint();
      xidNext = input.varuint();
    } else if (kind === ChunkKind.History) {
      while (!input.done) {
        const op = input.raw();
        history.push(op);
        await replayer.apply(decodeOp(new ByteReader(op)));
      }
    } else if (kind === ChunkKind.Sequences) {
      applySequences(input, catalog);
    } else {
      assert(kind === ChunkKind.Rows, `checkpoint chunk kind ${kind} is known`);
      await loadRows(input, replayer);
    }
    assert(input.done, "a checkpoint chunk is read whole");
  }
  replayer.finish();
  if (oidNext > catalog.oidNext) catalog.oidNext = oidNext;
  return { xidNext, history };
}

async function loadRows(input: ByteReader, replayer: Replayer): Promise<void> {
  const oid = input.varuint();
  for (let n = input.varuint(); n > 0; n--) {
    await replayer.apply({ kind: OpKind.Insert, oid, row: decodeRow(input) });
  }
}
