/**
 * Connectivity checks (Citus 11's `health_check.c`):
 *
 *   citus_check_connection_to_node(nodename text, nodeport int DEFAULT 5432) → bool
 *       a new connection from the coordinator and `SELECT 1` on it (`@tessera/worker`'s
 *       connection-check.ts); a failure gives false and Citus's WARNING
 *   citus_check_cluster_node_health() → TABLE(from_nodename text, from_nodeport int,
 *       to_nodename text, to_nodeport int, result bool)
 *       for every pair of active primary nodes of pg_dist_node (the coordinator too when it
 *       has its row), in node name and port order: the coordinator connects to the source
 *       node and runs `SELECT citus_check_connection_to_node('<target>', <port>)` there, so
 *       each node checks its own connections; result is NULL when the coordinator cannot
 *       reach the source (with a WARNING), as Citus.
 *
 * The table is a set-returning function, which the engine evaluates synchronously, so the
 * distributed engine gathers its rows before the statement starts (`utility-prefetch.ts`).
 */
import { SqlError, SqlState } from "@tessera/base";
import type { StatementContext } from "@tessera/engine";
import { TypeOid, type FunctionDef, type Row, type Value } from "@tessera/sql";
import { connectionCheckFunction, peerCredentials, type DaemonConfig } from "@tessera/worker";
import type { Cluster } from "../cluster.js";
import { compareNodes } from "../metadata/placement.js";
import { quoteLiteral } from "./type-function-propagation.js";
import { contextOf } from "./statement-contexts.js";

const prefetched = new WeakMap<AbortSignal, Row[]>();

export const healthFunctionName = "citus_check_cluster_node_health";

/** The two check functions of the coordinator's engine. */
export function clusterHealthFunctions(config: Pick<DaemonConfig, "users" |
  "clusterPassword">): FunctionDef[] {
  const warn = (error: SqlError, ctx: { readonly signal: AbortSignal }): void =>
    contextOf(ctx).notice(error);
  return [connectionCheckFunction(peerCredentials(config), warn), {
    kind: "srf", name: healthFunctionName, volatility: "v", strict: true, argTypes: [],
    returnType: TypeOid.record,
    outColumns: [{ name: "from_nodename", type: TypeOid.text },
      { name: "from_nodeport", type: TypeOid.int4 }, { name: "to_nodename", type: TypeOid.text },
      { name: "to_nodeport", type: TypeOid.int4 }, { name: "result", type: TypeOid.bool }],
    impl: (_args, ctx): Value[][] => {
      const rows = prefetched.get(ctx.signal);
      if (rows === undefined) {
        throw new SqlError(SqlState.featureNotSupported,
          `${healthFunctionName}() can only be called by a statement that reads no ` +
          "distributed tables");
      }
      return rows;
    },
  }];
}

/** Runs every node-to-node check and keeps the rows for the statement. */
export async function prefetchClusterHealth(cluster: Cluster, ctx: StatementContext):
  Promise<void> {
  const nodes = cluster.registry.list()
    .filter((n) => n.isactive && n.noderole === "primary")
    .sort(compareNodes);
  const perSource = await Promise.all(nodes.map(async (source) => {
    const address = { host: source.nodename, port: source.nodeport };
    const rows: Row[] = [];
    for (const target of nodes) {
      const sql = "SELECT citus_check_connection_to_node(" +
        `${quoteLiteral(target.nodename)}, ${target.nodeport})`;
      let result: Value = null;
      try {
        const answer = await cluster.pools.run(address, sql, [], ctx.signal);
        const cell = answer.rows[0]?.[0];
        result = cell === "t" ? true : cell === "f" ? false : null;
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        const message = error instanceof Error ? error.message : String(error);
        ctx.notice(new SqlError(SqlState.connectionFailure, message, { severity: "WARNING" }));
      }
      rows.push([source.nodename, source.nodeport, target.nodename, target.nodeport, result]);
    }
    return rows;
  }));
  prefetched.set(ctx.signal, perSource.flat());
}
