import { test } from "node:test";
import assert from "node:assert/strict";
import { initParser } from "@tessera/sql";
import type { Xid } from "@tessera/base";
import { Engine } from "../engine.js";
import { MemoryFileSystem } from "../wal/memory-fs.js";
import { TestClient } from "../txn/test-client.js";
import { lineClient } from "../txn/test-session.js";
import { stampOf } from "../txn/stamp.js";
import type { Relation } from "../catalog/relation.js";
import type { RowVersion } from "./table-store.js";
import { chainLength, pruneChain } from "./version-chains.js";

async function open(fs = new MemoryFileSystem()): Promise<Engine> {
  await initParser();
  return Engine.open({ dataDir: "/data", fs });
}

function table(engine: Engine, name: string): Relation {
  return [...engine.catalog.allRelations()].find((r) => r.name === name)!;
}

/** The version index `k` of `rel` reaches under `key`: its chain's head. */
function head(rel: Relation, key: number, k = 0): RowVersion {
  const entry = rel.indexes[k]!.tree.findEqual([key], () => true);
  assert.ok(entry !== undefined, `an entry for ${key}`);
  return entry.version;
}

const rows = 1000;

async function setup(engine: Engine): Promise<[TestClient, TestClient, Relation]> {
  const [a, b] = [new TestClient(engine), new TestClient(engine)];
  await a.query("create table t (id int primary key, v int, s text)");
  await a.query(`insert into t select g, g * 10, 'r' || g from generate_series(1, ${rows}) g`);
  return [a, b, table(engine, "t")];
}

test("an update of a non-indexed column joins the key's chain; every snapshot finds its version",
  async () => {
    const engine = await open();
    const [a, b, rel] = await setup(engine);
    await b.query("begin isolation level repeatable read");
    assert.deepEqual(await b.query("select v from t where id = 1"), [["10"]]);
    for (let i = 0; i < 3; i++) await a.query("update t set v = v + 1 where id = 1");
    assert.equal(rel.indexes[0]!.tree.size, rows, "no entries for the new versions");
    assert.equal(chainLength(head(rel, 1)), 4);
    assert.equal(head(rel, 1).values[1], 13);
    // Point lookup, range walk, seq scan and a locking read, old and new snapshots.
    assert.deepEqual(await a.query("select v from t where id = 1"), [["13"]]);
    assert.deepEqual(await b.query("select v from t where id = 1"), [["10"]]);
    assert.deepEqual(await a.query("select id, v from t where id between 1 and 2 order by id"),
      [["1", "13"], ["2", "20"]]);
    assert.deepEqual(await b.query("select id, v from t where id <= 2 order by id desc"),
      [["2", "20"], ["1", "10"]]);
    assert.deepEqual(await b.query("select v from t where id + 0 = 1"), [["10"]]);
    assert.deepEqual(await a.query("select v from t where id = 1 for update"), [["13"]]);
    await b.query("commit");
    assert.deepEqual(await b.query("select count(*), sum(v) from t where id < 100"),
      [["99", String(4950 * 10 + 3)]]);
    await engine.close();
  });

test("an update of an indexed column gets entries of its own", async () => {
  const engine = await open();
  const [a, , rel] = await setup(engine);
  await a.query("create index t_v on t (v)");
  await a.query("update t set s = 'x' where id = 5");
  assert.equal(rel.indexes[0]!.tree.size, rows);
  assert.equal(rel.indexes[1]!.tree.size, rows);
  assert.equal(chainLength(head(rel, 5)), 2);
  await a.query("update t set v = 7 where id = 5");
  assert.equal(rel.indexes[0]!.tree.size, rows + 1, "the primary key has a new entry");
  assert.equal(rel.indexes[1]!.tree.size, rows + 1);
  assert.equal(chainLength(head(rel, 7, 1)), 1);
  await a.query("update t set id = 5000 where id = 6");
  assert.equal(rel.indexes[0]!.tree.size, rows + 2);
  assert.deepEqual(await a.query("select id, s from t where v = 7"), [["5", "x"]]);
  assert.deepEqual(await a.query("select id from t where v = 50"), []);
  assert.deepEqual(await a.query("select v from t where id = 5000"), [["60"]]);
  assert.deepEqual(await a.query("select v from t where id = 6"), []);
  await engine.close();
});

