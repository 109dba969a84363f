/**
 * information_schema.sql_features and its neighbours hold PostgreSQL 15's rows: the packed
 * lines of `sql-features-data.ts` expand to its 714 features, sub-features named after their
 * main feature.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { newEngine, run } from "../../test-support/harness.js";

test("sql_features expands to PostgreSQL 15's 714 rows", async () => {
  const e = await newEngine();
  const count = await run(e, "select count(*), count(*) filter (where sub_feature_id = ''), " +
    "count(*) filter (where is_supported = 'YES') from information_schema.sql_features");
  assert.deepEqual(count.rows, [["714", "528", "416"]]);
  const rows = await run(e, "select * from information_schema.sql_features " +
    "where feature_id = 'E021' and sub_feature_id in ('', '04') order by sub_feature_id");
  assert.deepEqual(rows.rows, [
    ["E021", "Character data types", "", "", "YES", null, ""],
    ["E021", "Character string types", "04", "CHARACTER_LENGTH function", "YES", null,
      "trims trailing spaces from CHARACTER values before counting"]]);
});

test("sql_implementation_info names the version as initdb writes it", async () => {
  const e = await newEngine();
  const rows = await run(e, "select character_value from information_schema." +
    "sql_implementation_info where implementation_info_name = 'DBMS VERSION'");
  assert.deepEqual(rows.rows, [["15.00.0000"]]);
});
