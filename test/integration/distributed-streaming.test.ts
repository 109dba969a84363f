/**
 * Multi-shard SELECTs that only pick columns stream from the workers in batches
 * (`executor/select-stream.ts`) on a real `tessera cluster --workers 2`: every row arrives
 * once, through the simple and the extended protocol; an error on one shard in the middle of
 * the stream fails the statement with the worker's error; a statement_timeout cancels a
 * stream; and the connections the streams used serve the next statements normally.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { psql, startCluster, type TesseraCluster } from "../harness/index.js";

const rowCount = 60_000;

describe("streamed multi-shard SELECTs", () => {
  let cluster: TesseraCluster;
  let client: pg.Client;
  const q = async (sql: string): Promise<Record<string, unknown>[]> =>
    (await client.query(sql)).rows as Record<string, unknown>[];

  before(async () => {
    cluster = await startCluster({ workers: 2 });
    client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    await q("CREATE TABLE wide (id int PRIMARY KEY, grp int, body text)");
    await q("SELECT create_distributed_table('wide', 'id')");
    await q(`INSERT INTO wide SELECT g, g % 7, repeat('x', 50) || g FROM ` +
      `generate_series(1, ${rowCount}) g`);
  });

  after(async () => {
    await client?.end();
    await cluster?.stop();
  });

  test("every row arrives once, over the extended and the simple protocol", async () => {
    // A bound parameter makes `pg` use the extended protocol: Execute without a row limit.
    const rows = (await client.query("SELECT body, id FROM wide WHERE grp <> $1", [3]))
      .rows as Record<string, unknown>[];
    const ids = new Set(rows.map((r) => r["id"] as number));
    const expected = rowCount - Math.floor((rowCount + 4) / 7);
    assert.equal(rows.length, expected);
    assert.equal(ids.size, expected);
    assert.ok(rows.every((r) => r["body"] === `${"x".repeat(50)}${r["id"] as number}`));
    const text = await psql(cluster.port, "SELECT id FROM wide", { tuplesOnly: true });
    const lines = text.trim().split("\n").filter((line) => /^\d+$/.test(line));
    assert.equal(lines.length, rowCount);
    assert.equal(new Set(lines).size, rowCount);
  });

  test("an error on one shard mid-stream fails the statement; the next ones work",
    async () => {
      await assert.rejects(q(`SELECT id, 1 / (id - ${rowCount - 5}) AS r FROM wide`),
        (error: unknown) => error instanceof pg.DatabaseError && error.code === "22012" &&
          error.message === "division by zero");
      const [count] = await q("SELECT count(*)::int AS n FROM wide");
      assert.deepEqual(count, { n: rowCount });
      assert.equal((await q("SELECT id FROM wide WHERE id % 1000 = 0")).length, rowCount / 1000);
    });

  test("statement_timeout cancels a stream; the cluster goes on serving", async () => {
    const slow = new pg.Client({ connectionString: cluster.url });
    await slow.connect();
    try {
      await slow.query("SET statement_timeout = '30ms'");
      const started = Date.now();
      await assert.rejects(slow.query(
        "SELECT a.id, b.id FROM wide a JOIN wide b USING (id) WHERE a.body ~ 'x+9$'"),
      (error: unknown) => error instanceof pg.DatabaseError && error.code === "57014");
      assert.ok(Date.now() - started < 10_000);
      await slow.query("RESET statement_timeout");
      assert.equal((await slow.query("SELECT id FROM wide")).rows.length, rowCount);
    } finally {
      await slow.end();
    }
    assert.equal((await q("SELECT grp FROM wide")).length, rowCount);
  });
});
