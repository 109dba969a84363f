import { test } from "node:test";
import assert from "node:assert/strict";
import { childRanges } from "./shard-split.js";

test("split points are the inclusive upper bounds of every child but the last", () => {
  assert.deepEqual(childRanges({ min: -100, max: 100 }, [-50, 0]),
    [{ min: -100, max: -50 }, { min: -49, max: 0 }, { min: 1, max: 100 }]);
  assert.deepEqual(childRanges({ min: 5, max: 6 }, [5]), [{ min: 5, max: 5 }, { min: 6, max: 6 }]);
  // isolate_tenant_to_new_shard's three pieces around h = 7.
  assert.deepEqual(childRanges({ min: 0, max: 10 }, [6, 7]),
    [{ min: 0, max: 6 }, { min: 7, max: 7 }, { min: 8, max: 10 }]);
});
