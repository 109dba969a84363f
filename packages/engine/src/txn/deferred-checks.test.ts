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

const schema = "create table p (id int primary key); " +
  "create table c (id int primary key, p int references p deferrable initially deferred)";

test("a deferred foreign key fails at COMMIT: the block rolls back and the session is idle",
  async () => {
    const a = client(await open(new MemoryFileSystem()), 1);
    await a(schema);
    assert.deepEqual(await a("begin; insert into c values (1, 10)"), ["BEGIN", "INSERT 0 1",
      "ready T"]);
    assert.deepEqual(await a("commit"), [
      'ERROR 23503 insert or update on table "c" violates foreign key constraint "c_p_fkey"']);
    assert.deepEqual(await a("select count(*) from c"), ["0", "SELECT 1"]);
    assert.deepEqual(await a("begin; insert into c values (1, 10); insert into p values (10); " +
      "commit"), ["BEGIN", "INSERT 0 1", "INSERT 0 1", "COMMIT"]);
    assert.deepEqual(await a("select id, p from c"), ["1|10", "SELECT 1"]);
  });

test("PREPARE TRANSACTION runs the deferred checks first", async () => {
  const engine = await open(new MemoryFileSystem());
  const a = client(engine, 1);
  await a(schema);
  assert.deepEqual(await a("begin; insert into c values (1, 10); prepare transaction 'x'"),
    ["BEGIN", "INSERT 0 1",
      'ERROR 23503 insert or update on table "c" violates foreign key constraint "c_p_fkey"']);
  assert.deepEqual(await a("select count(*) from pg_prepared_xacts"), ["0", "SELECT 1"]);
  assert.deepEqual(await a("select count(*) from c"), ["0", "SELECT 1"]);
  assert.deepEqual(await a("begin; insert into c values (1, 10); insert into p values (10); " +
    "prepare transaction 'y'"), ["BEGIN", "INSERT 0 1", "INSERT 0 1", "PREPARE TRANSACTION"]);
  assert.deepEqual(await a("commit prepared 'y'"), ["COMMIT PREPARED"]);
  assert.deepEqual(await a("select id, p from c"), ["1|10", "SELECT 1"]);
});

test("a failed statement and ROLLBACK TO SAVEPOINT drop the checks they queued", async () => {
  const a = client(await open(new MemoryFileSystem()), 1);
  await a(schema);
  assert.deepEqual(await a("begin; savepoint s; insert into c values (1, 10); " +
    "rollback to savepoint s; insert into c values (2, 20), (2, 21)"), ["BEGIN", "SAVEPOINT",
    "INSERT 0 1", "ROLLBACK",
    'ERROR 23505 duplicate key value violates unique constraint "c_pkey"', "ready E"]);
  assert.deepEqual(await a("rollback to savepoint s; commit"), ["ROLLBACK", "COMMIT"]);
  assert.deepEqual(await a("begin; savepoint s; set constraints all immediate; " +
    "rollback to savepoint s; insert into c values (3, 30); insert into p values (30); commit"),
  ["BEGIN", "SAVEPOINT", "SET CONSTRAINTS", "ROLLBACK", "INSERT 0 1", "INSERT 0 1", "COMMIT"]);
});

test("SET CONSTRAINTS outside a block warns; its errors are Postgres's", async () => {
  const a = client(await open(new MemoryFileSystem()), 1);
  await a(schema);
  assert.deepEqual(await a("set constraints all deferred"),
    ["WARNING SET CONSTRAINTS can only be used in transaction blocks", "SET CONSTRAINTS"]);
  assert.deepEqual(await a("begin; set constraints p_pkey deferred"),
    ["BEGIN", 'ERROR 42809 constraint "p_pkey" is not deferrable', "ready E"]);
  assert.deepEqual(await a("rollback; begin; set constraints nope immediate"),
    ["ROLLBACK", "BEGIN", 'ERROR 42704 constraint "nope" does not exist', "ready E"]);
  assert.deepEqual(await a("rollback; begin; set constraints p_pkey immediate; commit"),
    ["ROLLBACK", "BEGIN", "SET CONSTRAINTS", "COMMIT"]);
});

