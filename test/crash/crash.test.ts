/**
 * Crash safety of a real worker: concurrent clients run single-row and multi-row
 * transactions (some rolled back on purpose) while the process is killed with SIGKILL at a
 * random moment; the worker restarts on the same data directory and every acknowledged
 * commit must be there, whole, and no other transaction may be there in part.
 *
 * CRASH_ROUNDS sets the number of kill/restart rounds (3 by default, `make test-crash` runs
 * 50); SEED=n replays one run. Each transaction k inserts `size` rows tagged k; the
 * multi-statement ones also add one to a counter row, so a partly present transaction shows
 * as a wrong row count or as a counter total that differs from the transactions present.
 *
 * Some transactions end with PREPARE TRANSACTION 'g<k>' instead (rows only, no counter):
 * after the restart every acknowledged one must still be in pg_prepared_xacts with its rows
 * invisible, and COMMIT PREPARED must then make them whole; one whose PREPARE was cut off
 * is either prepared (and committed the same way) or absent.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { startCluster, type TesseraCluster } from "../harness/index.js";

type Outcome = "committed" | "rolledBack" | "prepared" | "unknown";

interface TxnRecord {
  readonly size: number;
  /** Multi-statement transactions also add one to a counter row. */
  readonly counted: boolean;
  /** Ended with PREPARE TRANSACTION 'g<k>'. */
  readonly prepare: boolean;
  outcome: Outcome;
}

const rounds = Number(process.env["CRASH_ROUNDS"] ?? "3");
const seed = Number(process.env["SEED"] ?? String(Date.now() % 1_000_000));
const clientCount = 6;

