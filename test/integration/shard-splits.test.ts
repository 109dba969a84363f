/**
 * Shard splits on a real `tessera cluster --workers 2`, beside PostgreSQL 15 holding the same
 * plain tables: isolate_tenant_to_new_shard puts one tenant's rows (of a table and its
 * colocated table) alone in a shard; citus_split_shard_by_split_points cuts a shard onto both
 * workers; every answer stays PostgreSQL's, and routing, inserts, EXPLAIN, moves and a new
 * colocated table follow the unequal ranges; Citus's errors.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import {
  SideBySide, clusterBesidePostgres, failureOf, type ClusterBesidePostgres, type Rows,
  type TesseraCluster,
} from "../harness/index.js";

describe("shard splits", () => {
  let servers: ClusterBesidePostgres;
  let cluster: TesseraCluster;
  let tessera: pg.Client;
  let side: SideBySide;
  const q = async (sql: string, values: unknown[] = []): Promise<Rows> =>
    (await tessera.query(sql, values)).rows as Rows;
  const fails = (sql: string): Promise<pg.DatabaseError> => failureOf(tessera, sql);
  const same = (sql: string): Promise<Rows> => side.same(sql);
  const both = (sql: string): Promise<void> => side.both(sql);
  const answers = async (): Promise<void> => {
    await same("SELECT count(*)::int AS n, sum(id)::int AS s FROM accounts");
    await same("SELECT id, name FROM accounts WHERE id = 7");
    await same("SELECT count(*)::int AS n, sum(amount)::int AS s FROM orders WHERE " +
      "account_id = 7");
    await same("SELECT a.id, count(*)::int AS n, sum(o.amount)::int AS s FROM accounts a " +
      "JOIN orders o ON o.account_id = a.id JOIN kinds k ON k.k = a.id % 3 GROUP BY a.id " +
      "ORDER BY a.id LIMIT 30");
    await same("SELECT account_id % 5 AS g, count(*)::int AS n FROM orders GROUP BY 1 " +
      "ORDER BY 1");
  };
  const shardRows = async (table: string): Promise<Rows> => q("SELECT s.shardid::int AS id, " +
    "shardminvalue::int AS min, shardmaxvalue::int AS max, n.nodeport AS port FROM " +
    "pg_dist_shard s JOIN pg_dist_placement p USING (shardid) JOIN pg_dist_node n USING " +
    `(groupid) WHERE logicalrelid = '${table}'::regclass ORDER BY 2`);
  const perShard = async (table: string): Promise<Map<number, number>> => {
    const rows = await q(`SELECT shardid::int AS id, result::int AS n FROM ` +
      `run_command_on_shards('${table}', 'SELECT count(*) FROM %s')`);
    return new Map(rows.map((r) => [Number(r["id"]), Number(r["n"])]));
  };

  const widest = (shards: Rows): Rows[number] => shards.reduce((a, b) =>
    (Number(b["max"]) - Number(b["min"]) > Number(a["max"]) - Number(a["min"]) ? b : a));

  before(async () => {
    servers = await clusterBesidePostgres();
    ({ cluster, tessera, side } = servers);
    await both("CREATE TABLE accounts (id int PRIMARY KEY, name text)");
    await both("CREATE TABLE orders (account_id int, n int, amount int, " +
      "PRIMARY KEY (account_id, n))");
    await both("CREATE TABLE kinds (k int PRIMARY KEY, label text)");
    await q("SELECT create_distributed_table('accounts', 'id', shard_count => 4)");
    await q("SELECT create_distributed_table('orders', 'account_id', colocate_with => " +
      "'accounts')");
    await q("SELECT create_reference_table('kinds')");
    await both("ALTER TABLE orders ADD FOREIGN KEY (account_id) REFERENCES accounts (id)");
    await both("INSERT INTO accounts SELECT g, 'a' || g FROM generate_series(1, 300) g");
    await both("INSERT INTO orders SELECT g % 300 + 1, g, g % 97 FROM " +
      "generate_series(1, 1200) g");
    await both("INSERT INTO kinds VALUES (0, 'zero'), (1, 'one'), (2, 'two')");
  });
  after(async () => {
    await servers?.stop();
  });

  test("isolate_tenant_to_new_shard puts one tenant alone in its shards", async () => {
    await answers();
    const refused = await fails("SELECT isolate_tenant_to_new_shard('accounts', 7)");
    assert.equal(refused.code, "0A000");
    assert.equal(refused.message, 'cannot isolate tenant because "accounts" has colocated ' +
      "tables");
    assert.equal(refused.hint, "Use CASCADE option to isolate tenants for the colocated " +
      "tables too. Example usage: isolate_tenant_to_new_shard('accounts', '7', 'CASCADE')");
    const [row] = await q("SELECT isolate_tenant_to_new_shard('accounts', 7, 'CASCADE') AS id");
    const id = Number(row!["id"]);
    assert.deepEqual(await q("SELECT get_shard_id_for_distribution_column('accounts', 7)::int " +
      "AS id"), [{ id }]);
    const shards = await shardRows("accounts");
    assert.equal(shards.length, 6, JSON.stringify(shards));
    const own = shards.find((s) => s["id"] === id)!;
    assert.equal(own["min"], own["max"]);
    // The new shards took ids after the old ones; each group member was split the same way.
    const orders = await shardRows("orders");
    assert.deepEqual(orders.map((s) => [s["min"], s["max"], s["port"]]),
      shards.map((s) => [s["min"], s["max"], s["port"]]));
    assert.equal((await perShard("accounts")).get(id), 1);
    const index = shards.indexOf(own);
    const [count] = await side.same("SELECT count(*)::int AS n FROM orders WHERE " +
      "account_id = 7");
    assert.equal((await perShard("orders")).get(Number(orders[index]!["id"])), count!["n"]);
    await answers();
    const again = await fails("SELECT isolate_tenant_to_new_shard('accounts', 7, 'CASCADE')");
    assert.equal(again.code, "55000");
    assert.equal(again.message, "table accounts has already been isolated for the given value");
    // Writes and router plans follow the new ranges.
    await both("INSERT INTO orders VALUES (7, 5000, 1), (8, 5000, 2)");
    await both("UPDATE accounts SET name = 'seven' WHERE id = 7");
    await answers();
    const plan = (await q("EXPLAIN (COSTS OFF) SELECT * FROM accounts WHERE id = 7"))
      .map((r) => String(r["QUERY PLAN"])).join("\n");
    assert.match(plan, new RegExp(`accounts_${id} `), plan);
    assert.equal((await perShard("orders")).get(Number(orders[index]!["id"])),
      Number(count!["n"]) + 1);
  });

  test("citus_split_shard_by_split_points cuts a shard onto both workers", async () => {
    const nodes = await q("SELECT nodeid, nodeport FROM pg_dist_node WHERE groupid > 0 " +
      "ORDER BY nodeport");
    const [n1, n2] = nodes.map((r) => Number(r["nodeid"]));
    const before = await shardRows("accounts");
    const first = widest(before);
    const [min, max] = [Number(first["min"]), Number(first["max"])];
    const third = Math.floor((max - min) / 3);
    const [p1, p2] = [min + third, min + 2 * third];
    // Node n1 is on port w1, n2 on w2.
    const [w1, w2] = nodes.map((r) => Number(r["nodeport"]));
    await q("SELECT citus_split_shard_by_split_points($1, ARRAY[$2, $3]::text[], " +
      "ARRAY[$4, $5, $4]::int[])",
      [first["id"], String(p1), String(p2), n2, n1]);
    const shards = await shardRows("accounts");
    const at = before.indexOf(first);
    assert.deepEqual(shards.slice(at, at + 3).map((s) => [s["min"], s["max"], s["port"]]), [
      [min, p1, w2], [p1 + 1, p2, w1], [p2 + 1, max, w2]]);
    assert.equal(shards.length, 8);
    assert.ok(shards.slice(at, at + 3).every((s) => Number(s["id"]) > Number(first["id"])));
    const counts = await perShard("accounts");
    assert.equal([...counts.values()].reduce((a, b) => a + b, 0), 300);
    await answers();
    // The routing, COPY-free inserts, the rebalancer's move and a new colocated table.
    await both("INSERT INTO accounts SELECT g, 'b' || g FROM generate_series(301, 400) g");
    await both("INSERT INTO orders SELECT g, 1, g FROM generate_series(301, 400) g");
    await answers();
    await q("SELECT citus_move_shard_placement($1, '127.0.0.1', $2, '127.0.0.1', $3, " +
      "'block_writes')", [shards[at + 1]!["id"], w1, w2]);
    assert.equal((await shardRows("orders"))[at + 1]!["port"], w2);
    await answers();
    await both("CREATE TABLE visits (account_id int, at int)");
    await q("SELECT create_distributed_table('visits', 'account_id', colocate_with => " +
      "'accounts')");
    await both("INSERT INTO visits SELECT g % 400 + 1, g FROM generate_series(1, 800) g");
    assert.deepEqual((await shardRows("visits")).map((s) => [s["min"], s["max"], s["port"]]),
      (await shardRows("accounts")).map((s) => [s["min"], s["max"], s["port"]]));
    await same("SELECT a.id % 4 AS g, count(*)::int AS n FROM accounts a JOIN visits v ON " +
      "v.account_id = a.id GROUP BY 1 ORDER BY 1");
    const listed = await q("SELECT shardid::int AS id, nodeport FROM citus_shards WHERE " +
      "table_name = 'accounts'::regclass ORDER BY 1");
    assert.deepEqual(listed.map((r) => [r["id"], r["nodeport"]]),
      (await shardRows("accounts")).map((s) => [s["id"], s["port"]])
        .sort((a, b) => Number(a[0]) - Number(b[0])));
  });

  test("split errors are Citus's", async () => {
    const shard = widest(await shardRows("accounts"));
    const id = Number(shard!["id"]);
    const [min, max] = [Number(shard!["min"]), Number(shard!["max"])];
    const split = (points: string, nodes: string): Promise<pg.DatabaseError> => fails(
      `SELECT citus_split_shard_by_split_points(${id}, ARRAY[${points}]::text[], ` +
      `ARRAY[${nodes}]::int[], 'block_writes')`);
    const [n1] = (await q("SELECT nodeid FROM pg_dist_node WHERE groupid > 0 ORDER BY 1"))
      .map((r) => Number(r["nodeid"]));
    const cases: [Promise<pg.DatabaseError>, string, string][] = [
      [split(`'${min}'`, `${n1}`), "42601", "Number of worker node ids should be one greater " +
        "split points. NodeId count is '1' and SplitPoint count is '1'."],
      [split(`'${max + 1}'`, `${n1}, ${n1}`), "42601", `Split point ${max + 1} is outside the ` +
        `min/max range(${min}, ${max}) for shard id ${id}.`],
      [split(`'${max}'`, `${n1}, ${n1}`), "42601", `Invalid split point ${max}, as split ` +
        `points should be inclusive. Please use ${max - 1} instead.`],
      [split(`'${min + 10}', '${min + 5}'`, `${n1}, ${n1}, ${n1}`), "42601", "Invalid Split " +
        `Points '${min + 10}' followed by '${min + 5}'. All split points should be strictly ` +
        "increasing."],
      [split(`'${min + 10}'`, `${n1}, 999`), "25001", "Invalid Node Id '999'."],
      [split("'abc'", `${n1}, ${n1}`), "22P02", 'invalid input syntax for type integer: "abc"'],
    ];
    for (const [failure, code, message] of cases) {
      const error = await failure;
      assert.equal(error.message, message);
      assert.equal(error.code, code, message);
    }
    const [kind] = await q("SELECT shardid::int AS id FROM pg_dist_shard WHERE logicalrelid = " +
      "'kinds'::regclass");
    const reference = await fails("SELECT citus_split_shard_by_split_points(" +
      `${String(kind!["id"])}, ARRAY['0'], ARRAY[${n1}, ${n1}], 'block_writes')`);
    assert.equal(reference.code, "0A000");
    assert.equal(reference.message, "Cannot split shard as operation is only supported for " +
      "hash distributed tables.");
    const [visit] = await shardRows("visits");
    const identity = await fails("SELECT citus_split_shard_by_split_points(" +
      `${String(visit!["id"])}, ARRAY['${min + 10}'], ARRAY[${n1}, ${n1}])`);
    assert.equal(identity.code, "0A000");
    assert.match(identity.message, /doesn't have a REPLICA IDENTITY or PRIMARY KEY/);
    const notHash = await fails("SELECT isolate_tenant_to_new_shard('kinds', 1)");
    assert.equal(notHash.message, "cannot isolate tenant because tenant isolation is only " +
      "support for hash distributed tables");
    await q("BEGIN");
    const inBlock = await fails("SELECT isolate_tenant_to_new_shard('accounts', 9, 'CASCADE')");
    await q("ROLLBACK");
    assert.equal(inBlock.code, "0A000");
    assert.match(inBlock.message, /^isolate_tenant_to_new_shard\(\) inside a transaction block/);
    // Nothing changed.
    assert.equal((await shardRows("accounts")).length, 8);
    await answers();
  });

  test("writes during a split wait and none is lost", async () => {
    const writer = new pg.Client({ connectionString: cluster.url });
    await writer.connect();
    try {
      const values = Array.from({ length: 60 },
        (_, i) => `(${(i * 37) % 400 + 1}, ${6000 + i}, 3)`);
      const split = q("SELECT isolate_tenant_to_new_shard('accounts', 100, 'CASCADE', " +
        "'block_writes')");
      const writes = (async (): Promise<void> => {
        for (const row of values) await writer.query(`INSERT INTO orders VALUES ${row}`);
      })();
      await Promise.all([split, writes]);
      await servers.postgres.query(`INSERT INTO orders VALUES ${values.join(", ")}`);
      await answers();
      await same("SELECT count(*)::int AS n, sum(n)::int AS s FROM orders");
      assert.ok((await shardRows("accounts")).length > 8);
      assert.equal((await perShard("accounts")).get(Number((await q("SELECT " +
        "get_shard_id_for_distribution_column('accounts', 100)::int AS id"))[0]!["id"])), 1);
    } finally {
      await writer.end();
    }
  });
});
