/**
 * Table locks from the clients' side: two (or three) sessions against a worker, a
 * single-node coordinator and PostgreSQL 15, running the same interleavings. DDL waits for
 * an open transaction that read or wrote the table, LOCK TABLE blocks writers, NOWAIT and
 * lock_timeout fail with 55P03, a deadlock between a table lock and a row lock is found
 * (40P01), a DROP is seen by the session that waited behind it as 42P01, pg_locks shows the
 * granted and the awaited modes, and ROLLBACK TO SAVEPOINT lets go of what it took.
 * Each scenario returns what the sessions saw; the servers must agree.
 *
 * PostgreSQL's deadlock victim differs (see the deadlock scenario), and its pg_locks also
 * lists index and virtualxid locks, so the scenarios filter pg_locks by table.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { startCluster, startReferencePostgres, type ReferencePostgres, type TesseraCluster }
  from "../harness/index.js";

type Outcome = string;

/** How long a statement must stay blocked to count as waiting. */
const waitMs = 300;

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => undefined);
  await client.connect();
  return client;
}

/** A statement's outcome: its command and row count, or its SQLSTATE and message. */
function outcome(query: Promise<pg.QueryResult>): Promise<Outcome> {
  return query.then((r) => `${r.command ?? ""} ${r.rowCount ?? ""}`.trim(),
    (error: { code?: string; message: string }) => `ERROR ${error.code ?? "?"} ${error.message}`);
}

/** "waiting" when `pending` has not settled after `waitMs`, else its outcome. */
async function settledSoon(pending: Promise<Outcome>): Promise<Outcome> {
  const timer = new Promise<Outcome>((resolve) => setTimeout(() => resolve("waiting"), waitMs));
  return Promise.race([pending, timer]);
}

const rowsOf = async (client: pg.Client, sql: string): Promise<string[]> =>
  (await client.query({ text: sql, rowMode: "array" })).rows.map((r: unknown[]) => r.join("|"));

interface Sessions {
  readonly a: pg.Client;
  readonly b: pg.Client;
  readonly c: pg.Client;
}

/** The scenarios, each on its own tables; each returns what the sessions saw. */
const scenarios: Record<string, (s: Sessions) => Promise<Outcome[]>> = {
  "ALTER TABLE waits for a transaction that inserted; its next SELECT sees the new column":
    async ({ a, b, c }) => {
      await a.query("CREATE TABLE tl_alter (id int)");
      await a.query("BEGIN");
      await a.query("INSERT INTO tl_alter VALUES (1)");
      const alter = outcome(b.query("ALTER TABLE tl_alter ADD COLUMN extra int"));
      const out = [await settledSoon(alter)];
      out.push(...await rowsOf(c, "SELECT mode, granted FROM pg_locks " +
        "WHERE relation = 'tl_alter'::regclass ORDER BY granted DESC, mode"));
      out.push(JSON.stringify(Object.keys((await a.query("SELECT * FROM tl_alter")).rows[0])));
      await a.query("COMMIT");
      out.push(await alter);
      out.push(JSON.stringify(Object.keys((await a.query("SELECT * FROM tl_alter")).rows[0])));
      const reader = outcome(b.query("SELECT * FROM tl_alter"));
      out.push(await reader);
      return out;
    },
  "LOCK TABLE IN SHARE MODE blocks a writer until COMMIT": async ({ a, b }) => {
    await a.query("CREATE TABLE tl_share (id int)");
    await a.query("BEGIN");
    const out = [await outcome(a.query("LOCK TABLE tl_share IN SHARE MODE"))];
    out.push(await outcome(b.query("SELECT count(*) FROM tl_share")));
    const insert = outcome(b.query("INSERT INTO tl_share VALUES (1)"));
    out.push(await settledSoon(insert));
    await a.query("COMMIT");
    out.push(await insert);
    return out;
  },
  "NOWAIT, lock_timeout, and LOCK TABLE outside a block": async ({ a, b }) => {
    await a.query("CREATE TABLE tl_nowait (id int)");
    const out = [await outcome(b.query("LOCK TABLE tl_nowait"))];
    await a.query("BEGIN");
    await a.query("LOCK TABLE tl_nowait");
    await b.query("BEGIN");
    out.push(await outcome(b.query("LOCK TABLE tl_nowait IN ACCESS SHARE MODE NOWAIT")));
    await b.query("ROLLBACK");
    await b.query("SET lock_timeout = '200ms'");
    out.push(await outcome(b.query("SELECT * FROM tl_nowait")));
    out.push(await outcome(b.query("TRUNCATE tl_nowait")));
    await b.query("RESET lock_timeout");
    await a.query("COMMIT");
    out.push(await outcome(b.query("LOCK TABLE tl_missing")));
    await b.query("BEGIN");
    out.push(await outcome(b.query("LOCK TABLE tl_missing")));
    await b.query("ROLLBACK");
    return out;
  },
  "a table lock and a row lock waiting for each other: 40P01 for one": async ({ a, b }) => {
    await a.query("CREATE TABLE tl_rows (id int PRIMARY KEY, v int)");
    await a.query("CREATE TABLE tl_other (id int)");
    await a.query("INSERT INTO tl_rows VALUES (1, 0)");
    await a.query("BEGIN");
    await a.query("UPDATE tl_rows SET v = 1 WHERE id = 1");
    await b.query("BEGIN");
    await b.query("LOCK TABLE tl_other");
    const read = outcome(a.query("SELECT * FROM tl_other"));
    await settledSoon(read);
    const update = outcome(b.query("UPDATE tl_rows SET v = 2 WHERE id = 1"));
    // Postgres aborts the first waiter (its deadlock_timeout passes first), Tessera the one
    // whose wait closes the cycle: the victim rolls back, then the other goes on.
    const first = await Promise.race([read.then((o) => ({ o, victim: a, other: update })),
      update.then((o) => ({ o, victim: b, other: read }))]);
    await first.victim.query("ROLLBACK");
    const second = await first.other;
    await a.query("ROLLBACK");
    await b.query("ROLLBACK");
    return [first.o.replace(/^(ERROR 40P01 deadlock detected).*/, "$1"),
      second.startsWith("ERROR") ? second : "the other went on"];
  },
  "DROP TABLE waits; a reader queued behind it then gets 42P01": async ({ a, b, c }) => {
    await a.query("CREATE TABLE tl_drop (id int)");
    await a.query("BEGIN");
    await a.query("SELECT * FROM tl_drop");
    const drop = outcome(c.query("DROP TABLE tl_drop"));
    const out = [await settledSoon(drop)];
    const reader = outcome(b.query("SELECT * FROM tl_drop"));
    out.push(await settledSoon(reader));
    out.push(...await rowsOf(a, "SELECT mode, granted FROM pg_locks " +
      "WHERE relation = 'tl_drop'::regclass ORDER BY granted DESC, mode"));
    await a.query("COMMIT");
    out.push(await drop, await reader);
    return out;
  },
  "ROLLBACK TO SAVEPOINT lets go of the locks taken after it": async ({ a, b }) => {
    await a.query("CREATE TABLE tl_save (id int)");
    await a.query("BEGIN");
    await a.query("SAVEPOINT s");
    await a.query("LOCK TABLE tl_save");
    await b.query("BEGIN");
    const out = [await outcome(b.query("LOCK TABLE tl_save IN ACCESS SHARE MODE NOWAIT"))];
    await b.query("ROLLBACK");
    await a.query("ROLLBACK TO SAVEPOINT s");
    await b.query("BEGIN");
    out.push(await outcome(b.query("LOCK TABLE tl_save IN ACCESS SHARE MODE NOWAIT")));
    await b.query("ROLLBACK");
    await a.query("COMMIT");
    return out;
  },
};

