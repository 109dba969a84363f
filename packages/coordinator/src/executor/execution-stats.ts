/**
 * What the executor counts for /metrics, as plain numbers the daemon's metrics read at scrape
 * time: the tasks sent to each node, and the kind of each session's current statement. A
 * statement that sends one task is `router`, one that sends several is `multi-shard`; the
 * session bridge takes the kind when the statement completes (`StatementKindSource`), and a
 * statement that sent none is `local`.
 *
 * Each task costs a few map operations keyed by host, port and backend pid: no strings are
 * built and nothing is allocated after a node's and a session's first task.
 */
import type { StatementKind, StatementKindSource } from "@tessera/worker";
import type { Cluster } from "../cluster.js";
import type { NodeAddress } from "../connection/pool.js";

const kinds: readonly (StatementKind | undefined)[] = [undefined, "router", "multi-shard"];

export class ExecutionStats implements StatementKindSource {
  /** host → port → tasks sent. */
  private readonly tasks = new Map<string, Map<number, number>>();
  /** backend pid → tasks its current statement sent, capped at 2 (index into `kinds`). */
  private readonly statements = new Map<number, number>();

  /** Counts one task sent to `node` for the statement of session `backendPid`. */
  taskSent(backendPid: number, node: NodeAddress): void {
    let ports = this.tasks.get(node.host);
    if (ports === undefined) this.tasks.set(node.host, ports = new Map());
    ports.set(node.port, (ports.get(node.port) ?? 0) + 1);
    const sent = this.statements.get(backendPid) ?? 0;
    if (sent < 2) this.statements.set(backendPid, sent + 1);
  }

  take(backendPid: number): StatementKind | undefined {
    const sent = this.statements.get(backendPid);
    if (sent === undefined || sent === 0) return undefined;
    this.statements.set(backendPid, 0);
    return kinds[sent];
  }

  /** Forgets a session that ended. */
  forget(backendPid: number): void {
    this.statements.delete(backendPid);
  }

  /** Tasks sent so far, by "host:port". */
  *taskCounts(): IterableIterator<readonly [string, number]> {
    for (const [host, ports] of this.tasks) {
      for (const [port, count] of ports) yield [`${host}:${port}`, count];
    }
  }
}

const statsOfCluster = new WeakMap<Cluster, ExecutionStats>();

/** The cluster's execution counters, made on first use. */
export function executionStats(cluster: Cluster): ExecutionStats {
  let stats = statsOfCluster.get(cluster);
  if (stats === undefined) statsOfCluster.set(cluster, stats = new ExecutionStats());
  return stats;
}
