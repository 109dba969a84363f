import { test } from "node:test";
import assert from "node:assert/strict";
import { isSqlError } from "@tessera/base";
import { newEngine } from "../test-support/harness.js";
import { TestClient } from "./test-client.js";

const sqlState = (error: unknown): string => (isSqlError(error) ? error.code : String(error));
const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

test("FOR UPDATE makes a second locker and a writer wait until commit", async () => {
  const e = await newEngine();
  const [a, b, c] = [new TestClient(e), new TestClient(e), new TestClient(e)];
  await a.query("create table t (id int primary key, v int); " +
    "insert into t values (1, 10), (2, 20)");
  await a.query("begin; select v from t where id = 1 for update");
  let locked = false;
  let updated = false;
  await b.query("begin");
  const locker = b.query("select v from t where id = 1 for update").then((rows) => {
    locked = true;
    return rows;
  });
  const writer = c.query("update t set v = v + 1 where id = 1").then(() => { updated = true; });
  await tick();
  assert.equal(locked, false, "the second FOR UPDATE waits");
  assert.equal(updated, false, "the writer waits");
  assert.deepEqual(await c.query("select v from t where id = 2 for update"), [["20"]]);
  await a.query("update t set v = 11 where id = 1; commit");
  assert.deepEqual(await locker, [["11"]]);
  await tick();
  assert.equal(updated, false, "the writer now waits for b");
  await b.query("commit");
  await writer;
  assert.deepEqual(await a.query("select v from t where id = 1"), [["12"]]);
});

test("NOWAIT raises 55P03; SKIP LOCKED passes locked rows over; FOR SHARE shares", async () => {
  const e = await newEngine();
  const [a, b] = [new TestClient(e), new TestClient(e)];
  await a.query("create table t (id int primary key); insert into t values (1), (2), (3)");
  await a.query("begin; select * from t where id = 2 for share");
  await b.query("begin");
  assert.deepEqual(await b.query("select id from t for share nowait"), [["1"], ["2"], ["3"]]);
  await assert.rejects(b.query("select id from t where id = 2 for update nowait"),
    (error: unknown) => sqlState(error) === "55P03" &&
      (error as Error).message === 'could not obtain lock on row in relation "t"');
  await b.query("rollback; begin");
  assert.deepEqual(await b.query("select id from t order by id for update skip locked"),
    [["1"], ["3"]]);
  assert.deepEqual(await b.query("select id from t for key share nowait"), [["1"], ["2"], ["3"]]);
  await b.query("commit");
  await a.query("rollback");
  assert.deepEqual(await b.query("select id from t for update nowait"), [["1"], ["2"], ["3"]]);
});

test("row locks deadlock: 40P01 in the transaction that closes the cycle", async () => {
  const e = await newEngine();
  const [a, b] = [new TestClient(e), new TestClient(e)];
  await a.query("create table t (id int primary key); insert into t values (1), (2)");
  await a.query("begin; select * from t where id = 1 for update");
  await b.query("begin; select * from t where id = 2 for update");
  const first = a.query("select * from t where id = 2 for update");
  await tick();
  await assert.rejects(b.query("select * from t where id = 1 for update"),
    (error: unknown) => sqlState(error) === "40P01");
  await b.query("rollback");
  assert.deepEqual(await first, [["2"]]);
  await a.query("commit");
});

test("a SKIP LOCKED job queue: concurrent workers take each job exactly once", async () => {
  const e = await newEngine();
  const setup = new TestClient(e);
  await setup.query("create table jobs (id int primary key, taken_by int)");
  await setup.query("insert into jobs (id) select g from generate_series(1, 40) g");
  const workers = Array.from({ length: 5 }, () => new TestClient(e));
  const taken: number[] = [];
  await Promise.all(workers.map(async (w, n) => {
    for (;;) {
      await w.query("begin");
      const rows = await w.query("select id from jobs where taken_by is null order by id " +
        "limit 1 for update skip locked");
      if (rows.length === 0) {
        await w.query("commit");
        return;
      }
      const id = Number(rows[0]![0]);
      await tick();
      await w.query(`update jobs set taken_by = ${n} where id = ${id}`);
      taken.push(id);
      await w.query("commit");
    }
  }));
  assert.deepEqual(taken.slice().sort((x, y) => x - y),
    Array.from({ length: 40 }, (_v, i) => i + 1));
  assert.deepEqual(await setup.query("select count(*) from jobs where taken_by is null"), [["0"]]);
  const busy = await setup.query("select count(distinct taken_by) from jobs");
  assert.ok(Number(busy[0]![0]) > 1, "more than one worker got jobs");
});
