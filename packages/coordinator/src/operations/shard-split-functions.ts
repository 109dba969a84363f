/**
 * The SQL functions over `shard-split.ts`, with Citus's signatures (STRICT; the transfer mode
 * is text here, checked against citus.shard_transfer_mode's labels):
 *
 * - citus_split_shard_by_split_points(shard_id, split_points text[], node_ids int[], mode):
 *   the split points are int32 hash values as text, each the inclusive upper bound of a child;
 * - isolate_tenant_to_new_shard(table_name, tenant_id "any", cascade_option, mode): the
 *   tenant's shard is cut into up to three children `[min,h-1] [h,h] [h+1,max]` on its node
 *   (`D:operations/isolate_shards.c`); returns the id of the child that holds the tenant.
 */
import { SqlError, SqlState, oid, shardId as toShardId } from "@tessera/base";
import type { StatementContext } from "@tessera/engine";
import {
  TypeOid, defaultFormatContext, typeOf, type FunctionDef, type Value,
} from "@tessera/sql";
import type { Cluster } from "../cluster.js";
import { valueText } from "../executor/tasks.js";
import { hashValue } from "../metadata/hash.js";
import { quoteIdentifier } from "../metadata/naming.js";
import { shardIndexForHash } from "../metadata/shard-ranges.js";
import { splitShard } from "./shard-split.js";
import { refuseInBlock, withDefaults } from "./shard-transfer-functions.js";
import { transferMode } from "./shard-transfer.js";
import { contextOf } from "./statement-contexts.js";

const { regclass, int8, text, textArray, int4Array, any, void: voidType } = TypeOid;

const mustAwait = (): Value => {
  throw new SqlError(SqlState.internalError, "this function must be awaited");
};

/** Returns citus_split_shard_by_split_points and isolate_tenant_to_new_shard. */
export function shardSplitFunctions(cluster: Cluster): FunctionDef[] {
  const splitDefaults: Value[] = ["auto"];
  const isolateDefaults: Value[] = ["", "auto"];
  return [{
    kind: "scalar", name: "citus_split_shard_by_split_points", volatility: "v", strict: true,
    argTypes: [int8, textArray, int4Array, text],
    argNames: ["shard_id", "split_points", "node_ids", "shard_transfer_mode"],
    defaultCount: 1, defaults: splitDefaults, returnType: voidType, impl: mustAwait,
    implAsync: async (values, evalCtx) => {
      const ctx = contextOf(evalCtx);
      const args = withDefaults(values, 4, splitDefaults);
      await splitShard(cluster, { operation: "split", shardId: Number(args[0]),
        splitPoints: arrayItems(args[1] ?? null).map(int32Input),
        nodeIds: arrayItems(args[2] ?? null).map((v) => (v === null ? 0 : Number(v))),
        mode: transferMode(args[3]) }, outsideBlock(ctx, "citus_split_shard_by_split_points"));
      return null;
    },
  }, {
    kind: "scalar", name: "isolate_tenant_to_new_shard", volatility: "v", strict: true,
    argTypes: [regclass, any, text, text],
    argNames: ["table_name", "tenant_id", "cascade_option", "shard_transfer_mode"],
    defaultCount: 2, defaults: isolateDefaults, returnType: int8, impl: mustAwait,
    implAsync: async (values, evalCtx, call) => {
      const ctx = contextOf(evalCtx);
      const args = withDefaults(values, 4, isolateDefaults);
      const type = call.argTypes[1] ?? text;
      const tenant = valueText(args[1] ?? null, type === TypeOid.unknown ? text : type) ?? "";
      return BigInt(await isolateTenant(cluster, Number(args[0]), tenant,
        String(args[2]), transferMode(args[3]), outsideBlock(ctx, "isolate_tenant_to_new_shard")));
    },
  }];
}

/**
 * Refuses a split inside a transaction block (its metadata change cannot be undone with the
 * block); the extended protocol's implicit transaction is left to commit on its own, as the
 * split commits in a transaction of its own (as Citus's blocking split does).
 */
