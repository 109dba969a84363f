/**
 * MERGE on a real `tessera cluster --workers 2` beside PostgreSQL 15 holding the same tables
 * as plain ones:
 *
 * - MERGE between local tables of the coordinator gives PostgreSQL's counts, rows and errors;
 * - MERGE between colocated distributed tables joined on their distribution columns runs one
 *   task per shard group and gives PostgreSQL's counts and rows, in and out of transaction
 *   blocks, with parameters, and PostgreSQL's 21000 when a target row is matched twice;
 * - MERGE from a reference table, a table of another colocation group or joined on another
 *   column, or a subquery, repartitions the source rows to the target's shards as Citus;
 * - the cases Citus refuses fail with Citus's messages.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { clusterBesidePostgres, type ClusterBesidePostgres } from "../harness/index.js";

type Outcome = { rows: unknown[]; command: string; count: number | null } |
  { code: string | undefined; message: string; hint: string | undefined };

async function outcome(client: pg.Client, sql: string, values?: unknown[]): Promise<Outcome> {
  try {
    const result = await client.query(sql, values);
    return { rows: result.rows as unknown[], command: result.command, count: result.rowCount };
  } catch (error) {
    assert.ok(error instanceof pg.DatabaseError, String(error));
    return { code: error.code, message: error.message, hint: error.hint };
  }
}

const upsert = (target: string, source: string): string =>
  `MERGE INTO ${target} t USING ${source} s ON t.id = s.id ` +
  "WHEN MATCHED AND s.v = 'del' THEN DELETE " +
  "WHEN MATCHED THEN UPDATE SET v = s.v, n = t.n + s.n " +
  "WHEN NOT MATCHED AND s.n > 0 THEN INSERT (id, v, n) VALUES (s.id, s.v, s.n)";

describe("MERGE on the coordinator", () => {
  let servers: ClusterBesidePostgres;
  let tessera: pg.Client;
  const both = (sql: string): Promise<void> => servers.side.both(sql);
  const same = async (sql: string, values?: unknown[]): Promise<Outcome> => {
    const expected = await outcome(servers.postgres, sql, values);
    const actual = await outcome(tessera, sql, values);
    assert.deepEqual(actual, expected, sql);
    return actual;
  };
  const refused = async (sql: string, code: string, message: RegExp): Promise<void> => {
    const result = await outcome(tessera, sql);
    assert.ok("code" in result, `${sql} fails`);
    assert.equal(result.code, code, `${sql}: ${result.message}`);
    assert.match(result.message, message, sql);
  };

  before(async () => {
    servers = await clusterBesidePostgres();
    tessera = servers.tessera;
    for (const name of ["mg_lt", "mg_dt"]) {
      await both(`CREATE TABLE ${name} (id int PRIMARY KEY, v text, n int DEFAULT 10)`);
    }
    for (const name of ["mg_ls", "mg_ds"]) {
      await both(`CREATE TABLE ${name} (id int, v text, n int)`);
    }
    await both("CREATE TABLE mg_rt (id int PRIMARY KEY, v text, n int)");
    await both("CREATE TABLE mg_other (id int, v text, n int)");
    await tessera.query("SET citus.shard_count = 4");
    await tessera.query("SELECT create_distributed_table('mg_dt', 'id')");
    await tessera.query("SELECT create_distributed_table('mg_ds', 'id', colocate_with => 'mg_dt')");
    await tessera.query("SELECT create_distributed_table('mg_other', 'n', " +
      "colocate_with => 'none')");
    await tessera.query("SELECT create_reference_table('mg_rt')");
    for (const [target, source] of [["mg_lt", "mg_ls"], ["mg_dt", "mg_ds"]]) {
      await both(`INSERT INTO ${target} SELECT g, 'v' || g, g FROM generate_series(1, 40) g`);
      await both(`INSERT INTO ${source} SELECT g, CASE WHEN g % 7 = 0 THEN 'del' ELSE 's' || g ` +
        "END, g % 3 FROM generate_series(20, 60) g");
    }
  });

  after(async () => {
    await servers?.stop();
  });

  test("MERGE between local tables is PostgreSQL's", async () => {
    await same(upsert("mg_lt", "mg_ls"));
    await same("SELECT * FROM mg_lt ORDER BY id");
    const twice = await same("MERGE INTO mg_lt t USING (VALUES (1, 'a'), (1, 'b')) s(id, v) " +
      "ON t.id = s.id WHEN MATCHED THEN UPDATE SET v = s.v");
    assert.ok("code" in twice && twice.code === "21000");
  });

  test("MERGE between colocated distributed tables runs shard by shard", async () => {
    await same(upsert("mg_dt", "mg_ds"));
    await same("SELECT * FROM mg_dt ORDER BY id");
    await same("MERGE INTO mg_dt t USING mg_ds s ON t.id = s.id AND s.id < $1 " +
      "WHEN MATCHED THEN UPDATE SET n = $2", [30, -5]);
    await same("SELECT * FROM mg_dt ORDER BY id");
    await both("INSERT INTO mg_ds VALUES (22, 'dup', 1)");
    const twice = await same("MERGE INTO mg_dt t USING mg_ds s ON t.id = s.id " +
      "WHEN MATCHED THEN UPDATE SET v = s.v");
    assert.ok("code" in twice && twice.code === "21000" && twice.hint !== undefined);
    await both("DELETE FROM mg_ds WHERE v = 'dup'");
    await same("BEGIN");
    await same("MERGE INTO mg_dt t USING mg_ds s ON t.id = s.id " +
      "WHEN MATCHED THEN DELETE WHEN NOT MATCHED THEN INSERT VALUES (s.id, 'in block', 0)");
    await same("SELECT count(*) FROM mg_dt WHERE v = 'in block'");
    await same("ROLLBACK");
    await same("SELECT * FROM mg_dt ORDER BY id");
    await same("MERGE INTO mg_dt t USING mg_ds s ON t.id = s.id " +
      "WHEN NOT MATCHED THEN DO NOTHING");
    const plan = (await tessera.query("EXPLAIN (COSTS OFF) " + upsert("mg_dt", "mg_ds"))).rows
      .map((row: Record<string, string>) => row["QUERY PLAN"]).join("\n");
    assert.match(plan, /^Custom Scan \(Citus Adaptive\)\n {2}Task Count: 4\n/, plan);
    assert.match(plan, /Merge on mg_dt_\d+ t\n/, plan);
  });

  test("MERGE from other sources repartitions the source rows as Citus", async () => {
    await both("INSERT INTO mg_rt SELECT g, 'r' || g, g FROM generate_series(35, 50) g");
    await both("INSERT INTO mg_other SELECT g, 'o' || g, g % 4 FROM generate_series(1, 45) g");
    await same("MERGE INTO mg_dt t USING mg_rt s ON t.id = s.id " +
      "WHEN MATCHED AND s.n > 45 THEN DELETE WHEN MATCHED THEN UPDATE SET v = s.v " +
      "WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.v, s.n)");
    await same("SELECT * FROM mg_dt ORDER BY id");
    await same(upsert("mg_dt", "mg_other"));
    await same("SELECT * FROM mg_dt ORDER BY id");
    await same("MERGE INTO mg_dt t USING mg_ds s ON t.id = s.n " +
      "WHEN MATCHED THEN UPDATE SET v = t.v || '+'");
    await same("MERGE INTO mg_dt t USING (SELECT id + 100 AS k, v FROM mg_ds WHERE id < $1) s " +
      "ON t.id = s.k WHEN NOT MATCHED THEN INSERT (id, v) VALUES (s.k, s.v)", [30]);
    await same("SELECT * FROM mg_dt ORDER BY id");
    const twice = await same("MERGE INTO mg_dt t USING (SELECT 1 AS id UNION ALL " +
      "SELECT id FROM mg_rt WHERE id = 1 UNION ALL SELECT 1) s ON t.id = s.id " +
      "WHEN MATCHED THEN UPDATE SET n = 0");
    assert.ok("code" in twice && twice.code === "21000");
  });

  test("MERGE between single-shard tables of one colocation group is routed", async () => {
    for (const name of ["mg_st", "mg_ss"]) {
      await both(`CREATE TABLE ${name} (id int, v text)`);
      await both(`INSERT INTO ${name} SELECT g, '${name}' || g FROM generate_series(1, 9) g`);
    }
    await both("DELETE FROM mg_ss WHERE id < 4");
    await both("INSERT INTO mg_ss VALUES (12, 'new')");
    await tessera.query("SELECT create_distributed_table('mg_st', NULL, colocate_with => 'none')");
    await tessera.query("SELECT create_distributed_table('mg_ss', NULL, " +
      "colocate_with => 'mg_st')");
    await same("MERGE INTO mg_st t USING mg_ss s ON t.id = s.id " +
      "WHEN MATCHED AND s.id > 7 THEN DELETE WHEN MATCHED THEN UPDATE SET v = s.v " +
      "WHEN NOT MATCHED THEN INSERT VALUES (s.id + 100, s.v)");
    await same("SELECT * FROM mg_st ORDER BY id");
    await refused("MERGE INTO mg_st t USING mg_rt s ON t.id = s.id WHEN MATCHED THEN DELETE",
      "XX000", /^MERGE operation across distributed schemas or with a row-based distributed /);
  });

  test("MERGE Citus refuses fails with Citus's messages", async () => {
    await refused("MERGE INTO mg_rt t USING mg_ds s ON t.id = s.id WHEN MATCHED THEN DELETE",
      "0A000", /^Reference table as target is not allowed in MERGE command$/);
    await refused("MERGE INTO mg_dt t USING mg_ls s ON t.id = s.id WHEN MATCHED THEN DELETE",
      "XX000", /^MERGE INTO an distributed table from Postgres table is not yet supported$/);
    await refused("MERGE INTO mg_dt t USING (VALUES (1)) s(id) ON t.id = s.id " +
      "WHEN MATCHED THEN DELETE", "XX000",
    /^To MERGE into a distributed table, source must be Citus table\(s\)$/);
    await refused("MERGE INTO mg_lt t USING mg_ds s ON t.id = s.id WHEN MATCHED THEN DELETE",
      "XX000", /^MERGE involving repartition of rows is supported only if the target is /);
    await refused("MERGE INTO mg_dt t USING mg_rt s ON t.n = s.n WHEN MATCHED THEN DELETE",
      "XX000", /^The required join operation is missing between the target's distribution /);
    await refused("MERGE INTO mg_dt t USING mg_rt s ON t.id = s.id " +
      "WHEN NOT MATCHED THEN INSERT (id) VALUES (s.n)", "XX000",
    /^MERGE INSERT must use the source's joining column for target's distribution column$/);
    await refused("MERGE INTO mg_dt t USING mg_rt s ON t.id = (SELECT max(id) FROM mg_rt) " +
      "WHEN MATCHED THEN DELETE", "XX000",
    /^Sub-queries and CTEs are not allowed in ON clause for MERGE with repartitioning$/);
    await refused("MERGE INTO mg_dt t USING mg_ds s ON t.id = s.id " +
      "WHEN MATCHED THEN UPDATE SET id = s.id + 1", "0A000",
    /^updating the distribution column is not allowed in MERGE actions$/);
    await refused("MERGE INTO mg_dt t USING mg_ds s ON t.id = s.id " +
      "WHEN NOT MATCHED THEN INSERT (id) VALUES (s.n)", "XX000",
    /^MERGE INSERT must use the source table distribution column value$/);
    await refused("MERGE INTO mg_dt t USING mg_ds s ON t.id = s.id " +
      "WHEN NOT MATCHED THEN INSERT (v) VALUES (s.v)", "XX000",
    /^MERGE INSERT must have distribution column as value$/);
    await refused("MERGE INTO mg_dt t USING mg_ds s ON t.id = s.id " +
      "WHEN NOT MATCHED THEN INSERT DEFAULT VALUES", "XX000",
    /^cannot perform MERGE INSERT with DEFAULTS$/);
    await refused("MERGE INTO mg_dt t USING mg_ds s ON t.id = s.id " +
      "WHEN MATCHED THEN UPDATE SET n = random()::int", "XX000",
    /^non-IMMUTABLE functions are not yet supported in MERGE sql with distributed tables$/);
    await same("SELECT * FROM mg_dt ORDER BY id");
  });
});
