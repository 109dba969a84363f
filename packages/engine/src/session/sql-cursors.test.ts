import { test } from "node:test";
import assert from "node:assert/strict";
import type { SqlError } from "@tessera/base";
import { newEngine } from "../test-support/harness.js";
import type { SessionOutput } from "./output.js";
import { Session } from "./session.js";

/** Records what the session says as lines: rows as `a|b`, tags, `ERROR code message`. */
function recorder(lines: string[]): SessionOutput {
  const text = new TextDecoder();
  const ignore = (): void => undefined;
  return {
    rowDescription: (columns) => lines.push(`desc ${columns.map((c) => c.name).join(",")}`),
    dataRow: (cells) => lines.push(cells.map((c) => (c === null ? "null" : text.decode(c)))
      .join("|")),
    commandComplete: (tag) => lines.push(tag),
    error: (error: SqlError) => lines.push(`ERROR ${error.code} ${error.message}`),
    notice: ignore, emptyQuery: ignore, readyForQuery: ignore, parameterStatus: ignore,
    parseComplete: ignore, bindComplete: ignore, closeComplete: ignore, noData: ignore,
    parameterDescription: ignore, portalSuspended: ignore, copyInResponse: ignore,
    copyOutResponse: ignore, copyData: ignore, copyDone: ignore, flush: async () => undefined,
  };
}

async function session(): Promise<{ sql: (text: string) => Promise<string[]> }> {
  const engine = await newEngine();
  const lines: string[] = [];
  const s = new Session({ engine, output: recorder(lines), user: "postgres",
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
