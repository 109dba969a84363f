/**
 * Resource limits on a real worker process: the memory limit (53200 for a statement that
 * would pass it, and the process keeps serving), idle_in_transaction_session_timeout (FATAL
 * 25P03), and the background vacuum keeping an update-heavy table's stored versions bounded.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { startCluster, type TesseraCluster } from "../harness/index.js";

describe("resource limits on a worker", () => {
  let worker: TesseraCluster;
  before(async () => {
    worker = await startCluster({ role: "worker", args: ["--memory-limit", "300MB"] });
  });
  after(async () => {
    await worker.stop();
  });

  const connect = async (): Promise<pg.Client> => {
    const client = new pg.Client({ connectionString: worker.url });
    await client.connect();
    return client;
  };

  test("a statement past the memory limit gets 53200; the worker keeps serving", async () => {
    const client = await connect();
    try {
      await client.query("create table big (id int, pad text)");
      await assert.rejects(
        client.query("insert into big select g, repeat('x', 1000) " +
          "from generate_series(1, 2000000) g"),
        (error: { code?: string; message?: string }) =>
          error.code === "53200" && error.message === "out of memory");
      assert.equal((await client.query("select 1 as one")).rows[0].one, 1);
      const count = await client.query("select count(*)::int as n from big");
      assert.equal(count.rows[0].n, 0);
      await client.query("insert into big values (1, 'small')");
      assert.equal((await client.query("select count(*)::int as n from big")).rows[0].n, 1);
    } finally {
      await client.end();
    }
  });

  test("a session idle in a transaction block is ended with FATAL 25P03", async () => {
    const client = await connect();
    const errors: (Error & { code?: string })[] = [];
    client.on("error", (error: Error) => {
      errors.push(error);
    });
    await client.query("set idle_in_transaction_session_timeout = 200");
    await client.query("begin");
    await client.query("select 1");
    await new Promise((resolve) => setTimeout(resolve, 600));
    await assert.rejects(client.query("select 2"));
    assert.ok(errors.some((e) => e.code === "25P03" &&
      e.message === "terminating connection due to idle-in-transaction timeout"),
      JSON.stringify(errors));
    await client.end().catch(() => undefined);
    const other = await connect();
    try {
      await other.query("set idle_in_transaction_session_timeout = 200");
      await new Promise((resolve) => setTimeout(resolve, 400));
      assert.equal((await other.query("select 3 as n")).rows[0].n, 3, "idle outside a block");
    } finally {
      await other.end();
    }
  });

  test("20,000 updates of 100 rows keep the stored versions bounded", async () => {
    const client = await connect();
    try {
      await client.query("create table hot (id int primary key, n int)");
      await client.query("insert into hot select g, 0 from generate_series(1, 100) g");
      let peak = 0;
      for (let i = 0; i < 20_000; i++) {
        await client.query("update hot set n = n + 1 where id = $1", [(i % 100) + 1]);
        if (i % 2_000 === 1_999) {
          const dead = await client.query(
            "select pg_stat_get_dead_tuples('hot'::regclass)::int as n");
          peak = Math.max(peak, dead.rows[0].n);
        }
      }
      assert.ok(peak < 10_000, `dead versions peaked at ${peak}`);
      await client.query("vacuum hot");
      const after = await client.query("select pg_stat_get_dead_tuples('hot'::regclass)::int " +
        "as dead, pg_stat_get_live_tuples('hot'::regclass)::int as live, sum(n)::int as total " +
        "from hot");
      assert.deepEqual(after.rows[0], { dead: 0, live: 100, total: 20_000 });
    } finally {
      await client.end();
    }
  });
});
