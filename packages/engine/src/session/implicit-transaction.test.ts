import { test } from "node:test";
import assert from "node:assert/strict";
import { newEngine } from "../test-support/harness.js";
import { recordingOutput } from "../test-support/recording-output.js";
import { Session } from "./session.js";


async function sessions(): Promise<{ a: Session; b: Session; lines: string[];
  sql: (s: Session, text: string) => Promise<string[]> }> {
  const engine = await newEngine();
  const lines: string[] = [];
  const make = (pid: number): Session => {
    const output = recordingOutput(lines, { notices: true, ready: true });
    const s = new Session({ engine, output, user: "postgres",
      database: "postgres", backendPid: pid, parameters: {} });
    s.start();
    return s;
  };
  const [a, b] = [make(1), make(2)];
  await a.simpleQuery("create table t (id int primary key)");
  return { a, b, lines, sql: async (s, text) => {
    lines.length = 0;
    await s.simpleQuery(text);
    return lines.slice();
  } };
}

test("an error rolls back the whole multi-statement string, DDL included", async () => {
  const { a, sql } = await sessions();
  assert.deepEqual(await sql(a, "insert into t values (1); create table u (x int); " +
    "insert into t values (1); insert into t values (2)"), ["INSERT 0 1", "CREATE TABLE",
    'ERROR 23505 duplicate key value violates unique constraint "t_pkey"', "ready I"]);
  assert.deepEqual(await sql(a, "select count(*) from t"), ["0", "SELECT 1", "ready I"]);
  assert.match((await sql(a, "select * from u"))[0]!, /ERROR 42P01/);
  assert.deepEqual(await sql(a, "insert into t values (1)"), ["INSERT 0 1", "ready I"]);
});

test("COMMIT inside the string ends the implicit transaction with a warning", async () => {
  const { a, sql } = await sessions();
  assert.deepEqual(await sql(a, "insert into t values (1); commit; insert into t values (2); " +
    "select 1/0"), ["INSERT 0 1", "WARNING there is no transaction in progress", "COMMIT",
    "INSERT 0 1", "ERROR 22012 division by zero", "ready I"]);
  assert.deepEqual(await sql(a, "select id from t"), ["1", "SELECT 1", "ready I"]);
  assert.deepEqual(await sql(a, "insert into t values (5); savepoint s"), ["INSERT 0 1",
    "ERROR 25P01 SAVEPOINT can only be used in transaction blocks", "ready I"]);
  assert.deepEqual(await sql(a, "select count(*) from t"), ["1", "SELECT 1", "ready I"]);
});

test("BEGIN inside the string turns it into a real block, earlier statements in it", async () => {
  const { a, b, sql } = await sessions();
  assert.deepEqual(await sql(a, "insert into t values (1); begin; insert into t values (2)"),
    ["INSERT 0 1", "BEGIN", "INSERT 0 1", "ready T"]);
  assert.deepEqual(await sql(b, "select count(*) from t"), ["0", "SELECT 1", "ready I"]);
  assert.deepEqual(await sql(a, "rollback"), ["ROLLBACK", "ready I"]);
  assert.deepEqual(await sql(b, "select count(*) from t"), ["0", "SELECT 1", "ready I"]);
  assert.deepEqual(await sql(a, "begin; insert into t values (3); select 1/0; commit"),
    ["BEGIN", "INSERT 0 1", "ERROR 22012 division by zero", "ready E"]);
  assert.deepEqual(await sql(a, "rollback"), ["ROLLBACK", "ready I"]);
});

test("the statements of one string see each other's writes", async () => {
  const { a, sql } = await sessions();
  assert.deepEqual(await sql(a, "insert into t values (1); select count(*) from t; " +
    "update t set id = 2; select id from t"),
  ["INSERT 0 1", "1", "SELECT 1", "UPDATE 1", "2", "SELECT 1", "ready I"]);
});

test("extended protocol: Executes before Sync are one transaction", async () => {
  const { a, b, lines } = await sessions();
  lines.length = 0;
  a.parse("", "insert into t values (1)", []);
  a.bind("", "", [], [], []);
  await a.execute("", 0);
  a.parse("", "insert into t values (1)", []);
  a.bind("", "", [], [], []);
  await a.execute("", 0);
  await a.sync();
  assert.deepEqual(lines.filter((l) => l !== "INSERT 0 1"),
    ['ERROR 23505 duplicate key value violates unique constraint "t_pkey"', "ready I"]);
  lines.length = 0;
  await b.simpleQuery("select count(*) from t");
  assert.deepEqual(lines, ["0", "SELECT 1", "ready I"]);
  a.parse("", "insert into t values (2)", []);
  a.bind("", "", [], [], []);
  await a.execute("", 0);
  await a.sync();
  lines.length = 0;
  await b.simpleQuery("select count(*) from t");
  assert.deepEqual(lines, ["1", "SELECT 1", "ready I"]);
});
