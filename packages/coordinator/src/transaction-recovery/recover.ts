/**
 * Recovery of in-doubt prepared transactions, as Citus's `transaction/transaction_recovery.c`
 * (`recover_prepared_transactions()` and the maintenance daemon call this). For each active
 * primary node it compares what the node has prepared with the coordinator's decisions:
 *
 *   P  = the node's pg_prepared_xacts gids named by this coordinator (`citus_0_…`)
 *   A  = the gids a live session of this coordinator is still committing or rolling back
 *   L  = pg_dist_transaction rows of the node's group
 *   Q  = the node's prepared gids again
 *
 *   row in L, gid in A                 leave it: its session finishes it
 *   row in L, gid in P and Q           COMMIT PREPARED (the decision was commit), delete row
 *   row in L, gid only in Q            leave it for the next round (prepared after P)
 *   row in L, gid in neither / only P  committed already: delete the row
 *   gid in P and Q, no row, not in A   ROLLBACK PREPARED (no decision was made)
 *
 * Reading A after P and L after A is what makes it safe: a session adds its gids to A before
 * PREPARE and writes its row before it leaves A, so a gid prepared before P that is neither
 * in A nor in L never got a decision and never will. Only one recovery runs at a time.
 * Rows of groups no longer in pg_dist_node are deleted (Citus does it in citus_remove_node).
 */
import { SqlError } from "@tessera/base";
import type { Cluster } from "../cluster.js";
import type { NodeAddress } from "../connection/pool.js";
import { inProgressGids } from "../connection/remote-transaction.js";
import type { DistTransactionLog } from "../metadata/dist-transaction-log.js";
import type { DistNode } from "../metadata/node-registry.js";

/** Where recovery reports: WARNINGs to the caller, LOG lines to the daemon's log. */
export interface RecoveryOutput {
  warn(message: string): void;
  log(message: string): void;
}

/** What one recovery pass did. */
export interface RecoveryResult {
  /** Prepared transactions committed or rolled back (recover_prepared_transactions()). */
  readonly recovered: number;
  /** Nodes that could not be asked; their transactions wait for the next pass. */
  readonly unreachable: number;
}

/** This coordinator's gids: group 0, pid, transaction number, connection number. */
const ownGid = /^citus_0_\d+_\d+_\d+$/;

let running: Promise<unknown> = Promise.resolve();

/** Runs one recovery pass over every active primary node, after any pass still running. */
export function recoverPreparedTransactions(cluster: Cluster, log: DistTransactionLog,
  output: RecoveryOutput): Promise<RecoveryResult> {
  const pass = running.then(() => recoverAll(cluster, log, output));
  running = pass.catch(() => undefined);
  return pass;
}

async function recoverAll(cluster: Cluster, log: DistTransactionLog,
  output: RecoveryOutput): Promise<RecoveryResult> {
  if (log.failed !== undefined) throw log.failed;
  let recovered = 0;
  let unreachable = 0;
  const nodes = cluster.registry.list();
  for (const node of nodes) {
    if (!node.isactive || node.noderole !== "primary") continue;
    const outcome = await recoverNode(cluster, log, node, output);
    if (outcome === undefined) unreachable++;
    else recovered += outcome;
  }
  if (log.failed !== undefined) throw log.failed;
  const groups = new Set(nodes.map((n) => n.groupid));
  await log.delete(log.rows().filter((row) => !groups.has(row.groupid)).map((row) => row.gid));
  return { recovered, unreachable };
}

/** Recovers one node; undefined when the node could not be reached. */
async function recoverNode(cluster: Cluster, log: DistTransactionLog, node: DistNode,
  output: RecoveryOutput): Promise<number | undefined> {
  const address: NodeAddress = { host: node.nodename, port: node.nodeport };
  const before = await preparedGids(cluster, address, output);
  if (before === undefined) return undefined;
  const active = new Set(inProgressGids());
  const rows = log.rows().filter((row) => row.groupid === node.groupid);
  const after = await preparedGids(cluster, address, output);
  if (after === undefined) return undefined;
  let recovered = 0;
  const finished: string[] = [];
  for (const { gid } of rows) {
    if (active.has(gid)) continue;
    if (!before.has(gid) && after.has(gid)) continue;
    if (before.has(gid)) {
      if (!(await finishPrepared(cluster, address, gid, "COMMIT", output))) continue;
      recovered++;
    }
    finished.push(gid);
  }
  for (const gid of before) {
    if (!after.has(gid) || active.has(gid) || log.has(gid)) continue;
    if (log.failed !== undefined) throw log.failed;
    if (await finishPrepared(cluster, address, gid, "ROLLBACK", output)) recovered++;
  }
  await log.delete(finished);
  return recovered;
}

/**
 * The node's prepared gids named by this coordinator; undefined (with a WARNING) when the
 * node cannot be reached or refuses the query (a node that lost its credential, say): the
 * other nodes are still recovered, this one waits for the next pass.
 */
async function preparedGids(cluster: Cluster, address: NodeAddress,
  output: RecoveryOutput): Promise<Set<string> | undefined> {
  try {
    const result = await cluster.pools.run(address,
      "SELECT gid FROM pg_catalog.pg_prepared_xacts WHERE database = current_database()");
    return new Set(result.rows.map((row) => row[0] ?? "").filter((gid) => ownGid.test(gid)));
  } catch (error) {
    const where = `${address.host}:${address.port}`;
    output.warn(isConnectionFailure(error) ? `transaction recovery cannot connect to ${where}`
      : `transaction recovery failed on ${where}: ${errorMessage(error)}`);
    return undefined;
  }
}

/** COMMIT PREPARED or ROLLBACK PREPARED one gid; false (with a WARNING) when it failed. */
async function finishPrepared(cluster: Cluster, address: NodeAddress, gid: string,
  action: "COMMIT" | "ROLLBACK", output: RecoveryOutput): Promise<boolean> {
  const sql = `${action} PREPARED '${gid}'`;
  try {
    await cluster.pools.run(address, sql);
  } catch (error) {
    output.warn(`transaction recovery could not run ${sql} on ` +
      `${address.host}:${address.port}: ${errorMessage(error)}`);
    return false;
  }
  output.log(`recovered a prepared transaction on ${address.host}:${address.port} (${sql})`);
  return true;
}

/** A lost or refused connection (class 08), as the connection layer reports it. */
function isConnectionFailure(error: unknown): boolean {
  return error instanceof SqlError && error.code.startsWith("08");
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
