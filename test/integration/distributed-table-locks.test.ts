/**
 * Table locks on distributed and reference tables, from the clients' side: the same
 * interleavings of several sessions run against PostgreSQL 15 on plain tables and against
 * `tessera cluster --workers 2` on distributed and reference tables, and the sessions must
 * see the same things. LOCK TABLE in one session holds back the INSERT, UPDATE and SELECT …
 * FOR UPDATE another session routes to a worker until COMMIT or ROLLBACK, ACCESS SHARE lets
 * reads and writes by, NOWAIT and lock_timeout fail with PostgreSQL's SQLSTATE and text, LOCK
 * outside a block is 25P01, DDL waits for a LOCK holder and LOCK for a DDL holder, and
 * pg_locks on the coordinator shows the shell table's lock. Then, Tessera only: the shards
 * are locked on the workers while the block runs and let go when it ends.
 *
 * "waiting" means a statement had not finished `waitMs` after it was sent; every waiting
 * statement is also checked to finish only after the session holding the lock ended
 * (`heldUntil`), so a wait cannot pass by accident.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { performance } from "node:perf_hooks";
import pg from "pg";
import {
  queryNode, startCluster, startReferencePostgres, type ReferencePostgres, type TesseraCluster,
} from "../harness/index.js";

type Outcome = string;

/** How long a statement must stay blocked to count as waiting. */
const waitMs = 300;

/** A wait nobody ends (a deadlock not found) fails its test instead of hanging the run. */
const testTimeoutMs = 60_000;

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => undefined);
  await client.connect();
  return client;
}

/** A statement's outcome (a simple query's last): command and row count, or the error. */
function outcome(query: Promise<pg.QueryResult | pg.QueryResult[]>): Promise<Outcome> {
  const last = (r: pg.QueryResult | pg.QueryResult[]): pg.QueryResult =>
    (Array.isArray(r) ? r[r.length - 1]! : r);
  return query.then(last).then((r) => `${r.command ?? ""} ${r.rowCount ?? ""}`.trim(),
    (error: { code?: string; message: string }) => `ERROR ${error.code ?? "?"} ${error.message}`);
}

/** "waiting" when `pending` has not settled after `waitMs`, else its outcome. */
async function settledSoon(pending: Promise<Outcome>): Promise<Outcome> {
  const timer = new Promise<Outcome>((resolve) => setTimeout(() => resolve("waiting"), waitMs));
  return Promise.race([pending, timer]);
}

/**
 * Checks that `pending` waits, then runs `release` (the holder's COMMIT or ROLLBACK) and
 * returns ["waiting", outcome]; the outcome is marked when it came before the release.
 */
async function heldUntil(pending: Promise<Outcome>, release: () => Promise<unknown>):
  Promise<Outcome[]> {
  let settledAt = Number.POSITIVE_INFINITY;
  void pending.then(() => { settledAt = performance.now(); });
  const first = await settledSoon(pending);
  const releasedAt = performance.now();
  await release();
  const result = await pending;
  return [first, settledAt >= releasedAt ? result : `finished before the release: ${result}`];
}

const rowsOf = async (client: pg.Client, sql: string): Promise<string[]> =>
  (await client.query({ text: sql, rowMode: "array" })).rows.map((r: unknown[]) => r.join("|"));

/** The sessions of one server, and how a table becomes a Citus table there (if it does). */
interface Side {
  readonly a: pg.Client;
  readonly b: pg.Client;
  readonly c: pg.Client;
  readonly d: pg.Client;
  /** Creates `name (id int, v int)` with rows 1..4, hash-distributed or a reference table. */
  table(name: string, kind?: "hash" | "reference"): Promise<void>;
}

