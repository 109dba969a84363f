import { test } from "node:test";
import assert from "node:assert/strict";
import { parseStatements, type Value } from "@tessera/sql";
import type { Engine } from "../engine.js";
import { newEngine, testContext } from "../test-support/harness.js";

/** Runs one statement as the session with pid `pid`; returns the first value. */
async function as(e: Engine, pid: number, sql: string): Promise<Value | undefined> {
  const ctx = { ...testContext(), backendPid: pid };
  const cursor = e.prepare(parseStatements(sql)[0]!.stmt, [], ctx).open([], ctx);
  try {
    return (await cursor.fetch(0)).rows[0]?.[0];
  } finally {
    cursor.close();
  }
}

test("advisory locks are counted per session and conflict across sessions", async () => {
  const e = await newEngine();
  await as(e, 1, "select pg_advisory_lock(42)");
  await as(e, 1, "select pg_advisory_lock(42)");
  assert.equal(await as(e, 2, "select pg_try_advisory_lock(42)"), false);
  await assert.rejects(as(e, 2, "select pg_advisory_lock(42)"), { code: "55P03" });
  assert.equal(await as(e, 2, "select pg_advisory_unlock(42)"), false);
  assert.equal(await as(e, 1, "select pg_advisory_unlock(42)"), true);
  assert.equal(await as(e, 2, "select pg_try_advisory_lock(42)"), false);
  assert.equal(await as(e, 1, "select pg_advisory_unlock(42)"), true);
  assert.equal(await as(e, 2, "select pg_try_advisory_lock(42)"), true);
  assert.equal(await as(e, 1, "select pg_try_advisory_lock_shared(1, 2)"), true);
  assert.equal(await as(e, 2, "select pg_try_advisory_lock_shared(1, 2)"), true);
  assert.equal(await as(e, 3, "select pg_try_advisory_xact_lock(1, 2)"), false);
  e.dropSessionObjects(2);
  await as(e, 1, "select pg_advisory_unlock_all()");
  assert.equal(await as(e, 3, "select pg_try_advisory_lock(42)"), true);
  assert.equal(await as(e, 3, "select pg_try_advisory_xact_lock(1, 2)"), true);
});
