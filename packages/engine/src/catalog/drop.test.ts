import { test } from "node:test";
import assert from "node:assert/strict";
import type { SqlError } from "@tessera/base";
import { parseStatements } from "@tessera/sql";
import type { Engine } from "../engine.js";
import { newEngine, run, testContext } from "../test-support/harness.js";

type Err = Error & { code?: string; detail?: string; hint?: string };
const fails = (code: string, message: string, detail?: string) => (err: Err) =>
  err.code === code && err.message === message && (detail === undefined || err.detail === detail);

/** Runs one statement and returns the notices it sent. */
async function notices(e: Engine, sql: string): Promise<SqlError[]> {
  const out: SqlError[] = [];
  const ctx = testContext(out);
  const stmt = parseStatements(sql)[0]!.stmt;
  await e.prepare(stmt, [], ctx).open([], ctx).fetch(0);
  return out;
}

test("DROP refuses dependents without CASCADE and names them", async () => {
  const e = await newEngine();
  await run(e, "create table a (id int primary key)");
  await run(e, "create table b (x int references a)");
  await run(e, "create view va as select * from a");
  await run(e, "create view vb as select * from va, b");
  await assert.rejects(run(e, "drop table a"), fails("2BP01",
    "cannot drop table a because other objects depend on it",
    "constraint b_x_fkey on table b depends on table a\nview va depends on table a\n" +
    "view vb depends on view va"));
  await assert.rejects(run(e, "drop table va"), fails("42809", "\"va\" is not a table"));
  await assert.rejects(run(e, "drop index a_pkey"), fails("2BP01",
    "cannot drop index a_pkey because constraint a_pkey on table a requires it"));
  await assert.rejects(run(e, "drop index nosuch"),
    fails("42704", "index \"nosuch\" does not exist"));
  const said = await notices(e, "drop table a cascade");
  assert.equal(said[0]?.message, "drop cascades to 3 other objects");
  assert.equal(said[0]?.detail, "drop cascades to constraint b_x_fkey on table b\n" +
    "drop cascades to view va\ndrop cascades to view vb");
  await run(e, "insert into b values (999)");
  await assert.rejects(run(e, "select * from vb"), fails("42P01",
    "relation \"vb\" does not exist"));
});

test("DROP SEQUENCE and DROP SCHEMA follow defaults and contents", async () => {
  const e = await newEngine();
  await run(e, "create sequence s");
  await run(e, "create table t (id int default nextval('s'), v text)");
  await assert.rejects(run(e, "drop sequence s"), fails("2BP01",
    "cannot drop sequence s because other objects depend on it",
    "default value for column id of table t depends on sequence s"));
  const said = await notices(e, "drop sequence s cascade");
  assert.equal(said[0]?.message, "drop cascades to default value for column id of table t");
  assert.deepEqual((await run(e, "insert into t (v) values ('c') returning id")).rows, [[null]]);
  await run(e, "create schema sc");
  await run(e, "create table sc.t (id serial primary key)");
  await run(e, "create table sc.u (x int)");
  await assert.rejects(run(e, "drop schema sc"), fails("2BP01",
    "cannot drop schema sc because other objects depend on it",
    "table sc.t depends on schema sc\ntable sc.u depends on schema sc"));
  await run(e, "drop schema sc cascade");
  await assert.rejects(run(e, "select * from sc.t"), fails("42P01",
    "relation \"sc.t\" does not exist"));
});
