import { test } from "node:test";
import assert from "node:assert/strict";
import { lsn, SqlError, SqlState } from "@tessera/base";
import { readCheckpoint, snapshotPath, writeCheckpoint } from "./checkpoint.js";
import { controlPath, readControl } from "./control-file.js";
import { FaultyFileSystem } from "./faulty-fs.js";
import { MemoryFileSystem } from "./memory-fs.js";
import { recover } from "./recovery.js";
import { listSegments } from "./segments.js";
import { collect, idOf, payloadFor, randomInt, seededRandom } from "./testing.js";
import { WalWriter } from "./wal-writer.js";

const dir = "/db";
const isCorrupt = (error: unknown): boolean =>
  error instanceof SqlError && error.code === SqlState.dataCorrupted;
const corruptBecause = (pattern: RegExp) => (error: unknown): boolean =>
  isCorrupt(error) && pattern.test((error as SqlError).detail ?? "");

function chunksOf(ids: number[], perChunk: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < ids.length; i += perChunk) {
    const slice = ids.slice(i, i + perChunk);
    chunks.push(new Uint8Array(Uint32Array.from(slice).buffer));
  }
  return chunks;
}

function idsOf(chunks: Uint8Array[]): number[] {
  return chunks.flatMap((chunk) => [...new Uint32Array(chunk.slice().buffer)]);
}

async function* generated(ids: number[]): AsyncGenerator<Uint8Array> {
  const reused = new Uint8Array(4);
  for (const id of ids) {
    new DataView(reused.buffer).setUint32(0, id, true);
    yield reused; // the writer must copy or write before asking for the next chunk
  }
}

test("a checkpoint round-trips its chunks, from an array or an async source", async () => {
  const fs = new MemoryFileSystem();
  const chunks = [
    new Uint8Array(0), payloadFor(1, 5000), payloadFor(2, 3_000_000), payloadFor(3, 1),
  ];
  const written = await writeCheckpoint(fs, dir, chunks, lsn(0n));
  assert.equal(written.chunkCount, 4);
  const checkpoint = await readCheckpoint(fs, dir);
  assert.ok(checkpoint !== null);
  assert.equal(checkpoint.checkpointId, 1n);
  assert.deepEqual(await collect(checkpoint.chunks()), chunks);
  await writeCheckpoint(fs, dir, generated([5, 6, 7]), lsn(0n));
  const second = await readCheckpoint(fs, dir);
  assert.equal(second?.checkpointId, 2n);
  assert.deepEqual(idsOf(await collect(second!.chunks())), [5, 6, 7]);
  assert.deepEqual(await fs.list(`${dir}/snapshot`), [`${"2".padStart(16, "0")}.snap`]);
});

test("recovery loads the snapshot, replays the tail, and old segments are removed", async () => {
  const fs = new MemoryFileSystem();
  const wal = await WalWriter.open({ fs, dir, lsnStart: lsn(0n), segmentBytes: 200 });
  for (let id = 0; id < 30; id++) wal.append(1, payloadFor(id, 20));
  const lsnRedo = wal.lsnAppended;
  await wal.flush();
  const segmentsBefore = (await listSegments(fs, dir)).length;
  const written = await writeCheckpoint(fs, dir, chunksOf([...Array(30).keys()], 7), lsnRedo);
  assert.ok(written.segmentsRemoved > 0);
  assert.equal((await listSegments(fs, dir)).length, segmentsBefore - written.segmentsRemoved);
  for (let id = 30; id < 45; id++) wal.append(1, payloadFor(id, 20));
  await wal.flush();
  fs.crash();
  const recovery = await recover(fs, dir);
  assert.equal(recovery.lsnRedo, lsnRedo);
  const snapshotIds = idsOf(await collect(recovery.checkpoint!.chunks()));
  const replayed = (await collect(recovery.records)).map((r) => idOf(r.payload));
  assert.deepEqual([...snapshotIds, ...replayed], [...Array(45).keys()]);
  assert.deepEqual(replayed, [...Array(15).keys()].map((i) => 30 + i));
});

