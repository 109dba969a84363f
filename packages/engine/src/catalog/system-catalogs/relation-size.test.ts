import { test } from "node:test";
import assert from "node:assert/strict";
import { newEngine } from "../../test-support/harness.js";
import { lineClient } from "../../txn/test-session.js";

test("sizes follow inserts, updates and vacuum, and repeat while nothing changed", async () => {
  const engine = await newEngine();
  const client = lineClient(engine, 1);
  const sizes = async (): Promise<number[]> => {
    const [line] = await client("select pg_relation_size('t'), pg_indexes_size('t'), " +
      "pg_total_relation_size('t')");
    return line!.split("|").map(Number);
  };
  await client("create table t (id int primary key, body text, doc jsonb)");
  const empty = await sizes();
  await client("insert into t select g, repeat('x', 100), jsonb_build_object('g', g) " +
    "from generate_series(1, 2000) g");
  const loaded = await sizes();
  assert.ok(loaded[0]! > empty[0]! && loaded[1]! > empty[1]!, `${empty} -> ${loaded}`);
  assert.deepEqual(await sizes(), loaded);
  // Dead versions keep their space until vacuum, as in Postgres.
  await client("update t set body = repeat('y', 100) where id <= 1000");
  const updated = await sizes();
  assert.ok(updated[0]! > loaded[0]!, `${loaded} -> ${updated}`);
  await client("delete from t where id > 1000");
  assert.deepEqual(await sizes(), updated);
  await client("vacuum t");
  const vacuumed = await sizes();
  assert.ok(vacuumed[0]! < updated[0]!, `${updated} -> ${vacuumed}`);
  await client("insert into t values (5000, 'z', null)");
  assert.ok((await sizes())[2]! >= vacuumed[2]!);
});
