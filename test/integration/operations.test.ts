/**
 * Operations: Prometheus metrics over HTTP and the statement log, as an operator sees them.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import pg from "pg";
import { startCluster } from "../harness/index.js";

test("/metrics counts connections, statements and errors by SQLSTATE", async () => {
  const worker = await startCluster({ role: "worker", args: ["--metrics-port", "0"] });
  try {
    assert.ok(worker.metricsPort !== undefined && worker.metricsPort > 0);
    const client = new pg.Client({ host: "127.0.0.1", port: worker.port, user: "postgres",
      database: "postgres" });
    await client.connect();
    await client.query("select 1");
    await client.query("select 2");
    await client.query("select 1/0").catch(() => undefined);
    const text = await (await fetch(`http://127.0.0.1:${worker.metricsPort}/metrics`)).text();
    await client.end();
    assert.match(text, /tessera_connections\{role="worker"\} 1/);
    assert.match(text, /tessera_statements_total\{command="SELECT",kind="local",role="worker"\} 2/);
    assert.match(text, /tessera_errors_total\{sqlstate="22012",role="worker"\} 1/);
    assert.match(text, /tessera_statement_duration_seconds_count\{role="worker",kind="local"\} 3/);
  } finally {
    await worker.stop();
  }
});

/** One sample of a scrape: its labels (default labels included) and value. */
interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** The samples of metric `name` in a Prometheus text scrape. */
function samples(text: string, name: string): Sample[] {
  const found: Sample[] = [];
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match === null || match[1] !== name) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      labels[pair[1]!] = pair[2]!;
    }
    found.push({ labels, value: Number(match[3]) });
  }
  return found;
}

/** The value of the one sample of `name` whose labels include `labels`; 0 when none. */
function valueOf(text: string, name: string, labels: Record<string, string> = {}): number {
  const matching = samples(text, name).filter((sample) =>
    Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
  assert.ok(matching.length <= 1, `one sample of ${name} ${JSON.stringify(labels)}`);
  return matching[0]?.value ?? 0;
}

async function scrape(port: number | undefined): Promise<string> {
  assert.ok(port !== undefined && port > 0, "the daemon serves /metrics");
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  assert.equal(response.status, 200);
  return response.text();
}

test("/metrics on a cluster: statement kinds, tasks per worker, WAL, shards per node",
  async () => {
    const metricsArgs = { args: ["--metrics-port", "0"] };
    const workers = [await startCluster({ role: "worker", ...metricsArgs }),
      await startCluster({ role: "worker", ...metricsArgs })];
    const coordinator = await startCluster({ role: "coordinator", ...metricsArgs });
    const client = new pg.Client({ host: "127.0.0.1", port: coordinator.port,
      user: "postgres", database: "postgres" });
    try {
      await client.connect();
      for (const worker of workers) {
        await client.query(`SELECT citus_add_node('127.0.0.1', ${worker.port})`);
      }
      await client.query("CREATE TABLE items (id int PRIMARY KEY, v text)");
      await client.query("SELECT create_distributed_table('items', 'id', shard_count => 6)");
      await client.query("CREATE TABLE notes (id int)");
      const before = await scrape(coordinator.metricsPort);

      await client.query("SELECT count(*) FROM notes");
      await client.query("SELECT v FROM items WHERE id = 7");
      await client.query("SELECT count(*) FROM items");
      await client.query("INSERT INTO items VALUES (1, 'one')");
      const lines = Array.from({ length: 200 }, (_, i) => `${i + 2}\tv${i}`);
      execFileSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", "-",
        `host=127.0.0.1 port=${coordinator.port} dbname=postgres user=postgres`],
      { input: `COPY items FROM STDIN;\n${lines.join("\n")}\n\\.\n`, timeout: 60_000 });
      const after = await scrape(coordinator.metricsPort);

      const moved = (name: string, labels: Record<string, string>): number =>
        valueOf(after, name, labels) - valueOf(before, name, labels);
      const statements = "tessera_statements_total";
      assert.equal(moved(statements, { command: "SELECT", kind: "local" }), 1);
      assert.equal(moved(statements, { command: "SELECT", kind: "router" }), 1);
      assert.equal(moved(statements, { command: "SELECT", kind: "multi-shard" }), 1);
      assert.equal(moved(statements, { command: "INSERT", kind: "router" }), 1);
      assert.equal(moved(statements, { command: "COPY", kind: "multi-shard" }), 1);
      const latency = "tessera_statement_duration_seconds_count";
      assert.equal(moved(latency, { kind: "router" }), 2);
      assert.equal(moved(latency, { kind: "multi-shard" }), 2);
      assert.equal(moved(latency, { kind: "local" }), 1);

      for (const worker of workers) {
        const node = `127.0.0.1:${worker.port}`;
        assert.ok(moved("tessera_tasks_total", { node }) > 0, `tasks sent to ${node}`);
        assert.equal(valueOf(after, "tessera_shards", { node }), 3, `shards on ${node}`);
      }
      const shards = samples(after, "tessera_shards").reduce((sum, s) => sum + s.value, 0);
      assert.equal(shards, 6);

      for (const text of [after, ...await Promise.all(workers.map((w) =>
        scrape(w.metricsPort)))]) {
        assert.ok(valueOf(text, "tessera_wal_bytes_total") > 0, "WAL bytes counted");
        assert.ok(valueOf(text, "tessera_wal_fsyncs_total") > 0, "WAL fsyncs counted");
      }
    } finally {
      await client.end().catch(() => undefined);
      await coordinator.stop();
      for (const worker of workers) await worker.stop();
    }
  });

