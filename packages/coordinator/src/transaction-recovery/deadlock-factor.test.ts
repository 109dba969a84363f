import { strict as assert } from "node:assert";
import { test } from "node:test";
import { parseDeadlockFactor } from "./maintenance.js";

test("citus.distributed_deadlock_detection_factor: -1 (off) or a real from 1 to 1000", () => {
  assert.equal(parseDeadlockFactor("2"), 2);
  assert.equal(parseDeadlockFactor(" 1.5 "), 1.5);
  assert.equal(parseDeadlockFactor("1000"), 1000);
  assert.equal(parseDeadlockFactor("1e2"), 100);
  assert.equal(parseDeadlockFactor("-1"), -1);
  for (const bad of ["", "two", "0", "0.5", "-2", "1001", "2s", "Infinity"]) {
    assert.equal(parseDeadlockFactor(bad), undefined, bad);
  }
});
