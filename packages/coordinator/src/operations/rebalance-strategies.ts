/**
 * Citus's rebalance strategies and the catalog that lists them, `pg_dist_rebalance_strategy`
 * (`citus-surface.md` §1.6): the two rows Citus seeds, by_shard_count (every shard costs 1,
 * threshold 0) and by_disk_size (the default since Citus 12: a shard costs its bytes,
 * threshold 0.1, minimum 0.01, improvement_threshold 0.5). Tessera keeps them fixed: user
 * strategies (citus_add_rebalance_strategy) are not supported, so the catalog is read-only.
 */
import { SqlError, SqlState } from "@tessera/base";
import { addSystemRelation, type Engine } from "@tessera/engine";
import { TypeOid, type Row } from "@tessera/sql";

export interface RebalanceStrategy {
  readonly name: string;
  readonly defaultStrategy: boolean;
  readonly shardCost: "count" | "disk-size";
  readonly shardCostFunction: string;
  readonly defaultThreshold: number;
  readonly minimumThreshold: number;
  readonly improvementThreshold: number;
}

const strategies: readonly RebalanceStrategy[] = [
  { name: "by_shard_count", defaultStrategy: false, shardCost: "count",
    shardCostFunction: "citus_shard_cost_1", defaultThreshold: 0, minimumThreshold: 0,
    improvementThreshold: 0 },
  { name: "by_disk_size", defaultStrategy: true, shardCost: "disk-size",
    shardCostFunction: "citus_shard_cost_by_disk_size", defaultThreshold: 0.1,
    minimumThreshold: 0.01, improvementThreshold: 0.5 },
];

/** The strategy of that name, or the default one for null (`GetRebalanceStrategy`). */
export function findStrategy(name: string | null): RebalanceStrategy {
  const found = strategies.find((s) => (name === null ? s.defaultStrategy : s.name === name));
  if (found !== undefined) return found;
  if (name === null) {
    throw new SqlError(SqlState.internalError,
      "no rebalance_strategy was provided, but there is also no default strategy set");
  }
  throw new SqlError(SqlState.internalError,
    `could not find rebalance strategy with name ${name}`);
}

export const pgDistRebalanceStrategyOid = 15_020;

/** Adds pg_catalog.pg_dist_rebalance_strategy to the coordinator's catalog. */
export function addRebalanceStrategyCatalog(engine: Engine): void {
  const T = TypeOid;
  addSystemRelation(engine.catalog, {
    oid: pgDistRebalanceStrategyOid, schema: "pg_catalog", name: "pg_dist_rebalance_strategy",
    columns: [["name", T.name], ["default_strategy", T.bool], ["shard_cost_function", T.text],
      ["node_capacity_function", T.text], ["shard_allowed_on_node_function", T.text],
      ["default_threshold", T.float4], ["minimum_threshold", T.float4],
      ["improvement_threshold", T.float4]],
    rows: () => strategies.map((s): Row => [s.name, s.defaultStrategy, s.shardCostFunction,
      "citus_node_capacity_1", "citus_shard_allowed_on_node_true", s.defaultThreshold,
      s.minimumThreshold, s.improvementThreshold]),
  });
}
