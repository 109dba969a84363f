/**
 * A SELECT over Citus tables, planned once and turned into tasks per execution: parameters
 * are bound, the WHERE clause prunes shards, and then either
 *
 *   router       one shard group: the whole query runs on that group's node, rows as they are;
 *   multi-shard  one task per shard group runs the worker query, and the combine query runs
 *                over their rows on the coordinator (`select-split.ts`, `executor/combine.ts`).
 *
 * A query that only works as a router (window functions, say) keeps its multi-shard `why`
 * and raises it only when pruning leaves more than one shard, as Citus defers such errors.
 */
import { SqlError, SqlState, assert } from "@tessera/base";
import type { ColumnInfo, StatementContext } from "@tessera/engine";
import type { Value, ast } from "@tessera/sql";
import { shardNodes, type Cluster, type PlacementAddress } from "../cluster.js";
import type { RemoteScanShape } from "../executor/combine.js";
import type { ColumnType, Task } from "../executor/tasks.js";
import type { CachedShard } from "../metadata/metadata-cache.js";
import { bindParams } from "./bind-params.js";
import type { Classification, TableRef } from "./classify.js";
import { finishCombine } from "./aggregate-combine.js";
import { checkCoordinatorAggregation } from "./coordinator-aggregation.js";
import { callsSequence, splitSelect, type SplitPlan } from "./select-split.js";
import {
  checkColocatedJoin, distributionResolver, queryTables, shardIndexes, type QueryTables,
} from "./shard-groups.js";
import { shardQueryText, type ShardRelation } from "./shard-query.js";
import { shardQueryTexts } from "./shard-query-template.js";
import { unsupported } from "./raw.js";
import { inlineSubplans, subplanFiller, type IntermediateResult } from "./subplan-inline.js";
import type { LateralPushdown } from "./lateral-pushdown.js";

/** What one execution runs. */
export type SelectRun =
  | { readonly kind: "router"; readonly task: Task }
  | {
    readonly kind: "multi"; readonly tasks: readonly Task[]; readonly combine: ast.SelectStmt;
    readonly shape: RemoteScanShape;
  };

export interface DistributedSelect {
  readonly columns: readonly ColumnInfo[];
  readonly paramTypes: readonly number[];
  readonly outputTypes: readonly ColumnType[];
  /**
   * Binds parameters, prunes, and returns the tasks of one execution; `subplans` are the rows
   * of the shipped subplans (`subplan-inline.ts`), which the tasks' SQL carries.
   */
  plan(params: readonly Value[], subplans?: readonly IntermediateResult[]): SelectRun;
}

/** Plans a SELECT whose FROM clause holds Citus tables. */
export function planDistributedSelect(cluster: Cluster, select: ast.SelectStmt,
  classification: Classification, paramTypes: readonly number[],
  ctx: StatementContext, shipped: ReadonlySet<string> = new Set(),
  lateral?: LateralPushdown): DistributedSelect {
  checkTableRefs(select, classification, shipped, lateral?.keys ?? new Set());
  const tables = queryTables(classification.citus);
  const joinWhy = checkColocatedJoin(lateral?.joinSelect ?? select, tables);
  if (joinWhy !== undefined) throw joinWhy;
  const local = cluster.local.prepare({ SelectStmt: select }, paramTypes, ctx);
  assert(local.columns !== null, "a SELECT has result columns");
  const columns = local.columns;
  const types = local.paramTypes;
  const outputTypes = columns.map((c) => ({ typeOid: c.typeOid, typmod: c.typeModifier }));
  const split = prepareSplit(cluster, select, classification, columns, types, ctx);
  // nextval() and its kin run on the coordinator, where the sequences are, even for one shard.
  const sequenceCalls = callsSequence([select.targetList, select.sortClause]);
  return {
    columns, paramTypes: types, outputTypes,
    plan(params, subplans = []) {
      const bound = inlineSubplans(bindParams(select, params, types), subplans);
      const fill = subplanFiller(subplans);
      const indexes = shardIndexes(bound.whereClause, tables);
      if (indexes.length === 1 && !(sequenceCalls && split.ok)) {
        const sql = fill(shardQueryText({ SelectStmt: bound }, {
          resolveRelation: shardResolver(classification.citus, indexes[0]!) }));
        return { kind: "router", task: taskFor(cluster, tables, indexes[0]!, sql) };
      }
      if (!split.ok) throw split.why;
      const worker = inlineSubplans(bindParams(split.worker, params, types), subplans);
      const texts = shardQueryTexts({ SelectStmt: worker }, indexes,
        (index) => shardResolver(classification.citus, index));
      const tasks = indexes.map((index, i) => taskFor(cluster, tables, index, fill(texts[i]!)));
      return { kind: "multi", tasks, combine: bindParams(split.combine, params, types),
        shape: split.shape };
    },
  };
}

type PreparedSplit =
  | { readonly ok: true; readonly worker: ast.SelectStmt; readonly combine: ast.SelectStmt;
    readonly shape: RemoteScanShape }
  | { readonly ok: false; readonly why: SqlError };

