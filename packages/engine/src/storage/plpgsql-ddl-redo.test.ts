import { test } from "node:test";
import assert from "node:assert/strict";
import { initParser } from "@tessera/sql";
import { Engine } from "../engine.js";
import { MemoryFileSystem } from "../wal/memory-fs.js";
import { lineClient } from "../txn/test-session.js";

async function open(fs: MemoryFileSystem): Promise<Engine> {
  await initParser();
  return Engine.open({ dataDir: "/data", fs });
}

const migration = "do $$ begin create table made (id int primary key); " +
  "insert into made values (1); alter table made add column note text default 'n'; " +
  "insert into made (id) values (2); create index made_note on made (note); end $$";

test("DDL of a DO block replays in order with its rows, after a crash and a checkpoint",
  async () => {
    const fs = new MemoryFileSystem();
    const engine = await open(fs);
    const a = lineClient(engine, 1);
    assert.deepEqual(await a(migration), ["DO"]);
    assert.deepEqual(await a("create function mk(n text) returns void language plpgsql as " +
      "$$ begin execute format('create table %I (x int)', n); end $$; select mk('by_select')"),
    ["CREATE FUNCTION", "", "SELECT 1"]);
    await engine.checkpoint();
    assert.deepEqual(await a("do $$ begin create table after_ckpt (a int); " +
      "insert into after_ckpt values (5); end $$"), ["DO"]);
    fs.crash();
    const b = lineClient(await open(fs), 1);
    assert.deepEqual(await b("select id, note from made order by id"),
      ["1|n", "2|n", "SELECT 2"]);
    assert.deepEqual(await b("select indexname from pg_indexes where tablename = 'made' " +
      "order by 1"), ["made_note", "made_pkey", "SELECT 2"]);
    assert.deepEqual(await b("select count(*) from by_select"), ["0", "SELECT 1"]);
    assert.deepEqual(await b("select a from after_ckpt"), ["5", "SELECT 1"]);
  });

test("a failed DO block's DDL is neither kept nor replayed", async () => {
  const fs = new MemoryFileSystem();
  const a = lineClient(await open(fs), 1);
  const failed = await a("do $$ begin create table gone (id int); " +
    "raise exception 'no'; end $$");
  assert.equal(failed.length, 1);
  assert.match(failed[0]!, /^ERROR P0001 no/);
  assert.deepEqual(await a("create table kept (id int)"), ["CREATE TABLE"]);
  fs.crash();
  const b = lineClient(await open(fs), 1);
  assert.deepEqual(await b("select * from gone"),
    ['ERROR 42P01 relation "gone" does not exist']);
  assert.deepEqual(await b("select count(*) from kept"), ["0", "SELECT 1"]);
});
