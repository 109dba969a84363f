/**
 * Crash safety of two-phase commit, with real processes and real crashes: a coordinator and
 * two workers started as separate daemons (so each can be killed and restarted on its own
 * port and data directory), a transaction block that writes rows on both workers, and a
 * fault injected where the commit protocol is most fragile:
 *
 *   (a) the coordinator dies (SIGKILL) after PREPARE on both workers, before its decision:
 *       after a restart, its start-up recovery rolls both back and no row is left;
 *   (b) the coordinator dies after writing the decision (pg_dist_transaction), before any
 *       COMMIT PREPARED: after a restart, recover_prepared_transactions() commits both;
 *   (c) a worker is killed with kill -9 between PREPARE and COMMIT PREPARED: the client's
 *       COMMIT still succeeds, and once the worker is back recovery commits its part;
 *   (d) the background pass, every citus.recover_2pc_interval, rolls back an orphan named
 *       by this coordinator and leaves other prepared transactions alone.
 *
 * The coordinator crashes itself through TESSERA_FAULT_INJECTION (read at process start,
 * `packages/coordinator/src/transaction-recovery/fault-injection.ts`).
 *
 * Each case picks its own free ports (test/harness freePort) and data directories under a
 * fresh temporary directory, once, so the file runs alongside other integration files; a
 * first start whose port was taken meanwhile retries on another one, and a restart within
 * the case reuses the node's port and data directory.
 */
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { freePort, startCluster, type TesseraCluster } from "../harness/index.js";

const rowCount = 20;
const scratch = mkdtempSync(join(tmpdir(), "tessera-2pc-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** First starts tried on a new free port when the one picked was taken meanwhile. */
const bindAttempts = 3;

/**
 * Starts a node on `port`; on its first start (`fresh`), a port another process took since
 * freePort picked it is replaced by a new one. Returns the node and the port it listens on.
 */
async function startOn(port: number, fresh: boolean,
  start: (port: number) => Promise<TesseraCluster>): Promise<[TesseraCluster, number]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return [await start(port), port];
    } catch (error) {
      const taken = error instanceof Error && /EADDRINUSE|address already in use/i
        .test(error.message);
      if (!fresh || !taken || attempt >= bindAttempts) throw error;
      port = await freePort();
    }
  }
}

/** A coordinator and two workers, each restartable on its own port and data directory. */
class Nodes {
  coordinator: TesseraCluster | undefined;
  readonly workers: (TesseraCluster | undefined)[] = [undefined, undefined];
  private constructor(readonly dir: string, public coordinatorPort: number,
    readonly workerPorts: number[]) {}

  static async start(name: string, env: NodeJS.ProcessEnv): Promise<Nodes> {
    const ports = [await freePort(), await freePort(), await freePort()];
    const nodes = new Nodes(mkdtempSync(join(scratch, `${name}-`)), ports[0]!, ports.slice(1));
    for (const i of [0, 1]) await nodes.startWorker(i, true);
    await nodes.startCoordinator(env, true);
    await withClient(nodes.coordinatorPort, async (q) => {
      for (const port of nodes.workerPorts) await q(`SELECT citus_add_node('127.0.0.1', ${port})`);
      await q("CREATE TABLE items (id int PRIMARY KEY, v text NOT NULL)");
      await q("SELECT create_distributed_table('items', 'id', shard_count => 4)");
      // Creating the shards on both workers committed with two-phase commit too: its
      // decision rows go now, so the log holds only what the test's block writes.
      await q("SELECT recover_prepared_transactions()");
    });
    return nodes;
  }

  /** Starts the coordinator: on a new port when `fresh`, else on its port and data again. */
  async startCoordinator(env: NodeJS.ProcessEnv, fresh = false): Promise<void> {
    [this.coordinator, this.coordinatorPort] = await startOn(this.coordinatorPort, fresh,
      (port) => startCluster({ role: "coordinator", port,
        dataDir: join(this.dir, "coordinator"), env }));
  }

  async startWorker(i: number, fresh = false): Promise<void> {
    [this.workers[i], this.workerPorts[i]] = await startOn(this.workerPorts[i]!, fresh,
      (port) => startCluster({ role: "worker", port, dataDir: join(this.dir, `worker-${i}`) }));
  }

  async stop(): Promise<void> {
    await this.coordinator?.stop();
    for (const worker of this.workers) await worker?.stop();
  }
}

type Query = (sql: string) => Promise<Record<string, unknown>[]>;
/** What the test reads of a NOTICE or WARNING. */
interface Notice { severity?: string | undefined; code?: string | undefined; message: string;
  hint?: string | undefined }

