/**
 * Declarative partitioning on a real `tessera cluster --workers 2`, beside PostgreSQL 15.
 *
 * The engine has partitioned tables on one node, so local (non-distributed) partitioned
 * tables on the coordinator and tables on a worker behave as on PostgreSQL. The distributed
 * layer does not make partitioned shards yet: distributing a partitioned table or a partition,
 * and attaching or detaching partitions of Citus tables, are refused with 0A000, leaving
 * nothing behind; INHERITS (legacy inheritance) stays refused everywhere.
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

  test("local partitioned tables on the coordinator work as on PostgreSQL", async () => {
    await both("CREATE TABLE pp (id int, at date, v int) PARTITION BY RANGE (at)");
    await both("CREATE TABLE pp_2023 PARTITION OF pp FOR VALUES FROM ('2023-01-01') TO " +
      "('2024-01-01')");
    await both("CREATE TABLE pp_2024 PARTITION OF pp FOR VALUES FROM ('2024-01-01') TO " +
      "('2025-01-01')");
    await both("CREATE TABLE pl (id int, k text) PARTITION BY LIST (k)");
    await both("CREATE TABLE pl_ab PARTITION OF pl FOR VALUES IN ('a', 'b')");
    await both("INSERT INTO pp VALUES (1, '2023-03-01', 5), (2, '2024-05-06', 7)");
    await both("INSERT INTO pl VALUES (1, 'a'), (2, 'b')");
    await same("SELECT * FROM pp ORDER BY id");
    await same("SELECT id FROM pp_2024 ORDER BY id");
    await same("SELECT relname, relkind, relispartition, pg_get_expr(relpartbound, oid) " +
      "FROM pg_class WHERE relname LIKE 'pp%' ORDER BY relname");
    await servers.side.sameFailure("INSERT INTO pp VALUES (3, '2030-01-01', 1)");
    await both("UPDATE pp SET at = '2024-01-02' WHERE id = 1");
    await same("SELECT id FROM pp_2024 ORDER BY id");
    await same("SELECT count(*) FROM pp_2023");
    await refused(tessera, "CREATE TABLE kid (extra int) INHERITS (loose)", "INHERITS");
    await refused(tessera, "CREATE TABLE kid (extra int) INHERITS (p)", "INHERITS");
    assert.equal((await failureOf(tessera, "SELECT * FROM kid")).code, "42P01");
    const tables = await tessera.query("SELECT table_name::text AS name FROM citus_tables " +
      "ORDER BY 1");
    assert.deepEqual(tables.rows, [{ name: "p" }]);
  });

  test("partitioned tables and partitions are not distributed", async () => {
    await refused(tessera, "SELECT create_distributed_table('pp', 'id')",
      "cannot distribute partitioned table \"pp\"");
    await refused(tessera, "SELECT create_distributed_table('pp_2024', 'id')",
      "which is partition of \"pp\"");
    await refused(tessera, "SELECT create_reference_table('pl')", "partitioned table");
    await refused(tessera, "SELECT create_reference_table('pl_ab')", "partition of");
    const tables = await tessera.query("SELECT table_name::text AS name FROM citus_tables " +
      "ORDER BY 1");
    assert.deepEqual(tables.rows, [{ name: "p" }]);
    await same("SELECT * FROM pp ORDER BY id");
    await same("SELECT * FROM pl ORDER BY id");
  });

  test("the issue's statements: a Citus table is not partitioned", async () => {
    await servers.side.sameFailure("CREATE TABLE p_2024 PARTITION OF p FOR VALUES FROM " +
      "('2024-01-01') TO ('2025-01-01')");
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
    await refused(tessera, `ALTER TABLE pp ATTACH PARTITION p ${bound}`,
      "ATTACH PARTITION is not supported on distributed tables");
    await refused(tessera, "ALTER TABLE p DETACH PARTITION loose",
      "DETACH PARTITION is not supported on distributed tables");
    await refused(tessera, "ALTER TABLE p DETACH PARTITION loose FINALIZE",
      "DETACH PARTITION … FINALIZE is not supported on distributed tables");
    await servers.side.sameFailure(`ALTER TABLE loose ATTACH PARTITION loose ${bound}`);
    await same("SELECT * FROM p ORDER BY id");
    await same("SELECT count(*) FROM loose");
  });

  test("local ATTACH and DETACH on the coordinator work as on PostgreSQL", async () => {
    await both("CREATE TABLE pp_2025 (id int, at date, v int)");
    await both("INSERT INTO pp_2025 VALUES (9, '2025-02-02', 1)");
    await servers.side.sameFailure("ALTER TABLE pp ATTACH PARTITION pp_2025 FOR VALUES FROM " +
      "('2026-01-01') TO ('2027-01-01')");
    await both("ALTER TABLE pp ATTACH PARTITION pp_2025 FOR VALUES FROM ('2025-01-01') TO " +
      "('2026-01-01')");
    await same("SELECT * FROM pp ORDER BY id");
    await both("ALTER TABLE pp DETACH PARTITION pp_2023");
    await same("SELECT * FROM pp ORDER BY id");
    await same("SELECT count(*) FROM pp_2023");
  });

  test("a worker has partitioned tables too", async () => {
    const worker = new pg.Client({ host: "127.0.0.1", port: servers.cluster.workerPorts[0]!,
      user: "postgres", database: "postgres" });
    await worker.connect();
    try {
      await worker.query("CREATE TABLE wp (id int, at date) PARTITION BY RANGE (id)");
      await worker.query("CREATE TABLE wp_low PARTITION OF wp FOR VALUES FROM (MINVALUE) " +
        "TO (100)");
      await worker.query("INSERT INTO wp VALUES (1, '2024-01-01'), (50, '2024-02-01')");
      const rows = await worker.query("SELECT count(*)::int AS n FROM wp_low");
      assert.deepEqual(rows.rows, [{ n: 2 }]);
      const error = await failureOf(worker, "INSERT INTO wp VALUES (100, '2024-01-01')");
      assert.equal(error.code, "23514");
      assert.equal(error.message, "no partition of relation \"wp\" found for row");
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
