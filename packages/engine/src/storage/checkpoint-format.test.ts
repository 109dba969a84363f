import { test } from "node:test";
import assert from "node:assert/strict";
import { initParser } from "@tessera/sql";
import { Engine } from "../engine.js";
import { readCheckpoint, writeCheckpoint } from "../wal/checkpoint.js";
import { MemoryFileSystem } from "../wal/memory-fs.js";
import { collect } from "../wal/testing.js";
import { TestClient } from "../txn/test-client.js";
import { ByteReader, ByteWriter } from "./byte-buffer.js";
import { decodeRow } from "./value-codec.js";

const dir = "/data";
const rowsKind = 4;

async function open(fs: MemoryFileSystem): Promise<Engine> {
  await initParser();
  return Engine.open({ dataDir: dir, fs });
}

/** A format 2 chunk as format 1 wrote it: the header's version 1, rows chunks with a count. */
function asFormat1(chunk: Uint8Array, index: number): Uint8Array {
  if (index === 0) {
    const copy = chunk.slice();
    new DataView(copy.buffer).setInt32(1, 1, true);
    return copy;
  }
  const input = new ByteReader(chunk);
  if (input.u8() !== rowsKind) return chunk;
  const oid = input.varuint();
  const start = input.offset;
  let count = 0;
  for (; !input.done; count++) decodeRow(input);
  const out = new ByteWriter();
  out.u8(rowsKind);
  out.varuint(oid);
  out.varuint(count);
  const head = out.finish();
  const chunk1 = new Uint8Array(head.length + chunk.length - start);
  chunk1.set(head);
  chunk1.set(chunk.subarray(start), head.length);
  return chunk1;
}

test("a checkpoint in format 1 (rows chunks with a row count) still loads", async () => {
  const fs = new MemoryFileSystem();
  const engine = await open(fs);
  const a = new TestClient(engine);
  await a.query("create table t (id int primary key, s text, j jsonb)");
  await a.query(`insert into t select g, repeat('y', g % 50), ('{"k": ' || g || '}')::jsonb
    from generate_series(1, 30000) g`);
  await a.query("delete from t where id % 5 = 0");
  const before = await a.query("select * from t order by id");
  await engine.close();
  const current = await readCheckpoint(fs, dir);
  assert.ok(current !== null);
  const chunks = await collect(current.chunks());
  const converted = chunks.map(asFormat1);
  assert.ok(converted.filter((c, i) => c !== chunks[i] && i > 0).length > 1,
    "several rows chunks were rewritten");
  await writeCheckpoint(fs, dir, converted, current.lsnRedo);
  fs.crash();
  const b = new TestClient(await open(fs));
  assert.deepEqual(await b.query("select * from t order by id"), before);
  assert.deepEqual(await b.query("select count(*) from t"), [["24000"]]);
});
