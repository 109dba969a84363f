import { test } from "node:test";
import assert from "node:assert/strict";
import { newEngine, run } from "../test-support/harness.js";

test("a record-returning SRF in the select list yields records with named fields", async () => {
  const e = await newEngine();
  assert.deepEqual((await run(e, `select json_each('{"a":1,"b":2}') as kv`)).rows,
    [["(a,1)"], ["(b,2)"]]);
  assert.deepEqual((await run(e, `select (json_each('{"a":1,"b":2}')).key`)).rows,
    [["a"], ["b"]]);
});

test("information_schema._pg_expandarray, as JDBC's getPrimaryKeys calls it", async () => {
  const e = await newEngine();
  await run(e, "create table t (a int, b int, c int, primary key (c, a))");
  const keys = await run(e, "select r.attname, (r.keys).n from (select a.attname, a.attnum," +
    " information_schema._pg_expandarray(i.indkey) as keys from pg_index i" +
    " join pg_attribute a on a.attrelid = i.indrelid where i.indrelid = 't'::regclass" +
    " and i.indisprimary) r where r.attnum = (r.keys).x order by 2");
  assert.deepEqual(keys.rows, [["c", "1"], ["a", "2"]]);
  assert.deepEqual((await run(e, "select * from information_schema._pg_expandarray(" +
    "array[7, 8])")).rows, [["7", "1"], ["8", "2"]]);
});
