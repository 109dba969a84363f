/**
 * Citus's shard movement and splitting functions (`citus-surface.md` §3.1, §3.3, §3.4):
 * moving and copying shards, the rebalancer, create_distributed_table_concurrently and shard
 * splits. Their definitions live beside the code that does the work.
 */
import type { FunctionDef } from "@tessera/sql";
import type { Cluster } from "../cluster.js";
import { distributeConcurrentlyFunction } from "./distribute-concurrently.js";
import { rebalancerFunctions } from "./rebalancer-functions.js";
import { shardSplitFunctions } from "./shard-split-functions.js";
import { transferFunctions } from "./shard-transfer-functions.js";

/**
 * The shard movement functions for the coordinator's function catalog: the transfers and
 * the rebalancer (`shard-transfer-functions.ts`, `rebalancer-functions.ts`),
 * create_distributed_table_concurrently, and the splits (`shard-split-functions.ts`).
 */
export function shardMovementFunctions(cluster: Cluster): FunctionDef[] {
  return [...transferFunctions(cluster), ...rebalancerFunctions(cluster),
    distributeConcurrentlyFunction(cluster), ...shardSplitFunctions(cluster)];
}
