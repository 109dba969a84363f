/**
 * alter_distributed_table and update_distributed_table_colocation on a real
 * `tessera cluster --workers 2`, beside PostgreSQL 15 holding the same plain tables: the
 * shard count, the distribution column and the colocation change, with and without
 * cascade_to_colocated; the rows, the router plans, indexes, defaults, sequences, views and
 * foreign keys survive; Citus's NOTICEs, WARNINGs and errors (text, DETAIL, HINT, SQLSTATE);
 * a rebuild inside a transaction block rolls back; colocation groups change in the metadata.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import {
  clusterBesidePostgres, failureOf, type ClusterBesidePostgres, type Rows, type SideBySide,
} from "../harness/index.js";

describe("alter_distributed_table", () => {
  let servers: ClusterBesidePostgres;
  let tessera: pg.Client;
  let side: SideBySide;
  const notices: string[] = [];
  const q = async (sql: string): Promise<Rows> => (await tessera.query(sql)).rows as Rows;
  const same = (sql: string): Promise<Rows> => side.same(sql);
  const both = (sql: string): Promise<void> => side.both(sql);
  const shardCount = async (table: string): Promise<number> => Number((await q(
    `SELECT count(*) AS n FROM citus_shards WHERE table_name = '${table}'::regclass`))[0]!["n"]);
  const group = async (table: string): Promise<number> => Number((await q("SELECT " +
    `colocationid FROM pg_dist_partition WHERE logicalrelid = '${table}'::regclass`))[0]![
    "colocationid"]);
  const fails = async (sql: string, code: string, message: string,
    fields: { detail?: string; hint?: string } = {}): Promise<void> => {
    const error = await failureOf(tessera, sql);
    assert.equal(error.message, message, sql);
    assert.equal(error.code, code, sql);
    assert.equal(error.detail, fields.detail, sql);
    assert.equal(error.hint, fields.hint, sql);
  };
  const answers = async (): Promise<void> => {
    await same("SELECT count(*)::int AS n, sum(id)::int AS s, max(v) AS v FROM items");
    await same("SELECT id, k, v, seq FROM items WHERE id = 42");
    await same("SELECT i.id, n.note, k.name FROM items i JOIN notes n ON n.id = i.id " +
      "JOIN kinds k ON k.k = i.k ORDER BY i.id, n.note LIMIT 20");
    await same("SELECT * FROM item_view ORDER BY id LIMIT 5");
  };
  const routed = async (sql: string): Promise<void> => {
    const plan = (await q(`EXPLAIN (COSTS OFF) ${sql}`)).map((r) => String(r["QUERY PLAN"]));
    assert.ok(plan.some((line) => line.includes("Task Count: 1")), plan.join("\n"));
  };

  before(async () => {
    servers = await clusterBesidePostgres();
    ({ tessera, side } = servers);
    tessera.on("notice", (n) => notices.push(`${n.severity}: ${n.message}`));
    await both("CREATE TABLE kinds (k int PRIMARY KEY, name text)");
    await both("CREATE TABLE items (id int PRIMARY KEY, k int REFERENCES kinds (k), " +
      "v text DEFAULT 'fresh', seq serial)");
    await both("CREATE INDEX items_v ON items (v)");
    await both("CREATE TABLE notes (id int, note text)");
    await q("SELECT create_reference_table('kinds')");
    await q("SELECT create_distributed_table('items', 'id', shard_count => 4)");
    await q("SELECT create_distributed_table('notes', 'id', colocate_with => 'items')");
    await both("INSERT INTO kinds SELECT g, 'kind ' || g FROM generate_series(0, 4) g");
    await both("INSERT INTO items (id, k, v) SELECT g, g % 5, 'v' || g " +
      "FROM generate_series(1, 300) g");
    await both("INSERT INTO notes SELECT g % 150 + 1, 'n' || g FROM generate_series(1, 400) g");
    await both("ALTER TABLE notes ADD CONSTRAINT notes_id_fkey FOREIGN KEY (id) " +
      "REFERENCES items (id)");
    await both("CREATE VIEW item_view AS SELECT id, v FROM items WHERE id % 2 = 0");
  });
  after(async () => {
    await servers?.stop();
  });

  test("shard_count with cascade_to_colocated => true rebuilds the colocation group", async () => {
    await answers();
    await fails("SELECT alter_distributed_table('items', shard_count := 6)", "XX000",
      "cascade_to_colocated parameter is necessary", {
        detail: "this table is colocated with some other tables",
        hint: "cascade_to_colocated := false will break the current colocation, " +
          "cascade_to_colocated := true will change the shard count of colocated tables too.",
      });
    const before = await group("items");
    notices.length = 0;
    await q("SELECT alter_distributed_table('items', shard_count := 6, " +
      "cascade_to_colocated := true)");
    assert.deepEqual(notices, ["items", "notes"].flatMap((t) => [
      `NOTICE: creating a new table for public.${t}`, `NOTICE: moving the data of public.${t}`,
      `NOTICE: dropping the old public.${t}`, `NOTICE: renaming the new table to public.${t}`]));
    assert.equal(await shardCount("items"), 6);
    assert.equal(await shardCount("notes"), 6);
    assert.equal(await group("items"), await group("notes"));
    assert.notEqual(await group("items"), before);
    assert.deepEqual(await q("SELECT shardcount FROM pg_dist_colocation WHERE colocationid = " +
      `${await group("items")}`), [{ shardcount: 6 }]);
    assert.deepEqual(await q(`SELECT count(*)::int AS n FROM pg_dist_colocation WHERE ` +
      `colocationid = ${before}`), [{ n: 0 }]);
    await answers();
    await routed("SELECT * FROM items WHERE id = 42");
    await routed("SELECT * FROM items i JOIN notes n USING (id) WHERE i.id = 7");
    // Defaults, the owned sequence, the index and both foreign keys still hold.
    await both("INSERT INTO items (id, k) VALUES (1001, 3)");
    await same("SELECT id, v, seq FROM items WHERE id = 1001");
    await both("INSERT INTO notes VALUES (1001, 'late')");
    const orphan = await failureOf(tessera, "INSERT INTO notes VALUES (5000, 'orphan')");
    assert.equal(orphan.code, "23503");
    const kind = await failureOf(tessera, "INSERT INTO items (id, k) VALUES (5000, 99)");
    assert.equal(kind.code, "23503");
    assert.deepEqual(await q("SELECT indexname FROM pg_indexes WHERE tablename = 'items' " +
      "ORDER BY 1"), [{ indexname: "items_pkey" }, { indexname: "items_v" }]);
    await answers();
  });

  test("distribution_column and colocate_with", async () => {
    await both("CREATE TABLE events (id int, dev int, payload text)");
    await q("SELECT create_distributed_table('events', 'id', colocate_with := 'none', " +
      "shard_count := 4)");
    await both("INSERT INTO events SELECT g, g % 17, 'p' || g FROM generate_series(1, 200) g");
    const before = await group("events");
    notices.length = 0;
    await q("SELECT alter_distributed_table('events', distribution_column := 'dev')");
    assert.equal(notices.length, 4, notices.join("\n"));
    assert.deepEqual(await q("SELECT distribution_column, shard_count::int FROM citus_tables " +
      "WHERE table_name = 'events'::regclass"), [{ distribution_column: "dev", shard_count: 4 }]);
    assert.match(String((await q("SELECT partkey FROM pg_dist_partition WHERE logicalrelid = " +
      "'events'::regclass"))[0]!["partkey"]), /:varattno 2 /);
    // Same column type and shard count: Citus keeps the table's own group.
    assert.equal(await group("events"), before);
    await same("SELECT dev, count(*)::int AS n, min(payload) AS p FROM events " +
      "GROUP BY dev ORDER BY dev");
    await routed("SELECT * FROM events WHERE dev = 3");
    await same("SELECT id, payload FROM events WHERE dev = 3 ORDER BY id");
    notices.length = 0;
    await q("SELECT alter_distributed_table('events', colocate_with := 'items')");
    assert.equal(await group("events"), await group("items"));
    assert.equal(await shardCount("events"), 6);
    await same("SELECT count(*)::int AS n, sum(id)::int AS s FROM events");
    await fails("SELECT alter_distributed_table('events', colocate_with := 'items')", "XX000",
      "this call doesn't change any properties of the table",
      { hint: "check citus_tables view to see current properties of the table" });
    notices.length = 0;
    await q("SELECT alter_distributed_table('events', colocate_with := 'items', " +
      "distribution_column := 'id')");
    assert.equal(notices[0], "NOTICE: table is already colocated with items");
    await q("SELECT alter_distributed_table('events', colocate_with := 'none')");
    notices.length = 0;
    await q("SELECT alter_distributed_table('events', distribution_column := 'id', " +
      "shard_count := 5)");
    assert.equal(notices[0], "NOTICE: table is already distributed by id");
    assert.equal(await shardCount("events"), 5);
    await same("SELECT count(*)::int AS n, sum(dev)::int AS s FROM events");
  });

  test("writes during a rebuild wait for it and none is lost", async () => {
    const writer = new pg.Client({ connectionString: servers.cluster.url });
    await writer.connect();
    let stop = false;
    let written = 0;
    const writes = (async (): Promise<void> => {
      while (!stop) {
        await writer.query(`INSERT INTO events VALUES (${10_000 + written}, 1, 'w')`);
        written++;
      }
    })();
    try {
      await new Promise((resolve) => setTimeout(resolve, 100));
      await q("SELECT alter_distributed_table('events', shard_count := 3)");
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      stop = true;
      await writes;
      await writer.end();
    }
    assert.ok(written > 0);
    assert.equal(await shardCount("events"), 3);
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM events WHERE id >= 10000"),
      [{ n: written }]);
    await q("DELETE FROM events WHERE id >= 10000");
    await same("SELECT count(*)::int AS n, sum(id)::int AS s FROM events");
  });

  test("cascade_to_colocated => false breaks the colocation and drops foreign keys", async () => {
    notices.length = 0;
    await q("SELECT alter_distributed_table('notes', shard_count := 3, " +
      "cascade_to_colocated := false)");
    assert.equal(notices[0], "WARNING: foreign key notes_id_fkey will be dropped");
    assert.equal(await shardCount("notes"), 3);
    assert.notEqual(await group("notes"), await group("items"));
    assert.deepEqual(await q("SELECT conname FROM pg_constraint WHERE conrelid = " +
      "'notes'::regclass AND contype = 'f'"), []);
    await both("ALTER TABLE notes DROP CONSTRAINT IF EXISTS notes_id_fkey");
    await same("SELECT id, count(*)::int AS n FROM notes GROUP BY id ORDER BY id LIMIT 10");
    // Colocated again (6 shards, items' group), so the joins push down once more.
    await q("SELECT alter_distributed_table('notes', colocate_with := 'items')");
    assert.equal(await group("notes"), await group("items"));
    assert.equal(await shardCount("notes"), 6);
    await answers();
  });

  test("Citus's errors", async () => {
    await q("CREATE TABLE a_none (id int)");
    await q("SELECT create_distributed_table('a_none', 'id', colocate_with := 'none', " +
      "shard_count := 2)");
    const adt = (args: string): string => `SELECT alter_distributed_table('items'${args})`;
    await fails(adt(""), "XX000", "you have to specify at least one of the " +
      "distribution_column, shard_count or colocate_with parameters");
    await fails(adt(", cascade_to_colocated := false"), "XX000", "you have to specify at " +
      "least one of the distribution_column, shard_count or colocate_with parameters");
    await fails(adt(", shard_count := 6"), "XX000",
      "this call doesn't change any properties of the table",
      { hint: "check citus_tables view to see current properties of the table" });
    await fails(adt(", shard_count := 0"), "XX000", "shard_count cannot be 0", {
      hint: "if you no longer want this to be a distributed table you can try " +
        "undistribute_table() function" });
    await fails(adt(", distribution_column := 'k', cascade_to_colocated := true"), "XX000",
      "distribution_column cannot be cascaded to colocated tables");
    await fails(adt(", cascade_to_colocated := true"), "XX000",
      "shard_count or colocate_with is necessary for cascading to colocated tables");
    await fails(adt(", colocate_with := 'none', cascade_to_colocated := true"), "XX000",
      "colocate_with := 'none' cannot be cascaded to colocated tables");
    await fails(adt(", colocate_with := 'notes', shard_count := 8"), "XX000",
      "cascade_to_colocated parameter is necessary", { detail: "this table is colocated with " +
        "some other tables", hint: "cascade_to_colocated := false will break the current " +
        "colocation, cascade_to_colocated := true will change the shard count of colocated " +
        "tables too." });
    await fails(adt(", colocate_with := 'a_none', shard_count := 8, cascade_to_colocated := " +
      "false"), "XX000",
      "shard_count cannot be different than the shard count of the table in colocate_with",
      { hint: "if no shard_count is specified shard count will be same with colocate_with " +
        "table's" });
    await fails(adt(", colocate_with := 'kinds'"), "XX000",
      "cannot colocate with kinds because it is not a distributed table");
    await fails(adt(", distribution_column := 'nope'"), "42703",
      "column \"nope\" of relation \"items\" does not exist");
    await both("CREATE TABLE labels (name text, n int)");
    await q("SELECT create_distributed_table('labels', 'name')");
    await fails(adt(", colocate_with := 'labels'"), "XX000", "cannot colocate with labels " +
      "because data type of its distribution column is different than items");
    await fails(adt(", distribution_column := 'k', colocate_with := 'labels'"), "XX000",
      "cannot colocate with labels and change distribution column to k because data type of " +
      "column k is different then the distribution column of the labels");
    await fails("SELECT alter_distributed_table('kinds', shard_count := 2)", "XX000",
      "cannot alter table because the table is not distributed");
    await q("CREATE TABLE numbered (id int GENERATED ALWAYS AS IDENTITY, v int)");
    await q("SELECT create_distributed_table('numbered', 'v')");
    await fails("SELECT alter_distributed_table('numbered', shard_count := 2)", "0A000",
      "cannot complete operation on a table with identity column");
    await answers();
  });

  test("a rebuild that fails leaves the table as it was", async () => {
    await both("CREATE TABLE sparse (id int, maybe int)");
    await q("SELECT create_distributed_table('sparse', 'id', colocate_with := 'none', " +
      "shard_count := 4)");
    await both("INSERT INTO sparse SELECT g, CASE WHEN g % 10 = 0 THEN NULL ELSE g END " +
      "FROM generate_series(1, 100) g");
    const shards = await q("SELECT shardid FROM pg_dist_shard WHERE logicalrelid = " +
      "'sparse'::regclass ORDER BY 1");
    const before = await group("sparse");
    const error = await failureOf(tessera,
      "SELECT alter_distributed_table('sparse', distribution_column := 'maybe')");
    assert.equal(error.code, "22004", error.message);
    assert.equal(error.message, "the partition column of table public.sparse cannot be NULL");
    assert.deepEqual(await q("SELECT shardid FROM pg_dist_shard WHERE logicalrelid = " +
      "'sparse'::regclass ORDER BY 1"), shards);
    assert.equal(await group("sparse"), before);
    assert.deepEqual(await q("SELECT distribution_column FROM citus_tables WHERE " +
      "table_name = 'sparse'::regclass"), [{ distribution_column: "id" }]);
    await same("SELECT count(*)::int AS n, sum(maybe)::int AS s FROM sparse");
    await both("INSERT INTO sparse VALUES (500, 5)");
    await same("SELECT * FROM sparse WHERE id = 500");
  });

  test("partitions and partitioned tables", async () => {
    await q("CREATE TABLE readings (id int, at date) PARTITION BY RANGE (at)");
    await q("CREATE TABLE readings_2024 PARTITION OF readings " +
      "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')");
    await q("SELECT create_distributed_table('readings', 'id', colocate_with := 'none')");
    await fails("SELECT alter_distributed_table('readings_2024', shard_count := 3)", "XX000",
      "cannot complete operation because table is a partition",
      { hint: "the parent table is \"readings\"" });
    await fails("SELECT alter_distributed_table('readings', shard_count := 3)", "0A000",
      "alter_distributed_table() is not supported by Tessera yet for partitioned tables such " +
      "as readings: it needs rebuilding each partition");
  });

  test("inside a transaction block: ROLLBACK undoes the rebuild, COMMIT keeps it", async () => {
    const before = await group("items");
    await q("BEGIN");
    await q("SELECT alter_distributed_table('items', shard_count := 2, " +
      "cascade_to_colocated := true)");
    assert.equal(await shardCount("items"), 2);
    await same("SELECT count(*)::int AS n, sum(id)::int AS s FROM items");
    await q("ROLLBACK");
    assert.equal(await shardCount("items"), 6);
    assert.equal(await group("items"), before);
    await answers();
    await q("BEGIN");
    await q("SELECT alter_distributed_table('events', shard_count := 2)");
    await q("COMMIT");
    assert.equal(await shardCount("events"), 2);
    await same("SELECT count(*)::int AS n, sum(id)::int AS s FROM events");
  });

  test("update_distributed_table_colocation", async () => {
    await both("CREATE TABLE a1 (id int, v int)");
    await both("CREATE TABLE a2 (id int, v int)");
    await q("SELECT create_distributed_table('a1', 'id', colocate_with := 'none', " +
      "shard_count := 3)");
    await q("SELECT create_distributed_table('a2', 'id', colocate_with := 'none', " +
      "shard_count := 3)");
    await both("INSERT INTO a1 SELECT g, g FROM generate_series(1, 50) g");
    await both("INSERT INTO a2 SELECT g, g * 2 FROM generate_series(1, 50) g");
    const old = await group("a2");
    assert.notEqual(await group("a1"), old);
    await q("SELECT update_distributed_table_colocation('a2', colocate_with := 'a1')");
    assert.equal(await group("a2"), await group("a1"));
    assert.deepEqual(await q(`SELECT count(*)::int AS n FROM pg_dist_colocation WHERE ` +
      `colocationid = ${old}`), [{ n: 0 }]);
    await routed("SELECT * FROM a1 JOIN a2 USING (id) WHERE a1.id = 9");
    await same("SELECT a1.id, a1.v + a2.v AS s FROM a1 JOIN a2 USING (id) ORDER BY 1 LIMIT 5");
    await q("SELECT update_distributed_table_colocation('a2', colocate_with := 'none')");
    assert.notEqual(await group("a2"), await group("a1"));
    await fails("SELECT update_distributed_table_colocation('a2', colocate_with := 'items')",
      "XX000", "cannot colocate tables items and a2",
      { detail: "Shard counts don't match for items and a2." });
    await fails("SELECT update_distributed_table_colocation('a2', colocate_with := 'labels')",
      "XX000", "cannot colocate tables labels and a2",
      { detail: "Distribution column types don't match for labels and a2." });
    await fails("SELECT update_distributed_table_colocation('a2', colocate_with := 'kinds')",
      "0A000", "relation kinds should be a hash or single shard distributed table");
  });
});
