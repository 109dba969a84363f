/**
 * Shard splits (`D:operations/shard_split.c`, blocking mode): a hash shard and every shard
 * colocated with it (the same index in each table of its colocation group) are cut at split
 * points into `points + 1` children with new shard ids, child i holding
 * `[min, p1] [p1+1, p2] … [pk+1, max]` and placed on node i. citus_split_shard_by_split_points
 * and isolate_tenant_to_new_shard (`shard-split-functions.ts`) both end here.
 *
 *     checks (Citus's order, messages and codes)
 *     -> one distributed transaction of its own (`table-rebuild.ts` inOneTransaction); the
 *        coordinator holds back new writes to the group's tables (`move-gate.ts`)
 *     -> LOCK TABLE <old shards> IN EXCLUSIVE MODE on their node (reads go on)
 *     -> CREATE TABLE <children> on their nodes with the shell table's DDL (`shard-ddl.ts`)
 *     -> each old shard's rows, routed by hash over the children's ranges, sent as COPY
 *        (`commands/copy-shards.ts`)
 *     -> reads wait too; one metadata update replaces the old shards and placements with
 *        the children (and the colocation group's shard count); DROP TABLE <old shards>
 *     -> foreign keys of the children; commit (two-phase with several nodes)
 *
 * Every mode runs as 'block_writes'; 'auto' still asks for a replica identity as Citus does.
 * pg_dist_colocation.shardcount follows the split (Citus leaves it as it was), so the
 * group's tables always have the group's shard count; a table created later in the group
 * copies the split ranges (`metadata/placement.ts` planColocatedShards).
 */
import { SqlError, SqlState, assert, limits, shardId as toShardId } from "@tessera/base";
import type { StatementContext } from "@tessera/engine";
import { defaultFormatContext, typeOf } from "@tessera/sql";
import { nodeOfGroup, shardNodes, type Cluster, type PlacementAddress } from "../cluster.js";
import { router, textFormat } from "../commands/copy.js";
import { ShardCopyWriter } from "../commands/copy-shards.js";
import { copyField, shardCopyOptions } from "../commands/copy-text.js";
import { shardForeignKeys } from "../commands/foreign-keys.js";
import { runShardCommands, type ShardCommand } from "../commands/shard-command-batch.js";
import { runTasks } from "../executor/tasks.js";
import {
  makeShardRow, shardStateActive, type DistPlacementRow, type DistShardRow,
} from "../metadata/catalog-model.js";
import { MetadataCache, type CachedShard, type CitusTable } from "../metadata/metadata-cache.js";
import type { MetadataState } from "../metadata/metadata-store.js";
import { quoteIdentifier } from "../metadata/naming.js";
import type { DistNode } from "../metadata/node-registry.js";
import { consumeShardIdSetting, nextShardId } from "./create-table.js";
import type { HashRange } from "../metadata/shard-ranges.js";
import { liveColumns } from "../planner/insert-tasks.js";
import { settle } from "./move-gate.js";
import { missingReferencePlacements } from "./reference-replication.js";
import { schemaCommands } from "./schema-propagation.js";
import { qualifiedShard, shardCreateStatements, type ShellRelation } from "./shard-ddl.js";
import {
  checkReplicaIdentity, colocatedShards, type TransferMode,
} from "./shard-transfer.js";
import {
  inOneTransaction, undoIfRolledBack, type RebuildRun,
} from "./table-rebuild.js";

/** Which function asked: names its errors as Citus's `SplitOperationName`/`SplitTargetName`. */
export type SplitOperation = "split" | "isolate";

export interface SplitRequest {
  readonly operation: SplitOperation;
  readonly shardId: number;
  /** Inclusive upper bounds of every child but the last (int32 hash values). */
  readonly splitPoints: readonly number[];
  /** pg_dist_node.nodeid of each child, in range order. */
  readonly nodeIds: readonly number[];
  readonly mode: TransferMode;
}

/** One old shard of the group and the children that replace it. */
interface SplitMember {
  readonly table: CitusTable;
  readonly relation: ShellRelation;
  readonly shard: CachedShard;
  readonly children: readonly DistShardRow[];
}

const targetName: Readonly<Record<SplitOperation, string>> = {
  split: "shard", isolate: "tenant",
};

/** Shards being split now (Citus's placement colocation lock, taken without waiting). */
const splitting = new Set<number>();

