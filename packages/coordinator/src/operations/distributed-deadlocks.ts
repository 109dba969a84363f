/**
 * Distributed deadlock detection, as Citus's maintenance daemon runs it
 * (`transaction/distributed_deadlock_detection.c`, `lock_graph.c`): two transaction blocks
 * that lock rows on different nodes in opposite orders wait for each other, yet each node
 * sees one waiter only, so no node's own deadlock check fires.
 *
 * One check (`checkDistributedDeadlocks`):
 *
 *   1. the open blocks of this coordinator's sessions, and the transactions of multi-shard
 *      writes outside blocks (`connection/atomic-writes.ts`), which are the same kind of
 *      object and are called blocks below; fewer than two: nothing to do;
 *   2. each node one of them holds a connection to reports its wait-for edges between
 *      backends (`tessera_local_wait_edges()`, worker/src/wait-edges.ts);
 *   3. (node, backend pid) maps to the block whose connection that is, so the edges become
 *      a graph of blocks; an edge to a backend that is no block's (a statement outside any
 *      block, a prepared transaction) is left out: such a holder ends by itself. The
 *      coordinator's own engine adds its waits between the sessions of blocks (a shell
 *      table's lock, which LOCK TABLE and DDL take before they reach the nodes);
 *   4. each cycle loses its youngest block (the one that started last, as Citus cancels the
 *      transaction with the latest start time) among those that wait on a node (a cycle
 *      through the coordinator's engine has one; one within it, the engine finds itself):
 *      its commands that wait on a node are
 *      cancelled there (`tessera_cancel_waiting_backend`), and the statement fails with
 *      Citus's error, 40P01 "canceling the transaction since it was involved in a distributed
 *      deadlock". The block is then failed like after any error: ROLLBACK ends it, and the
 *      other blocks of the cycle go on.
 *
 * The maintenance loop (`transaction-recovery/maintenance.ts`) runs a check every
 * citus.distributed_deadlock_detection_factor × deadlock_timeout (1 s).
 */
import { SqlError, SqlState, type Logger } from "@tessera/base";
import type { Cluster } from "../cluster.js";
import type { NodeAddress } from "../connection/pool.js";
import {
  openDistributedTransactions, type DistributedTransaction,
} from "../connection/remote-transaction.js";

/** Citus's error for the statement of the cancelled transaction (`multi_log_hook`). */
export function distributedDeadlockError(): SqlError {
  return new SqlError(SqlState.deadlockDetected,
    "canceling the transaction since it was involved in a distributed deadlock");
}

/** A waiting backend of a block on a node. */
interface Waiter {
  readonly node: NodeAddress;
  readonly backendPid: number;
}

/** The graph of blocks: who waits for whom, and where each block waits. */
interface WaitGraph {
  readonly waitsFor: Map<DistributedTransaction, Set<DistributedTransaction>>;
  readonly waiting: Map<DistributedTransaction, Waiter[]>;
}

/**
 * One detection pass; returns the number of blocks cancelled. A node that cannot be read
 * is skipped (its edges are missing from this pass only).
 */
