import { test } from "node:test";
import assert from "node:assert/strict";
import { newEngine, run } from "./test-support/harness.js";

type Err = Error & { code?: string; detail?: string; hint?: string };
const code = (c: string, m?: string, detail?: string) => (err: Err) =>
  err.code === c && (m === undefined || err.message === m) &&
  (detail === undefined || err.detail === detail);

test("UPDATE … FROM and DELETE … USING join the target with other tables", async () => {
  const e = await newEngine();
  await run(e, "create table t (id int primary key, v int); create table u (id int, w int)");
  await run(e, "insert into t select g, 0 from (values (1), (2), (3), (4)) as s(g)");
  await run(e, "insert into u values (1, 10), (2, 20), (2, 99), (9, 90)");
  const up = await run(e,
    "update t set v = u.w from u where t.id = u.id and u.w < 50 returning t.id, v, u.w");
  assert.equal(up.tag, "UPDATE 2");
  assert.deepEqual(up.rows.sort(), [["1", "10", "10"], ["2", "20", "20"]]);
  const del = await run(e, "delete from t using u where t.id = u.id and u.w = 99 returning *");
  assert.equal(del.tag, "DELETE 1");
  assert.deepEqual(del.rows, [["2", "20", "2", "99"]]);
  const r = await run(e, "select id, v from t order by id");
  assert.deepEqual(r.rows, [["1", "10"], ["3", "0"], ["4", "0"]]);
  const self = await run(e, "update t set v = v + 1 where id in (select id from t where v = 0)");
  assert.equal(self.tag, "UPDATE 2");
  await assert.rejects(run(e, "update t set v = 1, v = 2"),
    code("42601", "multiple assignments to same column \"v\""));
  await assert.rejects(run(e, "delete from t using t"),
    code("42712", "table name \"t\" specified more than once"));
});

test("UPDATE finds rows through an index scan and leaves them consistent", async () => {
  const e = await newEngine();
  await run(e, "create table a (id int primary key, n int)");
  await run(e, "insert into a select g, g from generate_series(1, 200) as g");
  await run(e, "update a set n = n * 10 where id = 7");
  await run(e, "update a set n = -1 where id >= 190");
  const r = await run(e, "select n from a where id = 7");
  assert.deepEqual(r.rows, [["70"]]);
  assert.deepEqual((await run(e, "select count(*) from a where n = -1")).rows, [["11"]]);
  await assert.rejects(run(e, "update a set id = 1 where id = 2"), code("23505"));
  assert.deepEqual((await run(e, "select n from a where id = 2")).rows, [["2"]]);
});

test("INSERT … ON CONFLICT DO UPDATE with EXCLUDED, WHERE and RETURNING", async () => {
  const e = await newEngine();
  await run(e, "create table t (a int primary key, b int, c text unique)");
  await run(e, "insert into t values (1, 1, 'x')");
  const up = await run(e, `insert into t as x values (1, 5, 'y'), (2, 2, 'z')
    on conflict (a) do update set b = x.b + excluded.b returning *`);
  assert.equal(up.tag, "INSERT 0 2");
  assert.deepEqual(up.rows, [["1", "6", "x"], ["2", "2", "z"]]);
  const skip = await run(e, `insert into t values (1, 100, 'q') on conflict (a)
    do update set b = excluded.b where t.b > 100`);
  assert.equal(skip.tag, "INSERT 0 0");
  const named = await run(e, `insert into t values (7, 7, 'x') on conflict on constraint t_c_key
    do update set b = 70`);
  assert.equal(named.tag, "INSERT 0 1");
  assert.deepEqual((await run(e, "select a, b from t where c = 'x'")).rows, [["1", "70"]]);
  await assert.rejects(run(e,
    "insert into t values (3, 1), (3, 2) on conflict (a) do update set b = excluded.b"),
    (err: Err) => code("21000",
      "ON CONFLICT DO UPDATE command cannot affect row a second time")(err) &&
      err.hint === "Ensure that no rows proposed for insertion within the same command have" +
        " duplicate constrained values.");
  assert.deepEqual((await run(e, "select count(*) from t where a = 3")).rows, [["0"]]);
  await assert.rejects(run(e, "insert into t values (1) on conflict (b) do update set b = 1"),
    code("42P10",
      "there is no unique or exclusion constraint matching the ON CONFLICT specification"));
  await assert.rejects(run(e, "insert into t values (1) on conflict do update set b = 1"),
    code("42601", "ON CONFLICT DO UPDATE requires inference specification or constraint name"));
  await assert.rejects(run(e, "insert into t values (1) on conflict on constraint nope do nothing"),
    code("42704", "constraint \"nope\" for table \"t\" does not exist"));
  const nothing = await run(e, "insert into t values (1, 0, 'new') on conflict (a) do nothing");
  assert.equal(nothing.tag, "INSERT 0 0");
  await assert.rejects(run(e, "insert into t values (50, 0, 'x') on conflict (a) do nothing"),
    code("23505"));
});

