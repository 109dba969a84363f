/** Ordered-set, hypothetical-set and regression aggregates, against PostgreSQL 15's answers. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { newEngine, run } from "../test-support/harness.js";
import { lines, sampleTable, sqlError } from "../test-support/rows.js";

async function sample() {
  const e = await newEngine();
  await run(e, sampleTable);
  return e;
}

test("percentiles and mode read their direct arguments", async () => {
  const e = await sample();
  assert.deepEqual(await lines(e, `select percentile_cont(0.5) within group (order by x),
    percentile_disc(0.5) within group (order by y), mode() within group (order by y),
    percentile_cont(array[0, 0.3, null]) within group (order by z),
    percentile_disc(array[0.5]) within group (order by y desc) from t`),
  ["2|a|a|{1.5,3.6999999999999997,NULL}|{a}"]);
  assert.deepEqual(await lines(e, `select x, percentile_cont(0.5) within group (order by z)
    filter (where id > 1), rank(x) within group (order by id) from t group by x order by x`),
  ["1|5.25|1", "2|4|1", "3|6|1", "|6|2"]);
  assert.deepEqual(await lines(e, `select percentile_cont(0.5) within group
    (order by (id || ' hours')::interval) from t`), ["04:30:00"]);
  await assert.rejects(run(e, "select percentile_cont(1.5) within group (order by x) from t"),
    sqlError("22003", "percentile value 1.5 is not between 0 and 1"));
  await assert.rejects(run(e, "select percentile_cont(0.5) from t"), sqlError("42883"));
  await assert.rejects(run(e, "select sum(x) within group (order by x) from t"),
    sqlError("42883", "function sum(integer, integer) does not exist"));
});

test("hypothetical-set aggregates place the direct row among the sorted ones", async () => {
  const e = await sample();
  assert.deepEqual(await lines(e, `select rank(2) within group (order by x),
    dense_rank(2) within group (order by x), percent_rank(2) within group (order by x),
    cume_dist(2) within group (order by x), rank(2, 'b') within group (order by x, y),
    rank(null) within group (order by x nulls first) from t`),
  ["4|2|0.375|0.6666666666666666|5|1"]);
});

test("two-argument statistics round as float8_regr_accum does", async () => {
  const e = await sample();
  assert.deepEqual(await lines(e, `select corr(z, id), covar_pop(z, x), covar_samp(z, x),
    regr_slope(z, id), regr_intercept(z, id), regr_r2(z, id), regr_count(z, x),
    regr_avgx(z, x), regr_sxx(z, x) from t`), ["0.9985733702233435|0.7777777777777777|" +
    "0.9333333333333332|0.9184782608695652|0.5271739130434783|0.9971487757192068|6|" +
    "1.8333333333333333|4.833333333333333"]);
  assert.deepEqual(await lines(e, "select corr(z, id) from t where id > 10"), [""]);
});
