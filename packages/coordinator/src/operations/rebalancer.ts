/**
 * The shard rebalancer (`D:operations/shard_rebalancer.c`): decides which shard groups to
 * move so that the nodes carry about the same cost, and carries the moves out one group at
 * a time (`shard-transfer.ts`).
 *
 * A strategy (`pg_dist_rebalance_strategy`, `rebalance-strategies.ts`) gives each shard a
 * cost (by_shard_count: 1; by_disk_size: the bytes of the shard and its colocated shards on
 * their node plus a base cost of 100 MB) and each node a capacity (1, or 0 for a node that
 * should have no shards). The plan is Citus's greedy one, per colocation group:
 * 1. shards on nodes they are not allowed on (shouldhaveshards = false) go to the emptiest
 *    allowed node first — all a drain does;
 * 2. then, while some node lies outside [(1 - threshold), (1 + threshold)] × the average
 *    utilization, the first shard of the fullest node that makes the two nodes more equal
 *    moves to the emptiest node (moves that help little relative to the shard's cost are
 *    skipped under the strategy's improvement_threshold).
 * Every move carries the shards at the same index of all tables of the colocation group.
 */
import { SqlError, SqlState, shardId as toShardId } from "@tessera/base";
import type { Cluster } from "../cluster.js";
import type { CitusTable, MetadataCache } from "../metadata/metadata-cache.js";
import type { DistNode } from "../metadata/node-registry.js";
import { compareNodes } from "../metadata/placement.js";
import { findStrategy, type RebalanceStrategy } from "./rebalance-strategies.js";

export interface RebalanceOptions {
  /** One table (its colocation group), or every distributed table when null. */
  readonly relationId: number | null;
  readonly threshold: number | null;
  readonly maxShardMoves: number;
  readonly excludedShards: readonly number[];
  readonly drainOnly: boolean;
  readonly strategy: string | null;
  readonly improvementThreshold: number | null;
  /** citus_drain_node: only the placements on this node count. */
  readonly drainNode?: DistNode;
  /** citus.shard_replication_factor, checked against the nodes that may hold shards. */
  readonly replicationFactor: number;
}

/** One planned move of a shard group, named by the shard of the group's first table. */
export interface PlannedMove {
  readonly shardId: number;
  readonly source: DistNode;
  readonly target: DistNode;
}

/** Where the plan reports its WARNINGs and NOTICEs, and the sizes it may need. */
export interface PlanHooks {
  warning(message: string, detail?: string): void;
  notice(message: string, fields?: { detail?: string; hint?: string }): void;
  /** Bytes of a placement (by_disk_size), null when unknown. */
  placementBytes(shardId: number, groupid: number): bigint | null;
}

/** citus.rebalancer_by_disk_size_base_cost's default: 100 MB added to each shard's size. */
const diskSizeBaseCost = 100 * 1024 * 1024;
/** citus.max_rebalancer_logged_ignored_moves's default. */
const ignoredMovesLoggedMax = 5;

/** One placement the plan looks at. */
interface Placement {
  readonly shardId: number;
  readonly groupid: number;
}

interface ShardCost {
  readonly shardId: number;
  readonly cost: number;
}

interface FillState {
  readonly node: DistNode;
  readonly capacity: number;
  totalCost: number;
  utilization: number;
  /** Highest cost first. */
  shards: ShardCost[];
}

interface RebalanceState {
  fills: FillState[];
  /** `shardId:groupid` of every placement, as moves change them. */
  readonly placements: Set<string>;
  totalCost: number;
  totalCapacity: number;
  readonly disallowed: { readonly cost: ShardCost; readonly fill: FillState }[];
  ignoredMoves: number;
}

/** What a plan is made from: the distribution metadata and the nodes. */
export interface PlanInput {
  readonly cache: MetadataCache;
  readonly nodes: readonly DistNode[];
}

/** The plan input of a cluster now. */
export function planInput(cluster: Cluster): PlanInput {
  return { cache: cluster.metadata.cache, nodes: cluster.registry.list() };
}

/** The tables the rebalancer looks at: one per colocation group (`NonColocatedDist…`). */
export function rebalanceTables(cache: MetadataCache,
  relationId: number | null): CitusTable[] {
  const all = [...cache.tables()]
    .filter((t) => t.kind === "hash" || t.kind === "single-shard")
    .sort((a, b) => a.partition.logicalrelid - b.partition.logicalrelid);
  if (relationId !== null) return all.filter((t) => t.partition.logicalrelid === relationId);
  const seen = new Set<number>();
  return all.filter((t) => {
    if (seen.has(t.partition.colocationid)) return false;
    seen.add(t.partition.colocationid);
    return true;
  });
}

