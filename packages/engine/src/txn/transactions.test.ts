import { test } from "node:test";
import assert from "node:assert/strict";
import { isSqlError } from "@tessera/base";
import { newEngine } from "../test-support/harness.js";
import { TestClient } from "./test-client.js";

const sqlState = (error: unknown): string => (isSqlError(error) ? error.code : String(error));

test("uncommitted rows are invisible to others and visible to their own transaction", async () => {
  const e = await newEngine();
  const a = new TestClient(e);
  const b = new TestClient(e);
  await a.query("create table t (id int primary key, v int)");
  await a.query("begin; insert into t values (1, 10)");
  assert.deepEqual(await a.query("select id from t"), [["1"]]);
  assert.deepEqual(await b.query("select id from t"), []);
  assert.deepEqual(await b.query("select v from t where id = 1"), []);
  await a.query("commit");
  assert.deepEqual(await b.query("select v from t where id = 1"), [["10"]]);
});

test("a statement does not see its own writes; later ones do", async () => {
  const e = await newEngine();
  const a = new TestClient(e);
  await a.query("create table t (n int)");
  await a.query("begin; insert into t values (1), (2); insert into t select n + 10 from t");
  assert.deepEqual(await a.query("select n from t order by n"), [["1"], ["2"], ["11"], ["12"]]);
  await a.query("rollback");
  assert.deepEqual(await a.query("select count(*) from t"), [["0"]]);
});

test("REPEATABLE READ keeps its snapshot; READ COMMITTED takes one per statement", async () => {
  const e = await newEngine();
  const [a, b, c] = [new TestClient(e), new TestClient(e), new TestClient(e)];
  await a.query("create table t (n int); insert into t values (1)");
  await b.query("begin isolation level repeatable read; select * from t");
  await c.query("begin; select * from t");
  await a.query("insert into t values (2)");
  assert.deepEqual(await b.query("select count(*) from t"), [["1"]]);
  assert.deepEqual(await c.query("select count(*) from t"), [["2"]]);
  await b.query("commit; ");
  await c.query("commit");
});

test("concurrent increments wait for each other: no lost update", async () => {
  const e = await newEngine();
  const [a, b] = [new TestClient(e), new TestClient(e)];
  await a.query("create table c (id int primary key, n int); insert into c values (1, 0)");
  await a.query("begin; update c set n = n + 1 where id = 1");
  let done = false;
  const second = b.query("update c set n = n + 1 where id = 1").then(() => { done = true; });
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(done, false, "the second updater waits");
  await a.query("commit");
  await second;
  assert.deepEqual(await a.query("select n from c"), [["2"]]);
});

test("REPEATABLE READ gets 40001 on a row updated since its snapshot", async () => {
  const e = await newEngine();
  const [a, b] = [new TestClient(e), new TestClient(e)];
  await a.query("create table c (id int primary key, n int); insert into c values (1, 0)");
  await b.query("begin isolation level repeatable read; select * from c");
  await a.query("update c set n = 5");
  await assert.rejects(b.query("update c set n = n + 1"), (error) => sqlState(error) === "40001");
  await b.query("rollback");
  assert.deepEqual(await a.query("select n from c"), [["5"]]);
});

test("a deadlock is detected and the waiter that closes the cycle gets 40P01", async () => {
  const e = await newEngine();
  const [a, b] = [new TestClient(e), new TestClient(e)];
  await a.query("create table t (id int primary key, n int); insert into t values (1, 0), (2, 0)");
  await a.query("begin; update t set n = 1 where id = 1");
  await b.query("begin; update t set n = 2 where id = 2");
  const first = a.query("update t set n = 1 where id = 2");
  await new Promise((resolve) => setTimeout(resolve, 10));
  await assert.rejects(b.query("update t set n = 2 where id = 1"),
    (error) => sqlState(error) === "40P01");
  await b.query("rollback");
  await first;
  await a.query("commit");
  assert.deepEqual(await a.query("select n from t order by id"), [["1"], ["1"]]);
});

test("a unique insert waits for a running insert of the same key", async () => {
  const e = await newEngine();
  const [a, b] = [new TestClient(e), new TestClient(e)];
  await a.query("create table t (id int primary key)");
  await a.query("begin; insert into t values (5)");
  const second = b.query("insert into t values (5)");
  await new Promise((resolve) => setTimeout(resolve, 10));
  await a.query("rollback");
  await second;
  await a.query("begin; insert into t values (6)");
  const third = b.query("insert into t values (6)");
  await a.query("commit");
  await assert.rejects(third, (error) => sqlState(error) === "23505");
  assert.deepEqual(await a.query("select id from t order by id"), [["5"], ["6"]]);
});

test("lock_timeout ends a wait with 55P03", async () => {
  const e = await newEngine();
  const [a, b] = [new TestClient(e), new TestClient(e)];
  await a.query("create table t (id int primary key, n int); insert into t values (1, 0)");
  await a.query("begin; update t set n = 1");
  b.settings.set("lock_timeout", "20ms", { local: false });
  await assert.rejects(b.query("update t set n = 2"), (error) => sqlState(error) === "55P03");
  await a.query("commit");
});

test("ROLLBACK undoes DDL: created tables vanish, altered ones come back", async () => {
  const e = await newEngine();
  const a = new TestClient(e);
  await a.query("create table t (id int primary key); insert into t values (1)");
  await a.query("begin; create table x (a int); insert into x values (1)");
  await a.query("alter table t add column v int default 7; insert into t values (2, 8)");
  await a.query("create index t_v on t (v); drop table x");
  await a.query("rollback");
  await assert.rejects(a.query("select * from x"), (error) => sqlState(error) === "42P01");
  assert.deepEqual(await a.query("select * from t"), [["1"]]);
  await a.query("create table x (b text); create index t_v on t (id)");
  assert.deepEqual(await a.query("select count(*) from x"), [["0"]]);
});

test("ROLLBACK TO SAVEPOINT undoes DDL and rows after it; TRUNCATE rolls back", async () => {
  const e = await newEngine();
  const a = new TestClient(e);
  await a.query("create table t (id int primary key); insert into t values (1), (2)");
  await a.query("begin; insert into t values (3); savepoint s; truncate t");
  await a.query("create table y (a int)");
  assert.deepEqual(await a.query("select count(*) from t"), [["0"]]);
  await a.query("rollback to savepoint s");
  await a.query("commit");
  await assert.rejects(a.query("select * from y"), (error) => sqlState(error) === "42P01");
  assert.deepEqual(await a.query("select id from t order by id"), [["1"], ["2"], ["3"]]);
});

test("a failed statement in a block undoes only itself; the block then refuses", async () => {
  const e = await newEngine();
  const a = new TestClient(e);
  await a.query("create table t (id int primary key)");
  await a.query("begin; insert into t values (1)");
  await assert.rejects(a.query("insert into t values (2), (1)"),
    (error) => sqlState(error) === "23505");
  await assert.rejects(a.query("select 1"), (error) => sqlState(error) === "25P02");
  await a.query("rollback");
  assert.deepEqual(await a.query("select count(*) from t"), [["0"]]);
});