function seededRandom(start: number): () => number {
  let state = start >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test(`every acknowledged commit survives kill -9 (${rounds} rounds, SEED=${seed})`, async () => {
  const random = seededRandom(seed);
  const records = new Map<number, TxnRecord>();
  let nextTxn = 1;
  let worker = await startCluster({ role: "worker" });
  const dataDir = worker.dataDir;
  try {
    await setup(worker);
    for (let round = 0; round < rounds; round++) {
      const stop = { killed: false };
      const load = Array.from({ length: clientCount }, () =>
        runClient(worker, stop, random, records, () => nextTxn++),
      );
      await new Promise((resolve) => setTimeout(resolve, 300 + Math.floor(random() * 2200)));
      stop.killed = true;
      worker.process.kill("SIGKILL");
      await Promise.all(load);
      await worker.stop({ keepData: true });
      worker = await startCluster({ role: "worker", dataDir });
      await verify(worker, records, `round ${round}, SEED=${seed}`);
    }
  } finally {
    await worker.stop({ keepData: true });
    await worker.stop();
    const { rmSync } = await import("node:fs");
    rmSync(dataDir, { recursive: true, force: true });
  }
});

async function setup(worker: TesseraCluster): Promise<void> {
  const client = new pg.Client({ connectionString: worker.url });
  await client.connect();
  await client.query(
    "create table rows (txn int, part int, payload text, " + "primary key (txn, part))",
  );
  await client.query("create table counters (id int primary key, n int)");
  await client.query("insert into counters select g, 0 from generate_series(0, 7) g");
  await client.end();
}

/** Runs transactions until the worker dies; records what each one's client learned. */
async function runClient(
  worker: TesseraCluster,
  stop: { killed: boolean },
  random: () => number,
  records: Map<number, TxnRecord>,
  nextTxn: () => number,
): Promise<void> {
  const client = new pg.Client({ connectionString: worker.url });
  client.on("error", () => undefined);
  try {
    await client.connect();
  } catch {
    return;
  }
  while (!stop.killed) {
    const txn = nextTxn();
    const size = random() < 0.4 ? 1 : 2 + Math.floor(random() * 5);
    const rollback = random() < 0.15;
    const prepare = !rollback && random() < 0.1;
    const record: TxnRecord = {
      size,
      counted: !prepare && (size > 1 || rollback),
      prepare,
      outcome: "unknown",
    };
    records.set(txn, record);
    try {
      if (prepare) await prepareTransaction(client, txn, size);
      else await runTransaction(client, txn, size, rollback, Math.floor(random() * 8));
      record.outcome = rollback ? "rolledBack" : prepare ? "prepared" : "committed";
    } catch (error) {
      if (!stop.killed) process.stdout.write(`# client error: ${String(error)}\n`);
      break;
    }
  }
  await client.end().catch(() => undefined);
}

async function runTransaction(
  client: pg.Client,
  txn: number,
  size: number,
  rollback: boolean,
  counter: number,
): Promise<void> {
  const values = Array.from(
    { length: size },
    (_x, part) => `(${txn}, ${part}, '${"x".repeat(part * 20)}')`,
  ).join(", ");
  if (size === 1 && !rollback) {
    await client.query(`insert into rows values (${txn}, 0, 'single')`);
    return;
  }
  await client.query("begin");
  await client.query(`insert into rows values ${values}`);
  await client.query(`update counters set n = n + 1 where id = ${counter}`);
  await client.query(rollback ? "rollback" : "commit");
}

async function prepareTransaction(client: pg.Client, txn: number, size: number): Promise<void> {
  const values = Array.from({ length: size }, (_x, part) => `(${txn}, ${part}, 'p')`);
  await client.query("begin");
  await client.query(`insert into rows values ${values.join(", ")}`);
  await client.query(`prepare transaction 'g${txn}'`);
}

/** Checks the prepared transactions after a restart, then commits every one of them. */
async function commitPrepared(
  client: pg.Client,
  records: Map<number, TxnRecord>,
  where: string,
): Promise<number> {
  const listed = await client.query("select gid from pg_prepared_xacts");
  const gids = new Set((listed.rows as { gid: string }[]).map((row) => row.gid));
  for (const [txn, record] of records) {
    if (!record.prepare || record.outcome === "committed" || record.outcome === "rolledBack") {
      continue;
    }
    const present = gids.has(`g${txn}`);
    if (record.outcome === "prepared") {
      assert.ok(present, `acknowledged prepared transaction ${txn} is listed (${where})`);
    }
    if (!present) {
      assert.notEqual(record.outcome, "prepared");
      record.outcome = "rolledBack";
      continue;
    }
    const visible = await client.query(`select count(*)::int as n from rows where txn = ${txn}`);
    assert.equal(visible.rows[0].n, 0, `prepared transaction ${txn} is invisible (${where})`);
    await client.query(`commit prepared 'g${txn}'`);
    gids.delete(`g${txn}`);
    record.outcome = "committed";
  }
  assert.deepEqual([...gids], [], `no unknown prepared transactions (${where})`);
  return listed.rows.length;
}

async function verify(
  worker: TesseraCluster,
  records: Map<number, TxnRecord>,
  where: string,
): Promise<void> {
  const client = new pg.Client({ connectionString: worker.url });
  await client.connect();
  try {
    const prepared = await commitPrepared(client, records, where);
    const present = new Map<number, number>();
    const rows = await client.query("select txn, count(*)::int as n from rows group by txn");
    for (const row of rows.rows as { txn: number; n: number }[]) present.set(row.txn, row.n);
    for (const [txn, record] of records) {
      const count = present.get(txn) ?? 0;
      if (record.outcome === "committed") {
        assert.equal(count, record.size, `acknowledged transaction ${txn} is whole (${where})`);
      } else if (record.outcome === "rolledBack") {
        assert.equal(
          count,
          0,
          `rolled-back transaction ${txn} (prepare: ${record.prepare}) is absent (${where})`,
        );
      } else {
        assert.ok(count === 0 || count === record.size, `transaction ${txn} is all or nothing`);
        if (count > 0) record.outcome = "committed";
        else record.outcome = "rolledBack";
      }
    }
    for (const txn of present.keys()) assert.ok(records.has(txn), `transaction ${txn} is known`);
    const counted = [...present.keys()].filter((txn) => records.get(txn)?.counted === true);
    const total = await client.query("select sum(n)::int as n from counters");
    assert.equal(total.rows[0].n, counted.length, `one counter step per transaction (${where})`);
    const acked = [...records.values()].filter((r) => r.outcome === "committed").length;
    process.stdout.write(
      `# ${where}: ${present.size} transactions present, ${acked} committed ` +
        `(${prepared} of them prepared before the kill)\n`,
    );
  } finally {
    await client.end();
  }
}
