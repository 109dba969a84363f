/**
 * The foundation, from a user's side: `tessera cluster` started as a real process, reached
 * with psql, node-postgres, postgres.js and pgbench over TCP on loopback.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import postgres from "postgres";
import { freePort, psql, startCluster, type TesseraCluster } from "../harness/index.js";

const run = promisify(execFile);

describe("a local cluster", () => {
  let cluster: TesseraCluster;
  before(async () => {
    cluster = await startCluster({ workers: 2 });
  });
  after(async () => {
    await cluster.stop();
  });

  test("psql runs the statements clients send on connect", async () => {
    assert.equal(await psql(cluster.port, "select 1", { tuplesOnly: true }), "1\n");
    const version = await psql(cluster.port, "select version()", { tuplesOnly: true });
    assert.match(version, /^PostgreSQL 15\./);
    const script =
      "SET application_name = 'x'; SHOW application_name; RESET application_name;" +
      " BEGIN; SELECT 2; COMMIT; SHOW TimeZone";
    const output = await psql(cluster.port, script, { tuplesOnly: true, extraArgs: ["-q"] });
    assert.equal(output, "x\n2\nUTC\n");
  });

  test("each worker answers psql too", async () => {
    assert.equal(cluster.workerPorts.length, 2);
    for (const port of cluster.workerPorts) {
      assert.equal(await psql(port, "select 40 + 2", { tuplesOnly: true }), "42\n");
    }
  });

  test("node-postgres: simple, prepared with parameters, binary results", async () => {
    const client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    try {
      const simple = await client.query("select 1 as one, 'a' as letter");
      assert.deepEqual(simple.rows, [{ one: 1, letter: "a" }]);
      const prepared = await client.query({
        name: "add",
        text: "select $1::int + $2::int as sum",
        values: [20, 22],
      });
      assert.deepEqual(prepared.rows, [{ sum: 42 }]);
      const again = await client.query({
        name: "add",
        text: "select $1::int + $2::int as sum",
        values: [1, 2],
      });
      assert.deepEqual(again.rows, [{ sum: 3 }]);
      const binaryClient = new pg.Client({
        connectionString: cluster.url,
        binary: true,
      } as pg.ClientConfig);
      await binaryClient.connect();
      try {
        const binary = await binaryClient.query("select $1::int8 as n, true as b, 'x'::text as t", [
          "7",
        ]);
        assert.equal(binary.fields[0]?.format, "binary");
        assert.deepEqual(binary.rows, [{ n: "7", b: true, t: "x" }]);
      } finally {
        await binaryClient.end();
      }
      await assert.rejects(
        client.query("select nonsense("),
        (error: { code?: string }) => error.code === "42601",
      );
      assert.deepEqual((await client.query("select 5 as five")).rows, [{ five: 5 }]);
    } finally {
      await client.end();
    }
  });

  test("transaction status follows BEGIN, an error and ROLLBACK", async () => {
    const client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    try {
      await client.query("begin");
      await assert.rejects(
        client.query("select 1/0"),
        (e: { code?: string }) => e.code === "22012",
      );
      await assert.rejects(client.query("select 1"), (e: { code?: string }) => e.code === "25P02");
      await client.query("rollback");
      assert.deepEqual((await client.query("select 1 as x")).rows, [{ x: 1 }]);
    } finally {
      await client.end();
    }
  });

  test("postgres.js: queries, parameters, pipelining", async () => {
    const sql = postgres(cluster.url, { max: 2, onnotice: () => undefined });
    try {
      const [row] = await sql`select ${41}::int + 1 as answer`;
      assert.equal(row?.["answer"], 42);
      const results = await Promise.all([1, 2, 3].map((n) => sql`select ${n}::int * 2 as d`));
      assert.deepEqual(
        results.map((r) => r[0]?.["d"]),
        [2, 4, 6],
      );
    } finally {
      await sql.end();
    }
  });

  test("pgbench connects and runs a script with each protocol", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tessera-pgbench-"));
    const script = join(dir, "select.sql");
    writeFileSync(script, "\\set x random(1, 100)\nSELECT :x;\n");
    for (const mode of ["simple", "extended", "prepared"]) {
      const { stdout } = await run("pgbench", [
        "-n",
        "-h",
        "127.0.0.1",
        "-p",
        String(cluster.port),
        "-U",
        "postgres",
        "-c",
        "2",
        "-t",
        "20",
        "-M",
        mode,
        "-f",
        script,
        "postgres",
      ]);
      assert.match(stdout, /number of transactions actually processed: 40\/40/);
    }
  });

  test("a CancelRequest stops a running statement", async () => {
    const sql = postgres(cluster.url, { max: 1 });
    try {
      const started = Date.now();
      const query = sql`select pg_sleep(10)`;
      setTimeout(() => query.cancel(), 300);
      await assert.rejects(query, (e: { code?: string }) => e.code === "57014");
      assert.ok(Date.now() - started < 5_000, "cancelled well before the sleep ends");
      const [row] = await sql`select 1 as alive`;
      assert.equal(row?.["alive"], 1);
    } finally {
      await sql.end();
    }
  });

  test("pg_cancel_backend cancels another session's statement", async () => {
    const sleeper = new pg.Client({ connectionString: cluster.url });
    const killer = new pg.Client({ connectionString: cluster.url });
    await sleeper.connect();
    await killer.connect();
    try {
      const pid = (await sleeper.query("select pg_backend_pid() as pid")).rows[0].pid as number;
      // Settle the sleeper's outcome at once, so its rejection is never unhandled.
      const sleeping = sleeper.query("select pg_sleep(10)").then(
        () => undefined,
        (error: unknown) => error,
      );
      await new Promise((r) => setTimeout(r, 300));
      const result = await killer.query("select pg_cancel_backend($1) as ok", [pid]);
      assert.equal(result.rows[0].ok, true);
      assert.equal(((await sleeping) as { code?: string } | undefined)?.code, "57014");
    } finally {
      await sleeper.end();
      await killer.end();
    }
  });

  test("an unsupported statement fails with a clear error and the session lives on", async () => {
    const client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    try {
      await assert.rejects(
        client.query("create publication p for all tables"),
        (e: { code?: string }) => e.code === "0A000",
      );
      assert.deepEqual((await client.query("select 1 as x")).rows, [{ x: 1 }]);
    } finally {
      await client.end();
    }
  });
});

describe("the command", () => {
  test("a second process on the same data directory refuses with a clear message", async () => {
    const worker = await startCluster({ role: "worker" });
    try {
      const second = await startCluster({ role: "worker", dataDir: worker.dataDir }).then(
        async (c) => {
          await c.stop({ keepData: true });
          return "started";
        },
        (error: Error) => error.message,
      );
      assert.match(second, /lock file .* already exists/);
    } finally {
      await worker.stop();
    }
  });

  test("SIGTERM stops the cluster within seconds and leaves no process behind", async () => {
    const cluster = await startCluster({ workers: 2 });
    const pid = cluster.process.pid ?? 0;
    const children = execFileSync("pgrep", ["-P", String(pid)])
      .toString()
      .trim()
      .split("\n");
    assert.equal(children.length, 3);
    const started = Date.now();
    const code = await cluster.stop();
    assert.equal(code, 0);
    assert.ok(Date.now() - started < 10_000);
    for (const child of children) {
      assert.throws(() => process.kill(Number(child), 0), "no orphan left running");
    }
  });

  test("a second run on the same data directory finds the same cluster", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "tessera-rerun-"));
    const port = await freePort("127.0.0.1", 3);
    const first = await startCluster({ workers: 2, dataDir, port });
    const query = "select nodeid, nodename from pg_dist_node order by nodeid";
    const before = await psql(first.port, query, { tuplesOnly: true });
    await first.stop({ keepData: true });
    const second = await startCluster({ workers: 2, dataDir, port });
    try {
      assert.equal(await psql(second.port, query, { tuplesOnly: true }), before);
      assert.equal(before.split("\n").filter((l) => l !== "").length, 2);
    } finally {
      await second.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("empty queries", () => {
  test("an empty query string gets EmptyQueryResponse, as from PostgreSQL", async () => {
    const worker = await startCluster({ role: "worker" });
    try {
      const client = new pg.Client({ host: "127.0.0.1", port: worker.port, user: "postgres",
        database: "postgres" });
      await client.connect();
      try {
        const result = await client.query("");
        assert.equal(result.rows.length, 0);
        const comment = await client.query("-- nothing here");
        assert.equal(comment.rows.length, 0);
      } finally {
        await client.end();
      }
    } finally {
      await worker.stop();
    }
  });
});
