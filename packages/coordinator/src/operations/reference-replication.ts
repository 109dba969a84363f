/**
 * Reference tables on every node (`EnsureReferenceTablesExistOnAllNodes`,
 * `D:utils/reference_table_utils.c`): replicate_reference_tables() and the shard movers
 * give each active primary node lacking a placement of a reference table one, rows
 * included (`node-placements.ts` copies them). Citus adds the placements lazily like this;
 * Tessera's citus_add_node already copies them eagerly, so usually nothing is missing.
 */
import type { StatementContext } from "@tessera/engine";
import type { Cluster } from "../cluster.js";
import type { DistNode } from "../metadata/node-registry.js";
import { replicateReferenceTables } from "./node-placements.js";

/** The nodes that lack a placement of some reference table. */
export function missingReferencePlacements(cluster: Cluster): DistNode[] {
  const references = [...cluster.metadata.cache.tables()].filter((t) => t.kind === "reference");
  if (references.length === 0) return [];
  const nodes = cluster.registry.list().filter((n) => n.isactive && n.noderole === "primary");
  return nodes.filter((node) => references.some((table) =>
    !table.shards[0]!.placements.some((p) => p.groupid === node.groupid)));
}

/** Copies every missing reference placement to its node. */
export async function ensureReferenceTables(cluster: Cluster,
  ctx: StatementContext): Promise<void> {
  for (const node of missingReferencePlacements(cluster)) {
    await replicateReferenceTables(cluster, node, ctx);
  }
}
