import { test } from "node:test";
import assert from "node:assert/strict";
import { initParser } from "@tessera/sql";
import { Engine } from "../engine.js";
import { MemoryFileSystem } from "../wal/memory-fs.js";
import { TestClient } from "../txn/test-client.js";

const dir = "/data";

async function open(fs: MemoryFileSystem): Promise<Engine> {
  await initParser();
  return Engine.open({ dataDir: dir, fs });
}

const typeRows = "select t.oid::int, t.typarray::int, e.oid::int, e.enumlabel, e.enumsortorder " +
  "from pg_type t join pg_enum e on e.enumtypid = t.oid where t.typname = 'mood' " +
  "order by e.enumsortorder";

test("enum types, their labels and OIDs survive a crash and a checkpoint", async () => {
  const fs = new MemoryFileSystem();
  const engine = await open(fs);
  const a = new TestClient(engine);
  await a.query("create type mood as enum ('sad', 'happy')");
  await a.query("create table t (id int primary key, m mood)");
  await a.query("insert into t values (1, 'happy'), (2, 'sad')");
  await a.query("alter type mood add value 'ok' before 'happy'");
  await a.query("insert into t values (3, 'ok')");
  await a.query("begin; alter type mood rename value 'sad' to 'blue'; rollback");
  await a.query("alter type mood rename value 'happy' to 'glad'");
  await a.query("create type gone as enum ('x'); drop type gone");
  const labels = await a.query(typeRows);
  const rows = await a.query("select id, m from t order by m");
  assert.deepEqual(rows, [["2", "sad"], ["3", "ok"], ["1", "glad"]]);
  fs.crash();
  const b = new TestClient(await open(fs));
  assert.deepEqual(await b.query(typeRows), labels);
  assert.deepEqual(await b.query("select id, m from t order by m"), rows);
  await assert.rejects(b.query("select 'x'::gone"), /type "gone" does not exist/);
  const engine2 = await open(fs);
  await engine2.checkpoint();
  await engine2.close();
  const c = new TestClient(await open(fs));
  assert.deepEqual(await c.query(typeRows), labels);
  assert.deepEqual(await c.query("select id, m from t where m > 'sad' order by m"),
    [["3", "ok"], ["1", "glad"]]);
  await c.query("insert into t values (4, 'blue')").then(
    () => assert.fail("'blue' was rolled back"),
    (error: Error) => assert.match(error.message, /invalid input value for enum mood: "blue"/));
});

test("CREATE TYPE in a rolled-back block leaves nothing; DROP TYPE is refused in use", async () => {
  const fs = new MemoryFileSystem();
  const a = new TestClient(await open(fs));
  await a.query("begin; create type tmp as enum ('a'); rollback");
  await assert.rejects(a.query("select 'a'::tmp"), /type "tmp" does not exist/);
  await a.query("create type mood as enum ('a', 'b'); create table t (m mood[])");
  await assert.rejects(a.query("drop type mood"),
    (e: Error & { code?: string }) => e.message.includes("other objects depend on it"));
  await assert.rejects(a.query("drop type mood cascade"), /not supported/);
  await a.query("drop table t; drop type mood");
});