test("DEFERRABLE unique keys are checked at the end of the statement, or at COMMIT", async () => {
  const a = client(await open(new MemoryFileSystem()), 1);
  await a("create table u (id int primary key deferrable, v text); " +
    "insert into u values (1, 'a'), (2, 'b'), (3, 'c')");
  assert.deepEqual(await a("update u set id = id + 1"), ["UPDATE 3"]);
  assert.deepEqual(await a("update u set id = 3 where id = 2"), [
    'ERROR 23505 duplicate key value violates unique constraint "u_pkey"']);
  assert.deepEqual(await a("begin; set constraints u_pkey deferred; " +
    "update u set id = 3 where id = 2; update u set id = 9 where v = 'b'; commit"),
  ["BEGIN", "SET CONSTRAINTS", "UPDATE 1", "UPDATE 1", "COMMIT"]);
  assert.deepEqual(await a("begin; set constraints all deferred; insert into u values (3, 'd'); " +
    "commit"), ["BEGIN", "SET CONSTRAINTS", "INSERT 0 1",
    'ERROR 23505 duplicate key value violates unique constraint "u_pkey"']);
  assert.deepEqual(await a("select id, v from u order by id"),
    ["3|a", "4|c", "9|b", "SELECT 3"]);
  assert.deepEqual(await a("create table r (x int references u)"),
    ['ERROR 55000 cannot use a deferrable primary key for referenced table "u"']);
});

test("deferrable constraints keep their timing across a crash and a checkpoint", async () => {
  const fs = new MemoryFileSystem();
  let engine = await open(fs);
  let a = client(engine, 1);
  await a(schema + "; create table u (id int, constraint u_id unique (id) deferrable)");
  await engine.checkpoint();
  await a("alter table c add constraint c_p2 foreign key (p) references p deferrable");
  fs.crash();
  engine = await open(fs);
  a = client(engine, 1);
  assert.deepEqual(await a("select conname, condeferrable, condeferred from pg_constraint " +
    "where conrelid in ('c'::regclass, 'u'::regclass) and contype <> 'p' order by 1"),
  ["c_p2|t|f", "c_p_fkey|t|t", "u_id|t|f", "SELECT 3"]);
  assert.deepEqual(await a("begin; set constraints all deferred; insert into c values (1, 5); " +
    "insert into u values (1), (1); insert into p values (5); delete from u; commit"),
  ["BEGIN", "SET CONSTRAINTS", "INSERT 0 1", "INSERT 0 2", "INSERT 0 1", "DELETE 2", "COMMIT"]);
  await engine.close();
});

test("tables with pending checks are not dropped, altered or truncated", async () => {
  const a = client(await open(new MemoryFileSystem()), 1);
  await a(schema);
  assert.deepEqual(await a("begin; insert into c values (1, 5); drop table c"), ["BEGIN",
    "INSERT 0 1", 'ERROR 55006 cannot DROP TABLE "c" because it has pending trigger events',
    "ready E"]);
  assert.deepEqual(await a("rollback; begin; insert into c values (1, 5); " +
    "set constraints all immediate"), ["ROLLBACK", "BEGIN", "INSERT 0 1",
    'ERROR 23503 insert or update on table "c" violates foreign key constraint "c_p_fkey"',
    "ready E"]);
  assert.deepEqual(await a("rollback; begin; insert into p values (5); insert into c values " +
    "(1, 5); set constraints all immediate; truncate c; commit"), ["ROLLBACK", "BEGIN",
    "INSERT 0 1", "INSERT 0 1", "SET CONSTRAINTS", "TRUNCATE TABLE", "COMMIT"]);
});
