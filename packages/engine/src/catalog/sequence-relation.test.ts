import { test } from "node:test";
import assert from "node:assert/strict";
import { newEngine, run } from "../test-support/harness.js";

test("a sequence reads as a one-row relation", async () => {
  const e = await newEngine();
  await run(e, "create sequence s");
  const read = async (): Promise<(string | null)[][]> =>
    (await run(e, "select last_value, log_cnt, is_called from s")).rows;
  assert.deepEqual(await read(), [["1", "0", "f"]]);
  await run(e, "select nextval('s')");
  assert.deepEqual(await read(), [["1", "32", "t"]]);
  await run(e, "select nextval('s')");
  assert.deepEqual(await read(), [["2", "31", "t"]]);
  await run(e, "select setval('s', 5, false)");
  assert.deepEqual(await read(), [["5", "0", "f"]]);
  await run(e, "alter sequence s restart with 3");
  assert.deepEqual(await read(), [["3", "0", "f"]]);
});

test("current_schema() is the first existing schema of search_path", async () => {
  const e = await newEngine();
  assert.deepEqual((await run(e, "select current_schema(), current_schema")).rows,
    [["public", "public"]]);
});
