/**
 * Shard placements per node, from the metadata cache, for the `tessera_shards{node}` gauge:
 * every node of the registry is listed, with 0 when it holds no placement.
 */
import type { Cluster } from "../cluster.js";

/** Placements by node "host:port" (primary nodes; a placement lives on its group's primary). */
export function placementsPerNode(cluster: Cluster): Map<string, number> {
  const byGroup = new Map<number, number>();
  for (const table of cluster.metadata.cache.tables()) {
    for (const shard of table.shards) {
      for (const placement of shard.placements) {
        byGroup.set(placement.groupid, (byGroup.get(placement.groupid) ?? 0) + 1);
      }
    }
  }
  const counts = new Map<string, number>();
  for (const node of cluster.registry.list()) {
    if (node.noderole !== "primary") continue;
    counts.set(`${node.nodename}:${node.nodeport}`, byGroup.get(node.groupid) ?? 0);
  }
  return counts;
}
