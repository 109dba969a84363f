/**
 * Single-shard tables and schema-based sharding (Citus 12) on a real
 * `tessera cluster --workers 2`, with answers checked against PostgreSQL 15 holding the same
 * tables as plain ones: create_distributed_table(t, NULL) with its NOTICEs and catalog rows,
 * placement at colocationid % nodeCount, router execution (one task) of reads, writes, COPY,
 * joins within a colocation group and with reference tables, Citus's errors for what does
 * not apply or does not join shard by shard, DDL on the shard, undistribute_table; then
 * citus_schema_distribute / citus_schema_undistribute, citus.enable_schema_based_sharding,
 * CREATE TABLE in a distributed schema, pg_dist_schema, citus_schemas, citus_tables' 'schema'
 * type, DROP SCHEMA CASCADE, and the reserved "citus" setting prefix.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import pg from "pg";
import {
  clusterBesidePostgres, failureOf, SideBySide, type ClusterBesidePostgres,
  type ReferencePostgres, type Rows, type TesseraCluster,
} from "../harness/index.js";

describe("single-shard tables and distributed schemas", () => {
  let cluster: TesseraCluster;
  let reference: ReferencePostgres;
  let tessera: pg.Client;
  let postgres: pg.Client;
  let side: SideBySide;
  let servers: ClusterBesidePostgres;
  const notices: string[] = [];
  const q = async (sql: string, values: unknown[] = []): Promise<Rows> =>
    (await tessera.query(sql, values)).rows as Rows;
  const both = (sql: string): Promise<void> => side.both(sql);
  const same = (sql: string): Promise<Rows> => side.same(sql);
  /** The notices of one statement on Tessera. */
  const noticesOf = async (sql: string): Promise<string[]> => {
    notices.length = 0;
    await tessera.query(sql);
    return [...notices];
  };
  /** The node port of each shard placement of a table. */
  const placementPorts = async (table: string): Promise<number[]> =>
    (await q("SELECT nodeport FROM citus_shards WHERE table_name = $1::regclass", [table]))
      .map((r) => Number(r["nodeport"]));

  before(async () => {
    servers = await clusterBesidePostgres();
    ({ cluster, reference, tessera, postgres, side } = servers);
    tessera.on("notice", (msg) => notices.push(msg.message ?? ""));
  });
  after(async () => {
    await servers?.stop();
  });

  test("create_distributed_table(t, NULL) makes a single-shard table", async () => {
    await both("CREATE TABLE orders (id int PRIMARY KEY, customer text, amount numeric)");
    await both("INSERT INTO orders SELECT i, 'c' || (i % 3), i * 1.5 FROM " +
      "generate_series(1, 20) i");
    const said = await noticesOf("SELECT create_distributed_table('orders', NULL)");
    assert.deepEqual(said, ["Copying data from local table...",
      "copying the data has completed"]);
    const [partition] = await q("SELECT partmethod, partkey, repmodel, colocationid " +
      "FROM pg_dist_partition WHERE logicalrelid = 'orders'::regclass");
    assert.deepEqual({ ...partition, colocationid: undefined },
      { partmethod: "n", partkey: null, repmodel: "s", colocationid: undefined });
    const colocationId = Number(partition!["colocationid"]);
    assert.ok(colocationId > 0);
    assert.deepEqual(await q("SELECT shardcount, replicationfactor, distributioncolumntype, " +
      "distributioncolumncollation FROM pg_dist_colocation WHERE colocationid = $1",
    [colocationId]), [{ shardcount: 1, replicationfactor: 1, distributioncolumntype: 0,
      distributioncolumncollation: 0 }]);
    assert.deepEqual(await q("SELECT shardminvalue, shardmaxvalue FROM pg_dist_shard " +
      "WHERE logicalrelid = 'orders'::regclass"), [{ shardminvalue: null, shardmaxvalue: null }]);
    // A new group's shard goes to the node at colocationid % nodeCount (nodes by port here).
    const workers = [...cluster.workerPorts].sort((a, b) => a - b);
    assert.deepEqual(await placementPorts("orders"), [workers[colocationId % workers.length]]);
    assert.deepEqual(await q("SELECT citus_table_type, distribution_column, shard_count " +
      "FROM citus_tables WHERE table_name = 'orders'::regclass"),
    [{ citus_table_type: "distributed", distribution_column: "<none>", shard_count: "1" }]);
    const [shard] = await q("SELECT shardid FROM pg_dist_shard " +
      "WHERE logicalrelid = 'orders'::regclass");
    assert.deepEqual(await q("SELECT get_shard_id_for_distribution_column('orders') AS id"),
      [{ id: shard!["shardid"] }]);
    await same("SELECT * FROM orders ORDER BY id");
    // Rolled back, the table and its new group are gone again.
    await tessera.query("CREATE TABLE scratch (id int)");
    await tessera.query("BEGIN");
    await tessera.query("SELECT create_distributed_table('scratch', NULL, " +
      "colocate_with => 'none')");
    await tessera.query("INSERT INTO scratch VALUES (1)");
    await tessera.query("ROLLBACK");
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM pg_dist_partition " +
      "WHERE logicalrelid = 'scratch'::regclass"), [{ n: 0 }]);
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM pg_dist_colocation " +
      "WHERE colocationid > $1", [colocationId]), [{ n: 0 }]);
  });

  test("reads and writes run as one router task", async () => {
    await both("INSERT INTO orders VALUES (21, 'c9', 2), (22, 'c9', 3)");
    await both("UPDATE orders SET amount = amount + 1 WHERE customer = 'c1'");
    await both("DELETE FROM orders WHERE id IN (2, 4, 6)");
    await same("SELECT customer, count(*), sum(amount) FROM orders GROUP BY 1 ORDER BY 1");
    await same("SELECT id, rank() OVER (PARTITION BY customer ORDER BY amount DESC) " +
      "FROM orders ORDER BY id");
    await same("SELECT DISTINCT customer FROM orders WHERE amount > (SELECT avg(amount) " +
      "FROM orders) ORDER BY 1");
    await same("WITH big AS (SELECT * FROM orders WHERE amount > 10) " +
      "SELECT count(*) FROM big");
    const copy = "COPY orders (id, customer, amount) FROM STDIN;\n30\tc7\t1\n31\tc7\t2\n\\.\n";
    for (const port of [cluster.port, reference.port]) {
      execFileSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", "-",
        `host=127.0.0.1 port=${port} dbname=postgres user=postgres`], { input: copy });
    }
    await same("SELECT * FROM orders WHERE customer = 'c7' ORDER BY id");
    // Parameters (extended protocol) route to the same single shard.
    const params = "SELECT customer, amount FROM orders WHERE id = $1";
    assert.deepEqual((await tessera.query(params, [30])).rows,
      (await postgres.query(params, [30])).rows);
    const plan = (await q("EXPLAIN (COSTS OFF) SELECT * FROM orders WHERE amount > 3"))
      .map((r) => String(r["QUERY PLAN"]));
    assert.ok(plan.includes("  Task Count: 1"), plan.join("\n"));
    const update = (await q("EXPLAIN (COSTS OFF) UPDATE orders SET amount = 0 WHERE id = 1"))
      .map((r) => String(r["QUERY PLAN"]));
    assert.ok(update.includes("  Task Count: 1"), update.join("\n"));
  });

  test("joins within a colocation group and with reference tables push down", async () => {
    await both("CREATE TABLE items (order_id int, sku text, qty int)");
    await both("INSERT INTO items SELECT i % 25, 'sku' || (i % 4), i FROM " +
      "generate_series(1, 60) i");
    await tessera.query("SELECT create_distributed_table('items', NULL, " +
      "colocate_with => 'orders')");
    const groups = await q("SELECT DISTINCT colocationid FROM pg_dist_partition " +
      "WHERE logicalrelid IN ('orders'::regclass, 'items'::regclass)");
    assert.equal(groups.length, 1);
    assert.deepEqual(await placementPorts("items"), await placementPorts("orders"));
    await both("CREATE TABLE skus (sku text PRIMARY KEY, label text)");
    await both("INSERT INTO skus VALUES ('sku0', 'zero'), ('sku1', 'one'), ('sku2', 'two')");
    await tessera.query("SELECT create_reference_table('skus')");
    await same("SELECT o.customer, sum(i.qty) FROM orders o JOIN items i ON i.order_id = o.id " +
      "GROUP BY 1 ORDER BY 1");
    await same("SELECT o.id, s.label, count(*) FROM orders o JOIN items i ON i.order_id = o.id " +
      "LEFT JOIN skus s ON s.sku = i.sku GROUP BY 1, 2 ORDER BY 1, 2");
    await same("SELECT id FROM orders o WHERE NOT EXISTS (SELECT 1 FROM items i " +
      "WHERE i.order_id = o.id) ORDER BY 1");
    await same("SELECT count(*) FROM orders o FULL JOIN items i ON i.order_id = o.id");
    const plan = (await q("EXPLAIN (COSTS OFF) SELECT count(*) FROM orders o " +
      "JOIN items i ON i.order_id = o.id JOIN skus s USING (sku)"))
      .map((r) => String(r["QUERY PLAN"]));
    assert.ok(plan.includes("  Task Count: 1"), plan.join("\n"));
  });

  test("other groups and hash tables: Citus's errors, or a repartition join", async () => {
    await both("CREATE TABLE loners (id int, note text)");
    await both("INSERT INTO loners VALUES (1, 'a'), (3, 'b'), (40, 'c')");
    await tessera.query("SELECT create_distributed_table('loners', NULL, colocate_with => 'none')");
    await both("CREATE TABLE hashed (id int, v int)");
    await both("INSERT INTO hashed SELECT i, i * 10 FROM generate_series(1, 10) i");
    await tessera.query("SELECT create_distributed_table('hashed', 'id')");
    for (const other of ["loners", "hashed"]) {
      const sql = `SELECT o.id FROM orders o JOIN ${other} x ON x.id = o.id ORDER BY 1`;
      const error = await failureOf(tessera, sql);
      assert.equal(error.code, "XX000");
      assert.equal(error.message, "the query contains a join that requires repartitioning");
      await tessera.query("SET citus.enable_repartition_joins TO on");
      await same(sql);
      await same(`SELECT id, o.customer FROM orders o JOIN ${other} USING (id) ORDER BY 1`);
      await tessera.query("RESET citus.enable_repartition_joins");
    }
    const outer = await failureOf(tessera,
      "SELECT count(*) FROM orders o LEFT JOIN loners l USING (id)");
    assert.equal(outer.code, "0A000");
    const errors: [string, string, string][] = [
      ["SELECT create_distributed_table('loners2', NULL, shard_count => 4)", "XX000",
        "shard_count can't be specified when the distribution column is null because in " +
        "that case it's automatically set to 1"],
      ["SELECT create_distributed_table('loners2', NULL, distribution_type => 'range')",
        "XX000", "distribution_type can't be specified when the distribution column is null "],
      ["SELECT create_distributed_table('loners2', NULL, colocate_with => 'hashed')", "XX000",
        "cannot colocate tables hashed and loners2"],
      ["SELECT create_distributed_table('orders', NULL)", "42P16",
        'table "orders" is already distributed'],
    ];
    await tessera.query("CREATE TABLE loners2 (id int)");
    for (const [sql, code, message] of errors) {
      const error = await failureOf(tessera, sql);
      assert.deepEqual([error.code, error.message], [code, message], sql);
    }
    await tessera.query("SET citus.shard_replication_factor TO 2");
    const factor = await failureOf(tessera, "SELECT create_distributed_table('loners2', NULL)");
    assert.equal(factor.message, "could not create single shard table: " +
      "citus.shard_replication_factor is greater than 1");
    await tessera.query("RESET citus.shard_replication_factor");
  });

  test("DDL reaches the shard; undistribute_table brings the rows back", async () => {
    await both("ALTER TABLE loners ADD COLUMN flag boolean DEFAULT true");
    await both("CREATE INDEX loners_note ON loners (note)");
    await same("SELECT * FROM loners ORDER BY id");
    const shards = await q("SELECT success, result FROM run_command_on_shards('loners', " +
      "$$SELECT count(*) FROM pg_indexes WHERE tablename = '%s'$$)");
    assert.equal(shards.length, 1);
    await tessera.query("SELECT undistribute_table('loners')");
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM pg_dist_partition " +
      "WHERE logicalrelid = 'loners'::regclass"), [{ n: 0 }]);
    await same("SELECT * FROM loners ORDER BY id");
  });

  test("the citus setting prefix is reserved; schema-based sharding is a real setting",
    async () => {
      const bogus = await failureOf(tessera, "SET citus.bogus = 1");
      assert.deepEqual([bogus.code, bogus.message, bogus.detail], ["42602",
        'invalid configuration parameter name "citus.bogus"', '"citus" is a reserved prefix.']);
      assert.deepEqual(await q("SHOW citus.enable_schema_based_sharding"),
        [{ "citus.enable_schema_based_sharding": "off" }]);
      // Other prefixes stay placeholders, as in PostgreSQL.
      await same("SELECT set_config('myapp.tenant', 'acme', false) AS v");
    });

  test("citus_schema_distribute turns a schema's tables into one colocation group",
    async () => {
      await both("CREATE SCHEMA shop");
      await both("CREATE TABLE shop.products (id int PRIMARY KEY, name text)");
      await both("CREATE TABLE shop.stock (product_id int REFERENCES shop.products (id), " +
        "qty int)");
      await both("INSERT INTO shop.products SELECT i, 'p' || i FROM generate_series(1, 8) i");
      await both("INSERT INTO shop.stock SELECT i % 8 + 1, i FROM generate_series(1, 30) i");
      const said = await noticesOf("SELECT citus_schema_distribute('shop')");
      assert.equal(said[0], "distributing the schema shop");
      assert.deepEqual(await noticesOf("SELECT citus_schema_distribute('shop')"),
        ["schema shop is already distributed"]);
      const [schema] = await q("SELECT schemaid::text AS schema, colocationid " +
        "FROM pg_dist_schema");
      assert.equal(schema!["schema"], "shop");
      assert.deepEqual(await q("SELECT table_name::text, citus_table_type, colocation_id " +
        "FROM citus_tables WHERE citus_table_type = 'schema' ORDER BY 1"), [
        { table_name: "shop.products", citus_table_type: "schema",
          colocation_id: schema!["colocationid"] },
        { table_name: "shop.stock", citus_table_type: "schema",
          colocation_id: schema!["colocationid"] }]);
      const [view] = await q("SELECT schema_name::text, colocation_id, schema_owner, " +
        "schema_size FROM citus_schemas");
      assert.deepEqual({ ...view, schema_size: undefined }, { schema_name: "shop",
        colocation_id: schema!["colocationid"], schema_owner: "postgres",
        schema_size: undefined });
      assert.match(String(view!["schema_size"]), /^\d+ (bytes|kB)$/);
      await same("SELECT p.name, sum(s.qty) FROM shop.products p JOIN shop.stock s " +
        "ON s.product_id = p.id GROUP BY 1 ORDER BY 1");
      const error = await failureOf(tessera, "SELECT citus_schema_distribute('public')");
      assert.equal(error.message, "public schema cannot be distributed");
      const tenant = await failureOf(tessera, "SELECT undistribute_table('shop.stock')");
      assert.equal(tenant.message, "shop.stock is not allowed for undistribute_table because " +
        "it belongs to a distributed schema");
    });

  test("CREATE SCHEMA with citus.enable_schema_based_sharding; CREATE TABLE; DROP SCHEMA",
    async () => {
      await tessera.query("SET citus.enable_schema_based_sharding TO on");
      await both("CREATE SCHEMA tenant_a");
      await tessera.query("RESET citus.enable_schema_based_sharding");
      await both("CREATE TABLE tenant_a.users (id int PRIMARY KEY, email text)");
      await both("CREATE TABLE tenant_a.events (user_id int, kind text)");
      await both("INSERT INTO tenant_a.users VALUES (1, 'a@x'), (2, 'b@x')");
      await both("INSERT INTO tenant_a.events VALUES (1, 'login'), (1, 'buy'), (2, 'login')");
      const rows = await q("SELECT p.logicalrelid::text AS t, p.colocationid = s.colocationid " +
        "AS same FROM pg_dist_partition p, pg_dist_schema s WHERE s.schemaid::text = " +
        "'tenant_a' AND p.logicalrelid::text LIKE 'tenant_a.%' ORDER BY 1");
      assert.deepEqual(rows, [{ t: "tenant_a.events", same: true },
        { t: "tenant_a.users", same: true }]);
      assert.deepEqual(await placementPorts("tenant_a.users"),
        await placementPorts("tenant_a.events"));
      await same("SELECT u.email, count(*) FROM tenant_a.users u JOIN tenant_a.events e " +
        "ON e.user_id = u.id GROUP BY 1 ORDER BY 1");
      // Foreign keys within the group, and statements with subqueries, run on its node.
      await both("ALTER TABLE tenant_a.events ADD CONSTRAINT events_user " +
        "FOREIGN KEY (user_id) REFERENCES tenant_a.users (id)");
      const fk = await failureOf(tessera, "INSERT INTO tenant_a.events VALUES (9, 'x')");
      assert.equal(fk.code, "23503");
      await both("UPDATE tenant_a.users SET email = upper(email) WHERE id IN " +
        "(SELECT user_id FROM tenant_a.events WHERE kind = 'buy')");
      await both("DELETE FROM tenant_a.events WHERE user_id NOT IN (SELECT id FROM " +
        "tenant_a.users WHERE email LIKE 'A%')");
      await same("SELECT * FROM tenant_a.users ORDER BY id");
      await same("SELECT * FROM tenant_a.events ORDER BY user_id, kind");
      const cross = await failureOf(tessera, "SELECT count(*) FROM tenant_a.users u " +
        "JOIN shop.products p ON p.id = u.id");
      assert.equal(cross.code, "XX000");
      const groups = await q("SELECT colocationid FROM pg_dist_schema " +
        "WHERE schemaid::text = 'tenant_a'");
      await both("DROP SCHEMA tenant_a CASCADE");
      assert.deepEqual(await q("SELECT count(*)::int AS n FROM pg_dist_schema " +
        "WHERE schemaid::text = 'tenant_a'"), [{ n: 0 }]);
      assert.deepEqual(await q("SELECT count(*)::int AS n FROM pg_dist_colocation " +
        "WHERE colocationid = $1", [groups[0]!["colocationid"]]), [{ n: 0 }]);
      assert.deepEqual(await q("SELECT count(*)::int AS n FROM pg_dist_partition " +
        "WHERE logicalrelid::text LIKE 'tenant_a.%'"), [{ n: 0 }]);
      await both("CREATE SCHEMA plain");
      assert.deepEqual(await q("SELECT count(*)::int AS n FROM pg_dist_schema " +
        "WHERE schemaid::text = 'plain'"), [{ n: 0 }]);
    });

  test("citus_schema_undistribute turns the tables back into local tables", async () => {
    await both("CREATE SCHEMA flat");
    await both("CREATE TABLE flat.notes (id int, body text)");
    await both("INSERT INTO flat.notes VALUES (1, 'x'), (2, 'y')");
    await tessera.query("SELECT citus_schema_distribute('flat')");
    await both("INSERT INTO flat.notes VALUES (3, 'z')");
    const said = await noticesOf("SELECT citus_schema_undistribute('flat')");
    assert.equal(said[0], "undistributing schema flat");
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM pg_dist_schema " +
      "WHERE schemaid::text = 'flat'"), [{ n: 0 }]);
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM pg_dist_partition " +
      "WHERE logicalrelid = 'flat.notes'::regclass"), [{ n: 0 }]);
    await same("SELECT * FROM flat.notes ORDER BY id");
    const again = await failureOf(tessera, "SELECT citus_schema_undistribute('flat')");
    assert.equal(again.message, "schema flat is not distributed");
  });
});
