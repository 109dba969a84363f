/**
 * Single-node mode on a real `tessera cluster --workers 0`: with no node in pg_dist_node, the
 * first create_distributed_table (or create_reference_table) adds the coordinator itself as
 * Citus's InsertCoordinatorIfClusterEmpty does (`localhost`, its own port, group 0,
 * shouldhaveshards true), so the shards live on the coordinator; a rolled-back block takes
 * the row back out. `SHOW port` is the port the server listens on.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { startCluster, type TesseraCluster } from "../harness/index.js";

describe("single-node mode", () => {
  let cluster: TesseraCluster;
  let client: pg.Client;
  const q = async (sql: string): Promise<Record<string, unknown>[]> =>
    (await client.query(sql)).rows as Record<string, unknown>[];

  before(async () => {
    cluster = await startCluster({ workers: 0 });
    client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
  });

  after(async () => {
    await client?.end();
    await cluster?.stop();
  });

  test("the first distributed table puts the coordinator in pg_dist_node", async () => {
    assert.deepEqual(await q("SHOW port"), [{ port: String(cluster.port) }]);
    await q("CREATE TABLE items (id int PRIMARY KEY, note text)");
    await q("BEGIN");
    await q("SELECT create_distributed_table('items', 'id')");
    assert.equal((await q("SELECT * FROM pg_dist_node")).length, 1);
    await q("ROLLBACK");
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM pg_dist_node"), [{ n: 0 }]);
    await q("SELECT create_distributed_table('items', 'id')");
    assert.deepEqual(await q("SELECT nodename, nodeport, groupid, shouldhaveshards, isactive " +
      "FROM pg_dist_node"), [{ nodename: "localhost", nodeport: cluster.port, groupid: 0,
      shouldhaveshards: true, isactive: true }]);
    await q("INSERT INTO items SELECT g, 'n' || g FROM generate_series(1, 50) g");
    assert.deepEqual(await q("SELECT count(*)::int AS n, max(note) AS m FROM items"),
      [{ n: 50, m: "n9" }]);
    assert.deepEqual(await q("SELECT nodename, count(*)::int AS n FROM citus_shards " +
      "GROUP BY 1"), [{ nodename: "localhost", n: 32 }]);
    const plan = (await q("EXPLAIN (COSTS OFF) SELECT * FROM items WHERE id = 7"))
      .map((r) => String(r["QUERY PLAN"]));
    assert.ok(plan.includes(`        Node: host=localhost port=${cluster.port} dbname=postgres`),
      plan.join("\n"));
    await q("CREATE TABLE kinds (id int PRIMARY KEY)");
    await q("SELECT create_reference_table('kinds')");
    await q("INSERT INTO kinds VALUES (7), (8)");
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM items JOIN kinds USING (id)"),
      [{ n: 2 }]);
  });
});