/** The scenarios, each on its own tables; each returns what the sessions saw. */
const scenarios: Record<string, (s: Side) => Promise<Outcome[]>> = {
  "LOCK TABLE blocks a routed INSERT until COMMIT": async ({ a, b, table }) => {
    await table("dl_insert");
    await a.query("BEGIN");
    const out = [await outcome(a.query("LOCK dl_insert"))];
    out.push(...await heldUntil(outcome(b.query("INSERT INTO dl_insert VALUES (5, 5)")),
      () => a.query("COMMIT")));
    out.push(...await rowsOf(b, "SELECT count(*) FROM dl_insert"));
    return out;
  },
  "EXCLUSIVE lets SELECT by, blocks UPDATE and SELECT … FOR UPDATE": async (side) => {
    const { a, b, c, d } = side;
    await side.table("dl_excl");
    await a.query("BEGIN");
    const out = [await outcome(a.query("LOCK TABLE dl_excl IN EXCLUSIVE MODE"))];
    out.push(...await rowsOf(c, "SELECT v FROM dl_excl WHERE id = 2"));
    out.push(...await rowsOf(c, "SELECT count(*) FROM dl_excl"));
    const update = outcome(b.query("UPDATE dl_excl SET v = 20 WHERE id = 2"));
    const forUpdate = outcome(d.query("SELECT v FROM dl_excl WHERE id = 3 FOR UPDATE"));
    out.push(...await heldUntil(update, () => a.query("COMMIT")));
    out.push(await forUpdate);
    await a.query("BEGIN");
    await a.query("LOCK TABLE dl_excl IN EXCLUSIVE MODE");
    out.push(...await heldUntil(outcome(d.query("SELECT v FROM dl_excl WHERE id = 3 FOR UPDATE")),
      () => a.query("ROLLBACK")));
    return out;
  },
  "ACCESS SHARE lets reads and writes by, holds back ALTER TABLE": async ({ a, b, c, table }) => {
    await table("dl_share");
    await a.query("BEGIN");
    const out = [await outcome(a.query("LOCK TABLE dl_share IN ACCESS SHARE MODE"))];
    out.push(await outcome(b.query("SELECT * FROM dl_share WHERE id = 1")));
    out.push(await outcome(b.query("INSERT INTO dl_share VALUES (6, 6)")));
    out.push(await outcome(b.query("UPDATE dl_share SET v = 0 WHERE id = 1")));
    out.push(...await heldUntil(outcome(c.query("ALTER TABLE dl_share ADD COLUMN extra int")),
      () => a.query("COMMIT")));
    out.push(JSON.stringify(Object.keys((await b.query("SELECT * FROM dl_share")).rows[0])));
    return out;
  },
  "NOWAIT: 55P03 behind a LOCK holder and behind a writer": async ({ a, b, table }) => {
    await table("dl_nowait");
    await b.query("BEGIN");
    await b.query("LOCK TABLE dl_nowait IN SHARE MODE");
    await a.query("BEGIN");
    const out = [await outcome(a.query("LOCK TABLE dl_nowait IN EXCLUSIVE MODE NOWAIT"))];
    await a.query("ROLLBACK");
    await b.query("ROLLBACK");
    await b.query("BEGIN");
    await b.query("INSERT INTO dl_nowait VALUES (7, 7)");
    await a.query("BEGIN");
    out.push(await outcome(a.query("LOCK dl_nowait IN SHARE MODE NOWAIT")));
    await a.query("ROLLBACK");
    await a.query("BEGIN");
    out.push(await outcome(a.query("LOCK public.dl_nowait IN ACCESS EXCLUSIVE MODE NOWAIT")));
    await a.query("ROLLBACK");
    await a.query("BEGIN");
    out.push(await outcome(a.query("LOCK ONLY dl_nowait IN ROW EXCLUSIVE MODE NOWAIT")));
    await a.query("ROLLBACK");
    await b.query("COMMIT");
    return out;
  },
  "lock_timeout and statement_timeout behind a writer; LOCK outside a block":
    async ({ a, b, table }) => {
      await table("dl_timeout", "reference");
      const out = [await outcome(a.query("LOCK TABLE dl_timeout"))];
      out.push(await outcome(a.query("LOCK TABLE dl_timeout IN ACCESS SHARE MODE NOWAIT")));
      out.push(await outcome(a.query("LOCK TABLE dl_timeout IN SHARE MODE; SELECT 1")));
      // Through the extended protocol too (outside a block Tessera's engine runs the Executes
      // before a Sync as an implicit block, where PostgreSQL says 25P01: not compared here).
      const extended = { name: "dl_lock_extended", text: "LOCK dl_timeout IN SHARE MODE" };
      await a.query("BEGIN");
      out.push(await outcome(a.query(extended)));
      await a.query("COMMIT");
      await b.query("BEGIN");
      await b.query("UPDATE dl_timeout SET v = 1 WHERE id = 1");
      await a.query("BEGIN");
      await a.query("SET LOCAL lock_timeout = '200ms'");
      out.push(await outcome(a.query("LOCK TABLE dl_timeout IN SHARE MODE")));
      await a.query("ROLLBACK");
      await a.query("BEGIN");
      await a.query("SET LOCAL statement_timeout = '200ms'");
      out.push(await outcome(a.query("LOCK TABLE dl_timeout IN SHARE MODE")));
      await a.query("ROLLBACK");
      await b.query("COMMIT");
      return out;
    },
  "ROLLBACK lets go: a waiting UPDATE of a reference table goes on": async ({ a, b, table }) => {
    await table("dl_ref", "reference");
    await a.query("BEGIN");
    const out = [await outcome(a.query("LOCK dl_ref IN SHARE ROW EXCLUSIVE MODE"))];
    out.push(...await heldUntil(outcome(b.query("UPDATE dl_ref SET v = v + 1")),
      () => a.query("ROLLBACK")));
    await a.query("BEGIN");
    out.push(await outcome(a.query("LOCK dl_ref IN SHARE ROW EXCLUSIVE MODE NOWAIT")));
    await a.query("COMMIT");
    return out;
  },
  "ROLLBACK TO SAVEPOINT lets go of a LOCK taken after it": async ({ a, b, c, table }) => {
    await table("dl_save");
    await c.query("BEGIN");
    await c.query("INSERT INTO dl_save VALUES (8, 8)");
    await a.query("BEGIN");
    await a.query("SAVEPOINT s");
    const out = [await outcome(a.query("LOCK dl_save IN SHARE MODE NOWAIT"))];
    await a.query("ROLLBACK TO SAVEPOINT s");
    await c.query("COMMIT");
    out.push(await outcome(a.query("LOCK dl_save IN SHARE MODE NOWAIT")));
    out.push(...await heldUntil(outcome(b.query("UPDATE dl_save SET v = 0 WHERE id = 8")),
      () => a.query("ROLLBACK TO SAVEPOINT s")));
    out.push(...await rowsOf(a, "SELECT count(*) FROM dl_save"));
    await a.query("COMMIT");
    return out;
  },
  "a list of a local, a distributed and a reference table": async ({ a, b, c, d, table }) => {
    await a.query("CREATE TABLE dl_local (id int)");
    await table("dl_mixed");
    await table("dl_mixed_ref", "reference");
    await a.query("BEGIN");
    const out = [await outcome(a.query(
      "LOCK TABLE dl_local, dl_mixed, dl_mixed_ref IN EXCLUSIVE MODE"))];
    const local = outcome(b.query("INSERT INTO dl_local VALUES (1)"));
    const dist = outcome(c.query("DELETE FROM dl_mixed WHERE id = 4"));
    const ref = outcome(d.query("INSERT INTO dl_mixed_ref VALUES (9, 9)"));
    out.push(...await heldUntil(Promise.all([local, dist, ref]).then((all) => all.join(", ")),
      () => a.query("COMMIT")));
    return out;
  },
  "DDL waits for a LOCK holder; SHARE lets CREATE INDEX by": async ({ a, b, c, table }) => {
    await table("dl_ddl");
    await a.query("BEGIN");
    const out = [await outcome(a.query("LOCK dl_ddl IN SHARE MODE"))];
    out.push(await outcome(c.query("CREATE INDEX dl_ddl_v ON dl_ddl (v)")));
    const truncate = outcome(b.query("TRUNCATE dl_ddl"));
    out.push(...await heldUntil(truncate, () => a.query("COMMIT")));
    await a.query("BEGIN");
    await a.query("LOCK dl_ddl IN ACCESS SHARE MODE");
    out.push(...await heldUntil(outcome(b.query("DROP TABLE dl_ddl")),
      () => a.query("COMMIT")));
    return out;
  },
  "LOCK waits for a block that ran DDL; pg_locks shows both": async ({ a, b, c, table }) => {
    await table("dl_after_ddl");
    await b.query("BEGIN");
    await b.query("ALTER TABLE dl_after_ddl ADD COLUMN w int");
    await a.query("BEGIN");
    const lock = outcome(a.query("LOCK dl_after_ddl IN ACCESS SHARE MODE"));
    const out = [await settledSoon(lock)];
    out.push(...await rowsOf(c, "SELECT mode, granted FROM pg_locks " +
      "WHERE relation = 'dl_after_ddl'::regclass ORDER BY granted DESC, mode"));
    out.push(...await heldUntil(lock, () => b.query("COMMIT")));
    out.push(...await rowsOf(c, "SELECT mode, granted FROM pg_locks " +
      "WHERE relation = 'dl_after_ddl'::regclass ORDER BY granted DESC, mode"));
    await a.query("COMMIT");
    return out;
  },
};

