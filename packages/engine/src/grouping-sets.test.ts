/** GROUPING SETS, ROLLUP, CUBE and GROUPING(), checked against PostgreSQL 15's results. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { newEngine, run } from "./test-support/harness.js";
import { lines, sampleTable, sqlError } from "./test-support/rows.js";

async function sample() {
  const e = await newEngine();
  await run(e, sampleTable);
  return e;
}

test("CUBE with GROUPING() in ORDER BY", async () => {
  const e = await sample();
  assert.deepEqual(await lines(e, `select x, y, count(*), grouping(x, y) from t
    group by cube(x, y) order by 4, 1, 2`), [
    "1|a|2|0", "1|b|1|0", "2|a|1|0", "2|c|1|0", "3|b|1|0", "3||1|0", "|a|1|0", "1||3|1",
    "2||2|1", "3||2|1", "||1|1", "|a|4|2", "|b|2|2", "|c|1|2", "||1|2", "||8|3"]);
});

test("a plain key times ROLLUP; the empty set on empty input", async () => {
  const e = await sample();
  assert.deepEqual(await lines(e, `select x, y, sum(id) from t group by x, rollup(y)
    order by 1, 2 nulls first, 3`), ["1||11", "1|a|9", "1|b|2", "2||7", "2|a|3", "2|c|4",
    "3||5", "3||12", "3|b|7", "||6", "|a|6"]);
  assert.deepEqual(await lines(e, "select x, count(*) from t where false group by rollup(x)"),
    ["|0"]);
  assert.deepEqual(await lines(e, `select coalesce(y, 'all'), count(*) from t
    group by grouping sets ((y), ()) order by 2, 1`), ["all|1", "c|1", "b|2", "a|4", "all|8"]);
});

test("HAVING, GROUP BY DISTINCT and implicit rows inside sets", async () => {
  const e = await sample();
  assert.deepEqual(await lines(e, `select x, sum(id) from t group by rollup(x)
    having sum(id) > 10 order by 2`), ["1|11", "3|12", "|36"]);
  assert.deepEqual((await lines(e, `select x, y, count(*) from t
    group by distinct rollup(x, y), rollup(x)`)).length, 12);
  assert.deepEqual(await lines(e, `select x, y, count(*) from t where x = 1
    group by rollup((x, y)) order by 1, 2`), ["1|a|2", "1|b|1", "||3"]);
});

test("GROUPING() errors", async () => {
  const e = await sample();
  const message =
    "arguments to GROUPING must be grouping expressions of the associated query level";
  await assert.rejects(run(e, "select grouping(x) from t"), sqlError("42803", message));
  await assert.rejects(run(e, "select x, grouping(y) from t group by x"),
    sqlError("42803", message));
  await assert.rejects(run(e, "select x from t where grouping(x) = 0 group by x"),
    sqlError("42803", "grouping operations are not allowed in WHERE"));
});
