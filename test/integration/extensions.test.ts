/**
 * The citus extension on a real cluster: setup scripts written for Citus start with
 * `CREATE EXTENSION IF NOT EXISTS citus;`, on the coordinator and on every worker. Each node
 * lists citus in pg_extension, skips the statement with PostgreSQL's NOTICE, refuses it
 * without IF NOT EXISTS (42710), names any other extension as not available (0A000), and
 * answers citus_version().
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { startCluster, type TesseraCluster } from "../harness/index.js";

let cluster: TesseraCluster;

before(async () => {
  cluster = await startCluster({ workers: 1 });
});

after(async () => {
  await cluster.stop();
});

async function onNode(port: number, body: (client: pg.Client, notices: string[]) =>
  Promise<void>): Promise<void> {
  const client = new pg.Client({ host: "127.0.0.1", port, user: "postgres",
    database: "postgres" });
  const notices: string[] = [];
  client.on("notice", (notice) => notices.push(notice.message ?? ""));
  await client.connect();
  try {
    await body(client, notices);
  } finally {
    await client.end();
  }
}

async function failure(client: pg.Client, sql: string): Promise<{ code: string | undefined;
  message: string }> {
  const error = await client.query(sql).then(() => undefined, (e: pg.DatabaseError) => e);
  assert.ok(error !== undefined, `${sql} fails`);
  return { code: error.code, message: error.message };
}

test("CREATE EXTENSION IF NOT EXISTS citus runs on the coordinator and on a worker", async () => {
  for (const port of [cluster.port, cluster.workerPorts[0]!]) {
    await onNode(port, async (client, notices) => {
      const created = await client.query("CREATE EXTENSION IF NOT EXISTS citus");
      assert.equal(created.command, "CREATE");
      assert.deepEqual(notices, ['extension "citus" already exists, skipping']);
      const rows = (await client.query(
        "SELECT extname, extversion FROM pg_extension ORDER BY extname")).rows;
      assert.deepEqual(rows, [{ extname: "citus", extversion: "15.0-1" },
        { extname: "plpgsql", extversion: "1.0" }]);
      assert.deepEqual(await failure(client, "CREATE EXTENSION citus"),
        { code: "42710", message: 'extension "citus" already exists' });
      assert.deepEqual(await failure(client, "CREATE EXTENSION IF NOT EXISTS postgis"),
        { code: "0A000", message: 'extension "postgis" is not available' });
      assert.equal((await failure(client, "DROP EXTENSION citus")).code, "0A000");
      // The session goes on after the errors; every node answers citus_version().
      const version = await client.query("SELECT citus_version() AS v");
      assert.match(String(version.rows[0]?.v), /^Citus 15\.0devel /);
    });
  }
});
