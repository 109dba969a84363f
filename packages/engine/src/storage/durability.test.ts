import { test } from "node:test";
import assert from "node:assert/strict";
import { initParser } from "@tessera/sql";
import { Engine } from "../engine.js";
import { MemoryFileSystem } from "../wal/memory-fs.js";
import { TestClient } from "../txn/test-client.js";
import { lineClient } from "../txn/test-session.js";

const dir = "/data";

async function open(fs: MemoryFileSystem, checkpointWalBytes?: number): Promise<Engine> {
  await initParser();
  return Engine.open({ dataDir: dir, fs,
    ...(checkpointWalBytes !== undefined && { checkpointWalBytes }) });
}

const everything = "select * from t order by id";

test("committed rows, DDL and sequences survive a crash; rolled-back ones do not", async () => {
  const fs = new MemoryFileSystem();
  const a = new TestClient(await open(fs));
  await a.query("create table t (id serial primary key, b bigint, n numeric, x bytea, " +
    "i interval, j jsonb, arr int[], s text)");
  await a.query("insert into t (b, n, x, i, j, arr, s) values " +
    "(9007199254740993, 1.50, '\\x00ff', '1 mon 2 days 00:00:03.5', " +
    "'{\"a\": [1, null, 2.50], \"b\": null}', '{1,2,3}', 'héllo'), " +
    "(-1, 'NaN', '', '-1 day', 'null', '{}', null)");
  await a.query("begin; insert into t (s) values ('rolled back'); rollback");
  await a.query("begin; update t set s = 'second' where id = 2; delete from t where id = 1; " +
    "insert into t (s) values ('three'); commit");
  await a.query("alter table t add column d int default 4; create index t_s on t (s)");
  await a.query("create table gone (a int); insert into gone values (1); drop table gone");
  await a.query("create table copy as select id, s from t");
  const before = await a.query(everything);
  fs.crash();
  const b = new TestClient(await open(fs));
  assert.deepEqual(await b.query(everything), before);
  assert.deepEqual(await b.query("select * from copy order by id"),
    [["2", "second"], ["4", "three"]]);
  await b.query("insert into t (s) values ('after')");
  assert.deepEqual(await b.query("select id from t where s = 'after'"), [["5"]]);
  await assert.rejects(b.query("select * from gone"));
});

test("temporary tables, sequences, views and indexes do not come back after a crash", async () => {
  const fs = new MemoryFileSystem();
  const a = new TestClient(await open(fs));
  await a.query("create temp table tt (a int); create temp sequence ts; " +
    "create temp view tv as select 1 as one; create index tt_a on tt (a); " +
    "alter table tt add column b int; insert into tt values (1, 2); " +
    "create table kept (a int); create temp table tt2 as select * from kept");
  fs.crash();
  const b = new TestClient(await open(fs));
  assert.deepEqual(await b.query("select relname from pg_class " +
    "where relname in ('tt', 'ts', 'tv', 'tt_a', 'tt2', 'kept') order by relname"), [["kept"]]);
  // The names are free again, for temporary and for ordinary objects.
  await b.query("create temp table tt (a int); create table tt2 (a int); create sequence ts");
});

test("a checkpoint, more WAL after it, and a crash recover to the same state", async () => {
  const fs = new MemoryFileSystem();
  const engine = await open(fs, 4096);
  const a = new TestClient(engine);
  await a.query("create table t (id int primary key, v text)");
  for (let i = 0; i < 200; i++) await a.query(`insert into t values (${i}, 'v${i}')`);
  await a.query("delete from t where id % 3 = 0; update t set v = 'u' where id % 5 = 0");
  await engine.checkpoint();
  await a.query("insert into t values (1000, 'after checkpoint')");
  const before = await a.query(everything);
  fs.crash();
  const b = new TestClient(await open(fs));
  assert.deepEqual(await b.query(everything), before);
  await b.query("insert into t values (1001, 'x')");
  await (await open(fs)).close();
});

test("synchronous_commit=off commits are durable after the background flush", async () => {
  const fs = new MemoryFileSystem();
  const a = new TestClient(await open(fs));
  await a.query("create table t (id int)");
  a.settings.set("synchronous_commit", "off", { local: false });
  await a.query("insert into t values (1)");
  await new Promise((resolve) => setTimeout(resolve, 400));
  fs.crash();
  const b = new TestClient(await open(fs));
  assert.deepEqual(await b.query("select id from t"), [["1"]]);
});

test("a transaction larger than the WAL buffer commits and recovers whole", async () => {
  await initParser();
  const fs = new MemoryFileSystem();
  const small = async (): Promise<Engine> =>
    Engine.open({ dataDir: dir, fs, walBufferBytesMax: 64 * 1024 });
  const a = new TestClient(await small());
  await a.query("create table big (id int primary key, s text)");
  await a.query("insert into big select g, repeat('x', 100) from generate_series(1, 5000) g");
  assert.deepEqual(await a.query("select count(*) from big"), [["5000"]]);
  fs.crash();
  const b = new TestClient(await small());
  assert.deepEqual(await b.query("select count(*), sum(length(s)) from big"),
    [["5000", "500000"]]);
});

test("a transaction of several WAL records (over 4 MiB) commits, prepares and recovers whole",
  async () => {
    const fs = new MemoryFileSystem();
    const a = lineClient(await open(fs), 1);
    await a("create table huge (id int primary key, s text)");
    // Three statements of about 2 MiB each: the records' cuts fall inside statements' chunks.
    const fill = (from: number): string => `insert into huge select g, repeat(md5(g::text), 4) `
      + `from generate_series(${from}, ${from + 13_999}) g`;
    await a(`begin; ${fill(1)}; ${fill(14_001)}; ${fill(28_001)}; commit`);
    assert.deepEqual(await a(`begin; ${fill(42_001)}; ${fill(56_001)}; ${fill(70_001)}; `
      + "prepare transaction 'big'"), ["BEGIN", "INSERT 0 14000", "INSERT 0 14000",
      "INSERT 0 14000", "PREPARE TRANSACTION"]);
    fs.crash();
    const b = lineClient(await open(fs), 2);
    assert.deepEqual(await b("select count(*), sum(length(s)), max(id) from huge"),
      ["42000|5376000|42000", "SELECT 1"]);
    await b("commit prepared 'big'");
    assert.deepEqual(await b("select count(*), max(id) from huge"), ["84000|84000", "SELECT 1"]);
    assert.deepEqual(await b("select count(*) from huge where s <> repeat(md5(id::text), 4)"),
      ["0", "SELECT 1"]);
  });