test("tessera cluster --metrics-port M serves the coordinator on M and worker i on M + i",
  async () => {
    const base = 20000 + Math.floor(Math.random() * 20000);
    const cluster = await startCluster({ workers: 2, args: ["--metrics-port", String(base)] });
    try {
      const roles: string[] = [];
      for (const port of [base, base + 1, base + 2]) {
        const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        roles.push(/tessera_connections\{role="(\w+)"\}/.exec(text)?.[1] ?? "none");
      }
      assert.deepEqual(roles, ["coordinator", "worker", "worker"]);
    } finally {
      await cluster.stop();
    }
  });

test("citus.log_remote_commands: NOTICE to the client and a pino line per command", async () => {
  const cluster = await startCluster({ workers: 2, args: ["--log-level", "info"] });
  const client = new pg.Client({ connectionString: cluster.url });
  const notices: string[] = [];
  client.on("notice", (notice) => notices.push(notice.message ?? ""));
  await client.connect();
  try {
    await client.query("CREATE TABLE logged (id int PRIMARY KEY, v text)");
    await client.query("SELECT create_distributed_table('logged', 'id', shard_count => 4)");
    await client.query("SET citus.log_remote_commands TO on");
    await client.query("INSERT INTO logged VALUES (7, 'seven')");
    await client.query("SELECT count(*) FROM logged");
    const issued = notices.filter((n) => n.startsWith("issuing "));
    assert.ok(issued.some((n) => /^issuing INSERT INTO public\.logged_\d+/.test(n)),
      issued.join("\n"));
    assert.equal(issued.filter((n) => n.includes("count(*)")).length, 4, issued.join("\n"));
    await new Promise((done) => setTimeout(done, 200));
    const lines = cluster.output().split("\n").filter((l) => l.includes("\"remote command\""));
    const commands = lines.map((l) => String((JSON.parse(l) as { command: string }).command));
    assert.ok(commands.some((c) => /^INSERT INTO public\.logged_\d+/.test(c)), commands.join("\n"));
    assert.equal(commands.filter((c) => c.includes("count(*)")).length, 4, commands.join("\n"));
  } finally {
    await client.end();
    await cluster.stop();
  }
});
