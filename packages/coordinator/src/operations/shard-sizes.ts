/**
 * Shard sizes for citus_shards.shard_size, citus_tables.table_size and the citus_*_size
 * functions. Citus asks every node for `pg_total_relation_size` of each of its placements
 * (`citus_shard_sizes()`); so do we, with one query per node, before the statement runs.
 *
 * The catalog views are computed synchronously when a scan starts, so the distributed engine
 * calls `prefetchShardSizes` first (only for statements that read them) and the rows read the
 * sizes stored for that statement, keyed by its abort signal. A statement that was not
 * prefetched sees NULL sizes, as before.
 */
import { SqlError, SqlState, oid } from "@tessera/base";
import type { StatementContext } from "@tessera/engine";
import { TypeOid, type FunctionDef, type Value, type ast } from "@tessera/sql";
import { nodeOfGroup, type Cluster } from "../cluster.js";
import type { CitusTable } from "../metadata/metadata-cache.js";
import { tableShardName } from "../metadata/naming.js";
import { functionName } from "../planner/raw.js";
import { someNode } from "../planner/tree-walk.js";

/** Sizes of one statement: bytes by `shardid/groupid`. */
const prefetched = new WeakMap<AbortSignal, Map<string, bigint>>();

const relations = new Set(["citus_shards", "citus_tables", "citus_schemas"]);
const functions = new Set(["citus_table_size", "citus_total_relation_size",
  "citus_relation_size"]);
/** Read like the views: one row per placement. */
const shardSizesFunction = "citus_shard_sizes";
/** Plans by_disk_size rebalances from the sizes (operations/rebalancer.ts). */
const rebalancePlanFunction = "get_rebalance_table_shards_plan";

/** Tells whether a statement reads shard sizes. */
export function readsShardSizes(stmt: ast.Node): boolean {
  return someNode(stmt, (record) => {
    const rangeVar = record["RangeVar"] as ast.RangeVar | undefined;
    const call = record["FuncCall"] as ast.FuncCall | undefined;
    return (rangeVar !== undefined && relations.has(rangeVar.relname ?? ""))
      || (call !== undefined && (functions.has(functionName(call) ?? "")
        || functionName(call) === shardSizesFunction
        || functionName(call) === rebalancePlanFunction));
  });
}

/** Asks every node for the sizes of its placements and keeps them for the statement. */
export async function prefetchShardSizes(cluster: Cluster, ctx: StatementContext):
  Promise<void> {
  const byGroup = new Map<number, { key: string; name: string }[]>();
  for (const table of cluster.metadata.cache.tables()) {
    for (const shard of table.shards) {
      const name = tableShardName(table, shard.row.shardid);
      for (const placement of shard.placements) {
        const list = byGroup.get(placement.groupid) ?? [];
        list.push({ key: sizeKey(shard.row.shardid, placement.groupid), name });
        byGroup.set(placement.groupid, list);
      }
    }
  }
  const sizes = new Map<string, bigint>();
  await Promise.all([...byGroup].map(async ([groupid, placements]) => {
    const values = placements.map((p) => `('${p.name.replace(/'/g, "''")}')`).join(", ");
    const sql = "SELECT pg_catalog.pg_total_relation_size(n::regclass) FROM (VALUES " +
      `${values}) v(n)`;
    const result = await cluster.pools.run(nodeOfGroup(cluster, groupid), sql, [], ctx.signal);
    result.rows.forEach((row, i) => {
      const text = row[0];
      if (text !== null && text !== undefined) sizes.set(placements[i]!.key, BigInt(text));
    });
  }));
  prefetched.set(ctx.signal, sizes);
}

/** The size of one placement for the statement, or null when it was not prefetched. */
export function placementSize(ctx: Pick<StatementContext, "signal">, shardId: number,
  groupid: number): bigint | null {
  return prefetched.get(ctx.signal)?.get(sizeKey(shardId, groupid)) ?? null;
}

/** The sum over every shard and placement of a table, as citus_tables.table_size adds. */
export function tableSize(ctx: Pick<StatementContext, "signal">, table: CitusTable,
  firstPlacementOnly: boolean): bigint | null {
  if (!prefetched.has(ctx.signal)) return null;
  let total = 0n;
  for (const shard of table.shards) {
    const placements = firstPlacementOnly ? shard.placements.slice(0, 1) : shard.placements;
    for (const p of placements) total += placementSize(ctx, shard.row.shardid, p.groupid) ?? 0n;
  }
  return total;
}

/** citus_table_size, citus_total_relation_size, citus_relation_size (one placement each). */
export function sizeFunctions(cluster: Cluster): FunctionDef[] {
  return [...functions].map((name): FunctionDef => ({
    kind: "scalar", name, volatility: "v", strict: true, argTypes: [TypeOid.regclass],
    argNames: ["logicalrelid"], returnType: TypeOid.int8,
    impl: (args, ctx): Value => {
      const table = cluster.metadata.cache.table(oid(Number(args[0])));
      if (table === undefined) {
        throw new SqlError(SqlState.invalidTableDefinition, "cannot calculate the size " +
          "because relation is not distributed");
      }
      const size = tableSize(ctx, table, true);
      if (size === null) {
        throw new SqlError(SqlState.featureNotSupported,
          `${name}() is supported only when called directly from a query`);
      }
      return size;
    },
  }));
}

/** citus_shard_sizes(): shard_id and size of every placement, from the prefetched sizes. */
export function shardSizesFunctionDef(cluster: Cluster): FunctionDef {
  return {
    kind: "srf", name: shardSizesFunction, volatility: "v", strict: false, argTypes: [],
    returnType: TypeOid.record,
    outColumns: [{ name: "shard_id", type: TypeOid.int4 }, { name: "size", type: TypeOid.int8 }],
    impl: (_args, ctx): Value[][] => {
      if (!prefetched.has(ctx.signal)) {
        throw new SqlError(SqlState.featureNotSupported,
          `${shardSizesFunction}() is supported only when called directly from a query`);
      }
      const rows: Value[][] = [];
      for (const table of cluster.metadata.cache.tables()) {
        for (const shard of table.shards) {
          for (const p of shard.placements) {
            rows.push([shard.row.shardid, placementSize(ctx, shard.row.shardid, p.groupid)]);
          }
        }
      }
      return rows;
    },
  };
}

function sizeKey(shardId: number, groupid: number): string {
  return `${shardId}/${groupid}`;
}
