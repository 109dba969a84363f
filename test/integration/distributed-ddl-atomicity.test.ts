/**
 * DDL on distributed and reference tables is all-or-nothing across the coordinator and every
 * shard, as on Citus: a coordinator and two workers started as separate daemons (so a worker
 * can be killed and started again), a hash-distributed table `dist` (4 shards) and a
 * reference table `ref`. Each failing case makes one worker's shard refuse the command (an
 * object already there, one missing, a row the change does not fit, a foreign key from a
 * worker-local table), or kills a worker, and runs the DDL outside a transaction block and
 * inside one. After the failure the client has the worker's SQLSTATE and message (with
 * Citus's CONTEXT naming the node), and the coordinator's shell tables (information_schema,
 * pg_indexes, pg_constraint), the pg_dist_* rows and every placement on the workers (columns,
 * indexes, constraints, rows, the tables a worker holds) are exactly as before; the session
 * goes on. Blocks that roll back leave everything unchanged; commits change everything. Several
 * statements in one query (an implicit block, and the extended protocol's up to Sync) are one
 * transaction too: a later failure takes the DDL back on the coordinator and the shards.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import {
  freePort, queryNode, startCluster, type Rows, type TesseraCluster,
} from "../harness/index.js";

/** One way to make a DDL statement fail on one worker, and its clean-up. */
interface FailureCase {
  readonly name: string;
  readonly sql: string;
  /** Run on the worker's placement named by `shard` (schema-qualified) before the DDL. */
  readonly onShard?: (shard: string) => string[];
  readonly undoOnShard?: (shard: string) => string[];
  /** Run on the coordinator before the DDL (a row the change does not fit). */
  readonly onCoordinator?: string[];
  readonly undoOnCoordinator?: string[];
  readonly table: "dist" | "ref";
  readonly code: string;
  readonly message: RegExp;
}

