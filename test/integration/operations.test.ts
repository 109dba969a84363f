/**
 * Operations: Prometheus metrics over HTTP and the statement log, as an operator sees them.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
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
