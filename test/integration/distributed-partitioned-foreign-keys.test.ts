/**
 * Foreign keys of distributed partitioned tables on a real `tessera cluster --workers 2`,
 * beside PostgreSQL 15 running the same statements on plain tables.
 *
 * As in Citus, a hash-distributed partitioned table may reference a reference table or a
 * colocated distributed (partitioned) table by its distribution column: the key is created on
 * each parent shard, and each partition shard attached to it takes a copy, so the nodes check
 * and act on every partition's rows. Errors come from the nodes and name shards, as Citus's;
 * their SQLSTATEs are PostgreSQL's. Keys Citus refuses keep its messages.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import {
  clusterBesidePostgres, failureOf, onWorkers, type ClusterBesidePostgres,
} from "../harness/index.js";

describe("foreign keys of distributed partitioned tables", () => {
  let servers: ClusterBesidePostgres;
  let tessera: pg.Client;
  const both = (sql: string): Promise<void> => servers.side.both(sql);
  const same = (sql: string): Promise<unknown> => servers.side.same(sql);

  /** The statement fails on both servers with the same SQLSTATE. */
  async function failsAlike(sql: string, code: string): Promise<pg.DatabaseError> {
    const expected = await failureOf(servers.postgres, sql);
    const actual = await failureOf(tessera, sql);
    assert.equal(expected.code, code, `${sql}: ${expected.message}`);
    assert.equal(actual.code, code, `${sql}: ${actual.message}`);
    return actual;
  }

  before(async () => {
    servers = await clusterBesidePostgres();
    tessera = servers.tessera;
    await both("CREATE TABLE dfk_ref (id int PRIMARY KEY)");
    await tessera.query("SELECT create_reference_table('dfk_ref')");
    await both("INSERT INTO dfk_ref VALUES (1), (2), (3)");
  });

  after(async () => {
    await servers?.stop();
  });

  test("a distributed partitioned table referencing a reference table", async () => {
    await both("CREATE TABLE dfk_ev (id int, at date, r int REFERENCES dfk_ref (id), " +
      "PRIMARY KEY (id, at)) PARTITION BY RANGE (at)");
    await both("CREATE TABLE dfk_ev_2024 PARTITION OF dfk_ev FOR VALUES FROM ('2024-01-01') " +
      "TO ('2025-01-01')");
    await tessera.query("SELECT create_distributed_table('dfk_ev', 'id')");
    await both("INSERT INTO dfk_ev VALUES (1, '2024-02-01', 1)");
    await both("CREATE TABLE dfk_ev_2025 PARTITION OF dfk_ev FOR VALUES FROM ('2025-01-01') " +
      "TO ('2026-01-01')");
    await both("INSERT INTO dfk_ev VALUES (2, '2025-02-01', 2), (3, '2024-03-01', 3)");
    const error = await failsAlike("INSERT INTO dfk_ev VALUES (4, '2025-03-01', 9)", "23503");
    assert.match(error.message, /insert or update on table "dfk_ev_2025_\d+" violates foreign key/);
    await failsAlike("INSERT INTO dfk_ev_2024 VALUES (5, '2024-03-01', 8)", "23503");
    await failsAlike("DELETE FROM dfk_ref WHERE id = 2", "23503");
    await failsAlike("UPDATE dfk_ev SET r = 7 WHERE id = 1", "23503");
    await same("SELECT * FROM dfk_ev ORDER BY id");
    // The shell tables show the key as PostgreSQL does; every shard of every partition has it.
    await same("SELECT conname, conrelid::regclass::text, confrelid::regclass::text, " +
      "conparentid <> 0 FROM pg_constraint WHERE contype = 'f' AND " +
      "conrelid::regclass::text LIKE 'dfk\\_ev%' ORDER BY 1, 2");
    const counts = await onWorkers(tessera, "SELECT count(*) FROM pg_constraint WHERE " +
      "contype = 'f' AND conrelid::regclass::text LIKE 'dfk\\_ev%'");
    // 32 shards of each of the three tables, half on each worker.
    assert.deepEqual(counts, ["48", "48"]);
  });

  test("keys between colocated distributed partitioned tables", async () => {
    await both("CREATE TABLE dfk_p (id int, at date, PRIMARY KEY (id, at)) " +
      "PARTITION BY RANGE (at)");
    await both("CREATE TABLE dfk_p1 PARTITION OF dfk_p FOR VALUES FROM ('2024-01-01') TO " +
      "('2025-01-01')");
    await both("CREATE TABLE dfk_p2 PARTITION OF dfk_p FOR VALUES FROM ('2025-01-01') TO " +
      "('2026-01-01')");
    await tessera.query("SELECT create_distributed_table('dfk_p', 'id')");
    await both("INSERT INTO dfk_p VALUES (1, '2024-05-01'), (2, '2025-05-01'), " +
      "(3, '2024-06-01')");
    await both("CREATE TABLE dfk_c (id int, at date, k int, FOREIGN KEY (id, at) " +
      "REFERENCES dfk_p (id, at) ON DELETE CASCADE) PARTITION BY LIST (k)");
    await both("CREATE TABLE dfk_c1 PARTITION OF dfk_c FOR VALUES IN (1)");
    await both("CREATE TABLE dfk_c2 PARTITION OF dfk_c FOR VALUES IN (2)");
    await tessera.query("SELECT create_distributed_table('dfk_c', 'id', " +
      "colocate_with => 'dfk_p')");
    await both("INSERT INTO dfk_c VALUES (1, '2024-05-01', 1), (2, '2025-05-01', 2), " +
      "(3, '2024-06-01', 2)");
    await failsAlike("INSERT INTO dfk_c VALUES (1, '2025-05-01', 1)", "23503");
    await both("DELETE FROM dfk_p WHERE id = 1");
    await both("DELETE FROM dfk_p2");
    await same("SELECT * FROM dfk_c ORDER BY id");
    // ADD CONSTRAINT on the parent reaches the partitions' shards and checks their rows.
    await both("CREATE TABLE dfk_e (id int, at date, n int) PARTITION BY LIST (n)");
    await both("CREATE TABLE dfk_e1 PARTITION OF dfk_e FOR VALUES IN (1)");
    await tessera.query("SELECT create_distributed_table('dfk_e', 'id', " +
      "colocate_with => 'dfk_p')");
    await both("INSERT INTO dfk_e VALUES (3, '2024-06-01', 1), (4, '2024-06-01', 1)");
    await failsAlike("ALTER TABLE dfk_e ADD CONSTRAINT dfk_e_fk FOREIGN KEY (id, at) " +
      "REFERENCES dfk_p (id, at)", "23503");
    await both("DELETE FROM dfk_e WHERE id = 4");
    await both("ALTER TABLE dfk_e ADD CONSTRAINT dfk_e_fk FOREIGN KEY (id, at) " +
      "REFERENCES dfk_p (id, at)");
    await failsAlike("INSERT INTO dfk_e VALUES (4, '2024-06-01', 1)", "23503");
    await failsAlike("DELETE FROM dfk_p WHERE id = 3", "23503");
    // DETACH of a referenced partition whose rows are referenced fails on the nodes too.
    await failsAlike("ALTER TABLE dfk_p DETACH PARTITION dfk_p1", "23503");
    await failsAlike("TRUNCATE dfk_p", "0A000");
  });

  test("Citus's refusals for keys of partitioned tables", async () => {
    await both("CREATE TABLE dfk_other (id int PRIMARY KEY)");
    await tessera.query("SELECT create_distributed_table('dfk_other', 'id', " +
      "shard_count => 4)");
    await both("CREATE TABLE dfk_x (id int REFERENCES dfk_other (id), at date) " +
      "PARTITION BY RANGE (at)");
    await both("CREATE TABLE dfk_x1 PARTITION OF dfk_x FOR VALUES FROM ('2024-01-01') TO " +
      "('2025-01-01')");
    const error = await failureOf(tessera, "SELECT create_distributed_table('dfk_x', 'id')");
    assert.equal(error.code, "0A000", error.message);
    assert.match(error.message, /cannot create foreign key constraint/);
    await both("CREATE TABLE dfk_local (id int PRIMARY KEY)");
    await both("CREATE TABLE dfk_y (id int REFERENCES dfk_local (id), at date) " +
      "PARTITION BY RANGE (at)");
    const local = await failureOf(tessera, "SELECT create_distributed_table('dfk_y', 'id')");
    assert.equal(local.code, "42P16", local.message);
    assert.match(local.message, /must be a distributed table or a reference table/);
  });
});
