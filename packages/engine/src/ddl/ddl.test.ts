import { test } from "node:test";
import assert from "node:assert/strict";
import { parseStatements } from "@tessera/sql";
import type { Engine } from "../engine.js";
import { newEngine, run, testContext } from "../test-support/harness.js";

type Err = Error & { code?: string; detail?: string; hint?: string };
const fails = (code: string, message?: string, detail?: string) => (err: Err) =>
  err.code === code && (message === undefined || err.message === message) &&
  (detail === undefined || err.detail === detail);

test("ALTER TABLE ADD / DROP / RENAME COLUMN", async () => {
  const e = await newEngine();
  await run(e, "create table t (a int, b text)");
  await run(e, "insert into t values (1, 'x'), (2, null)");
  await run(e, "alter table t add column c int default 5 not null, add column d serial");
  assert.deepEqual((await run(e, "select a, c, d from t order by a")).rows,
    [["1", "5", "1"], ["2", "5", "2"]]);
  await assert.rejects(run(e, "alter table t add column e int not null"),
    fails("23502", "column \"e\" of relation \"t\" contains null values"));
  assert.deepEqual((await run(e, "select * from t where a = 1")).names, ["a", "b", "c", "d"]);
  await assert.rejects(run(e, "alter table t add column c int"),
    fails("42701", "column \"c\" of relation \"t\" already exists"));
  await run(e, "alter table t add column if not exists c int");
  await run(e, "alter table t drop column b");
  await run(e, "alter table t drop column if exists zz");
  await assert.rejects(run(e, "alter table t drop column zz"),
    fails("42703", "column \"zz\" of relation \"t\" does not exist"));
  await run(e, "alter table t add column b text default 'new'");
  assert.deepEqual((await run(e, "select * from t order by a")).rows,
    [["1", "5", "1", "new"], ["2", "5", "2", "new"]]);
  await run(e, "insert into t (a) values (3)");
  assert.deepEqual((await run(e, "select d, b from t where a = 3")).rows, [["3", "new"]]);
  await run(e, "alter table t rename column a to aa");
  await assert.rejects(run(e, "alter table t rename column q to r"),
    fails("42703", "column \"q\" does not exist"));
  await run(e, "alter table t rename to t2");
  assert.deepEqual((await run(e, "select count(aa) from t2")).rows, [["3"]]);
  await run(e, "alter table if exists nope add column x int");
  await assert.rejects(run(e, "alter table nope add column x int"), fails("42P01"));
});

test("ALTER COLUMN TYPE, SET/DROP DEFAULT and NOT NULL", async () => {
  const e = await newEngine();
  await run(e, "create table t (a int primary key, b text)");
  await run(e, "insert into t values (1, '10'), (2, null)");
  await assert.rejects(run(e, "alter table t alter column b type int"), (err: Err) =>
    fails("42804", "column \"b\" cannot be cast automatically to type integer")(err) &&
    err.hint === "You might need to specify \"USING b::integer\".");
  await run(e, "alter table t alter column b type int using b::int");
  assert.deepEqual((await run(e, "select b + 1 from t order by a")).rows, [["11"], [null]]);
  await run(e, "alter table t alter column a type bigint");
  assert.deepEqual((await run(e, "select a from t where a = 2")).types, [20]);
  await assert.rejects(run(e, "alter table t alter column b set not null"),
    fails("23502", "column \"b\" of relation \"t\" contains null values"));
  await run(e, "update t set b = 0 where b is null");
  await run(e, "alter table t alter column b set not null, alter column b set default 42");
  await run(e, "insert into t (a) values (3)");
  assert.deepEqual((await run(e, "select b from t where a = 3")).rows, [["42"]]);
  await run(e, "alter table t alter column b drop default, alter column b drop not null");
  await run(e, "insert into t (a) values (4)");
  assert.deepEqual((await run(e, "select b from t where a = 4")).rows, [[null]]);
  await assert.rejects(run(e, "alter table t alter column a drop not null"),
    fails("42P16", "column \"a\" is in a primary key"));
});

