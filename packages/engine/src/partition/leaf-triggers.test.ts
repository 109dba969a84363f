import { test } from "node:test";
import assert from "node:assert/strict";
import { newEngine, run } from "../test-support/harness.js";

type Err = Error & { code?: string };
const code = (c: string, m?: string) => (err: Err) =>
  err.code === c && (m === undefined || err.message === m);

const setup = `
  create table lt (a int, b text) partition by list (a);
  create table lt1 partition of lt for values in (1);
  create table lt2 partition of lt for values in (2);
  create function lt_tag() returns trigger language plpgsql as
    $$ begin new.b := new.b || '+' || tg_table_name; return new; end $$;
  create function lt_skip() returns trigger language plpgsql as $$ begin return null; end $$;`;

test("a row routed to a partition fires the partition's BEFORE ROW triggers", async () => {
  const e = await newEngine();
  await run(e, setup);
  await run(e, "create trigger t1 before insert on lt1 for each row execute function lt_tag()");
  const r = await run(e, "insert into lt values (1, 'x'), (2, 'y') returning *");
  assert.deepEqual(r.rows, [["1", "x+lt1"], ["2", "y"]]);
  await run(e, "create trigger t2 before insert on lt2 for each row execute function lt_skip()");
  const skipped = await run(e, "insert into lt values (2, 'z')");
  assert.equal(skipped.tag, "INSERT 0 0");
});

test("a BEFORE trigger that takes the row out of its partition fails with 23514", async () => {
  const e = await newEngine();
  await run(e, setup);
  await run(e, `create function lt_move() returns trigger language plpgsql as
    $$ begin new.a := 2; return new; end $$`);
  await run(e, "create trigger m before insert on lt1 for each row execute function lt_move()");
  await assert.rejects(run(e, "insert into lt values (1, 'x')"),
    code("23514", "new row for relation \"lt1\" violates partition constraint"));
});

test("an UPDATE moving a row fires the DELETE and INSERT triggers of the leaves", async () => {
  const e = await newEngine();
  await run(e, setup);
  await run(e, "insert into lt values (1, 'x')");
  await run(e, "create trigger t2 before insert on lt2 for each row execute function lt_tag()");
  const moved = await run(e, "update lt set a = 2 returning tableoid::regclass, *");
  assert.deepEqual(moved.rows, [["lt2", "2", "x+lt2"]]);
  await run(e, "create trigger d2 before delete on lt2 for each row execute function lt_skip()");
  const kept = await run(e, "update lt set a = 1");
  assert.equal(kept.tag, "UPDATE 0");
  assert.deepEqual((await run(e, "select tableoid::regclass, * from lt")).rows,
    [["lt2", "2", "x+lt2"]]);
});

test("a partitioned table that is itself a partition checks its own bound", async () => {
  const e = await newEngine();
  await run(e, `create table lp (a int, b int) partition by list (a);
    create table lp1 partition of lp for values in (1) partition by range (b);
    create table lp1_low partition of lp1 for values from (0) to (10)`);
  await assert.rejects(run(e, "insert into lp1 values (2, 5)"),
    code("23514", "new row for relation \"lp1\" violates partition constraint"));
  await run(e, "insert into lp1 values (1, 5)");
});
