/**
 * pg_settings metadata of the Citus settings Tessera knows (`settings.ts`'s citus.*): type,
 * unit, range, enum values, context and description as Citus defines them
 * (shared_library_init.c). Citus registers them as custom variables, so their category is
 * PostgreSQL's "Customized Options". Those Citus marks GUC_NO_SHOW_ALL are `hidden`: SHOW
 * ALL and pg_settings leave them out, as PostgreSQL does.
 */
import type { SettingCatalogEntry } from "./setting-catalog.js";

type Spec = [vartype: string, desc: string,
  range?: [string, string] | readonly string[] | undefined, unit?: string | undefined,
  context?: string | undefined];

const intMax = "2147483647";
const logLevels = ["off", "debug5", "debug4", "debug3", "debug2", "debug1", "log", "notice",
  "warning", "error"];

const specs: Record<string, Spec> = {
  version: ["string", "Shows the Citus library version", undefined, undefined, "internal"],
  shard_count: ["integer", "Sets the number of shards for a new hash-partitioned table " +
    "created with create_distributed_table().", ["1", "64000"]],
  shard_replication_factor: ["integer", "Sets the replication factor for shards.",
    ["1", "100"]],
  next_shard_id: ["integer", "Set the next shard ID to use in shard creation.", ["0", intMax]],
  next_placement_id: ["integer", "Set the next placement ID to use in placement creation.",
    ["0", intMax]],
  max_adaptive_executor_pool_size: ["integer", "Sets the maximum number of connections per " +
    "worker node used for the distributed execution", ["1", intMax]],
  explain_all_tasks: ["bool", "Enables showing output for all tasks in Explain."],
  log_remote_commands: ["bool", "Log queries sent to other nodes in the server log"],
  enable_fast_path_router_planner: ["bool", "Enables fast path router planner"],
  enable_repartition_joins: ["bool", "Allows Citus to repartition data between nodes."],
  enable_schema_based_sharding: ["bool", "Enables schema based sharding."],
  enable_ddl_propagation: ["bool", "Enables propagating DDL statements to worker shards"],
  enable_unsafe_triggers: ["bool", "Enables arbitrary triggers on distributed tables which " +
    "may cause visibility and deadlock issues. Use at your own risk."],
  local_table_join_policy: ["enum", "defines the behaviour when a distributed table is " +
    "joined with a local table", ["never", "prefer-local", "prefer-distributed", "auto"]],
  explain_distributed_queries: ["bool", "Enables Explain for distributed queries."],
  explain_analyze_sort_method: ["enum", "Sets the sorting method for EXPLAIN ANALYZE " +
    "queries.", ["execution-time", "taskId"]],
  enable_single_hash_repartition_joins: ["bool", "Enables single hash repartitioning " +
    "between hash distributed tables"],
  count_distinct_error_rate: ["real", "Desired error rate when calculating count(distinct) " +
    "approximates using the postgresql-hll extension. 0.0 disables approximations for " +
    "count(distinct); 1.0 provides no guarantees about the accuracy of results.", ["0", "1"]],
  coordinator_aggregation_strategy: ["enum", "Sets the strategy for when an aggregate " +
    "cannot be pushed down. 'row-gather' will pull up intermediate rows to the coordinator, " +
    "while 'disabled' will error if coordinator aggregation is necessary",
  ["disabled", "row-gather"]],
  limit_clause_row_fetch_count: ["integer", "Number of rows to fetch per task for limit " +
    "clause optimization.", ["-1", intMax]],
  task_assignment_policy: ["enum", "Sets the policy to use when assigning tasks to worker " +
    "nodes.", ["greedy", "round-robin", "first-replica"]],
  max_intermediate_result_size: ["integer", "Sets the maximum size of the intermediate " +
    "results in KB for CTEs and complex subqueries.", ["-1", intMax], "kB"],
  enable_local_execution: ["bool", "Enables queries on shards that are local to the current " +
    "node to be planned and executed locally."],
  enable_repartitioned_insert_select: ["bool", "Enables repartitioned INSERT/SELECTs"],
  enable_router_execution: ["bool", "Enables router execution"],
  values_materialization_threshold: ["integer", "Sets the maximum number of rows allowed " +
    "for pushing down VALUES clause in multi-shard queries. If the number of rows exceeds " +
    "the threshold, the VALUES is materialized via pull-push execution. When set to -1, " +
    "materialization is disabled. When set to 0, all VALUES are materialized.",
  ["-1", intMax]],
  node_connection_timeout: ["integer", "Sets the maximum duration to connect to worker " +
    "nodes.", ["10", "3600000"], "ms"],
  max_shared_pool_size: ["integer", "Sets the maximum number of connections allowed per " +
    "worker node across all the backends from this node. Setting to -1 disables " +
    "connections throttling. Setting to 0 makes it auto-adjust, meaning equal to " +
    "max_connections on the coordinator.", ["-1", intMax], undefined, "sighup"],
  max_cached_conns_per_worker: ["integer", "Sets the maximum number of connections to cache " +
    "per worker.", ["0", intMax]],
  node_conninfo: ["string", "Sets parameters used for outbound connections.", undefined,
    undefined, "sighup"],
  use_secondary_nodes: ["enum", "Sets the policy to use when choosing nodes for SELECT " +
    "queries.", ["never", "always"], undefined, "superuser-backend"],
  cluster_name: ["string", "Which cluster this node is a part of", undefined, undefined,
    "superuser-backend"],
  local_hostname: ["string", "Sets the hostname when connecting back to itself.", undefined,
    undefined, "superuser"],
  select_opens_transaction_block: ["bool", "Open transaction blocks for SELECT commands"],
  force_max_query_parallelization: ["bool", "Open as many connections as possible to " +
    "maximize query parallelization"],
  enable_binary_protocol: ["bool", "Enables communication between nodes using binary " +
    "protocol when possible"],
  propagate_set_commands: ["enum", "Sets which SET commands are propagated to workers.",
    ["none", "local"]],
  enable_metadata_sync: ["bool", "Enables object and metadata syncing."],
  allow_nested_distributed_execution: ["bool", "Enables distributed execution within a " +
    "task of another distributed execution."],
  log_distributed_deadlock_detection: ["bool", "Log distributed deadlock detection related " +
    "processing in the server log"],
  multi_task_query_log_level: ["enum", "Sets the level of multi task query execution log " +
    "messages", logLevels],
  stat_statements_track: ["enum", "Enables/Disables the stats collection for " +
    "citus_stat_statements.", ["none", "all"]],
  enable_create_role_propagation: ["bool", "Enables propagating CREATE ROLE and DROP ROLE " +
    "statements to workers"],
  enable_alter_role_propagation: ["bool", "Enables propagating ALTER ROLE statements to " +
    "workers (excluding ALTER ROLE SET)"],
  enable_local_reference_table_foreign_keys: ["bool", "Enables foreign keys from/to local " +
    "tables"],
  enable_unique_job_ids: ["bool", "Enables unique job IDs by prepending the local process " +
    "ID and group ID. This should usually be enabled, but can be disabled for repeatable " +
    "output in regression tests."],
  skip_constraint_validation: ["bool", "Skip validation of constraints"],
  enable_non_colocated_router_query_pushdown: ["bool", "Enables router planner for the " +
    "queries that reference non-colocated distributed tables."],
  recover_2pc_interval: ["integer", "Sets the time to wait between recovering 2PCs.",
    ["-1", intMax], "ms", "sighup"],
  distributed_deadlock_detection_factor: ["real", "Sets the time to wait before checking " +
    "for distributed deadlocks. Postgres' deadlock_timeout setting is multiplied with the " +
    "value. If the value is set to -1, distributed deadlock detection is disabled.",
  ["-1", "1000"], undefined, "sighup"],
  multi_shard_modify_mode: ["enum", "Sets the connection type for multi shard modify " +
    "queries", ["parallel", "sequential"]],
};

/** The Citus settings Citus hides from SHOW ALL and pg_settings (GUC_NO_SHOW_ALL). */
export const hiddenCitusSettings: ReadonlySet<string> = new Set(["citus.next_shard_id",
  "citus.next_placement_id"]);

function toEntry(key: string, [vartype, shortDesc, range, unit, context]: Spec):
  SettingCatalogEntry {
  const isEnum = vartype === "enum";
  return { name: `citus.${key}`, unit: unit ?? null, category: "Customized Options",
    shortDesc, extraDesc: null, context: context ?? "user", vartype,
    minVal: !isEnum && range !== undefined ? range[0]! : null,
    maxVal: !isEnum && range !== undefined ? range[1]! : null,
    enumvals: isEnum && range !== undefined ? range : null };
}

/** Citus's settings, by name. */
export const citusSettingCatalog: ReadonlyMap<string, SettingCatalogEntry> = new Map(
  Object.entries(specs).map(([key, spec]) => [`citus.${key}`, toEntry(key, spec)]));
