/**
 * Citus's utility functions and views from the user's side (`tessera cluster --workers 2`,
 * a `pg` client): the node lookups (citus_is_coordinator, citus_coordinator_nodeid,
 * citus_nodename_for_nodeid / _nodeport_), worker_hash agreeing with
 * get_shard_id_for_distribution_column, connection checks from the coordinator and between
 * the workers, citus_locks across the nodes, master_get_table_ddl_events, and
 * citus_update_node following a worker restarted on another port with the same data.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { failureOf, freePort, onWorkers, startCluster, type TesseraCluster }
  from "../harness/index.js";

/** One cluster password, so that a worker started on its own accepts the coordinator. */
const clusterArgs = ["--cluster-password", "utility-functions-test"];

describe("citus utility functions", () => {
  let cluster: TesseraCluster;
  let client: pg.Client;
  const notices: string[] = [];
  const q = async (sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> =>
    (await client.query(sql, params)).rows as Record<string, unknown>[];
  const one = async (sql: string, params: unknown[] = []): Promise<Record<string, unknown>> =>
    (await q(sql, params))[0]!;

  before(async () => {
    cluster = await startCluster({ workers: 2, args: clusterArgs });
    client = new pg.Client({ connectionString: cluster.url });
    client.on("notice", (n) => notices.push(`${n.severity ?? ""}: ${n.message}`));
    await client.connect();
    await q("CREATE TABLE items (id int PRIMARY KEY, v text DEFAULT 'x' NOT NULL, " +
      "n numeric CHECK (n > 0))");
    await q("CREATE INDEX items_v_idx ON items (v)");
    await q("SELECT create_distributed_table('items', 'id')");
    await q("INSERT INTO items SELECT g, 'v' || g, g FROM generate_series(1, 100) g");
  });
  after(async () => {
    await client?.end();
    await cluster?.stop();
  });

  test("node lookups answer from pg_dist_node, and workers say they are not coordinators",
    async () => {
      const nodes = await q("SELECT nodeid, nodename, nodeport FROM pg_dist_node ORDER BY 1");
      assert.equal(nodes.length, 2);
      for (const node of nodes) {
        const [row] = await q("SELECT citus_nodename_for_nodeid($1) AS name, " +
          "citus_nodeport_for_nodeid($1) AS port", [node["nodeid"]]);
        assert.deepEqual(row, { name: node["nodename"], port: node["nodeport"] });
      }
      assert.deepEqual(await q("SELECT citus_nodename_for_nodeid(999) AS name, " +
        "citus_nodeport_for_nodeid(999) AS port"), [{ name: null, port: null }]);
      assert.deepEqual(await q("SELECT citus_is_coordinator() AS c, " +
        "citus_coordinator_nodeid() AS id"), [{ c: true, id: 0 }]);
      assert.deepEqual(await onWorkers(client, "SELECT citus_is_coordinator()"), ["f", "f"]);
      assert.deepEqual(await onWorkers(client, "SELECT citus_coordinator_nodeid()"), ["0", "0"]);
    });

  test("worker_hash places a value in the shard get_shard_id_for_distribution_column names",
    async () => {
      const rows = await q("SELECT g, get_shard_id_for_distribution_column('items', g) AS id, " +
        "(SELECT shardid FROM pg_dist_shard WHERE logicalrelid = 'items'::regclass AND " +
        "worker_hash(g) BETWEEN shardminvalue::int AND shardmaxvalue::int) AS by_hash " +
        "FROM generate_series(1, 50) g");
      assert.equal(rows.length, 50);
      for (const row of rows) assert.equal(row["by_hash"], row["id"], JSON.stringify(row));
      assert.deepEqual(await q("SELECT worker_hash(42) = worker_hash(42::bigint) AS same, " +
        "worker_hash(NULL::int) AS none"), [{ same: true, none: null }]);
      const error = await failureOf(client, "SELECT worker_hash(ARRAY[1, 2])");
      assert.equal(error.code, "0A000");
      assert.equal(error.message, "cannot find a hash function for the input type");
      assert.equal(error.hint, "Cast input to a data type with a hash function.");
    });

  test("connection checks reach the nodes, and fail with a WARNING where nothing listens",
    async () => {
      const [w1, w2] = cluster.workerPorts;
      const closed = await freePort();
      notices.length = 0;
      assert.deepEqual(await q("SELECT citus_check_connection_to_node('127.0.0.1', $1) AS up, " +
        "citus_check_connection_to_node('127.0.0.1', $2) AS down", [w1, closed]),
      [{ up: true, down: false }]);
      assert.ok(notices.some((n) => n.startsWith("WARNING: connection to the remote node ") &&
        n.includes(`@127.0.0.1:${closed} failed with the following error: `)), notices.join());
      // A worker checks its own connections: worker 1 to worker 2 and to the closed port.
      assert.deepEqual(await onWorkers(client,
        `SELECT citus_check_connection_to_node('127.0.0.1', ${w2})`), ["t", "t"]);
      assert.deepEqual(await onWorkers(client,
        `SELECT citus_check_connection_to_node('127.0.0.1', ${closed})`), ["f", "f"]);
      const health = await q("SELECT * FROM citus_check_cluster_node_health()");
      const ports = [w1!, w2!].sort((a, b) => a - b);
      assert.deepEqual(health, ports.flatMap((from) => ports.map((to) => ({
        from_nodename: "127.0.0.1", from_nodeport: from, to_nodename: "127.0.0.1",
        to_nodeport: to, result: true }))));
    });

  test("citus_locks shows the session's locks on every node under its global pid",
    async () => {
      await q("BEGIN");
      try {
        await q("LOCK TABLE items IN SHARE MODE");
        const [{ gpid }] = await q("SELECT citus_backend_gpid()::text AS gpid") as
          [{ gpid: string }];
        const rows = await q("SELECT global_pid::text AS gpid, nodeid, relation_name, mode, " +
          "granted FROM citus_locks WHERE locktype = 'relation' AND mode = 'ShareLock' " +
          "ORDER BY nodeid, relation_name");
        const shards = await q("SELECT s.shardid, n.nodeid FROM pg_dist_shard s " +
          "JOIN pg_dist_placement p USING (shardid) JOIN pg_dist_node n USING (groupid) " +
          "WHERE s.logicalrelid = 'items'::regclass");
        assert.equal(rows.length, shards.length + 1, JSON.stringify(rows));
        assert.ok(rows.every((r) => r["gpid"] === gpid && r["granted"] === true));
        assert.ok(rows.some((r) => r["relation_name"] === "items" && r["nodeid"] === 99999999));
        for (const shard of shards) {
          assert.ok(rows.some((r) => r["relation_name"] === `items_${String(shard["shardid"])}`
            && r["nodeid"] === shard["nodeid"]), `shard ${String(shard["shardid"])}`);
        }
        const columns = await client.query("SELECT * FROM citus_locks LIMIT 0");
        assert.deepEqual(columns.fields.map((f) => f.name), ["global_pid", "nodeid",
          "locktype", "database", "relation", "relation_name", "page", "tuple", "virtualxid",
          "transactionid", "classid", "objid", "objsubid", "virtualtransaction", "pid", "mode",
          "granted", "fastpath", "waitstart"]);
      } finally {
        await q("COMMIT");
      }
    });

  test("master_get_table_ddl_events prints the shell table's DDL as Citus", async () => {
    const events = await q("SELECT * FROM master_get_table_ddl_events('items')");
    assert.deepEqual(events.map((r) => r["master_get_table_ddl_events"]), [
      "CREATE TABLE public.items (id integer NOT NULL, v text DEFAULT 'x'::text NOT NULL, " +
        "n numeric, CONSTRAINT items_n_check CHECK ((n > (0)::numeric))) USING heap",
      "ALTER TABLE public.items OWNER TO postgres",
      "ALTER TABLE public.items ADD CONSTRAINT items_pkey PRIMARY KEY (id)",
      "CREATE INDEX items_v_idx ON public.items USING btree (v)",
    ]);
    await q("CREATE VIEW items_view AS SELECT id FROM items");
    const view = await failureOf(client, "SELECT master_get_table_ddl_events('items_view')");
    assert.equal(view.code, "42809");
    assert.equal(view.message, "items_view is not a regular, foreign or partitioned table");
    const missing = await failureOf(client, "SELECT master_get_table_ddl_events('nope')");
    assert.equal(missing.code, "42P01");
    assert.equal(missing.message, 'relation "nope" does not exist');
  });

  test("cluster clocks: node clocks tick, a transaction clock passes every node's",
    async () => {
      const { a, b, after, type } = await one("SELECT citus_get_node_clock()::text AS a, " +
        "citus_get_node_clock()::text AS b, citus_is_clock_after(citus_get_node_clock(), " +
        "citus_get_node_clock()) AS after, pg_typeof(citus_get_node_clock())::text AS type");
      assert.match(String(a), /^\(\d{13},\d+\)$/);
      assert.notEqual(a, b);
      assert.equal(after, false);
      assert.equal(type, "cluster_clock");
      const ahead = "(4000000000000,5)";
      const { early } = await one("SELECT citus_is_clock_after($1, " +
        "citus_get_transaction_clock()) AS early", [ahead]);
      assert.equal(early, true, "outside a block: the coordinator's own clock");
      assert.deepEqual(await onWorkers(client,
        `SELECT citus_internal_adjust_local_clock_to_remote('${ahead}')`), ["", ""]);
      await q("BEGIN");
      await q("INSERT INTO items VALUES (1000, 'clock', 1)");
      const { late } = await one("SELECT citus_is_clock_after(citus_get_transaction_clock(), " +
        "$1) AS late", [ahead]);
      await q("ROLLBACK");
      assert.equal(late, true, "a block's clock is past the clock of the node it wrote on");
      const { coordinator } = await one("SELECT citus_is_clock_after(citus_get_node_clock(), " +
        "$1) AS coordinator", [ahead]);
      assert.equal(coordinator, true, "the coordinator's clock moved up to it");
      const bad = await failureOf(client, "SELECT citus_is_clock_after('(1,x)', '(1,2)')");
      assert.equal(bad.code, "22P02");
      assert.equal(bad.message, 'invalid input syntax for type cluster_clock: "(1,x)"');
    });

  test("citus_update_node follows a worker restarted on another port", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "tessera-moved-worker-"));
    let extra = await startCluster({ role: "worker", dataDir, args: clusterArgs });
    try {
      const [{ nodeid }] = await q("SELECT citus_add_node('127.0.0.1', $1) AS nodeid",
        [extra.port]) as [{ nodeid: number }];
      await q("CREATE TABLE moved (id int PRIMARY KEY, v int)");
      await q("SELECT create_distributed_table('moved', 'id', shard_count => 6)");
      await q("INSERT INTO moved SELECT g, g * 2 FROM generate_series(1, 300) g");
      const [{ on }] = await q("SELECT count(*)::int AS on FROM pg_dist_placement p " +
        "JOIN pg_dist_node n USING (groupid) WHERE n.nodeid = $1", [nodeid]) as [{ on: number }];
      assert.ok(on >= 1, "the new worker holds shards");
      await extra.stop();
      const down = await failureOf(client, "SELECT count(*) FROM moved");
      assert.match(down.message, /connection to the remote node/);
      extra = await startCluster({ role: "worker", dataDir, args: clusterArgs });
      const other = cluster.workerPorts[0]!;
      const taken = await failureOf(client,
        `SELECT citus_update_node(${nodeid}, '127.0.0.1', ${other})`);
      assert.equal(taken.code, "55000");
      assert.equal(taken.message,
        "there is already another node with the specified hostname and port");
      const unknown = await failureOf(client, "SELECT citus_update_node(4242, 'h', 1)");
      assert.equal(unknown.code, "P0002");
      assert.equal(unknown.message, "node 4242 not found");
      await q("SELECT citus_update_node($1, '127.0.0.1', $2)", [nodeid, extra.port]);
      assert.deepEqual(await q("SELECT nodeport FROM pg_dist_node WHERE nodeid = $1",
        [nodeid]), [{ nodeport: extra.port }]);
      assert.deepEqual(await q("SELECT count(*)::int AS n, sum(v)::int AS s FROM moved"),
        [{ n: 300, s: 300 * 301 }]);
      assert.deepEqual(await q("SELECT v FROM moved WHERE id = 7"), [{ v: 14 }]);
      await q("SELECT citus_update_node($1, '127.0.0.1', $2)", [nodeid, extra.port]);
      // In a transaction block that rolls back, the old address comes back.
      await q("BEGIN");
      await q("SELECT citus_update_node($1, '127.0.0.1', 1)", [nodeid]);
      await q("ROLLBACK");
      assert.deepEqual(await q("SELECT nodeport FROM pg_dist_node WHERE nodeid = $1",
        [nodeid]), [{ nodeport: extra.port }]);
      await q("DROP TABLE moved");
      await q("SELECT citus_remove_node('127.0.0.1', $1)", [extra.port]);
    } finally {
      await extra.stop();
      rmSync(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    }
  });
});
