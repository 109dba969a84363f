import { test } from "node:test";
import assert from "node:assert/strict";
import { isSqlError } from "@tessera/base";
import { newEngine } from "../test-support/harness.js";
import { TestClient } from "../txn/test-client.js";

const sqlState = (error: unknown): string => (isSqlError(error) ? error.code : String(error));

test("a whole unique key finds the version each snapshot sees among many", async () => {
  const e = await newEngine();
  const [a, b, c] = [new TestClient(e), new TestClient(e), new TestClient(e)];
  await a.query("create table t (id int primary key, v int); insert into t values (1, 0), (2, 0)");
  await b.query("begin isolation level repeatable read");
  // `v + 0` keeps the statement off the point-lookup path: the executor's index scan runs.
  assert.deepEqual(await b.query("select v + 0 from t where id = 1"), [["0"]]);
  for (let i = 1; i <= 30; i++) await a.query(`update t set v = ${i} where id = 1`);
  await c.query("begin; update t set v = v + 100 where id = 1");
  await c.query("update t set v = v + 100 where id = 1");
  assert.deepEqual(await c.query("select v + 0 from t where id = 1"), [["230"]]);
  assert.deepEqual(await a.query("select v + 0 from t where id = 1"), [["30"]]);
  assert.deepEqual(await b.query("select v + 0 from t where id = 1"), [["0"]]);
  await c.query("rollback");
  await b.query("commit");
  assert.deepEqual(await b.query("select id, v from t where id = 1"), [["1", "30"]]);
  assert.deepEqual(await b.query("select v + 0 from t where id = 3"), []);
  assert.deepEqual(await b.query("select v + 0 from t where id >= 1 and id <= 2 order by id"),
    [["30"], ["0"]]);
});

test("a key prefix of a unique index still walks every row under it", async () => {
  const e = await newEngine();
  const a = new TestClient(e);
  await a.query("create table t (k int, n int, v int, primary key (k, n))");
  await a.query("insert into t select g % 3, g, 0 from generate_series(1, 30) g");
  await a.query("update t set v = v + 1 where k = 1");
  await a.query("update t set v = v + 1 where k = 1 and n = 4");
  assert.deepEqual(await a.query("select count(*), sum(v) from t where k = 1"), [["10", "11"]]);
});

test("an UPDATE that keeps a unique key passes; one that moves it onto another fails", async () => {
  const e = await newEngine();
  const [a, b] = [new TestClient(e), new TestClient(e)];
  await a.query("create table t (id int primary key, code text unique, v int)");
  await a.query("insert into t values (1, 'a', 0), (2, 'b', 0)");
  await a.query("update t set v = v + 1");
  await a.query("update t set v = v + 1, code = code where id = 1");
  await assert.rejects(a.query("update t set code = 'b' where id = 1"),
    (error) => sqlState(error) === "23505");
  await assert.rejects(a.query("update t set id = 2 where id = 1"),
    (error) => sqlState(error) === "23505");
  // A key another running transaction took is still waited for: the UPDATE goes on once
  // that transaction rolls back (a skipped check would have stored a duplicate at once).
  await b.query("begin; insert into t values (3, 'c', 0)");
  let settled = false;
  const moving = a.query("update t set code = 'c' where id = 1").finally(() => { settled = true; });
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(settled, false, "the UPDATE waits for the inserting transaction");
  await b.query("rollback");
  await moving;
  assert.deepEqual(await a.query("select id, code, v from t order by id"),
    [["1", "c", "2"], ["2", "b", "1"]]);
});
