import { strict as assert } from "node:assert";
import {
  appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { AssertionError } from "@tessera/base";
import { DistTransactionLog } from "./dist-transaction-log.js";

const scratch = mkdtempSync(join(tmpdir(), "tessera-dist-txn-"));
after(() => rmSync(scratch, { recursive: true, force: true }));
let dirs = 0;
const freshDir = (): string => {
  const dir = join(scratch, String(dirs++));
  mkdirSync(dir);
  return dir;
};
const file = (dir: string): string => join(dir, "pg_dist_transaction.log");

test("decisions and deletions survive a reopen; every start is a new epoch", async () => {
  const dir = freshDir();
  const first = DistTransactionLog.open(dir);
  const number = first.nextTransactionNumber();
  await first.recordCommit([{ groupid: 1, gid: "citus_0_7_1_0" }, { groupid: 2,
    gid: "citus_0_7_1_1" }]);
  await first.recordCommit([{ groupid: 1, gid: "citus_0_7_2_0" }]);
  await first.delete(["citus_0_7_1_0", "not-there"]);
  await first.close();
  const second = DistTransactionLog.open(dir);
  assert.deepEqual(second.rows(), [{ groupid: 2, gid: "citus_0_7_1_1" },
    { groupid: 1, gid: "citus_0_7_2_0" }]);
  assert.equal(second.epoch, first.epoch + 1);
  assert.ok(second.nextTransactionNumber() > number + 2 ** 31, "numbers never repeat");
  assert.ok(second.has("citus_0_7_2_0"));
  assert.ok(!second.has("citus_0_7_1_0"));
  await second.close();
});

test("a torn last record is cut off on open and the log goes on after it", async () => {
  const dir = freshDir();
  const log = DistTransactionLog.open(dir);
  await log.recordCommit([{ groupid: 1, gid: "citus_0_1_1_0" }]);
  await log.close();
  const whole = readFileSync(file(dir));
  appendFileSync(file(dir), '1234abcd {"commit":[[1,"citus_0_1_2_0"]');
  const reopened = DistTransactionLog.open(dir);
  assert.deepEqual(reopened.rows(), [{ groupid: 1, gid: "citus_0_1_1_0" }]);
  assert.ok(readFileSync(file(dir)).subarray(0, whole.length).equals(whole));
  await reopened.recordCommit([{ groupid: 2, gid: "citus_0_1_3_0" }]);
  await reopened.close();
  assert.deepEqual(DistTransactionLog.open(dir).rows().map((r) => r.gid),
    ["citus_0_1_1_0", "citus_0_1_3_0"]);
});

test("a damaged record followed by others stops the start-up", async () => {
  const dir = freshDir();
  const log = DistTransactionLog.open(dir);
  await log.recordCommit([{ groupid: 1, gid: "citus_0_1_1_0" }]);
  await log.recordCommit([{ groupid: 1, gid: "citus_0_1_2_0" }]);
  await log.close();
  const text = readFileSync(file(dir), "utf8").replace("citus_0_1_1_0", "citus_0_1_9_0");
  writeFileSync(file(dir), text);
  assert.throws(() => DistTransactionLog.open(dir), AssertionError);
});

test("concurrent decisions all reach the disk, one line each", async () => {
  const dir = freshDir();
  const log = DistTransactionLog.open(dir);
  const gids = Array.from({ length: 200 }, (_, i) => `citus_0_3_${i}_0`);
  await Promise.all(gids.map((gid) => log.recordCommit([{ groupid: 1, gid }])));
  await log.close();
  const lines = readFileSync(file(dir), "utf8").trim().split("\n");
  assert.equal(lines.length, 201, "one epoch and one line per decision");
  assert.deepEqual(DistTransactionLog.open(dir).rows().map((r) => r.gid), gids);
});

test("many deletions rewrite the file down to the live rows", async () => {
  const dir = freshDir();
  const log = DistTransactionLog.open(dir);
  const rows = Array.from({ length: 12_000 }, (_, i) => ({ groupid: 1 + (i % 2),
    gid: `citus_0_5_${i}_0` }));
  await log.recordCommit(rows);
  const big = statSync(file(dir)).size;
  await log.delete(rows.slice(0, 11_990).map((r) => r.gid));
  await log.recordCommit([{ groupid: 1, gid: "citus_0_5_after_0" }]);
  await log.close();
  assert.ok(statSync(file(dir)).size < big / 100, "the file shrank");
  const reopened = DistTransactionLog.open(dir);
  assert.deepEqual(reopened.rows().map((r) => r.gid),
    [...rows.slice(11_990).map((r) => r.gid), "citus_0_5_after_0"]);
});

test("a failed write stops the log with 58030, for every later call too", async () => {
  const dir = freshDir();
  const log = DistTransactionLog.open(dir);
  rmSync(file(dir));
  mkdirSync(file(dir));
  await assert.rejects(log.recordCommit([{ groupid: 1, gid: "citus_0_1_1_0" }]),
    (error: Error & { code?: string }) => error.code === "58030");
  assert.equal(log.failed?.code, "58030");
  assert.deepEqual(log.rows(), []);
  assert.throws(() => log.nextTransactionNumber(), /could not write/);
  await assert.rejects(async () => log.recordCommit([{ groupid: 1, gid: "citus_0_1_2_0" }]),
    /could not write/);
});
