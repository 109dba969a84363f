/**
 * Router modifications (Citus's router planner for UPDATE and DELETE): when the target and
 * every other distributed table of the statement (in FROM/USING, subqueries, CTEs) are
 * colocated and each is pinned to the same shard by the WHERE clause of the query level that
 * reads it (or pruned to no shard at all), the whole statement runs as one task on that shard
 * group, each table swapped for its shard:
 *
 *     UPDATE summary SET average = q.average
 *       FROM (SELECT avg(value) AS average FROM raw WHERE id = 1) q WHERE id = 1
 *  -> UPDATE public.summary_102010 summary SET average = q.average FROM (SELECT avg(value)
 *       AS average FROM public.raw_102042 raw WHERE id = 1) q WHERE id = 1
 *
 * Shapes the other modify planners cannot run (a subquery that aggregates, a CTE over the
 * target's shard group) run this way. A reference table written from other reference tables
 * only runs the same way on each of its placements (every node holds all reference tables);
 * written from distributed tables it keeps Citus's error (`modify-joins.ts`). A shard with
 * several placements gets the task on each, and the count and rows are those of one.
 */
import type { PreparedStatement, StatementContext } from "@tessera/engine";
import type { ast } from "@tessera/sql";
import { shardNodes, type Cluster } from "../cluster.js";
import { preparedStatement } from "../executor/cursor.js";
import { rowsToValues, sumCounts, type Task } from "../executor/tasks.js";
import { bindParams } from "./bind-params.js";
import type { Classification, TableRef } from "./classify.js";
import { rangeVarKey, shardResolver } from "./distributed-select.js";
import { generatedColumns } from "./generated-columns.js";
import { levelFilters } from "./nested-router.js";
import { queryTables, shardIndexes } from "./shard-groups.js";
import { shardQueryText } from "./shard-query.js";
import type { ModifyRunner } from "./distributed-modify.js";
import type { RemoteResult } from "../connection/pool.js";

/** Plans `stmt` as one router task, or returns undefined when its tables are not pinned. */
export function planRouterModify(cluster: Cluster, stmt: ast.Node, target: TableRef,
  classification: Classification, paramTypes: readonly number[], ctx: StatementContext,
  runner: ModifyRunner,
  onePerShard: (results: readonly RemoteResult[], tasks: readonly Task[]) => RemoteResult[]):
  PreparedStatement | undefined {
  if (classification.refs.some((ref) => ref.citus === undefined)) return undefined;
  if (classification.citus.length < 2 || paramTypes.length > 0) return undefined;
  const kind = target.citus?.kind;
  const tables = queryTables(classification.citus);
  // A reference table is written here only from reference tables: every node has them all.
  const allReference = kind === "reference" && tables.distributed.length === 0;
  if (kind !== "hash" && kind !== "single-shard" && !allReference) return undefined;
  // SET of generated columns is added by the other planners (`generated-columns.ts`).
  if (generatedColumns(target.relation).length > 0) return undefined;
  const groups = new Set(tables.distributed.map((ref) => ref.citus!.partition.colocationid));
  if (groups.size !== 1 && !allReference) return undefined;
  const index = allReference ? 0 : commonShard(stmt, target, tables.distributed);
  if (index === undefined) return undefined;
  const local = cluster.local.prepare(stmt, paramTypes, ctx);
  const outputTypes = (local.columns ?? []).map((c) => ({ typeOid: c.typeOid,
    typmod: c.typeModifier }));
  const verb = "UpdateStmt" in stmt ? "UPDATE" : "DELETE";
  return preparedStatement(local.columns, local.paramTypes, async (params, runCtx) => {
    const bound = bindParams(stmt, params, local.paramTypes);
    const sql = shardQueryText(bound,
      { resolveRelation: shardResolver(classification.citus, index) });
    const shard = target.citus!.shards[target.citus!.kind === "hash" ? index : 0]!;
    const tasks: Task[] = shardNodes(cluster, shard).map((node) =>
      ({ sql, params: [], node, shardId: shard.row.shardid }));
    const results = onePerShard(await runner(cluster, tasks, runCtx), tasks);
    const rows = outputTypes.length === 0 ? []
      : results.flatMap((result) => rowsToValues(result, outputTypes));
    return { rows, commandTag: `${verb} ${sumCounts(results)}` };
  });
}

/**
 * The one shard index every distributed table is pruned to: the target and the tables of
 * FROM/USING by the statement's WHERE clause, the others by their own level's.
 */
function commonShard(stmt: ast.Node, target: TableRef, dist: readonly TableRef[]):
  number | undefined {
  const top = "UpdateStmt" in stmt ? stmt.UpdateStmt : "DeleteStmt" in stmt ? stmt.DeleteStmt
    : undefined;
  if (top === undefined) return undefined;
  const whereOf = levelFilters(stmt);
  const where = top.whereClause ?? null;
  whereOf.set(rangeVarKey(target.rangeVar), where);
  const using = "DeleteStmt" in stmt ? stmt.DeleteStmt.usingClause ?? [] : [];
  for (const rangeVar of joinedRangeVars(using)) whereOf.set(rangeVarKey(rangeVar), where);
  let found: number | undefined;
  for (const ref of dist) {
    const filter = whereOf.get(rangeVarKey(ref.rangeVar));
    if (filter === undefined) return undefined;
    const indexes = shardIndexes(filter ?? undefined, { distributed: [ref], reference: [] });
    // A table pruned to no shard reads no row on whichever shard its query runs.
    if (indexes.length === 0) continue;
    if (indexes.length !== 1 || (found !== undefined && found !== indexes[0])) return undefined;
    found = indexes[0];
  }
  return found ?? 0;
}

/** The tables of FROM items, through JOINs (not into subqueries). */
function joinedRangeVars(items: readonly ast.Node[]): ast.RangeVar[] {
  return items.flatMap((item): ast.RangeVar[] => {
    if ("RangeVar" in item) return [item.RangeVar];
    if (!("JoinExpr" in item)) return [];
    const join = item.JoinExpr;
    return joinedRangeVars([join.larg, join.rarg].filter((n): n is ast.Node => n !== undefined));
  });
}
