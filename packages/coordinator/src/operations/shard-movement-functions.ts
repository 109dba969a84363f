/**
 * Citus's shard movement, splitting and table-conversion functions (`citus-surface.md`
 * §2.x, §3.3, §3.4), with their signatures: Tessera does not move, copy or split shards
 * between nodes yet, so each call fails with feature_not_supported (0A000) naming the
 * function and what it would need, instead of "function does not exist". An application
 * written for Citus then sees a clear refusal at the call.
 */
import { SqlError, SqlState } from "@tessera/base";
import { TypeOid, type FunctionDef, type OutColumn } from "@tessera/sql";

interface Refused {
  readonly name: string;
  readonly args: readonly (readonly [string, number])[];
  /** Trailing arguments with defaults. */
  readonly defaults: number;
  readonly returns: number;
  readonly outColumns?: readonly OutColumn[];
  /** What the function would need that Tessera lacks. */
  readonly missing: string;
}

const moves = "moving shard placements between nodes";
const splits = "splitting shards";
const rebuilds = "rebuilding a distributed table";

const {
  regclass, float4, int4, int8, int8Array, text, textArray, int4Array, bool, name, any,
  record, void: voidType, timestamptz, jsonb,
} = TypeOid;

const rebalanceArgs: readonly (readonly [string, number])[] = [
  ["relation", regclass], ["threshold", float4], ["max_shard_moves", int4],
  ["excluded_shard_list", int8Array], ["shard_transfer_mode", text], ["drain_only", bool],
  ["rebalance_strategy", name],
];

const refused: readonly Refused[] = [
  { name: "rebalance_table_shards", args: rebalanceArgs, defaults: 7, returns: voidType,
    missing: moves },
  { name: "get_rebalance_table_shards_plan", args: [
    ...rebalanceArgs.filter(([arg]) => arg !== "shard_transfer_mode"),
    ["improvement_threshold", float4]], defaults: 7, returns: record, outColumns: [
    { name: "table_name", type: regclass }, { name: "shardid", type: int8 },
    { name: "shard_size", type: int8 }, { name: "sourcename", type: text },
    { name: "sourceport", type: int4 }, { name: "targetname", type: text },
    { name: "targetport", type: int4 }], missing: moves },
  { name: "citus_rebalance_start", args: [["rebalance_strategy", name], ["drain_only", bool],
    ["shard_transfer_mode", text], ["parallel_transfer_reference_tables", bool],
    ["parallel_transfer_colocated_shards", bool]], defaults: 5, returns: int8, missing: moves },
  { name: "citus_rebalance_status", args: [["raw", bool]], defaults: 1, returns: record,
    outColumns: [{ name: "job_id", type: int8 }, { name: "state", type: text },
      { name: "job_type", type: name }, { name: "description", type: text },
      { name: "started_at", type: timestamptz }, { name: "finished_at", type: timestamptz },
      { name: "details", type: jsonb }], missing: moves },
  { name: "citus_rebalance_wait", args: [], defaults: 0, returns: voidType, missing: moves },
  { name: "citus_rebalance_stop", args: [], defaults: 0, returns: voidType, missing: moves },
  ...["citus_move_shard_placement", "citus_copy_shard_placement", "master_move_shard_placement",
    "master_copy_shard_placement"].map((fn): Refused => ({ name: fn, args: [
    ["shard_id", int8], ["source_node_name", text], ["source_node_port", int4],
    ["target_node_name", text], ["target_node_port", int4], ["shard_transfer_mode", text]],
  defaults: 1, returns: voidType, missing: moves })),
  ...["citus_move_shard_placement", "citus_copy_shard_placement"].map((fn): Refused => ({
    name: fn, args: [["shard_id", int8], ["source_node_id", int4], ["target_node_id", int4],
      ["shard_transfer_mode", text]], defaults: 1, returns: voidType, missing: moves })),
  ...["citus_drain_node", "master_drain_node"].map((fn): Refused => ({ name: fn, args: [
    ["nodename", text], ["nodeport", int4], ["shard_transfer_mode", text],
    ["rebalance_strategy", name]], defaults: 2, returns: voidType, missing: moves })),
  { name: "replicate_reference_tables", args: [["shard_transfer_mode", text]], defaults: 1,
    returns: voidType, missing: "copying reference table placements to new nodes" },
  { name: "isolate_tenant_to_new_shard", args: [["table_name", regclass], ["tenant_id", any],
    ["cascade_option", text], ["shard_transfer_mode", text]], defaults: 2, returns: int8,
  missing: splits },
  { name: "citus_split_shard_by_split_points", args: [["shard_id", int8],
    ["split_points", textArray], ["node_ids", int4Array], ["shard_transfer_mode", text]],
  defaults: 1, returns: voidType, missing: splits },
  { name: "alter_distributed_table", args: [["table_name", regclass],
    ["distribution_column", text], ["shard_count", int4], ["colocate_with", text],
    ["cascade_to_colocated", bool]], defaults: 4, returns: voidType, missing: rebuilds },
  { name: "update_distributed_table_colocation", args: [["table_name", regclass],
    ["colocate_with", text]], defaults: 0, returns: voidType,
  missing: "changing a table's colocation group" },
  { name: "create_distributed_table_concurrently", args: [["table_name", regclass],
    ["distribution_column", text], ["distribution_type", text], ["colocate_with", text],
    ["shard_count", int4]], defaults: 3, returns: voidType,
  missing: "distributing a table without blocking writes (use create_distributed_table)" },
];

/** The refusing definitions, for the coordinator's function catalog. */
export function shardMovementFunctions(): FunctionDef[] {
  return refused.map((fn): FunctionDef => {
    const fail = (): never => {
      throw new SqlError(SqlState.featureNotSupported,
        `${fn.name}() is not supported by Tessera yet: it needs ${fn.missing}`);
    };
    const signature = {
      name: fn.name, volatility: "v" as const, strict: false,
      argTypes: fn.args.map(([, type]) => type), argNames: fn.args.map(([arg]) => arg),
      defaultCount: fn.defaults, returnType: fn.returns,
      // The calls fail either way; the defaults only let named notation skip a parameter.
      defaults: new Array<null>(fn.defaults).fill(null),
    };
    return fn.outColumns === undefined
      ? { kind: "scalar", ...signature, impl: fail }
      : { kind: "srf", ...signature, outColumns: fn.outColumns, impl: fail };
  });
}
