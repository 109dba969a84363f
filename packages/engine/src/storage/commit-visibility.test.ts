import { test } from "node:test";
import assert from "node:assert/strict";
import { initParser } from "@tessera/sql";
import { Engine } from "../engine.js";
import { FaultyFileSystem } from "../wal/faulty-fs.js";
import { MemoryFileSystem } from "../wal/memory-fs.js";
import { TestClient } from "../txn/test-client.js";

async function open(fs: FaultyFileSystem): Promise<Engine> {
  await initParser();
  return Engine.open({ dataDir: "/data", fs });
}

/** Lets the event loop run until `done()` holds (a commit reached its fsync). */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !done(); i++) await new Promise((r) => setImmediate(r));
  assert.ok(done(), "the condition came true");
}

function settled(promise: Promise<unknown>): () => boolean {
  let over = false;
  promise.then(() => { over = true; }, () => { over = true; });
  return () => over;
}

test("a commit is visible to other sessions only once its WAL record is fsynced", async () => {
  const fs = new FaultyFileSystem(new MemoryFileSystem());
  const engine = await open(fs);
  const [a, b] = [new TestClient(engine), new TestClient(engine)];
  await a.query("create table t (id int primary key, v int)");
  await a.query("insert into t values (1, 0)");
  const release = fs.holdSyncs("/wal/");
  const insert = a.query("insert into t values (2, 0)");
  await until(() => fs.syncsHeld === 1);
  const insertDone = settled(insert);
  assert.deepEqual(await b.query("select id from t order by id"), [["1"]]);
  assert.equal(insertDone(), false, "the commit waits for the disk");
  release();
  await insert;
  assert.deepEqual(await b.query("select id from t order by id"), [["1"], ["2"]]);
  await engine.close();
});

test("row locks of a committing transaction are held until its record is durable",
  async () => {
    const fs = new FaultyFileSystem(new MemoryFileSystem());
    const engine = await open(fs);
    const [a, b] = [new TestClient(engine), new TestClient(engine)];
    await a.query("create table t (id int primary key, v int)");
    await a.query("insert into t values (1, 0)");
    await a.query("begin; update t set v = v + 1 where id = 1");
    const release = fs.holdSyncs("/wal/");
    const commit = a.query("commit");
    await until(() => fs.syncsHeld === 1);
    assert.deepEqual(await b.query("select v from t"), [["0"]]);
    await assert.rejects(b.query("select v from t for update nowait"), { code: "55P03" });
    // A writer waits for the committing transaction, then sees its update (READ COMMITTED).
    const update = b.query("update t set v = v + 10 where id = 1");
    const updateDone = settled(update);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(updateDone(), false, "the second writer waits");
    release();
    await commit;
    await update;
    assert.deepEqual(await a.query("select v from t"), [["11"]]);
    await engine.close();
  });

test("concurrent commits still share one fsync (group commit)", async () => {
  const fs = new FaultyFileSystem(new MemoryFileSystem());
  const engine = await open(fs);
  const clients = [0, 1, 2, 3].map(() => new TestClient(engine));
  await clients[0]!.query("create table t (id int)");
  const release = fs.holdSyncs("/wal/");
  const first = clients[0]!.query("insert into t values (0)");
  await until(() => fs.syncsHeld === 1);
  const rest = clients.slice(1).map((c, i) => c.query(`insert into t values (${i + 1})`));
  await new Promise((r) => setTimeout(r, 20));
  const syncsBefore = fs.syncCount;
  assert.deepEqual(await clients[0]!.query("select count(*) from t"), [["0"]]);
  release();
  await Promise.all([first, ...rest]);
  assert.equal(fs.syncCount - syncsBefore, 1, "the three waiting commits share one fsync");
  assert.deepEqual(await clients[0]!.query("select count(*) from t"), [["4"]]);
  await engine.close();
});
