import { strict as assert } from "node:assert";
import { test } from "node:test";
import { oid } from "@tessera/base";
import { formatPartitionKey, type DistColocationRow } from "../metadata/catalog-model.js";
import { MetadataCache, type CitusTableInput } from "../metadata/metadata-cache.js";
import type { DistNode } from "../metadata/node-registry.js";
import { planColocatedShards, planHashShards } from "../metadata/placement.js";
import {
  planRebalance, type PlanHooks, type PlannedMove, type RebalanceOptions,
} from "./rebalancer.js";

function node(nodeid: number, extra: Partial<DistNode> = {}): DistNode {
  return { nodeid, groupid: nodeid, nodename: "localhost", nodeport: 9700 + nodeid,
    noderack: "default", hasmetadata: true, isactive: true, noderole: "primary",
    nodecluster: "default", metadatasynced: true, shouldhaveshards: true, nodeisclone: false,
    nodeprimarynodeid: 0, ...extra };
}

function hashTable(relid: number, name: string): CitusTableInput {
  const key = { attnum: 1, typeOid: oid(23), typmod: -1, collationOid: oid(0) };
  return {
    partition: { logicalrelid: oid(relid), partmethod: "h", partkey: formatPartitionKey(key),
      colocationid: 1, repmodel: "s", autoconverted: false },
    schemaName: "public", relationName: name,
    distributionColumn: { name: "id", attnum: 1, typeOid: oid(23), collationOid: oid(0) },
  };
}

/** Tables a (8 shards) and b (colocated) placed round-robin over `placedOn`. */
function cache(placedOn: readonly DistNode[]): MetadataCache {
  const a = planHashShards({ relationId: oid(16384), shardCount: 8, replicationFactor: 1,
    nodes: placedOn, nextShardId: 102008, nextPlacementId: 1 });
  const b = planColocatedShards({ relationId: oid(16390), source: a.shards,
    nextShardId: a.nextShardId, nextPlacementId: a.nextPlacementId });
  const group: DistColocationRow = { colocationid: 1, shardcount: 8, replicationfactor: 1,
    distributioncolumntype: oid(23), distributioncolumncollation: oid(0) };
  const shards = [...a.shards, ...b.shards];
  return MetadataCache.load({ tables: [hashTable(16384, "a"), hashTable(16390, "b")],
    shards: shards.map((s) => s.shard), placements: shards.flatMap((s) => s.placements),
    colocations: [group] });
}

const defaults: RebalanceOptions = { relationId: null, threshold: null,
  maxShardMoves: 1_000_000, excludedShards: [], drainOnly: false, strategy: "by_shard_count",
  improvementThreshold: null, replicationFactor: 1 };

interface Heard {
  readonly hooks: PlanHooks;
  readonly messages: string[];
}

function hooks(bytes: (shardId: number) => number = () => 0): Heard {
  const messages: string[] = [];
  return { messages, hooks: {
    warning: (message, detail) =>
      messages.push(`WARNING ${message}${detail === undefined ? "" : ` | ${detail}`}`),
    notice: (message) => messages.push(`NOTICE ${message}`),
    placementBytes: (shardId) => BigInt(bytes(shardId)),
  } };
}

const moves = (list: readonly PlannedMove[]): string[] =>
  list.map((m) => `${m.shardId}: ${m.source.nodeid} -> ${m.target.nodeid}`);

test("by_shard_count spreads 8 shard groups over a third node as 3/3/2", () => {
  const [n1, n2, n3] = [node(1), node(2), node(3)];
  const input = { cache: cache([n1, n2]), nodes: [n1, n2, n3] };
  const heard = hooks();
  const plan = planRebalance(input, defaults, heard.hooks);
  // The fullest node gives its lowest shard id first; only table a's shards are named.
  assert.deepEqual(moves(plan), ["102009: 2 -> 3", "102008: 1 -> 3"]);
  assert.deepEqual(heard.messages, []);
  const balanced = planRebalance({ cache: cache([n1, n2, n3]), nodes: [n1, n2, n3] },
    defaults, heard.hooks);
  assert.deepEqual(balanced, []);
});

test("max_shard_moves stops the plan with Citus's NOTICE; excluded shards stay", () => {
  const [n1, n2, n3] = [node(1), node(2), node(3)];
  const input = { cache: cache([n1, n2]), nodes: [n1, n2, n3] };
  const heard = hooks();
  assert.deepEqual(moves(planRebalance(input, { ...defaults, maxShardMoves: 1 }, heard.hooks)),
    ["102009: 2 -> 3"]);
  assert.deepEqual(heard.messages, ["NOTICE Stopped searching before we were out of moves. " +
    "Please rerun the rebalancer after it's finished for a more optimal placement."]);
  const excluded = planRebalance(input, { ...defaults, excludedShards: [102008, 102009] },
    hooks().hooks);
  assert.ok(excluded.every((m) => m.shardId !== 102008 && m.shardId !== 102009));
  assert.equal(excluded.length, 2);
});

test("a node that should have no shards is drained; drain_only does nothing else", () => {
  const [n1, n2] = [node(1), node(2)];
  const n3 = node(3, { shouldhaveshards: false });
  const input = { cache: cache([n1, n2, node(3)]), nodes: [n1, n2, n3] };
  const plan = planRebalance(input, { ...defaults, drainOnly: true }, hooks().hooks);
  assert.equal(plan.length, 2);
  assert.ok(plan.every((m) => m.source.nodeid === 3 && m.target.nodeid !== 3));
  assert.deepEqual(new Set(plan.map((m) => m.target.nodeid)), new Set([1, 2]));
});

test("by_disk_size: the threshold's minimum, and moves too small for their cost", () => {
  const [n1, n2] = [node(1), node(2)];
  // Shard group 0 is huge, so moving it helps little relative to its size.
  const size = (id: number): number => (id === 102008 || id === 102016 ? 4e9 : 1_000);
  const lopsided = { cache: cache([n1]), nodes: [n1, n2] };
  const heard = hooks(size);
  const plan = planRebalance(lopsided, { ...defaults, strategy: null, threshold: 0.001 },
    heard.hooks);
  assert.equal(heard.messages[0], "WARNING the given threshold is lower than the minimum " +
    "threshold allowed by the rebalance strategy, using the minimum allowed threshold instead" +
    " | Using threshold of 0.01");
  assert.ok(plan.length > 0);
  assert.ok(plan.every((m) => m.shardId !== 102008), moves(plan).join(", "));
  assert.ok(heard.messages.some((m) => m.startsWith("NOTICE Ignoring move of shard 102008 " +
    "from localhost:9701 to localhost:9702, because the move only brings a small " +
    "improvement relative to the shard its size")), heard.messages.join("\n"));
  assert.match(heard.messages.at(-1)!, /^NOTICE Ignored \d+ moves, all of which are shown/);
});
