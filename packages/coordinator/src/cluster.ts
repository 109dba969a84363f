/**
 * What every part of the distributed layer shares: the coordinator's local engine (shell
 * tables, sequences, catalogs), the node registry, the distribution metadata and the
 * connection pools to the nodes; plus the lookups from a placement to the node that holds it.
 */
import { SqlError, SqlState, assert, isSqlError } from "@tessera/base";
import type { Engine, StatementContext } from "@tessera/engine";
import type { ConnectionPools, NodeAddress } from "./connection/pool.js";
import type { CachedShard } from "./metadata/metadata-cache.js";
import type { MetadataStore } from "./metadata/metadata-store.js";
import type { NodeRegistry } from "./metadata/node-registry.js";

export interface Cluster {
  readonly local: Engine;
  readonly registry: NodeRegistry;
  readonly metadata: MetadataStore;
  readonly pools: ConnectionPools;
}

/** A node with the placement group it serves. */
export interface PlacementAddress extends NodeAddress {
  readonly groupid: number;
}

/** Returns the primary node of a placement group. */
export function nodeOfGroup(cluster: Cluster, groupid: number): PlacementAddress {
  const node = cluster.registry.list()
    .find((n) => n.groupid === groupid && n.noderole === "primary");
  if (node === undefined) {
    throw new SqlError(SqlState.internalError,
      `could not find the primary node of placement group ${groupid}`);
  }
  return { host: node.nodename, port: node.nodeport, groupid };
}

/** Returns the nodes of every placement of a shard, in placement id order. */
export function shardNodes(cluster: Cluster,
  shard: Pick<CachedShard, "placements">): PlacementAddress[] {
  assert(shard.placements.length > 0, "a shard has a placement");
  const active = new Set(cluster.registry.list().filter((n) => n.isactive).map((n) => n.groupid));
  const placements = shard.placements.filter((p) => active.has(p.groupid));
  if (placements.length === 0) {
    const id = shard.placements[0]!.shardid;
    throw new SqlError(SqlState.objectNotInPrerequisiteState,
      `could not find an active placement for shard ${id}`,
      { detail: "Every placement of the shard is on a disabled node.",
        hint: "Activate the node with SELECT citus_activate_node('<host>', <port>);" });
  }
  return placements.map((p) => nodeOfGroup(cluster, p.groupid));
}

/** Reads a Citus setting, or its default when the session never set it. */
export function citusSetting(ctx: Pick<StatementContext, "setting">, name: string,
  fallback: string): string {
  try {
    const value = ctx.setting(name);
    return value === "" ? fallback : value;
  } catch (error) {
    if (isSqlError(error)) return fallback;
    throw error;
  }
}

/** Reads a boolean Citus setting (on/off/true/false/1/0). */
export function citusFlag(ctx: Pick<StatementContext, "setting">, name: string): boolean {
  const value = citusSetting(ctx, name, "off").toLowerCase();
  return value === "on" || value === "true" || value === "1" || value === "yes";
}