/** Plans the moves (`GetRebalanceSteps` + `RebalancePlacementUpdates`). */
export function planRebalance(input: PlanInput, options: RebalanceOptions,
  hooks: PlanHooks): PlannedMove[] {
  const strategy = findStrategy(options.strategy);
  // The nodes a rebalance spreads over: active primaries, sorted by name and port.
  const nodes = input.nodes.filter((n) => n.isactive && n.noderole === "primary")
    .sort(compareNodes);
  const allowed = nodes.filter((n) => n.shouldhaveshards).length;
  if (allowed < options.replicationFactor) {
    throw new SqlError(SqlState.internalError, `Shard replication factor ` +
      `(${options.replicationFactor}) cannot be greater than number of nodes with ` +
      `should_have_shards=true (${allowed}).`);
  }
  const excluded = new Set(options.excludedShards);
  const groups: Placement[][] = [];
  const unbalanced: Placement[] = [];
  // Where every shard is, drained node or not: a move never targets a node holding it.
  const everywhere = new Set<string>();
  for (const table of rebalanceTables(input.cache, options.relationId)) {
    const all = table.shards.filter((s) => !excluded.has(s.row.shardid))
      .flatMap((s) => s.placements.map((p) => ({ shardId: s.row.shardid, groupid: p.groupid })));
    for (const p of all) everywhere.add(placementKey(p.shardId, p.groupid));
    const placements = all.filter((p) => options.drainNode === undefined ||
      p.groupid === options.drainNode.groupid);
    if (placements.length >= allowed) groups.push(placements);
    else unbalanced.push(...placements);
  }
  if (unbalanced.length > 0) groups.push(unbalanced);
  let threshold = options.threshold ?? strategy.defaultThreshold;
  if (threshold < strategy.minimumThreshold) {
    hooks.warning("the given threshold is lower than the minimum threshold allowed by the " +
      "rebalance strategy, using the minimum allowed threshold instead",
    `Using threshold of ${strategy.minimumThreshold.toFixed(2)}`);
    threshold = strategy.minimumThreshold;
  }
  const cost = shardCostOf(input.cache, strategy, hooks);
  const states = groups.map((placements) => initState(nodes, placements, cost, everywhere));
  const moves: PlannedMove[] = [];
  for (const state of states) moveDisallowed(state, moves, hooks);
  const improvement = options.improvementThreshold ?? strategy.improvementThreshold;
  if (!options.drainOnly) {
    for (const state of states) {
      const average = state.totalCost / state.totalCapacity;
      const bounds = { lower: (1 - threshold) * average, upper: (1 + threshold) * average };
      let more = true;
      while (moves.length < options.maxShardMoves && more) {
        more = findAndMove(state, bounds, improvement, { moves, hooks });
      }
      if (more) {
        hooks.notice("Stopped searching before we were out of moves. Please rerun the " +
          "rebalancer after it's finished for a more optimal placement.");
        break;
      }
    }
  }
  reportIgnored(states, improvement, hooks);
  return moves;
}

/** The cost function of a strategy. */
function shardCostOf(cache: MetadataCache, strategy: RebalanceStrategy,
  hooks: PlanHooks): (shardId: number) => number {
  if (strategy.shardCost === "count") return () => 1;
  return (shardId) => {
    const found = cache.shard(toShardId(shardId));
    if (found === undefined) return 1;
    const groupid = found.shard.placements[0]?.groupid ?? 0;
    const tables = found.table.partition.colocationid === 0 ? [found.table]
      : cache.tablesInColocationGroup(found.table.partition.colocationid);
    let bytes = 0;
    for (const table of tables) {
      const shard = table.shards[found.shard.index];
      if (shard === undefined) continue;
      bytes += Number(hooks.placementBytes(shard.row.shardid, groupid) ?? 0n);
    }
    const total = bytes + diskSizeBaseCost;
    return total <= 0 ? 1 : Math.fround(total);
  };
}

function utilizationOf(totalCost: number, capacity: number): number {
  return capacity === 0 ? Infinity : totalCost / capacity;
}

/** Emptiest first: utilization, then more capacity, then node id. */
function compareFillAsc(a: FillState, b: FillState): number {
  if (a.utilization !== b.utilization) return a.utilization < b.utilization ? -1 : 1;
  if (a.capacity !== b.capacity) return a.capacity > b.capacity ? -1 : 1;
  return a.node.nodeid - b.node.nodeid;
}

/** Cheapest first; equal costs put the higher shard id first (Citus's tie break). */
function compareCostAsc(a: ShardCost, b: ShardCost): number {
  if (a.cost !== b.cost) return a.cost < b.cost ? -1 : 1;
  return b.shardId - a.shardId;
}

const placementKey = (shardId: number, groupid: number): string => `${shardId}:${groupid}`;

