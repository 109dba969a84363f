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

/** Crashes (unsynced bytes lost) and starts again on the same disk. */
async function restart(fs: MemoryFileSystem): Promise<(sql: string) => Promise<string[]>> {
  fs.crash();
  return lineClient(await open(fs), 1);
}

/** A read of a table the prepared transaction altered: it waits for its AccessExclusive lock. */
const blockedRead = ["SET", "ERROR 55P03 canceling statement due to lock timeout"];
const readBase = "set lock_timeout = 50; select * from base";

const prepareDdl = "begin; create table made (id int primary key); " +
  "insert into made values (1); alter table base add column extra int default 7; " +
  "insert into base values (2); prepare transaction 'ddl'";

test("a prepared transaction's DDL stays prepared across a restart: ROLLBACK PREPARED undoes it",
  async () => {
    const fs = new MemoryFileSystem();
    const a = lineClient(await open(fs), 1);
    await a("create table base (id int); insert into base values (1)");
    await a(prepareDdl);
    // The prepared ALTER keeps base locked, before and after the restart.
    assert.deepEqual(await a(readBase), blockedRead);
    let b = await restart(fs);
    assert.deepEqual(await b("select gid from pg_prepared_xacts"), ["ddl", "SELECT 1"]);
    assert.deepEqual(await b(readBase), blockedRead);
    assert.deepEqual(await b("rollback prepared 'ddl'"), ["ROLLBACK PREPARED"]);
    assert.deepEqual(await b("select * from base"), ["1", "SELECT 1"]);
    assert.deepEqual(await b("select * from made"),
      ['ERROR 42P01 relation "made" does not exist']);
    b = await restart(fs);
    assert.deepEqual(await b("select * from base"), ["1", "SELECT 1"]);
    assert.deepEqual(await b("select count(*) from pg_prepared_xacts"), ["0", "SELECT 1"]);
    assert.deepEqual(await b("select * from made"),
      ['ERROR 42P01 relation "made" does not exist']);
    // The name is free again: the rolled-back CREATE TABLE left nothing behind.
    assert.deepEqual(await b("create table made (x text)"), ["CREATE TABLE"]);
  });

test("prepared DDL survives a checkpoint and two restarts, then COMMIT PREPARED keeps it",
  async () => {
    const fs = new MemoryFileSystem();
    const engine = await open(fs);
    const a = lineClient(engine, 1);
    await a("create table base (id int); insert into base values (1)");
    await a(prepareDdl);
    await a("create table later (id int); insert into later values (3)");
    await engine.checkpoint();
    assert.deepEqual(await a(readBase), blockedRead);
    let b = await restart(fs);
    assert.deepEqual(await b("select gid from pg_prepared_xacts"), ["ddl", "SELECT 1"]);
    fs.crash();
    const second = await open(fs);
    await second.checkpoint();
    b = lineClient(second, 1);
    assert.deepEqual(await b("select gid from pg_prepared_xacts"), ["ddl", "SELECT 1"]);
    assert.deepEqual(await b("select * from made"), ["SELECT 0"]);
    assert.deepEqual(await b(readBase), blockedRead);
    assert.deepEqual(await b("select * from made for update nowait"), ["SELECT 0"]);
    assert.deepEqual(await b("commit prepared 'ddl'"), ["COMMIT PREPARED"]);
    b = await restart(fs);
    assert.deepEqual(await b("select * from made"), ["1", "SELECT 1"]);
    assert.deepEqual(await b("select * from base order by id"), ["1|7", "2|7", "SELECT 2"]);
    assert.deepEqual(await b("select * from later"), ["3", "SELECT 1"]);
    assert.deepEqual(await b("select count(*) from pg_prepared_xacts"), ["0", "SELECT 1"]);
  });

test("ROLLBACK and ROLLBACK PREPARED take back only their own DDL, not other sessions'",
  async () => {
    const fs = new MemoryFileSystem();
    const engine = await open(fs);
    const [a, b] = [lineClient(engine, 1), lineClient(engine, 2)];
    await a("create table base (id int); insert into base values (1)");
    await a("begin; create table mine (x int)");
    await b("create table theirs (y int); insert into theirs values (1)");
    assert.deepEqual(await a("rollback"), ["ROLLBACK"]);
    assert.deepEqual(await b("select * from theirs"), ["1", "SELECT 1"]);
    await a("begin; create table gone (x int); alter table base add column z int; " +
      "prepare transaction 'p'");
    await b("create table kept (y int); insert into kept values (2)");
    let c = await restart(fs);
    assert.deepEqual(await c("rollback prepared 'p'"), ["ROLLBACK PREPARED"]);
    assert.deepEqual(await c("select * from kept"), ["2", "SELECT 1"]);
    assert.deepEqual(await c("select * from base"), ["1", "SELECT 1"]);
    assert.deepEqual(await c("select * from gone"),
      ['ERROR 42P01 relation "gone" does not exist']);
    c = await restart(fs);
    assert.deepEqual(await c("select * from kept"), ["2", "SELECT 1"]);
    assert.deepEqual(await c("select * from theirs"), ["1", "SELECT 1"]);
    assert.deepEqual(await c("select * from base"), ["1", "SELECT 1"]);
  });
