import { test } from "node:test";
import assert from "node:assert/strict";
import { initParser } from "@tessera/sql";
import { Engine } from "../engine.js";
import { MemoryFileSystem } from "../wal/memory-fs.js";
import { LockMode, RelationLocks, relationModesConflict } from "./relation-locks.js";
import { lineClient as client } from "./test-session.js";
import { Transaction } from "./transaction.js";

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** "waiting" when `pending` has not settled after a while, else its lines. */
async function soon(pending: Promise<string[]>): Promise<string[] | "waiting"> {
  return Promise.race([pending, sleep(60).then(() => "waiting" as const)]);
}

test("the conflict table is Postgres's (lock.c's LockConflicts), and symmetric", () => {
  // Rows as the Postgres documentation's table 13.2 lists them, X where modes conflict.
  const table = [
    "-------X", "------XX", "----XXXX", "---XXXXX",
    "--XX-XXX", "--XXXXXX", "-XXXXXXX", "XXXXXXXX"];
  for (let held = 1; held <= 8; held++) {
    for (let wanted = 1; wanted <= 8; wanted++) {
      assert.equal(relationModesConflict(held, wanted), table[held - 1]![wanted - 1] === "X",
        `modes ${held} and ${wanted}`);
      assert.equal(relationModesConflict(held, wanted), relationModesConflict(wanted, held));
    }
  }
});

test("grants queue in order; a holder's own modes never block it; release wakes", async () => {
  const locks = new RelationLocks();
  const [a, b, c] = [new Transaction(true, 1), new Transaction(true, 2), new Transaction(true, 3)];
  assert.ok(locks.tryAcquire(a, 100, LockMode.accessShare));
  assert.ok(locks.tryAcquire(a, 100, LockMode.accessExclusive), "only a holds it");
  assert.ok(!locks.tryAcquire(b, 100, LockMode.accessShare));
  const waiter = locks.enqueue(b, 100, LockMode.rowExclusive);
  assert.deepEqual(locks.blockers(waiter), [a]);
  // c's AccessShare conflicts with nothing granted to others once a is gone, but b queues first.
  locks.releaseAll(a);
  await waiter.granted;
  assert.ok(locks.holds(b, 100, LockMode.rowExclusive));
  assert.ok(!locks.tryAcquire(c, 100, LockMode.share), "Share conflicts with RowExclusive");
  assert.ok(locks.tryAcquire(c, 100, LockMode.accessShare));
  assert.deepEqual(locks.entries().map((e) => `${e.txn.backendPid}:${e.mode}:${e.granted}`)
    .sort(), ["2:3:true", "3:1:true"]);
  locks.releaseAll(b);
  locks.releaseAll(c);
  assert.deepEqual(locks.entries(), []);
});

test("DDL waits for open transactions; a waiter planned against a dropped table gets 42P01",
  async () => {
    await initParser();
    const engine = Engine.create({});
    const [a, b, c] = [client(engine, 1), client(engine, 2), client(engine, 3)];
    await a("create table t (id int primary key, v int); insert into t values (1, 1)");
    await a("begin; select * from t where id = 1");
    const alter = b("alter table t add column w int");
    assert.equal(await soon(alter), "waiting");
    assert.deepEqual(await c("select mode, granted, pid from pg_locks " +
      "where relation = 't'::regclass order by granted desc"),
    ["AccessShareLock|t|1", "AccessExclusiveLock|f|2", "SELECT 2"]);
    // The wait is an edge of the wait-for graph the coordinator's deadlock detection reads.
    assert.deepEqual(engine.txns.manager.waitEdges().map((e) => [e.waitingPid, e.blockingPid]),
      [[2, 1]]);
    assert.deepEqual(await a("select * from t"), ["1|1", "SELECT 1", "ready T"]);
    assert.deepEqual(await a("commit"), ["COMMIT"]);
    assert.deepEqual(await alter, ["ALTER TABLE"]);
    // The waiter was planned before the wait: it plans again and shows the new column.
    await a("begin; lock table t");
    const reader = b("select * from t");
    assert.equal(await soon(reader), "waiting");
    await a("alter table t add column x int; commit");
    assert.deepEqual(await reader, ["1|1|null|null", "SELECT 1"]);
    await a("begin; select * from t");
    const drop = c("drop table t");
    assert.equal(await soon(drop), "waiting");
    const queued = b("select * from t");
    assert.equal(await soon(queued), "waiting");
    await a("commit");
    assert.deepEqual(await drop, ["DROP TABLE"]);
    assert.deepEqual(await queued, ['ERROR 42P01 relation "t" does not exist']);
  });

