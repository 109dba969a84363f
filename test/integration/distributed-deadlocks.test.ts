/**
 * Distributed deadlock detection (`tessera cluster --workers 2`): two transaction blocks
 * that lock rows on different workers in opposite orders wait for each other, and neither
 * worker sees a cycle. The coordinator's maintenance loop finds it and cancels the younger
 * block with Citus's 40P01; a plain lock wait that is no cycle is left alone.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { startCluster, type TesseraCluster } from "../harness/index.js";

/** A factor of 1: a check every deadlock_timeout (1 s), to keep the test short. */
const checkPeriodMs = 1_000;

describe("distributed deadlock detection", () => {
  let cluster: TesseraCluster;
  let a: pg.Client;
  let b: pg.Client;
  /** Two keys whose shards live on different workers. */
  let keys: [number, number];

  before(async () => {
    cluster = await startCluster({ workers: 2,
      env: { TESSERA_DISTRIBUTED_DEADLOCK_DETECTION_FACTOR: "1" } });
    a = new pg.Client({ connectionString: cluster.url });
    b = new pg.Client({ connectionString: cluster.url });
    await a.connect();
    await b.connect();
    await a.query("CREATE TABLE dl (k int PRIMARY KEY, v int)");
    await a.query("SELECT create_distributed_table('dl', 'k')");
    await a.query("INSERT INTO dl SELECT g, 0 FROM generate_series(1, 40) g");
    const placed = await a.query<{ k: number; groupid: number }>(
      "SELECT g AS k, p.groupid FROM generate_series(1, 40) g JOIN pg_dist_placement p" +
      " ON p.shardid = get_shard_id_for_distribution_column('dl', g) ORDER BY g");
    const first = placed.rows[0]!;
    const other = placed.rows.find((row) => row.groupid !== first.groupid);
    assert.ok(other !== undefined, "the keys spread over both workers");
    keys = [first.k, other.k];
  });
  after(async () => {
    await a.end();
    await b.end();
    await cluster.stop();
  });

  test("the setting shows the server's factor and cannot be SET", async () => {
    const shown = await a.query("SHOW citus.distributed_deadlock_detection_factor");
    assert.deepEqual(shown.rows, [{ "citus.distributed_deadlock_detection_factor": "1" }]);
    await assert.rejects(a.query("SET citus.distributed_deadlock_detection_factor = 3"),
      { code: "55P02" });
  });

  test("a cycle across two workers cancels the younger block with 40P01", async () => {
    const [k1, k2] = keys;
    await a.query("BEGIN");
    await a.query("UPDATE dl SET v = 1 WHERE k = $1", [k1]);
    await b.query("BEGIN");
    await b.query("UPDATE dl SET v = 2 WHERE k = $1", [k2]);
    const started = Date.now();
    const fromA = a.query("UPDATE dl SET v = 11 WHERE k = $1", [k2]);
    const fromB = b.query("UPDATE dl SET v = 22 WHERE k = $1", [k1]);
    fromA.catch(() => undefined);
    // B started last: it is the one cancelled, as Citus cancels the youngest transaction.
    await assert.rejects(fromB, {
      code: "40P01",
      message: "canceling the transaction since it was involved in a distributed deadlock",
    });
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 4 * checkPeriodMs, `detected after ${elapsed} ms`);
    await assert.rejects(b.query("SELECT 1"), { code: "25P02" });
    await b.query("ROLLBACK");
    await fromA;
    await a.query("COMMIT");
    const rows = await a.query("SELECT k, v FROM dl WHERE k = ANY($1) ORDER BY k", [[k1, k2]]);
    assert.deepEqual(rows.rows.map((row: { k: number; v: number }) => [row.k, row.v]).sort(),
      [[k1, 1], [k2, 11]].sort());
    // The session of the cancelled block goes on as usual.
    await b.query("BEGIN");
    await b.query("UPDATE dl SET v = 0 WHERE k = ANY($1)", [[k1, k2]]);
    await b.query("COMMIT");
  });

  test("a cycle of three blocks loses its youngest only", async () => {
    const c = new pg.Client({ connectionString: cluster.url });
    await c.connect();
    try {
      const [k1, k2] = keys;
      // A third key on k1's worker.
      const found = await a.query<{ k: number }>("SELECT g AS k FROM generate_series(1, 40) g" +
        " JOIN pg_dist_placement p ON p.shardid = get_shard_id_for_distribution_column('dl', g)" +
        " WHERE g <> $1 AND p.groupid = (SELECT groupid FROM pg_dist_placement" +
        " WHERE shardid = get_shard_id_for_distribution_column('dl', $1)) ORDER BY g LIMIT 1",
        [k1]);
      const k3 = found.rows[0]!.k;
      for (const [client, key] of [[a, k1], [b, k2], [c, k3]] as const) {
        await client.query("BEGIN");
        await client.query("UPDATE dl SET v = 1 WHERE k = $1", [key]);
      }
      const fromA = a.query("UPDATE dl SET v = 2 WHERE k = $1", [k2]);
      const fromB = b.query("UPDATE dl SET v = 2 WHERE k = $1", [k3]);
      const fromC = c.query("UPDATE dl SET v = 2 WHERE k = $1", [k1]);
      fromA.catch(() => undefined);
      fromB.catch(() => undefined);
      await assert.rejects(fromC, { code: "40P01" });
      await c.query("ROLLBACK");
      await fromB;
      await b.query("COMMIT");
      await fromA;
      await a.query("COMMIT");
      const rows = await a.query("SELECT k, v FROM dl WHERE k = ANY($1) ORDER BY k",
        [[k1, k2, k3]]);
      assert.deepEqual(rows.rows.map((row: { k: number; v: number }) => [row.k, row.v]).sort(),
        [[k1, 1], [k2, 2], [k3, 2]].sort());
    } finally {
      await c.end();
    }
  });

  test("a multi-shard write outside a block is part of a cycle too", async () => {
    const [k1, k2] = keys;
    await a.query("BEGIN");
    await a.query("UPDATE dl SET v = 3 WHERE k = $1", [k1]);
    // Locks k2 on one worker, then waits for A on the other.
    const statement = b.query("UPDATE dl SET v = 4 WHERE k = ANY($1)", [[k1, k2]]);
    statement.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const fromA = a.query("UPDATE dl SET v = 5 WHERE k = $1", [k2]);
    await assert.rejects(statement, {
      code: "40P01",
      message: "canceling the transaction since it was involved in a distributed deadlock",
    });
    await fromA;
    await a.query("COMMIT");
    const rows = await a.query("SELECT k, v FROM dl WHERE k = ANY($1) ORDER BY k", [[k1, k2]]);
    assert.deepEqual(rows.rows.map((row: { k: number; v: number }) => [row.k, row.v]).sort(),
      [[k1, 3], [k2, 5]].sort());
  });

  test("a lock wait that is no cycle is not cancelled", async () => {
    const [k1, k2] = keys;
    await a.query("BEGIN");
    await a.query("UPDATE dl SET v = 5 WHERE k = $1", [k1]);
    await b.query("BEGIN");
    await b.query("UPDATE dl SET v = 6 WHERE k = $1", [k2]);
    let settled = false;
    const waiting = b.query("UPDATE dl SET v = 7 WHERE k = $1", [k1]);
    void waiting.then(() => (settled = true), () => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 3 * checkPeriodMs));
    assert.equal(settled, false, "B still waits for A");
    await a.query("COMMIT");
    await waiting;
    await b.query("COMMIT");
    const rows = await a.query("SELECT k, v FROM dl WHERE k = ANY($1) ORDER BY k", [[k1, k2]]);
    assert.deepEqual(rows.rows.map((row: { k: number; v: number }) => [row.k, row.v]).sort(),
      [[k1, 7], [k2, 6]].sort());
  });
});
