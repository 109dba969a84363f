import { strict as assert } from "node:assert";
import { test } from "node:test";
import { SqlError, oid } from "@tessera/base";
import {
  compareNodes, distributedTablePlacementNodes, planColocatedShards, planHashShards,
  planReferenceShard, planSingleShard, type PlacementNode,
} from "./placement.js";

function node(name: string, port: number, groupid: number,
  extra: Partial<PlacementNode> = {}): PlacementNode {
  return {
    nodename: name, nodeport: port, groupid, isactive: true, noderole: "primary",
    shouldhaveshards: true, ...extra,
  };
}

const coordinator = node("localhost", 5432, 0, { shouldhaveshards: false });
const workers = [
  node("localhost", 57638, 2), node("localhost", 57637, 1), node("10.0.0.9", 5432, 3),
];

test("nodes sort by name bytes, then port", () => {
  const sorted = [...workers].sort(compareNodes).map((n) => `${n.nodename}:${n.nodeport}`);
  assert.deepEqual(sorted, ["10.0.0.9:5432", "localhost:57637", "localhost:57638"]);
});

test("candidates are active primaries that should have shards", () => {
  const nodes = [coordinator, ...workers, node("z", 1, 7, { isactive: false }),
    node("y", 1, 8, { noderole: "secondary" })];
  assert.deepEqual(distributedTablePlacementNodes(nodes).map((n) => n.groupid), [3, 1, 2]);
});

test("shards go round-robin with consecutive ids from the sequences", () => {
  const plan = planHashShards({
    relationId: oid(16384), shardCount: 4, replicationFactor: 1, nodes: [coordinator, ...workers],
    nextShardId: 102008, nextPlacementId: 1,
  });
  assert.deepEqual(plan.shards.map((s) => s.shard.shardid), [102008, 102009, 102010, 102011]);
  assert.deepEqual(plan.shards.map((s) => s.placements.map((p) => p.groupid)),
    [[3], [1], [2], [3]]);
  assert.deepEqual(plan.shards.map((s) => s.placements[0]!.placementid), [1, 2, 3, 4]);
  assert.deepEqual(plan.shards.map((s) => [s.shard.shardminvalue, s.shard.shardmaxvalue]), [
    ["-2147483648", "-1073741825"], ["-1073741824", "-1"], ["0", "1073741823"],
    ["1073741824", "2147483647"],
  ]);
  assert.equal(plan.nextShardId, 102012);
  assert.equal(plan.nextPlacementId, 5);
  const placement = plan.shards[0]!.placements[0]!;
  assert.equal(placement.shardstate, 1);
  assert.equal(placement.shardlength, 0);
});

test("replication factor 2 puts shard i on nodes i and i+1", () => {
  const plan = planHashShards({
    relationId: oid(16384), shardCount: 3, replicationFactor: 2, nodes: workers,
    nextShardId: 7, nextPlacementId: 10,
  });
  assert.deepEqual(plan.shards.map((s) => s.placements.map((p) => p.groupid)),
    [[3, 1], [1, 2], [2, 3]]);
  assert.equal(plan.nextPlacementId, 16);
});

test("too few nodes are the user's error, with Citus's text", () => {
  assert.throws(() => planHashShards({
    relationId: oid(1), shardCount: 2, replicationFactor: 4, nodes: workers, nextShardId: 1,
    nextPlacementId: 1,
  }), (error: unknown) => error instanceof SqlError && error.code === "22023" &&
    error.message === "replication_factor (4) exceeds number of worker nodes (3)" &&
    error.hint === "Add more worker nodes or try again with a lower replication factor.");
  assert.throws(() => planHashShards({
    relationId: oid(1), shardCount: 2, replicationFactor: 1, nodes: [coordinator],
    nextShardId: 1, nextPlacementId: 1,
  }), (error: unknown) => error instanceof SqlError &&
    error.message === "no worker nodes are available for placing shards");
});

test("a reference table has one shard placed on every active primary", () => {
  const plan = planReferenceShard({
    relationId: oid(2), nodes: [coordinator, ...workers], nextShardId: 102040, nextPlacementId: 5,
  });
  assert.equal(plan.shards.length, 1);
  const shard = plan.shards[0]!;
  assert.equal(shard.shard.shardminvalue, null);
  assert.equal(shard.shard.shardmaxvalue, null);
  assert.deepEqual(shard.placements.map((p) => p.groupid), [3, 0, 1, 2]);
  assert.deepEqual(shard.placements.map((p) => p.placementid), [5, 6, 7, 8]);
});

test("a single-shard table goes to node colocationid mod n", () => {
  const options = { relationId: oid(3), nodes: workers, nextShardId: 1, nextPlacementId: 1 };
  assert.deepEqual(planSingleShard({ ...options, colocationId: 4 }).shards[0]!.placements
    .map((p) => p.groupid), [1]);
  assert.deepEqual(planSingleShard({ ...options, colocationId: 6 }).shards[0]!.placements
    .map((p) => p.groupid), [3]);
});

test("a colocated table copies ranges and placement groups, with fresh ids", () => {
  const source = planHashShards({
    relationId: oid(10), shardCount: 3, replicationFactor: 2, nodes: workers, nextShardId: 100,
    nextPlacementId: 1,
  });
  const plan = planColocatedShards({
    relationId: oid(11), source: source.shards, nextShardId: 200, nextPlacementId: 50,
  });
  assert.deepEqual(plan.shards.map((s) => s.shard.shardid), [200, 201, 202]);
  plan.shards.forEach((shard, index) => {
    const peer = source.shards[index]!;
    assert.equal(shard.shard.logicalrelid, 11);
    assert.equal(shard.shard.shardminvalue, peer.shard.shardminvalue);
    assert.equal(shard.shard.shardmaxvalue, peer.shard.shardmaxvalue);
    assert.deepEqual(shard.placements.map((p) => p.groupid), peer.placements.map((p) => p.groupid));
  });
  assert.equal(plan.nextPlacementId, 56);
});
