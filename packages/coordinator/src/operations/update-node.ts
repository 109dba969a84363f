/**
 * citus_update_node / master_update_node (Citus's `node_metadata.c`): a node's new address,
 * for failover tools that move a node (a replica promoted elsewhere, a worker restarted on
 * another host or port with the same data).
 *
 *   citus_update_node(node_id int, new_node_name text, new_node_port int,
 *                     force bool DEFAULT false, lock_cooldown int DEFAULT 10000) → void
 *
 * In Citus's order: an address that already names the node itself is a no-op; one naming
 * another node fails with 55000 `there is already another node with the specified hostname
 * and port`; an unknown id fails with P0002 `node <id> not found`. Then the pg_dist_node row
 * takes the new address. The coordinator's connections follow at once: placements resolve
 * their node through pg_dist_node on every statement (`cluster.ts` nodeOfGroup), the
 * fast path's cached targets notice the changed row, and the pool of the old address is
 * closed. In a transaction block, ROLLBACK puts the old address back.
 *
 * Not done as Citus: Citus first takes locks on the node's placements so that running
 * statements finish (`force` cancels them after `lock_cooldown` ms); Tessera switches the
 * address without waiting, so a statement already running on the old address ends there.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { StatementContext } from "@tessera/engine";
import { TypeOid, type FunctionDef, type Value } from "@tessera/sql";
import type { Cluster } from "../cluster.js";
import { undoOnRollback } from "./metadata-undo.js";
import { contextOf } from "./statement-contexts.js";

/** citus_update_node and its old name, for the coordinator's engine. */
export function updateNodeFunctions(cluster: Cluster): FunctionDef[] {
  const define = (name: string): FunctionDef => ({
    kind: "scalar", name, volatility: "v", strict: true,
    argTypes: [TypeOid.int4, TypeOid.text, TypeOid.int4, TypeOid.bool, TypeOid.int4],
    argNames: ["node_id", "new_node_name", "new_node_port", "force", "lock_cooldown"],
    defaultCount: 2, defaults: [false, 10_000], returnType: TypeOid.void,
    impl: () => {
      throw new SqlError(SqlState.internalError, "this function must be awaited");
    },
    implAsync: async (args, ctx): Promise<Value> => {
      await updateNode(cluster, {
        nodeId: Number(args[0]), host: String(args[1]), port: Number(args[2]),
      }, contextOf(ctx));
      return null;
    },
  });
  return [define("citus_update_node"), define("master_update_node")];
}

interface NodeMove {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
}

/** Moves node `nodeId` to `host:port` in pg_dist_node and drops its old connections. */
export async function updateNode(cluster: Cluster, move: NodeMove, ctx: StatementContext):
  Promise<void> {
  const registry = cluster.registry;
  const same = registry.find(move.host, move.port);
  if (same !== undefined) {
    if (same.nodeid === move.nodeId) return;
    throw new SqlError(SqlState.objectNotInPrerequisiteState,
      "there is already another node with the specified hostname and port");
  }
  const node = registry.list().find((n) => n.nodeid === move.nodeId);
  if (node === undefined) {
    throw new SqlError(SqlState.noDataFound, `node ${move.nodeId} not found`);
  }
  if (!Number.isInteger(move.port) || move.port < 1 || move.port > 65_535) {
    throw new SqlError(SqlState.invalidParameterValue, `invalid port number: ${move.port}`);
  }
  const old = { host: node.nodename, port: node.nodeport };
  registry.update(node.nodeid, { nodename: move.host, nodeport: move.port });
  undoOnRollback(ctx, () => {
    const now = registry.list().find((n) => n.nodeid === node.nodeid);
    if (now === undefined || registry.find(old.host, old.port) !== undefined) return;
    registry.update(node.nodeid, { nodename: old.host, nodeport: old.port });
    void cluster.pools.closeNode({ host: move.host, port: move.port });
  });
  await cluster.pools.closeNode(old);
}
