import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FaultyFileSystem } from "./faulty-fs.js";
import { errorCode, NodeFileSystem, type FileSystem } from "./fs.js";
import { MemoryFileSystem } from "./memory-fs.js";
import { seededRandom } from "./testing.js";

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

/** The same contract checks, run on the real and the in-memory file system. */
async function conformance(fs: FileSystem, root: string): Promise<void> {
  const dir = `${root}/a/b`;
  await fs.mkdir(dir);
  await fs.mkdir(dir);
  assert.deepEqual(await fs.list(dir), []);
  const file = await fs.open(`${dir}/f`, "createNew");
  await assert.rejects(fs.open(`${dir}/f`, "createNew"), (e) => errorCode(e) === "EEXIST");
  await file.append(bytes(1, 2, 3));
  await file.append(bytes(4));
  await file.write(1, bytes(9));
  assert.equal(await file.size(), 4);
  assert.deepEqual(await file.read(0, 10), bytes(1, 9, 3, 4));
  await file.truncate(2);
  await file.append(bytes(5));
  await file.sync();
  await file.close();
  assert.deepEqual(await fs.readFile(`${dir}/f`), bytes(1, 9, 5));
  await fs.rename(`${dir}/f`, `${dir}/g`);
  await fs.syncDir(dir);
  assert.deepEqual(await fs.list(dir), ["g"]);
  assert.equal(await fs.exists(`${dir}/f`), false);
  assert.equal(await fs.exists(`${dir}/g`), true);
  const reopened = await fs.open(`${dir}/g`, "readWrite");
  assert.equal(await reopened.size(), 3);
  await reopened.append(bytes(6));
  await reopened.close();
  assert.deepEqual(await fs.readFile(`${dir}/g`), bytes(1, 9, 5, 6));
  await fs.unlink(`${dir}/g`);
  await assert.rejects(fs.open(`${dir}/g`, "read"), (e) => errorCode(e) === "ENOENT");
  await assert.rejects(fs.readFile(`${dir}/g`), (e) => errorCode(e) === "ENOENT");
}

test("the node file system keeps the FileSystem contract", async () => {
  const root = await mkdtemp(join(tmpdir(), "tessera-wal-fs-"));
  try {
    await conformance(new NodeFileSystem(), root);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test("durable writes: O_DSYNC handles on the node file system, plain ones in memory",
  async () => {
    const root = await mkdtemp(join(tmpdir(), "tessera-wal-fs-"));
    try {
      const fs = new NodeFileSystem();
      const file = await fs.open(`${root}/seg`, "createNew", { durableWrites: true });
      assert.equal(file.durableWrites, process.platform !== "win32");
      await file.append(bytes(1, 2));
      await file.close();
      const again = await fs.open(`${root}/seg`, "readWrite", { durableWrites: true });
      await again.append(bytes(3));
      assert.equal(await again.size(), 3);
      await again.close();
      assert.deepEqual(await fs.readFile(`${root}/seg`), bytes(1, 2, 3));
      const plain = await fs.open(`${root}/seg`, "read");
      assert.equal(plain.durableWrites, false);
      await plain.close();
      const memory = new MemoryFileSystem();
      await memory.mkdir("/m");
      const inMemory = await memory.open("/m/seg", "createNew", { durableWrites: true });
      assert.equal(inMemory.durableWrites, false, "memory handles leave syncing to the caller");
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

test("the memory file system keeps the FileSystem contract", async () => {
  await conformance(new MemoryFileSystem(), "/root");
});

test("a crash keeps synced bytes and durable names only", async () => {
  const fs = new MemoryFileSystem();
  await fs.mkdir("/d");
  const kept = await fs.open("/d/kept", "createNew");
  await fs.syncDir("/d");
  await kept.append(bytes(1, 2));
  await kept.sync();
  await kept.append(bytes(3, 4));
  const lost = await fs.open("/d/lost", "createNew");
  await lost.append(bytes(7));
  await lost.sync();
  fs.crash();
  assert.deepEqual(await fs.list("/d"), ["kept"]);
  assert.deepEqual(await fs.readFile("/d/kept"), bytes(1, 2));
  await assert.rejects(kept.append(bytes(5)), (e) => errorCode(e) === "EBADF");
});

test("a crash undoes an unsynced rename and unlink", async () => {
  const fs = new MemoryFileSystem();
  await fs.mkdir("/d");
  for (const name of ["a", "b"]) {
    const file = await fs.open(`/d/${name}`, "createNew");
    await file.append(new TextEncoder().encode(name));
    await file.sync();
  }
  await fs.syncDir("/d");
  await fs.rename("/d/a", "/d/b");
  await fs.unlink("/d/b");
  assert.deepEqual(await fs.list("/d"), []);
  fs.crash();
  assert.deepEqual(await fs.list("/d"), ["a", "b"]);
  assert.deepEqual(await fs.readFile("/d/b"), new TextEncoder().encode("b"));
});

test("a crash may keep a prefix of unsynced appends, never more", async () => {
  const random = seededRandom(11);
  const lengths = new Set<number>();
  for (let round = 0; round < 50; round++) {
    const fs = new MemoryFileSystem();
    await fs.mkdir("/d");
    const file = await fs.open("/d/f", "createNew");
    await fs.syncDir("/d");
    await file.append(bytes(1, 2, 3));
    await file.sync();
    await file.append(bytes(4, 5, 6, 7));
    fs.crash({ random });
    const after = await fs.readFile("/d/f");
    assert.deepEqual(after, bytes(1, 2, 3, 4, 5, 6, 7).subarray(0, after.length));
    assert.ok(after.length >= 3);
    lengths.add(after.length);
  }
  assert.ok(lengths.size > 3, "several prefix lengths were kept");
});

test("injected faults fail the chosen calls, and torn writes land a prefix", async () => {
  const disk = new MemoryFileSystem();
  const fs = new FaultyFileSystem(disk);
  await fs.mkdir("/d");
  fs.inject({ op: "sync", path: "/d/f", skip: 1 });
  fs.inject({ op: "append", tornBytes: 2, skip: 1 });
  const file = await fs.open("/d/f", "createNew");
  await file.sync();
  await assert.rejects(file.sync(), (e) => errorCode(e) === "EIO");
  await file.sync();
  await file.append(bytes(1, 2, 3));
  await assert.rejects(file.append(bytes(4, 5, 6)), /torn append of 2 of 3 bytes/);
  assert.deepEqual(await disk.readFile("/d/f"), bytes(1, 2, 3, 4, 5));
  assert.equal(fs.faultCount, 2);
});

test("a dying file system fails every later call", async () => {
  const disk = new MemoryFileSystem();
  const fs = new FaultyFileSystem(disk);
  await fs.mkdir("/d");
  const file = await fs.open("/d/f", "createNew");
  fs.die({ afterOps: 1, random: () => 0.5 });
  await file.append(bytes(1, 2));
  await assert.rejects(file.append(bytes(3, 4, 5, 6)), /torn append of 2 of 4/);
  await assert.rejects(file.sync(), /after the process died/);
  await assert.rejects(fs.list("/d"), /after the process died/);
  assert.equal(fs.dead, true);
});
