/**
 * Shard creation plans: the pg_dist_shard and pg_dist_placement rows a new Citus table gets,
 * decided purely from the node list, the id sequences and (for colocated tables) the shards
 * of the table it joins. The caller writes the rows and creates the shard tables.
 *
 * Placement follows Citus (`citus-surface.md` §2.5):
 * - hash tables in a new colocation group: candidate nodes are active primaries with
 *   `shouldhaveshards`, sorted by (nodename bytewise, nodeport); shard i goes to nodes
 *   (i + k) mod n for k = 0..replicationFactor-1 (`CreateShardsWithRoundRobinPolicy`);
 * - hash tables joining a group that has a table: shard i copies the range and the placement
 *   groups of that table's shard i (`CreateColocatedShards`);
 * - reference tables: one shard, one placement on every active primary, coordinator included;
 * - single-shard tables in a new group: the node at index `colocationid % n`.
 */
import { SqlError, SqlState, assert, type Oid } from "@tessera/base";
import {
  makeShardRow, shardStateActive, type DistPlacementRow, type DistShardRow,
} from "./catalog-model.js";
import { allocateIds, buildHashRanges, parseHashRange } from "./shard-ranges.js";

/** The pg_dist_node fields placement looks at (a structural subset of the registry's rows). */
export interface PlacementNode {
  readonly nodename: string;
  readonly nodeport: number;
  readonly groupid: number;
  readonly isactive: boolean;
  readonly noderole: string;
  readonly shouldhaveshards: boolean;
}

/** One new shard with its placements, in range order. */
export interface PlannedShard {
  readonly shard: DistShardRow;
  readonly placements: readonly DistPlacementRow[];
}

/** The rows to insert and the next values of the two sequences. */
export interface ShardPlan {
  readonly shards: readonly PlannedShard[];
  readonly nextShardId: number;
  readonly nextPlacementId: number;
}

export interface HashShardPlanOptions {
  readonly relationId: Oid;
  readonly shardCount: number;
  readonly replicationFactor: number;
  readonly nodes: readonly PlacementNode[];
  readonly nextShardId: number;
  readonly nextPlacementId: number;
}

/** Plans the shards of a hash table in a new (or empty) colocation group, round-robin. */
export function planHashShards(options: HashShardPlanOptions): ShardPlan {
  const nodes = distributedTablePlacementNodes(options.nodes);
  checkReplicationFactor(options.replicationFactor, nodes.length);
  const ranges = buildHashRanges(options.shardCount);
  const shardIds = allocateIds(options.nextShardId, ranges.length);
  let nextPlacementId = options.nextPlacementId;
  const shards = ranges.map((range, index): PlannedShard => {
    const shard = makeShardRow(options.relationId, shardIds.ids[index]!, range);
    const groups = roundRobinGroups(nodes, index, options.replicationFactor);
    const placementIds = allocateIds(nextPlacementId, groups.length);
    nextPlacementId = placementIds.next;
    const placements = groups.map((g, k) => makePlacement(placementIds.ids[k]!, shard, g));
    return { shard, placements };
  });
  assert(shards.length === options.shardCount, "one planned shard per range");
  return { shards, nextShardId: shardIds.next, nextPlacementId };
}

export interface ColocatedShardPlanOptions {
  readonly relationId: Oid;
  /** The shards of a table already in the group, with their placements, in range order. */
  readonly source: readonly PlannedShard[];
  readonly nextShardId: number;
  readonly nextPlacementId: number;
}

/** Plans shards that copy the ranges and placement groups of a colocated table's shards. */
export function planColocatedShards(options: ColocatedShardPlanOptions): ShardPlan {
  assert(options.source.length > 0, "a colocated source table has shards");
  const shardIds = allocateIds(options.nextShardId, options.source.length);
  let nextPlacementId = options.nextPlacementId;
  const shards = options.source.map((source, index): PlannedShard => {
    const { shardminvalue: min, shardmaxvalue: max } = source.shard;
    const bounds = min === null ? null : parseHashRange(min, max);
    const shard = makeShardRow(options.relationId, shardIds.ids[index]!, bounds);
    const groups = [...source.placements]
      .sort((a, b) => a.placementid - b.placementid)
      .map((placement) => placement.groupid);
    assert(groups.length > 0, "every source shard has a placement");
    const placementIds = allocateIds(nextPlacementId, groups.length);
    nextPlacementId = placementIds.next;
    const placements = groups.map((g, k) => makePlacement(placementIds.ids[k]!, shard, g));
    return { shard, placements };
  });
  return { shards, nextShardId: shardIds.next, nextPlacementId };
}

export interface SingleShardPlanOptions {
  readonly relationId: Oid;
  readonly nodes: readonly PlacementNode[];
  readonly nextShardId: number;
  readonly nextPlacementId: number;
}

