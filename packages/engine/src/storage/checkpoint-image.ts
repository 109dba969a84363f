/**
 * The engine's checkpoint snapshot: the chunks `wal/checkpoint.ts` writes between its header
 * and trailer, as of one consistent moment: the catalog as the history of committed utility
 * statements, every sequence's position, and every committed row (transactions whose commit
 * record is appended count as committed). Rows are encoded while the file is written
 * (`checkpointChunks`), so writers keep running.
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
import type { Relation } from "../catalog/relation.js";
import { ByteReader, ByteWriter } from "./byte-buffer.js";
import { decodeOp, OpKind } from "./redo.js";
import type { Replayer } from "./replay.js";
import { sees, type RowVersion, type Snapshot } from "./table-store.js";
import { decodeRow, encodeRow } from "./value-codec.js";

const enum ChunkKind { Header = 1, History = 2, Sequences = 3, Rows = 4 }
const formatVersion = 1;
const chunkBytesTarget = 1 << 20;
/** Versions judged per chunk at most, so a table of dead versions pauses too. */
const scanVersionsMax = 50_000;

export interface CheckpointState {
  readonly catalog: Catalog;
  readonly history: readonly Uint8Array[];
  readonly snapshot: Snapshot;
  readonly xidNext: number;
}

/** A table's rows as the checkpoint found them: its version array and length then. */
interface TableImage {
  readonly oid: number;
  readonly name: string;
  readonly rel: Relation;
  /** The relation's version when the checkpoint began: any DDL on it bumps it. */
  readonly relVersion: number;
  readonly versions: readonly RowVersion[];
  readonly length: number;
}

/**
 * DDL changed a table (ALTER TABLE may rewrite stored rows in place: ADD COLUMN, ALTER
 * COLUMN TYPE, also with USING to the same type) while a lazy checkpoint had its rows still
 * to write: those rows could disagree with the catalog history the checkpoint holds, so the
 * checkpoint is abandoned and taken again.
 */
export class CheckpointRaced extends Error {
  constructor(table: string) {
    super(`table "${table}" changed shape while the checkpoint wrote it`);
  }
}

/**
 * The chunks of a checkpoint taken now. The header, history and sequences are built at once;
 * each table's version array is captured by reference (cheap), and its rows are encoded as
 * the file is written, a chunk at a time with the event loop free between chunks, so clients
 * keep being served. That is still one consistent moment: rows are judged by the snapshot,
 * versions added later are invisible to it, vacuum and TRUNCATE replace arrays instead of
 * editing them, and a table whose shape changes meanwhile fails the checkpoint
 * (`CheckpointRaced`). `lazy: false` builds everything now, for a retry that must not race.
 */
export function checkpointChunks(state: CheckpointState, options: { lazy: boolean }):
  AsyncIterable<Uint8Array> | Uint8Array[] {
  const head = headChunks(state);
  const tables: TableImage[] = [];
  for (const rel of state.catalog.allRelations()) {
    if (rel.kind !== "r" || rel.virtualRows !== undefined || isTempSchema(rel.schema)) continue;
    const versions = rel.store.versions;
    tables.push({ oid: rel.oid, name: rel.name, rel, relVersion: rel.version, versions,
      length: versions.length });
  }
  if (!options.lazy) {
    const chunks = [...head];
    for (const table of tables) for (const chunk of rowChunks(table, state.snapshot)) {
      chunks.push(chunk);
    }
    return chunks;
  }
  return lazyChunks(head, tables, state.snapshot);
}

async function* lazyChunks(head: Uint8Array[], tables: TableImage[], snapshot: Snapshot):
  AsyncGenerator<Uint8Array> {
  yield* head;
  for (const table of tables) {
    const chunks = rowChunks(table, snapshot);
    for (;;) {
      if (table.rel.version !== table.relVersion) throw new CheckpointRaced(table.name);
      const step = chunks.next();
      if (step.done === true) break;
      if (step.value.length > 0) yield step.value;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}

function headChunks(state: CheckpointState): Uint8Array[] {
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
  assert(chunks.length >= 3, "a checkpoint has a header, a history and sequences");
  return chunks;
}

function startChunk(kind: ChunkKind): ByteWriter {
  const out = new ByteWriter();
  out.u8(kind);
  return out;
}

/**
 * A table's visible rows as chunks of about `chunkBytesTarget`; an empty array marks a pause
 * after `scanVersionsMax` versions without a full chunk (many invisible versions).
 */
function* rowChunks(table: TableImage, snapshot: Snapshot): Generator<Uint8Array> {
  let next = 0;
  while (next < table.length) {
    const body = new ByteWriter();
    let count = 0;
    const scanEnd = Math.min(table.length, next + scanVersionsMax);
    for (; next < scanEnd && body.length < chunkBytesTarget; next++) {
      const version = table.versions[next]!;
      if (!sees(snapshot, version)) continue;
      encodeRow(body, version.values);
      count++;
    }
    if (count === 0) {
      yield new Uint8Array(0);
      continue;
    }
    const out = startChunk(ChunkKind.Rows);
    out.varuint(table.oid);
    out.varuint(count);
    const head = out.finish();
    const tail = body.finish();
    const chunk = new Uint8Array(head.length + tail.length);
    chunk.set(head);
    chunk.set(tail, head.length);
    yield chunk;
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
