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
 *   chunk 4  rows        varuint table OID, rows to the chunk's end  (about 256 KiB each;
 *                        format 1 had a varuint row count after the OID)
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
import { seesAbove, stampFloor, type RowVersion, type Snapshot } from "./table-store.js";
import { decodeRow, encodeRow } from "./value-codec.js";

const enum ChunkKind { Header = 1, History = 2, Sequences = 3, Rows = 4 }
/** The format written; format 1 (a row count in each rows chunk) is still read. */
const formatVersion = 2;
const chunkBytesTarget = 256 << 10;
/**
 * The time one slice of a lazy checkpoint may take before it lets clients in: each client
 * statement waits for at most about one slice, and a pgbench transaction is seven of them.
 */
const sliceMs = 3;
/** Versions judged between two looks at the clock. */
const clockEvery = 64;

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
 * the file is written, in slices of about `sliceMs` with the event loop free between them
 * (mid-chunk too), so clients keep being served. That is still one consistent moment: rows
 * are judged by the snapshot, versions added later are invisible to it, vacuum and TRUNCATE
 * replace arrays instead of editing them, and a table whose shape changes meanwhile fails
 * the checkpoint (`CheckpointRaced`). `lazy: false` builds everything now, for a retry that
 * must not race.
 */
export function checkpointChunks(state: CheckpointState, options: { lazy: boolean }):
  AsyncIterable<Uint8Array> | Uint8Array[] {
  const head = headChunks(state);
  const tables: TableImage[] = [];
  for (const rel of state.catalog.allRelations()) {
    if ((rel.kind !== "r" && rel.kind !== "m") || rel.virtualRows !== undefined ||
      isTempSchema(rel.schema)) continue;
    const versions = rel.store.versions;
    tables.push({ oid: rel.oid, name: rel.name, rel, relVersion: rel.version, versions,
      length: versions.length });
  }
  if (!options.lazy) {
    const chunks = [...head];
    const clock = new SliceClock(Number.POSITIVE_INFINITY);
    for (const table of tables) {
      for (const chunk of rowChunks(table, state.snapshot, clock, false)) {
        if (chunk !== pause) chunks.push(chunk);
      }
    }
    return chunks;
  }
  return lazyChunks(head, tables, state.snapshot);
}

/** What `rowChunks` yields when its slice is over before its chunk is full. */
const pause = new Uint8Array(0);

/** The time left in the current slice. */
class SliceClock {
  private deadline = 0;

  constructor(private readonly ms: number) {
    this.restart();
  }

  restart(): void {
    this.deadline = performance.now() + this.ms;
  }

  get over(): boolean {
    return performance.now() >= this.deadline;
  }
}

async function* lazyChunks(head: Uint8Array[], tables: TableImage[], snapshot: Snapshot):
  AsyncGenerator<Uint8Array> {
  yield* head;
  const clock = new SliceClock(sliceMs);
  for (const table of tables) {
    const chunks = rowChunks(table, snapshot, clock, true);
    for (;;) {
      // Other statements may have run at every yield (the writer awaits its I/O) and pause.
      if (table.rel.version !== table.relVersion) throw new CheckpointRaced(table.name);
      const step = chunks.next();
      if (step.done === true) break;
      if (step.value !== pause) yield step.value;
      // The writer checksums and stages a chunk before it asks for the next: in the slice too.
      if (!clock.over) continue;
      await new Promise<void>((resolve) => setImmediate(resolve));
      clock.restart();
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
 * A table's visible rows as chunks of about `chunkBytesTarget`, and `pause` whenever `clock`
 * says the slice is over (the chunk being filled goes on after it). With `reuse`, each chunk
 * is a view of one buffer, valid until the next step: the snapshot writer copies it first.
 * That spares V8 hundreds of megabytes of buffers per checkpoint, which count as external
 * memory, and enough of those start a full marking of the heap.
 */
function* rowChunks(table: TableImage, snapshot: Snapshot, clock: SliceClock, reuse: boolean):
  Generator<Uint8Array> {
  const floor = stampFloor(snapshot);
  let out = new ByteWriter(chunkBytesTarget + (chunkBytesTarget >> 3));
  startRows(out, table.oid);
  const empty = out.length;
  for (let next = 0; next < table.length;) {
    const end = Math.min(table.length, next + clockEvery);
    for (; next < end; next++) {
      const version = table.versions[next]!;
      if (!seesAbove(snapshot, floor, version)) continue;
      encodeRow(out, version.values);
      if (out.length < chunkBytesTarget) continue;
      if (reuse) {
        yield out.peek();
        out.truncate(0);
      } else {
        yield out.finish();
        out = new ByteWriter(chunkBytesTarget + (chunkBytesTarget >> 3));
      }
      startRows(out, table.oid);
    }
    if (clock.over) yield pause;
  }
  if (out.length > empty) yield reuse ? out.peek() : out.finish();
}

/** Starts a rows chunk in `out`. */
function startRows(out: ByteWriter, oid: number): void {
  assert(out.length === 0, "a rows chunk starts an empty writer");
  out.u8(ChunkKind.Rows);
  out.varuint(oid);
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
  let format = 0;
  const history: Uint8Array[] = [];
  for await (const chunk of chunks) {
    const input = new ByteReader(chunk);
    const kind = input.u8() as ChunkKind;
    if (kind === ChunkKind.Header) {
      format = input.i32();
      assert(format === 1 || format === formatVersion, "the checkpoint format is known");
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
      await loadRows(input, replayer, format);
    }
    assert(input.done, "a checkpoint chunk is read whole");
  }
  replayer.finish();
  if (oidNext > catalog.oidNext) catalog.oidNext = oidNext;
  return { xidNext, history };
}

async function loadRows(input: ByteReader, replayer: Replayer, format: number):
  Promise<void> {
  const oid = input.varuint();
  if (format === 1) {
    for (let n = input.varuint(); n > 0; n--) {
      await replayer.apply({ kind: OpKind.Insert, oid, row: decodeRow(input) });
    }
    return;
  }
  while (!input.done) {
    await replayer.apply({ kind: OpKind.Insert, oid, row: decodeRow(input) });
  }
}
