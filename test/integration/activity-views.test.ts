/**
 * The monitoring views a Citus user reads to see what the cluster does (`tessera cluster
 * --workers 2`, real `pg` clients): pg_stat_activity with every session of a node, the
 * global process id functions, citus_stat_activity / citus_dist_stat_activity across the
 * nodes, and citus_lock_waits naming the session that waits and the one it waits for.
 * pg_stat_activity's columns are checked against a real PostgreSQL 15.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import {
  startCluster, startReferencePostgres, type ReferencePostgres, type TesseraCluster,
} from "../harness/index.js";

type Activity = Record<string, unknown>;

describe("activity views", () => {
  let cluster: TesseraCluster;
  let reference: ReferencePostgres;
  let a: pg.Client;
  let b: pg.Client;
  let c: pg.Client;

  before(async () => {
    [cluster, reference] = await Promise.all([startCluster({ workers: 2 }),
      startReferencePostgres()]);
    const client = (name: string): pg.Client =>
      new pg.Client({ connectionString: cluster.url, application_name: name });
    [a, b, c] = [client("session_a"), client("session_b"), client("session_c")];
    await Promise.all([a.connect(), b.connect(), c.connect()]);
    await a.query("CREATE TABLE acc (k int PRIMARY KEY, v int)");
    await a.query("SELECT create_distributed_table('acc', 'k')");
    await a.query("INSERT INTO acc SELECT g, 0 FROM generate_series(1, 10) g");
  });
  after(async () => {
    await Promise.all([a.end(), b.end(), c.end()]);
    await Promise.all([cluster.stop(), reference.stop()]);
  });

  test("pg_stat_activity has PostgreSQL 15's columns and types", async () => {
    const sql = "SELECT * FROM pg_stat_activity LIMIT 0";
    const ours = await c.query(sql);
    const ref = new pg.Client({ connectionString: reference.url });
    await ref.connect();
    try {
      const theirs = await ref.query(sql);
      assert.deepEqual(ours.fields.map((f) => [f.name, f.dataTypeID]),
        theirs.fields.map((f) => [f.name, f.dataTypeID]));
    } finally {
      await ref.end();
    }
  });

  test("pg_stat_activity shows every session with its state and query", async () => {
    const pidA = await backendPid(a);
    await a.query("BEGIN");
    await a.query("SELECT 1 AS in_block");
    const rows = (await c.query<Activity>("SELECT pid, usename, application_name, state, " +
      "query, xact_start IS NOT NULL AS in_xact, backend_start <= query_start AS ordered, " +
      "wait_event_type, backend_type, datname FROM pg_stat_activity ORDER BY backend_start"))
      .rows;
    const rowA = rows.find((row) => row["pid"] === pidA);
    assert.deepEqual(rowA, { pid: pidA, usename: "postgres", application_name: "session_a",
      state: "idle in transaction", query: "SELECT 1 AS in_block", in_xact: true,
      ordered: true, wait_event_type: "Client", backend_type: "client backend",
      datname: "postgres" });
    const prepared = await c.query({ name: "two", text: "SELECT $1::int + 1 AS two",
      values: [1] });
    assert.deepEqual(prepared.rows, [{ two: 2 }]);
    await c.query("SELECT 3");
    // node-postgres parses a named statement once per connection, then only binds it.
    await c.query({ name: "two", text: "SELECT $1::int + 1 AS two", values: [1] });
    const [last] = (await a.query("SELECT query FROM pg_stat_activity " +
      "WHERE application_name = 'session_c'")).rows;
    // The Bind of a named statement reports that statement's text, as Postgres does.
    assert.deepEqual(last, { query: "SELECT $1::int + 1 AS two" });
    const self = rows.find((row) => row["application_name"] === "session_c");
    assert.equal(self?.["state"], "active");
    assert.match(String(self?.["query"]), /FROM pg_stat_activity/);
    await a.query("COMMIT");
    const idle = await c.query("SELECT state, xact_start FROM pg_stat_activity WHERE pid = $1",
      [pidA]);
    assert.deepEqual(idle.rows, [{ state: "idle", xact_start: null }]);
  });

  test("global pids are node id times 10^10 plus pid", async () => {
    const r = await c.query("SELECT citus_calculate_gpid(2, 4242) AS g, " +
      "citus_nodeid_for_gpid(20000004242) AS n, citus_pid_for_gpid(20000004242) AS p");
    assert.deepEqual(r.rows, [{ g: "20000004242", n: 2, p: 4242 }]);
    const own = await c.query("SELECT citus_pid_for_gpid(citus_backend_gpid()) = " +
      "pg_backend_pid() AS same_pid, citus_nodeid_for_gpid(citus_backend_gpid()) AS node");
    assert.equal(own.rows[0].same_pid, true);
    assert.equal(own.rows[0].node, await coordinatorNodeId(c));
  });

  test("citus_stat_activity has Citus 12's columns and the client's address", async () => {
    const all = await c.query("SELECT * FROM citus_stat_activity");
    assert.deepEqual(all.fields.map((f) => f.name), ["global_pid", "nodeid",
      "is_worker_query", "datid", "datname", "pid", "leader_pid", "usesysid", "usename",
      "application_name", "client_addr", "client_hostname", "client_port", "backend_start",
      "xact_start", "query_start", "state_change", "wait_event_type", "wait_event", "state",
      "backend_xid", "backend_xmin", "query_id", "query", "backend_type"]);
    const self = all.rows.find((row: Activity) => row["application_name"] === "session_c");
    assert.equal(self?.["client_addr"], "127.0.0.1");
    assert.equal(self?.["usesysid"], 10);
    assert.ok(self?.["backend_start"] instanceof Date);
    const called = await c.query("SELECT * FROM citus_stat_activity() " +
      "WHERE application_name = 'session_c'");
    assert.deepEqual(called.fields.map((f) => f.name), all.fields.map((f) => f.name));
    assert.equal(called.rows.length, 1);
    const lockWaits = await c.query("SELECT * FROM citus_lock_waits");
    assert.deepEqual(lockWaits.fields.map((f) => [f.name, f.dataTypeID]), [
      ["waiting_gpid", 20], ["blocking_gpid", 20], ["blocked_statement", 25],
      ["current_statement_in_blocking_process", 25], ["waiting_nodeid", 23],
      ["blocking_nodeid", 23]]);
  });

  test("citus_stat_activity covers the coordinator and both workers", async () => {
    const gpidA = await backendGpid(a);
    await a.query("BEGIN");
    await a.query("UPDATE acc SET v = v + 1 WHERE k = 3");
    const rows = (await c.query<Activity>("SELECT global_pid, nodeid, is_worker_query, pid, " +
      "application_name, state, query FROM citus_stat_activity")).rows;
    const coordinator = await coordinatorNodeId(c);
    const workerIds = (await c.query("SELECT nodeid FROM pg_dist_node WHERE groupid <> 0 " +
      "ORDER BY nodeid")).rows.map((row: { nodeid: number }) => row.nodeid);
    assert.equal(workerIds.length, 2);
    const rowA = rows.find((row) => row["global_pid"] === gpidA && row["nodeid"] === coordinator);
    assert.deepEqual(rowA?.["is_worker_query"], false);
    assert.equal(rowA?.["query"], "UPDATE acc SET v = v + 1 WHERE k = 3");
    for (const id of workerIds) {
      assert.ok(rows.some((row) => row["nodeid"] === id && row["is_worker_query"] === true),
        `node ${id} reports the coordinator's connections`);
    }
    // The worker backend of A's block carries A's gpid, and runs the shard's UPDATE.
    const held = rows.filter((row) => row["global_pid"] === gpidA &&
      row["is_worker_query"] === true);
    assert.equal(held.length, 1);
    assert.ok(workerIds.includes(held[0]!["nodeid"] as number));
    assert.equal(held[0]!["application_name"], "citus_internal");
    assert.match(String(held[0]!["query"]), /UPDATE .*acc_\d+/);
    const dist = (await c.query<Activity>("SELECT DISTINCT is_worker_query " +
      "FROM citus_dist_stat_activity")).rows;
    assert.deepEqual(dist, [{ is_worker_query: false }]);
    await a.query("ROLLBACK");
  });

  test("citus_lock_waits shows who waits for whom, with both statements", async () => {
    const [gpidA, gpidB] = [await backendGpid(a), await backendGpid(b)];
    await a.query("BEGIN");
    await a.query("UPDATE acc SET v = 10 WHERE k = 5");
    await b.query("BEGIN");
    const waiting = b.query("UPDATE acc SET v = 20 WHERE k = 5");
    const waits = await pollLockWaits(c);
    const coordinator = await coordinatorNodeId(c);
    assert.deepEqual(waits, [{ waiting_gpid: gpidB, blocking_gpid: gpidA,
      blocked_statement: "UPDATE acc SET v = 20 WHERE k = 5",
      current_statement_in_blocking_process: "UPDATE acc SET v = 10 WHERE k = 5",
      waiting_nodeid: coordinator, blocking_nodeid: coordinator }]);
    const state = await c.query("SELECT wait_event_type, wait_event, state " +
      "FROM citus_stat_activity WHERE global_pid = $1 AND is_worker_query", [gpidB]);
    assert.deepEqual(state.rows, [{ wait_event_type: "Lock", wait_event: "transactionid",
      state: "active" }]);
    await a.query("COMMIT");
    await waiting;
    await b.query("ROLLBACK");
    assert.deepEqual((await c.query("SELECT * FROM citus_lock_waits")).rows, []);
  });

  test("citus_lock_waits shows a multi-shard write outside a block waiting", async () => {
    const [gpidA, gpidB] = [await backendGpid(a), await backendGpid(b)];
    await a.query("BEGIN");
    await a.query("UPDATE acc SET v = 30 WHERE k = 7");
    const waiting = b.query("UPDATE acc SET v = v + 1");
    const waits = await pollLockWaits(c);
    assert.deepEqual(waits.map((row) => [row["waiting_gpid"], row["blocking_gpid"],
      row["blocked_statement"], row["current_statement_in_blocking_process"]]),
    [[gpidB, gpidA, "UPDATE acc SET v = v + 1", "UPDATE acc SET v = 30 WHERE k = 7"]]);
    await a.query("ROLLBACK");
    await waiting;
  });

  test("citus_lock_waits names a session of a worker that blocks", async () => {
    const gpidB = await backendGpid(b);
    const [placed] = (await c.query("SELECT s.shard_name, s.nodeport, n.nodeid " +
      "FROM citus_shards s JOIN pg_dist_node n ON n.nodeport = s.nodeport " +
      "WHERE s.shardid = get_shard_id_for_distribution_column('acc', 9)")).rows;
    const direct = new pg.Client({ host: "127.0.0.1", port: placed.nodeport as number,
      user: "postgres", database: "postgres" });
    await direct.connect();
    try {
      const workerPid = await backendPid(direct);
      const held = `UPDATE ${placed.shard_name as string} SET v = 90 WHERE k = 9`;
      await direct.query("BEGIN");
      await direct.query(held);
      await b.query("BEGIN");
      const waiting = b.query("UPDATE acc SET v = 91 WHERE k = 9");
      const waits = await pollLockWaits(c);
      const workerGpid = String(BigInt(placed.nodeid as number) * 10_000_000_000n +
        BigInt(workerPid));
      assert.deepEqual(waits, [{ waiting_gpid: gpidB, blocking_gpid: workerGpid,
        blocked_statement: "UPDATE acc SET v = 91 WHERE k = 9",
        current_statement_in_blocking_process: held,
        waiting_nodeid: await coordinatorNodeId(c), blocking_nodeid: placed.nodeid }]);
      await direct.query("ROLLBACK");
      await waiting;
      await b.query("ROLLBACK");
    } finally {
      await direct.end();
    }
  });

  test("the views refuse a statement that also reads distributed tables", async () => {
    await assert.rejects(c.query("SELECT count(*) FROM citus_stat_activity s " +
      "JOIN acc ON acc.k = s.pid"), { code: "0A000" });
  });
});

async function backendPid(client: pg.Client): Promise<number> {
  return (await client.query("SELECT pg_backend_pid() AS pid")).rows[0].pid as number;
}

async function backendGpid(client: pg.Client): Promise<string> {
  return (await client.query("SELECT citus_backend_gpid() AS g")).rows[0].g as string;
}

/** The coordinator's node id: its group 0 row, or Citus's 99999999 without one. */
async function coordinatorNodeId(client: pg.Client): Promise<number> {
  const row = (await client.query("SELECT nodeid FROM pg_dist_node WHERE groupid = 0")).rows[0];
  return (row?.nodeid as number | undefined) ?? 99_999_999;
}

/** Reads citus_lock_waits until it has a row (the second UPDATE reaches its lock). */
async function pollLockWaits(client: pg.Client): Promise<Activity[]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const rows = (await client.query<Activity>("SELECT * FROM citus_lock_waits")).rows;
    if (rows.length > 0) return rows;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("no lock wait appeared in citus_lock_waits");
}
