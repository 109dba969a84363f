import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lsn, SqlError, SqlState } from "@tessera/base";
import { NodeFileSystem, type FileSystem } from "./fs.js";
import { MemoryFileSystem } from "./memory-fs.js";
import { scanSnapshotFile, verifySnapshotFile, writeSnapshotFile } from "./snapshot-file.js";
import { payloadFor } from "./testing.js";

const isCorrupt = (error: unknown): boolean =>
  error instanceof SqlError && error.code === SqlState.dataCorrupted;

async function chunksOf(fs: FileSystem, path: string): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  const scan = scanSnapshotFile(fs, path);
  for (let step = await scan.next(); step.done !== true; step = await scan.next()) {
    chunks.push(step.value);
  }
  return chunks;
}

test("snapshots of version 1 (CRC-32C) and 2 (CRC-32) read back; damage fails either", async () => {
  const fs = new MemoryFileSystem();
  await fs.mkdir("/s");
  const chunks = [payloadFor(1, 100), payloadFor(2, 700_000), new Uint8Array(0), payloadFor(3, 9)];
  const header = { checkpointId: 3n, lsnRedo: lsn(77n) };
  const v1 = await writeSnapshotFile(fs, "/s/v1", header, chunks, 1);
  const v2 = await writeSnapshotFile(fs, "/s/v2", header, chunks);
  assert.notEqual(v1.fileCrc, v2.fileCrc, "the two versions checksum differently");
  for (const [path, wrote] of [["/s/v1", v1], ["/s/v2", v2]] as const) {
    assert.deepEqual(await chunksOf(fs, path), chunks);
    const summary = await verifySnapshotFile(fs, path);
    assert.equal(summary.fileCrc, wrote.fileCrc);
    assert.equal(summary.chunkCount, 4);
    const good = await fs.readFile(path);
    assert.equal(new DataView(good.buffer, good.byteOffset).getUint32(8, true),
      path === "/s/v1" ? 1 : 2);
    for (const at of [0, 9, 20, 35, 40, 44, 500, 300_000, good.length - 30, good.length - 1]) {
      const bad = good.slice();
      bad[at] = bad[at]! ^ 0x04;
      await fs.unlink(path);
      const file = await fs.open(path, "createNew");
      await file.append(bad);
      await file.sync();
      await file.close();
      await assert.rejects(verifySnapshotFile(fs, path), isCorrupt, `${path} byte ${at}`);
    }
  }
});

test("on the real file system, checking reads through one buffer and still finds damage",
  async () => {
    const dir = await mkdtemp(join(tmpdir(), "tessera-snap-"));
    try {
      const fs = new NodeFileSystem();
      const chunks = [payloadFor(1, 900_000), payloadFor(2, 2_500_000), payloadFor(3, 10)];
      const path = join(dir, "s");
      const wrote = await writeSnapshotFile(fs, path, { checkpointId: 1n, lsnRedo: lsn(5n) },
        chunks);
      assert.equal((await verifySnapshotFile(fs, path)).fileCrc, wrote.fileCrc);
      assert.deepEqual(await chunksOf(fs, path), chunks, "a plain scan hands out whole copies");
      const bad = await fs.readFile(path);
      bad[2_000_000] = bad[2_000_000]! ^ 1;
      await writeFile(path, bad);
      await assert.rejects(verifySnapshotFile(fs, path), isCorrupt);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
