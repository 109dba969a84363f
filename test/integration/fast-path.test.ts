/**
 * The fast-path router (`planner/fast-path.ts`) against a real `tessera cluster --workers 2`:
 * every query runs with the fast path on and off (`citus.enable_fast_path_router_planner`)
 * and must give the same rows and the same `citus.log_remote_commands` text; prepared
 * statements with parameters, NULL and literal values, transaction blocks, and DDL between
 * executions (node-side prepared statements must not outlive a table change).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { startCluster, type TesseraCluster } from "../harness/index.js";

describe("fast-path router queries", () => {
  let cluster: TesseraCluster;
  let client: pg.Client;
  const notices: string[] = [];

  const connect = async (): Promise<pg.Client> => {
    const c = new pg.Client({ connectionString: cluster.url });
    await c.connect();
    return c;
  };
  const rows = async (c: pg.Client, text: string, values: unknown[] = [], name?: string):
    Promise<unknown[][]> =>
    (await c.query({ text, values, rowMode: "array", ...(name !== undefined && { name }) }))
      .rows as unknown[][];

  before(async () => {
    cluster = await startCluster({ workers: 2 });
    client = await connect();
    client.on("notice", (msg) => notices.push(msg.message ?? ""));
    await client.query("CREATE TABLE fp (id int PRIMARY KEY, v text, n int)");
    await client.query("SELECT create_distributed_table('fp', 'id')");
    await client.query("INSERT INTO fp SELECT i, 'v' || i, i * 10 FROM generate_series(1, 100) i");
    await client.query("UPDATE fp SET v = 'it''s' WHERE id = 42");
  });
  after(async () => {
    await client.end();
    await cluster.stop();
  });

  /** Runs `run` with the fast path on and off; both must return the same thing. */
  const both = async <T>(run: (c: pg.Client) => Promise<T>): Promise<T> => {
    await client.query("SET citus.enable_fast_path_router_planner = on");
    const fast = await run(client);
    await client.query("SET citus.enable_fast_path_router_planner = off");
    const general = await run(client);
    await client.query("RESET citus.enable_fast_path_router_planner");
    assert.deepEqual(fast, general);
    return fast;
  };

  test("prepared statements with parameters route to the right shard", async () => {
    const got = await both(async (c) => {
      const out: unknown[][] = [];
      for (const id of [1, 2, 17, 42, 99, 100, 101]) {
        out.push(...await rows(c, "SELECT id, v, n FROM fp WHERE id = $1", [id]));
      }
      return out;
    });
    assert.deepEqual(got, [[1, "v1", 10], [2, "v2", 20], [17, "v17", 170],
      [42, "it's", 420], [99, "v99", 990], [100, "v100", 1000]]);
  });

  test("literals, casts, extra conditions, text parameters and aggregates", async () => {
    const got = await both(async (c) => [
      await rows(c, "SELECT v FROM fp WHERE id = 7 AND n > 0"),
      await rows(c, "SELECT v FROM fp WHERE '8'::int = id"),
      await rows(c, "SELECT v FROM fp WHERE id = $1::int AND v = $2", ["42", "it's"]),
      await rows(c, "SELECT count(*), max(n) FROM fp WHERE fp.id = $1", [5]),
      await rows(c, "SELECT n, $2::text AS tag FROM fp WHERE id = $1 ORDER BY n LIMIT 1",
        [9, "x"]),
      await rows(c, "SELECT v FROM fp WHERE id = $1", [null]),
      await rows(c, "SELECT v FROM fp WHERE id = 3 AND false"),
    ]);
    assert.deepEqual(got, [[["v7"]], [["v8"]], [["it's"]], [["1", 50]], [[90, "x"]], [], []]);
  });

  test("citus.log_remote_commands shows the general router's text", async () => {
    const logged = await both(async (c) => {
      notices.length = 0;
      await c.query("SET citus.log_remote_commands = on");
      await rows(c, "SELECT v FROM fp WHERE id = $1", [11]);
      await c.query("RESET citus.log_remote_commands");
      return notices.filter((n) => n.startsWith("issuing"));
    });
    assert.equal(logged.length, 1);
    assert.match(logged[0]!, /^issuing SELECT v FROM public\.fp_\d+ AS fp WHERE id = '11'::int$/);
  });

  test("a transaction block reads its own writes through the fast path", async () => {
    await client.query("BEGIN");
    await client.query("UPDATE fp SET n = -1 WHERE id = 3");
    assert.deepEqual(await rows(client, "SELECT n FROM fp WHERE id = $1", [3], "in_block"),
      [[-1]]);
    await client.query("ROLLBACK");
    assert.deepEqual(await rows(client, "SELECT n FROM fp WHERE id = $1", [3], "in_block"),
      [[30]]);
  });

  test("a table change between executions is seen by the next prepared statement", async () => {
    const first = await connect();
    assert.deepEqual(await rows(first, "SELECT * FROM fp WHERE id = $1", [4], "s"),
      [[4, "v4", 40]]);
    await first.end();
    // One connection per node: the ALTER runs on, and gives back, the connection that holds
    // the node-side statement, which the next execution then takes.
    await client.query("SET citus.multi_shard_modify_mode = sequential");
    await client.query("ALTER TABLE fp ADD COLUMN w int DEFAULT 5");
    await client.query("RESET citus.multi_shard_modify_mode");
    const second = await connect();
    try {
      assert.deepEqual(await rows(second, "SELECT * FROM fp WHERE id = $1", [4], "s"),
        [[4, "v4", 40, 5]]);
    } finally {
      await second.end();
    }
    await client.query("ALTER TABLE fp DROP COLUMN w");
  });

  test("DDL inside a transaction block, then more statements in it and after it", async () => {
    await client.query("BEGIN");
    await client.query("CREATE TABLE blk (a int)");
    await client.query("INSERT INTO blk VALUES (1)");
    await client.query("ALTER TABLE fp ADD COLUMN z int DEFAULT 7");
    assert.deepEqual(await rows(client, "SELECT * FROM fp WHERE id = $1", [6]),
      [[6, "v6", 60, 7]]);
    await client.query("COMMIT");
    const other = await connect();
    try {
      assert.deepEqual(await rows(other, "SELECT * FROM fp WHERE id = $1", [6], "t"),
        [[6, "v6", 60, 7]]);
      assert.deepEqual(await rows(other, "SELECT a FROM blk"), [[1]]);
    } finally {
      await other.end();
    }
    await client.query("BEGIN");
    await client.query("ALTER TABLE fp DROP COLUMN z");
    await client.query("ROLLBACK");
    assert.deepEqual(await rows(client, "SELECT * FROM fp WHERE id = $1", [6]),
      [[6, "v6", 60, 7]]);
    await client.query("ALTER TABLE fp DROP COLUMN z");
    await client.query("DROP TABLE blk");
  });

  test("a worker's error keeps its SQLSTATE, and the statement runs again after it",
    async () => {
      const outcome = await both(async (c) => {
        const codes: unknown[] = [];
        for (const divisor of [0, 2, 0, 5]) {
          try {
            codes.push(...await rows(c, "SELECT n / $2 FROM fp WHERE id = $1", [10, divisor]));
          } catch (error) {
            codes.push((error as { code?: string }).code);
          }
        }
        return codes;
      });
      assert.deepEqual(outcome, ["22012", [50], "22012", [20]]);
    });

  test("a cancel stops a long fast-path query on its node", async () => {
    const c = await connect();
    try {
      await c.query("SET statement_timeout = '300ms'");
      const started = Date.now();
      await assert.rejects(rows(c, "SELECT pg_sleep($2), n FROM fp WHERE id = $1", [12, 20]),
        (error: { code?: string }) => error.code === "57014");
      assert.ok(Date.now() - started < 5_000, "the cancel came in time");
      await c.query("RESET statement_timeout");
      assert.deepEqual(await rows(c, "SELECT n FROM fp WHERE id = $1", [12]), [[120]]);
      // A cancel from another session, while the statement has not made its abort signal.
      const pid = (await rows(c, "SELECT pg_backend_pid()"))[0]?.[0];
      const sleeping = rows(c, "SELECT pg_sleep($2), n FROM fp WHERE id = $1", [13, 20])
        .then(() => "rows", (error: { code?: string }) => error.code);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.deepEqual(await rows(client, "SELECT pg_cancel_backend($1)", [pid]), [[true]]);
      assert.equal(await sleeping, "57014");
      assert.ok(Date.now() - started < 10_000, "both cancels came in time");
      assert.deepEqual(await rows(c, "SELECT n FROM fp WHERE id = $1", [13]), [[130]]);
    } finally {
      await c.end();
    }
  });

  test("more statements than a node connection keeps prepared run unnamed", async () => {
    const c = await connect();
    try {
      for (let k = 0; k < 300; k++) {
        const got = await rows(c, `SELECT n + ${k} FROM fp WHERE id = $1`, [k % 100 + 1],
          `many_${k}`);
        assert.deepEqual(got, [[(k % 100 + 1) * 10 + k]]);
      }
    } finally {
      await c.end();
    }
  });

  test("multi-shard queries still run on every shard", async () => {
    const got = await both((c) => rows(c, "SELECT count(*), sum(n) FROM fp WHERE id > $1", [50]));
    assert.deepEqual(got, [["50", "37750"]]);
  });
});
