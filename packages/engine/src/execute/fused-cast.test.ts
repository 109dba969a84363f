/**
 * The fused `(jsonb ->> 'key')::numeric`: every answer equals the unfused text round trip
 * (`(j ->> 'k' || '')::numeric` is not fused), errors included, and EXPLAIN is unchanged.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { newEngine, run } from "../test-support/harness.js";

const docs = [
  `{"k": 21.50}`, `{"k": 1e2}`, `{"k": 1.5e-3}`, `{"k": -0.0}`, `{"k": 0}`, `{"k": -12}`,
  `{"k": 123456789012345678901234567890.123456789}`, `{"k": "  7.250 "}`, `{"k": "1e3"}`,
  `{"k": "NaN"}`, `{"k": null}`, `{"other": 1}`, `{}`, `[1, 2]`, `"k"`, `3`, `null`,
  `{"a": 1, "k": 2.0, "z": 3}`,
];

async function loaded(): Promise<Awaited<ReturnType<typeof newEngine>>> {
  const e = await newEngine();
  await run(e, "create table t (id int, j jsonb)");
  const values = docs.map((d, i) => `(${i}, '${d}')`).join(", ");
  await run(e, `insert into t values ${values}, (${docs.length}, null)`);
  return e;
}

test("fused jsonb field to numeric matches the text round trip", async () => {
  const e = await loaded();
  const shapes = (x: string): string =>
    `${x}, ${x} * 1, ${x} / 3, scale(${x}), ${x}::text, ${x} + 0.000`;
  const fused = await run(e, `select id, ${shapes("(j->>'k')::numeric")} from t order by id`);
  const plain = await run(e,
    `select id, ${shapes("(j->>'k' || '')::numeric")} from t order by id`);
  assert.deepEqual(fused.rows, plain.rows);
  const agg = "sum(x), avg(x), count(*) filter (where x > 2), max(x)";
  const q = (x: string): string => `select ${agg} from (select ${x} as x from t) s`;
  assert.deepEqual((await run(e, q("(j->>'k')::decimal"))).rows,
    (await run(e, q("(j->>'k' || '')::decimal"))).rows);
});

test("fused cast raises the errors of numeric input", async () => {
  const e = await newEngine();
  await run(e, "create table t (j jsonb)");
  for (const doc of [`{"k": "abc"}`, `{"k": true}`, `{"k": [1]}`, `{"k": {"a": 1}}`]) {
    await run(e, "truncate t");
    await run(e, `insert into t values ('${doc}')`);
    await assert.rejects(run(e, "select (j->>'k')::numeric from t"),
      (err: Error & { code?: string }) => err.code === "22P02");
  }
});

test("EXPLAIN shows the fused cast as written", async () => {
  const e = await loaded();
  const plan = await run(e, "explain (costs off) select id from t where (j->>'k')::numeric > 1");
  assert.match(plan.rows.map((r) => String(r[0])).join("\n"),
    /Filter: \(\(\(j ->> 'k'::text\)\)::numeric > '1'::numeric\)/);
});