/**
 * Splits the shard of `request` and its colocated shards; returns the children of the
 * requested shard's table, in range order.
 */
export async function splitShard(cluster: Cluster, request: SplitRequest,
  ctx: StatementContext): Promise<readonly DistShardRow[]> {
  const found = cluster.metadata.cache.shard(toShardId(request.shardId));
  if (found === undefined) {
    throw new SqlError(SqlState.internalError,
      `could not find valid entry for shard ${request.shardId}`);
  }
  const group = colocatedShards(cluster, found.table, found.shard.index);
  if (request.mode === "auto") checkReplicaIdentity(group);
  checkSplittable(request, found.table, found.shard);
  const nodes = request.nodeIds.map((id) => nodeById(cluster, id));
  checkReferenceReplicas(cluster, nodes);
  for (const member of group) {
    if (member.relation.partitionKey === undefined && member.relation.partitionOf === undefined) {
      continue;
    }
    throw new SqlError(SqlState.featureNotSupported, `splitting shards of the partitioned ` +
      `table ${member.relation.name} is not supported by Tessera yet: it needs splitting the ` +
      "shards of its partitions with it");
  }
  const ids = group.map((m) => m.shard.row.shardid);
  if (ids.some((id) => splitting.has(id))) {
    throw new SqlError(SqlState.internalError, "could not acquire the lock required to " +
      `${request.operation} ${found.table.schemaName}.${found.table.relationName}`, {
      detail: "It means that either a concurrent shard move or shard split is happening.",
      hint: "Make sure that the concurrent operation has finished and re-run the command" });
  }
  const ranges = childRanges(found.shard.range!, request.splitPoints);
  const first = reserveShardIds(cluster, group.length * ranges.length, ctx);
  const members = group.map((m, at): SplitMember => ({ ...m, children: ranges.map((range, i) =>
    makeShardRow(m.table.partition.logicalrelid, first + at * ranges.length + i, range)) }));
  for (const id of ids) splitting.add(id);
  try {
    await inOneTransaction(cluster, ctx, new Set(group.map((m) => m.relation.oid)),
      (run) => splitGroup(cluster, members, nodes, run));
  } finally {
    for (const id of ids) splitting.delete(id);
  }
  const own = members.find((m) => m.table === found.table);
  assert(own !== undefined, "the requested table is in its own group");
  return own.children;
}

/** `ErrorIfCannotSplitShardExtended`: the table kind, replication and the split points. */
function checkSplittable(request: SplitRequest, table: CitusTable, shard: CachedShard): void {
  const { operation, splitPoints, nodeIds } = request;
  const target = targetName[operation];
  if (table.kind !== "hash" || shard.range === null) {
    throw new SqlError(SqlState.featureNotSupported, `Cannot ${operation} ${target} as ` +
      "operation is only supported for hash distributed tables.");
  }
  if (shard.placements.length > 1) {
    throw new SqlError(SqlState.featureNotSupported, `Operation ${operation} not supported ` +
      `for ${target} as replication factor '${shard.placements.length}' is greater than 1.`);
  }
  if (nodeIds.length !== splitPoints.length + 1) {
    throw new SqlError(SqlState.syntaxError, "Number of worker node ids should be one greater " +
      `split points. NodeId count is '${nodeIds.length}' and SplitPoint count is ` +
      `'${splitPoints.length}'.`);
  }
  if (nodeIds.length > limits.shardCountMax) {
    throw new SqlError(SqlState.internalError, `Resulting shard count '${nodeIds.length}' with ` +
      `split is greater than max shard count '${limits.shardCountMax}' limit.`);
  }
  const { min, max } = shard.range;
  const id = shard.row.shardid;
  if (min === max) {
    throw new SqlError(SqlState.syntaxError,
      `Cannot split shard id "${id}" as min/max range are equal: ('${min}', '${max}').`);
  }
  let last: number | undefined;
  for (const point of splitPoints) {
    if (point < min || point > max) {
      throw new SqlError(SqlState.syntaxError, `Split point ${point} is outside the min/max ` +
        `range(${min}, ${max}) for shard id ${id}.`);
    }
    if (point === max) {
      throw new SqlError(SqlState.syntaxError, `Invalid split point ${max}, as split points ` +
        `should be inclusive. Please use ${max - 1} instead.`);
    }
    if (last !== undefined && point <= last) {
      throw new SqlError(SqlState.syntaxError, `Invalid Split Points '${last}' followed by ` +
        `'${point}'. All split points should be strictly increasing.`);
    }
    last = point;
  }
}

