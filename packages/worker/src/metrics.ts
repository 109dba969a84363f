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
import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";

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

/** A count a statement path bumps with a plain increment; prom-client reads it at scrape. */
export interface Tally {
  inc(): void;
}

/** Statement latencies of one kind, kept as plain bucket counts. */
export interface LatencyTally {
  observe(seconds: number): void;
}

const latencyBuckets = [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30];

class CountTally implements Tally {
  value = 0;
  constructor(readonly labels: Readonly<Record<string, string>>) {}
  inc(): void {
    this.value++;
  }
}

class BucketTally implements LatencyTally {
  /** `counts[i]` observations fell in bucket i (not cumulative); the last is +Inf. */
  readonly counts = new Float64Array(latencyBuckets.length + 1);
  sum = 0;
  count = 0;
  observe(seconds: number): void {
    let i = 0;
    while (i < latencyBuckets.length && seconds > latencyBuckets[i]!) i++;
    this.counts[i]!++;
    this.sum += seconds;
    this.count++;
  }
}

export class DaemonMetrics {
  readonly registry = new Registry();
  readonly connections: Gauge;
  readonly errors: Counter;
  /**
   * Statement counts and latencies are bumped on every statement, so they are plain numbers
   * here (a prom-client label lookup hashes the labels each time) that the exported metrics
   * read when scraped.
   */
  private readonly statementCounts = new Map<string, CountTally>();
  private readonly latencies = new Map<string, BucketTally>();

  constructor(private readonly role: "worker" | "coordinator") {
    this.registry.setDefaultLabels({ role });
    collectDefaultMetrics({ register: this.registry, prefix: "tessera_" });
    this.connections = new Gauge({
      name: "tessera_connections", help: "Client connections open now.",
      registers: [this.registry],
    });
    const statements: Counter<"command" | "kind"> = new Counter({
      name: "tessera_statements_total", help: "Statements completed, by command and kind.",
      labelNames: ["command", "kind"], registers: [this.registry],
      collect: () => {
        statements.reset();
        for (const tally of this.statementCounts.values()) {
          statements.inc(tally.labels, tally.value);
        }
      },
    });
    this.errors = new Counter({
      name: "tessera_errors_total", help: "Errors sent to clients, by SQLSTATE.",
      labelNames: ["sqlstate"], registers: [this.registry],
    });
  }

  /** The count of statements of `command` and `kind` (one object per pair, to keep). */
  statementCount(command: string, kind: StatementKind): Tally {
    const key = `${kind} ${command}`;
    let tally = this.statementCounts.get(key);
    if (tally === undefined) {
      tally = new CountTally({ command, kind });
      this.statementCounts.set(key, tally);
    }
    return tally;
  }

  /** The latency histogram of statements of `kind`. */
  statementLatency(kind: StatementKind): LatencyTally {
    let tally = this.latencies.get(kind);
    if (tally === undefined) {
      tally = new BucketTally();
      this.latencies.set(kind, tally);
    }
    return tally;
  }

  /**
   * tessera_statement_duration_seconds in Prometheus's text format, written here from the
   * tallies (prom-client's histogram would hash its labels on every observation).
   */
  private latencyText(): string {
    const name = "tessera_statement_duration_seconds";
    const lines = [`# HELP ${name} Time from a query's arrival to ReadyForQuery, by kind.`,
      `# TYPE ${name} histogram`];
    const role = `role="${this.role}"`;
    for (const [kind, tally] of this.latencies) {
      let cumulative = 0;
      for (let i = 0; i <= latencyBuckets.length; i++) {
        cumulative += tally.counts[i]!;
        const le = i < latencyBuckets.length ? String(latencyBuckets[i]) : "+Inf";
        lines.push(`${name}_bucket{le="${le}",${role},kind="${kind}"} ${cumulative}`);
      }
      lines.push(`${name}_sum{${role},kind="${kind}"} ${tally.sum}`);
      lines.push(`${name}_count{${role},kind="${kind}"} ${tally.count}`);
    }
    return `\n${lines.join("\n")}\n`;
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
        response.writeHead(200, { "content-type": this.registry.contentType })
          .end(`${text}${this.latencyText()}`);
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

