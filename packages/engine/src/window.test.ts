/** Window functions, checked against PostgreSQL 15's results for the same queries. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { newEngine, run } from "./test-support/harness.js";
import { lines, sampleTable, sqlError } from "./test-support/rows.js";

async function sample() {
  const e = await newEngine();
  await run(e, sampleTable);
  return e;
}

test("ranking functions over peers", async () => {
  const e = await sample();
  assert.deepEqual(await lines(e, `select id, x, row_number() over (order by x, id), rank() over w,
    dense_rank() over w, percent_rank() over w, cume_dist() over w from t
    window w as (order by x) order by id`), [
    "1|1|1|1|1|0|0.375", "2|1|2|1|1|0|0.375", "3|2|4|4|2|0.42857142857142855|0.625",
    "4|2|5|4|2|0.42857142857142855|0.625", "5|3|6|6|3|0.7142857142857143|0.875",
    "6||8|8|4|1|1", "7|3|7|6|3|0.7142857142857143|0.875", "8|1|3|1|1|0|0.375"]);
});

test("ntile, lag and lead with offsets and defaults", async () => {
  const e = await sample();
  assert.deepEqual(await lines(e, `select id, ntile(3) over (order by id),
    lag(id) over (order by id), lead(id, 2) over (order by id),
    lag(id, 1, -1) over (order by id) from t order by id`), [
    "1|1||3|-1", "2|1|1|4|1", "3|1|2|5|2", "4|2|3|6|3", "5|2|4|7|4", "6|2|5|8|5", "7|3|6||6",
    "8|3|7||7"]);
});

test("first_value, last_value and nth_value read the default frame", async () => {
  const e = await sample();
  assert.deepEqual(await lines(e, `select id, x, first_value(id) over w, last_value(id) over w,
    nth_value(id, 2) over w from t window w as (partition by x order by id) order by id`), [
    "1|1|1|1|", "2|1|1|2|2", "3|2|3|3|", "4|2|3|4|4", "5|3|5|5|", "6||6|6|", "7|3|5|7|7",
    "8|1|1|8|2"]);
});

test("ROWS, RANGE and GROUPS frames with offsets", async () => {
  const e = await sample();
  assert.deepEqual(await lines(e, `select id, sum(id) over (order by id rows between 1 preceding
    and 1 following), sum(id) over (order by id rows between unbounded preceding and 2 preceding)
    from t order by id`), ["1|3|", "2|6|", "3|9|1", "4|12|3", "5|15|6", "6|18|10", "7|21|15",
    "8|15|21"]);
  assert.deepEqual(await lines(e, `select id, x, sum(id) over (order by x range between 1 preceding
    and current row), sum(id) over (order by x desc range between 1 preceding and 1 following)
    from t order by id`), ["1|1|11|18", "2|1|11|18", "3|2|18|30", "4|2|18|30", "5|3|19|19",
    "6||6|6", "7|3|19|19", "8|1|11|18"]);
  assert.deepEqual(await lines(e, `select id, x, sum(id) over (order by x groups between 1 preceding
    and current row) from t order by id`), ["1|1|11", "2|1|11", "3|2|18", "4|2|18", "5|3|19",
    "6||18", "7|3|19", "8|1|11"]);
});

test("EXCLUDE CURRENT ROW, GROUP and TIES", async () => {
  const e = await sample();
  assert.deepEqual(await lines(e, `select id, sum(id) over (order by x rows between unbounded
    preceding and unbounded following exclude current row), sum(id) over (order by x rows between
    unbounded preceding and unbounded following exclude group), sum(id) over (order by x rows
    between unbounded preceding and unbounded following exclude ties) from t order by id`), [
    "1|35|25|26", "2|34|25|27", "3|33|29|32", "4|32|29|33", "5|31|24|29", "6|30|30|36",
    "7|29|24|31", "8|28|25|33"]);
});

test("aggregates over windows, over grouped rows, with FILTER", async () => {
  const e = await sample();
  assert.deepEqual(await lines(e, `select x, sum(id), rank() over (order by sum(id) desc),
    sum(sum(id)) over (order by x) from t group by x order by x`),
  ["1|11|2|11", "2|7|3|18", "3|12|1|30", "|6|4|36"]);
  assert.deepEqual(await lines(e, `select id, array_agg(id) over (order by id),
    count(*) filter (where x > 1) over (order by id) from t where id <= 4 order by id`),
  ["1|{1}|0", "2|{1,2}|0", "3|{1,2,3}|1", "4|{1,2,3,4}|2"]);
});

test("named windows and copies", async () => {
  const e = await sample();
  assert.deepEqual(await lines(e, `select id, row_number() over w2 from t where x = 1
    window w1 as (partition by x), w2 as (w1 order by id desc) order by id`),
  ["1|3", "2|2", "8|1"]);
});

test("window errors carry Postgres's codes and messages", async () => {
  const e = await sample();
  const cases: [string, string, string][] = [
    ["select sum(row_number() over ()) over () from t", "42P20",
      "window function calls cannot be nested"],
    ["select sum(row_number() over ()) from t", "42803",
      "aggregate function calls cannot contain window function calls"],
    ["select x from t where row_number() over () > 1", "42P20",
      "window functions are not allowed in WHERE"],
    ["select x from t group by x having row_number() over () > 1", "42P20",
      "window functions are not allowed in HAVING"],
    ["select row_number() over (partition by row_number() over ()) from t", "42P20",
      "window functions are not allowed in window definitions"],
    ["select count(distinct x) over () from t", "0A000",
      "DISTINCT is not implemented for window functions"],
    ["select sum(x) over w from t window w as (order by x), w as (order by y)", "42P20",
      "window \"w\" is already defined"],
    ["select sum(x) over (w order by y) from t window w as (order by x)", "42P20",
      "cannot override ORDER BY clause of window \"w\""],
    ["select sum(x) over (w) from t window w as (order by x rows 1 preceding)", "42P20",
      "cannot copy window \"w\" because it has a frame clause"],
    ["select sum(x) over w2 from t window w as (partition by x)", "42704",
      "window \"w2\" does not exist"],
    ["select sum(x) over (order by x, y range between 1 preceding and current row) from t",
      "42P20", "RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column"],
    ["select sum(x) over (order by y range between 1 preceding and current row) from t", "0A000",
      "RANGE with offset PRECEDING/FOLLOWING is not supported for column type text"],
    ["select sum(x) over (groups 1 preceding) from t", "42P20",
      "GROUPS mode requires an ORDER BY clause"],
    ["select sum(x) over (order by x rows between x preceding and current row) from t", "42P10",
      "argument of ROWS must not contain variables"],
    ["select sum(x) over (order by x rows between -1 preceding and current row) from t", "22013",
      "frame starting offset must not be negative"],
    ["select sum(x) over (order by x rows between null preceding and current row) from t",
      "22004", "frame starting offset must not be null"],
    ["select row_number() from t", "42809", "window function row_number requires an OVER clause"],
  ];
  for (const [sql, code, message] of cases) {
    await assert.rejects(run(e, sql), sqlError(code, message), sql);
  }
});