/** `GetWorkerNodesFromWorkerIds`. */
function nodeById(cluster: Cluster, nodeid: number): DistNode {
  const node = cluster.registry.list().find((n) => n.nodeid === nodeid);
  if (node === undefined || nodeid < 1) {
    throw new SqlError(SqlState.activeSqlTransaction, `Invalid Node Id '${nodeid >>> 0}'.`);
  }
  return node;
}

/** `ErrorIfNotAllNodesHaveReferenceTableReplicas`: the children's nodes. */
function checkReferenceReplicas(cluster: Cluster, nodes: readonly DistNode[]): void {
  const missing = missingReferencePlacements(cluster);
  const node = nodes.find((n) => missing.some((m) => m.groupid === n.groupid));
  if (node === undefined) return;
  throw new SqlError(SqlState.objectNotInPrerequisiteState, "reference tables have not been " +
    `replicated to node ${node.nodename}:${node.nodeport} yet`, {
    detail: "Reference tables are lazily replicated after adding a node, but must exist " +
      "before shards can be created on that node.",
    hint: "Run SELECT replicate_reference_tables(); to ensure reference tables exist on all " +
      "nodes." });
}

/** The children's ranges: `[min, p1] [p1+1, p2] … [pk+1, max]`. */
export function childRanges(range: HashRange, points: readonly number[]): HashRange[] {
  const bounds = [range.min - 1, ...points, range.max];
  return points.concat(range.max).map((max, i) => ({ min: bounds[i]! + 1, max }));
}

/**
 * Takes `count` ids now, as Citus's GetNextShardId does: from citus.next_shard_id when set
 * (which moves on past them), else from pg_dist_shardid_seq.
 */
function reserveShardIds(cluster: Cluster, count: number, ctx: StatementContext): number {
  const start = nextShardId(cluster, ctx);
  consumeShardIdSetting(ctx, start + count);
  const first = start;
  cluster.metadata.update((state) =>
    ({ ...state, nextShardId: Math.max(state.nextShardId, first + count) }));
  assert(first > 0, "shard ids are positive");
  return first;
}

/** The steps of the top comment, inside the split's own transaction. */
async function splitGroup(cluster: Cluster, members: readonly SplitMember[],
  nodes: readonly DistNode[], run: RebuildRun): Promise<void> {
  const targets = nodes.map((node) => nodeOfGroup(cluster, node.groupid));
  await runShardCommands(cluster, members.map((m) => ({
    node: shardNodes(cluster, m.shard)[0]!, shardId: m.shard.row.shardid,
    sql: `LOCK TABLE ${qualifiedShard(m.relation, m.shard.row.shardid)} IN EXCLUSIVE MODE`,
  })), run.ctx);
  const create: ShardCommand[] = members.flatMap((m) => m.children.flatMap((child, i) =>
    shardCreateStatements(m.relation, child.shardid).map((sql) => ({
      sql, node: targets[i]!, shardId: child.shardid }))));
  const schemas = schemaCommands(members.map((m) => m.relation.schema), targets);
  await runShardCommands(cluster, [...schemas, ...create], run.ctx);
  const preview = MetadataCache.load(splitState(cluster.metadata.snapshot, members, nodes));
  for (const member of members) {
    const table = preview.table(member.table.partition.logicalrelid);
    assert(table !== undefined, "the split metadata holds the table");
    await copyRows(cluster, member, table, run.ctx);
  }
  if (run.fence !== undefined) {
    // From the switch on, reads would find children not committed yet.
    run.fence.holds = "all";
    await settle();
  }
  undoIfRolledBack(run, switchMetadata(cluster, members, nodes));
  await runShardCommands(cluster, members.flatMap((m) => shardNodes(cluster, m.shard)
    .map((node) => ({ node, shardId: m.shard.row.shardid,
      sql: `DROP TABLE IF EXISTS ${qualifiedShard(m.relation, m.shard.row.shardid)} CASCADE` }))),
  run.ctx);
  await runShardCommands(cluster, childForeignKeys(cluster, members, targets), run.ctx);
}

