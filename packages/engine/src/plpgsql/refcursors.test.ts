import { test } from "node:test";
import assert from "node:assert/strict";
import { newEngine } from "../test-support/harness.js";
import { recordingOutput } from "../test-support/recording-output.js";
import { Session } from "../session/session.js";


async function session(): Promise<{ s: Session; lines: string[];
  sql: (text: string) => Promise<string[]> }> {
  const engine = await newEngine();
  const lines: string[] = [];
  const output = recordingOutput(lines, { suspended: true });
  const s = new Session({ engine, output, user: "postgres",
    database: "postgres", backendPid: 1, parameters: {} });
  s.start();
  await s.simpleQuery("create table t (id int primary key); " +
    "insert into t select generate_series(1, 6); " +
    "create function opened() returns refcursor language plpgsql as $$ " +
    "declare c refcursor; begin open c for select id from t order by id; return c; end $$");
  return { s, lines, sql: async (text) => {
    lines.length = 0;
    await s.simpleQuery(text);
    return [...lines];
  } };
}

/** Parse, Bind and Execute of `sql` on the unnamed statement and portal, up to `maxRows`. */
async function extended(s: Session, sql: string, maxRows = 0): Promise<void> {
  s.parse("", sql, []);
  s.bind("", "", [], [], []);
  await s.execute("", maxRows);
}

test("a refcursor a function returns stays open until its transaction ends", async () => {
  const { sql } = await session();
  assert.deepEqual(await sql("begin; select opened(); fetch 2 from \"<unnamed portal 1>\""),
    ["BEGIN", "<unnamed portal 1>", "SELECT 1", "1", "2", "FETCH 2"]);
  assert.deepEqual(await sql("move 2 in \"<unnamed portal 1>\"; " +
    "fetch all from \"<unnamed portal 1>\"; commit"), ["MOVE 2", "5", "6", "FETCH 2", "COMMIT"]);
  assert.deepEqual(await sql("fetch 1 from \"<unnamed portal 1>\""),
    ["ERROR 34000 cursor \"<unnamed portal 1>\" does not exist"]);
  // Outside a block the cursor ends with its statement; the next name is taken anyway.
  assert.deepEqual(await sql("select opened()"), ["<unnamed portal 2>", "SELECT 1"]);
  assert.deepEqual(await sql("fetch 1 from \"<unnamed portal 2>\""),
    ["ERROR 34000 cursor \"<unnamed portal 2>\" does not exist"]);
});

test("over the extended protocol a refcursor lives until Sync, read in chunks", async () => {
  const { s, lines } = await session();
  lines.length = 0;
  await extended(s, "select opened()");
  await extended(s, "fetch all from \"<unnamed portal 1>\"", 4);
  await s.execute("", 4);
  await s.sync();
  assert.deepEqual(lines, ["<unnamed portal 1>", "SELECT 1", "1", "2", "3", "4", "suspended",
    "5", "6", "FETCH 6"]);
  lines.length = 0;
  await extended(s, "fetch all from \"<unnamed portal 1>\"");
  await s.sync();
  assert.deepEqual(lines, ["ERROR 34000 cursor \"<unnamed portal 1>\" does not exist"]);
});
