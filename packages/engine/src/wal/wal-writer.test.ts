import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lsn, SqlError, SqlState } from "@tessera/base";
import { writeCheckpoint } from "./checkpoint.js";
import { FaultyFileSystem } from "./faulty-fs.js";
import { NodeFileSystem, type FileSystem } from "./fs.js";
import { MemoryFileSystem } from "./memory-fs.js";
import { recover } from "./recovery.js";
import { listSegments } from "./segments.js";
import { collect, idOf, payloadFor } from "./testing.js";
import { WalWriter, type WalWriterOptions } from "./wal-writer.js";

const dir = "/db";
const isSqlError = (code: string) => (error: unknown): boolean =>
  error instanceof SqlError && error.code === code;

async function openWriter(
  fs: FileSystem, options: Partial<WalWriterOptions> = {},
): Promise<WalWriter> {
  const recovery = await recover(fs, dir);
  return WalWriter.open({ fs, dir, lsnStart: recovery.lsnEnd, ...options });
}

/** Recovers `fs` and returns the ids of the replayed records. */
async function recoveredIds(fs: FileSystem): Promise<number[]> {
  const recovery = await recover(fs, dir);
  return (await collect(recovery.records)).map((record) => idOf(record.payload));
}

test("appended and flushed records come back in order across segment files", async () => {
  const fs = new MemoryFileSystem();
  const wal = await openWriter(fs, { segmentBytes: 256 });
  const lsns = [];
  for (let id = 0; id < 40; id++) lsns.push(wal.append(1 + (id % 3), payloadFor(id, id % 50)));
  await wal.flush();
  assert.equal(wal.lsnFlushed, wal.lsnAppended);
  await wal.close();
  assert.ok((await listSegments(fs, dir)).length > 5, "records spread over several segments");
  const recovery = await recover(fs, dir);
  const records = await collect(recovery.records);
  assert.deepEqual(records.map((r) => idOf(r.payload)), [...Array(40).keys()]);
  assert.deepEqual(records.map((r) => r.lsn), lsns);
  assert.deepEqual(records.map((r) => r.kind).slice(0, 4), [1, 2, 3, 1]);
  assert.equal(recovery.lsnEnd, wal.lsnAppended);
  assert.equal(recovery.tornTail, null);
  const again = await openWriter(fs, { segmentBytes: 256 });
  await again.flush(again.append(1, payloadFor(40, 0)));
  await again.close();
  assert.deepEqual(await recoveredIds(fs), [...Array(41).keys()]);
});

test("group commit: concurrent flushes share fsyncs and all survive a crash", async () => {
  const fs = new MemoryFileSystem();
  const wal = await openWriter(fs);
  const committers = 64;
  const fsyncsBefore = wal.stats.fsyncCount;
  await Promise.all(Array.from({ length: committers }, async (_, id) => {
    await new Promise((resolve) => setImmediate(resolve));
    await wal.flush(wal.append(1, payloadFor(id, 10)));
  }));
  const fsyncs = wal.stats.fsyncCount - fsyncsBefore;
  assert.ok(fsyncs < committers / 4, `${fsyncs} fsyncs for ${committers} commits`);
  fs.crash();
  assert.deepEqual((await recoveredIds(fs)).sort((a, b) => a - b), [...Array(committers).keys()]);
});

test("group commit: committers in a loop collect the next batch during an fsync", async () => {
  const fs = new MemoryFileSystem();
  const wal = await openWriter(fs);
  const sessions = 16;
  const commits = 20;
  await Promise.all(Array.from({ length: sessions }, async (_, session) => {
    for (let i = 0; i < commits; i++) {
      await wal.flush(wal.append(1, payloadFor(session * commits + i, 8)));
    }
  }));
  assert.ok(wal.stats.flushBatchCount < sessions * commits / 4,
    `${wal.stats.flushBatchCount} batches for ${sessions * commits} commits`);
  assert.equal(wal.stats.recordsAppended, sessions * commits);
  fs.crash();
  assert.equal((await recoveredIds(fs)).length, sessions * commits);
});

test("flush of an earlier record resolves while later ones are still buffered", async () => {
  const fs = new MemoryFileSystem();
  const wal = await openWriter(fs, { writerDelayMs: 60_000 });
  const first = wal.append(1, payloadFor(1, 0));
  await wal.flush(first);
  wal.append(1, payloadFor(2, 0));
  await wal.flush(first);
  assert.ok(wal.lsnFlushed < wal.lsnAppended);
  assert.equal(wal.bytesUnflushed, 21);
  fs.crash();
  assert.deepEqual(await recoveredIds(fs), [1]);
});

test("synchronous_commit=off: the background flusher makes records durable", async () => {
  const fs = new MemoryFileSystem();
  const wal = await openWriter(fs, { writerDelayMs: 50 });
  wal.append(1, payloadFor(7, 3));
  wal.append(1, payloadFor(8, 3));
  assert.equal(wal.stats.fsyncCount, 0);
  await new Promise((resolve) => setTimeout(resolve, 250));
  assert.equal(wal.lsnFlushed, wal.lsnAppended);
  fs.crash();
  assert.deepEqual(await recoveredIds(fs), [7, 8]);
});

