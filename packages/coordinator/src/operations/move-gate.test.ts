import { strict as assert } from "node:assert";
import { test } from "node:test";
import { fenceWait, movesUnderway, raiseFence } from "./move-gate.js";

/** Tells whether a promise has settled after the current turn. */
async function settled(promise: Promise<void>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

test("a fence holds writes to its tables, then reads too, until it is lowered", async () => {
  assert.equal(movesUnderway(), false);
  assert.equal(fenceWait([1], true), undefined);
  const fence = raiseFence(new Set([1, 2]));
  assert.equal(movesUnderway(), true);
  assert.equal(fenceWait([3], true), undefined, "other tables pass");
  assert.equal(fenceWait([2], false), undefined, "reads pass while rows are copied");
  const write = fenceWait([3, 2], true);
  assert.ok(write !== undefined);
  fence.holds = "all";
  const read = fenceWait([1], false);
  assert.ok(read !== undefined);
  assert.equal(await settled(write), false);
  fence.lower();
  assert.equal(await settled(write), true);
  assert.equal(await settled(read), true);
  assert.equal(movesUnderway(), false);
  assert.equal(fenceWait([1], true), undefined);
});

test("a statement waits for every fence on its tables", async () => {
  const first = raiseFence(new Set([1]));
  const second = raiseFence(new Set([2]));
  const wait = fenceWait([1, 2], true)!;
  first.lower();
  assert.equal(await settled(wait), false);
  second.lower();
  assert.equal(await settled(wait), true);
});
