import { test } from "node:test";
import assert from "node:assert/strict";
import { newEngine } from "../test-support/harness.js";
import type { Engine } from "../engine.js";
import { lineClient } from "../txn/test-session.js";

/** A session on `engine` whose statements return their result rows (tags left out). */
function open(engine: Engine, backendPid: number): (sql: string) => Promise<string[]> {
  const client = lineClient(engine, backendPid);
  const rowLike = /^-?\d+(\|-?\d+)*$/;
  return async (sql) => (await client(sql)).filter((line) => rowLike.test(line) ||
    line.startsWith("ERROR") || line.includes("Scan"));
}

for (const direction of ["asc", "desc"] as const) {
  test(`a suspended index scan (${direction}) goes on where it was after the tree changed`,
    async () => {
      const engine = await newEngine();
      const a = open(engine, 1);
      const b = open(engine, 2);
      await a("create table t (id int primary key, note text)");
      await a("insert into t select g * 10, 'old' from generate_series(1, 300) g");
      const query = `select id from t where id >= 500 order by id ${direction}`;
      const plan = (await a(`explain (costs off) ${query}`)).join("\n");
      assert.match(plan, /Index (Only )?Scan/, "the cursor walks the index");
      const expected = (await a(query));
      await a(`begin; declare c cursor for ${query}`);
      const got = await a("fetch 40 from c");
      // Inserts below, inside and above the cursor's place move every position; deletes
      // and updates are committed, so vacuum may drop what the cursor's snapshot no
      // longer needs; an aborted insert removes its entries again.
      await b("insert into t select g, 'new' from generate_series(1, 400) g where g % 10 <> 0");
      await b("insert into t select g, 'new' from generate_series(3001, 3100) g");
      await b("delete from t where id % 30 = 0 and id between 500 and 2500");
      await b("update t set note = 'moved' where id % 70 = 0");
      await b("begin; insert into t select g, 'rolled back' " +
        "from generate_series(1501, 1599) g where g % 10 <> 0; rollback");
      await b("vacuum t");
      got.push(...await a("fetch 50 from c"));
      await b("insert into t select g, 'later' from generate_series(401, 499) g");
      got.push(...await a("fetch all from c"));
      await a("commit");
      assert.deepEqual(got, expected);
    });
}

test("INSERT … SELECT from the same table through its index reads each row once", async () => {
  const engine = await newEngine();
  const a = open(engine, 1);
  await a("create table t (id int primary key, v int)");
  await a("insert into t select g, g from generate_series(1, 2000) g");
  await a("create table u (k int, v int); create index on u (k)");
  await a("insert into u select g % 10, g from generate_series(1, 3000) g");
  const plan = (await a("explain (costs off) insert into t select id - 100000, v from t " +
    "where id between 100 and 120")).join("\n");
  assert.match(plan, /Index Scan/);
  assert.deepEqual(await a("insert into t select id - 100000, v from t " +
    "where id between 100 and 120"), [], "no error");
  assert.deepEqual(await a("select count(*), min(id), max(id) from t where id < 0"),
    ["21|-99900|-99880"]);
  await a("insert into u select k - 1, v from u where k between 3 and 4");
  assert.deepEqual(await a("select k, count(*) from u where k between 1 and 5 group by k " +
    "order by k"), ["1|300", "2|600", "3|600", "4|300", "5|300"]);
});
