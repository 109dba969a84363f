import { strict as assert } from "node:assert";
import { test } from "node:test";
import { parseFaults } from "./fault-injection.js";
import { parseIntervalMs } from "./maintenance.js";

test("citus.recover_2pc_interval takes Postgres's units, -1 and 0 for off", () => {
  assert.equal(parseIntervalMs("1min"), 60_000);
  assert.equal(parseIntervalMs("10s"), 10_000);
  assert.equal(parseIntervalMs("250ms"), 250);
  assert.equal(parseIntervalMs("60000"), 60_000);
  assert.equal(parseIntervalMs(" 2h "), 7_200_000);
  assert.equal(parseIntervalMs("-1"), -1);
  assert.equal(parseIntervalMs("0"), 0);
  for (const bad of ["", "soon", "-2", "-1s", "1 minute", "30d", "1.5s"]) {
    assert.equal(parseIntervalMs(bad), undefined, bad);
  }
});

test("TESSERA_FAULT_INJECTION names known points and actions, or fails the start", () => {
  assert.deepEqual([...parseFaults("")], []);
  assert.deepEqual([...parseFaults("2pc:after-prepare:crash, 2pc:after-decision:sleep=1500")], [
    ["2pc:after-prepare", { kind: "crash" }],
    ["2pc:after-decision", { kind: "sleep", ms: 1500 }],
  ]);
  for (const bad of ["2pc:after-prepare", "2pc:before-begin:crash", "2pc:after-prepare:explode",
    "2pc:after-decision:sleep=x", "2pc:after-decision:sleep=600000"]) {
    assert.throws(() => parseFaults(bad), /invalid TESSERA_FAULT_INJECTION entry/, bad);
  }
});
