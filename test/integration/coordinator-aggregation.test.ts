/**
 * citus.coordinator_aggregation_strategy (`tessera cluster --workers 2`): with the default
 * 'row-gather' an aggregate the shards cannot compute in parts is computed on the coordinator
 * over the gathered rows; with 'disabled' the query fails with Citus's error, while
 * aggregates computed in parts or pushed down whole still run.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { startCluster, type TesseraCluster } from "../harness/index.js";

describe("citus.coordinator_aggregation_strategy", () => {
  let cluster: TesseraCluster;
  let client: pg.Client;
  const q = async (sql: string): Promise<Record<string, unknown>[]> =>
    (await client.query(sql)).rows as Record<string, unknown>[];
  const rejectsWith = async (sql: string, code: string, message: string): Promise<void> => {
    await assert.rejects(q(sql), (error: pg.DatabaseError) => {
      assert.equal(error.code, code);
      assert.equal(error.message, message);
      return true;
    });
  };

  before(async () => {
    cluster = await startCluster({ workers: 2 });
    client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    await q("CREATE TABLE agg_t (id int, tag text, v int)");
    await q("SELECT create_distributed_table('agg_t', 'id')");
    await q("INSERT INTO agg_t SELECT g, 't' || (g % 2), g FROM generate_series(1, 6) g");
    await q("CREATE AGGREGATE sum_nocombine (int) (SFUNC = int4pl, STYPE = int, INITCOND = 0)");
  });
  after(async () => {
    await client.end();
    await cluster.stop();
  });

  test("row-gather computes them on the coordinator", async () => {
    assert.deepEqual(await q("SELECT string_agg(tag, ',' ORDER BY id) AS s FROM agg_t"),
      [{ s: "t1,t0,t1,t0,t1,t0" }]);
    assert.deepEqual(await q("SELECT sum_nocombine(v) AS s FROM agg_t"), [{ s: 21 }]);
  });

  test("disabled raises Citus's errors", async () => {
    await q("SET citus.coordinator_aggregation_strategy TO 'disabled'");
    try {
      await rejectsWith("SELECT string_agg(tag, ',') FROM agg_t", "XX000",
        "unsupported aggregate function string_agg");
      await rejectsWith("SELECT tag, sum_nocombine(v) FROM agg_t GROUP BY tag", "XX000",
        "unsupported aggregate function sum_nocombine");
      await rejectsWith("SELECT array_agg(v ORDER BY v) FROM agg_t", "0A000",
        "array_agg with order by is unsupported");
      await rejectsWith("SELECT jsonb_agg(DISTINCT tag) FROM agg_t", "0A000",
        "jsonb_agg (distinct) is unsupported");
      // Computed in parts, or pushed down whole: unaffected.
      assert.deepEqual(await q("SELECT count(*)::int AS n, sum(v)::int AS s FROM agg_t"),
        [{ n: 6, s: 21 }]);
      assert.deepEqual(await q("SELECT id, string_agg(tag, ',') AS s FROM agg_t" +
        " WHERE id < 3 GROUP BY id ORDER BY id"), [{ id: 1, s: "t1" }, { id: 2, s: "t0" }]);
    } finally {
      await q("RESET citus.coordinator_aggregation_strategy");
    }
  });
});
