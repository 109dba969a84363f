import { test } from "node:test";
import assert from "node:assert/strict";
import { newEngine, run } from "../test-support/harness.js";
import { columnMap, descendantsOf, inheritorsOf, parentsOf } from "./inheritance.js";

test("the hierarchy is walked level by level, each table once, children by OID", async () => {
  const e = await newEngine();
  await run(e, "create table a (x int, y text)");
  await run(e, "create table b (z int) inherits (a)");
  await run(e, "create table c (y text, w int) inherits (a)");
  await run(e, "create table d () inherits (b, c)");
  const rel = (name: string) => e.catalog.findRelation(["public"], undefined, name)!;
  const names = (list: { name: string }[]) => list.map((r) => r.name);
  assert.deepEqual(names(inheritorsOf(e.catalog, rel("a"))), ["b", "c"]);
  assert.deepEqual(names(descendantsOf(e.catalog, rel("a"))), ["b", "c", "d"]);
  assert.deepEqual(names(parentsOf(e.catalog, rel("d"))), ["b", "c"]);
  // d: x, y, z (from b), w (from c): a's columns sit at 0 and 1, c's w at 3.
  assert.deepEqual(columnMap(rel("c"), rel("d")), [0, 1, 3]);
  await run(e, "alter table a drop column x");
  assert.deepEqual(columnMap(rel("a"), rel("d")), [-1, 1]);
});

test("UPDATE through a parent writes each row back into its own table's layout", async () => {
  const e = await newEngine();
  await run(e, "create table p (a int, b text)");
  await run(e, "create table k (extra int) inherits (p)");
  await run(e, "alter table p add column c int");
  await run(e, "insert into k values (1, 'x', 10, 100)");
  await run(e, "update p set c = c + 1, b = 'y'");
  assert.deepEqual((await run(e, "select a, b, extra, c from k")).rows, [["1", "y", "10", "101"]]);
});