function outsideBlock(ctx: StatementContext, name: string): StatementContext {
  if (ctx.transaction?.isTransactionBlock !== false) {
    refuseInBlock(ctx, name);
    return ctx;
  }
  const { transaction: _implicit, ...rest } = ctx;
  return rest;
}

/** The items of a one-dimensional array argument. */
function arrayItems(value: Value): readonly Value[] {
  if (value !== null && typeof value === "object" && "kind" in value && value.kind === "array") {
    return value.items;
  }
  throw new SqlError(SqlState.internalError, "an array argument is an array");
}

/** `pg_strtoint32` of a split point's text. */
function int32Input(value: Value): number {
  const text = String(value).trim();
  if (!/^[+-]?\d+$/.test(text)) {
    throw new SqlError(SqlState.invalidTextRepresentation,
      `invalid input syntax for type integer: "${String(value)}"`);
  }
  const number = Number(text);
  if (number < -2_147_483_648 || number > 2_147_483_647) {
    throw new SqlError(SqlState.numericValueOutOfRange,
      `value "${String(value)}" is out of range for type integer`);
  }
  return number;
}

/** `isolate_tenant_to_new_shard`: the checks, the split points, the split. */
async function isolateTenant(cluster: Cluster, relationId: number, tenant: string,
  cascade: string, mode: ReturnType<typeof transferMode>, ctx: StatementContext):
  Promise<number> {
  const table = cluster.metadata.cache.table(oid(relationId));
  if (table === undefined) {
    throw new SqlError(SqlState.internalError, `relation ${relationId} is not distributed`);
  }
  const column = table.distributionColumn;
  if (table.kind !== "hash" || column === null) {
    throw new SqlError(SqlState.featureNotSupported, "cannot isolate tenant because tenant " +
      "isolation is only support for hash distributed tables");
  }
  const name = table.relationName;
  const colocated = cluster.metadata.cache
    .tablesInColocationGroup(table.partition.colocationid).length;
  if (cascade.toUpperCase() !== "CASCADE" && colocated > 1) {
    throw new SqlError(SqlState.featureNotSupported,
      `cannot isolate tenant because "${name}" has colocated tables`, {
        hint: "Use CASCADE option to isolate tenants for the colocated tables too. Example " +
          `usage: isolate_tenant_to_new_shard('${name}', '${tenant}', 'CASCADE')` });
  }
  const typed = typeOf(column.typeOid).input(tenant, -1, defaultFormatContext);
  const hash = hashValue(typed, column.typeOid);
  const shard = table.shards[shardIndexForHash(table.ranges, hash)]!;
  const { min, max } = shard.range!;
  if (min === max) {
    throw new SqlError(SqlState.objectNotInPrerequisiteState,
      `table ${quoteIdentifier(name)} has already been isolated for the given value`);
  }
  if (shard.placements.length > 1) {
    throw new SqlError(SqlState.featureNotSupported,
      "cannot isolate tenants when using shard replication");
  }
  const points = hash === min ? [hash] : hash === max ? [hash - 1] : [hash - 1, hash];
  const node = cluster.registry.list().find((n) => n.groupid === shard.placements[0]!.groupid
    && n.noderole === "primary");
  if (node === undefined) {
    throw new SqlError(SqlState.internalError,
      `could not find the primary node of placement group ${shard.placements[0]!.groupid}`);
  }
  const children = await splitShard(cluster, { operation: "isolate",
    shardId: shard.row.shardid, splitPoints: points,
    nodeIds: points.concat(0).map(() => node.nodeid), mode }, ctx);
  const holder = children.find((c) => Number(c.shardminvalue) <= hash &&
    hash <= Number(c.shardmaxvalue));
  const known = holder !== undefined
    && cluster.metadata.cache.shard(toShardId(holder.shardid)) !== undefined;
  if (!known || holder === undefined) {
    throw new SqlError(SqlState.internalError, "tenant does not have a shard");
  }
  return holder.shardid;
}
