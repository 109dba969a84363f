import { test } from "node:test";
import assert from "node:assert/strict";
import { newEngine, run } from "../test-support/harness.js";

type Err = Error & { code?: string; detail?: string };

test("ALTER VIEW sets and drops column defaults that INSERT through the view uses", async () => {
  const e = await newEngine();
  await run(e, "create table t (id int, a int default 1, b text default 'table')");
  await run(e, "create view v as select id, a, b from t");
  await run(e, "alter view v alter column b set default 'view'");
  await run(e, "insert into v (id) values (1)");
  await run(e, "insert into v (id, b) values (2, default)");
  await run(e, "alter view v alter column b drop default");
  await run(e, "insert into v (id) values (3)");
  assert.deepEqual((await run(e, "select id, a, b from t order by id")).rows,
    [["1", "1", "view"], ["2", "1", "view"], ["3", "1", "table"]]);
});

test("ALTER VIEW SET / RESET keeps reloptions and the check option in step", async () => {
  const e = await newEngine();
  await run(e, "create table t (id int, a int)");
  await run(e, "create view v as select id, a from t where a > 0");
  await run(e, "alter view v set (check_option = local, security_barrier)");
  const options = "select reloptions::text from pg_class where relname = 'v'";
  assert.deepEqual((await run(e, options)).rows,
    [["{check_option=local,security_barrier=true}"]]);
  await assert.rejects(run(e, "insert into v values (1, -1)"),
    (err: Err) => err.code === "44000");
  await run(e, "alter view v reset (check_option, security_barrier)");
  assert.deepEqual((await run(e, options)).rows, [[null]]);
  await run(e, "insert into v values (1, -1)");
  await assert.rejects(run(e, "alter view v set (check_option = up)"),
    (err: Err) => err.code === "22023" &&
      err.message === "invalid value for enum option \"check_option\": up");
  await assert.rejects(run(e, "alter view t set (security_barrier)"),
    (err: Err) => err.code === "42809" && err.message === "\"t\" is not a view");
});

test("a security_barrier view keeps the query's conditions out of its own", async () => {
  const e = await newEngine();
  await run(e, "create table t (id int, a int)");
  await run(e, "insert into t values (1, 5), (2, -5)");
  await run(e, "create function peek(int) returns boolean language plpgsql immutable as $$ " +
    "begin if $1 < 0 then raise exception 'saw %', $1; end if; return true; end $$");
  await run(e, "create view v with (security_barrier) as select id, a from t where a > 0");
  const plan = (await run(e, "explain (costs off) select * from v where peek(a)")).rows
    .map((row) => String(row[0])).join("\n");
  // The condition stays above the view's scan, whose filter is the view's WHERE alone.
  assert.match(plan, /Filter: peek\(v\.a\)[\s\S]*Filter: \(a > 0\)/);
  assert.deepEqual((await run(e, "select id from v where peek(a)")).rows, [["1"]]);
});
