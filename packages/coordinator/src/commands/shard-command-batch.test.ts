import { strict as assert } from "node:assert";
import { test } from "node:test";
import { limits } from "@tessera/base";
import type { PlacementAddress } from "../cluster.js";
import { batchesPerNode, type ShardCommand } from "./shard-command-batch.js";

const w1: PlacementAddress = { host: "127.0.0.1", port: 9701, groupid: 1 };
const w2: PlacementAddress = { host: "127.0.0.1", port: 9702, groupid: 2 };

function command(node: PlacementAddress, shardId: number, sql?: string): ShardCommand {
  return { node, shardId, sql: sql ?? `ALTER TABLE public.t_${shardId} ADD COLUMN x int` };
}

test("commands are grouped by node, in order, with every shard id", () => {
  const commands = [command(w1, 1), command(w2, 2), command(w1, 3), command(w2, 4),
    command(w1, 3, "CREATE INDEX i_3 ON public.t_3 (x)")];
  const batches = batchesPerNode(commands);
  assert.equal(batches.length, 2);
  const [first, second] = batches;
  assert.deepEqual(first!.statements, [commands[0]!.sql, commands[2]!.sql, commands[4]!.sql]);
  assert.equal(first!.task.sql, first!.statements.join("; "));
  assert.deepEqual(first!.task.node, w1);
  assert.deepEqual((first!.task as { shardIds?: number[] }).shardIds, [1, 3]);
  assert.deepEqual(second!.statements, [commands[1]!.sql, commands[3]!.sql]);
  assert.deepEqual(second!.task.node, w2);
});

test("a node's run is cut before it passes the message size limit", () => {
  const long = "x".repeat(Math.floor(limits.shardCommandBatchBytesMax / 3));
  const commands = [1, 2, 3, 4, 5].map((id) =>
    command(w1, id, `COMMENT ON TABLE public.t_${id} IS '${long}'`));
  const batches = batchesPerNode(commands);
  assert.ok(batches.length >= 2, `${batches.length} batches`);
  for (const batch of batches) {
    assert.ok(Buffer.byteLength(batch.task.sql) <= limits.shardCommandBatchBytesMax);
  }
  assert.deepEqual(batches.flatMap((b) => b.statements), commands.map((c) => c.sql));
});

test("commands without a shard (schemas) carry no shard id", () => {
  const batches = batchesPerNode([{ node: w1, shardId: null,
    sql: "CREATE SCHEMA IF NOT EXISTS s" }, command(w1, 7)]);
  assert.equal(batches.length, 1);
  assert.deepEqual((batches[0]!.task as { shardIds?: number[] }).shardIds, [7]);
});