/** Reads one old shard's rows and sends each to the child whose range holds its hash. */
async function copyRows(cluster: Cluster, member: SplitMember, table: CitusTable,
  ctx: StatementContext): Promise<void> {
  const { relation, shard } = member;
  assert(table.distributionColumn !== null, "a split table is hash distributed");
  const live = liveColumns(relation);
  const at = live.findIndex((c) => c.name === table.distributionColumn?.name);
  assert(at >= 0, "the distribution column is a live column");
  const key = live[at]!;
  const format = textFormat();
  const [result] = await runTasks(cluster, [{ node: shardNodes(cluster, shard)[0]!,
    shardId: shard.row.shardid, params: [], sql: `SELECT ${live.map((c) =>
      quoteIdentifier(c.name)).join(", ")} FROM ${qualifiedShard(relation, shard.row.shardid)}`,
  }], ctx);
  const writer = new ShardCopyWriter(cluster, { table, relation,
    columns: live.map((c) => c.name), options: shardCopyOptions(format) }, ctx);
  const route = router({ table, relation });
  const children = new Set<number>(member.children.map((c) => c.shardid));
  let line = 0;
  try {
    for (const row of result?.rows ?? []) {
      const text = row[at] ?? null;
      const value = text === null ? null
        : typeOf(key.type).input(text, key.typmod, defaultFormatContext);
      const index = route(value);
      assert(children.has(table.shards[index]!.row.shardid), "a row goes to a child");
      writer.add(index, row.map((v) => copyField(v, format)).join("\t"), ++line);
      await writer.pressure;
    }
    await writer.finish();
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

/** `state` with the members' old shards and placements replaced by their children. */
function splitState(state: MetadataState, members: readonly SplitMember[],
  nodes: readonly DistNode[]): MetadataState {
  const oldIds = new Set<number>(members.map((m) => m.shard.row.shardid));
  let next = state.nextPlacementId;
  const placements = members.flatMap((m) => m.children.map((child, i): DistPlacementRow => ({
    placementid: next++, shardid: child.shardid, shardstate: shardStateActive, shardlength: 0,
    groupid: nodes[i]!.groupid })));
  const colocationid = members[0]!.table.partition.colocationid;
  const added = nodes.length - 1;
  return { ...state,
    shards: [...state.shards.filter((s) => !oldIds.has(s.shardid)),
      ...members.flatMap((m) => m.children)],
    placements: [...state.placements.filter((p) => !oldIds.has(p.shardid)), ...placements],
    colocations: state.colocations.map((g) => (g.colocationid === colocationid
      ? { ...g, shardcount: g.shardcount + added } : g)),
    nextPlacementId: next };
}

/** The one metadata update of the split; returns what puts the old shards back. */
function switchMetadata(cluster: Cluster, members: readonly SplitMember[],
  nodes: readonly DistNode[]): () => void {
  const before = cluster.metadata.snapshot;
  const oldIds = new Set<number>(members.map((m) => m.shard.row.shardid));
  const newIds = new Set<number>(members.flatMap((m) => m.children.map((c) => c.shardid)));
  const oldShards = before.shards.filter((s) => oldIds.has(s.shardid));
  const oldPlacements = before.placements.filter((p) => oldIds.has(p.shardid));
  const colocationid = members[0]!.table.partition.colocationid;
  const added = nodes.length - 1;
  cluster.metadata.update((state) => splitState(state, members, nodes));
  return () => cluster.metadata.update((state) => ({ ...state,
    shards: [...state.shards.filter((s) => !newIds.has(s.shardid)), ...oldShards],
    placements: [...state.placements.filter((p) => !newIds.has(p.shardid)), ...oldPlacements],
    colocations: state.colocations.map((g) => (g.colocationid === colocationid
      ? { ...g, shardcount: g.shardcount - added } : g)) }));
}

/** The foreign keys of the children, now that the metadata names them. */
function childForeignKeys(cluster: Cluster, members: readonly SplitMember[],
  targets: readonly PlacementAddress[]): ShardCommand[] {
  return members.flatMap((m) => m.children.flatMap((child, i) => {
    const found = cluster.metadata.cache.shard(child.shardid);
    assert(found !== undefined, "a child is in the metadata");
    return shardForeignKeys(cluster, m.relation, found.shard.index, child.shardid)
      .map((fk) => ({ node: targets[i]!, shardId: child.shardid,
        sql: `ALTER TABLE ${qualifiedShard(m.relation, child.shardid)} ADD ${fk}` }));
  }));
}
