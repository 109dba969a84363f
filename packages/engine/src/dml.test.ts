import { test } from "node:test";
import assert from "node:assert/strict";
import { newEngine, run } from "./test-support/harness.js";

const code = (c: string, m?: string) => (err: Error & { code?: string; detail?: string }) =>
  err.code === c && (m === undefined || err.message === m);

test("create table, insert, select with where, order by, limit", async () => {
  const e = await newEngine();
  await run(e, "create table t (id serial primary key, name text not null, n int default 7)");
  const ins = await run(e, "insert into t (name) values ('a'), ('b'), ('c')");
  assert.equal(ins.tag, "INSERT 0 3");
  const r = await run(e, "select id, name, n from t where id >= 2 order by id desc limit 5");
  assert.deepEqual(r.rows, [
    ["3", "c", "7"],
    ["2", "b", "7"],
  ]);
  assert.equal(r.tag, "SELECT 2");
  const one = await run(e, "select name from t where id = $1", [2]);
  assert.deepEqual(one.rows, [["b"]]);
});

test("constraint errors have Postgres's codes, messages and details; statements undo", async () => {
  const e = await newEngine();
  await run(e, "create table t (id int primary key, x int check (x > 0), name text not null)");
  await run(e, "insert into t values (1, 1, 'a')");
  await assert.rejects(
    run(e, "insert into t values (2, 1, 'b'), (1, 1, 'c')"),
    (err: Error & { code?: string; detail?: string }) =>
      err.code === "23505" &&
      err.message === 'duplicate key value violates unique constraint "t_pkey"' &&
      err.detail === "Key (id)=(1) already exists.",
  );
  assert.deepEqual((await run(e, "select count(*) from t")).rows, [["1"]]);
  await assert.rejects(
    run(e, "insert into t values (3, 1, null)"),
    (err: Error & { detail?: string }) =>
      code(
        "23502",
        'null value in column "name" of relation "t" violates not-null constraint',
      )(err) && err.detail === "Failing row contains (3, 1, null).",
  );
  await assert.rejects(
    run(e, "insert into t values (3, -1, 'x')"),
    code("23514", 'new row for relation "t" violates check constraint "t_x_check"'),
  );
  const ret = await run(e, "insert into t values (5, 5, 'e') on conflict do nothing returning id");
  assert.deepEqual(ret.rows, [["5"]]);
  const none = await run(e, "insert into t values (5, 5, 'e') on conflict do nothing");
  assert.equal(none.tag, "INSERT 0 0");
});

test("update and delete with returning", async () => {
  const e = await newEngine();
  await run(e, "create table t (id int primary key, v int)");
  await run(e, "insert into t select 1, 10");
  await run(e, "insert into t values (2, 20), (3, 30)");
  const u = await run(e, "update t set v = v + 1 where id > 1 returning id, v");
  assert.equal(u.tag, "UPDATE 2");
  assert.deepEqual(u.rows.sort(), [
    ["2", "21"],
    ["3", "31"],
  ]);
  const d = await run(e, "delete from t where id = 1");
  assert.equal(d.tag, "DELETE 1");
  const r = await run(e, "select sum(v), count(*), max(v) from t");
  assert.deepEqual(r.rows, [["52", "2", "31"]]);
});

test("joins, group by, having, subqueries", async () => {
  const e = await newEngine();
  await run(e, "create table a (id int primary key, g text)");
  await run(e, "create table b (a_id int references a, v int)");
  await run(e, "insert into a values (1, 'x'), (2, 'x'), (3, 'y')");
  await run(e, "insert into b values (1, 5), (1, 6), (2, 7)");
  await assert.rejects(
    run(e, "insert into b values (9, 1)"),
    code("23503", 'insert or update on table "b" violates foreign key constraint "b_a_id_fkey"'),
  );
  const j = await run(e, "select a.id, b.v from a join b on a.id = b.a_id order by 2");
  assert.deepEqual(j.rows, [
    ["1", "5"],
    ["1", "6"],
    ["2", "7"],
  ]);
  const l = await run(
    e,
    "select a.id, count(b.v) from a left join b on b.a_id = a.id group by a.id order by a.id",
  );
  assert.deepEqual(l.rows, [
    ["1", "2"],
    ["2", "1"],
    ["3", "0"],
  ]);
  const g = await run(e, "select g, count(*) from a group by g having count(*) > 1");
  assert.deepEqual(g.rows, [["x", "2"]]);
  const s = await run(
    e,
    "select id from a where exists (select 1 from b where b.a_id = a.id) order by id",
  );
  assert.deepEqual(s.rows, [["1"], ["2"]]);
  const i = await run(
    e,
    "select id, (select max(v) from b where a_id = a.id) from a " +
      "where id in (select a_id from b) order by 1",
  );
  assert.deepEqual(i.rows, [
    ["1", "6"],
    ["2", "7"],
  ]);
  await assert.rejects(
    run(e, "select g, id from a group by g"),
    code(
      "42803",
      'column "a.id" must appear in the GROUP BY clause or be used in an aggregate function',
    ),
  );
  const u = await run(e, "select id from a union select a_id from b order by 1");
  assert.deepEqual(u.rows, [["1"], ["2"], ["3"]]);
  const w = await run(
    e,
    "with recursive r(n) as (select 1 union all select n + 1 from r where n < 4) " +
      "select sum(n) from r",
  );
  assert.deepEqual(w.rows, [["10"]]);
  const d = await run(e, "select distinct g from a order by g");
  assert.deepEqual(d.rows, [["x"], ["y"]]);
});
