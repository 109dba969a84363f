/**
 * A daemon's Prometheus metrics (prom-client), served as text on `GET /metrics` when a
 * metrics port is configured: connections, statements by command and kind, statement latency,
 * errors by SQLSTATE, plus Node's process metrics. The coordinator adds its own (tasks per
 * worker, shard counts) to the same registry.
 */
import { createServer, type Server } from "node:http";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export class DaemonMetrics {
  readonly registry = new Registry();
  readonly connections: Gauge;
  readonly statements: Counter;
  readonly statementSeconds: Histogram;
  readonly errors: Counter;

  constructor(role: "worker" | "coordinator") {
    this.registry.setDefaultLabels({ role });
    collectDefaultMetrics({ register: this.registry, prefix: "tessera_" });
    this.connections = new Gauge({
      name: "tessera_connections", help: "Client connections open now.",
      registers: [this.registry],
    });
    this.statements = new Counter({
      name: "tessera_statements_total", help: "Statements completed, by command and kind.",
      labelNames: ["command", "kind"], registers: [this.registry],
    });
    this.statementSeconds = new Histogram({
      name: "tessera_statement_duration_seconds",
      help: "Time from a query's arrival to ReadyForQuery, by kind.",
      labelNames: ["kind"], registers: [this.registry],
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    });
    this.errors = new Counter({
      name: "tessera_errors_total", help: "Errors sent to clients, by SQLSTATE.",
      labelNames: ["sqlstate"], registers: [this.registry],
    });
  }

  /** Serves /metrics on host:port; resolves with the bound port. */
  serve(host: string, port: number): Promise<{ port: number; close(): Promise<void> }> {
    const server: Server = createServer((request, response) => {
      if (request.url !== "/metrics") {
        response.writeHead(404).end("not found\n");
        return;
      }
      this.registry.metrics().then((text) => {
        response.writeHead(200, { "content-type": this.registry.contentType }).end(text);
      }, (error: unknown) => {
        response.writeHead(500).end(`${String(error)}\n`);
      });
    });
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        const address = server.address();
        const bound = typeof address === "object" && address !== null ? address.port : port;
        resolve({
          port: bound,
          close: () => new Promise((done) => server.close(() => done())),
        });
      });
    });
  }
}

/** The command word(s) of a command tag: "INSERT 0 1" → "INSERT", "CREATE TABLE" as is. */
export function commandOfTag(tag: string): string {
  return tag.replace(/( \d+)+$/, "");
}