function initState(nodes: readonly DistNode[], placements: readonly Placement[],
  cost: (shardId: number) => number, everywhere: ReadonlySet<string>): RebalanceState {
  const fills = nodes.map((node): FillState => {
    const capacity = node.shouldhaveshards ? 1 : 0;
    return { node, capacity, totalCost: 0, utilization: utilizationOf(0, capacity), shards: [] };
  });
  const state: RebalanceState = { fills, placements: new Set(everywhere), totalCost: 0,
    totalCapacity: fills.reduce((sum, f) => sum + f.capacity, 0), disallowed: [],
    ignoredMoves: 0 };
  for (const placement of placements) {
    const fill = fills.find((f) => f.node.groupid === placement.groupid);
    if (fill === undefined) continue;
    const shardCost = { shardId: placement.shardId, cost: cost(placement.shardId) };
    state.placements.add(placementKey(placement.shardId, placement.groupid));
    fill.totalCost += shardCost.cost;
    fill.utilization = utilizationOf(fill.totalCost, fill.capacity);
    fill.shards.push(shardCost);
    state.totalCost += shardCost.cost;
    if (!fill.node.shouldhaveshards) state.disallowed.push({ cost: shardCost, fill });
  }
  for (const fill of fills) fill.shards.sort((a, b) => compareCostAsc(b, a));
  state.fills.sort(compareFillAsc);
  return state;
}

function moveCost(state: RebalanceState, from: FillState, to: FillState, cost: ShardCost,
  moves: PlannedMove[]): void {
  moves.push({ shardId: cost.shardId, source: from.node, target: to.node });
  state.placements.delete(placementKey(cost.shardId, from.node.groupid));
  state.placements.add(placementKey(cost.shardId, to.node.groupid));
  from.totalCost -= cost.cost;
  from.utilization = utilizationOf(from.totalCost, from.capacity);
  from.shards = from.shards.filter((s) => s !== cost);
  to.totalCost += cost.cost;
  to.utilization = utilizationOf(to.totalCost, to.capacity);
  to.shards = [...to.shards, cost].sort((a, b) => compareCostAsc(b, a));
  state.fills.sort(compareFillAsc);
}

/** `MoveShardsAwayFromDisallowedNodes`. */
function moveDisallowed(state: RebalanceState, moves: PlannedMove[], hooks: PlanHooks): void {
  const list = [...state.disallowed].sort((a, b) => compareCostAsc(b.cost, a.cost));
  for (const { cost, fill } of list) {
    const target = state.fills.find((f) => f.node.shouldhaveshards &&
      !state.placements.has(placementKey(cost.shardId, f.node.groupid)));
    if (target === undefined) {
      hooks.warning(`Not allowed to move shard ${cost.shardId} anywhere from ` +
        `${fill.node.nodename}:${fill.node.nodeport}`);
      continue;
    }
    moveCost(state, fill, target, cost, moves);
  }
}

/** `FindAndMoveShardCost`: makes the first move that improves the balance; false if none. */
function findAndMove(state: RebalanceState, bounds: { lower: number; upper: number },
  improvementThreshold: number, out: { moves: PlannedMove[]; hooks: PlanHooks }): boolean {
  const descending = [...state.fills].reverse();
  for (const source of descending) {
    if (source.utilization <= bounds.lower) return false;
    for (const target of state.fills) {
      if (target.utilization >= bounds.upper) break;
      if (target.utilization >= bounds.lower && source.utilization <= bounds.upper) break;
      for (const cost of source.shards) {
        if (state.placements.has(placementKey(cost.shardId, target.node.groupid))) continue;
        if (!target.node.shouldhaveshards) continue;
        const newTarget = utilizationOf(target.totalCost + cost.cost, target.capacity);
        const newSource = utilizationOf(source.totalCost - cost.cost, source.capacity);
        if (newTarget <= newSource) {
          moveCost(state, source, target, cost, out.moves);
          return true;
        }
        if (newTarget > source.utilization) continue;
        if (newTarget === source.utilization && newSource <= target.utilization) continue;
        const gained = Math.max(source.utilization - newTarget, newSource - target.utilization);
        const added = Math.min(newTarget - target.utilization, source.utilization - newSource);
        const normalized = gained / added;
        if (normalized < improvementThreshold) {
          state.ignoredMoves++;
          if (state.ignoredMoves <= ignoredMovesLoggedMax) {
            out.hooks.notice(`Ignoring move of shard ${cost.shardId} from ` +
              `${source.node.nodename}:${source.node.nodeport} to ${target.node.nodename}:` +
              `${target.node.nodeport}, because the move only brings a small improvement ` +
              "relative to the shard its size", { detail: `The balance improvement of ` +
              `${formatG(normalized)} is lower than the improvement_threshold of ` +
              `${formatG(improvementThreshold)}` });
          }
          continue;
        }
        moveCost(state, source, target, cost, out.moves);
        return true;
      }
    }
  }
  return false;
}

function reportIgnored(states: readonly RebalanceState[], improvementThreshold: number,
  hooks: PlanHooks): void {
  const ignored = states.reduce((sum, s) => sum + s.ignoredMoves, 0);
  if (ignored === 0) return;
  const shown = ignored <= ignoredMovesLoggedMax ? "all" : String(ignoredMovesLoggedMax);
  hooks.notice(`Ignored ${ignored} moves, ${shown} of which are shown in notices above`, {
    hint: "If you do want these moves to happen, try changing improvement_threshold to a " +
      `lower value than what it is now (${formatG(improvementThreshold)}).` });
}

/** C's %g for the values the rebalancer prints (six significant digits, no trailing 0s). */
function formatG(value: number): string {
  return String(Number(Math.fround(value).toPrecision(6)));
}