test("foreign keys: insert check, NO ACTION, RESTRICT, CASCADE, SET NULL, SET DEFAULT",
  async () => {
  const e = await newEngine();
  await run(e, "create table p (id int primary key, v text)");
  await run(e, `create table c (id int primary key, pid int references p
    on delete cascade on update cascade)`);
  await run(e, "insert into p values (0, 'zero'), (1, 'a'), (2, 'b')");
  await run(e, "insert into c values (10, 1), (11, 1), (12, 2)");
  await assert.rejects(run(e, "insert into c values (13, 9)"), code("23503",
    "insert or update on table \"c\" violates foreign key constraint \"c_pid_fkey\"",
    "Key (pid)=(9) is not present in table \"p\"."));
  await run(e, "update p set id = 5 where id = 1");
  assert.deepEqual((await run(e, "select id, pid from c order by id")).rows,
    [["10", "5"], ["11", "5"], ["12", "2"]]);
  await run(e, "delete from p where id = 5");
  assert.deepEqual((await run(e, "select id, pid from c order by id")).rows, [["12", "2"]]);
  await run(e,
    "create table n (pid int references p on delete set null, q int default 0 references p on" +
      " delete set default)");
  await run(e, "insert into n values (2, 2)");
  await run(e, "create table r (pid int references p on delete restrict)");
  await run(e, "create table na (pid int references p)");
  await run(e, "insert into na values (0)");
  await assert.rejects(run(e, "delete from p where id = 0"), code("23503",
    "update or delete on table \"p\" violates foreign key constraint \"na_pid_fkey\" on table" +
      " \"na\"",
    "Key (id)=(0) is still referenced from table \"na\"."));
  await run(e, "delete from p where id = 2");
  assert.deepEqual((await run(e, "select pid, q from n")).rows, [[null, "0"]]);
  assert.deepEqual((await run(e, "select count(*) from c")).rows, [["0"]]);
  await run(e, "insert into na values (null)");
  await run(e, "insert into p values (3, 'c'); insert into na values (3)");
  await run(e, "delete from na where pid = 3; delete from p where id = 3");
});

test("a failing cascade undoes the whole statement", async () => {
  const e = await newEngine();
  await run(e, "create table p (id int primary key)");
  await run(e, "create table c (pid int not null references p on delete set null)");
  await run(e, "insert into p values (1), (2); insert into c values (2)");
  await assert.rejects(run(e, "delete from p"), code("23502",
    "null value in column \"pid\" of relation \"c\" violates not-null constraint"));
  assert.deepEqual((await run(e, "select count(*) from p")).rows, [["2"]]);
  assert.deepEqual((await run(e, "select pid from c")).rows, [["2"]]);
});

test("a self-referencing foreign key sees rows of the same statement", async () => {
  const e = await newEngine();
  await run(e,
    "create table tree (id int primary key, parent int references tree on delete cascade)");
  await run(e, "insert into tree values (2, 1), (1, null), (3, 2)");
  await run(e, "delete from tree where id = 1");
  assert.deepEqual((await run(e, "select count(*) from tree")).rows, [["0"]]);
});
