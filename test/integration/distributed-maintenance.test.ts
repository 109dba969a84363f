/**
 * Maintenance commands on a real `tessera cluster --workers 2`, as Citus propagates them:
 * VACUUM and ANALYZE (with options and columns) reach every shard placement, outside any
 * transaction; a VACUUM naming no table runs on every worker; REINDEX TABLE and CLUSTER …
 * USING reach the shards in one transaction (the shard's index clustered on the workers);
 * CLUSTER (VERBOSE) is refused with Citus's message. The coordinator's PREPARE TRANSACTION
 * answers as PostgreSQL with max_prepared_transactions = 0.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { failureOf, onWorkers, startCluster, type TesseraCluster } from "../harness/index.js";

describe("maintenance commands on distributed tables", () => {
  let cluster: TesseraCluster;
  let client: pg.Client;
  const notices: string[] = [];
  const q = async (sql: string): Promise<pg.QueryResult> => client.query(sql);

  before(async () => {
    cluster = await startCluster({ workers: 2 });
    client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    client.on("notice", (n) => notices.push(n.message ?? ""));
    await q("CREATE TABLE dt (id int PRIMARY KEY, v int)");
    await q("CREATE INDEX dt_v ON dt (v)");
    await q("SELECT create_distributed_table('dt', 'id', shard_count => 4)");
    await q("INSERT INTO dt SELECT g, g % 10 FROM generate_series(1, 200) g");
  });
  after(async () => {
    await client?.end();
    await cluster?.stop();
  });

  test("VACUUM and ANALYZE run on every shard placement", async () => {
    await q("SET citus.log_remote_commands TO on");
    notices.length = 0;
    assert.equal((await q("VACUUM dt")).command, "VACUUM");
    assert.deepEqual(notices.filter((n) => n.startsWith("issuing VACUUM")).sort(),
      [102008, 102009, 102010, 102011].map((id) => `issuing VACUUM public.dt_${id}`));
    notices.length = 0;
    await q("VACUUM (ANALYZE, FREEZE) dt (v)");
    assert.ok(notices.includes("issuing VACUUM (ANALYZE, FREEZE) public.dt_102010 (v)"),
      notices.join("\n"));
    notices.length = 0;
    assert.equal((await q("ANALYZE dt")).command, "ANALYZE");
    assert.equal(notices.filter((n) => /^issuing ANALYZE public\.dt_1020\d\d$/.test(n)).length,
      4);
    notices.length = 0;
    await q("VACUUM");
    assert.deepEqual(notices.filter((n) => n === "issuing VACUUM"), ["issuing VACUUM",
      "issuing VACUUM"]);
    await q("RESET citus.log_remote_commands");
    await q("BEGIN");
    const inBlock = await failureOf(client, "VACUUM dt");
    assert.equal(inBlock.code, "25001");
    assert.equal(inBlock.message, "VACUUM cannot run inside a transaction block");
    await q("ROLLBACK");
    assert.deepEqual((await q("SELECT count(*)::int AS n FROM dt")).rows, [{ n: 200 }]);
  });

  test("REINDEX TABLE and CLUSTER … USING reach the shards", async () => {
    assert.equal((await q("REINDEX TABLE dt")).command, "REINDEX");
    assert.equal((await q("CLUSTER dt USING dt_v")).command, "CLUSTER");
    assert.deepEqual(await onWorkers(client, "SELECT string_agg(c.relname, ',' ORDER BY " +
      "c.relname) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid " +
      "WHERE i.indisclustered"), ["dt_v_102008,dt_v_102010", "dt_v_102009,dt_v_102011"]);
    assert.deepEqual((await q("SELECT indexrelid::regclass::text AS i FROM pg_index " +
      "WHERE indisclustered")).rows, [{ i: "dt_v" }]);
    const verbose = await failureOf(client, "CLUSTER (VERBOSE) dt USING dt_v");
    assert.equal(verbose.message, "cannot run CLUSTER command");
    assert.equal(verbose.detail, "VERBOSE option is currently unsupported for distributed " +
      "tables.");
    assert.deepEqual((await q("SELECT sum(v)::int AS s FROM dt")).rows, [{ s: 900 }]);
  });

  test("PREPARE TRANSACTION on the coordinator is PostgreSQL's with them disabled",
    async () => {
      await q("BEGIN");
      await q("INSERT INTO dt VALUES (1000, 1)");
      const prepare = await failureOf(client, "PREPARE TRANSACTION 'gx'");
      assert.equal(prepare.code, "55000");
      assert.equal(prepare.message, "prepared transactions are disabled");
      assert.equal(prepare.hint, "Set max_prepared_transactions to a nonzero value.");
      // The failed PREPARE ended the block, as in PostgreSQL: the insert is gone.
      assert.deepEqual((await q("SELECT count(*)::int AS n FROM dt WHERE id = 1000")).rows,
        [{ n: 0 }]);
      const commit = await failureOf(client, "COMMIT PREPARED 'gx'");
      assert.equal(commit.code, "42704");
      assert.equal(commit.message, 'prepared transaction with identifier "gx" does not exist');
    });
});
