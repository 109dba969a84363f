/**
 * Distributed partitioned tables, Citus's way: a hash-distributed partitioned table and each
 * of its partitions are Citus tables of one colocation group (same shard count and ranges).
 * On a node, the parent's shard `parent_<id>` is itself partitioned (same PARTITION BY) and
 * the partitions' shards of the same shard index are attached to it with the partition's
 * bound, so the node's partitioning routes and prunes rows inside each shard:
 *
 *     CREATE TABLE s.parent_<p> (…) PARTITION BY RANGE (at)
 *     CREATE TABLE s.child_<c> (…)
 *     ALTER TABLE s.parent_<p> ATTACH PARTITION s.child_<c> FOR VALUES FROM (…) TO (…)
 *
 * (Citus: worker_apply_inter_shard_ddl_command). Rows a partitioned table already holds are
 * copied once, through the parent's shards. A partition added later (CREATE TABLE … PARTITION
 * OF, ATTACH PARTITION of a local table) is distributed colocated with its parent and its
 * shards attached; its own rows, if any, are copied into its shards.
 */
import { SqlError, SqlState, oid, type ShardId } from "@tessera/base";
import {
  boundText, partitionsNow, type PartitionBound, type StatementContext,
} from "@tessera/engine";
import { shardNodes, type Cluster } from "../cluster.js";
import { runShardCommands, type ShardCommand } from "../commands/shard-command-batch.js";
import { shardForeignKeyCommands } from "../commands/foreign-keys.js";
import { formatPartitionKey } from "../metadata/catalog-model.js";
import type { CitusTable, CitusTableInput } from "../metadata/metadata-cache.js";
import { planColocatedShards, type PlannedShard, type ShardPlan } from "../metadata/placement.js";
import {
  consumeShardIdSetting, copyLocalRows, nextShardId, type Distribution,
} from "./create-table.js";
import { forgetTables, undoOnRollback } from "./metadata-undo.js";
import { schemaCommands } from "./schema-propagation.js";
import { qualifiedShard, shardCreateStatements, type ShellRelation } from "./shard-ddl.js";

/** A partition about to be distributed: its shell table, shard plan and metadata row. */
interface PartitionShards {
  readonly relation: ShellRelation;
  readonly plan: ShardPlan;
  readonly input: CitusTableInput;
}

/**
 * Citus's checks on a partitioned table or a partition given to create_distributed_table or
 * create_reference_table (EnsureRelationCanBeDistributed, in its order). `hash` is true for
 * hash distribution.
 */
export function checkDistributingPartitions(cluster: Cluster, relation: ShellRelation,
  hash: boolean): void {
  const catalog = cluster.local.catalog;
  if (relation.partitionOf !== undefined) {
    const parent = catalog.relation(relation.partitionOf.parentOid)?.name ?? "?";
    if (cluster.metadata.cache.table(oid(relation.partitionOf.parentOid)) === undefined) {
      throw new SqlError(SqlState.internalError,
        `cannot distribute relation "${relation.name}" which is partition of "${parent}"`,
        { detail: "Citus does not support distributing partitions if their parent is not " +
          "distributed table.", hint: `Distribute the partitioned table "${parent}" instead.` });
    }
  }
  if (relation.partitionKey === undefined) return;
  if (!hash) {
    throw new SqlError(SqlState.featureNotSupported,
      "distributing partitioned tables in only supported for hash-distributed tables");
  }
  if (relation.partitionOf !== undefined) throw multiLevel(cluster, relation);
  for (const child of partitionsNow(catalog, relation)) {
    if (child.partitionKey !== undefined) throw multiLevel(cluster, child);
  }
}

/** Citus's error for a partitioned table that is itself a partition. */
export function multiLevel(cluster: Cluster, relation: ShellRelation): SqlError {
  const parent = relation.partitionOf === undefined ? "?"
    : cluster.local.catalog.relation(relation.partitionOf.parentOid)?.name ?? "?";
  return new SqlError(SqlState.featureNotSupported,
    "distributing multi-level partitioned tables is not supported",
    { detail: `Relation "${relation.name}" is partitioned table itself and it is also ` +
      `partition of relation "${parent}".` });
}

/**
 * Distributes a partitioned table and all its partitions, colocated: the shards (the
 * parent's partitioned, the partitions' attached), the metadata rows, then the rows the
 * tables hold, copied through the parent.
 */