test("ALTER TABLE ADD CONSTRAINT validates rows; a failing ALTER changes nothing", async () => {
  const e = await newEngine();
  await run(e, "create table t (a int, b int)");
  await run(e, "insert into t values (1, 1), (1, 2), (null, 3)");
  await assert.rejects(run(e, "alter table t add constraint c check (a > 1)"),
    fails("23514", "check constraint \"c\" of relation \"t\" is violated by some row"));
  await assert.rejects(run(e, "alter table t add primary key (a)"),
    fails("23505", "could not create unique index \"t_pkey\"", "Key (a)=(1) is duplicated."));
  await assert.rejects(run(e, "create unique index i on t (a)"),
    fails("23505", "could not create unique index \"i\"", "Key (a)=(1) is duplicated."));
  await run(e, "delete from t where a is null");
  await assert.rejects(run(e, "alter table t add column z int default 0, add primary key (a)"),
    fails("23505"));
  assert.deepEqual((await run(e, "select * from t order by b")).names, ["a", "b"]);
  await run(e, "alter table t add primary key (b), add constraint c check (a > 0) not valid");
  await assert.rejects(run(e, "insert into t values (0, 9)"), fails("23514",
    "new row for relation \"t\" violates check constraint \"c\""));
  await assert.rejects(run(e, "alter table t add constraint c check (a > 0)"),
    fails("42710", "constraint \"c\" for relation \"t\" already exists"));
  await run(e, "alter table t drop constraint c");
  await run(e, "alter table t drop constraint if exists c");
  await assert.rejects(run(e, "alter table t drop constraint c"),
    fails("42704", "constraint \"c\" of relation \"t\" does not exist"));
  await run(e, "insert into t values (0, 9)");
});

test("foreign keys through ALTER TABLE, with dependent drops", async () => {
  const e = await newEngine();
  await run(e, "create table p (id int); create table c (pid int)");
  await run(e, "insert into p values (1); insert into c values (1), (9)");
  await run(e, "alter table p add primary key (id)");
  await assert.rejects(run(e,
    "alter table c add constraint c_pid_fkey foreign key (pid) references p"),
    fails("23503", "insert or update on table \"c\" violates foreign key constraint \"c_pid_fkey\"",
      "Key (pid)=(9) is not present in table \"p\"."));
  await run(e, "delete from c where pid = 9");
  await run(e, "alter table c add foreign key (pid) references p on delete cascade");
  await assert.rejects(run(e, "alter table p drop constraint p_pkey"), (err: Err) =>
    fails("2BP01", "cannot drop constraint p_pkey on table p because other objects depend on it",
      "constraint c_pid_fkey on table c depends on index p_pkey")(err) &&
    err.hint === "Use DROP ... CASCADE to drop the dependent objects too.");
  await assert.rejects(run(e, "alter table p drop column id"), fails("2BP01",
    "cannot drop column id of table p because other objects depend on it"));
  await run(e, "alter table p drop column id cascade");
  await run(e, "insert into c values (12345)");
});

test("pgbench's schema: WITH (fillfactor), ADD PRIMARY KEY, VACUUM, ANALYZE", async () => {
  const e = await newEngine();
  await run(e,
    "create table pgbench_branches(bid int not null,bbalance int,filler char(88)) with" +
      " (fillfactor=100)");
  await run(e, "insert into pgbench_branches(bid,bbalance) values(1,0)");
  await run(e, "alter table pgbench_branches add primary key (bid)");
  await assert.rejects(run(e, "insert into pgbench_branches values (1, 0)"), fails("23505"));
  assert.equal((await run(e, "vacuum analyze pgbench_branches")).tag, "VACUUM");
  assert.equal((await run(e, "analyze pgbench_branches")).tag, "ANALYZE");
  assert.equal((await run(e, "vacuum")).tag, "VACUUM");
  await assert.rejects(run(e, "vacuum nope"), fails("42P01"));
  await assert.rejects(run(e, "create table x (a int) with (fillfactor=5)"),
    fails("22023", "value 5 out of bounds for option \"fillfactor\"",
      "Valid values are between \"10\" and \"100\"."));
  await assert.rejects(run(e, "create table x (a int) with (foo=1)"),
    fails("22023", "unrecognized parameter \"foo\""));
  await run(e, "alter table pgbench_branches set (fillfactor=80)");
  await run(e,
    "create index concurrently if not exists ib on pgbench_branches (bbalance desc, bid)");
  await run(e, "create index if not exists ib on pgbench_branches (bid)");
});