async function withClient<T>(port: number, body: (q: Query) => Promise<T>,
  notices: Notice[] = []): Promise<T> {
  const client = new pg.Client({ host: "127.0.0.1", port, user: "postgres",
    database: "postgres" });
  // A crashing server also reports the lost link as an event; the query's rejection is enough.
  client.on("error", () => undefined);
  client.on("notice", (notice) => notices.push({ severity: notice.severity, code: notice.code,
    message: notice.message ?? "", hint: notice.hint }));
  await client.connect();
  try {
    return await body(async (sql) => (await client.query(sql)).rows as Record<string, unknown>[]);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Runs the block under test: rows on all four shards, so on both workers. */
async function writeBlock(q: Query): Promise<void> {
  await q("BEGIN");
  await q(`INSERT INTO items SELECT g, 'row ' || g FROM generate_series(1, ${rowCount}) g`);
  await q("COMMIT");
}

/** Runs the block on a coordinator that crashes during COMMIT; returns its exit signal. */
async function commitIntoCrash(nodes: Nodes): Promise<NodeJS.Signals | null> {
  const coordinator = nodes.coordinator!;
  const outcome = await withClient(coordinator.port, writeBlock)
    .then(() => "committed", (error: Error) => error.message);
  assert.notEqual(outcome, "committed", "the coordinator crashed before answering COMMIT");
  await coordinator.stop();
  return coordinator.process.signalCode;
}

/** The gids a worker holds prepared. */
function preparedOn(nodes: Nodes, i: number): Promise<string[]> {
  return withClient(nodes.workerPorts[i]!, async (q) =>
    (await q("SELECT gid FROM pg_prepared_xacts ORDER BY gid")).map((r) => String(r["gid"])));
}

/** Rows of `items` per worker, read on the workers' own shard tables. */
async function rowsPerWorker(nodes: Nodes): Promise<number[]> {
  const shards = await withClient(nodes.coordinatorPort, (q) => q(
    "SELECT shardid, nodeport FROM citus_shards WHERE table_name = 'items'::regclass"));
  return Promise.all(nodes.workerPorts.map((port) => withClient(port, async (q) => {
    let total = 0;
    for (const shard of shards.filter((s) => Number(s["nodeport"]) === port)) {
      const rows = await q(`SELECT count(*)::int AS n FROM items_${String(shard["shardid"])}`);
      total += Number(rows[0]!["n"]);
    }
    return total;
  })));
}

async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((done) => setTimeout(done, 200));
  }
}

const ownGid = /^citus_0_\d+_\d+_\d+$/;