test("LOCK TABLE: modes, NOWAIT, lock_timeout, savepoints, and a deadlock with a row lock",
  async () => {
    await initParser();
    const engine = Engine.create({});
    const [a, b] = [client(engine, 1), client(engine, 2)];
    await a("create table r (id int primary key, v int); insert into r values (1, 0); " +
      "create table s (id int)");
    assert.deepEqual(await a("lock table s"),
      ["ERROR 25P01 LOCK TABLE can only be used in transaction blocks"]);
    assert.deepEqual(await a("begin; lock table s in row share mode; lock table nope"),
      ["BEGIN", "LOCK TABLE", 'ERROR 42P01 relation "nope" does not exist', "ready E"]);
    await a("rollback");
    await a("begin; lock table s in share mode");
    assert.deepEqual(await b("select count(*) from s"), ["0", "SELECT 1"]);
    assert.deepEqual(await b("begin; lock table s in row exclusive mode nowait"),
      ["BEGIN", 'ERROR 55P03 could not obtain lock on relation "s"', "ready E"]);
    assert.deepEqual(await b("rollback; set lock_timeout = 50; insert into s values (1)"),
      ["ROLLBACK", "SET", "ERROR 55P03 canceling statement due to lock timeout"]);
    await b("reset lock_timeout");
    await a("commit");
    // ROLLBACK TO SAVEPOINT releases what was taken after the savepoint, not before.
    await a("begin; lock table r in share mode; savepoint p; lock table s; " +
      "rollback to savepoint p");
    assert.deepEqual(await b("begin; lock table s nowait; rollback"),
      ["BEGIN", "LOCK TABLE", "ROLLBACK"]);
    assert.deepEqual(await b("begin; lock table r in row exclusive mode nowait"),
      ["BEGIN", 'ERROR 55P03 could not obtain lock on relation "r"', "ready E"]);
    await b("rollback");
    await a("commit");
    // a holds a row lock and waits for b's table lock; b's row wait closes the cycle.
    await a("begin; update r set v = 1 where id = 1");
    await b("begin; lock table s");
    const read = a("select * from s");
    assert.equal(await soon(read), "waiting");
    const update = await b("update r set v = 2 where id = 1");
    assert.equal(update[0], "ERROR 40P01 deadlock detected");
    await b("rollback");
    assert.deepEqual(await read, ["SELECT 0", "ready T"]);
    await a("commit");
  });

test("a prepared transaction keeps its table locks, also across a restart", async () => {
  await initParser();
  const fs = new MemoryFileSystem();
  let engine = await Engine.open({ dataDir: "/data", fs });
  let a = client(engine, 1);
  await a("create table w (id int); create table d (id int)");
  await a("begin; insert into w values (1); alter table d add column x int; " +
    "prepare transaction 'p'");
  const held = ["relation|d|AccessExclusiveLock|t|null", "relation|w|RowExclusiveLock|t|null"];
  const query =
    "select locktype, relation::regclass, mode, granted, pid from pg_locks " +
    "where relation in ('d'::regclass, 'w'::regclass) order by relation::regclass::text";
  assert.deepEqual(await a(query), [...held, "SELECT 2"]);
  fs.crash();
  engine = await Engine.open({ dataDir: "/data", fs });
  a = client(engine, 1);
  assert.deepEqual(await a(query), [...held, "SELECT 2"]);
  assert.deepEqual(await a("begin; lock table w in share mode nowait"),
    ["BEGIN", 'ERROR 55P03 could not obtain lock on relation "w"', "ready E"]);
  await a("rollback");
  assert.deepEqual(await a("commit prepared 'p'"), ["COMMIT PREPARED"]);
  assert.deepEqual(await a(query), ["SELECT 0"]);
  assert.deepEqual(await a("begin; lock table w, d nowait; commit"),
    ["BEGIN", "LOCK TABLE", "COMMIT"]);
});