/** Splits the query and types the worker columns by analyzing the worker query locally. */
function prepareSplit(cluster: Cluster, select: ast.SelectStmt, classification: Classification,
  columns: readonly ColumnInfo[], paramTypes: readonly number[],
  ctx: StatementContext): PreparedSplit {
  const refs = classification.refs;
  const resolve = distributionResolver(classification.citus);
  const result = splitSelect({
    select, outputNames: columns.map((c) => c.name),
    isDistributionColumn: (ref) => resolve(ref) !== undefined,
    inputColumns: new Set(refs.flatMap((r) => r.relation.columns.map((c) => c.name))),
    singleTable: refs.length === 1,
  });
  if (!result.ok) return result;
  const plan: SplitPlan = result.plan;
  checkCoordinatorAggregation(plan, select, ctx);
  const worker = cluster.local.prepare({ SelectStmt: plan.worker }, paramTypes, ctx);
  const workerColumns = worker.columns ?? [];
  if (workerColumns.length !== plan.remoteNames.length) {
    return { ok: false, why: unsupported("this multi-shard query shape is not supported yet") };
  }
  const types = workerColumns.map((c) => ({ typeOid: c.typeOid, typmod: c.typeModifier }));
  const byName = new Map(plan.remoteNames.map((name, i) => [name, types[i]!]));
  return {
    ok: true, worker: plan.worker, combine: finishCombine(plan, byName),
    shape: { names: plan.remoteNames, types },
  };
}

/** True when a Citus table sits outside the top-level FROM (subqueries, CTEs). */
export function citusOutsideTopFrom(select: ast.SelectStmt,
  classification: Classification): boolean {
  const top = topFromKeys(select);
  return classification.citus.some((ref) => !top.has(rangeVarKey(ref.rangeVar)));
}

function topFromKeys(select: ast.SelectStmt): Set<string> {
  const top = new Set<string>();
  const visit = (item: ast.Node): void => {
    if ("RangeVar" in item) top.add(rangeVarKey(item.RangeVar));
    if ("JoinExpr" in item) {
      if (item.JoinExpr.larg !== undefined) visit(item.JoinExpr.larg);
      if (item.JoinExpr.rarg !== undefined) visit(item.JoinExpr.rarg);
    }
  };
  for (const item of select.fromClause ?? []) visit(item);
  return top;
}

/**
 * Refuses Citus tables outside the top-level FROM and local tables next to Citus tables,
 * except those read by shipped subplans (`shipped`: their rangeVarKeys); Citus tables in
 * LATERAL subqueries pushed down whole (`lateral`) are allowed.
 */
function checkTableRefs(select: ast.SelectStmt, classification: Classification,
  shipped: ReadonlySet<string>, lateral: ReadonlySet<string>): void {
  const top = topFromKeys(select);
  for (const ref of classification.refs) {
    if (ref.citus === undefined) {
      if (shipped.has(rangeVarKey(ref.rangeVar))) continue;
      throw localJoinError();
    }
    if (!top.has(rangeVarKey(ref.rangeVar)) && !lateral.has(rangeVarKey(ref.rangeVar))) {
      throw unsupported("subqueries and CTEs on distributed tables are not supported yet");
    }
  }
}

/** Citus's error for a local table joined with Citus tables that it will not plan. */
export function localJoinError(): SqlError {
  return new SqlError(SqlState.featureNotSupported,
    "direct joins between distributed and local tables are not supported", {
      hint: "Use CTE's or subqueries to select from local tables and use them in joins",
    });
}

/** Identifies a relation reference across copies of the tree (binding copies nodes). */
export function rangeVarKey(rangeVar: ast.RangeVar): string {
  return `${rangeVar.schemaname ?? ""}.${rangeVar.relname ?? ""}@${rangeVar.location ?? -1}`;
}

/** Maps each Citus table reference to its shard in shard group `index`. */
export function shardResolver(refs: readonly TableRef[], index: number):
  (rangeVar: ast.RangeVar) => ShardRelation | undefined {
  const byKey = new Map(refs.map((ref) => [rangeVarKey(ref.rangeVar), ref]));
  return (rangeVar) => {
    const ref = byKey.get(rangeVarKey(rangeVar));
    const table = ref?.citus;
    if (ref === undefined || table === undefined) return undefined;
    const shard = table.kind === "hash" ? table.shards[index] : table.shards[0];
    assert(shard !== undefined, "the shard group exists");
    return { shardId: shard.row.shardid, schemaName: ref.relation.schema };
  };
}

/** Makes the task for shard group `index`, on the node of its distributed shard. */
export function taskFor(cluster: Cluster, tables: QueryTables, index: number, sql: string): Task {
  const anchor: CachedShard | undefined = tables.distributed[0]?.citus?.shards[index]
    ?? tables.reference[0]?.citus?.shards[0];
  assert(anchor !== undefined, "a query has a Citus table");
  const node: PlacementAddress = shardNodes(cluster, anchor)[0]!;
  return { sql, params: [], node, shardId: anchor.row.shardid };
}