/** Runs every scenario against the server at `url`, with fresh sessions each. */
async function runAll(url: string): Promise<Record<string, Outcome[]>> {
  const results: Record<string, Outcome[]> = {};
  for (const [name, scenario] of Object.entries(scenarios)) {
    const sessions = { a: await connect(url), b: await connect(url), c: await connect(url) };
    try {
      results[name] = await scenario(sessions);
    } finally {
      await Promise.all(Object.values(sessions).map((s) => s.end()));
    }
  }
  return results;
}

describe("table locks", () => {
  let reference: ReferencePostgres;
  let worker: TesseraCluster;
  let coordinator: TesseraCluster;
  let expected: Record<string, Outcome[]>;
  before(async () => {
    [reference, worker, coordinator] = await Promise.all([startReferencePostgres(),
      startCluster({ role: "worker" }), startCluster({ workers: 0 })]);
    expected = await runAll(reference.url);
  });
  after(async () => {
    await Promise.all([reference.stop(), worker.stop(), coordinator.stop()]);
  });

  test("PostgreSQL 15 shows what the scenarios expect", () => {
    const nowait = expected["NOWAIT, lock_timeout, and LOCK TABLE outside a block"];
    assert.deepEqual(nowait, [
      "ERROR 25P01 LOCK TABLE can only be used in transaction blocks",
      'ERROR 55P03 could not obtain lock on relation "tl_nowait"',
      "ERROR 55P03 canceling statement due to lock timeout",
      "ERROR 55P03 canceling statement due to lock timeout",
      "ERROR 25P01 LOCK TABLE can only be used in transaction blocks",
      'ERROR 42P01 relation "tl_missing" does not exist']);
    assert.deepEqual(expected["DROP TABLE waits; a reader queued behind it then gets 42P01"], [
      "waiting", "waiting", "AccessShareLock|true", "AccessExclusiveLock|false",
      "AccessShareLock|false", "DROP", 'ERROR 42P01 relation "tl_drop" does not exist']);
  });

  test("a worker behaves as PostgreSQL 15", async () => {
    assert.deepEqual(await runAll(worker.url), expected);
  });

  test("a single-node coordinator's local tables behave as PostgreSQL 15", async () => {
    assert.deepEqual(await runAll(coordinator.url), expected);
  });
});
