/**
 * What node management does to placements (`D:metadata/node_metadata.c`):
 * - `checkRemovable`: a node that holds the only active placement of a shard cannot be
 *   removed or disabled (`ErrorIfNodeContainsNonRemovablePlacements`);
 * - `dropGroupPlacements`: removing or disabling a node deletes its replicated placements
 *   (reference tables, replication factor > 1) from the metadata
 *   (`DeleteAllReplicatedTablePlacementsFromNodeGroup`);
 * - `replicateReferenceTables`: an added or activated node gets a placement of every
 *   reference table: the shard table is created there and filled from an existing placement
 *   (`ReplicateAllReferenceTablesToNode`).
 */
import { SqlError, SqlState, assert, oid } from "@tessera/base";
import type { StatementContext } from "@tessera/engine";
import { formatType } from "@tessera/sql";
import { shardNodes, type Cluster, type PlacementAddress } from "../cluster.js";
import { shardStateActive } from "../metadata/catalog-model.js";
import type { CachedShard, CitusTable } from "../metadata/metadata-cache.js";
import { quoteIdentifier } from "../metadata/naming.js";
import type { DistNode } from "../metadata/node-registry.js";
import { shardForeignKeys } from "../commands/foreign-keys.js";
import { schemaCreateStatement } from "./schema-propagation.js";
import { qualifiedShard, shardCreateStatements, type ShellRelation } from "./shard-ddl.js";

/** Parameters per INSERT statement when copying a placement. */
const copyParamsMax = 30_000;

/** Fails when `node` holds a shard's only placement on an active node. */
export function checkRemovable(cluster: Cluster, node: DistNode): void {
  const active = new Set(cluster.registry.list()
    .filter((n) => n.isactive && n.nodeid !== node.nodeid).map((n) => n.groupid));
  for (const table of cluster.metadata.cache.tables()) {
    for (const shard of table.shards) {
      const here = shard.placements.some((p) => p.groupid === node.groupid);
      if (!here || shard.placements.some((p) => active.has(p.groupid))) continue;
      throw new SqlError(SqlState.internalError,
        `cannot remove or disable the node ${node.nodename}:${node.nodeport} because because ` +
        `it contains the only shard placement for shard ${shard.row.shardid}`, {
          detail: "One of the table(s) that prevents the operation complete successfully is " +
            `${table.schemaName}.${table.relationName}`,
          hint: "To proceed, either drop the tables or use undistribute_table() function to " +
            "convert them to local tables",
        });
    }
  }
}

/** Deletes every placement on the node's group; returns the shard tables that held them. */
export function dropGroupPlacements(cluster: Cluster, node: DistNode): string[] {
  const names: string[] = [];
  for (const table of cluster.metadata.cache.tables()) {
    for (const shard of table.shards) {
      if (!shard.placements.some((p) => p.groupid === node.groupid)) continue;
      assert(shard.placements.length > 1, "only replicated placements are dropped");
      names.push(qualifiedShard({ schema: table.schemaName, name: table.relationName },
        shard.row.shardid));
    }
  }
  if (names.length === 0) return names;
  cluster.metadata.update((state) => ({
    ...state, placements: state.placements.filter((p) => p.groupid !== node.groupid),
  }));
  return names;
}

/** Drops shard tables on a node, ignoring a node that cannot be reached. */
export async function dropShardTables(cluster: Cluster, node: DistNode,
  names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  const sql = names.map((name) => `DROP TABLE IF EXISTS ${name} CASCADE`).join("; ");
  await cluster.pools.run({ host: node.nodename, port: node.nodeport }, sql)
    .catch(() => undefined);
}

/** Gives `node` a placement of every reference table it lacks, rows included. */
export async function replicateReferenceTables(cluster: Cluster, node: DistNode,
  ctx: StatementContext): Promise<void> {
  if (!node.isactive || node.noderole !== "primary") return;
  const target: PlacementAddress = { host: node.nodename, port: node.nodeport,
    groupid: node.groupid };
  const copied: { relation: ShellRelation; shard: CachedShard }[] = [];
  for (const table of cluster.metadata.cache.tables()) {
    if (table.kind !== "reference") continue;
    const shard = table.shards[0]!;
    if (shard.placements.some((p) => p.groupid === node.groupid)) continue;
    const relation = cluster.local.catalog.relation(table.partition.logicalrelid);
    assert(relation !== undefined, "a reference table has a shell table");
    await copyPlacement(cluster, { table, relation, shard }, target, ctx);
    copied.push({ relation, shard });
  }
  for (const { relation, shard } of copied) {
    const fks = shardForeignKeys(cluster, relation, 0, shard.row.shardid);
    if (fks.length === 0) continue;
    const table = qualifiedShard(relation, shard.row.shardid);
    await cluster.pools.run(target,
      fks.map((fk) => `ALTER TABLE ${table} ADD ${fk}`).join("; "), [], ctx.signal);
  }
}

interface CopySource {
  readonly table: CitusTable;
  readonly relation: ShellRelation;
  readonly shard: CachedShard;
}

/** Creates one shard on `target`, copies its rows from a placement, records the placement. */
async function copyPlacement(cluster: Cluster, source: CopySource, target: PlacementAddress,
  ctx: StatementContext): Promise<void> {
  const { relation, shard } = source;
  const id = shard.row.shardid;
  const name = qualifiedShard(relation, id);
  const from = shardNodes(cluster, shard)[0]!;
  const schema = schemaCreateStatement([relation.schema]);
  const create = [...(schema === undefined ? [] : [schema]),
    `DROP TABLE IF EXISTS ${name} CASCADE`, ...shardCreateStatements(relation, id)];
  await cluster.pools.run(target, create.join("; "), [], ctx.signal);
  const columns = relation.columns.filter((c) => !c.dropped);
  const names = columns.map((c) => quoteIdentifier(c.name)).join(", ");
  const result = await cluster.pools.run(from, `SELECT ${names} FROM ${name}`, [], ctx.signal);
  const batch = Math.max(1, Math.floor(copyParamsMax / Math.max(1, columns.length)));
  for (let start = 0; start < result.rows.length; start += batch) {
    const rows = result.rows.slice(start, start + batch);
    const values = rows.map((_, r) => `(${columns.map((c, i) =>
      `$${r * columns.length + i + 1}::${formatType(c.type, c.typmod)}`).join(", ")})`);
    await cluster.pools.run(target, `INSERT INTO ${name} (${names}) VALUES ${values.join(", ")}`,
      rows.flat(), ctx.signal);
  }
  cluster.metadata.update((state) => ({
    ...state,
    placements: [...state.placements, { placementid: state.nextPlacementId, shardid: id,
      shardstate: shardStateActive, shardlength: 0, groupid: target.groupid }],
    nextPlacementId: state.nextPlacementId + 1,
  }));
  assert(cluster.metadata.cache.table(oid(relation.oid)) !== undefined, "the table stays");
}