const failureCases: readonly FailureCase[] = [
  { name: "ALTER TABLE ADD COLUMN", sql: "ALTER TABLE dist ADD COLUMN c int", table: "dist",
    onShard: (s) => [`ALTER TABLE ${s} ADD COLUMN c int`],
    undoOnShard: (s) => [`ALTER TABLE ${s} DROP COLUMN c`],
    code: "42701", message: /^column "c" of relation "dist_\d+" already exists$/ },
  { name: "ALTER TABLE ADD COLUMN on a reference table", sql: "ALTER TABLE ref ADD COLUMN c int",
    table: "ref", onShard: (s) => [`ALTER TABLE ${s} ADD COLUMN c int`],
    undoOnShard: (s) => [`ALTER TABLE ${s} DROP COLUMN c`],
    code: "42701", message: /^column "c" of relation "ref_\d+" already exists$/ },
  { name: "ALTER TABLE DROP COLUMN", sql: "ALTER TABLE dist DROP COLUMN w", table: "dist",
    onShard: (s) => [`CREATE UNIQUE INDEX blocker_w ON ${s} (w)`,
      `CREATE TABLE blocker (x int REFERENCES ${s} (w))`],
    undoOnShard: () => ["DROP TABLE blocker", "DROP INDEX public.blocker_w"],
    code: "2BP01",
    message: /^cannot drop column w of table dist_\d+ because other objects depend on it$/ },
  { name: "ALTER TABLE RENAME COLUMN", sql: "ALTER TABLE dist RENAME COLUMN v TO v2",
    table: "dist", onShard: (s) => [`ALTER TABLE ${s} ADD COLUMN v2 int`],
    undoOnShard: (s) => [`ALTER TABLE ${s} DROP COLUMN v2`],
    code: "42701", message: /^column "v2" of relation "dist_\d+" already exists$/ },
  { name: "ALTER TABLE RENAME TO", sql: "ALTER TABLE dist RENAME TO dist2", table: "dist",
    onShard: (s) => [`CREATE TABLE ${s.replace("dist_", "dist2_")} (x int)`],
    undoOnShard: (s) => [`DROP TABLE ${s.replace("dist_", "dist2_")}`],
    code: "42P07", message: /^relation "dist2_\d+" already exists$/ },
  { name: "ALTER TABLE ALTER COLUMN TYPE", sql: "ALTER TABLE dist ALTER COLUMN v TYPE smallint",
    table: "dist", onCoordinator: ["UPDATE dist SET v = 100000 WHERE id = 5"],
    undoOnCoordinator: ["UPDATE dist SET v = 5 WHERE id = 5"],
    code: "22003", message: /^smallint out of range$/ },
  { name: "ALTER TABLE ADD CONSTRAINT", table: "dist",
    sql: "ALTER TABLE dist ADD CONSTRAINT v_small CHECK (v < 100)",
    onCoordinator: ["UPDATE dist SET v = 500 WHERE id = 7"],
    undoOnCoordinator: ["UPDATE dist SET v = 7 WHERE id = 7"],
    code: "23514", message: /^check constraint "v_small_\d+" of relation "dist_\d+" is violated/ },
  { name: "CREATE INDEX", sql: "CREATE INDEX dist_v_idx ON dist (v)", table: "dist",
    onShard: (s) => [`CREATE INDEX ${s.replace("public.dist_", "dist_v_idx_")} ON ${s} (v)`],
    undoOnShard: (s) => [`DROP INDEX ${s.replace("dist_", "dist_v_idx_")}`],
    code: "42P07", message: /^relation "dist_v_idx_\d+" already exists$/ },
  { name: "DROP INDEX", sql: "DROP INDEX dist_w_idx", table: "dist",
    onShard: (s) => [`DROP INDEX ${s.replace("dist_", "dist_w_idx_")}`],
    undoOnShard: (s) => [`CREATE INDEX ${s.replace("public.dist_", "dist_w_idx_")} ON ${s} (w)`],
    code: "42704", message: /^index "dist_w_idx_\d+" does not exist$/ },
  { name: "TRUNCATE", sql: "TRUNCATE dist", table: "dist",
    onShard: (s) => [`CREATE TABLE blocker (x int REFERENCES ${s} (id))`],
    undoOnShard: () => ["DROP TABLE blocker"],
    code: "0A000", message: /^cannot truncate a table referenced in a foreign key constraint$/ },
  { name: "ALTER SCHEMA RENAME", sql: "ALTER SCHEMA s RENAME TO s2", table: "dist",
    onShard: () => ["CREATE SCHEMA s2"], undoOnShard: () => ["DROP SCHEMA s2"],
    code: "42P06", message: /^schema "s2" already exists$/ },
  { name: "ALTER TABLE SET SCHEMA", sql: "ALTER TABLE dist SET SCHEMA s", table: "dist",
    onShard: (sh) => [`CREATE TABLE ${sh.replace("public.", "s.")} (x int)`],
    undoOnShard: (sh) => [`DROP TABLE ${sh.replace("public.", "s.")}`],
    code: "42P07", message: /^relation "dist_\d+" already exists in schema "s"$/ },
  { name: "TRUNCATE of a reference table", sql: "TRUNCATE ref", table: "ref",
    onShard: (s) => [`CREATE TABLE blocker (x int REFERENCES ${s} (k))`],
    undoOnShard: () => ["DROP TABLE blocker"],
    code: "0A000", message: /^cannot truncate a table referenced in a foreign key constraint$/ },
];

/** Statements run while the second worker is down. */
const whileWorkerDown: readonly string[] = [
  "ALTER TABLE dist ADD COLUMN c int", "ALTER TABLE ref ADD COLUMN c int",
  "ALTER TABLE dist DROP COLUMN w", "ALTER TABLE dist RENAME COLUMN v TO v2",
  "ALTER TABLE dist ALTER COLUMN v TYPE bigint", "ALTER TABLE ref ADD CONSTRAINT l CHECK (k > 0)",
  "CREATE INDEX dist_v_idx ON dist (v)", "DROP INDEX dist_w_idx", "TRUNCATE dist",
  "TRUNCATE ref", "DROP TABLE dist", "DROP TABLE ref", "DROP TABLE dist, ref",
  "ALTER TABLE s.t ADD COLUMN c int", "ALTER TABLE dist SET SCHEMA s",
  "ALTER SCHEMA s RENAME TO s2", "DROP SCHEMA s CASCADE", "CREATE SCHEMA s4",
];