export async function checkDistributedDeadlocks(cluster: Cluster,
  logger: Logger): Promise<number> {
  const blocks = [...openDistributedTransactions()]
    .filter((block) => block.backends().length > 0);
  if (blocks.length < 2) return 0;
  const owners = new Map<string, DistributedTransaction>();
  const nodes = new Map<string, NodeAddress>();
  for (const block of blocks) {
    for (const backend of block.backends()) {
      owners.set(backendKey(backend.node, backend.backendPid), block);
      nodes.set(nodeKey(backend.node), backend.node);
    }
  }
  const graph: WaitGraph = { waitsFor: new Map(), waiting: new Map() };
  await Promise.all([...nodes.values()].map(async (node) => {
    let rows: readonly (readonly (string | null)[])[];
    try {
      const result = await cluster.pools.run(node,
        "SELECT waiting_pid, blocking_pid FROM tessera_local_wait_edges()");
      rows = result.rows;
    } catch (error) {
      logger.warn(`distributed deadlock detection could not read the wait edges of ` +
        `${nodeKey(node)}: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    for (const [waitingPid, blockingPid] of rows) {
      if (waitingPid === null || blockingPid === null) continue;
      const waiter = owners.get(backendKey(node, Number(waitingPid)));
      const holder = owners.get(backendKey(node, Number(blockingPid)));
      if (waiter === undefined || holder === undefined || waiter === holder) continue;
      addEdge(graph, waiter, holder, { node, backendPid: Number(waitingPid) });
    }
  }));
  addCoordinatorEdges(cluster, blocks, graph);
  let cancelled = 0;
  for (let cycle = findCycle(graph); cycle !== undefined; cycle = findCycle(graph)) {
    const onNodes = cycle.filter((block) => (graph.waiting.get(block) ?? []).length > 0);
    const victim = (onNodes.length > 0 ? onNodes : cycle)
      .reduce((a, b) => (b.startOrder > a.startOrder ? b : a));
    const waiters = graph.waiting.get(victim) ?? [];
    removeBlock(graph, victim);
    logger.info(`distributed deadlock detected between ${cycle.length} transactions, ` +
      `cancelling the youngest (coordinator backend ${victim.backendPid})`);
    if (await cancelVictim(cluster, victim, waiters)) cancelled++;
  }
  return cancelled;
}

/** Cancels the victim's waiting commands; false when none of them waited any more. */
async function cancelVictim(cluster: Cluster, victim: DistributedTransaction,
  waiters: readonly Waiter[]): Promise<boolean> {
  victim.markDeadlockVictim(distributedDeadlockError());
  const outcomes = await Promise.all(waiters.map(async (waiter) => {
    try {
      const result = await cluster.pools.run(waiter.node,
        "SELECT tessera_cancel_waiting_backend($1)", [String(waiter.backendPid)]);
      return result.rows[0]?.[0] === "t";
    } catch {
      return false;
    }
  }));
  const any = outcomes.some((cancelledOne) => cancelledOne);
  if (!any) victim.markDeadlockVictim(undefined);
  return any;
}

/** The waits in the coordinator's engine of one block's session for another's. */
function addCoordinatorEdges(cluster: Cluster, blocks: readonly DistributedTransaction[],
  graph: WaitGraph): void {
  const bySession = new Map(blocks.map((block) => [block.backendPid, block]));
  for (const edge of cluster.local.txns.manager.waitEdges()) {
    if (edge.blockingPid === undefined) continue;
    const waiter = bySession.get(edge.waitingPid);
    const holder = bySession.get(edge.blockingPid);
    if (waiter === undefined || holder === undefined || waiter === holder) continue;
    addEdge(graph, waiter, holder, undefined);
  }
}

/** Adds `waiter` → `holder`; `where` is the node wait to cancel (none for the coordinator's). */
function addEdge(graph: WaitGraph, waiter: DistributedTransaction,
  holder: DistributedTransaction, where: Waiter | undefined): void {
  let targets = graph.waitsFor.get(waiter);
  if (targets === undefined) {
    targets = new Set();
    graph.waitsFor.set(waiter, targets);
  }
  targets.add(holder);
  if (where === undefined) return;
  let places = graph.waiting.get(waiter);
  if (places === undefined) {
    places = [];
    graph.waiting.set(waiter, places);
  }
  places.push(where);
}

function removeBlock(graph: WaitGraph, block: DistributedTransaction): void {
  graph.waitsFor.delete(block);
  graph.waiting.delete(block);
  for (const targets of graph.waitsFor.values()) targets.delete(block);
}

/** A cycle of the graph as the list of its blocks, or undefined (depth-first, iterative). */
function findCycle(graph: WaitGraph): DistributedTransaction[] | undefined {
  const done = new Set<DistributedTransaction>();
  for (const start of graph.waitsFor.keys()) {
    if (done.has(start)) continue;
    const path: DistributedTransaction[] = [start];
    const onPath = new Set<DistributedTransaction>([start]);
    const pending: Iterator<DistributedTransaction>[] = [successors(graph, start)];
    while (pending.length > 0) {
      const next = pending.at(-1)!.next();
      if (next.done === true) {
        pending.pop();
        const left = path.pop()!;
        onPath.delete(left);
        done.add(left);
        continue;
      }
      const block = next.value;
      if (onPath.has(block)) return path.slice(path.indexOf(block));
      if (done.has(block)) continue;
      path.push(block);
      onPath.add(block);
      pending.push(successors(graph, block));
    }
  }
  return undefined;
}

function successors(graph: WaitGraph, block: DistributedTransaction):
  Iterator<DistributedTransaction> {
  return (graph.waitsFor.get(block) ?? new Set<DistributedTransaction>()).values();
}

function nodeKey(node: NodeAddress): string {
  return `${node.host}:${node.port}`;
}

function backendKey(node: NodeAddress, pid: number): string {
  return `${node.host}:${node.port}:${pid}`;
}