test("a checkpoint right at a segment boundary keeps the segment it needs", async () => {
  const fs = new MemoryFileSystem();
  const wal = await WalWriter.open({ fs, dir, lsnStart: lsn(0n), segmentBytes: 100 });
  await wal.flush(wal.append(1, payloadFor(1, 79)));
  await wal.flush(wal.append(1, payloadFor(2, 79)));
  const lsnRedo = wal.lsnAppended;
  await writeCheckpoint(fs, dir, chunksOf([1, 2], 10), lsnRedo);
  await wal.close();
  const recovery = await recover(fs, dir);
  assert.equal(recovery.lsnEnd, lsnRedo);
  assert.deepEqual(await collect(recovery.records), []);
  const next = await WalWriter.open({ fs, dir, lsnStart: recovery.lsnEnd, segmentBytes: 100 });
  await next.flush(next.append(1, payloadFor(3, 79)));
  await next.close();
  const again = await recover(fs, dir);
  assert.deepEqual((await collect(again.records)).map((r) => idOf(r.payload)), [3]);
});

test("a damaged snapshot is refused with XX001, wherever the damage is", async () => {
  const random = seededRandom(5);
  const fs = new MemoryFileSystem();
  await writeCheckpoint(fs, dir, chunksOf([...Array(100).keys()], 9), lsn(0n));
  const path = snapshotPath(dir, 1n);
  const good = await fs.readFile(path);
  for (let trial = 0; trial < 60; trial++) {
    const bad = good.slice();
    const at = trial < 40 ? (trial * 7) % good.length : randomInt(random, good.length);
    bad[at] = bad[at]! ^ 0x10;
    await replaceFile(fs, path, bad);
    await assert.rejects(readCheckpoint(fs, dir), isCorrupt, `byte ${at}`);
    await assert.rejects(recover(fs, dir), isCorrupt);
  }
  await replaceFile(fs, path, good.subarray(0, good.length - 1));
  await assert.rejects(readCheckpoint(fs, dir), corruptBecause(/ends inside the item/));
  await replaceFile(fs, path, Buffer.concat([good, new Uint8Array(1)]));
  await assert.rejects(readCheckpoint(fs, dir), corruptBecause(/Bytes follow its trailer/));
  await fs.unlink(path);
  await assert.rejects(readCheckpoint(fs, dir), /is missing/);
});

test("a damaged control file is refused with XX001", async () => {
  const fs = new MemoryFileSystem();
  await writeCheckpoint(fs, dir, chunksOf([1], 1), lsn(0n));
  const good = await fs.readFile(controlPath(dir));
  for (let at = 0; at < good.length; at++) {
    const bad = good.slice();
    bad[at] = bad[at]! ^ 1;
    await replaceFile(fs, controlPath(dir), bad);
    await assert.rejects(readControl(fs, dir), isCorrupt, `byte ${at}`);
  }
});

test("a crash at any step of a checkpoint leaves the old or the new one, whole", async () => {
  for (let afterOps = 0; afterOps < 60; afterOps++) {
    const disk = new MemoryFileSystem();
    await writeCheckpoint(disk, dir, chunksOf([1, 2, 3], 2), lsn(0n));
    const fs = new FaultyFileSystem(disk);
    fs.die({ afterOps, random: seededRandom(afterOps) });
    const finished = await writeCheckpoint(fs, dir, chunksOf([4, 5], 1), lsn(0n)).then(
      () => true, () => false);
    disk.crash({ random: seededRandom(afterOps + 1) });
    const checkpoint = await readCheckpoint(disk, dir);
    const ids = idsOf(await collect(checkpoint!.chunks()));
    assert.ok(finished ? ids.join() === "4,5" : ids.join() === "1,2,3" || ids.join() === "4,5",
      `after ${afterOps} ops: ${ids.join()}`);
    if (finished) break;
  }
});

test("an I/O error in a checkpoint surfaces and leaves the old one current", async () => {
  const disk = new MemoryFileSystem();
  await writeCheckpoint(disk, dir, chunksOf([1], 1), lsn(0n));
  const fs = new FaultyFileSystem(disk);
  fs.inject({ op: "sync", path: ".snap" });
  await assert.rejects(writeCheckpoint(fs, dir, chunksOf([2], 1), lsn(0n)), /EIO/);
  const checkpoint = await readCheckpoint(disk, dir);
  assert.deepEqual(idsOf(await collect(checkpoint!.chunks())), [1]);
});

async function replaceFile(fs: MemoryFileSystem, path: string, bytes: Uint8Array): Promise<void> {
  if (await fs.exists(path)) await fs.unlink(path);
  const file = await fs.open(path, "createNew");
  await file.append(bytes);
  await file.close();
}