test("synchronous_commit=off: a crash before the background flush loses only those", async () => {
  const fs = new MemoryFileSystem();
  const wal = await openWriter(fs, { writerDelayMs: 60_000 });
  await wal.flush(wal.append(1, payloadFor(1, 3)));
  wal.append(1, payloadFor(2, 3));
  fs.crash();
  assert.deepEqual(await recoveredIds(fs), [1]);
});

test("a full buffer refuses appends with 53200 and waitForRoom waits for the disk", async () => {
  const fs = new MemoryFileSystem();
  const wal = await openWriter(fs, { bufferBytesMax: 1000, writerDelayMs: 60_000 });
  let appended = 0;
  assert.throws(() => {
    for (; appended < 100; appended++) wal.append(1, payloadFor(appended, 79));
  }, isSqlError(SqlState.outOfMemory));
  assert.equal(appended, 10);
  await wal.waitForRoom();
  assert.ok(wal.bytesUnflushed <= 500);
  wal.append(1, payloadFor(appended, 79));
  await wal.close();
  assert.equal((await recoveredIds(fs)).length, 11);
});

test("a failed fsync fails the flush and every later call, and loses nothing acked", async () => {
  const disk = new MemoryFileSystem();
  const fs = new FaultyFileSystem(disk);
  const wal = await openWriter(fs);
  await wal.flush(wal.append(1, payloadFor(1, 5)));
  fs.inject({ op: "sync", path: "/wal/" });
  const pending = [wal.flush(wal.append(1, payloadFor(2, 5))), wal.flush()];
  for (const flush of pending) await assert.rejects(flush, isSqlError(SqlState.ioError));
  assert.throws(() => wal.append(1, payloadFor(3, 5)), isSqlError(SqlState.ioError));
  await assert.rejects(wal.flush(), isSqlError(SqlState.ioError));
  await wal.close();
  disk.crash();
  assert.deepEqual(await recoveredIds(disk), [1]);
});

test("a torn append is cut off by recovery and new appends start cleanly", async () => {
  const disk = new MemoryFileSystem();
  const fs = new FaultyFileSystem(disk);
  const wal = await openWriter(fs);
  await wal.flush(wal.append(1, payloadFor(1, 40)));
  fs.inject({ op: "append", tornBytes: 30 });
  wal.append(1, payloadFor(2, 40));
  wal.append(1, payloadFor(3, 40));
  await assert.rejects(wal.flush(), isSqlError(SqlState.ioError));
  await wal.close();
  const recovery = await recover(disk, dir);
  assert.equal(recovery.tornTail?.bytesDiscarded, 30);
  assert.deepEqual((await collect(recovery.records)).map((r) => idOf(r.payload)), [1]);
  const next = await WalWriter.open({ fs: disk, dir, lsnStart: recovery.lsnEnd });
  await next.flush(next.append(1, payloadFor(4, 40)));
  await next.close();
  disk.crash();
  assert.deepEqual(await recoveredIds(disk), [1, 4]);
});

test("an error creating the next segment surfaces as 58030", async () => {
  const disk = new MemoryFileSystem();
  const fs = new FaultyFileSystem(disk);
  const wal = await openWriter(fs, { segmentBytes: 100 });
  fs.inject({ op: "open", path: "/wal/" });
  const first = wal.append(1, payloadFor(1, 50));
  wal.append(1, payloadFor(2, 50));
  await assert.rejects(wal.flush(), isSqlError(SqlState.ioError));
  assert.ok(wal.lsnFlushed > first, "the first segment was written before the switch failed");
  await wal.close();
  disk.crash();
  assert.deepEqual(await recoveredIds(disk), [1]);
});

test("opening a log that was not recovered is a bug", async () => {
  const fs = new MemoryFileSystem();
  const wal = await openWriter(fs);
  await wal.flush(wal.append(1, payloadFor(1, 5)));
  await wal.close();
  await assert.rejects(WalWriter.open({ fs, dir, lsnStart: lsn(0n) }), /recover before writing/);
});