export async function distributePartitioned(cluster: Cluster, parent: ShellRelation,
  how: Distribution, ctx: StatementContext): Promise<void> {
  let next = { shardId: how.plan.nextShardId, placementId: how.plan.nextPlacementId };
  const children: PartitionShards[] = [];
  const parentInput = how.input(0);
  for (const relation of partitionsNow(cluster.local.catalog, parent)) {
    const plan = planColocatedShards({ relationId: oid(relation.oid), nextShardId: next.shardId,
      nextPlacementId: next.placementId, source: how.plan.shards });
    next = { shardId: plan.nextShardId, placementId: plan.nextPlacementId };
    children.push({ relation, plan, input: partitionInput(parentInput, relation) });
  }
  const commands: ShardCommand[] = [];
  for (const [index, planned] of how.plan.shards.entries()) {
    const id = planned.shard.shardid;
    const statements = [...shardCreateStatements(parent, id),
      ...shardForeignKeyCommands(cluster, parent, index, id)];
    for (const node of shardNodes(cluster, planned)) {
      for (const sql of statements) {
        commands.push({ sql, node, shardId: id });
      }
    }
  }
  for (const child of children) commands.push(...childCommands(cluster, parent, how.plan.shards,
    child));
  const nodes = commands.map((c) => c.node);
  const schemas = [parent.schema, ...children.map((c) => c.relation.schema)];
  await runShardCommands(cluster, [...schemaCommands(schemas, nodes), ...commands], ctx);
  cluster.metadata.update((state) => {
    const isNew = how.decision.kind === "new";
    const colocationid = how.decision.kind === "new" ? state.nextColocationId
      : how.decision.colocationId;
    const plans = [how.plan, ...children.map((c) => c.plan)];
    const withGroup = (input: CitusTableInput): CitusTableInput =>
      ({ ...input, partition: { ...input.partition, colocationid } });
    return {
      ...state,
      tables: [...state.tables, how.input(colocationid),
        ...children.map((c) => withGroup(c.input))],
      shards: [...state.shards, ...plans.flatMap((p) => p.shards.map((s) => s.shard))],
      placements: [...state.placements,
        ...plans.flatMap((p) => p.shards.flatMap((s) => s.placements))],
      colocations: how.decision.kind === "new"
        ? [...state.colocations, { colocationid, ...how.decision.group }] : state.colocations,
      nextShardId: Math.max(state.nextShardId, next.shardId),
      nextPlacementId: next.placementId,
      nextColocationId: isNew ? state.nextColocationId + 1 : state.nextColocationId,
    };
  });
  consumeShardIdSetting(ctx, next.shardId);
  const oids = new Set([parent.oid, ...children.map((c) => c.relation.oid)]);
  const shards = [{ relation: parent, plan: how.plan }, ...children];
  await copyOrTakeBack(cluster, parent, { oids, shards }, ctx);
}

/**
 * Distributes `child`, a new partition of the distributed `parentTable`, colocated with it:
 * its shards are created and attached to the parent's shards of the same index, its rows
 * (ATTACH of a local table) copied into them.
 */
export async function distributePartition(cluster: Cluster, parentTable: CitusTable,
  child: ShellRelation, ctx: StatementContext): Promise<void> {
  const parent = cluster.local.catalog.relation(parentTable.partition.logicalrelid);
  if (parent === undefined) throw new SqlError(SqlState.undefinedTable, "parent not found");
  if (child.partitionKey !== undefined) throw multiLevel(cluster, child);
  const source: PlannedShard[] = parentTable.shards.map((s) =>
    ({ shard: s.row, placements: s.placements }));
  const plan = planColocatedShards({ relationId: oid(child.oid),
    nextShardId: nextShardId(cluster, ctx),
    nextPlacementId: cluster.metadata.sequences.nextPlacementId, source });
  const shards: PartitionShards = { relation: child, plan,
    input: partitionInput(parentTable, child) };
  const commands = childCommands(cluster, parent, source, shards, { attach: false });
  await runShardCommands(cluster, [...schemaCommands([child.schema],
    commands.map((c) => c.node)), ...commands], ctx);
  cluster.metadata.update((state) => ({
    ...state,
    tables: [...state.tables, shards.input],
    shards: [...state.shards, ...plan.shards.map((s) => s.shard)],
    placements: [...state.placements, ...plan.shards.flatMap((s) => s.placements)],
    nextShardId: Math.max(state.nextShardId, plan.nextShardId),
    nextPlacementId: plan.nextPlacementId,
  }));
  consumeShardIdSetting(ctx, plan.nextShardId);
  await copyOrTakeBack(cluster, child, { oids: new Set([child.oid]),
    shards: [{ relation: child, plan }] }, ctx);
  await runShardCommands(cluster, attachCommands(cluster, parent, source, child, plan), ctx);
}

/** The ATTACH PARTITION (or DETACH) of every shard pair of `parent` and `child`. */
export function shardPairCommands(cluster: Cluster, parentTable: CitusTable,
  childTable: CitusTable, sql: (parentShard: string, childShard: string) => string):
  ShardCommand[] {
  const parent = cluster.local.catalog.relation(parentTable.partition.logicalrelid);
  const child = cluster.local.catalog.relation(childTable.partition.logicalrelid);
  if (parent === undefined || child === undefined) return [];
  return childTable.shards.flatMap((shard, index) => {
    const parentId = parentTable.shards[index]!.row.shardid;
    const text = sql(qualifiedShard(parent, parentId), qualifiedShard(child, shard.row.shardid));
    return shardNodes(cluster, shard).map((node) => ({ sql: text, node,
      shardId: shard.row.shardid }));
  });
}

