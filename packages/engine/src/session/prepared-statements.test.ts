import { test } from "node:test";
import assert from "node:assert/strict";
import { newEngine } from "../test-support/harness.js";
import { recordingOutput } from "../test-support/recording-output.js";
import { Session } from "./session.js";
import { bumpCatalogEpoch } from "../catalog/catalog-epoch.js";


interface Harness {
  sql(text: string): Promise<string[]>;
  /** Parse (once per name), Bind, Execute, Sync of a named statement. */
  run(name: string, text: string): Promise<string[]>;
  other: Session;
}

async function harness(): Promise<Harness> {
  const engine = await newEngine();
  const lines: string[] = [];
  const make = (pid: number): Session => new Session({ engine, output: recordingOutput(lines),
    user: "postgres", database: "postgres", backendPid: pid, parameters: {} });
  const s = make(1);
  const other = make(2);
  s.start();
  other.start();
  const parsed = new Set<string>();
  const take = (): string[] => lines.splice(0);
  return {
    sql: async (text) => {
      take();
      await s.simpleQuery(text);
      return take();
    },
    run: async (name, text) => {
      take();
      if (!parsed.has(name)) s.parse(name, text, []);
      parsed.add(name);
      s.bind("", name, [], [], []);
      await s.execute("", 0);
      await s.sync();
      return take();
    },
    other,
  };
}

test("a protocol statement plans again after DDL; SELECT * fails on a new column", async () => {
  const h = await harness();
  await h.sql("create table t (a int, b text); insert into t values (1, 'x')");
  assert.deepEqual(await h.run("star", "select * from t"), ["1|x", "SELECT 1"]);
  assert.deepEqual(await h.run("a", "select a from t"), ["1", "SELECT 1"]);
  await h.sql("alter table t add column c int");
  assert.deepEqual(await h.run("star", "select * from t"),
    ["ERROR 0A000 cached plan must not change result type"]);
  assert.deepEqual(await h.run("a", "select a from t"), ["1", "SELECT 1"]);
  await h.sql("drop table t");
  assert.deepEqual(await h.run("a", "select a from t"),
    ["ERROR 42P01 relation \"t\" does not exist"]);
  await h.sql("create table t (a int); insert into t values (7)");
  assert.deepEqual(await h.run("a", "select a from t"), ["7", "SELECT 1"]);
  // A rolled-back DROP + CREATE puts the old table back: the plan follows it again.
  await h.sql("begin; drop table t; create table t (a int); insert into t values (8)");
  assert.deepEqual(await h.run("a", "select a from t"), ["8", "SELECT 1"]);
  await h.sql("rollback");
  assert.deepEqual(await h.run("a", "select a from t"), ["7", "SELECT 1"]);
});

test("DDL of another session invalidates this session's statements", async () => {
  const h = await harness();
  await h.sql("create table u (a int); insert into u values (1)");
  assert.deepEqual(await h.sql("prepare q as select a from u; execute q"),
    ["PREPARE", "1", "SELECT 1"]);
  await h.other.simpleQuery("drop table u; create table u (a int); insert into u values (2)");
  assert.deepEqual(await h.sql("execute q"), ["2", "SELECT 1"]);
});

test("SQL PREPARE, EXECUTE, DEALLOCATE and DISCARD follow Postgres", async () => {
  const h = await harness();
  assert.deepEqual(await h.sql("prepare p(int, text) as select $1 * 2, $2 || '!'; " +
    "execute p(21, 'a')"), ["PREPARE", "42|a!", "SELECT 1"]);
  assert.deepEqual(await h.sql("execute p(1)"), [
    "ERROR 42601 wrong number of parameters for prepared statement \"p\""]);
  assert.deepEqual(await h.sql("prepare p as select 1"),
    ["ERROR 42P05 prepared statement \"p\" already exists"]);
  assert.deepEqual(await h.sql("select name, parameter_types::text, from_sql, custom_plans " +
    "from pg_prepared_statements"), ["p|{integer,text}|t|1", "SELECT 1"]);
  assert.deepEqual(await h.sql("deallocate p; deallocate p"),
    ["DEALLOCATE", "ERROR 26000 prepared statement \"p\" does not exist"]);
  assert.deepEqual(await h.sql("prepare a as select 1; prepare b as select 2; deallocate all; " +
    "execute a"), ["PREPARE", "PREPARE", "DEALLOCATE ALL",
    "ERROR 26000 prepared statement \"a\" does not exist"]);
  assert.deepEqual(await h.sql("prepare c as select 3; discard plans; execute c; discard all; " +
    "execute c"), ["PREPARE", "DISCARD PLANS", "3", "SELECT 1", "DISCARD ALL",
    "ERROR 26000 prepared statement \"c\" does not exist"]);
});

test("search_path changes re-plan; an unrelated epoch bump keeps the row type", async () => {
  const h = await harness();
  await h.sql("create schema s; create table s.v (x text); create table v (x text); " +
    "insert into s.v values ('s'); insert into v values ('p')");
  assert.deepEqual(await h.run("v", "select x from v"), ["p", "SELECT 1"]);
  await h.sql("set search_path = s, public");
  assert.deepEqual(await h.run("v", "select x from v"), ["s", "SELECT 1"]);
  bumpCatalogEpoch();
  assert.deepEqual(await h.run("v", "select x from v"), ["s", "SELECT 1"]);
});

test("a prepared key lookup sees its block's writes, old versions and deletes", async () => {
  const h = await harness();
  await h.sql("create table k (id bigint, dev int, v text, primary key (dev, id)); " +
    "insert into k select g, g % 3, 'v' || g from generate_series(1, 500) g");
  const lookup = "select v, id from k where dev = 2 and id = 5";
  const plan = await h.sql(`explain (costs off) ${lookup}`);
  assert.match(plan[0] ?? "", /Index Scan using k_pkey on k/);
  assert.deepEqual(await h.run("pk", lookup), ["v5|5", "SELECT 1"]);
  // Enough versions of one key to fill more than a leaf of the index: the lookup walks past
  // every version its snapshot does not see, across leaves.
  await h.sql("begin");
  for (let i = 0; i < 300; i++) {
    await h.sql(`update k set v = 'u${i}' where dev = 2 and id = 5`);
  }
  assert.deepEqual(await h.run("pk", lookup), ["u299|5", "SELECT 1"]);
  await h.sql("rollback");
  assert.deepEqual(await h.run("pk", lookup), ["v5|5", "SELECT 1"]);
  await h.sql("update k set v = 'w' where dev = 2 and id = 5");
  assert.deepEqual(await h.run("pk", lookup), ["w|5", "SELECT 1"]);
  await h.sql("delete from k where dev = 2 and id = 5");
  assert.deepEqual(await h.run("pk", lookup), ["SELECT 0"]);
  assert.deepEqual(await h.run("miss", "select v from k where dev = 1 and id = 5"), ["SELECT 0"]);
});
