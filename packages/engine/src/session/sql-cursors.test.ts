import { test } from "node:test";
import assert from "node:assert/strict";
import { newEngine } from "../test-support/harness.js";
import { recordingOutput } from "../test-support/recording-output.js";
import { Session } from "./session.js";


async function session(): Promise<{ sql: (text: string) => Promise<string[]> }> {
  const engine = await newEngine();
  const lines: string[] = [];
  const output = recordingOutput(lines, { descriptions: true });
  const s = new Session({ engine, output, user: "postgres",
    database: "postgres", backendPid: 1, parameters: {} });
  s.start();
  await s.simpleQuery("create table t (id int primary key); " +
    "insert into t select generate_series(1, 10)");
  return {
    sql: async (text) => {
      lines.length = 0;
      await s.simpleQuery(text);
      return lines.filter((l) => !l.startsWith("desc "));
    },
  };
}

test("FETCH and MOVE walk a cursor forward; backward needs SCROLL", async () => {
  const { sql } = await session();
  assert.deepEqual(await sql("declare c cursor for select id from t order by id"),
    ["ERROR 25P01 DECLARE CURSOR can only be used in transaction blocks"]);
  assert.deepEqual(await sql("begin; declare c no scroll cursor for select id from t " +
    "order by id; fetch 2 from c; move 3 in c; fetch c; move 0 c"),
  ["BEGIN", "DECLARE CURSOR", "1", "2", "FETCH 2", "MOVE 3", "6", "FETCH 1", "MOVE 1"]);
  assert.deepEqual(await sql("fetch all c; fetch next c; fetch 0 c"),
    ["7", "8", "9", "10", "FETCH 4", "FETCH 0", "FETCH 0"]);
  assert.deepEqual(await sql("fetch backward 1 c"),
    ["ERROR 55000 cursor can only scan forward"]);
  assert.deepEqual(await sql("rollback; fetch c"),
    ["ROLLBACK", "ERROR 34000 cursor \"c\" does not exist"]);
});

test("a SCROLL cursor moves anywhere, as Postgres positions portals", async () => {
  const { sql } = await session();
  await sql("begin; declare s scroll cursor for select id from t where id <= 5 order by id");
  assert.deepEqual(await sql("fetch last s; fetch prior s; fetch first s"),
    ["5", "FETCH 1", "4", "FETCH 1", "1", "FETCH 1"]);
  assert.deepEqual(await sql("fetch absolute -2 s; fetch relative -1 s; fetch backward all s"),
    ["4", "FETCH 1", "3", "FETCH 1", "2", "1", "FETCH 2"]);
  assert.deepEqual(await sql("fetch absolute 9 s; fetch prior s; fetch 0 s; " +
    "move backward all in s"), ["FETCH 0", "5", "FETCH 1", "5", "FETCH 1", "MOVE 4"]);
  assert.deepEqual(await sql("declare s cursor for select 1"),
    ["ERROR 42P03 cursor \"s\" already exists"]);
});

test("WITH HOLD cursors outlive COMMIT; the others close with their transaction", async () => {
  const { sql } = await session();
  assert.deepEqual(await sql("begin; declare h cursor with hold for select id from t " +
    "where id > 8 order by id; declare n cursor for select 1; fetch h; commit"),
  ["BEGIN", "DECLARE CURSOR", "DECLARE CURSOR", "9", "FETCH 1", "COMMIT"]);
  assert.deepEqual(await sql("fetch all h; fetch n"),
    ["10", "FETCH 1", "ERROR 34000 cursor \"n\" does not exist"]);
  assert.deepEqual(await sql("declare o cursor with hold for select count(*) from t; " +
    "close h; fetch o; close all; fetch o"),
  ["DECLARE CURSOR", "CLOSE CURSOR", "10", "FETCH 1", "CLOSE CURSOR ALL",
    "ERROR 34000 cursor \"o\" does not exist"]);
});

test("a default cursor scrolls when Postgres's plan would run backward", async () => {
  const { sql } = await session();
  await sql("begin; declare d cursor for select id from t where id <= 3 order by id; " +
    "declare g cursor for select count(*) from t; declare u cursor for select id from t " +
    "order by id for update");
  assert.deepEqual(await sql("fetch 2 d; fetch backward 1 d; fetch g; fetch backward 1 g"),
    ["1", "2", "FETCH 2", "1", "FETCH 1", "10", "FETCH 1",
      "ERROR 55000 cursor can only scan forward"]);
  assert.deepEqual(await sql("rollback; begin; declare s scroll cursor for select id from t " +
    "for share"), ["ROLLBACK", "BEGIN",
    "ERROR 0A000 DECLARE SCROLL CURSOR ... FOR SHARE is not supported"]);
});

test("WHERE CURRENT OF changes the row a cursor is on", async () => {
  const { sql } = await session();
  await sql("begin; declare c cursor for select id from t where id > 4 order by id for update");
  assert.deepEqual(await sql("delete from t where current of c"),
    ["ERROR 24000 cursor \"c\" is not positioned on a row"]);
  assert.deepEqual(await sql("rollback; begin; declare c cursor for select id from t " +
    "where id > 4 order by id for update; fetch 2 c; " +
    "update t set id = id * 10 where current of c returning id; fetch c; " +
    "delete from t where current of c; select count(*) from t where id in (6, 7, 60)"),
  ["ROLLBACK", "BEGIN", "DECLARE CURSOR", "5", "6", "FETCH 2", "60", "UPDATE 1", "7",
    "FETCH 1", "DELETE 1", "1", "SELECT 1"]);
  assert.deepEqual(await sql("update t set id = 1 where current of nope"),
    ["ERROR 34000 cursor \"nope\" does not exist"]);
  assert.deepEqual(await sql("rollback; begin; declare a cursor for select count(*) from t; " +
    "fetch a; delete from t where current of a"), ["ROLLBACK", "BEGIN", "DECLARE CURSOR",
    "10", "FETCH 1", "ERROR 24000 cursor \"a\" is not a simply updatable scan of table \"t\""]);
});

test("ROLLBACK TO a savepoint closes the cursors declared after it", async () => {
  const { sql } = await session();
  assert.deepEqual(await sql("begin; declare a cursor for select 1; savepoint s; " +
    "declare b cursor for select 2; rollback to s; fetch a; fetch b"),
  ["BEGIN", "DECLARE CURSOR", "SAVEPOINT", "DECLARE CURSOR", "ROLLBACK", "1", "FETCH 1",
    "ERROR 34000 cursor \"b\" does not exist"]);
});

test("a default cursor scrolls back within a window of rows; SCROLL keeps all", async () => {
  const { sql } = await session();
  await sql("begin; declare w cursor for select * from generate_series(1, 30000) g; " +
    "declare s scroll cursor for select * from generate_series(1, 30000) g");
  assert.deepEqual(await sql("move 25000 w; fetch backward 2 w; move backward 9000 w; fetch w"),
    ["MOVE 25000", "24999", "24998", "FETCH 2", "MOVE 9000", "15999", "FETCH 1"]);
  assert.deepEqual(await sql("move backward 2000 w"), ["ERROR 55000 cursor can only scan forward"]);
  assert.deepEqual(await sql("rollback; begin; declare s scroll cursor for " +
    "select * from generate_series(1, 30000) g; move 25000 s; fetch first s"),
  ["ROLLBACK", "BEGIN", "DECLARE CURSOR", "MOVE 25000", "1", "FETCH 1"]);
});