/** Starts the sessions of one server; `distribute` turns a new table into a Citus table. */
async function sideOn(url: string, citus: boolean): Promise<Side & { end(): Promise<void> }> {
  const [a, b, c, d] = await Promise.all([url, url, url, url].map(connect));
  return {
    a: a!, b: b!, c: c!, d: d!,
    table: async (name, kind = "hash") => {
      await a!.query(`CREATE TABLE ${name} (id int, v int)`);
      if (citus && kind === "hash") {
        await a!.query(`SELECT create_distributed_table('${name}', 'id', shard_count := 4)`);
      }
      if (citus && kind === "reference") await a!.query(`SELECT create_reference_table('${name}')`);
      await a!.query(`INSERT INTO ${name} SELECT i, i FROM generate_series(1, 4) i`);
    },
    end: async () => {
      await Promise.all([a!, b!, c!, d!].map((client) => client.end()));
    },
  };
}

describe("table locks on distributed and reference tables", () => {
  let cluster: TesseraCluster;
  let reference: ReferencePostgres;

  before(async () => {
    [cluster, reference] = await Promise.all([startCluster({ workers: 2 }),
      startReferencePostgres()]);
  });

  after(async () => {
    await Promise.all([cluster?.stop(), reference?.stop()]);
  });

  for (const [name, scenario] of Object.entries(scenarios)) {
    test(name, { timeout: testTimeoutMs }, async () => {
      const postgres = await sideOn(reference.url, false);
      const tessera = await sideOn(cluster.url, true);
      try {
        const expected = await scenario(postgres);
        const actual = await scenario(tessera);
        assert.ok(expected.length > 1, "the scenario saw something");
        assert.deepEqual(actual, expected);
      } finally {
        await Promise.all([postgres.end(), tessera.end()]);
      }
    });
  }

  test("a LOCK and a writer waiting for each other on two workers: 40P01",
    { timeout: testTimeoutMs }, async () => {
    // PostgreSQL and Citus let the writer on (it holds RowExclusive on the table already);
    // here the writer's second shard is one the LOCK holds on the first node, while the LOCK
    // waits for the writer's first shard on the second node: a distributed deadlock.
    const { a, b, c, table, end } = await sideOn(cluster.url, true);
    try {
      await table("dl_deadlock");
      const placed = await rowsOf(c, "SELECT n.nodeport, g FROM generate_series(1, 20) g " +
        "JOIN pg_dist_placement p ON p.shardid = " +
        "get_shard_id_for_distribution_column('dl_deadlock', g) " +
        "JOIN pg_dist_node n USING (groupid) ORDER BY g");
      const ports = [...new Set(placed.map((row) => Number(row.split("|")[0])))]
        .sort((x, y) => x - y);
      const keyOn = (port: number): string => placed.find((row) =>
        Number(row.split("|")[0]) === port)!.split("|")[1]!;
      await b.query("BEGIN");
      await b.query(`INSERT INTO dl_deadlock VALUES (${keyOn(ports[1]!)}, 0)`);
      await a.query("BEGIN");
      const lock = outcome(a.query("LOCK dl_deadlock"));
      assert.equal(await settledSoon(lock), "waiting");
      const write = outcome(b.query(`INSERT INTO dl_deadlock VALUES (${keyOn(ports[0]!)}, 0)`));
      const first = await Promise.race([lock, write]);
      assert.match(first, /^ERROR 40P01 /);
      const victim = first === await settledSoon(lock) ? a : b;
      await victim.query("ROLLBACK");
      const other = victim === a ? await write : await lock;
      assert.match(other, /^(INSERT 1|LOCK)$/);
      await a.query("ROLLBACK");
      await b.query("ROLLBACK");
    } finally {
      await end();
    }
  });

  test("a LOCK waiting on a worker for a block whose DDL waits for it: 40P01",
    { timeout: testTimeoutMs }, async () => {
    // The LOCK holds the shell table on the coordinator and waits on a worker for the
    // writer's shard; the writer's ALTER TABLE waits for the shell table. PostgreSQL lets the
    // ALTER go first (it reorders the wait queue); here distributed deadlock detection, which
    // reads the coordinator's own waits too, fails the LOCK's block, the youngest.
    const { a, b, table, end } = await sideOn(cluster.url, true);
    try {
      await table("dl_ddl_cycle");
      await b.query("BEGIN");
      await b.query("INSERT INTO dl_ddl_cycle VALUES (9, 9)");
      await a.query("BEGIN");
      const lock = outcome(a.query("LOCK dl_ddl_cycle IN SHARE MODE"));
      assert.equal(await settledSoon(lock), "waiting");
      const alter = outcome(b.query("ALTER TABLE dl_ddl_cycle ADD COLUMN w int"));
      assert.equal(await lock,
        "ERROR 40P01 canceling the transaction since it was involved in a distributed deadlock");
      await a.query("ROLLBACK");
      assert.equal(await alter, "ALTER");
      await b.query("COMMIT");
    } finally {
      await end();
    }
  });

  test("the shards are locked on the workers until the block ends",
    { timeout: testTimeoutMs }, async () => {
    const side = await sideOn(cluster.url, true);
    const shardLocks = async (): Promise<string[]> => {
      const rows = await Promise.all(cluster.workerPorts.map((port) => queryNode(port,
        "SELECT relation::regclass::text AS rel, mode FROM pg_locks " +
        "WHERE locktype = 'relation' AND relation::regclass::text LIKE 'dl_worker_%' " +
        "ORDER BY 1")));
      return rows.map((node) => node.map((r) => `${String(r["rel"])} ${String(r["mode"])}`)
        .join(", "));
    };
    try {
      await side.table("dl_worker");
      await side.a.query("BEGIN");
      await side.a.query("LOCK dl_worker IN ROW EXCLUSIVE MODE");
      const held = await shardLocks();
      assert.equal(held.length, 2);
      for (const node of held) {
        const locks = node.split(", ");
        assert.equal(locks.length, 2, node);
        for (const lock of locks) assert.match(lock, /^dl_worker_\d+ RowExclusiveLock$/);
      }
      await side.a.query("ROLLBACK");
      assert.deepEqual(await shardLocks(), ["", ""]);

      await side.a.query("BEGIN");
      await side.a.query("SET LOCAL citus.enable_ddl_propagation = off");
      await side.a.query("LOCK dl_worker");
      assert.deepEqual(await shardLocks(), ["", ""], "without propagation nodes lock nothing");
      assert.deepEqual(await rowsOf(side.c, "SELECT mode FROM pg_locks " +
        "WHERE relation = 'dl_worker'::regclass"), ["AccessExclusiveLock"]);
      await side.a.query("COMMIT");
    } finally {
      await side.end();
    }
  });
});
