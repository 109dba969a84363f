import { test } from "node:test";
import assert from "node:assert/strict";
import { initParser } from "@tessera/sql";
import { Engine } from "../engine.js";
import { MemoryFileSystem } from "../wal/memory-fs.js";
import { TestClient } from "../txn/test-client.js";
import { Autovacuum, deadVersions } from "./vacuum.js";

/**
 * Under a continuous UPDATE load some statement always runs, so vacuum cannot renumber slots:
 * it must reclaim dead versions in place and drop their index entries, in slices.
 */
test("under a continuous update load, stored rows and index entries stay bounded", async () => {
  await initParser();
  const engine = await Engine.open({ dataDir: "/data", fs: new MemoryFileSystem() });
  const clients = [0, 1, 2, 3].map(() => new TestClient(engine));
  await clients[0]!.query("create table hot (id int primary key, n int)");
  await clients[0]!.query("insert into hot select g, 0 from generate_series(1, 10) g");
  const rel = [...engine.catalog.allRelations()].find((r) => r.name === "hot")!;
  // As the engine's own background vacuum, but as if a statement were always running.
  const vacuum = new Autovacuum({
    catalog: engine.catalog,
    canVacuum: () => false,
    horizon: () => engine.txns.manager.oldestXmin(),
  }, 1);
  const rounds = 60;
  const perClient = 50;
  let maxStored = 0;
  let maxEntries = 0;
  for (let round = 0; round < rounds; round++) {
    await Promise.all(clients.map(async (c, k) => {
      for (let i = 0; i < perClient / 10; i++) {
        await c.query(`update hot set n = n + 1 where id = ${1 + ((k * 3 + i) % 10)}`);
      }
    }));
    vacuum.tick();
    maxStored = Math.max(maxStored, rel.store.versions.length - rel.store.reclaimed);
    maxEntries = Math.max(maxEntries, rel.indexes[0]!.tree.size);
  }
  const updates = rounds * clients.length * (perClient / 10);
  assert.ok(vacuum.dropped > updates / 2, `reclaimed ${vacuum.dropped} of ${updates}`);
  assert.ok(maxStored < 200, `stored versions stayed bounded (${maxStored})`);
  assert.ok(maxEntries < 200, `index entries stayed bounded (${maxEntries})`);
  assert.ok(deadVersions(rel) < 100);
  assert.deepEqual(await clients[1]!.query("select sum(n), count(*) from hot"),
    [[String(updates), "10"]]);
  assert.deepEqual(await clients[2]!.query("select n from hot where id = 1"),
    await clients[3]!.query("select n from hot where id + 0 = 1"));
  // Once idle, vacuum compacts the slots the reclaimed versions kept.
  assert.ok(engine.vacuum() > 0);
  assert.equal(rel.store.versions.length, 10);
  assert.equal(rel.indexes[0]!.tree.size, 10);
  await engine.close();
});