/** The metadata row of a partition: its parent's, naming the partition. */
function partitionInput(parent: CitusTableInput, child: ShellRelation): CitusTableInput {
  const column = parent.distributionColumn;
  const at = column === null ? -1 : child.columns.findIndex((c) => !c.dropped &&
    c.name === column.name);
  const def = child.columns[at];
  if (column === null || def === undefined) return { ...parent, schemaName: child.schema,
    relationName: child.name, partition: { ...parent.partition, logicalrelid: oid(child.oid) } };
  return {
    partition: { ...parent.partition, logicalrelid: oid(child.oid),
      partkey: formatPartitionKey({ attnum: at + 1, typeOid: column.typeOid,
        typmod: def.typmod, collationOid: column.collationOid }) },
    schemaName: child.schema, relationName: child.name,
    distributionColumn: { ...column, attnum: at + 1 },
  };
}

/** A partition's shards: created plain, then (unless told not to) attached. */
type Shards = readonly PlannedShard[];

function childCommands(cluster: Cluster, parent: ShellRelation, parentShards: Shards,
  child: PartitionShards, options = { attach: true }): ShardCommand[] {
  const commands: ShardCommand[] = [];
  for (const [index, planned] of child.plan.shards.entries()) {
    const id = planned.shard.shardid;
    const statements = [...shardCreateStatements(child.relation, id),
      ...shardForeignKeyCommands(cluster, child.relation, index, id)];
    for (const node of shardNodes(cluster, planned)) {
      for (const sql of statements) {
        commands.push({ sql, node, shardId: id });
      }
    }
  }
  if (!options.attach) return commands;
  return [...commands, ...attachCommands(cluster, parent, parentShards, child.relation,
    child.plan)];
}

function attachCommands(cluster: Cluster, parent: ShellRelation, parentShards: Shards,
  child: ShellRelation, plan: ShardPlan): ShardCommand[] {
  const bound = child.partitionOf;
  if (bound === undefined) return [];
  return plan.shards.flatMap((planned, index) => {
    const id = planned.shard.shardid;
    const parentId = parentShards[index]!.shard.shardid;
    const sql = `ALTER TABLE ${qualifiedShard(parent, parentId)} ATTACH PARTITION ` +
      `${qualifiedShard(child, id)} ${nodeBoundText(bound.bound, parent)}`;
    return shardNodes(cluster, planned).map((node) => ({ sql, node, shardId: id }));
  });
}

/** A partition bound as the nodes are sent it: UTC, ISO dates, whatever the session's. */
export function nodeBoundText(bound: PartitionBound, parent: ShellRelation): string {
  return boundText(bound, parent, utcFormat);
}

const utcFormat = {
  setting: (name: string): string => ({ timezone: "UTC", datestyle: "ISO, MDY",
    intervalstyle: "postgres", extra_float_digits: "3", bytea_output: "hex",
  } as Record<string, string>)[name.toLowerCase()] ?? "",
};

/**
 * Copies the local rows of `from` into its shards; a failed copy outside a transaction block
 * takes the metadata rows and the new shards back.
 */
async function copyOrTakeBack(cluster: Cluster, from: ShellRelation,
  made: { oids: Set<number>; shards: readonly { relation: ShellRelation; plan: ShardPlan }[] },
  ctx: StatementContext): Promise<void> {
  const forget = (): void => void forgetTables(cluster, made.oids);
  // As Citus, each partition's rows are copied (and noticed) apart, into its own shards.
  const sources = made.shards.length > 1 && made.shards[0]?.relation === from
    ? made.shards.slice(1).map((s) => s.relation) : [from];
  const copy = async (): Promise<void> => {
    for (const source of sources) await copyLocalRows(cluster, source, ctx);
  };
  if (undoOnRollback(ctx, forget)) {
    await copy();
    return;
  }
  try {
    await copy();
  } catch (error) {
    forget();
    const drops = [...made.shards].reverse().flatMap(({ relation, plan }) =>
      plan.shards.flatMap((planned) => dropShard(cluster, relation, planned.shard.shardid,
        planned)));
    await runShardCommands(cluster, drops, ctx).catch(() => undefined);
    throw error;
  }
}

function dropShard(cluster: Cluster, relation: ShellRelation, id: ShardId,
  planned: PlannedShard): ShardCommand[] {
  return shardNodes(cluster, planned).map((node) =>
    ({ node, shardId: id, sql: `DROP TABLE IF EXISTS ${qualifiedShard(relation, id)}` }));
}