test("rollback and rollback to savepoint undo chained updates", async () => {
  const engine = await open();
  const [a, b, rel] = await setup(engine);
  const original = head(rel, 2);
  await a.query("begin; update t set v = 1 where id = 2; update t set v = 2 where id = 2");
  await a.query("savepoint s; update t set v = 3 where id = 2");
  assert.equal(chainLength(head(rel, 2)), 4);
  assert.deepEqual(await b.query("select v from t where id = 2"), [["20"]]);
  await a.query("rollback to savepoint s");
  assert.equal(chainLength(head(rel, 2)), 3);
  assert.deepEqual(await a.query("select v from t where id = 2"), [["2"]]);
  await a.query("rollback");
  assert.equal(head(rel, 2), original, "the entry reaches the original version again");
  assert.equal(original.prior, undefined);
  assert.deepEqual(await a.query("select v from t where id = 2"), [["20"]]);
  // A failing statement undoes its own chained update.
  await assert.rejects(a.query("update t set v = v / (v - 20) where id in (2, 3)"));
  assert.equal(head(rel, 2), original);
  assert.deepEqual(await a.query("select v from t where id in (2, 3) order by id"),
    [["20"], ["30"]]);
  await engine.close();
});

test("an update that waited for a chained update goes on from the newest version", async () => {
  const engine = await open();
  const [a, b, rel] = await setup(engine);
  await a.query("begin; update t set v = v + 1 where id = 3");
  const waiting = b.query("update t set v = v + 100 where id = 3");
  await new Promise((resolve) => setTimeout(resolve, 20));
  await a.query("commit");
  await waiting;
  assert.deepEqual(await a.query("select v from t where id = 3"), [["131"]]);
  assert.equal(chainLength(head(rel, 3)), 3);
  assert.equal(rel.indexes[0]!.tree.size, rows);
  await engine.close();
});

test("vacuum prunes the dead versions of chains and drops entries of dead rows", async () => {
  const engine = await open();
  const [a, b, rel] = await setup(engine);
  await b.query("begin isolation level repeatable read; select 1");
  for (let i = 0; i < 5; i++) await a.query("update t set v = v + 1 where id = 4");
  engine.vacuum();
  assert.equal(chainLength(head(rel, 4)), 6, "an open snapshot keeps the versions");
  assert.deepEqual(await b.query("select v from t where id = 4"), [["40"]]);
  await b.query("commit");
  engine.vacuum();
  assert.equal(chainLength(head(rel, 4)), 1);
  assert.equal(rel.store.versions.length, rows);
  assert.deepEqual(await a.query("select v from t where id = 4"), [["45"]]);
  await a.query("update t set v = 0 where id = 4; delete from t where id = 4");
  engine.vacuum();
  assert.equal(rel.indexes[0]!.tree.findEqual([4], () => true), undefined);
  assert.equal(rel.indexes[0]!.tree.size, rows - 1);
  await engine.close();
});

test("pruning unlinks a dead version between two live ones", () => {
  const stamp = (xid: number): number => stampOf(xid as Xid, 0);
  const v0: RowVersion = { values: [0], slot: 0, xmin: stamp(3), xmax: stamp(20) };
  const v1: RowVersion = { values: [1], slot: 1, xmin: stamp(20), xmax: stamp(5), prior: v0 };
  const v2: RowVersion = { values: [2], slot: 2, xmin: stamp(5), xmax: 0, prior: v1 };
  assert.equal(pruneChain(v2, 10), v2);
  assert.equal(v2.prior, v0, "the version deleted by xid 5 is gone, the one by 20 stays");
  assert.equal(pruneChain(v2, 30), v2);
  assert.equal(v2.prior, undefined);
  v2.xmax = stamp(6);
  assert.equal(pruneChain(v2, 30), undefined);
});

test("chained updates survive a crash, a checkpoint, and a prepared transaction", async () => {
  const fs = new MemoryFileSystem();
  const engine = await open(fs);
  const [a] = await setup(engine);
  for (let i = 0; i < 3; i++) await a.query("update t set v = v + 1 where id < 4");
  await a.query("begin; update t set v = -1 where id = 1; rollback");
  const p = lineClient(engine, 1);
  await p("begin; update t set v = 99 where id = 2; prepare transaction 'p1'");
  const before = await a.query("select * from t where id < 10 order by id");
  fs.crash();
  const recovered = await open(fs);
  const c = new TestClient(recovered);
  assert.deepEqual(await c.query("select * from t where id < 10 order by id"), before);
  await lineClient(recovered, 2)("commit prepared 'p1'");
  assert.deepEqual(await c.query("select v from t where id = 2"), [["99"]]);
  await c.query("update t set v = v + 1 where id = 2");
  await recovered.checkpoint();
  await c.query("update t set v = v + 1 where id = 2");
  const after = await c.query("select * from t order by id");
  fs.crash();
  const again = new TestClient(await open(fs));
  assert.deepEqual(await again.query("select * from t order by id"), after);
  assert.deepEqual(await again.query("select v from t where id = 2"), [["101"]]);
});