describe("two-phase commit recovery", { timeout: 240_000 }, () => {
  test("(a) a coordinator killed after PREPARE, before the decision: both roll back",
    async () => {
      const nodes = await Nodes.start("a", { TESSERA_FAULT_INJECTION: "2pc:after-prepare:crash" });
      try {
        assert.equal(await commitIntoCrash(nodes), "SIGKILL");
        const [first, second] = [await preparedOn(nodes, 0), await preparedOn(nodes, 1)];
        assert.equal(first.length, 1);
        assert.equal(second.length, 1);
        assert.match(first[0]!, ownGid);
        assert.match(second[0]!, ownGid);
        // No fault this time, and the default interval: the start-up pass recovers.
        await nodes.startCoordinator({});
        await eventually("both workers rolled back", async () =>
          (await preparedOn(nodes, 0)).length + (await preparedOn(nodes, 1)).length === 0);
        assert.deepEqual(await rowsPerWorker(nodes), [0, 0]);
        await withClient(nodes.coordinatorPort, async (q) => {
          assert.deepEqual(await q("SELECT count(*)::int AS n FROM items"), [{ n: 0 }]);
          assert.deepEqual(await q("SELECT * FROM pg_dist_transaction"), []);
          assert.deepEqual(await q("SELECT recover_prepared_transactions() AS n"), [{ n: 0 }]);
        });
      } finally {
        await nodes.stop();
      }
    });

  test("(b) a coordinator killed after the decision, before COMMIT PREPARED: both commit",
    async () => {
      const nodes = await Nodes.start("b",
        { TESSERA_FAULT_INJECTION: "2pc:after-decision:crash" });
      try {
        assert.equal(await commitIntoCrash(nodes), "SIGKILL");
        const prepared = [...await preparedOn(nodes, 0), ...await preparedOn(nodes, 1)].sort();
        assert.equal(prepared.length, 2);
        // Background recovery off, so the SQL function does the work and counts it.
        await nodes.startCoordinator({ TESSERA_RECOVER_2PC_INTERVAL: "-1" });
        assert.deepEqual(await rowsPerWorker(nodes), [0, 0]);
        await withClient(nodes.coordinatorPort, async (q) => {
          const decided = await q("SELECT gid, groupid FROM pg_dist_transaction ORDER BY gid");
          assert.deepEqual(decided.map((r) => r["gid"]), prepared);
          assert.deepEqual(decided.map((r) => r["groupid"]).sort(), [1, 2]);
          assert.deepEqual(await q("SELECT recover_prepared_transactions() AS n"), [{ n: 2 }]);
          assert.deepEqual(await q("SELECT * FROM pg_dist_transaction"), []);
          assert.deepEqual(await q("SELECT count(*)::int AS n FROM items"), [{ n: rowCount }]);
        });
        const perWorker = await rowsPerWorker(nodes);
        assert.ok(perWorker.every((n) => n > 0), `rows on both workers: ${perWorker}`);
        assert.equal(perWorker[0]! + perWorker[1]!, rowCount);
        assert.deepEqual([...await preparedOn(nodes, 0), ...await preparedOn(nodes, 1)], []);
      } finally {
        await nodes.stop();
      }
    });

  test("(c) a worker killed between PREPARE and COMMIT PREPARED: COMMIT succeeds, " +
    "recovery completes it", async () => {
    const nodes = await Nodes.start("c", { TESSERA_FAULT_INJECTION:
      "2pc:after-decision:sleep=4000", TESSERA_RECOVER_2PC_INTERVAL: "-1" });
    try {
      const notices: Notice[] = [];
      const commit = withClient(nodes.coordinatorPort, writeBlock, notices);
      // The decision is on disk once pg_dist_transaction shows the two rows.
      await withClient(nodes.coordinatorPort, (q) => eventually("the decision is logged",
        async () => (await q("SELECT count(*)::int AS n FROM pg_dist_transaction"))[0]!["n"]
          === 2));
      const victim = nodes.workers[1]!;
      victim.process.kill("SIGKILL");
      await victim.stop({ keepData: true });
      await commit;
      await nodes.startWorker(1);
      const stillPrepared = await preparedOn(nodes, 1);
      assert.equal(stillPrepared.length, 1, "the killed worker kept its prepared transaction");
      // Citus's warnings: the node's error, then the command that would finish the job.
      const warnings = notices.filter((n) => n.severity === "WARNING");
      assert.equal(warnings.length, 2, JSON.stringify(warnings.map((w) => w.message)));
      assert.match(warnings[0]!.code ?? "", /^08/);
      assert.equal(warnings[1]!.message,
        `failed to roll back prepared transaction '${stillPrepared[0]}'`);
      assert.equal(warnings[1]!.hint, `Run "COMMIT PREPARED '${stillPrepared[0]}'" on ` +
        `127.0.0.1:${nodes.workerPorts[1]}`);
      assert.deepEqual(await preparedOn(nodes, 0), []);
      await withClient(nodes.coordinatorPort, async (q) => {
        assert.deepEqual(await q("SELECT recover_prepared_transactions() AS n"), [{ n: 1 }]);
        assert.deepEqual(await q("SELECT * FROM pg_dist_transaction"), []);
        assert.deepEqual(await q("SELECT count(*)::int AS n FROM items"), [{ n: rowCount }]);
      });
      const perWorker = await rowsPerWorker(nodes);
      assert.ok(perWorker.every((n) => n > 0), `rows on both workers: ${perWorker}`);
      assert.equal(perWorker[0]! + perWorker[1]!, rowCount);
      assert.deepEqual(await preparedOn(nodes, 1), []);
    } finally {
      await nodes.stop();
    }
  });

  test("(d) background recovery every citus.recover_2pc_interval rolls back orphans " +
    "named by this coordinator and nothing else", async () => {
    const nodes = await Nodes.start("d", { TESSERA_RECOVER_2PC_INTERVAL: "1s" });
    try {
      await withClient(nodes.workerPorts[0]!, async (q) => {
        await q("CREATE TABLE scratch (k int)");
        for (const gid of ["citus_0_4242_1_0", "someone_elses"]) {
          await q("BEGIN");
          await q("INSERT INTO scratch VALUES (1)");
          await q(`PREPARE TRANSACTION '${gid}'`);
        }
      });
      await eventually("the orphan is rolled back", async () =>
        !(await preparedOn(nodes, 0)).includes("citus_0_4242_1_0"));
      // Two more intervals: the other coordinator's-looking gid is never touched.
      await new Promise((done) => setTimeout(done, 2_500));
      assert.deepEqual(await preparedOn(nodes, 0), ["someone_elses"]);
      await withClient(nodes.workerPorts[0]!, async (q) => {
        await q("COMMIT PREPARED 'someone_elses'");
        assert.deepEqual(await q("SELECT count(*)::int AS n FROM scratch"), [{ n: 1 }]);
      });
    } finally {
      await nodes.stop();
    }
  });
});
