/**
 * Declarative partitioning on a real `tessera cluster --workers 2`, beside PostgreSQL 15.
 *
 * The engine has no partitioned tables yet, so every way of making one is refused with 0A000
 * instead of quietly creating a plain table (a partition made as a plain table showed none of
 * the rows inserted through its parent: a wrong answer). The refusals hold on the
 * coordinator, for Citus tables and local ones alike, and on a worker, where shards would
 * live; a refused statement leaves nothing behind, and the tables around it keep giving
 * PostgreSQL's answers.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import {
  clusterBesidePostgres, failureOf, type ClusterBesidePostgres,
} from "../harness/index.js";

describe("partitioned tables and Citus tables", () => {
  let servers: ClusterBesidePostgres;
  let tessera: pg.Client;
  const both = (sql: string): Promise<void> => servers.side.both(sql);
  const same = (sql: string): Promise<unknown> => servers.side.same(sql);

  /** Asserts that `sql` fails on Tessera with 0A000 and a message naming `what`. */
  async function refused(client: pg.Client, sql: string, what: string): Promise<void> {
    const error = await failureOf(client, sql);
    assert.equal(error.code, "0A000", `${sql}: ${error.message}`);
    assert.ok(error.message.includes(what), `${sql}: ${error.message}`);
  }

  before(async () => {
    servers = await clusterBesidePostgres();
    tessera = servers.tessera;
    await both("CREATE TABLE p (id int, at date, v int)");
    await tessera.query("SELECT create_distributed_table('p', 'id')");
    await both("INSERT INTO p VALUES (1, '2024-03-01', 5), (2, '2023-05-06', 7)");
    await both("CREATE TABLE loose (id int, at date, v int)");
  });

  after(async () => {
    await servers?.stop();
  });

  test("PARTITION BY, PARTITION OF and INHERITS are refused, not made plain", async () => {
    await refused(tessera, "CREATE TABLE pp (id int, at date) PARTITION BY RANGE (at)",
      "PARTITION BY");
    await refused(tessera, "CREATE TABLE pl (id int, k text) PARTITION BY LIST (k)",
      "PARTITION BY");
    await refused(tessera, "CREATE TABLE pp_2024 PARTITION OF p FOR VALUES FROM " +
      "('2024-01-01') TO ('2025-01-01')", "PARTITION OF");
    await refused(tessera, "CREATE TABLE kid (extra int) INHERITS (loose)", "INHERITS");
    await refused(tessera, "CREATE TABLE kid (extra int) INHERITS (p)", "INHERITS");
    for (const name of ["pp", "pl", "pp_2024", "kid"]) {
      const error = await failureOf(tessera, `SELECT * FROM ${name}`);
      assert.equal(error.code, "42P01", name);
    }
    await same("SELECT relname FROM pg_class WHERE relname IN ('pp_2024', 'kid')");
    const tables = await tessera.query("SELECT table_name::text AS name FROM citus_tables " +
      "ORDER BY 1");
    assert.deepEqual(tables.rows, [{ name: "p" }]);
  });

  test("the issue's statements: no partition that hides its parent's rows", async () => {
    await refused(tessera, "CREATE TABLE p_2024 PARTITION OF p FOR VALUES FROM " +
      "('2024-01-01') TO ('2025-01-01')", "PARTITION OF");
    assert.equal((await failureOf(tessera, "SELECT * FROM p_2024")).code, "42P01");
    await same("SELECT * FROM p ORDER BY id");
    await both("INSERT INTO p VALUES (3, '2024-07-01', 9)");
    await same("SELECT count(*), sum(v) FROM p WHERE at >= '2024-01-01'");
  });

  test("ATTACH and DETACH PARTITION naming a Citus table are refused", async () => {
    const bound = "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')";
    await refused(tessera, `ALTER TABLE p ATTACH PARTITION loose ${bound}`,
      "ATTACH PARTITION is not supported on distributed tables");
    await refused(tessera, `ALTER TABLE loose ATTACH PARTITION p ${bound}`,
      "ATTACH PARTITION is not supported on distributed tables");
    await refused(tessera, "ALTER TABLE p DETACH PARTITION loose",
      "DETACH PARTITION is not supported on distributed tables");
    await refused(tessera, "ALTER TABLE p DETACH PARTITION loose FINALIZE",
      "DETACH PARTITION … FINALIZE is not supported on distributed tables");
    await refused(tessera, `ALTER TABLE loose ATTACH PARTITION loose ${bound}`, "AttachPartition");
    await same("SELECT * FROM p ORDER BY id");
    await same("SELECT count(*) FROM loose");
  });

  test("a worker refuses partitioned tables too", async () => {
    const worker = new pg.Client({ host: "127.0.0.1", port: servers.cluster.workerPorts[0]!,
      user: "postgres", database: "postgres" });
    await worker.connect();
    try {
      await refused(worker, "CREATE TABLE wp (id int, at date) PARTITION BY HASH (id)",
        "PARTITION BY");
      assert.equal((await failureOf(worker, "SELECT * FROM wp")).code, "42P01");
    } finally {
      await worker.end();
    }
  });

  test("create_distributed_table still distributes a plain table beside them", async () => {
    await both("CREATE TABLE plain_after (id int, at date)");
    await tessera.query("SELECT create_distributed_table('plain_after', 'id')");
    await both("INSERT INTO plain_after SELECT g, date '2024-01-01' + g FROM " +
      "generate_series(1, 40) g");
    await same("SELECT count(*), min(at), max(at) FROM plain_after");
  });
});