test("CREATE TABLE AS and SELECT INTO", async () => {
  const e = await newEngine();
  await run(e, "create table s (a int, b text); insert into s values (1, 'x'), (2, 'y')");
  assert.equal((await run(e, "create table t2 (n, m) as select a * 10, b from s")).tag, "SELECT 2");
  assert.deepEqual((await run(e, "select n, m from t2 order by n")).rows, [["10", "x"], ["20",
    "y"]]);
  assert.equal((await run(e, "select a into t3 from s where a > 1")).tag, "SELECT 1");
  assert.equal((await run(e, "create table t4 as select 1 as q with no data")).tag,
    "CREATE TABLE AS");
  assert.deepEqual((await run(e, "select count(*) from t4")).rows, [["0"]]);
  await assert.rejects(run(e, "create table t2 as select 1"),
    fails("42P07", "relation \"t2\" already exists"));
  assert.equal((await run(e, "create table if not exists t2 as select 1")).tag, "CREATE TABLE AS");
});

test("sequences: options, limits, cycle, setval, ALTER", async () => {
  const e = await newEngine();
  await run(e, "create sequence s1 maxvalue 2");
  assert.deepEqual((await run(e, "select nextval('s1'), nextval('s1')")).rows, [["1", "2"]]);
  await assert.rejects(run(e, "select nextval('s1')"),
    fails("2200H", "nextval: reached maximum value of sequence \"s1\" (2)"));
  await assert.rejects(run(e, "select setval('s1', 50)"),
    fails("22003", "setval: value 50 is out of bounds for sequence \"s1\" (1..2)"));
  await run(e, "alter sequence s1 restart with 1");
  assert.deepEqual((await run(e, "select nextval('s1')")).rows, [["1"]]);
  await run(e, "create sequence s2 increment by -2 minvalue -5 maxvalue 0 cycle");
  assert.deepEqual((await run(e,
    "select nextval('s2'), nextval('s2'), nextval('s2'), nextval('s2')")).rows,
    [["0", "-2", "-4", "0"]]);
  const bad: [string, string][] = [
    ["create sequence s3 increment 0", "INCREMENT must not be zero"],
    ["create sequence s3 minvalue 5 maxvalue 1", "MINVALUE (5) must be less than MAXVALUE (1)"],
    ["create sequence s3 start 100 maxvalue 10",
      "START value (100) cannot be greater than MAXVALUE (10)"],
    ["create sequence s3 as text", "sequence type must be smallint, integer, or bigint"],
    ["create sequence s3 as smallint maxvalue 100000",
      "MAXVALUE (100000) is out of range for sequence data type smallint"],
    ["create sequence s3 cache 0", "CACHE (0) must be greater than zero"],
  ];
  for (const [sql, message] of bad) await assert.rejects(run(e, sql), fails("22023", message), sql);
  await assert.rejects(run(e, "create sequence s1"), fails("42P07",
    "relation \"s1\" already exists"));
  await run(e, "create sequence if not exists s1");
  await run(e, "select setval('s1', 2, false)");
  assert.deepEqual((await run(e, "select nextval('s1')")).rows, [["2"]]);
  await run(e, "create table owner (a int); create sequence s4 owned by owner.a");
  await run(e, "drop table owner");
  await assert.rejects(run(e, "select nextval('s4')"), fails("42P01"));
  await run(e, "alter sequence if exists nope restart");
  await run(e, "drop sequence s1");
});

test("temporary tables belong to their session and go with it", async () => {
  const e = await newEngine();
  await run(e, "create table t (a int); insert into t values (1)");
  await run(e, "create temp table t (a int, b int); insert into t values (2, 2)");
  assert.deepEqual((await run(e, "select * from t")).rows, [["2", "2"]]);
  assert.deepEqual((await run(e, "select * from public.t")).rows, [["1"]]);
  assert.deepEqual(await rowsAs(e, 777, "select * from t"), [["1"]]);
  await run(e, "create temporary table tt (id serial, x int)");
  await run(e, "insert into tt (x) values (5)");
  assert.deepEqual((await run(e, "select id, x from pg_temp.tt")).rows, [["1", "5"]]);
  await assert.rejects(rowsAs(e, 777, "select * from tt"), fails("42P01"));
  e.dropSessionObjects(4242);
  assert.deepEqual((await run(e, "select * from t")).rows, [["1"]]);
  await assert.rejects(run(e, "select * from tt"), fails("42P01"));
});

/** Runs one statement as another session (backend pid) and returns its rows' first values. */
async function rowsAs(e: Engine, backendPid: number, sql: string): Promise<unknown[][]> {
  const ctx = { ...testContext(), backendPid };
  const prepared = e.prepare(parseStatements(sql)[0]!.stmt, [], ctx);
  const result = await prepared.open([], ctx).fetch(0);
  return result.rows.map((r) => r.map((v) => (v === null ? null : String(v))));
}
