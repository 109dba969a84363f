/**
 * Single-shard tables: `create_distributed_table(t, NULL)` (Citus 12's "null shard key"
 * tables, `citus-surface.md` §1.2, §2.5, §3.1) and the tables of distributed schemas
 * (`schema-sharding.ts`). Such a table has one shard without bounds on one node, and a
 * pg_dist_partition row (partmethod 'n', partkey NULL, repmodel 's', colocationid > 0).
 *
 * Its colocation group decides its node: every table of a group has its shard on the same
 * node, so the planner runs a query over tables of one group (and reference tables) as one
 * router task there. The group is chosen as for hash tables, with the group shape
 * (shardcount 1, replicationfactor 1, type 0, collation 0):
 *
 *     colocate_with => 'default'  the smallest such group that is not a tenant schema's
 *     colocate_with => 'none'     a new group
 *     colocate_with => 'other'    that single-shard table's group
 *     a distributed schema        the schema's group (pg_dist_schema.colocationid)
 *
 * A new (or empty) group places its shard on the node at index `colocationid % nodeCount`
 * of the sorted shard-holding nodes; a group with a table copies that table's placement.
 */
import { SqlError, SqlState, oid } from "@tessera/base";
import type { StatementContext } from "@tessera/engine";
import type { Value } from "@tessera/sql";
import { citusSetting, type Cluster } from "../cluster.js";
import { decideHashColocation, type ColocationDecision } from "../metadata/colocation.js";
import type { CitusTableInput } from "../metadata/metadata-cache.js";
import { planColocatedShards, planSingleShard, type ShardPlan } from "../metadata/placement.js";
import {
  colocateWith, distribute, nextShardId, shellRelation, withCoordinatorIfClusterEmpty,
} from "./create-table.js";
import type { ShellRelation } from "./shard-ddl.js";

export interface SingleShardRequest {
  readonly relationId: number;
  /** 'default', 'none' or a table name, as create_distributed_table's colocate_with. */
  readonly colocateWith: string;
  /** The group of the table's distributed schema, which overrides `colocateWith`. */
  readonly schemaColocationId?: number;
  /** Tables of the same distributed schema, whose foreign keys to this table are allowed. */
  readonly tenantTables?: ReadonlySet<number>;
}

/** create_distributed_table(t, NULL, colocate_with => …): t becomes a single-shard table. */
export async function createSingleShardTable(cluster: Cluster, request: SingleShardRequest,
  ctx: StatementContext): Promise<void> {
  const relation = shellRelation(cluster, request.relationId);
  if (Number(citusSetting(ctx, "citus.shard_replication_factor", "1")) > 1) {
    throw new SqlError(SqlState.internalError, "could not create single shard table: " +
      "citus.shard_replication_factor is greater than 1",
    { hint: "Consider setting citus.shard_replication_factor to 1 and try again" });
  }
  const decision = request.schemaColocationId !== undefined
    ? existingGroup(cluster, request.schemaColocationId)
    : decideGroup(cluster, relation, request.colocateWith, ctx);
  const colocationId = decision.kind === "new" ? cluster.metadata.sequences.nextColocationId
    : decision.colocationId;
  checkSingleShardForeignKeys(cluster, relation, colocationId, request.tenantTables);
  const input = (colocationid: number): CitusTableInput => ({
    partition: { logicalrelid: oid(relation.oid), partmethod: "n", partkey: null,
      colocationid, repmodel: "s", autoconverted: false },
    schemaName: relation.schema, relationName: relation.name, distributionColumn: null,
  });
  await withCoordinatorIfClusterEmpty(cluster, ctx, async () => {
    const plan = planShard(cluster, relation, decision, colocationId, ctx);
    await distribute(cluster, relation, { decision, plan, input }, ctx);
  });
}

/** The group for colocate_with 'default', 'none' or a table, as for hash tables. */
function decideGroup(cluster: Cluster, relation: ShellRelation, text: string,
  ctx: StatementContext): ColocationDecision {
  const target = colocateWith(cluster, text, ctx);
  const tenantGroups = new Set(cluster.metadata.snapshot.schemas.map((s) => s.colocationid));
  const request = {
    relationName: relation.name, colocateWith: target, shardCount: 1,
    shardCountExplicit: false, replicationFactor: 1, replicationModel: "s" as const,
    columnTypeOid: oid(0), columnCollationOid: oid(0), schemaColocationIds: tenantGroups,
  };
  const decision = decideHashColocation(cluster.metadata.cache, request);
  if (target.kind === "table") {
    if (tenantGroups.has(target.table.partition.colocationid)) {
      throw new SqlError(SqlState.internalError,
        `cannot colocate tables ${target.table.relationName} and ${relation.name}`, {
          detail: "Cannot colocate tables with distributed schema tables by using " +
            "colocate_with option.",
          hint: "Consider using \"CREATE TABLE\" statement to create this table as a " +
            "single-shard distributed table in the same schema to automatically colocate it " +
            `with ${target.table.schemaName}.${target.table.relationName}`,
        });
    }
  }
  return decision;
}

