/**
 * Citus's compatibility catalog views on a real cluster: pg_dist_shard_placement is
 * pg_dist_placement joined with the primary nodes of pg_dist_node (citus-surface.md §1.4),
 * with Citus's column names and order, for distributed and reference tables alike.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { startCluster, type TesseraCluster } from "../harness/index.js";

let cluster: TesseraCluster;
let client: pg.Client;

before(async () => {
  cluster = await startCluster({ workers: 2 });
  client = new pg.Client({ host: "127.0.0.1", port: cluster.port, user: "postgres",
    database: "postgres" });
  await client.connect();
});

after(async () => {
  await client.end();
  await cluster.stop();
});

test("pg_dist_shard_placement lists every placement with its node", async () => {
  await client.query("SET citus.shard_count = 4");
  await client.query("CREATE TABLE cv_items (id int PRIMARY KEY, v text)");
  await client.query("SELECT create_distributed_table('cv_items', 'id')");
  await client.query("CREATE TABLE cv_kinds (id int PRIMARY KEY)");
  await client.query("SELECT create_reference_table('cv_kinds')");
  const columns = await client.query("SELECT * FROM pg_dist_shard_placement LIMIT 0");
  assert.deepEqual(columns.fields.map((f) => f.name),
    ["shardid", "shardstate", "shardlength", "nodename", "nodeport", "placementid"]);
  const view = await client.query(
    "SELECT shardid, shardstate, shardlength, nodename, nodeport, placementid " +
    "FROM pg_dist_shard_placement ORDER BY placementid");
  const joined = await client.query(
    "SELECT p.shardid, p.shardstate, p.shardlength, n.nodename, n.nodeport, p.placementid " +
    "FROM pg_dist_placement p JOIN pg_dist_node n ON p.groupid = n.groupid " +
    "WHERE n.noderole = 'primary' ORDER BY p.placementid");
  assert.deepEqual(view.rows, joined.rows);
  // 4 distributed shards, one placement each; the reference shard on both workers.
  assert.equal(view.rowCount, 6);
  const perTable = await client.query(
    "SELECT s.logicalrelid::text AS t, count(*)::int AS n FROM pg_dist_shard_placement sp " +
    "JOIN pg_dist_shard s USING (shardid) GROUP BY 1 ORDER BY 1");
  assert.deepEqual(perTable.rows, [{ t: "cv_items", n: 4 }, { t: "cv_kinds", n: 2 }]);
});
