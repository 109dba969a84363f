/**
 * The docker-compose topology on three hosts without Docker: a coordinator and two workers,
 * each in its own network namespace behind a bridge, started with the compose file's
 * commands and variables (compose-check.test.ts keeps them in step). Workers register
 * themselves with the address they advertise; the test runs the tutorial over the bridge,
 * then cuts worker 2's link: a query that needs it fails with class 08 in bounded time while
 * a router query to worker 1 still works, and full service returns once the link is back.
 * Needs root and iproute2; skipped otherwise.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { cliMain } from "../harness/index.js";
import { daemonCommand, daemonEnvironment, type Role } from "./compose-file.js";
import {
  canUseNamespaces, hosts, ip, setupNetwork, startDaemon, teardownNetwork, type Daemon,
} from "./multi-host-net.js";

const password = "multi-host-secret";
const [coordinatorHost, worker1, worker2] = hosts as [typeof hosts[0], typeof hosts[0],
  typeof hosts[0]];
const failureBoundMs = 15_000;

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>):
  Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}: ${String(last)}`);
}

describe("multi-host cluster in network namespaces",
  { skip: canUseNamespaces() ? false : "needs root and iproute2", timeout: 180_000 }, () => {
    const daemons: Daemon[] = [];
    const dirs: string[] = [];
    const clients: pg.Client[] = [];
    let client: pg.Client;
    const connect = async (): Promise<pg.Client> => {
      const c = new pg.Client({ host: coordinatorHost.address, port: 5432, user: "postgres",
        password, database: "postgres", connectionTimeoutMillis: 5_000 });
      c.on("error", () => undefined);
      await c.connect();
      clients.push(c);
      return c;
    };
    const q = async (sql: string, values: unknown[] = []): Promise<Record<string, unknown>[]> =>
      (await client.query(sql, values)).rows as Record<string, unknown>[];
    const start = (role: Role, host: typeof hosts[0]): void => {
      const dataDir = mkdtempSync(join(tmpdir(), `tessera-${host.ns}-`));
      dirs.push(dataDir);
      const env = daemonEnvironment(role, { dataDir, password,
        clusterPassword: "multi-host-cluster", coordinatorIp: coordinatorHost.address });
      daemons.push(startDaemon(host.ns, host.ns,
        [cliMain, ...daemonCommand(role, coordinatorHost.address)], env));
    };

    before(async () => {
      teardownNetwork();
      setupNetwork();
      start("coordinator", coordinatorHost);
      start("worker", worker1);
      start("worker", worker2);
      client = await until("the coordinator", 30_000, () => connect());
    });
    after(async () => {
      for (const c of clients) await c.end().catch(() => undefined);
      await Promise.all(daemons.map((d) => d.stop()));
      teardownNetwork();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    });
    const logs = (): string => daemons.map((d) => `--- ${d.name}\n${d.output()}`).join("\n");

    test("workers register with their own addresses", async () => {
      const nodes = await until("two active workers", 60_000, async () => {
        const rows = await q("SELECT node_name, node_port::int AS node_port" +
          " FROM citus_get_active_worker_nodes() ORDER BY 1");
        return rows.length === 2 ? rows : undefined;
      }).catch((error: unknown) => assert.fail(`${String(error)}\n${logs()}`));
      assert.deepEqual(nodes, [{ node_name: worker1.address, node_port: 5432 },
        { node_name: worker2.address, node_port: 5432 }]);
    });

    test("the tutorial runs across hosts", async () => {
      await q("CREATE TABLE device_types (device_type_id int PRIMARY KEY, name text)");
      await q("INSERT INTO device_types VALUES (1, 'truck'), (2, 'warehouse')");
      await q("SELECT create_reference_table('device_types')");
      await q("CREATE TABLE events (device_id int NOT NULL, event_id bigserial," +
        " device_type_id int, payload jsonb, PRIMARY KEY (device_id, event_id))");
      await q("SELECT create_distributed_table('events', 'device_id')");
      for (let device = 1; device <= 20; device++) {
        await q("INSERT INTO events (device_id, device_type_id, payload) VALUES ($1, $2, $3)," +
          " ($1, $2, $3)", [device, 1 + (device % 2), JSON.stringify({ temperature: device })]);
      }
      assert.deepEqual(await q("SELECT count(*)::int AS n FROM events"), [{ n: 40 }]);
      assert.deepEqual(await q("SELECT count(*)::int AS n FROM events WHERE device_id = 7"),
        [{ n: 2 }]);
      assert.deepEqual(await q("SELECT t.name, count(*)::int AS n FROM events e JOIN" +
        " device_types t USING (device_type_id) GROUP BY t.name ORDER BY 1"),
        [{ name: "truck", n: 20 }, { name: "warehouse", n: 20 }]);
      const placed = await q("SELECT DISTINCT nodename FROM citus_shards" +
        " WHERE table_name = 'events'::regclass ORDER BY 1");
      assert.deepEqual(placed, [{ nodename: worker1.address }, { nodename: worker2.address }]);
    });

    test("a cut link to worker 2 fails its queries with class 08, worker 1 still serves",
      async () => {
        const keyOn = async (address: string): Promise<number> => {
          for (let device = 1; device <= 20; device++) {
            const rows = await q("SELECT nodename FROM citus_shards WHERE shardid =" +
              " get_shard_id_for_distribution_column('events', $1)", [device]);
            if (rows[0]?.["nodename"] === address) return device;
          }
          throw new Error(`no key on ${address}`);
        };
        const onWorker1 = await keyOn(worker1.address);
        const onWorker2 = await keyOn(worker2.address);
        // Let the pool's clients go idle long enough to be checked before reuse.
        await new Promise((r) => setTimeout(r, 1_500));
        ip("link", "set", worker2.rootVeth, "down");
        try {
          for (const sql of ["SELECT count(*) FROM events",
            `SELECT count(*) FROM events WHERE device_id = ${onWorker2}`]) {
            const started = Date.now();
            const error = await q(sql).then(() => undefined, (e: unknown) => e);
            const elapsed = Date.now() - started;
            assert.ok(error instanceof pg.DatabaseError, `${sql} failed: ${String(error)}`);
            assert.match(error.code ?? "", /^08/, `${sql}: ${error.code} ${error.message}`);
            assert.match(error.message, new RegExp(worker2.address.replace(/\./g, "\\.")));
            assert.ok(elapsed < failureBoundMs, `${sql} failed after ${elapsed} ms`);
            process.stdout.write(
              `# ${sql}: ${error.code} after ${elapsed} ms: ${error.message}\n`);
          }
          assert.deepEqual(
            await q("SELECT count(*)::int AS n FROM events WHERE device_id = $1", [onWorker1]),
            [{ n: 2 }]);
        } finally {
          ip("link", "set", worker2.rootVeth, "up");
        }
        const total = await until("full service", 60_000, async () =>
          (await q("SELECT count(*)::int AS n FROM events"))[0]);
        assert.deepEqual(total, { n: 40 });
        await q("INSERT INTO events (device_id, device_type_id) VALUES ($1, 1)", [onWorker2]);
        assert.deepEqual(
          await q("SELECT count(*)::int AS n FROM events WHERE device_id = $1", [onWorker2]),
          [{ n: 3 }]);
      });
  });
