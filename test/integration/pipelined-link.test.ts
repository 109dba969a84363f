/**
 * The coordinator's pipelined links (`connection/pipelined-link.ts`) against a real
 * `tessera cluster --workers 2`: once a fast-path statement has a record of quick runs, the
 * executions of many sessions share one connection per node; each still gets its own rows
 * and its own error, a cancel leaves the other sessions' executions alone, and a link whose
 * node connection ends gives way to a new one.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { startCluster, type TesseraCluster } from "../harness/index.js";

describe("pipelined links to the nodes", () => {
  let cluster: TesseraCluster;
  let admin: pg.Client;
  const sessions: pg.Client[] = [];

  const connect = async (): Promise<pg.Client> => {
    const c = new pg.Client({ connectionString: cluster.url });
    await c.connect();
    return c;
  };
  const rows = async (c: pg.Client, name: string, text: string, values: unknown[]):
    Promise<unknown[][]> =>
    (await c.query({ name, text, values, rowMode: "array" })).rows as unknown[][];

  before(async () => {
    cluster = await startCluster({ workers: 2 });
    admin = await connect();
    await admin.query("CREATE TABLE pl (id int PRIMARY KEY, n int)");
    await admin.query("SELECT create_distributed_table('pl', 'id')");
    await admin.query("INSERT INTO pl SELECT i, i * 10 FROM generate_series(1, 200) i");
    for (let i = 0; i < 8; i++) sessions.push(await connect());
  });
  after(async () => {
    for (const s of sessions) await s.end();
    await admin.end();
    await cluster.stop();
  });

  test("concurrent sessions share a link and each gets its own rows", async () => {
    const text = "SELECT pg_backend_pid(), n FROM pl WHERE id = $1";
    // A record of quick runs is kept per shard query: ids 1 to 8 make at most 8 of them.
    for (let id = 1; id <= 8; id++) {
      for (let i = 0; i < 10; i++) await rows(admin, "pid_n", text, [id]);
    }
    for (const s of sessions) await rows(s, "pid_n", text, [1]);
    const pids = new Map<string, number>();
    let runs = 0;
    await Promise.all(sessions.map(async (s, k) => {
      for (let i = 0; i < 40; i++) {
        const id = (k * 40 + i) % 8 + 1;
        const got = await rows(s, "pid_n", text, [id]);
        assert.equal(got.length, 1);
        assert.equal(got[0]![1], id * 10);
        const pid = String(got[0]![0]);
        pids.set(pid, (pids.get(pid) ?? 0) + 1);
        runs++;
      }
    }));
    assert.equal(runs, 320);
    // Per-session pooled clients would spread the runs over about 8 node connections each;
    // on links, a node's connection (one per node, two at most) serves most of them.
    const top = [...pids.values()].sort((a, b) => b - a);
    assert.ok(top[0]! + (top[1] ?? 0) > runs / 2, `runs per node connection: ${top.join(", ")}`);
  });

  test("an error stays with its own execution", async () => {
    const text = "SELECT n / $2 FROM pl WHERE id = $1";
    for (let id = 1; id <= 8; id++) {
      for (let i = 0; i < 10; i++) await rows(admin, "div", text, [id, 1]);
    }
    const outcomes = await Promise.all(sessions.map(async (s, k) => {
      const out: unknown[] = [];
      for (let i = 0; i < 20; i++) {
        const divisor = (k + i) % 3 === 0 ? 0 : 5;
        try {
          out.push((await rows(s, "div", text, [(k + i) % 8 + 1, divisor]))[0]![0]);
        } catch (error) {
          out.push((error as { code?: string }).code);
        }
      }
      return out;
    }));
    outcomes.forEach((out, k) => {
      out.forEach((value, i) => {
        const divisor = (k + i) % 3 === 0 ? 0 : 5;
        assert.deepEqual(value, divisor === 0 ? "22012" : ((k + i) % 8 + 1) * 2);
      });
    });
  });

  test("a cancelled execution on a link leaves other sessions' executions alone", async () => {
    const sleepy = "SELECT pg_sleep($2), n FROM pl WHERE id = $1";
    const quick = "SELECT n FROM pl WHERE id = $1";
    const [a, b] = [sessions[0]!, sessions[1]!];
    for (let i = 0; i < 12; i++) await rows(a, "sleepy", sleepy, [7, 0]);
    for (let i = 0; i < 12; i++) await rows(b, "quick", quick, [7]);
    await a.query("SET statement_timeout = '200ms'");
    const started = Date.now();
    const cancelled = rows(a, "sleepy", sleepy, [7, 4]).then(() => "rows",
      (error: { code?: string }) => error.code);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Sent while the sleeping execution holds its link: it must not wait for it.
    assert.deepEqual(await rows(b, "quick", quick, [7]), [[70]]);
    assert.ok(Date.now() - started < 2_000, "the other session was answered in time");
    assert.equal(await cancelled, "57014");
    assert.ok(Date.now() - started < 2_000, "the cancel came in time");
    await a.query("RESET statement_timeout");
    assert.deepEqual(await rows(a, "quick", quick, [8]), [[80]]);
  });

  test("a long row arriving in many reads comes back whole", async () => {
    const text = "SELECT repeat(chr(65 + id % 26), $2), n FROM pl WHERE id = $1";
    for (let i = 0; i < 12; i++) await rows(admin, "long", text, [3, 10]);
    const got = await Promise.all(sessions.map((s, k) =>
      rows(s, "long", text, [3, k === 0 ? 3_000_000 : 1000 + k])));
    got.forEach((result, k) => {
      const size = k === 0 ? 3_000_000 : 1000 + k;
      assert.deepEqual(result, [["D".repeat(size), 30]]);
    });
  });
});
