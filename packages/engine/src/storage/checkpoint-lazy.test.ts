import { test } from "node:test";
import assert from "node:assert/strict";
import { initParser } from "@tessera/sql";
import { Engine } from "../engine.js";
import { MemoryFileSystem } from "../wal/memory-fs.js";
import { TestClient } from "../txn/test-client.js";

async function open(fs: MemoryFileSystem): Promise<Engine> {
  await initParser();
  return Engine.open({ dataDir: "/data", fs });
}

const state = "select id, v, s from t order by id";

/** A table of several 1 MiB checkpoint chunks. */
async function filled(fs: MemoryFileSystem): Promise<{ engine: Engine; a: TestClient }> {
  const engine = await open(fs);
  const a = new TestClient(engine);
  await a.query("create table t (id int primary key, v int, s text)");
  await a.query("insert into t select g, 0, repeat('x', 60) from generate_series(1, 60000) g");
  return { engine, a };
}

test("writers keep committing while a checkpoint writes, and a crash recovers it all",
  async () => {
    const fs = new MemoryFileSystem();
    const { engine, a } = await filled(fs);
    let over = false;
    const checkpoint = engine.checkpoint().then(() => { over = true; });
    let during = 0;
    for (let i = 1; !over; i++) {
      await a.query(`update t set v = v + 1 where id = ${i}`);
      await a.query(`insert into t values (${100000 + i}, ${i}, 'new')`);
      if (!over) during++;
    }
    await checkpoint;
    assert.ok(during > 0, "statements committed while the checkpoint ran");
    await a.query("delete from t where id % 7 = 0");
    const before = await a.query(state);
    fs.crash();
    const b = new TestClient(await open(fs));
    assert.deepEqual(await b.query(state), before);
  });

test("ALTER TABLE during a checkpoint makes it start again; the result is consistent",
  async () => {
    const fs = new MemoryFileSystem();
    const { engine, a } = await filled(fs);
    const checkpoint = engine.checkpoint();
    await new Promise((resolve) => setImmediate(resolve));
    await a.query("alter table t alter column v type bigint using v + 5");
    await a.query("alter table t add column w int default 9");
    await a.query("update t set v = -1 where id = 2");
    await checkpoint;
    const before = await a.query("select id, v, s, w from t order by id");
    assert.deepEqual(before[1], ["2", "-1", "x".repeat(60), "9"]);
    assert.deepEqual(before[0], ["1", "5", "x".repeat(60), "9"]);
    fs.crash();
    const b = new TestClient(await open(fs));
    assert.deepEqual(await b.query("select id, v, s, w from t order by id"), before);
  });
