/**
 * Shard DDL in one message per worker, and simple views merged into their queries, on a real
 * `tessera cluster --workers 2` (logging at info, so that with citus.log_remote_commands the
 * coordinator's "remote command" lines show each message it sent):
 *
 * - `ALTER TABLE` and `CREATE INDEX` on a 32-shard table send one message per worker (the
 *   coordinator log has two such lines, each with the 16 shard commands of its worker), while
 *   citus.log_remote_commands still shows one NOTICE per shard command, as Citus does;
 * - a shard refusing the change in the middle of a worker's message leaves no shard, and not
 *   the coordinator's shell table, changed;
 * - `create_distributed_table` in a new schema creates the schema and the shards in one
 *   message per worker;
 * - a filter on a simple view is routed to one shard, an aggregate over it and its join with
 *   a reference table are pushed down (no `Distributed Subplan`), with the same rows as on
 *   the table; ALTER VIEW works; an UPDATE through such a view is routed to one shard.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { queryNode, startCluster, type TesseraCluster } from "../harness/index.js";

/**
 * The coordinator's "remote command" log lines written since `mark` whose command matches,
 * once `count` of them arrived (the log reaches the pipe a little after the statement ends)
 * or a second passed.
 */
async function sentCommands(cluster: TesseraCluster, mark: number, pattern: RegExp,
  count: number): Promise<string[]> {
  const read = (): string[] => cluster.output().slice(mark).split("\n").flatMap((line) => {
    if (!line.includes('"remote command"')) return [];
    const command = (JSON.parse(line) as { command?: string }).command ?? "";
    return pattern.test(command) ? [command] : [];
  });
  for (let waited = 0; waited < 1_000 && read().length < count; waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return read();
}

describe("shard DDL batching and simple views", () => {
  let cluster: TesseraCluster;
  let client: pg.Client;
  const notices: string[] = [];
  const plan = async (sql: string): Promise<string> => (await client.query(
    `EXPLAIN (COSTS OFF) ${sql}`)).rows.map((r: Record<string, string>) => r["QUERY PLAN"])
    .join("\n");

  before(async () => {
    cluster = await startCluster({ workers: 2, args: ["--log-level", "info"] });
    client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    client.on("notice", (n) => notices.push(n.message ?? ""));
    await client.query("CREATE TABLE ev (id int, dev int, v int)");
    await client.query("SELECT create_distributed_table('ev', 'dev', shard_count := 32)");
    await client.query("INSERT INTO ev SELECT g, g % 10, g FROM generate_series(1, 200) g");
  });

  after(async () => {
    await client?.end();
    await cluster?.stop();
  });

  test("ALTER TABLE and CREATE INDEX send one message per worker", async () => {
    for (const [sql, pattern] of [["ALTER TABLE ev ADD COLUMN x int", /^ALTER TABLE/],
      ["CREATE INDEX ev_v ON ev (v)", /^CREATE INDEX/]] as const) {
      const mark = cluster.output().length;
      notices.length = 0;
      await client.query("SET citus.log_remote_commands = on");
      await client.query(sql);
      await client.query("RESET citus.log_remote_commands");
      const messages = await sentCommands(cluster, mark, pattern, 2);
      assert.equal(messages.length, 2, messages.join("\n"));
      for (const message of messages) assert.equal(message.split("; ").length, 16, message);
      const shardNotices = notices.filter((n) => pattern.test(n.replace(/^issuing /, "")));
      assert.equal(shardNotices.length, 32, notices.join("\n"));
      assert.ok(shardNotices.every((n) => !n.includes("; ")), shardNotices.join("\n"));
    }
    const shards = await client.query(
      "SELECT count(*)::int AS n FROM pg_dist_shard WHERE logicalrelid = 'ev'::regclass");
    assert.equal(shards.rows[0].n, 32);
    assert.deepEqual((await client.query("SELECT count(x), sum(v) FROM ev")).rows,
      [{ count: "0", sum: "20100" }]);
  });

  test("a shard refusing inside a worker's message changes nothing", async () => {
    const shard = await client.query("SELECT shardid FROM pg_dist_shard WHERE logicalrelid = " +
      "'ev'::regclass ORDER BY shardid OFFSET 20 LIMIT 1");
    const id = Number(shard.rows[0].shardid);
    const placement = await client.query(
      `SELECT nodeport FROM citus_shards WHERE shardid = ${id}`);
    const port = Number(placement.rows[0].nodeport);
    await queryNode(port, `ALTER TABLE public.ev_${id} ADD COLUMN y int`);
    await assert.rejects(client.query("ALTER TABLE ev ADD COLUMN y int"),
      (error: pg.DatabaseError) => error.code === "42701");
    await queryNode(port, `ALTER TABLE public.ev_${id} DROP COLUMN y`);
    const columns = await client.query("SELECT count(*)::int AS n FROM " +
      "information_schema.columns WHERE table_name = 'ev' AND column_name = 'y'");
    assert.equal(columns.rows[0].n, 0);
    for (const workerPort of cluster.workerPorts) {
      const onWorker = await queryNode(workerPort, "SELECT count(*)::int AS n FROM " +
        "information_schema.columns WHERE column_name = 'y'");
      assert.equal(onWorker[0]!["n"], 0, `port ${workerPort}`);
    }
    await client.query("ALTER TABLE ev ADD COLUMN y int");
    await client.query("ALTER TABLE ev DROP COLUMN y");
  });

  test("create_distributed_table in a new schema: one message per worker", async () => {
    await client.query("CREATE SCHEMA metrics");
    await client.query("CREATE TABLE metrics.readings (dev int, at int, value float8)");
    const mark = cluster.output().length;
    await client.query("SET citus.log_remote_commands = on");
    await client.query("SELECT create_distributed_table('metrics.readings', 'dev', " +
      "shard_count := 8)");
    await client.query("RESET citus.log_remote_commands");
    const messages = await sentCommands(cluster, mark, /CREATE TABLE metrics\.readings_/, 2);
    assert.equal(messages.length, 2, messages.join("\n"));
    await client.query("INSERT INTO metrics.readings VALUES (1, 1, 0.5), (2, 2, 1.5)");
    assert.deepEqual((await client.query("SELECT sum(value) FROM metrics.readings")).rows,
      [{ sum: 2 }]);
  });

  test("simple views are merged: routed, pushed down, same rows", async () => {
    await client.query("CREATE VIEW ev_big (d, val) AS SELECT dev, v FROM ev WHERE v > 50");
    const routed = await plan("SELECT * FROM ev_big WHERE d = 3");
    assert.match(routed, /Task Count: 1\n/);
    const pushed = await plan("SELECT d, count(*) AS n FROM ev_big GROUP BY d ORDER BY n, d");
    assert.doesNotMatch(pushed, /Distributed Subplan/);
    assert.deepEqual((await client.query("SELECT d, count(*) AS n, sum(val) FROM ev_big x " +
      "WHERE x.d IN (3, 4) GROUP BY d ORDER BY n, d")).rows, (await client.query(
      "SELECT dev AS d, count(*) AS n, sum(v) FROM ev WHERE v > 50 AND dev IN (3, 4) " +
      "GROUP BY dev ORDER BY n, d")).rows);
    await client.query("CREATE TABLE kinds (dev int PRIMARY KEY, name text)");
    await client.query("SELECT create_reference_table('kinds')");
    await client.query("INSERT INTO kinds SELECT g, 'kind ' || g FROM generate_series(0, 9) g");
    const joined = "SELECT k.name, count(*) FROM ev_big b JOIN kinds k ON k.dev = b.d " +
      "GROUP BY k.name ORDER BY 1";
    assert.doesNotMatch(await plan(joined), /Distributed Subplan/);
    assert.deepEqual((await client.query(joined)).rows, (await client.query(
      "SELECT k.name, count(*) FROM ev JOIN kinds k ON k.dev = ev.dev WHERE v > 50 " +
      "GROUP BY k.name ORDER BY 1")).rows);
    await client.query("CREATE VIEW ev_big_low AS SELECT * FROM ev_big WHERE val < 100");
    assert.match(await plan("SELECT count(*) FROM ev_big_low WHERE d = 7"), /Task Count: 1\n/);
    assert.deepEqual((await client.query("SELECT count(*) FROM ev_big_low WHERE d = 7")).rows,
      [{ count: "5" }]);
    await client.query("DROP VIEW ev_big_low");
    await client.query("ALTER VIEW ev_big RENAME TO ev_large");
    assert.deepEqual((await client.query("SELECT count(*) FROM ev_large")).rows,
      [{ count: "150" }]);
    assert.match(await plan("UPDATE ev_large SET val = val WHERE d = 3"), /Task Count: 1\n/);
    assert.equal((await client.query("UPDATE ev_large SET val = val WHERE d = 3")).rowCount, 15);
    await client.query("DROP VIEW ev_large");
  });
});
