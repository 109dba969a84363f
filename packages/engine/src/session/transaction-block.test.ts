import { test } from "node:test";
import assert from "node:assert/strict";
import { parseStatements } from "@tessera/sql";
import type { Engine } from "../engine.js";
import { newEngine, run, testContext } from "../test-support/harness.js";
import { SessionSettings } from "./settings.js";
import { TransactionBlock } from "./transaction-block.js";

/** Runs statements with the block as their transaction, as the session does. */
async function inBlock(e: Engine, block: TransactionBlock, sql: string): Promise<void> {
  const ctx = { ...testContext(), transaction: block };
  for (const parsed of parseStatements(sql)) {
    const cursor = e.prepare(parsed.stmt, [], ctx).open([], ctx);
    try {
      await cursor.fetch(0);
    } catch {
      block.fail();
    }
    cursor.close();
  }
}

const ids = async (e: Engine): Promise<string[]> =>
  (await run(e, "select id from t order by id")).rows.map((r) => r[0]!);

test("ROLLBACK undoes the block's writes; a failed statement undid itself", async () => {
  const e = await newEngine();
  const block = new TransactionBlock(new SessionSettings(() => undefined));
  await run(e, "create table t (id int primary key, v int)");
  await run(e, "insert into t values (1, 1)");
  block.begin(() => undefined, {});
  await inBlock(e, block,
    "insert into t values (2, 2); update t set v = 9; delete from t where id = 1");
  assert.deepEqual(await ids(e), ["2"]);
  await inBlock(e, block, "insert into t values (2, 2)");
  assert.equal(block.status, "E");
  assert.equal(block.commit(() => undefined, false), "ROLLBACK");
  assert.deepEqual((await run(e, "select id, v from t")).rows, [["1", "1"]]);
});

test("ROLLBACK TO SAVEPOINT undoes only what came after it", async () => {
  const e = await newEngine();
  const block = new TransactionBlock(new SessionSettings(() => undefined));
  await run(e, "create table t (id int primary key)");
  block.begin(() => undefined, {});
  await inBlock(e, block, "insert into t values (1)");
  block.savepoint("a");
  await inBlock(e, block, "insert into t values (2)");
  block.savepoint("b");
  await inBlock(e, block, "insert into t values (3)");
  block.rollbackTo("a");
  assert.deepEqual(await ids(e), ["1"]);
  await inBlock(e, block, "insert into t values (4)");
  block.release("a");
  assert.equal(block.commit(() => undefined, false), "COMMIT");
  await inBlock(e, block, "insert into t values (5)");
  block.rollback(() => undefined, false);
  assert.deepEqual(await ids(e), ["1", "4", "5"]);
});

test("AND CHAIN keeps the block's characteristics; with no block it is an error", () => {
  const settings = new SessionSettings(() => undefined);
  const block = new TransactionBlock(settings);
  assert.throws(() => block.commit(() => undefined, true),
    { code: "25P01", message: "COMMIT AND CHAIN can only be used in transaction blocks" });
  assert.throws(() => block.rollback(() => undefined, true), { code: "25P01" });
  block.begin(() => undefined, { transaction_isolation: "repeatable read",
    transaction_read_only: "1" });
  block.commit(() => undefined, true);
  assert.equal(block.status, "T");
  assert.equal(settings.get("transaction_isolation"), "repeatable read");
  assert.equal(settings.get("transaction_read_only"), "on");
  block.fail();
  block.rollback(() => undefined, true);
  assert.equal(settings.get("transaction_isolation"), "repeatable read");
  block.commit(() => undefined, false);
  assert.equal(settings.get("transaction_isolation"), "read committed");
});
