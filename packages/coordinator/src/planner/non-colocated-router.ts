/**
 * Router queries over distributed tables that are not colocated, as Citus plans them while
 * `citus.enable_non_colocated_router_query_pushdown` is on (off by default): when the WHERE
 * clause pins every distributed table to one shard and those shards have a placement on one
 * common node, the whole query runs there as one task, each table swapped for its own shard:
 *
 *     SELECT … FROM articles a, articles_single b WHERE a.author_id = 10
 *       AND a.author_id = b.author_id                 (a: 2 shards, b: 1 shard, not colocated)
 *  -> a: the shard of 10; b: its only shard, through a.author_id = b.author_id
 *  -> one task on a node holding both shards
 *
 * A table the WHERE clause does not pin by itself takes the values of a table it is joined
 * to on their distribution columns (same type), as PostgreSQL's equivalence classes give
 * Citus. Otherwise (several shards, no common node, parameters) the planner goes on as if
 * the setting were off.
 */
import { assert } from "@tessera/base";
import type { StatementContext } from "@tessera/engine";
import type { Value, ast } from "@tessera/sql";
import { citusFlag, shardNodes, type Cluster, type PlacementAddress } from "../cluster.js";
import type { CitusTable } from "../metadata/metadata-cache.js";
import { hashValue } from "../metadata/hash.js";
import { shardIndexForHash } from "../metadata/shard-ranges.js";
import type { Classification, TableRef } from "./classify.js";
import { rangeVarKey, type DistributedSelect } from "./distributed-select.js";
import { pruneShards } from "./prune.js";
import { columnNames } from "./raw.js";
import {
  checkColocatedJoin, distributionResolver, evaluateConstant, joinClauses, queryTables,
} from "./shard-groups.js";
import { shardQueryText } from "./shard-query.js";

const settingName = "citus.enable_non_colocated_router_query_pushdown";

/** Plans the router task of a non-colocated query, or returns undefined when there is none. */
export function planNonColocatedRouter(cluster: Cluster, select: ast.SelectStmt,
  classification: Classification, paramTypes: readonly number[], ctx: StatementContext):
  DistributedSelect | undefined {
  if (!citusFlag(ctx, settingName)) return undefined;
  const tables = queryTables(classification.citus);
  if (checkColocatedJoin(select, tables) === undefined) return undefined;
  if (JSON.stringify(select).includes("\"ParamRef\"")) return undefined;
  const shards = pinnedShards(select, tables.distributed);
  if (shards === undefined) return undefined;
  const node = commonNode(cluster, [...shards.values(),
    ...tables.reference.map((ref) => ref.citus!.shards[0]!)]);
  if (node === undefined) return undefined;
  const local = cluster.local.prepare({ SelectStmt: select }, paramTypes, ctx);
  assert(local.columns !== null, "a SELECT has result columns");
  const sql = shardQueryText({ SelectStmt: select }, {
    resolveRelation: (rangeVar) => {
      const ref = classification.citus.find((r) =>
        rangeVarKey(r.rangeVar) === rangeVarKey(rangeVar));
      if (ref === undefined) return undefined;
      const shard = shards.get(ref.alias) ?? ref.citus!.shards[0]!;
      return { shardId: shard.row.shardid, schemaName: ref.relation.schema };
    },
  });
  const anchor = [...shards.values()][0]!;
  return {
    columns: local.columns, paramTypes: local.paramTypes,
    outputTypes: local.columns.map((c) => ({ typeOid: c.typeOid, typmod: c.typeModifier })),
    plan: () => ({ kind: "router",
      task: { sql, params: [], node, shardId: anchor.row.shardid } }),
  };
}

type Shard = CitusTable["shards"][number];

/** The one shard of each distributed table (by alias), or undefined if one is not pinned. */
function pinnedShards(select: ast.SelectStmt, dist: readonly TableRef[]):
  Map<string, Shard> | undefined {
  const resolve = distributionResolver(dist);
  const values = new Map<string, readonly Value[] | null>();
  for (const ref of dist) {
    const table = ref.citus!;
    if (table.kind !== "hash") continue;
    const pruned = pruneShards(select.whereClause, { alias: ref.alias,
      typeOid: table.distributionColumn!.typeOid, ranges: table.ranges },
    { resolveColumn: resolve, evaluateConstant });
    values.set(ref.alias, pruned.values);
  }
  for (const [left, right] of distributionEqualities(select, resolve)) {
    if (values.get(left) === null && values.get(right) !== null) {
      values.set(left, values.get(right)!);
    }
    if (values.get(right) === null && values.get(left) !== null) {
      values.set(right, values.get(left)!);
    }
  }
  const shards = new Map<string, Shard>();
  for (const ref of dist) {
    const table = ref.citus!;
    if (table.kind !== "hash") {
      shards.set(ref.alias, table.shards[0]!);
      continue;
    }
    const pinned = values.get(ref.alias);
    if (pinned === null || pinned === undefined) return undefined;
    const indexes = new Set(pinned.map((value) => shardIndexForHash(table.ranges,
      hashValue(value, table.distributionColumn!.typeOid))));
    if (indexes.size !== 1) return undefined;
    shards.set(ref.alias, table.shards[[...indexes][0]!]!);
  }
  return shards;
}

/**
 * Pairs of aliases whose distribution columns of one type are equal in a conjunct of WHERE
 * or of an inner join's ON (an outer join's ON would not pin the null-extended side, but it
 * is no colocated join either and never gets here pinned by it alone).
 */
function distributionEqualities(select: ast.SelectStmt,
  resolve: ReturnType<typeof distributionResolver>): [string, string][] {
  const pairs: [string, string][] = [];
  for (const clause of joinClauses(select)) {
    if (!("A_Expr" in clause) || clause.A_Expr.kind !== "AEXPR_OP") continue;
    const { lexpr, rexpr, name } = clause.A_Expr;
    const op = columnNames({ fields: name ?? [] });
    if (op?.at(-1) !== "=" || lexpr === undefined || rexpr === undefined) continue;
    if (!("ColumnRef" in lexpr) || !("ColumnRef" in rexpr)) continue;
    const left = resolve(lexpr.ColumnRef);
    const right = resolve(rexpr.ColumnRef);
    if (left === undefined || right === undefined || left.typeOid !== right.typeOid) continue;
    pairs.push([left.alias, right.alias]);
  }
  return pairs;
}

/** The first node (in placement order) that holds a placement of every shard. */
function commonNode(cluster: Cluster, shards: readonly Shard[]): PlacementAddress | undefined {
  const nodesOf = shards.map((shard) => shardNodes(cluster, shard));
  return nodesOf[0]?.find((node) => nodesOf.every((nodes) =>
    nodes.some((n) => n.host === node.host && n.port === node.port)));
}
