/**
 * Citus's shard movement and splitting functions (`citus-surface.md` §3.1, §3.3, §3.4).
 * Moving and copying shards, the rebalancer and create_distributed_table_concurrently are
 * real (their definitions live beside the code that does the work); splitting shards is
 * not built yet, so those functions exist with Citus's signatures and fail with
 * feature_not_supported (0A000) naming the function and what it would need, instead of
 * "function does not exist".
 */
import { SqlError, SqlState } from "@tessera/base";
import { TypeOid, type FunctionDef } from "@tessera/sql";
import type { Cluster } from "../cluster.js";
import { distributeConcurrentlyFunction } from "./distribute-concurrently.js";
import { rebalancerFunctions } from "./rebalancer-functions.js";
import { transferFunctions } from "./shard-transfer-functions.js";

interface Refused {
  readonly name: string;
  readonly args: readonly (readonly [string, number])[];
  /** Trailing arguments with defaults. */
  readonly defaults: number;
  readonly returns: number;
  /** What the function would need that Tessera lacks. */
  readonly missing: string;
}

const splits = "splitting shards";

const { regclass, int8, text, textArray, int4Array, any, void: voidType } = TypeOid;

const refused: readonly Refused[] = [
  { name: "isolate_tenant_to_new_shard", args: [["table_name", regclass], ["tenant_id", any],
    ["cascade_option", text], ["shard_transfer_mode", text]], defaults: 2, returns: int8,
  missing: splits },
  { name: "citus_split_shard_by_split_points", args: [["shard_id", int8],
    ["split_points", textArray], ["node_ids", int4Array], ["shard_transfer_mode", text]],
  defaults: 1, returns: voidType, missing: splits },
];

/**
 * The shard movement functions for the coordinator's function catalog: the transfers and
 * the rebalancer (`shard-transfer-functions.ts`, `rebalancer-functions.ts`),
 * create_distributed_table_concurrently, and the refusing ones.
 */
export function shardMovementFunctions(cluster: Cluster): FunctionDef[] {
  return [...transferFunctions(cluster), ...rebalancerFunctions(cluster),
    distributeConcurrentlyFunction(cluster), ...refusedFunctions()];
}

function refusedFunctions(): FunctionDef[] {
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
    return { kind: "scalar", ...signature, impl: fail };
  });
}
