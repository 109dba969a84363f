/** set_config() changes the session's settings through the statement context. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseStatements } from "@tessera/sql";
import { newEngine, testContext } from "../test-support/harness.js";

test("set_config sets a value that current_setting sees in the same statement", async () => {
  const e = await newEngine();
  const values = new Map<string, string>([["search_path", "\"$user\", public"]]);
  const ctx = { ...testContext(), setting: (n: string) => values.get(n) ?? "",
    setSetting: (n: string, v: string) => {
      values.set(n, v);
      return v;
    } };
  const sql = "select set_config('search_path', 'public', false), current_setting('search_path')";
  const prepared = e.prepare(parseStatements(sql)[0]!.stmt, [], ctx);
  const result = await prepared.open([], ctx).fetch(0);
  assert.deepEqual(result.rows, [["public", "public"]]);
  assert.equal(values.get("search_path"), "public");
});
