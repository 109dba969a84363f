/**
 * LISTEN / NOTIFY / UNLISTEN from the clients' side, against PostgreSQL 15, a Tessera worker
 * and the coordinator of a `tessera cluster`: real `pg` clients (their `notification`
 * events), two or three sessions, the same scenarios on each server. Each scenario returns
 * what the sessions saw, with sender pids named after the session that sent; the servers
 * must agree.
 *
 * A scenario learns that nothing else is coming by a sentinel: the notifier sends one last
 * notification and the listener waits for it, so "rollback sends nothing" is checked by the
 * sentinel arriving alone, not by a sleep.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { startCluster, startReferencePostgres, type ReferencePostgres,
  type TesseraCluster } from "../harness/index.js";

/** How long a notification may take to arrive before a scenario gives up on it. */
const arrivalMs = 5_000;
/** How long a listener inside a transaction is given to (wrongly) receive something. */
const quietMs = 200;

/** A client and what it received, as "channel:payload from sender". */
class Session {
  readonly received: string[] = [];
  private waiters: (() => void)[] = [];
  pid = 0;

  constructor(readonly client: pg.Client, private readonly names: Map<number, string>) {
    client.on("notification", (n) => {
      this.received.push(`${n.channel}:${n.payload ?? ""} from ${this.nameOf(n.processId)}`);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  query(sql: string, values?: unknown[]): Promise<pg.QueryResult> {
    return this.client.query(sql, values);
  }

  /** Waits until a notification with this channel and payload arrived. */
  async waitFor(channel: string, payload: string): Promise<void> {
    const deadline = Date.now() + arrivalMs;
    const seen = (): boolean => this.received.some((r) => r.startsWith(`${channel}:${payload} `));
    while (!seen()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no notification ${channel}:${payload}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Returns what arrived since the last call. */
  take(): string[] {
    return this.received.splice(0);
  }

  private nameOf(pid: number): string {
    return this.names.get(pid) ?? "unknown";
  }
}

interface Sessions {
  readonly a: Session;
  readonly b: Session;
}

const errorOf = (query: Promise<unknown>): Promise<string> => query.then(() => "no error",
  (error: { code?: string; message: string }) => `ERROR ${error.code ?? "?"} ${error.message}`);

const channelsOf = async (s: Session): Promise<string> =>
  (await s.query("SELECT pg_listening_channels() AS c")).rows.map((r) => r.c as string).join(",");

/** The scenarios; each returns what the sessions saw. */
const scenarios: Record<string, (s: Sessions) => Promise<string[]>> = {
  "an idle listener receives a notification without sending a query": async ({ a, b }) => {
    await a.query("LISTEN idle_chan");
    await b.query("NOTIFY idle_chan, 'hello'");
    await a.waitFor("idle_chan", "hello");
    await b.query("NOTIFY idle_chan");
    await a.waitFor("idle_chan", "");
    await a.query("UNLISTEN idle_chan");
    return a.take();
  },
  "rollback sends nothing, commit sends in order with duplicates folded": async ({ a, b }) => {
    await a.query("LISTEN jobs");
    await b.query("BEGIN");
    await b.query("NOTIFY jobs, 'rolled back'");
    await b.query("SELECT pg_notify('jobs', 'rolled back too')");
    await b.query("ROLLBACK");
    await b.query("BEGIN");
    await b.query("NOTIFY jobs, 'one'");
    await b.query("NOTIFY jobs, 'two'");
    await b.query("NOTIFY jobs, 'one'");
    await b.query("SELECT pg_notify('jobs', 'three')");
    await b.query("SELECT pg_notify($1, $2)", ["jobs", "two"]);
    await b.query("NOTIFY other_chan, 'one'");
    await b.query("COMMIT");
    await b.query("NOTIFY jobs, 'end'");
    await a.waitFor("jobs", "end");
    await a.query("UNLISTEN jobs");
    return a.take();
  },
  "a statement outside a block is its own transaction": async ({ a, b }) => {
    await a.query("LISTEN auto");
    const failed = await errorOf(b.query("SELECT pg_notify('auto', 'failed'), 1/0"));
    await b.query("NOTIFY auto, 'm1'; NOTIFY auto, 'm2'; NOTIFY auto, 'm1'");
    const failedMulti = await errorOf(b.query("NOTIFY auto, 'lost'; SELECT 1/0"));
    const value = (await b.query("SELECT pg_notify($1, $2) AS v", ["auto", "extended"])).rows[0];
    const result = `pg_notify returns ${JSON.stringify(value)}`;
    await b.query("NOTIFY auto, 'end'");
    await a.waitFor("auto", "end");
    await a.query("UNLISTEN auto");
    return [failed, failedMulti, result, ...a.take()];
  },
  "a listener inside a transaction receives after its COMMIT": async ({ a, b }) => {
    await a.query("LISTEN busy");
    await a.query("BEGIN");
    await a.query("SELECT 1");
    await b.query("NOTIFY busy, 'during'");
    await new Promise((resolve) => setTimeout(resolve, quietMs));
    const inside = `inside the transaction: ${a.take().length}`;
    await a.query("SELECT 2");
    const stillInside = `after another statement: ${a.take().length}`;
    await a.query("COMMIT");
    // Sent before the COMMIT's ReadyForQuery, so here already.
    const afterCommit = a.take();
    await a.query("UNLISTEN busy");
    return [inside, stillInside, ...afterCommit];
  },
  "LISTEN in a transaction takes effect at commit": async ({ a, b }) => {
    await a.query("BEGIN");
    await a.query("LISTEN late");
    const during = `channels during: ${await channelsOf(a)}`;
    await b.query("NOTIFY late, 'before commit'");
    await a.query("COMMIT");
    const afterwards = `channels after: ${await channelsOf(a)}`;
    await a.query("BEGIN");
    await a.query("LISTEN never");
    await a.query("ROLLBACK");
    const rolledBack = `channels after rollback: ${await channelsOf(a)}`;
    await b.query("NOTIFY late, 'after commit'");
    await a.waitFor("late", "after commit");
    await a.query("UNLISTEN *");
    return [during, afterwards, rolledBack, ...a.take()];
  },
  "a session receives its own notifications": async ({ a }) => {
    await a.query("LISTEN mine");
    await a.query("NOTIFY mine, 'self'");
    const autocommit = a.take();
    await a.query("BEGIN");
    await a.query("LISTEN mine2");
    await a.query("NOTIFY mine2, 'same transaction'");
    await a.query("COMMIT");
    const sameTransaction = a.take();
    await a.query("BEGIN");
    await a.query("UNLISTEN mine");
    await a.query("NOTIFY mine, 'unlistened'");
    await a.query("NOTIFY mine2, 'end'");
    await a.query("COMMIT");
    await a.query("UNLISTEN *");
    return [...autocommit, ...sameTransaction, ...a.take()];
  },
  "UNLISTEN one channel, UNLISTEN *, DISCARD ALL": async ({ a, b }) => {
    await a.query("LISTEN c1");
    await a.query("LISTEN c2");
    await a.query("LISTEN \"Mixed Case\"");
    await a.query("LISTEN c1");
    const all = `listening: ${await channelsOf(a)}`;
    await a.query("UNLISTEN c1");
    await a.query("UNLISTEN not_listened");
    const one = `after UNLISTEN c1: ${await channelsOf(a)}`;
    await b.query("NOTIFY c1, 'not for a'");
    await b.query("NOTIFY \"Mixed Case\", 'quoted'");
    await a.waitFor("Mixed Case", "quoted");
    await a.query("UNLISTEN *");
    const none = `after UNLISTEN *: ${await channelsOf(a)}`;
    await a.query("LISTEN c3");
    await a.query("DISCARD ALL");
    const discarded = `after DISCARD ALL: ${await channelsOf(a)}`;
    await a.query("LISTEN sentinel");
    await b.query("NOTIFY c2, 'not for a'");
    await b.query("NOTIFY c3, 'not for a'");
    await b.query("NOTIFY sentinel, 'end'");
    await a.waitFor("sentinel", "end");
    await a.query("UNLISTEN *");
    return [all, one, none, discarded, ...a.take()];
  },
  "ROLLBACK TO SAVEPOINT forgets what was queued after it": async ({ a, b }) => {
    await a.query("LISTEN sp");
    await b.query("BEGIN");
    await b.query("NOTIFY sp, 'kept'");
    await b.query("SAVEPOINT s1");
    await b.query("NOTIFY sp, 'dropped'");
    await b.query("NOTIFY sp, 'kept'");
    await b.query("ROLLBACK TO SAVEPOINT s1");
    await b.query("SAVEPOINT s2");
    await b.query("NOTIFY sp, 'released'");
    await b.query("RELEASE SAVEPOINT s2");
    await b.query("COMMIT");
    await b.query("NOTIFY sp, 'end'");
    await a.waitFor("sp", "end");
    await a.query("UNLISTEN sp");
    return a.take();
  },
  "errors": async ({ a }) => {
    const long = "x".repeat(8000);
    return [
      await errorOf(a.query(`NOTIFY too_long, '${long}'`)),
      await errorOf(a.query("SELECT pg_notify('too_long', $1)", [long])),
      await errorOf(a.query("SELECT pg_notify('ok', $1)", ["x".repeat(7999)])),
      await errorOf(a.query("SELECT pg_notify('', 'x')")),
      await errorOf(a.query("SELECT pg_notify(NULL, 'x')")),
      await errorOf(a.query(`SELECT pg_notify('${"c".repeat(64)}', 'x')`)),
      await errorOf(a.query("LISTEN \"\"")),
      await errorOf(a.query("BEGIN; NOTIFY p; PREPARE TRANSACTION 'p'")),
      `after the failed PREPARE: ${(await a.query("SELECT 1 AS one")).rowCount ?? 0} row`,
      await errorOf(a.query("BEGIN; LISTEN x; SELECT 1/0")),
      await errorOf(a.query("LISTEN z")),
      await errorOf(a.query("ROLLBACK")),
      `channels: [${await channelsOf(a)}]`,
      await errorOf(a.query("BEGIN; LISTEN y; SAVEPOINT s; LISTEN w; SELECT 1/0")),
      await errorOf(a.query("ROLLBACK TO s; COMMIT")),
      `channels: [${await channelsOf(a)}]`,
    ];
  },
};

async function connect(url: string, names: Map<number, string>, name: string):
  Promise<Session> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => undefined);
  await client.connect();
  const session = new Session(client, names);
  const pid = (await client.query("SELECT pg_backend_pid() AS pid")).rows[0].pid as number;
  session.pid = pid;
  names.set(pid, name);
  return session;
}

/** Runs every scenario on fresh sessions of one server. */
async function runAll(url: string): Promise<Record<string, string[]>> {
  const results: Record<string, string[]> = {};
  for (const [name, scenario] of Object.entries(scenarios)) {
    const names = new Map<number, string>();
    const a = await connect(url, names, "a");
    const b = await connect(url, names, "b");
    try {
      results[name] = await scenario({ a, b });
    } finally {
      await a.client.end();
      await b.client.end();
    }
  }
  return results;
}

/** psql prints a notification after the command during which it arrived. */
async function psqlSelfNotify(port: number): Promise<string> {
  const child = spawn("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", "-",
    `host=127.0.0.1 port=${port} dbname=postgres user=postgres sslmode=disable`]);
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => out += chunk.toString());
  child.stderr.on("data", (chunk: Buffer) => out += chunk.toString());
  child.stdin.end("LISTEN foo;\nNOTIFY foo, 'x';\nSELECT 1 AS one;\n");
  const [code] = await once(child, "close") as [number | null];
  assert.equal(code, 0, out);
  return out.replace(/PID \d+/g, "PID n");
}

describe("LISTEN / NOTIFY", { timeout: 300_000 }, () => {
  let reference: ReferencePostgres;
  let worker: TesseraCluster;
  let cluster: TesseraCluster;
  let expected: Record<string, string[]>;

  before(async () => {
    [reference, worker, cluster] = await Promise.all([
      startReferencePostgres({ settings: { max_prepared_transactions: 5 } }),
      startCluster({ role: "worker" }), startCluster({ workers: 1 })]);
    expected = await runAll(reference.url);
  });

  after(async () => {
    await Promise.all([reference?.stop(), worker?.stop(), cluster?.stop()]);
  });

  test("PostgreSQL 15 shows what the scenarios expect", () => {
    const rolled = expected["rollback sends nothing, commit sends in order with duplicates folded"];
    assert.deepEqual(rolled, ["jobs:one from b", "jobs:two from b", "jobs:three from b",
      "jobs:end from b"]);
  });

  const targets: [string, () => string][] = [
    ["a worker", () => worker.url],
    ["a cluster's coordinator", () => cluster.url],
  ];
  for (const [label, urlOf] of targets) {
    test(`${label} behaves as PostgreSQL 15`, async () => {
      const actual = await runAll(urlOf());
      for (const name of Object.keys(scenarios)) {
        assert.deepEqual(actual[name], expected[name], name);
      }
    });
  }

  test("psql prints the notification after the command, as with PostgreSQL", async () => {
    const want = await psqlSelfNotify(reference.port);
    assert.match(want, /Asynchronous notification "foo" with payload "x" received from server/);
    assert.equal(await psqlSelfNotify(worker.port), want);
    assert.equal(await psqlSelfNotify(cluster.port), want);
  });
});
