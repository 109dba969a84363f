/**
 * Writes outside transaction blocks are all-or-nothing (`tessera cluster --workers 2`), as
 * Citus's coordinated transactions make them: a multi-shard UPDATE, a multi-row INSERT, a
 * COPY, a write to a reference table and propagated DDL either change every shard or none,
 * even when only one shard's rows (or one worker's placement) fail. A write over several
 * connections commits with two-phase commit (PREPARE TRANSACTION / COMMIT PREPARED, the
 * decision in pg_dist_transaction); a router write stays one autocommitted command.
 */
import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { psql, queryNode, startCluster, type TesseraCluster } from "../harness/index.js";

describe("atomic writes outside transaction blocks", () => {
  let cluster: TesseraCluster;
  let client: pg.Client;
  const notices: string[] = [];
  const q = async (sql: string, values: unknown[] = []): Promise<Record<string, unknown>[]> =>
    (await client.query(sql, values)).rows as Record<string, unknown>[];
  const onWorker = queryNode;
  const values = async (): Promise<unknown[]> =>
    (await q("SELECT v FROM items ORDER BY id")).map((row) => row["v"]);
  const rejectsWith = async (sql: string, code: string, message: RegExp): Promise<void> => {
    await assert.rejects(q(sql), (error: pg.DatabaseError) => {
      assert.equal(error.code, code);
      assert.match(error.message, message);
      return true;
    });
  };

  before(async () => {
    cluster = await startCluster({ workers: 2,
      env: { TESSERA_RECOVER_2PC_INTERVAL: "10min" } });
    client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    client.on("notice", (notice) => notices.push(notice.message ?? ""));
    await q("CREATE TABLE items (id int PRIMARY KEY, v int NOT NULL CHECK (v < 1000))");
    await q("SELECT create_distributed_table('items', 'id')");
    await q("CREATE TABLE kinds (k int PRIMARY KEY, label text)");
    await q("SELECT create_reference_table('kinds')");
  });
  after(async () => {
    await client.end();
    await cluster.stop();
  });
  beforeEach(async () => {
    await q("RESET citus.log_remote_commands");
    await q("DELETE FROM items");
    await q("DELETE FROM kinds");
    await q("INSERT INTO items SELECT g, 10 FROM generate_series(1, 20) g");
    await q("INSERT INTO kinds VALUES (1, 'one'), (2, 'two')");
    notices.length = 0;
  });

  test("the rows live on both workers", async () => {
    assert.deepEqual(await q("SELECT count(DISTINCT p.groupid)::int AS n FROM pg_dist_placement p" +
      " WHERE p.shardid IN (SELECT get_shard_id_for_distribution_column('items', g)" +
      " FROM generate_series(1, 20) g)"), [{ n: 2 }]);
  });

  test("a multi-shard UPDATE that fails a CHECK on one shard changes nothing", async () => {
    await rejectsWith("UPDATE items SET v = CASE WHEN id = 17 THEN 5000 ELSE v + 1 END",
      "23514", /new row for relation "items_\d+" violates check constraint/);
    assert.deepEqual(await values(), new Array(20).fill(10));
    await rejectsWith("DELETE FROM items WHERE 1 / (id - 13) > -1", "22012",
      /division by zero/);
    assert.equal((await values()).length, 20);
    await q("UPDATE items SET v = v + 1");
    assert.deepEqual(await values(), new Array(20).fill(11));
  });

  test("a multi-row INSERT with a duplicate key in one shard inserts nothing", async () => {
    const rows = [101, 102, 103, 104, 105, 106, 107, 108, 5, 109, 110].map((id) => `(${id}, 1)`);
    await rejectsWith(`INSERT INTO items VALUES ${rows.join(", ")}`, "23505",
      /duplicate key value violates unique constraint "items_pkey_\d+"/);
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM items WHERE id > 100"), [{ n: 0 }]);
    await rejectsWith("INSERT INTO items SELECT g, g * 100 FROM generate_series(101, 120) g",
      "23514", /violates check constraint/);
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM items"), [{ n: 20 }]);
  });

  test("a COPY with a bad row in the middle inserts nothing", async () => {
    // Row 20 repeats an existing key: only its shard's unique index on a worker can tell.
    const lines = Array.from({ length: 40 }, (_, i) => `${i === 20 ? 5 : 200 + i}\t1`);
    const dir = mkdtempSync(join(tmpdir(), "tessera-atomic-copy-"));
    const file = join(dir, "copy.sql");
    writeFileSync(file, `\\copy items (id, v) from stdin\n${lines.join("\n")}\n\\.\n`);
    try {
      await assert.rejects(psql(cluster.port, "SELECT 1", { extraArgs: ["-f", file] }),
        /duplicate key value violates unique constraint "items_pkey_\d+"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM items WHERE id >= 200"), [{ n: 0 }]);
  });

  test("a reference-table write that fails on one worker's placement changes nothing",
    async () => {
      const [shard] = await q("SELECT shardid::int AS id FROM pg_dist_shard" +
        " WHERE logicalrelid = 'kinds'::regclass");
      const placement = `kinds_${String(shard!["id"])}`;
      const [first, second] = cluster.workerPorts;
      await onWorker(second!, `ALTER TABLE ${placement} ADD CONSTRAINT no_13 CHECK (k <> 13)`);
      try {
        await rejectsWith("INSERT INTO kinds VALUES (12, 'a'), (13, 'b')", "23514",
          /violates check constraint "no_13"/);
        await rejectsWith("UPDATE kinds SET k = k + 11", "23514", /no_13/);
        for (const port of [first!, second!]) {
          assert.deepEqual(await onWorker(port, `SELECT k FROM ${placement} ORDER BY k`),
            [{ k: 1 }, { k: 2 }], `placement on port ${port}`);
        }
      } finally {
        await onWorker(second!, `ALTER TABLE ${placement} DROP CONSTRAINT no_13`);
      }
    });

  test("DDL that fails on one shard is applied to none", async () => {
    await q("UPDATE items SET v = 500 WHERE id = 7");
    await rejectsWith("ALTER TABLE items ADD CONSTRAINT v_small CHECK (v < 100)", "23514",
      /is violated by some row/);
    await q("INSERT INTO items VALUES (300, 200)");
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM items WHERE v >= 100"), [{ n: 2 }]);
  });

  test("a write over several workers commits with two-phase commit, a router write without",
    async () => {
      await q("SET citus.log_remote_commands = on");
      await q("UPDATE items SET v = v + 1");
      const prepared = notices.flatMap((notice) => {
        const match = /^issuing PREPARE TRANSACTION '(citus_0_\d+_\d+_\d+)'$/.exec(notice);
        return match === null ? [] : [match[1]!];
      });
      assert.ok(prepared.length >= 2, notices.join("\n"));
      for (const gid of prepared) {
        assert.ok(notices.includes(`issuing COMMIT PREPARED '${gid}'`), gid);
      }
      assert.ok(notices.some((n) => /^issuing BEGIN TRANSACTION ISOLATION LEVEL READ COMMITTED/
        .test(n)));
      const logged = await q("SELECT gid FROM pg_dist_transaction");
      for (const gid of prepared) assert.ok(logged.some((row) => row["gid"] === gid), gid);

      notices.length = 0;
      await q("UPDATE items SET v = 0 WHERE id = 3");
      await q("INSERT INTO items VALUES (400, 1)");
      assert.equal(notices.length, 2, notices.join("\n"));
      assert.ok(notices.every((n) => /^issuing (UPDATE|INSERT)/.test(n)), notices.join("\n"));
      assert.deepEqual(await q("SELECT v FROM items WHERE id IN (3, 400) ORDER BY id"),
        [{ v: 0 }, { v: 1 }]);
    });

  test("citus.recover_2pc_interval shows its configured value and refuses SET", async () => {
    assert.deepEqual(await q("SHOW citus.recover_2pc_interval"),
      [{ "citus.recover_2pc_interval": "10min" }]);
    await rejectsWith("SET citus.recover_2pc_interval = '5s'", "55P02",
      /^parameter "citus.recover_2pc_interval" cannot be changed now$/);
  });
});
