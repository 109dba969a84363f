/**
 * Transaction blocks over distributed tables (`tessera cluster --workers 2`): inside BEGIN
 * the coordinator keeps one remote transaction per worker, so ROLLBACK undoes the block's
 * writes on every worker, COMMIT keeps them, the block reads its own writes, and a failed
 * statement fails the block until ROLLBACK (or ROLLBACK TO a savepoint).
 *
 * The commit protocol is Citus's: two-phase commit only when the block wrote over more than
 * one connection (or ran a write of several tasks); connections that only read get a plain
 * COMMIT, and a block that only read leaves no pg_dist_transaction row. A read of many
 * shards in a block runs over several connections per node, unless the block wrote there.
 */
import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { startCluster, type TesseraCluster } from "../harness/index.js";

describe("distributed transactions", () => {
  let cluster: TesseraCluster;
  let client: pg.Client;
  const notices: { message: string; detail: string }[] = [];
  const issued = (): string[] => notices.map((n) => n.message)
    .filter((m) => m.startsWith("issuing ")).map((m) => m.slice("issuing ".length));
  const logged = async (): Promise<number> =>
    (await q("SELECT count(*)::int AS n FROM pg_dist_transaction"))[0]!["n"] as number;
  /** Two ids of `accounts` whose shards live on different workers. */
  const idsOnTwoWorkers = async (): Promise<[number, number]> => {
    const rows = await q("SELECT g AS id, min(p.groupid) AS groupid FROM generate_series(1, 8) g" +
      " JOIN pg_dist_placement p" +
      " ON p.shardid = get_shard_id_for_distribution_column('accounts', g) GROUP BY g ORDER BY g");
    const first = rows[0]!;
    const other = rows.find((row) => row["groupid"] !== first["groupid"])!;
    return [first["id"] as number, other["id"] as number];
  };
  const q = async (sql: string, values: unknown[] = []): Promise<Record<string, unknown>[]> =>
    (await client.query(sql, values)).rows as Record<string, unknown>[];
  const balances = async (): Promise<Record<string, unknown>[]> =>
    q("SELECT id, balance FROM accounts ORDER BY id");

  before(async () => {
    cluster = await startCluster({ workers: 2,
      env: { TESSERA_RECOVER_2PC_INTERVAL: "10min" } });
    client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    client.on("notice", (notice) => notices.push({ message: notice.message ?? "",
      detail: notice.detail ?? "" }));
    await q("CREATE TABLE accounts (id int PRIMARY KEY, balance int NOT NULL)");
    await q("SELECT create_distributed_table('accounts', 'id')");
    await q("CREATE TABLE kinds (k int PRIMARY KEY, label text)");
    await q("SELECT create_reference_table('kinds')");
  });
  after(async () => {
    await client.end();
    await cluster.stop();
  });
  beforeEach(async () => {
    await q("DELETE FROM accounts");
    await q("DELETE FROM kinds");
    await q("INSERT INTO accounts SELECT g, 100 FROM generate_series(1, 8) g");
    await q("RESET citus.log_remote_commands");
    await q("SELECT recover_prepared_transactions()");
    notices.length = 0;
  });

  test("the rows live on both workers", async () => {
    const nodes = await q("SELECT count(DISTINCT p.groupid)::int AS n FROM pg_dist_placement p" +
      " WHERE p.shardid IN (SELECT get_shard_id_for_distribution_column('accounts', g)" +
      " FROM generate_series(1, 8) g)");
    assert.deepEqual(nodes, [{ n: 2 }]);
  });

  test("BEGIN; INSERT; ROLLBACK leaves no row", async () => {
    await q("BEGIN");
    await q("INSERT INTO accounts SELECT g, 1 FROM generate_series(11, 18) g");
    await q("INSERT INTO accounts VALUES ($1, $2)", [19, 1]);
    await q("INSERT INTO kinds VALUES (1, 'one')");
    await q("ROLLBACK");
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM accounts WHERE id > 10"), [{ n: 0 }]);
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM kinds"), [{ n: 0 }]);
  });

  test("BEGIN; UPDATE across shards on both workers; COMMIT keeps every row", async () => {
    await q("BEGIN");
    await q("UPDATE accounts SET balance = balance - 10 WHERE id = 1");
    await q("UPDATE accounts SET balance = balance + 10 WHERE id = 2");
    await q("UPDATE accounts SET balance = balance + 1");
    await q("COMMIT");
    const expected = [91, 111, 101, 101, 101, 101, 101, 101].map((balance, i) =>
      ({ id: i + 1, balance }));
    assert.deepEqual(await balances(), expected);
  });

  test("BEGIN; UPDATE across shards; ROLLBACK restores every row", async () => {
    await q("BEGIN");
    await q("UPDATE accounts SET balance = 0");
    await q("DELETE FROM accounts WHERE id = 3");
    await q("ROLLBACK");
    assert.deepEqual(await balances(), [1, 2, 3, 4, 5, 6, 7, 8].map((id) =>
      ({ id, balance: 100 })));
  });

  test("a block reads its own writes, others do not see them", async () => {
    const other = new pg.Client({ connectionString: cluster.url });
    await other.connect();
    try {
      await q("BEGIN");
      await q("INSERT INTO accounts VALUES (21, 5), (22, 6), (23, 7)");
      await q("UPDATE accounts SET balance = 0 WHERE id <= 4");
      assert.deepEqual(await q("SELECT count(*)::int AS n, sum(balance)::int AS s" +
        " FROM accounts"), [{ n: 11, s: 418 }]);
      assert.deepEqual(await q("SELECT balance FROM accounts WHERE id = 22"), [{ balance: 6 }]);
      const outside = await other.query("SELECT count(*)::int AS n, sum(balance)::int AS s" +
        " FROM accounts");
      assert.deepEqual(outside.rows, [{ n: 8, s: 800 }]);
      await q("COMMIT");
      const after = await other.query("SELECT count(*)::int AS n FROM accounts");
      assert.deepEqual(after.rows, [{ n: 11 }]);
    } finally {
      await other.end();
    }
  });

  test("a failed statement fails the block; ROLLBACK undoes what came before", async () => {
    await q("BEGIN");
    await q("INSERT INTO accounts VALUES (31, 1), (32, 2), (33, 3)");
    await assert.rejects(q("INSERT INTO accounts VALUES (1, 1)"), { code: "23505" });
    await assert.rejects(q("SELECT count(*) FROM accounts"), { code: "25P02" });
    await q("ROLLBACK");
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM accounts"), [{ n: 8 }]);
    // The session's next block starts clean on every worker.
    await q("BEGIN");
    await q("INSERT INTO accounts VALUES (31, 1)");
    await q("COMMIT");
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM accounts"), [{ n: 9 }]);
  });

  test("COMMIT of a failed block rolls it back", async () => {
    await q("BEGIN");
    await q("UPDATE accounts SET balance = 0");
    await assert.rejects(q("SELECT 1 / 0 FROM accounts"), { code: "22012" });
    const result = await client.query("COMMIT");
    assert.equal(result.command, "ROLLBACK");
    assert.deepEqual(await q("SELECT sum(balance)::int AS s FROM accounts"), [{ s: 800 }]);
  });

  test("ROLLBACK TO SAVEPOINT undoes only the writes after it, on every worker", async () => {
    await q("BEGIN");
    await q("UPDATE accounts SET balance = 1 WHERE id = 1");
    await q("SAVEPOINT a");
    await q("UPDATE accounts SET balance = 2");
    await q("INSERT INTO accounts VALUES (41, 1)");
    await q("ROLLBACK TO SAVEPOINT a");
    await q("UPDATE accounts SET balance = 3 WHERE id = 2");
    await q("SAVEPOINT b");
    await assert.rejects(q("INSERT INTO accounts VALUES (2, 1)"), { code: "23505" });
    await q("ROLLBACK TO SAVEPOINT b");
    await q("RELEASE SAVEPOINT b");
    await q("COMMIT");
    const rows = await balances();
    assert.deepEqual(rows.slice(0, 3), [{ id: 1, balance: 1 }, { id: 2, balance: 3 },
      { id: 3, balance: 100 }]);
    assert.equal(rows.length, 8);
  });

  test("a block that only reads commits each connection with a plain COMMIT", async () => {
    assert.equal(await logged(), 0);
    await q("SET citus.log_remote_commands = on");
    await q("BEGIN");
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM accounts"), [{ n: 8 }]);
    assert.deepEqual(await q("SELECT balance FROM accounts WHERE id = 3"), [{ balance: 100 }]);
    await q("COMMIT");
    const commands = issued();
    const begins = commands.filter((c) =>
      /^BEGIN TRANSACTION ISOLATION LEVEL READ COMMITTED/.test(c));
    assert.ok(begins.length >= 2, commands.join("\n"));
    assert.equal(commands.filter((c) => c === "COMMIT").length, begins.length);
    assert.ok(!commands.some((c) => /PREPARE/.test(c)), commands.join("\n"));
    assert.equal(await logged(), 0);
  });

  test("a block that wrote on one worker and read both commits with one phase", async () => {
    await q("SET citus.log_remote_commands = on");
    await q("BEGIN");
    await q("SELECT sum(balance) FROM accounts");
    await q("UPDATE accounts SET balance = 7 WHERE id = 1");
    assert.deepEqual(await q("SELECT sum(balance)::int AS s FROM accounts"), [{ s: 707 }]);
    await q("COMMIT");
    const commands = issued();
    assert.ok(!commands.some((c) => /PREPARE/.test(c)), commands.join("\n"));
    assert.ok(commands.includes("COMMIT"), commands.join("\n"));
    assert.equal(await logged(), 0);
    assert.deepEqual(await q("SELECT balance FROM accounts WHERE id = 1"), [{ balance: 7 }]);
  });

  test("a block that wrote on two workers prepares only the writers", async () => {
    const [a, b] = await idsOnTwoWorkers();
    await q("SET citus.log_remote_commands = on");
    await q("BEGIN");
    await q("SELECT count(*) FROM accounts");
    await q("UPDATE accounts SET balance = 1 WHERE id = $1", [a]);
    await q("UPDATE accounts SET balance = 2 WHERE id = $1", [b]);
    await q("COMMIT");
    const commands = issued();
    const gids = commands.flatMap((c) => {
      const match = /^PREPARE TRANSACTION '(citus_0_\d+_\d+_\d+)'$/.exec(c);
      return match === null ? [] : [match[1]!];
    });
    assert.equal(gids.length, 2, commands.join("\n"));
    for (const gid of gids) assert.ok(commands.includes(`COMMIT PREPARED '${gid}'`), gid);
    const begins = commands.filter((c) => c.startsWith("BEGIN TRANSACTION")).length;
    // Every other connection of the block only read: a plain COMMIT each.
    assert.equal(commands.filter((c) => c === "COMMIT").length, begins - 2);
    const rows = await q("SELECT gid FROM pg_dist_transaction ORDER BY gid");
    assert.deepEqual(rows.map((row) => row["gid"]), [...gids].sort());
    assert.deepEqual(await q("SELECT id, balance FROM accounts WHERE id IN ($1, $2) ORDER BY id",
      [a, b]), [{ id: Math.min(a, b), balance: a < b ? 1 : 2 },
      { id: Math.max(a, b), balance: a < b ? 2 : 1 }]);
  });

  test("a read in a block runs over several connections per worker", async () => {
    await q("SET citus.log_remote_commands = on");
    await q("BEGIN");
    await q("SELECT count(*) FROM accounts");
    const connections = new Set(notices.filter((n) => n.message.startsWith("issuing SELECT"))
      .map((n) => n.detail));
    await q("COMMIT");
    assert.ok(connections.size > 2, [...connections].join("\n"));
  });

  test("reads after writes in a block see them, on every shard", async () => {
    await q("BEGIN");
    assert.deepEqual(await q("SELECT sum(balance)::int AS s FROM accounts"), [{ s: 800 }]);
    await q("UPDATE accounts SET balance = balance + 1 WHERE id = 5");
    assert.deepEqual(await q("SELECT sum(balance)::int AS s FROM accounts"), [{ s: 801 }]);
    await q("UPDATE accounts SET balance = balance + 10");
    await q("INSERT INTO accounts VALUES (51, 1), (52, 2), (53, 3)");
    assert.deepEqual(await q("SELECT count(*)::int AS n, sum(balance)::int AS s" +
      " FROM accounts"), [{ n: 11, s: 887 }]);
    assert.deepEqual(await q("SELECT balance FROM accounts WHERE id = 5"), [{ balance: 111 }]);
    await q("ROLLBACK");
    assert.deepEqual(await q("SELECT count(*)::int AS n, sum(balance)::int AS s" +
      " FROM accounts"), [{ n: 8, s: 800 }]);
  });

  test("DDL after a parallel read in a block does not wait for the block itself", async () => {
    await q("BEGIN");
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM accounts"), [{ n: 8 }]);
    await q("ALTER TABLE accounts ADD COLUMN note text");
    await q("TRUNCATE accounts");
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM accounts"), [{ n: 0 }]);
    await q("ROLLBACK");
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM accounts"), [{ n: 8 }]);
    await assert.rejects(q("SELECT note FROM accounts"), { code: "42703" });
  });

  test("a DO block that only reads leaves no pg_dist_transaction row", async () => {
    await q("SET citus.log_remote_commands = on");
    await q(`DO $$ DECLARE n bigint; BEGIN
      FOR i IN 1..5 LOOP SELECT count(*) INTO n FROM accounts; END LOOP; END $$`);
    assert.ok(!issued().some((c) => /PREPARE/.test(c)), issued().join("\n"));
    assert.equal(await logged(), 0);
  });
});
