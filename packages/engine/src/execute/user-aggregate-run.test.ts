/**
 * User aggregates' state rules (nodeAgg.c): a strict state function skips null inputs and,
 * without INITCOND, takes the first input as the state; a non-strict one sees every row; a
 * strict final function gives null for a null state; and worker_partial_agg /
 * coord_combine_agg compute one aggregate in parts, the state travelling as text.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Value } from "@tessera/sql";
import { newEngine, run } from "../test-support/harness.js";

const show = (rows: readonly (readonly Value[])[]): string[] =>
  rows.map((r) => r.map((v) => (v === null ? "null" : String(v))).join("|"));

test("strict and non-strict state functions, with and without INITCOND", async () => {
  const e = await newEngine();
  await run(e, "create table t (g int, x int)");
  await run(e, "insert into t values (1, null), (1, 5), (1, 2), (2, null), (3, 4)");
  await run(e, "create function nn(int, int) returns int language sql " +
    "as 'select coalesce($1, 0) + coalesce($2, 100)'");
  await run(e, "create aggregate first_sum(int) (sfunc = int4pl, stype = int)");
  await run(e, "create aggregate all_rows(int) (sfunc = nn, stype = int)");
  await run(e, "create aggregate from_ten(int) (sfunc = int4pl, stype = int, initcond = '10')");
  const r = await run(e, "select g, first_sum(x), all_rows(x), from_ten(x) from t " +
    "group by g order by g");
  assert.deepEqual(show(r.rows), ["1|7|107|17", "2|null|100|10", "3|4|4|14"]);
});

test("worker_partial_agg and coord_combine_agg give the aggregate's answer", async () => {
  const e = await newEngine();
  await run(e, "create table t (k int, x int)");
  await run(e, "insert into t select i % 4, i from generate_series(1, 20) i");
  await run(e, "create function half(int) returns numeric language sql strict " +
    "as 'select $1 / 2.0'");
  await run(e, "create aggregate half_sum(int) (sfunc = int4pl, stype = int, " +
    "finalfunc = half, combinefunc = int4pl)");
  const parts = await run(e, "select k, worker_partial_agg('half_sum(integer)'::regprocedure, x) " +
    "as p from t group by k order by k");
  assert.deepEqual(show(parts.rows), ["0|60", "1|45", "2|50", "3|55"]);
  const oid = (await run(e, "select 'half_sum(integer)'::regprocedure::oid")).rows[0]![0];
  const whole = await run(e, `select coord_combine_agg('${String(oid)}'::oid, p, null::numeric)
    from (select worker_partial_agg('half_sum(integer)'::regprocedure, x) as p
      from t group by k) parts`);
  assert.deepEqual(show(whole.rows), ["105.0000000000000000"]);
  const direct = await run(e, "select half_sum(x) from t");
  assert.deepEqual(show(whole.rows), show(direct.rows));
});
