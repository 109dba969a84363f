/**
 * A daemon's Prometheus metrics (prom-client), served as text on `GET /metrics` when a
 * metrics port is configured: connections, statements by command and kind, statement latency
 * by kind, errors by SQLSTATE, WAL bytes and fsyncs, plus Node's process metrics. The
 * coordinator adds its own (tasks sent per worker, shard placements per node).
 *
 * Counts kept elsewhere as plain numbers (the engine's WAL writer, the coordinator's executor
 * and metadata) are read at scrape time by `collect()`, so nothing on a statement's path
 * touches prom-client beyond the bridge's cached label children.
 */
import { createServer, type Server } from "node:http";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/**
 * Where a statement ran: `local` on this daemon's own tables and catalogs, `router` as one
 * task on one node, `multi-shard` as several tasks.
 */
export type StatementKind = "local" | "router" | "multi-shard";

/** Where the bridge learns the kind of a session's statements (the coordinator's executor). */
export interface StatementKindSource {
  /** The kind of the session's statement run since the last call, if not local; clears it. */
  take(backendPid: number): StatementKind | undefined;
}

/** Counts by node ("host:port"), read at scrape time. */
export type NodeCounts = () => Iterable<readonly [node: string, count: number]>;

/** The WAL counters a daemon's engine keeps; undefined without a data directory. */
export type WalCounts = () => { readonly bytes: number; readonly fsyncs: number } | undefined;

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

  /** tessera_wal_bytes_total and tessera_wal_fsyncs_total, read from the engine's writer. */
  watchWal(read: WalCounts): void {
    const bytes = new Counter({
      name: "tessera_wal_bytes_total", help: "WAL bytes generated.",
      registers: [this.registry],
      collect: () => {
        bytes.reset();
        bytes.inc(read()?.bytes ?? 0);
      },
    });
    const fsyncs = new Counter({
      name: "tessera_wal_fsyncs_total",
      help: "WAL writes made durable (fsync, or an O_DSYNC write).",
      registers: [this.registry],
      collect: () => {
        fsyncs.reset();
        fsyncs.inc(read()?.fsyncs ?? 0);
      },
    });
  }

  /** tessera_tasks_total{node}: tasks the coordinator sent to each node. */
  watchTasks(read: NodeCounts): void {
    const tasks = new Counter({
      name: "tessera_tasks_total", help: "Tasks sent to each node, by node (host:port).",
      labelNames: ["node"], registers: [this.registry],
      collect: () => {
        tasks.reset();
        for (const [node, count] of read()) tasks.inc({ node }, count);
      },
    });
  }

  /** tessera_shards{node}: shard placements on each node. */
  watchShards(read: NodeCounts): void {
    const shards = new Gauge({
      name: "tessera_shards", help: "Shard placements on each node, by node (host:port).",
      labelNames: ["node"], registers: [this.registry],
      collect: () => {
        shards.reset();
        for (const [node, count] of read()) shards.set({ node }, count);
      },
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
