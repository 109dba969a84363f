import { test } from "node:test";
import assert from "node:assert/strict";
import { newEngine, run } from "../test-support/harness.js";
import type { Engine } from "../engine.js";

type Failure = Error & { code?: string; detail?: string; hint?: string };

/** Asserts that `sql` fails with `code`, `message` and, when given, `detail`. */
async function fails(e: Engine, sql: string, code: string, message: string, detail?: string) {
  await assert.rejects(run(e, sql), (err: Failure) => {
    assert.equal(err.code, code, sql);
    assert.equal(err.message, message, sql);
    if (detail !== undefined) assert.equal(err.detail, detail, sql);
    return true;
  });
}

async function viewsOfT(): Promise<Engine> {
  const e = await newEngine();
  await run(e, "create table t (id int primary key, dev int, v text default 'dflt', " +
    "secret int default 7)");
  await run(e, "create view tv (i, d, val) as select id, dev, v from t where dev > 0");
  return e;
}

test("writes through an updatable view map columns and merge the view's WHERE", async () => {
  const e = await viewsOfT();
  assert.deepEqual((await run(e, "insert into tv (i, d) values (1, 1), (2, 0) returning *")).rows,
    [["1", "1", "dflt"], ["2", "0", "dflt"]]);
  const updated = await run(e, "update tv set val = 'x' returning i, val");
  assert.deepEqual(updated.rows, [["1", "x"]], "the row the view hides is not updated");
  assert.equal((await run(e, "delete from tv where val = 'dflt'")).tag, "DELETE 0");
  assert.deepEqual((await run(e, "select * from t order by id")).rows,
    [["1", "1", "x", "7"], ["2", "0", "dflt", "7"]]);
  await run(e, "create view tv2 as select * from tv where i < 10");
  assert.deepEqual((await run(e, "update tv2 set d = 5 returning *")).rows, [["1", "5", "x"]]);
  await fails(e, "update tv set val = secret::text", "42703", 'column "secret" does not exist');
  await fails(e, "update tv set val = tv.secret::text", "42703",
    "column tv.secret does not exist");
});

test("views that cannot be written name PostgreSQL's reason", async () => {
  const e = await viewsOfT();
  await run(e, "create view agg as select dev, count(*) from t group by dev");
  await run(e, "create view ex as select id, dev + 1 as d1 from t");
  await run(e, "create view one as select 1 as x");
  await assert.rejects(run(e, "delete from agg"), (err: Failure) =>
    err.code === "55000" && err.message === 'cannot delete from view "agg"' &&
    err.detail === "Views containing GROUP BY are not automatically updatable." &&
    err.hint === "To enable deleting from the view, provide an INSTEAD OF DELETE trigger or " +
      "an unconditional ON DELETE DO INSTEAD rule.");
  await fails(e, "insert into one values (1)", "55000", 'cannot insert into view "one"',
    "Views that do not select from a single table or view are not automatically updatable.");
  await fails(e, "update ex set d1 = 1", "0A000", 'cannot update column "d1" of view "ex"',
    "View columns that are not columns of their base relation are not updatable.");
  await fails(e, "create view bad as select dev, count(*) from t group by dev " +
    "with check option", "0A000",
    "WITH CHECK OPTION is supported only on automatically updatable views");
});

test("check options: the innermost failing view is named, null fails", async () => {
  const e = await viewsOfT();
  await run(e, "create view tl as select id, dev from t where dev > 0 with local check option");
  await run(e, "create view tc as select * from tl where id < 100 with cascaded check option");
  await run(e, "create view tn as select * from tl where id < 100");
  await run(e, "create view tp with (check_option = cascaded) as select * from tv where i > 0");
  await fails(e, "insert into tc values (200, -1)", "44000",
    'new row violates check option for view "tl"', "Failing row contains (200, -1, dflt, 7).");
  await fails(e, "insert into tc values (200, 1)", "44000",
    'new row violates check option for view "tc"');
  await run(e, "insert into tn values (200, 1), (50, 1)");
  await fails(e, "update tn set dev = null", "44000",
    'new row violates check option for view "tl"', "Failing row contains (50, null, dflt, 7).");
  // CASCADED checks the views below too, tv's WHERE here.
  await fails(e, "insert into tp values (5, 0)", "44000",
    'new row violates check option for view "tv"');
  await fails(e, "insert into tp values (-5, 1)", "44000",
    'new row violates check option for view "tp"');
  await run(e, "insert into tp values (5, 2)");
  await fails(e, "insert into tp values (5, 0) on conflict (i) do update set d = excluded.d",
    "44000", 'new row violates check option for view "tv"',
    "Failing row contains (5, 0, dflt, 7).");
});

test("materialized views: populated or not, refreshed, not written", async () => {
  const e = await viewsOfT();
  await run(e, "insert into t values (1, 1), (2, 2)");
  assert.equal((await run(e, "create materialized view mv as select id from t")).tag, "SELECT 2");
  await run(e, "create materialized view mn as select id from t with no data");
  await assert.rejects(run(e, "select * from mn"), (err: Failure) => err.code === "55000" &&
    err.message === 'materialized view "mn" has not been populated');
  await run(e, "insert into t values (3, 3)");
  assert.deepEqual((await run(e, "select count(*) from mv")).rows, [["2"]]);
  await run(e, "refresh materialized view mv");
  await run(e, "refresh materialized view mn");
  assert.deepEqual((await run(e, "select count(*) from mv")).rows, [["3"]]);
  assert.deepEqual((await run(e, "select count(*) from mn")).rows, [["3"]]);
  await fails(e, "delete from mv", "42809", 'cannot change materialized view "mv"');
  await fails(e, "refresh materialized view concurrently mv", "55000",
    'cannot refresh materialized view "public.mv" concurrently');
  await fails(e, "drop table t", "2BP01", "cannot drop table t because other objects depend on it");
  assert.equal((await run(e, "drop materialized view mv, mn")).tag, "DROP MATERIALIZED VIEW");
});