describe("DDL on distributed and reference tables is all-or-nothing", () => {
  const dir = mkdtempSync(join(tmpdir(), "tessera-ddl-"));
  let coordinator: TesseraCluster;
  const workers: TesseraCluster[] = [];
  const workerPorts: number[] = [];
  let client: pg.Client;
  const q = async (sql: string): Promise<Rows> => (await client.query(sql)).rows as Rows;

  const startWorker = async (i: number): Promise<void> => {
    workers[i] = await startCluster({ role: "worker", port: workerPorts[i]!,
      dataDir: join(dir, `worker-${i}`) });
  };

  before(async () => {
    for (const i of [0, 1]) {
      workerPorts.push(await freePort());
      await startWorker(i);
    }
    coordinator = await startCluster({ role: "coordinator", dataDir: join(dir, "coordinator"),
      env: { TESSERA_RECOVER_2PC_INTERVAL: "10min" } });
    client = new pg.Client({ connectionString: coordinator.url });
    await client.connect();
    for (const port of workerPorts) await q(`SELECT citus_add_node('127.0.0.1', ${port})`);
    await createTables();
    await q("CREATE SCHEMA s");
    await q("CREATE TABLE s.t (id int PRIMARY KEY, v int)");
    await q("SELECT create_distributed_table('s.t', 'id', colocate_with => 'none')");
    await q("INSERT INTO s.t SELECT g, g FROM generate_series(1, 10) g");
  });
  after(async () => {
    await client.end();
    await coordinator.stop();
    for (const worker of workers) await worker.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function createTables(): Promise<void> {
    await q("CREATE TABLE dist (id int PRIMARY KEY, v int, w int)");
    await q("SELECT create_distributed_table('dist', 'id', shard_count => 4)");
    await q("CREATE INDEX dist_w_idx ON dist (w)");
    await q("INSERT INTO dist SELECT g, g, g FROM generate_series(1, 20) g");
    await q("CREATE TABLE ref (k int PRIMARY KEY, label text NOT NULL)");
    await q("SELECT create_reference_table('ref')");
    await q("INSERT INTO ref VALUES (1, 'one'), (2, 'two')");
  }

  /** The coordinator's side: shell tables, their indexes and constraints, pg_dist_* rows. */
  async function coordinatorState(): Promise<Record<string, Rows>> {
    return {
      schemas: await q("SELECT nspname FROM pg_namespace WHERE nspname LIKE 's%' ORDER BY 1"),
      columns: await q("SELECT table_name, column_name, data_type, is_nullable" +
        " FROM information_schema.columns WHERE table_schema = 'public'" +
        " ORDER BY table_name, ordinal_position"),
      indexes: await q("SELECT tablename, indexname FROM pg_indexes" +
        " WHERE schemaname = 'public' ORDER BY 1, 2"),
      constraints: await q("SELECT conrelid::regclass::text AS t, conname, contype" +
        " FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2"),
      partitions: await q("SELECT logicalrelid::text AS t, partmethod, colocationid, repmodel" +
        " FROM pg_dist_partition ORDER BY 1"),
      shards: await q("SELECT logicalrelid::text AS t, shardid, shardminvalue, shardmaxvalue" +
        " FROM pg_dist_shard ORDER BY shardid"),
      placements: await q("SELECT shardid, groupid FROM pg_dist_placement ORDER BY 1, 2"),
    };
  }

  /** Every placement on the workers, read there, plus the tables each worker holds. */
  async function shardState(): Promise<Record<string, unknown>> {
    const placements = await q("SELECT logicalrelid::text AS t, p.shardid, n.nodeport" +
      " FROM pg_dist_shard s JOIN pg_dist_placement p USING (shardid)" +
      " JOIN pg_dist_node n USING (groupid) ORDER BY 1, 2, 3");
    const state: Record<string, unknown> = {};
    for (const row of placements) {
      const table = String(row["t"]);
      const shard = `${table.includes(".") ? "" : "public."}${table}_${String(row["shardid"])}`;
      state[`${shard}@${String(row["nodeport"])}`] = await queryNode(Number(row["nodeport"]),
        placementQuery(shard));
    }
    for (const port of workerPorts) {
      state[`tables@${port}`] = await queryNode(port, "SELECT schemaname, tablename" +
        " FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')" +
        " ORDER BY 1, 2");
    }
    const columns = await q("SELECT shardid, result FROM run_command_on_shards('dist', $c$" +
      "SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute" +
      " WHERE attrelid = '%s'::regclass AND attnum > 0 AND NOT attisdropped$c$) ORDER BY 1");
    state["run_command_on_shards"] = columns;
    return state;
  }

  function placementQuery(shard: string): string {
    const rel = `'${shard}'::regclass`;
    return "SELECT (SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', '" +
      ` ORDER BY attnum) FROM pg_attribute WHERE attrelid = ${rel} AND attnum > 0` +
      " AND NOT attisdropped) AS columns," +
      " (SELECT string_agg(c.relname, ', ' ORDER BY c.relname) FROM pg_index i" +
      ` JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = ${rel}) AS indexes,` +
      " (SELECT string_agg(conname, ', ' ORDER BY conname) FROM pg_constraint" +
      ` WHERE conrelid = ${rel}) AS constraints, (SELECT count(*)::int FROM ${shard}) AS n`;
  }

  async function rows(): Promise<Rows> {
    return [...await q("SELECT count(*)::int AS n, sum(id)::int AS id, sum(v)::int AS v" +
      " FROM dist"),
      ...await q("SELECT k, label FROM ref ORDER BY k")];
  }

  /** The cluster's state now, and a check that it is still exactly that. */
  async function unchangedSince(): Promise<(when: string) => Promise<void>> {
    const before = { coordinator: await coordinatorState(), shards: await shardState(),
      rows: await rows() };
    return async (when) => {
      assert.deepEqual(await coordinatorState(), before.coordinator, `${when}: coordinator`);
      assert.deepEqual(await shardState(), before.shards, `${when}: shards`);
      assert.deepEqual(await rows(), before.rows, `${when}: rows`);
    };
  }

  async function rejects(sql: string, code: string, message: RegExp,
    node?: number): Promise<void> {
    await assert.rejects(q(sql), (error: pg.DatabaseError) => {
      assert.equal(error.code, code, `${sql}: ${error.message}`);
      assert.match(error.message, message, sql);
      if (node !== undefined) {
        assert.equal(error.where, `while executing command on 127.0.0.1:${node}`, sql);
      }
      return true;
    });
  }

  /** The session goes on: reads and writes on both tables work, and leave nothing behind. */
  async function usable(): Promise<void> {
    assert.deepEqual(await q("SELECT 1 AS one"), [{ one: 1 }]);
    await q("INSERT INTO dist (id, v) VALUES (1000, 1)");
    await q("INSERT INTO ref VALUES (1000, 'x')");
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM dist WHERE id = 1000"), [{ n: 1 }]);
    await q("DELETE FROM dist WHERE id = 1000");
    await q("DELETE FROM ref WHERE k = 1000");
  }

  /** The placement of `table` on the second worker, schema-qualified. */
  async function placementOnSecondWorker(table: string): Promise<string> {
    const [row] = await q(`SELECT p.shardid FROM pg_dist_shard s JOIN pg_dist_placement p` +
      ` USING (shardid) JOIN pg_dist_node n USING (groupid) WHERE s.logicalrelid =` +
      ` '${table}'::regclass AND n.nodeport = ${workerPorts[1]!} ORDER BY 1 LIMIT 1`);
    assert.ok(row !== undefined, table);
    return `public.${table}_${String(row["shardid"])}`;
  }

  for (const failure of failureCases) {
    test(`${failure.name} that fails on one worker changes nothing`, async () => {
      const shard = await placementOnSecondWorker(failure.table);
      const worker = workerPorts[1]!;
      for (const sql of failure.onShard?.(shard) ?? []) await queryNode(worker, sql);
      for (const sql of failure.onCoordinator ?? []) await q(sql);
      try {
        const same = await unchangedSince();
        // Outside a block, which a shard-side failure on the second worker names.
        const node = failure.onShard === undefined ? undefined : worker;
        await rejects(failure.sql, failure.code, failure.message, node);
        await same("outside a block");
        await usable();
        // Inside a block, after a change that succeeded there: COMMIT answers ROLLBACK.
        await q("BEGIN");
        await q("ALTER TABLE dist ADD COLUMN earlier int");
        await rejects(failure.sql, failure.code, failure.message, node);
        await rejects("SELECT 1", "25P02", /current transaction is aborted/);
        assert.equal((await client.query("COMMIT")).command, "ROLLBACK");
        await same("inside a block");
        // Inside a block with a savepoint before the failing statement.
        await q("BEGIN");
        await q("SAVEPOINT s");
        await rejects(failure.sql, failure.code, failure.message, node);
        await q("ROLLBACK TO SAVEPOINT s");
        await usable();
        await q("COMMIT");
        await same("after ROLLBACK TO SAVEPOINT");
        await usable();
      } finally {
        for (const sql of failure.undoOnShard?.(shard) ?? []) await queryNode(worker, sql);
        for (const sql of failure.undoOnCoordinator ?? []) await q(sql);
      }
    });
  }

  test("several statements in one query are one transaction, DDL included", async () => {
    const same = await unchangedSince();
    await rejects("ALTER TABLE dist ADD COLUMN c int; CREATE INDEX dist_c_idx ON dist (c); " +
      "ALTER TABLE ref ADD COLUMN c int; SELECT 1/0", "22012", /^division by zero$/);
    await same("a later statement failed");
    await rejects("ALTER TABLE dist ADD COLUMN c int; ALTER TABLE dist ADD COLUMN c int",
      "42701", /^column "c" of relation "dist" already exists$/);
    await same("the same column twice");
    await rejects("DROP TABLE ref; TRUNCATE dist; DROP INDEX dist_w_idx; SELECT 1/0", "22012",
      /^division by zero$/);
    await same("drops, then a failure");
    // The extended protocol's implicit block: Parse, Bind, Execute, Sync.
    const shard = await placementOnSecondWorker("dist");
    await queryNode(workerPorts[1]!, `ALTER TABLE ${shard} ADD COLUMN c int`);
    const sameAgain = { coordinator: await coordinatorState(), shards: await shardState() };
    await assert.rejects(client.query({ name: "add_c", text: "ALTER TABLE dist ADD COLUMN c int" }),
      (error: pg.DatabaseError) => error.code === "42701");
    assert.deepEqual(await coordinatorState(), sameAgain.coordinator);
    assert.deepEqual(await shardState(), sameAgain.shards);
    await queryNode(workerPorts[1]!, `ALTER TABLE ${shard} DROP COLUMN c`);
    await usable();
    // A query whose statements all succeed commits all of them, everywhere.
    await q("ALTER TABLE dist ADD COLUMN c int; CREATE INDEX dist_c_idx ON dist (c); " +
      "INSERT INTO dist (id, v, c) VALUES (500, 1, 2)");
    assert.deepEqual(await q("SELECT c FROM dist WHERE id = 500"), [{ c: 2 }]);
    const onShards = await q("SELECT result FROM run_command_on_shards('dist', $c$" +
      "SELECT string_agg(attname, ',' ORDER BY attnum) || ' ' || (SELECT count(*) FROM pg_index" +
      " i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = '%1$s'::regclass" +
      " AND c.relname LIKE 'dist_c_idx_%%') FROM pg_attribute" +
      " WHERE attrelid = '%1$s'::regclass AND attnum > 0 AND NOT attisdropped$c$)");
    assert.deepEqual(onShards.map((r) => r["result"]), new Array(4).fill("id,v,w,c 1"));
    await client.query({ name: "drop_c", text: "ALTER TABLE dist DROP COLUMN c" });
    await q("DELETE FROM dist WHERE id = 500");
    await same("after adding and dropping c");
  });

  test("with a worker down every DDL fails and leaves everything as it was", async () => {
    const before = { coordinator: await coordinatorState(), shards: await shardState(),
      rows: await rows() };
    const down = workerPorts[1]!;
    await workers[1]!.stop({ keepData: true, signal: "SIGKILL" });
    try {
      for (const sql of whileWorkerDown) {
        await assert.rejects(q(sql), (error: pg.DatabaseError) => {
          assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${down}`), sql);
          return true;
        }, sql);
        assert.deepEqual(await coordinatorState(), before.coordinator, sql);
        await q("BEGIN");
        await assert.rejects(q(sql), sql);
        await q("ROLLBACK");
        assert.deepEqual(await coordinatorState(), before.coordinator, `${sql} in a block`);
        assert.deepEqual(await q("SELECT 1 AS one"), [{ one: 1 }]);
      }
    } finally {
      await startWorker(1);
    }
    assert.deepEqual(await coordinatorState(), before.coordinator);
    assert.deepEqual(await shardState(), before.shards);
    assert.deepEqual(await rows(), before.rows);
    await usable();
  });

  test("a block that rolls back leaves shell and shards unchanged; COMMIT changes both",
    async () => {
      const before = { coordinator: await coordinatorState(), shards: await shardState() };
      const ddl = ["ALTER TABLE dist ADD COLUMN c int", "ALTER TABLE ref ADD COLUMN c int",
        "ALTER TABLE dist RENAME COLUMN w TO w2", "CREATE INDEX dist_v_idx ON dist (v)",
        "ALTER TABLE dist ADD CONSTRAINT v_small CHECK (v < 1000)", "DROP INDEX dist_w_idx"];
      await q("BEGIN");
      for (const sql of ddl) await q(sql);
      await q("ROLLBACK");
      assert.deepEqual(await coordinatorState(), before.coordinator);
      assert.deepEqual(await shardState(), before.shards);
      await usable();

      await q("BEGIN");
      for (const sql of ddl.slice(0, 3)) await q(sql);
      await q("COMMIT");
      for (const sql of ddl.slice(3)) await q(sql);
      const columns = (table: string): Promise<Rows> => q("SELECT column_name" +
        " FROM information_schema.columns WHERE table_name = '" + table +
        "' ORDER BY ordinal_position");
      assert.deepEqual((await columns("dist")).map((r) => r["column_name"]),
        ["id", "v", "w2", "c"]);
      assert.deepEqual((await columns("ref")).map((r) => r["column_name"]), ["k", "label", "c"]);
      const shards = await shardState();
      for (const [key, value] of Object.entries(shards)) {
        if (!key.includes("@") || key.startsWith("tables@")) continue;
        const [placement] = value as Rows;
        const id = /_(\d+)@/.exec(key)![1]!;
        if (key.startsWith("public.dist_")) {
          assert.equal(placement!["columns"], "id integer, v integer, w2 integer, c integer", key);
          assert.equal(placement!["indexes"], `dist_pkey_${id}, dist_v_idx_${id}`, key);
          assert.equal(placement!["constraints"], `dist_pkey_${id}, v_small_${id}`, key);
        } else if (key.startsWith("public.ref_")) {
          assert.equal(placement!["columns"], "k integer, label text, c integer", key);
        }
      }
      // Put the tables back as the other tests expect them.
      await q("DROP TABLE dist, ref");
      assert.deepEqual(await q("SELECT logicalrelid::text AS t FROM pg_dist_partition"),
        [{ t: "s.t" }]);
      for (const port of workerPorts) {
        assert.deepEqual(await queryNode(port,
          "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"), [], `port ${port}`);
      }
      await createTables();
    });
});
