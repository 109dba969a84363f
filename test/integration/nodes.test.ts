/**
 * Node management on a real `tessera cluster --workers 2`: Citus's node functions and their
 * errors, reference tables copied to re-added and re-activated nodes, shouldhaveshards, the
 * coordinator's row, undistribute_table, citus_add_local_table_to_metadata, and the cluster
 * credential the coordinator connects to its workers with.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { startCluster, type TesseraCluster } from "../harness/index.js";

describe("node management", () => {
  let cluster: TesseraCluster;
  let client: pg.Client;
  let w1: number;
  let w2: number;
  const q = async (sql: string, values: unknown[] = []): Promise<Record<string, unknown>[]> =>
    (await client.query(sql, values)).rows as Record<string, unknown>[];
  const fails = async (sql: string): Promise<pg.DatabaseError> => {
    try {
      await client.query(sql);
    } catch (error) {
      assert.ok(error instanceof pg.DatabaseError, String(error));
      return error;
    }
    throw new Error(`expected ${sql} to fail`);
  };
  const onWorker = async (port: number, sql: string): Promise<Record<string, unknown>[]> => {
    const worker = new pg.Client({ host: "127.0.0.1", port, user: "postgres",
      database: "postgres" });
    await worker.connect();
    try {
      return (await worker.query(sql)).rows as Record<string, unknown>[];
    } finally {
      await worker.end();
    }
  };

  before(async () => {
    cluster = await startCluster({ workers: 2 });
    // Citus's "first worker" is the first by (name, port): w1 is it, w2 the other.
    [w1, w2] = [...cluster.workerPorts].sort((a, b) => a - b) as [number, number];
    client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    await q("CREATE TABLE kinds (id int PRIMARY KEY, name text)");
    await q("INSERT INTO kinds VALUES (1, 'a'), (2, 'b'), (3, 'c')");
    await q("SELECT create_reference_table('kinds')");
  });
  after(async () => {
    await client.end();
    await cluster.stop();
  });

  test("shouldhaveshards false keeps new shards off a node", async () => {
    await q("SELECT citus_set_node_property('127.0.0.1', $1, 'shouldhaveshards', false)", [w2]);
    const wrong = await fails(
      "SELECT citus_set_node_property('127.0.0.1', 1, 'isactive', false)");
    assert.equal(wrong.message,
      "only the 'shouldhaveshards' property can be set using this function");
    await q("CREATE TABLE items (id int, v text)");
    await q("INSERT INTO items SELECT g, 'v' || g FROM generate_series(1, 20) g");
    await q("SELECT create_distributed_table('items', 'id', shard_count := 4)");
    const groups = await q("SELECT DISTINCT n.nodeport FROM pg_dist_placement p" +
      " JOIN pg_dist_shard s USING (shardid) JOIN pg_dist_node n USING (groupid)" +
      " WHERE s.logicalrelid = 'items'::regclass");
    assert.deepEqual(groups, [{ nodeport: w1 }]);
    await q("SELECT citus_set_node_property('127.0.0.1', $1, 'shouldhaveshards', true)", [w2]);
    const flags = await q("SELECT nodeport, shouldhaveshards FROM pg_dist_node ORDER BY 1");
    assert.ok(flags.every((f) => f["shouldhaveshards"] === true));
  });

  test("citus_remove_node refuses a node with the only placement of a shard", async () => {
    const error = await fails(`SELECT citus_remove_node('127.0.0.1', ${w1})`);
    assert.equal(error.code, "XX000");
    assert.match(error.message, new RegExp(`^cannot remove or disable the node 127\\.0\\.0\\.1:` +
      `${w1} because because it contains the only shard placement for shard \\d+$`));
    assert.equal(error.detail,
      "One of the table(s) that prevents the operation complete successfully is public.items");
    assert.equal(error.hint, "To proceed, either drop the tables or use undistribute_table() " +
      "function to convert them to local tables");
    const missing = await fails("SELECT master_remove_node('127.0.0.1', 1)");
    assert.equal(missing.message, 'node at "127.0.0.1:1" does not exist');
  });

  test("citus_disable_node: first-worker rule, then disable and activate", async () => {
    const first = await fails(`SELECT citus_disable_node('127.0.0.1', ${w1})`);
    assert.equal(first.code, "55000");
    assert.equal(first.message, "disabling the first worker node in the metadata is not allowed");
    assert.equal(first.hint, "You can force disabling node, SELECT citus_disable_node(" +
      `'127.0.0.1', ${w1}, synchronous:=true);`);
    await q(`SELECT citus_disable_node('127.0.0.1', ${w2})`);
    const active = await q("SELECT node_port::int AS port FROM citus_get_active_worker_nodes()");
    assert.deepEqual(active, [{ port: w1 }]);
    assert.deepEqual(await q("SELECT isactive FROM pg_dist_node WHERE nodeport = $1", [w2]),
      [{ isactive: false }]);
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM kinds"), [{ n: 3 }]);
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM items"), [{ n: 20 }]);
    await q("INSERT INTO kinds VALUES (4, 'd')");
    const id = await q("SELECT citus_activate_node('127.0.0.1', $1) AS id", [w2]);
    assert.equal(typeof id[0]!["id"], "number");
    const shard = await q("SELECT shardid FROM pg_dist_shard" +
      " WHERE logicalrelid = 'kinds'::regclass");
    const copy = await onWorker(w2, `SELECT count(*)::int AS n FROM kinds_${shard[0]!["shardid"]}`);
    assert.deepEqual(copy, [{ n: 4 }]);
    assert.equal((await q("SELECT * FROM master_get_active_worker_nodes()")).length, 2);
  });

  test("removing and re-adding a node copies reference tables to it", async () => {
    await q(`SELECT citus_remove_node('127.0.0.1', ${w2})`);
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM pg_dist_node"), [{ n: 1 }]);
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM pg_dist_placement p JOIN" +
      " pg_dist_shard s USING (shardid) WHERE s.logicalrelid = 'kinds'::regclass"), [{ n: 1 }]);
    await q("INSERT INTO kinds VALUES (5, 'e')");
    await q(`SELECT master_add_node('127.0.0.1', ${w2})`);
    const shard = await q("SELECT shardid FROM pg_dist_shard" +
      " WHERE logicalrelid = 'kinds'::regclass");
    const copy = await onWorker(w2, `SELECT count(*)::int AS n FROM kinds_${shard[0]!["shardid"]}`);
    assert.deepEqual(copy, [{ n: 5 }]);
  });

  test("undistribute_table brings the rows back and drops the shards", async () => {
    const shards = await q("SELECT shardid FROM pg_dist_shard" +
      " WHERE logicalrelid = 'items'::regclass ORDER BY 1");
    await q("INSERT INTO items VALUES (21, 'v21')");
    const notices: string[] = [];
    client.on("notice", (n) => notices.push(n.message ?? ""));
    await q("SELECT undistribute_table('items')");
    client.removeAllListeners("notice");
    assert.deepEqual(notices, ["creating a new table for public.items",
      "moving the data of public.items", "dropping the old public.items",
      "renaming the new table to public.items"]);
    assert.deepEqual(await q("SELECT count(*)::int AS n, sum(id)::int AS s FROM items"),
      [{ n: 21, s: 231 }]);
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM pg_dist_partition" +
      " WHERE logicalrelid::text = 'items'"), [{ n: 0 }]);
    const left = await onWorker(w1, "SELECT count(*)::int AS n FROM pg_class WHERE relname = " +
      `'items_${shards[0]!["shardid"]}'`);
    assert.deepEqual(left, [{ n: 0 }]);
    const again = await fails("SELECT undistribute_table('items')");
    assert.equal(again.message, "cannot undistribute table because the table is not distributed");
  });

  test("citus_set_coordinator_host and citus_add_local_table_to_metadata", async () => {
    await q("CREATE TABLE notes (id int PRIMARY KEY, body text)");
    await q("INSERT INTO notes VALUES (1, 'x'), (2, 'y')");
    const none = await fails("SELECT citus_add_local_table_to_metadata('notes')");
    assert.equal(none.message, "coordinator is not added to the metadata");
    const noCoordinator = await fails("SELECT * FROM run_command_on_coordinator('select 1')");
    assert.equal(noCoordinator.code, "P0001");
    assert.equal(noCoordinator.message, "the coordinator is not added to the metadata");
    await q(`SELECT citus_set_coordinator_host('127.0.0.1', ${cluster.port})`);
    assert.deepEqual(await q("SELECT groupid, shouldhaveshards, isactive FROM pg_dist_node" +
      " WHERE groupid = 0"), [{ groupid: 0, shouldhaveshards: false, isactive: true }]);
    assert.equal((await q("SELECT * FROM citus_get_active_worker_nodes()")).length, 2);
    await q("SELECT citus_add_local_table_to_metadata('notes')");
    assert.deepEqual(await q("SELECT partmethod, colocationid, repmodel FROM pg_dist_partition" +
      " WHERE logicalrelid = 'notes'::regclass"), [{ partmethod: "n", colocationid: 0,
      repmodel: "s" }]);
    assert.deepEqual(await q("SELECT p.groupid FROM pg_dist_placement p JOIN pg_dist_shard s" +
      " USING (shardid) WHERE s.logicalrelid = 'notes'::regclass"), [{ groupid: 0 }]);
    await q("SELECT undistribute_table('notes')");
    assert.deepEqual(await q("SELECT * FROM notes ORDER BY id"),
      [{ id: 1, body: "x" }, { id: 2, body: "y" }]);
  });

  test("workers accept the cluster user only with the cluster password", async () => {
    const password = readFileSync(join(cluster.dataDir, "coordinator", "cluster-password"),
      "utf8").trim();
    assert.ok(password.length >= 16);
    const connect = async (pw: string | undefined): Promise<void> => {
      const c = new pg.Client({ host: "127.0.0.1", port: w1, user: "tessera_cluster",
        database: "postgres", ...(pw !== undefined && { password: pw }) });
      try {
        await c.connect();
        await c.query("SELECT 1");
      } finally {
        await c.end().catch(() => undefined);
      }
    };
    await assert.rejects(connect("wrong"), /password authentication failed/);
    await connect(password);
    assert.deepEqual(await onWorker(w1, "SELECT 1 AS one"), [{ one: 1 }]);
  });

  test("run_command_on_placements, _colocated_placements, _all_nodes, _coordinator and " +
    "citus_shard_sizes", async () => {
    await q("CREATE TABLE placed (id int PRIMARY KEY, v int)");
    await q("CREATE TABLE placed2 (id int PRIMARY KEY, w int)");
    await q("SELECT create_distributed_table('placed', 'id', shard_count => 4)");
    await q("SELECT create_distributed_table('placed2', 'id', colocate_with => 'placed')");
    await q("INSERT INTO placed SELECT g, g FROM generate_series(1, 40) g");
    await q("INSERT INTO placed2 SELECT g, g FROM generate_series(1, 20) g");
    const shards = (await q("SELECT shardid, nodeport FROM citus_shards WHERE table_name = " +
      "'placed'::regclass ORDER BY shardid")).map((r) => [Number(r["shardid"]), r["nodeport"]]);
    const counts = await q("SELECT * FROM run_command_on_placements('placed', " +
      "$$select count(*) from %s$$)");
    assert.deepEqual(counts.map((r) => [Number(r["shardid"]), r["nodeport"]]), shards);
    assert.equal(counts.reduce((sum, r) => sum + Number(r["result"]), 0), 40);
    assert.ok(counts.every((r) => r["success"] === true && r["nodename"] === "127.0.0.1"));
    // A reference table: one row per placement, on both workers.
    const kinds = String((await q("SELECT count(*) AS n FROM kinds"))[0]!["n"]);
    assert.deepEqual((await q("SELECT nodeport, success, result FROM " +
      "run_command_on_placements('kinds', 'select count(*) from %s')")),
    [{ nodeport: w1, success: true, result: kinds },
      { nodeport: w2, success: true, result: kinds }]);
    const pairs = await q("SELECT * FROM run_command_on_colocated_placements('placed', " +
      "'placed2', $$select count(*) from %s a join %s b using (id)$$)");
    assert.equal(pairs.length, 4);
    assert.equal(pairs.reduce((sum, r) => sum + Number(r["result"]), 0), 20);
    assert.ok(pairs.every((r) => Number(r["shardid2"]) === Number(r["shardid1"]) + 4));
    const notColocated = await fails("SELECT * FROM run_command_on_colocated_placements(" +
      "'placed', 'kinds', 'select 1')");
    assert.equal(notColocated.code, "P0001");
    assert.equal(notColocated.message, "tables placed and kinds are not co-located");
    // The coordinator joined the metadata in an earlier test: all nodes include it.
    const nodeIds = (await q("SELECT nodeid FROM pg_dist_node WHERE isactive ORDER BY 1"))
      .map((r) => ({ nodeid: r["nodeid"], success: true, result: "7" }));
    assert.equal(nodeIds.length, 3);
    assert.deepEqual(await q("SELECT * FROM run_command_on_all_nodes('select 7') ORDER BY 1"),
      nodeIds);
    const coordinatorId = (await q("SELECT nodeid FROM pg_dist_node WHERE groupid = 0"))[0];
    assert.deepEqual(await q("SELECT * FROM run_command_on_coordinator(" +
      "'select count(*) from pg_dist_node')"),
    [{ nodeid: coordinatorId!["nodeid"], success: true, result: "3" }]);
    const tooFew = await fails("SELECT * FROM run_command_on_shards('placed', " +
      "'select %s, %s')");
    assert.equal(tooFew.message, "too few arguments for format()");
    const sizes = await q("SELECT shard_id, size FROM citus_shard_sizes() WHERE shard_id IN " +
      "(SELECT shardid FROM pg_dist_shard WHERE logicalrelid = 'placed'::regclass) ORDER BY 1");
    assert.deepEqual(sizes.map((r) => r["shard_id"]), shards.map(([id]) => id));
    assert.ok(sizes.every((r) => Number(r["size"]) > 0));
  });

  test("a shard split of an unknown shard fails as in Citus", async () => {
    // Splits are real (shard-splits.test.ts).
    const error = await fails("SELECT citus_split_shard_by_split_points(1, ARRAY['0'], " +
      "ARRAY[1, 2])");
    assert.equal(error.message, "could not find valid entry for shard 1");
  });

  test("a worker too busy to answer the idle check in time is waited for, not unreachable",
    async () => {
      await q("CREATE TABLE busy (id int PRIMARY KEY)");
      await q("SELECT create_distributed_table('busy', 'id', shard_count => 4)");
      await q("INSERT INTO busy SELECT generate_series(1, 100)");
      assert.deepEqual(await q("SELECT count(*)::int AS n FROM busy"), [{ n: 100 }]);
      // The pool's clients are now due for a check before their next use.
      await new Promise((r) => setTimeout(r, 1_500));
      const worker = new pg.Client({ host: "127.0.0.1", port: w1, user: "postgres",
        database: "postgres" });
      await worker.connect();
      try {
        // One statement that keeps the worker busy for seconds, past the 3 s check.
        const long = worker.query("SELECT count(*) FROM generate_series(1, 60000000)");
        await new Promise((r) => setTimeout(r, 300));
        assert.deepEqual(await q("SELECT count(*)::int AS n FROM busy"), [{ n: 100 }]);
        await long;
      } finally {
        await worker.end();
      }
    });
});