/** Plans a reference table's one shard with a placement on every active primary node. */
export function planReferenceShard(options: SingleShardPlanOptions): ShardPlan {
  const nodes = referenceTablePlacementNodes(options.nodes);
  if (nodes.length === 0) throw noNodesError();
  return planOneShard(options, nodes.map((node) => node.groupid));
}

/**
 * Plans a single-shard (null shard key) table's shard in a new colocation group: one
 * placement on the node at `colocationId % nodeCount`
 * (`EmptySingleShardTableColocationDecideNodeId`).
 */
export function planSingleShard(
  options: SingleShardPlanOptions & { readonly colocationId: number },
): ShardPlan {
  const nodes = distributedTablePlacementNodes(options.nodes);
  if (nodes.length === 0) throw noNodesError();
  assert(options.colocationId > 0, "single-shard tables have a colocation group");
  const node = nodes[options.colocationId % nodes.length]!;
  return planOneShard(options, [node.groupid]);
}

function planOneShard(options: SingleShardPlanOptions, groups: readonly number[]): ShardPlan {
  assert(groups.length > 0, "a shard has at least one placement");
  assert(new Set(groups).size === groups.length, "one placement per node group");
  const shardIds = allocateIds(options.nextShardId, 1);
  const shard = makeShardRow(options.relationId, shardIds.ids[0]!, null);
  const placementIds = allocateIds(options.nextPlacementId, groups.length);
  const placements = groups.map((g, k) => makePlacement(placementIds.ids[k]!, shard, g));
  return { shards: [{ shard, placements }], nextShardId: shardIds.next,
    nextPlacementId: placementIds.next };
}

/**
 * Returns the nodes that may hold distributed-table shards: active primaries with
 * `shouldhaveshards`, sorted as Citus's `CompareWorkerNodes`.
 */
export function distributedTablePlacementNodes(
  nodes: readonly PlacementNode[],
): readonly PlacementNode[] {
  return nodes
    .filter((node) => node.isactive && node.noderole === "primary" && node.shouldhaveshards)
    .sort(compareNodes);
}

/** Returns the nodes that hold reference-table placements: every active primary, sorted. */
export function referenceTablePlacementNodes(
  nodes: readonly PlacementNode[],
): readonly PlacementNode[] {
  return nodes.filter((node) => node.isactive && node.noderole === "primary").sort(compareNodes);
}

/** Orders nodes by name (bytewise, as strncmp) and then port (`NodeNamePortCompare`). */
export function compareNodes(a: PlacementNode, b: PlacementNode): number {
  const byName = Buffer.compare(Buffer.from(a.nodename, "utf8"), Buffer.from(b.nodename, "utf8"));
  if (byName !== 0) return byName;
  return a.nodeport - b.nodeport;
}

/** Returns the groups of shard `index`: nodes (index + k) mod n for k < replicationFactor. */
function roundRobinGroups(
  nodes: readonly PlacementNode[], index: number, replicationFactor: number,
): number[] {
  assert(replicationFactor <= nodes.length, "replication factor checked against node count");
  const groups: number[] = [];
  for (let k = 0; k < replicationFactor; k++) {
    groups.push(nodes[(index + k) % nodes.length]!.groupid);
  }
  assert(new Set(groups).size === groups.length, "one placement per node group");
  return groups;
}

/** Fails as Citus does when the nodes cannot hold `replicationFactor` copies of a shard. */
function checkReplicationFactor(replicationFactor: number, nodeCount: number): void {
  assert(Number.isInteger(replicationFactor), "replication factor is an integer");
  if (nodeCount === 0) throw noNodesError();
  if (replicationFactor < 1) {
    throw new SqlError(SqlState.invalidParameterValue,
      `replication_factor (${replicationFactor}) must be at least 1`);
  }
  if (replicationFactor > nodeCount) {
    throw new SqlError(SqlState.invalidParameterValue,
      `replication_factor (${replicationFactor}) exceeds number of worker nodes (${nodeCount})`,
      { hint: "Add more worker nodes or try again with a lower replication factor." });
  }
}

function noNodesError(): SqlError {
  return new SqlError(SqlState.invalidParameterValue,
    "no worker nodes are available for placing shards", { hint: "Add more worker nodes." });
}

function makePlacement(
  placementid: number, shard: DistShardRow, groupid: number,
): DistPlacementRow {
  assert(Number.isSafeInteger(placementid) && placementid > 0, "placement ids are positive");
  assert(Number.isInteger(groupid) && groupid >= 0, "group ids are not negative");
  return Object.freeze({
    placementid, shardid: shard.shardid, shardstate: shardStateActive, shardlength: 0, groupid,
  });
}