test("on the real file system: write, checkpoint, tear the tail, recover, continue", async () => {
  const root = await mkdtemp(join(tmpdir(), "tessera-wal-"));
  try {
    const fs = new NodeFileSystem();
    const wal = await WalWriter.open({ fs, dir: root, lsnStart: lsn(0n), segmentBytes: 300 });
    await Promise.all([...Array(20).keys()].map((id) =>
      wal.flush(wal.append(1, payloadFor(id, 30)))));
    const lsnRedo = wal.lsnAppended;
    await writeCheckpoint(fs, root, [Uint8Array.of(20)], lsnRedo);
    for (let id = 20; id < 30; id++) await wal.flush(wal.append(1, payloadFor(id, 30)));
    await wal.close();
    const last = (await listSegments(fs, root)).at(-1)!;
    await appendFile(last.path, Uint8Array.of(40, 0, 0, 0, 1, 2, 3));
    const recovery = await recover(fs, root);
    assert.equal(recovery.tornTail?.bytesDiscarded, 7);
    assert.deepEqual(await collect(recovery.checkpoint!.chunks()), [Uint8Array.of(20)]);
    const ids = (await collect(recovery.records)).map((r) => idOf(r.payload));
    assert.deepEqual(ids, [...Array(10).keys()].map((i) => 20 + i));
    const next = await WalWriter.open({ fs, dir: root, lsnStart: recovery.lsnEnd });
    await next.flush(next.append(1, payloadFor(30, 0)));
    await next.close();
    assert.equal((await recoveredIdsIn(fs, root)).at(-1), 30);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

async function recoveredIdsIn(fs: FileSystem, root: string): Promise<number[]> {
  return (await collect((await recover(fs, root)).records)).map((r) => idOf(r.payload));
}

test("on the real file system: O_DSYNC segments are zero-filled ahead and cut back", async () => {
  const root = await mkdtemp(join(tmpdir(), "tessera-wal-"));
  try {
    const fs = new NodeFileSystem();
    const wal = await WalWriter.open({ fs, dir: root, lsnStart: lsn(0n), segmentBytes: 4000,
      preallocateBytes: 1000 });
    for (let id = 0; id < 12; id++) await wal.flush(wal.append(1, payloadFor(id, 30)));
    const segments = await listSegments(fs, root);
    if (!(await fs.open(segments[0]!.path, "read", { durableWrites: true })).durableWrites) {
      await wal.close();
      return; // no O_DSYNC here: nothing is preallocated
    }
    const open = await Promise.all(segments.map(async (s) => (await fs.readFile(s.path)).length));
    assert.ok(segments.length > 1, "records spread over segments");
    assert.ok(open.slice(0, -1).every((size, i) =>
      BigInt(size) === segments[i + 1]!.lsnStart - segments[i]!.lsnStart),
    "a segment the writer left ends at its records");
    const lastStart = segments.at(-1)!.lsnStart;
    assert.ok(BigInt(open.at(-1)!) > wal.lsnFlushed - lastStart, "the last one runs ahead");
    // A crash now: recovery finds every record and takes the zeros for the end of the log.
    const recovery = await recover(fs, root);
    assert.equal(recovery.tornTail, null);
    assert.equal(recovery.lsnEnd, wal.lsnFlushed);
    assert.deepEqual((await collect(recovery.records)).map((r) => idOf(r.payload)),
      [...Array(12).keys()]);
    const next = await WalWriter.open({ fs, dir: root, lsnStart: recovery.lsnEnd,
      segmentBytes: 4000, preallocateBytes: 1000 });
    await next.flush(next.append(1, payloadFor(12, 2000)));
    await next.close();
    const last = (await listSegments(fs, root)).at(-1)!;
    assert.equal(BigInt((await fs.readFile(last.path)).length), next.lsnFlushed - last.lsnStart,
      "close cuts the zeros off");
    assert.deepEqual(await recoveredIdsIn(fs, root), [...Array(13).keys()]);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test("on the real file system: pipelined group writes across segments keep the log whole",
  async () => {
    const root = await mkdtemp(join(tmpdir(), "tessera-wal-"));
    try {
      const fs = new NodeFileSystem();
      const options = { fs, dir: root, segmentBytes: 1000, preallocateBytes: 300 };
      const wal = await WalWriter.open({ ...options, lsnStart: lsn(0n) });
      const sessions = 6;
      const commits = 15;
      const flushed: bigint[] = [];
      await Promise.all(Array.from({ length: sessions }, async (_, session) => {
        for (let i = 0; i < commits; i++) {
          const at = wal.append(1, payloadFor(session * commits + i, 10 + ((i * 37) % 90)));
          await wal.flush(at);
          assert.ok(wal.lsnFlushed > at, "a flush resolves once its record is durable");
          flushed.push(wal.lsnFlushed);
        }
      }));
      assert.equal(wal.lsnFlushed, wal.lsnAppended);
      assert.ok(flushed.every((at, i) => i === 0 || at >= flushed[i - 1]!),
        "the durable end only moves forward");
      assert.ok((await listSegments(fs, root)).length > 3, "records spread over segments");
      const recovery = await recover(fs, root);
      assert.equal(recovery.tornTail, null);
      assert.equal(recovery.lsnEnd, wal.lsnFlushed);
      const ids = (await collect(recovery.records)).map((r) => idOf(r.payload));
      assert.deepEqual(ids.sort((a, b) => a - b), [...Array(sessions * commits).keys()]);
      await wal.close();
      assert.equal((await recover(fs, root)).lsnEnd, wal.lsnAppended);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
