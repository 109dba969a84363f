import { test } from "node:test";
import assert from "node:assert/strict";
import { initParser } from "@tessera/sql";
import { Engine } from "../engine.js";
import { MemoryFileSystem } from "../wal/memory-fs.js";
import { TestClient } from "../txn/test-client.js";
import { lineClient } from "../txn/test-session.js";

async function open(fs: MemoryFileSystem): Promise<Engine> {
  await initParser();
  return Engine.open({ dataDir: "/data", fs });
}

const procs = "select oid::int, proname, pronargs, prosrc from pg_proc " +
  "where proname like 'f\\_%' order by proname";

test("SQL functions survive a crash and a checkpoint with their OIDs", async () => {
  const fs = new MemoryFileSystem();
  const a = new TestClient(await open(fs));
  await a.query("create type mood as enum ('low', 'high')");
  await a.query("create function f_twice(int) returns int language sql immutable " +
    "as 'select $1 * 2'");
  await a.query("create function f_flip(m mood) returns mood language sql " +
    "return case when m = 'low' then 'high'::mood else 'low'::mood end");
  await a.query("create function f_gone() returns int language sql as 'select 1'");
  await a.query("drop function f_gone()");
  await a.query("begin; create or replace function f_twice(int) returns int language sql " +
    "as 'select $1 * 100'; rollback");
  const before = await a.query(procs);
  assert.equal(before.length, 2);
  assert.deepEqual(await a.query("select f_twice(21), f_flip('low')"), [["42", "high"]]);
  fs.crash();
  const b = new TestClient(await open(fs));
  assert.deepEqual(await b.query(procs), before);
  assert.deepEqual(await b.query("select f_twice(21), f_flip('high')"), [["42", "low"]]);
  await assert.rejects(b.query("select f_gone()"), /function f_gone\(\) does not exist/);
  const engine = await open(fs);
  await engine.checkpoint();
  await engine.close();
  const c = new TestClient(await open(fs));
  assert.deepEqual(await c.query(procs), before);
  assert.deepEqual(await c.query("select f_twice(f_twice(1))"), [["4"]]);
  await assert.rejects(c.query("drop type mood"), /other objects depend on it/);
});

test("a function calling itself is refused, not a stack overflow", async () => {
  const a = new TestClient(await open(new MemoryFileSystem()));
  await a.query("create function f_loop(int) returns int language sql as 'select 1'");
  await a.query("create or replace function f_loop(int) returns int language sql " +
    "as 'select f_loop($1)'");
  await assert.rejects(a.query("select f_loop(1)"), /recursion/);
});

test("a prepared statement plans again after CREATE OR REPLACE and after its rollback",
  async () => {
    const run = lineClient(await open(new MemoryFileSystem()), 4242);
    const last = async (sql: string): Promise<string | undefined> => (await run(sql))[0];
    await run("create function f_v(int) returns int language sql as 'select $1 + 1'");
    await run("prepare p as select f_v(1)");
    assert.equal(await last("execute p"), "2");
    await run("create or replace function f_v(int) returns int language sql " +
      "as 'select $1 + 10'");
    assert.equal(await last("execute p"), "11");
    await run("begin");
    await run("create or replace function f_v(int) returns int language sql " +
      "as 'select $1 + 100'");
    assert.equal(await last("execute p"), "101");
    await run("rollback");
    assert.equal(await last("execute p"), "11");
  });
