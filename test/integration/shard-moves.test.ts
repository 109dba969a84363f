/**
 * Shard moves and the rebalancer on a real `tessera cluster --workers 2`, beside PostgreSQL
 * 15 holding the same plain tables: a distributed table, a colocated one and a reference
 * table are filled; a third worker joins (citus_add_node); get_rebalance_table_shards_plan
 * and rebalance_table_shards spread the shard groups onto it; every answer stays the same
 * as PostgreSQL's before and after, writes (INSERT, COPY, UPDATE, DDL) go to the new
 * placements; citus_move_shard_placement's errors; writes during a move wait and none is
 * lost; citus_drain_node empties a worker; citus_rebalance_start runs a background job;
 * create_distributed_table_concurrently's rules.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import pg from "pg";
import {
  SideBySide, clusterBesidePostgres, failureOf, startCluster, type ClusterBesidePostgres,
  type Rows, type TesseraCluster,
} from "../harness/index.js";

describe("shard moves and the rebalancer", () => {
  let servers: ClusterBesidePostgres;
  let cluster: TesseraCluster;
  let extra: TesseraCluster;
  let tessera: pg.Client;
  let side: SideBySide;
  const notices: string[] = [];
  const q = async (sql: string, values: unknown[] = []): Promise<Rows> =>
    (await tessera.query(sql, values)).rows as Rows;
  const fails = (sql: string): Promise<pg.DatabaseError> => failureOf(tessera, sql);
  const same = (sql: string): Promise<Rows> => side.same(sql);
  const both = (sql: string): Promise<void> => side.both(sql);
  const perNode = async (table: string): Promise<Map<number, number>> => {
    const rows = await q("SELECT nodeport, count(*)::int AS n FROM citus_shards WHERE " +
      `table_name = '${table}'::regclass GROUP BY 1 ORDER BY 1`);
    return new Map(rows.map((r) => [Number(r["nodeport"]), Number(r["n"])]));
  };
  const answers = async (): Promise<void> => {
    await same("SELECT count(*)::int AS n, sum(id)::int AS s FROM items");
    await same("SELECT id, v FROM items WHERE id = 42");
    await same("SELECT i.id, n.note, k.name FROM items i JOIN notes n ON n.id = i.id " +
      "JOIN kinds k ON k.k = i.id % 5 ORDER BY i.id, n.note LIMIT 20");
    await same("SELECT id % 7 AS g, count(*)::int AS n FROM notes GROUP BY 1 ORDER BY 1");
  };

  before(async () => {
    servers = await clusterBesidePostgres();
    ({ cluster, tessera, side } = servers);
    tessera.on("notice", (n) => notices.push(`${n.severity}: ${n.message}`));
    extra = await startCluster({ role: "worker" });
  });
  after(async () => {
    await servers?.stop();
    await extra?.stop();
  });

  test("rebalance_table_shards spreads shard groups onto an added worker", async () => {
    await both("CREATE TABLE items (id int PRIMARY KEY, v text)");
    await both("CREATE TABLE notes (id int, note text, PRIMARY KEY (id, note))");
    await both("CREATE TABLE kinds (k int PRIMARY KEY, name text)");
    await q("SELECT create_distributed_table('items', 'id', shard_count => 8)");
    await q("SELECT create_distributed_table('notes', 'id', colocate_with => 'items')");
    await q("SELECT create_reference_table('kinds')");
    await both("INSERT INTO items SELECT g, 'v' || g FROM generate_series(1, 500) g");
    await both("INSERT INTO notes SELECT g % 250 + 1, 'n' || g FROM generate_series(1, 400) g");
    await both("INSERT INTO kinds SELECT g, 'kind ' || g FROM generate_series(0, 4) g");
    await answers();
    const [w1, w2] = cluster.workerPorts;
    assert.deepEqual([...(await perNode("items")).entries()],
      [[w1, 4], [w2, 4]].sort((a, b) => a[0]! - b[0]!));
    await q("SELECT citus_add_node('127.0.0.1', $1)", [extra.port]);
    const plan = await q("SELECT * FROM get_rebalance_table_shards_plan()");
    assert.equal(plan.length, 4, JSON.stringify(plan));
    assert.ok(plan.every((r) => r["targetport"] === extra.port && r["shard_size"] === "0"));
    assert.deepEqual(new Set(plan.map((r) => r["table_name"])), new Set(["items", "notes"]));
    notices.length = 0;
    await q("SELECT rebalance_table_shards()");
    assert.equal(notices.length, 2, notices.join("\n"));
    for (const [i, row] of plan.filter((r) => r["table_name"] === "items").entries()) {
      assert.equal(notices[i], `NOTICE: Moving shard ${String(row["shardid"])} from ` +
        `127.0.0.1:${String(row["sourceport"])} to 127.0.0.1:${extra.port} ...`);
    }
    assert.deepEqual([...(await perNode("items")).values()].sort(), [2, 3, 3]);
    assert.deepEqual(await perNode("notes"), await perNode("items"));
    assert.equal((await perNode("kinds")).size, 3, "reference table on every worker");
    await answers();
    // The old shards are gone from their nodes; each shard table exists once.
    const tables = await q("SELECT sum(result::int)::int AS n FROM run_command_on_workers(" +
      "$$SELECT count(*) FROM pg_class WHERE relname ~ '^items_[0-9]+$'$$)");
    assert.deepEqual(tables, [{ n: 8 }]);
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM get_rebalance_table_shards_plan()"),
      [{ n: 0 }]);
  });

  test("after the moves: writes, COPY, DDL and EXPLAIN use the new placements", async () => {
    await both("INSERT INTO items SELECT g, 'w' || g FROM generate_series(501, 600) g");
    await both("UPDATE items SET v = 'changed' WHERE id % 10 = 3");
    await both("DELETE FROM notes WHERE id % 9 = 0");
    const copy = "COPY items FROM STDIN;\n601\tcopied\n602\tcopied\n\\.\n";
    for (const port of [cluster.port, servers.reference.port]) {
      execFileSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", "-",
        `host=127.0.0.1 port=${port} dbname=postgres user=postgres`],
      { input: copy, timeout: 60_000 });
    }
    await both("ALTER TABLE items ADD COLUMN w int DEFAULT 7");
    await answers();
    await same("SELECT id, v, w FROM items WHERE id IN (3, 601, 555) ORDER BY id");
    const placed = await q("SELECT count(*)::int AS n FROM run_command_on_placements('items', " +
      "'select count(*) from %s WHERE w = 7')");
    assert.deepEqual(placed, [{ n: 8 }]);
    const shard = await q("SELECT get_shard_id_for_distribution_column('items', 42) AS s");
    const port = await q("SELECT nodeport FROM citus_shards WHERE shardid = $1",
      [shard[0]!["s"]]);
    const explain = (await q("EXPLAIN (COSTS OFF) SELECT * FROM items WHERE id = 42"))
      .map((r) => String(r["QUERY PLAN"]));
    assert.ok(explain.some((line) => line.includes(`port=${String(port[0]!["nodeport"])}`)),
      explain.join("\n"));
    // A transaction block over moved shards.
    await both("BEGIN");
    await both("INSERT INTO items VALUES (700, 'txn', 1)");
    await both("UPDATE items SET w = 2 WHERE id = 42");
    await both("COMMIT");
    await same("SELECT id, v, w FROM items WHERE id IN (42, 700) ORDER BY id");
  });

  test("citus_move_shard_placement moves a group there and back; its errors", async () => {
    // The shard of id 42 (router queries on it ran before) goes to another node and back.
    const shard = String((await q("SELECT get_shard_id_for_distribution_column('items', 42) " +
      "AS s"))[0]!["s"]);
    const home = Number((await q(`SELECT nodeport FROM citus_shards WHERE shardid = ${shard}`))
      [0]!["nodeport"]);
    const [w1, other] = [...cluster.workerPorts, extra.port].filter((p) => p !== home);
    const ids = await q("SELECT nodeid, nodeport FROM pg_dist_node");
    const id = (port: number): number => Number(ids.find((r) => r["nodeport"] === port)!["nodeid"]);
    // Named prepared statements made before the moves follow the shard.
    const lookup = async (): Promise<Rows> => (await tessera.query({ name: "lookup",
      text: "SELECT id, v FROM items WHERE id = $1", values: [42] })).rows as Rows;
    const bump = async (): Promise<void> => void await tessera.query({ name: "bump",
      text: "UPDATE items SET w = w + 1 WHERE id = $1", values: [42] });
    const before = await lookup();
    await bump();
    await servers.postgres.query("UPDATE items SET w = w + 1 WHERE id = 42");
    await q(`SELECT citus_move_shard_placement(${shard}, '127.0.0.1', ${home}, ` +
      `'127.0.0.1', ${w1})`);
    assert.deepEqual(await lookup(), before);
    await bump();
    await servers.postgres.query("UPDATE items SET w = w + 1 WHERE id = 42");
    await same("SELECT id, v, w FROM items WHERE id = 42");
    await same("SELECT id, v FROM items WHERE id BETWEEN 1 AND 600 ORDER BY id LIMIT 600");
    await q(`SELECT citus_move_shard_placement(${shard}, ${id(w1!)}, ${id(home)})`);
    assert.deepEqual(await lookup(), before);
    await bump();
    await servers.postgres.query("UPDATE items SET w = w + 1 WHERE id = 42");
    await same("SELECT id, v, w FROM items WHERE id = 42");
    await both("UPDATE items SET w = 5 WHERE id = 42");
    await same("SELECT id, v, w FROM items WHERE id = 42");
    await answers();
    const extraPort = home;
    const expectFailure = async (sql: string, code: string, message: string,
      hint?: string): Promise<void> => {
      const error = await fails(sql);
      assert.equal(error.code, code, sql);
      assert.equal(error.message, message, sql);
      if (hint !== undefined) assert.equal(error.hint, hint, sql);
    };
    await expectFailure(`SELECT citus_move_shard_placement(${shard}, '127.0.0.1', ${w1}, ` +
      `'127.0.0.1', ${w1})`, "22023", "cannot move shard to the same node");
    await expectFailure(`SELECT citus_move_shard_placement(${shard}, '127.0.0.1', ` +
      `${extraPort}, '127.0.0.1', 1)`, "0A000",
    "Moving shards to a non-existing node is not supported",
    "Add the target node via SELECT citus_add_node('127.0.0.1', 1);");
    await expectFailure(`SELECT citus_move_shard_placement(${shard}, '127.0.0.1', ${w1}, ` +
      `'127.0.0.1', ${other})`, "22000", `could not find placement matching ` +
      `"127.0.0.1:${w1}"`, "Confirm the placement still exists and try again.");
    notices.length = 0;
    await q(`SELECT citus_move_shard_placement(${shard}, '127.0.0.1', ${w1}, '127.0.0.1', ` +
      `${extraPort})`);
    assert.deepEqual(notices, [`WARNING: shard is already present on node 127.0.0.1:` +
      `${extraPort}`]);
    await q(`SELECT citus_set_node_property('127.0.0.1', ${w1}, 'shouldhaveshards', false)`);
    await expectFailure(`SELECT citus_move_shard_placement(${shard}, '127.0.0.1', ` +
      `${extraPort}, '127.0.0.1', ${w1})`, "0A000",
    "Moving shards to a node that shouldn't have a shard is not supported",
    `Allow shards on the target node via SELECT * FROM citus_set_node_property('127.0.0.1', ` +
      `${w1}, 'shouldhaveshards', true);`);
    await q(`SELECT citus_set_node_property('127.0.0.1', ${w1}, 'shouldhaveshards', true)`);
    const kinds = String((await q("SELECT shardid FROM pg_dist_shard WHERE logicalrelid = " +
      "'kinds'::regclass"))[0]!["shardid"]);
    await expectFailure(`SELECT citus_move_shard_placement(${kinds}, '127.0.0.1', ${w1}, ` +
      `'127.0.0.1', ${extraPort})`, "0A000", "table public.kinds is a reference table, " +
      "moving shard of a reference table is not supported");
    await q("CREATE TABLE plain (a int)");
    await expectFailure("SELECT rebalance_table_shards('plain')", "0A000", "table " +
      "public.plain is a regular postgres table, you can only move shards of a citus table");
    await expectFailure(`SELECT citus_copy_shard_placement(${shard}, '127.0.0.1', ` +
      `${extraPort}, '127.0.0.1', ${w1})`, "0A000", "Table 'items' is streaming " +
      "replicated. Shards of streaming replicated tables cannot be copied");
    await expectFailure("SELECT citus_move_shard_placement(1, '127.0.0.1', 1, '127.0.0.1', 2)",
      "XX000", "could not find valid entry for shard 1");
  });

  test("a single-shard table moves; a replicated shard is copied to a third node", async () => {
    await both("CREATE TABLE solo (id int PRIMARY KEY, v text)");
    await q("SELECT create_distributed_table('solo', NULL)");
    await both("INSERT INTO solo SELECT g, 's' || g FROM generate_series(1, 50) g");
    const solo = (await q("SELECT shardid, nodeport FROM citus_shards WHERE table_name = " +
      "'solo'::regclass"))[0]!;
    const to = [...cluster.workerPorts, extra.port].find((p) => p !== solo["nodeport"])!;
    await q(`SELECT citus_move_shard_placement(${String(solo["shardid"])}, '127.0.0.1', ` +
      `${String(solo["nodeport"])}, '127.0.0.1', ${to})`);
    assert.deepEqual(await q("SELECT nodeport FROM citus_shards WHERE table_name = " +
      "'solo'::regclass"), [{ nodeport: to }]);
    await same("SELECT count(*)::int AS n, max(v) AS m FROM solo");
    await both("INSERT INTO solo VALUES (51, 'late')");
    await same("SELECT id, v FROM solo WHERE id > 48 ORDER BY id");
    await q("SET citus.shard_replication_factor = 2");
    await both("CREATE TABLE twice (id int PRIMARY KEY, v int)");
    await q("SELECT create_distributed_table('twice', 'id', shard_count => 2)");
    await q("RESET citus.shard_replication_factor");
    await both("INSERT INTO twice SELECT g, g FROM generate_series(1, 100) g");
    const placed = await q("SELECT shardid, array_agg(nodeport) AS ports FROM citus_shards " +
      "WHERE table_name = 'twice'::regclass GROUP BY 1 ORDER BY 1 LIMIT 1");
    const shard = String(placed[0]!["shardid"]);
    const ports = (placed[0]!["ports"] as number[]).map(Number);
    const missing = [...cluster.workerPorts, extra.port].find((p) => !ports.includes(p))!;
    await q(`SELECT citus_copy_shard_placement(${shard}, '127.0.0.1', ${ports[0]}, ` +
      `'127.0.0.1', ${missing})`);
    assert.deepEqual(await q(`SELECT count(*)::int AS n FROM citus_shards WHERE shardid = ` +
      `${shard}`), [{ n: 3 }]);
    await both("UPDATE twice SET v = v + 1000 WHERE id % 3 = 0");
    await same("SELECT count(*)::int AS n, sum(v)::int AS s FROM twice");
    const sums = await q("SELECT result FROM run_command_on_placements('twice', " +
      `'select sum(v) from %s') WHERE shardid = ${shard}`);
    assert.equal(sums.length, 3);
    assert.equal(new Set(sums.map((r) => r["result"])).size, 1, JSON.stringify(sums));
    notices.length = 0;
    await q(`SELECT citus_copy_shard_placement(${shard}, '127.0.0.1', ${ports[0]}, ` +
      `'127.0.0.1', ${missing})`);
    assert.deepEqual(notices, [`WARNING: shard is already present on node 127.0.0.1:` +
      `${missing}`]);
    const third = ports.find((p) => p !== ports[0])!;
    const moveOnto = await fails(`SELECT citus_move_shard_placement(${shard}, '127.0.0.1', ` +
      `${ports[0]}, '127.0.0.1', ${third})`);
    assert.equal(moveOnto.message, `shard ${shard} already exists in the target node`);
    await both("DROP TABLE twice");
  });

  test("'auto' needs a primary key; writes during a block_writes move wait, none lost",
    async () => {
      await both("CREATE TABLE events (k int, n int)");
      await q("SELECT create_distributed_table('events', 'k', shard_count => 2)");
      await both("INSERT INTO events SELECT g % 1000, g FROM generate_series(1, 20000) g");
      const shard = String((await q("SELECT shardid, nodeport FROM citus_shards WHERE " +
        "table_name = 'events'::regclass ORDER BY shardid LIMIT 1"))[0]!["shardid"]);
      const from = Number((await q(`SELECT nodeport FROM citus_shards WHERE shardid = ${shard}`))
        [0]!["nodeport"]);
      const to = [...cluster.workerPorts, extra.port].find((p) => p !== from)!;
      const move = `SELECT citus_move_shard_placement(${shard}, '127.0.0.1', ${from}, ` +
        `'127.0.0.1', ${to}`;
      const noKey = await fails(`${move})`);
      assert.equal(noKey.code, "0A000");
      assert.equal(noKey.message, "cannot use logical replication to transfer shards of the " +
        "relation events since it doesn't have a REPLICA IDENTITY or PRIMARY KEY");
      assert.equal(noKey.hint, "If you wish to continue without a replica identity set the " +
        "shard_transfer_mode to 'force_logical' or 'block_writes'.");
      const writer = new pg.Client({ connectionString: cluster.url });
      const block = new pg.Client({ connectionString: cluster.url });
      await Promise.all([writer.connect(), block.connect()]);
      // A transaction block that wrote to the shard before the move commits during it: the
      // move waits for it on the node, and its rows move too.
      const keys = (await q("SELECT k FROM generate_series(1, 100) k WHERE " +
        `get_shard_id_for_distribution_column('events', k) = ${shard} ORDER BY k LIMIT 2`))
        .map((r) => Number(r["k"]));
      await block.query("BEGIN");
      await block.query("INSERT INTO events VALUES ($1, -2)", [keys[0]]);
      let written = 0;
      let moving = true;
      const writes = (async () => {
        for (let i = 0; moving || i < 50; i++) {
          await writer.query("INSERT INTO events VALUES ($1, -1)", [i % 40]);
          written++;
        }
      })();
      const moved = q(`${move}, shard_transfer_mode => 'block_writes')`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await block.query("INSERT INTO events VALUES ($1, -2)", [keys[1]]);
      await block.query("COMMIT");
      await moved;
      moving = false;
      await writes;
      await Promise.all([writer.end(), block.end()]);
      await servers.postgres.query("INSERT INTO events VALUES ($1, -2), ($2, -2)", keys);
      await servers.postgres.query("INSERT INTO events SELECT i % 40, -1 FROM " +
        `generate_series(0, ${written - 1}) i`);
      await same("SELECT count(*)::int AS n, sum(k)::int AS s FROM events");
      await same("SELECT k, count(*)::int AS n FROM events WHERE n < 0 GROUP BY k ORDER BY k");
      assert.equal(Number((await q(`SELECT nodeport FROM citus_shards WHERE shardid = ${shard}`))
        [0]!["nodeport"]), to);
    });

  test("citus_drain_node empties a worker; citus_rebalance_start fills it again", async () => {
    const [w1] = cluster.workerPorts;
    notices.length = 0;
    await q(`SELECT citus_drain_node('127.0.0.1', ${w1}, 'block_writes')`);
    assert.ok(notices.length > 0 && notices.every((n) => n.startsWith("NOTICE: Moving shard")),
      notices.join("\n"));
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM citus_shards WHERE nodeport = " +
      `${w1} AND citus_table_type = 'distributed'`), [{ n: 0 }]);
    assert.deepEqual(await q("SELECT shouldhaveshards FROM pg_dist_node WHERE nodeport = " +
      `${w1}`), [{ shouldhaveshards: false }]);
    await answers();
    await same("SELECT count(*)::int AS n, sum(k)::int AS s FROM events");
    await q(`SELECT citus_set_node_property('127.0.0.1', ${w1}, 'shouldhaveshards', true)`);
    notices.length = 0;
    const job = await q("SELECT citus_rebalance_start(shard_transfer_mode => 'block_writes') " +
      "AS j");
    assert.match(notices[0] ?? "", /^NOTICE: Scheduled \d+ moves as job \d+$/);
    await q("SELECT citus_rebalance_wait()");
    const status = await q("SELECT job_id, state, job_type, details FROM " +
      "citus_rebalance_status()");
    assert.equal(status.length, 1);
    assert.equal(status[0]!["job_id"], job[0]!["j"]);
    assert.equal(status[0]!["state"], "finished");
    assert.equal(status[0]!["job_type"], "rebalance");
    const counts = (status[0]!["details"] as { task_state_counts: Record<string, number> })
      .task_state_counts;
    assert.ok((counts["done"] ?? 0) > 1 && Object.keys(counts).length === 1,
      JSON.stringify(counts));
    assert.ok(((await perNode("items")).get(w1!) ?? 0) > 0);
    await answers();
    notices.length = 0;
    assert.deepEqual(await q("SELECT citus_rebalance_start() AS j"), [{ j: null }]);
    assert.deepEqual(notices, ["NOTICE: No moves available for rebalancing"]);
    // Stopped right after it starts, the job ends its running move and cancels the rest.
    await q(`SELECT citus_drain_node('127.0.0.1', ${w1}, 'block_writes')`);
    await q(`SELECT citus_set_node_property('127.0.0.1', ${w1}, 'shouldhaveshards', true)`);
    await q("SELECT citus_rebalance_start(shard_transfer_mode => 'block_writes')");
    await q("SELECT citus_rebalance_stop()");
    const stopped = await q("SELECT state, details FROM citus_rebalance_status()");
    assert.equal(stopped[0]!["state"], "cancelled");
    const left = (stopped[0]!["details"] as { task_state_counts: Record<string, number> })
      .task_state_counts;
    assert.ok((left["cancelled"] ?? 0) > 0, JSON.stringify(left));
    await answers();
    await q("SELECT rebalance_table_shards(shard_transfer_mode => 'block_writes')");
    await answers();
    notices.length = 0;
    await q("SELECT citus_rebalance_wait()");
    assert.deepEqual(notices, ["WARNING: no ongoing rebalance that can be waited on"]);
    const stop = await fails("SELECT citus_rebalance_stop()");
    assert.equal(stop.message, "no ongoing rebalance that can be stopped");
    await q("SELECT replicate_reference_tables()");
  });

  test("create_distributed_table_concurrently: Citus's rules, then a distributed table",
    async () => {
      await both("CREATE TABLE later (id int, v text)");
      await both("INSERT INTO later SELECT g, 'x' FROM generate_series(1, 300) g");
      const call = "SELECT create_distributed_table_concurrently('later', 'id')";
      await q("BEGIN");
      const inBlock = await fails(call);
      await q("ROLLBACK");
      assert.equal(inBlock.code, "25001");
      assert.equal(inBlock.message,
        "create_distributed_table_concurrently cannot run inside a transaction block");
      const range = await fails("SELECT create_distributed_table_concurrently('later', 'id', " +
        "'range')");
      assert.equal(range.message,
        "only hash-distributed tables can be distributed without blocking writes");
      const nullKey = await fails("SELECT create_distributed_table_concurrently('later', NULL)");
      assert.equal(nullKey.message, "cannot use create_distributed_table_concurrently to " +
        "create a distributed table with a null shard key, consider using " +
        "create_distributed_table()");
      notices.length = 0;
      await q(call);
      assert.deepEqual(notices, ["NOTICE: relation later does not have a REPLICA IDENTITY " +
        "or PRIMARY KEY"]);
      await same("SELECT count(*)::int AS n, sum(id)::int AS s FROM later");
      assert.deepEqual(await q("SELECT count(*)::int AS n FROM pg_dist_shard WHERE " +
        "logicalrelid = 'later'::regclass"), [{ n: 32 }]);
      const again = await fails(call);
      assert.equal(again.message, 'table "later" is already distributed');
    });
});
