/**
 * The Citus utility functions and views added together: their registration in the
 * coordinator's engine, and the work the distributed engine does before a local statement
 * that reads one of the set-returning ones (the engine evaluates those synchronously, so
 * their rows are gathered first, as `run-command.ts` and `activity-views.ts` do).
 *
 *   node-identity-functions.ts   citus_is_coordinator, citus_coordinator_nodeid,
 *                                citus_nodename_for_nodeid, citus_nodeport_for_nodeid,
 *                                worker_hash
 *   update-node.ts               citus_update_node, master_update_node
 *   cluster-health.ts            citus_check_connection_to_node,
 *                                citus_check_cluster_node_health()       (prefetched)
 *   citus-locks.ts               citus_locks view and citus_locks()      (prefetched)
 *   table-ddl-events.ts          master_get_table_ddl_events(text)       (prefetched)
 *   transaction-clock.ts         citus_get_transaction_clock() (the node clock functions are
 *                                every node's: `@tessera/worker`'s cluster-clock.ts)
 */
import type { Engine, StatementContext } from "@tessera/engine";
import type { FunctionDef, ast } from "@tessera/sql";
import type { DaemonConfig } from "@tessera/worker";
import type { Cluster } from "../cluster.js";
import { functionName } from "../planner/raw.js";
import { someNode } from "../planner/tree-walk.js";
import { addCitusLocksView, citusLocksFunctions, citusLocksName, prefetchCitusLocks }
  from "./citus-locks.js";
import { clusterHealthFunctions, healthFunctionName, prefetchClusterHealth }
  from "./cluster-health.js";
import { nodeIdentityFunctions } from "./node-identity-functions.js";
import { callsTableDdlEvents, prefetchTableDdlEvents, tableDdlEventsFunctions }
  from "./table-ddl-events.js";
import { transactionClockFunctions } from "./transaction-clock.js";
import { updateNodeFunctions } from "./update-node.js";

/** Registers the functions and the citus_locks view in the coordinator's engine. */
export function addUtilityFunctions(engine: Engine, cluster: Cluster,
  config: Pick<DaemonConfig, "users" | "clusterPassword">): void {
  const defs: FunctionDef[] = [...nodeIdentityFunctions(cluster),
    ...updateNodeFunctions(cluster), ...clusterHealthFunctions(config),
    ...citusLocksFunctions(), ...tableDdlEventsFunctions(), ...transactionClockFunctions()];
  for (const def of defs) engine.registerFunction(def);
  addCitusLocksView(engine);
}

interface UtilityReads {
  readonly health: boolean;
  readonly locks: boolean;
  readonly ddlEvents: boolean;
}

/** What of the prefetched functions and views a statement reads. */
function utilityReads(stmt: ast.Node): UtilityReads {
  const calls = (name: string): boolean => someNode(stmt, (record) => {
    const call = record["FuncCall"] as ast.FuncCall | undefined;
    return call !== undefined && functionName(call) === name;
  });
  const locksView = someNode(stmt, (record) => {
    const rangeVar = record["RangeVar"] as ast.RangeVar | undefined;
    return rangeVar !== undefined && rangeVar.relname === citusLocksName;
  });
  return { health: calls(healthFunctionName), locks: locksView || calls(citusLocksName),
    ddlEvents: callsTableDdlEvents(stmt) };
}

/** Tells whether a local statement needs `prefetchUtilities` before it runs. */
export function readsUtilities(stmt: ast.Node): boolean {
  const reads = utilityReads(stmt);
  return reads.health || reads.locks || reads.ddlEvents;
}

/** Gathers the rows the statement's utility functions and views will read. */
export async function prefetchUtilities(cluster: Cluster, stmt: ast.Node,
  ctx: StatementContext): Promise<void> {
  const reads = utilityReads(stmt);
  if (reads.health) await prefetchClusterHealth(cluster, ctx);
  if (reads.locks) await prefetchCitusLocks(cluster, ctx);
  if (reads.ddlEvents) await prefetchTableDdlEvents(cluster, stmt, ctx);
}