/** A group that exists already (a distributed schema's), with its first table if any. */
function existingGroup(cluster: Cluster, colocationId: number): ColocationDecision {
  const cache = cluster.metadata.cache;
  if (cache.colocationGroup(colocationId) === undefined) {
    throw new SqlError(SqlState.internalError,
      `colocation group ${colocationId} of the distributed schema does not exist`);
  }
  return { kind: "existing", colocationId,
    sourceTable: cache.tablesInColocationGroup(colocationId)[0] };
}

/** The shard: a copy of a group member's placement, or the node at colocationid % n. */
function planShard(cluster: Cluster, relation: ShellRelation, decision: ColocationDecision,
  colocationId: number, ctx: StatementContext): ShardPlan {
  const base = { relationId: oid(relation.oid), nextShardId: nextShardId(cluster, ctx),
    nextPlacementId: cluster.metadata.sequences.nextPlacementId };
  if (decision.kind === "existing" && decision.sourceTable !== undefined) {
    const source = decision.sourceTable.shards.map((s) => ({
      shard: s.row, placements: s.placements,
    }));
    return planColocatedShards({ ...base, source });
  }
  return planSingleShard({ ...base, nodes: cluster.registry.list(), colocationId });
}

/**
 * Foreign keys of a single-shard table must stay on its node: to reference tables (on every
 * node) or to single-shard tables of its own group; regular tables may not reference it.
 */
function checkSingleShardForeignKeys(cluster: Cluster, relation: ShellRelation,
  colocationId: number, tenantTables: ReadonlySet<number> = new Set()): void {
  const cache = cluster.metadata.cache;
  for (const fk of relation.foreignKeys) {
    if (fk.refRelationOid === relation.oid) continue;
    const target = cache.table(oid(fk.refRelationOid));
    if (target?.kind === "reference") continue;
    if (target?.kind === "single-shard" && target.partition.colocationid === colocationId) {
      continue;
    }
    const name = cluster.local.catalog.relation(fk.refRelationOid)?.name ?? "";
    if (target === undefined) {
      throw new SqlError(SqlState.invalidTableDefinition,
        `referenced table "${name}" must be a distributed table or a reference table`, {
          detail: "To enforce foreign keys, the referencing and referenced rows need to be " +
            "stored on the same node.",
          hint: `You could use SELECT create_reference_table('${name}') to replicate the ` +
            "referenced table to all nodes or consider dropping the foreign key" });
    }
    throw new SqlError(SqlState.featureNotSupported, "cannot create foreign key constraint " +
      "since relations are not colocated or not referencing a reference table", {
      detail: "A distributed table can only have foreign keys if it is referencing another " +
        "colocated hash distributed table or a reference table" });
  }
  for (const other of cluster.local.catalog.allRelations()) {
    if (other.oid === relation.oid || cache.table(oid(other.oid)) !== undefined) continue;
    if (tenantTables.has(other.oid)) continue;
    if (!other.foreignKeys.some((fk) => fk.refRelationOid === relation.oid)) continue;
    throw new SqlError(SqlState.featureNotSupported,
      `relation ${relation.name} is referenced by a foreign key from ${other.name}`,
      { detail: "foreign keys from a regular table to a distributed table are not supported." });
  }
}

/**
 * Reads create_distributed_table's arguments for a NULL distribution column, with Citus's
 * errors for the ones that do not apply (`shard_count`, a non-hash `distribution_type`).
 */
export function nullKeyRequest(relationId: number,
  args: readonly (Value | undefined)[]): SingleShardRequest {
  const [, , type, colocate, shards] = args;
  if (shards !== null && shards !== undefined) {
    throw new SqlError(SqlState.internalError, "shard_count can't be specified when the " +
      "distribution column is null because in that case it's automatically set to 1");
  }
  if (type !== null && type !== undefined && String(type) !== "hash") {
    throw new SqlError(SqlState.internalError,
      "distribution_type can't be specified when the distribution column is null ");
  }
  return { relationId, colocateWith: colocate === undefined ? "default" : String(colocate) };
}
