/**
 * Hash aggregation with several group keys (one Map level per key) and the direct built-in
 * comparisons: groups, sums and counts as PostgreSQL 15 prints them for the same data.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Value } from "@tessera/sql";
import { newEngine, run } from "../test-support/harness.js";

const show = (rows: readonly (readonly Value[])[]): string[] =>
  rows.map((r) => r.map((v) => (v === null ? "null" : String(v))).join("|"));

test("several group keys keep NaN, NULL and 0/-0 groups as PostgreSQL does", async () => {
  const e = await newEngine();
  await run(e, "create table g (a int, b text, f float8, i8 bigint)");
  await run(e, `insert into g values (1, 'x', 'NaN', 9223372036854775000),
    (1, 'x', 'NaN', 800), (1, null, null, null), (2, 'y', 0, -5),
    (2, 'y', -0.0, -9223372036854775000), (null, null, null, null), (1, 'x', null, 7),
    (2, '5n', 1, 1)`);
  const r = await run(e, `select a, b, f, count(*), sum(a), sum(i8) from g
    group by a, b, f order by 1, 2, 3`);
  // PostgreSQL 15: NaN and NULL are separate groups, 0 and -0 one group.
  assert.deepEqual(show(r.rows), [
    "1|x|NaN|2|2|9223372036854775800", "1|x|null|1|1|7", "1|null|null|1|1|null",
    "2|5n|1|1|2|1", "2|y|0|2|4|-9223372036854775005", "null|null|null|1|null|null",
  ]);
});

test("direct comparisons agree with their negations, nulls included", async () => {
  const e = await newEngine();
  await run(e, "create table c (i int, n numeric, f float8, t text)");
  await run(e, `insert into c values (1, 1.50, 'NaN', 'a'), (2, 'NaN', 0, 'b'),
    (null, null, null, null), (3, -2, 1.5, 'ab')`);
  const r = await run(e, `select count(case when i < 2 then 1 end), count(*) filter (where n > 1.5),
    count(case when n >= 'NaN' then 1 end), count(case when f <= 0 then 1 end),
    count(case when f > 1 then 1 end), count(case when t <> 'a' then 1 end),
    count(case when not (n < 1.5) then 1 end), sum(i), sum(i::int8), avg(i) from c`);
  assert.deepEqual(show(r.rows), ["1|1|1|1|2|2|2|6|6|2.0000000000000000"]);
});
