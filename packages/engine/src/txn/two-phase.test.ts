import { test } from "node:test";
import assert from "node:assert/strict";
import { initParser } from "@tessera/sql";
import { Engine } from "../engine.js";
import { MemoryFileSystem } from "../wal/memory-fs.js";
import { lineClient as client } from "./test-session.js";

async function open(fs: MemoryFileSystem): Promise<Engine> {
  await initParser();
  return Engine.open({ dataDir: "/data", fs });
}

test("a prepared transaction keeps its writes invisible and its locks until COMMIT PREPARED",
  async () => {
    const engine = await open(new MemoryFileSystem());
    const [a, b] = [client(engine, 1), client(engine, 2)];
    await a("create table t (id int primary key, v int)");
    await a("insert into t values (1, 1), (2, 2)");
    assert.deepEqual(await a("begin; update t set v = 10 where id = 1; " +
      "prepare transaction 'p1'"), ["BEGIN", "UPDATE 1", "PREPARE TRANSACTION"]);
    assert.deepEqual(await a("select v from t order by id"), ["1", "2", "SELECT 2"]);
    assert.deepEqual(await b("select gid, owner, database from pg_prepared_xacts"),
      ["p1|postgres|postgres", "SELECT 1"]);
    assert.deepEqual(await b("select * from t where id = 1 for update nowait"),
      ['ERROR 55P03 could not obtain lock on row in relation "t"']);
    assert.deepEqual(await b("begin; prepare transaction 'p1'"),
      ["BEGIN", 'ERROR 42710 transaction identifier "p1" is already in use']);
    assert.deepEqual(await b("commit prepared 'nope'"),
      ['ERROR 42704 prepared transaction with identifier "nope" does not exist']);
    assert.deepEqual(await b("begin; commit prepared 'p1'"),
      ["BEGIN", "ERROR 25001 COMMIT PREPARED cannot run inside a transaction block", "ready E"]);
    assert.deepEqual(await b("rollback"), ["ROLLBACK"]);
    assert.deepEqual(await b("select 1; commit prepared 'p1'"), ["1", "SELECT 1",
      "ERROR 25001 COMMIT PREPARED cannot run inside a transaction block"]);
    assert.deepEqual(await b("commit prepared 'p1'"), ["COMMIT PREPARED"]);
    assert.deepEqual(await a("select v from t order by id"), ["10", "2", "SELECT 2"]);
    assert.deepEqual(await a("select count(*) from pg_prepared_xacts"), ["0", "SELECT 1"]);
  });

test("ROLLBACK PREPARED undoes; PREPARE outside a block warns; a waiter wakes", async () => {
  const engine = await open(new MemoryFileSystem());
  const [a, b] = [client(engine, 1), client(engine, 2)];
  await a("create table t (id int primary key, v int); insert into t values (1, 1)");
  assert.deepEqual(await a("prepare transaction 'x'"),
    ["WARNING there is no transaction in progress", "ROLLBACK"]);
  await a("begin; delete from t where id = 1; insert into t values (5, 5); " +
    "prepare transaction 'x'");
  const waiting = b("update t set v = v + 1 where id = 1");
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepEqual(await a("rollback prepared 'x'"), ["ROLLBACK PREPARED"]);
  assert.deepEqual(await waiting, ["UPDATE 1"]);
  assert.deepEqual(await a("select id, v from t order by id"), ["1|2", "SELECT 1"]);
});

test("prepared transactions survive a crash and a checkpoint, then commit or roll back",
  async () => {
    const fs = new MemoryFileSystem();
    let engine = await open(fs);
    let a = client(engine, 1);
    await a("create table t (id int primary key, v text)");
    await a("insert into t values (1, 'one')");
    await a("begin; insert into t values (2, 'two'); update t set v = 'uno' where id = 1; " +
      "prepare transaction 'keep'");
    await a("begin; insert into t values (3, 'three'); prepare transaction 'drop'");
    await a("begin; select 1; prepare transaction 'read only'");
    await engine.checkpoint();
    await a("begin; insert into t values (4, 'four'); prepare transaction 'late'");
    fs.crash();
    engine = await open(fs);
    a = client(engine, 1);
    assert.deepEqual(await a("select gid from pg_prepared_xacts order by gid"),
      ["drop", "keep", "late", "read only", "SELECT 4"]);
    assert.deepEqual(await a("select id, v from t order by id"), ["1|one", "SELECT 1"]);
    assert.deepEqual(await a("update t set v = 'x' where id = 1 and false"), ["UPDATE 0"]);
    assert.deepEqual(await a("commit prepared 'keep'"), ["COMMIT PREPARED"]);
    assert.deepEqual(await a("rollback prepared 'drop'"), ["ROLLBACK PREPARED"]);
    fs.crash();
    engine = await open(fs);
    a = client(engine, 1);
    assert.deepEqual(await a("select id, v from t order by id"), ["1|uno", "2|two", "SELECT 2"]);
    assert.deepEqual(await a("select gid from pg_prepared_xacts order by gid"),
      ["late", "read only", "SELECT 2"]);
    await a("commit prepared 'late'; ");
    await a("commit prepared 'read only'");
    assert.deepEqual(await a("select id from t order by id"), ["1", "2", "4", "SELECT 3"]);
    await engine.close();
  });
