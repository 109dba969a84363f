/**
 * Router planning of a whole statement with nested queries (Citus's router planner, used
 * here for recursive CTEs): when every distributed table is pinned to one shard by the WHERE
 * clause of the query level that reads it, and all of them to the same shard group, the
 * statement runs whole, recursive CTEs included, on that group's node as one task:
 *
 *     WITH RECURSIVE r AS (SELECT event_id FROM dx_events WHERE device_id = 5 AND …
 *       UNION ALL SELECT e.event_id FROM r JOIN dx_events e ON … WHERE e.device_id = 5)
 *     SELECT count(*) FROM r
 *
 * Otherwise the statement fails with Citus's error for recursive CTEs, at execution (where
 * parameters are known), as Citus defers router errors. Statements with subqueries or set
 * operations whose tables are all pinned already (and no parameters) are routed the same way
 * (`planNestedRouterIfPinned`), and so are statements whose distributed tables are all
 * single-shard tables of one colocation group, whatever their shape.
 */
import { assert } from "@tessera/base";
import type { StatementContext } from "@tessera/engine";
import type { ast } from "@tessera/sql";
import type { Cluster } from "../cluster.js";
import { bindParams } from "./bind-params.js";
import type { Classification, TableRef } from "./classify.js";
import {
  rangeVarKey, shardResolver, taskFor, type DistributedSelect,
} from "./distributed-select.js";
import { unsupported } from "./raw.js";
import { queryTables, shardIndexes } from "./shard-groups.js";
import { shardQueryText } from "./shard-query.js";

/** Citus's error for a recursive CTE it cannot route to one shard. */
export function recursiveCteError(): ReturnType<typeof unsupported> {
  return unsupported("recursive CTEs are only supported when they contain a filter on the " +
    "distribution column");
}

/** Plans `select` as one router task over its nested queries, or returns undefined. */
export function planNestedRouter(cluster: Cluster, select: ast.SelectStmt,
  classification: Classification, paramTypes: readonly number[],
  ctx: StatementContext): DistributedSelect | undefined {
  if (classification.refs.some((ref) => ref.citus === undefined)) return undefined;
  const tables = queryTables(classification.citus);
  const groups = new Set(tables.distributed.map((ref) => ref.citus!.partition.colocationid));
  if (groups.size > 1) return undefined;
  const local = cluster.local.prepare({ SelectStmt: select }, paramTypes, ctx);
  assert(local.columns !== null, "a SELECT has result columns");
  const types = local.paramTypes;
  return {
    columns: local.columns, paramTypes: types,
    outputTypes: local.columns.map((c) => ({ typeOid: c.typeOid, typmod: c.typeModifier })),
    plan(params) {
      const bound = bindParams(select, params, types);
      const index = commonShard(bound, tables.distributed);
      if (index === undefined) throw recursiveCteError();
      const sql = shardQueryText({ SelectStmt: bound },
        { resolveRelation: shardResolver(classification.citus, index) });
      return { kind: "router", task: taskFor(cluster, tables, index, sql) };
    },
  };
}

/**
 * The nested router plan for a statement without parameters whose distributed tables are
 * already all pinned to one common shard (a subquery or view with `dev = 3`, a UNION of
 * such); undefined otherwise, and the caller plans it another way.
 */
export function planNestedRouterIfPinned(cluster: Cluster, select: ast.SelectStmt,
  classification: Classification, paramTypes: readonly number[],
  ctx: StatementContext): DistributedSelect | undefined {
  if (classification.refs.some((ref) => ref.citus === undefined)) return undefined;
  const tables = queryTables(classification.citus);
  if (tables.distributed.length === 0) return undefined;
  // Single-shard tables are pinned whatever the parameters are.
  const singleShard = tables.distributed.every((ref) => ref.citus?.kind === "single-shard");
  if (paramTypes.length > 0 && !singleShard) return undefined;
  if (commonShard(select, tables.distributed) === undefined) return undefined;
  return planNestedRouter(cluster, select, classification, paramTypes, ctx);
}

/** The one shard index every distributed table is pruned to, or undefined. */
function commonShard(select: ast.SelectStmt, dist: readonly TableRef[]): number | undefined {
  if (dist.length === 0) return 0;
  const whereOf = levelFilters(select);
  let found: number | undefined;
  for (const ref of dist) {
    const where = whereOf.get(rangeVarKey(ref.rangeVar));
    const indexes = shardIndexes(where ?? undefined, { distributed: [ref], reference: [] });
    if (indexes.length !== 1 || (found !== undefined && found !== indexes[0])) return undefined;
    found = indexes[0];
  }
  return found;
}

/** For each table of each query level's FROM (through JOINs), that level's WHERE clause. */
export function levelFilters(select: unknown): Map<string, ast.Node | null> {
  const found = new Map<string, ast.Node | null>();
  const fromTables = (item: unknown, where: ast.Node | null): void => {
    if (typeof item !== "object" || item === null) return;
    const record = item as Record<string, unknown>;
    const rangeVar = record["RangeVar"] as ast.RangeVar | undefined;
    if (rangeVar !== undefined) found.set(rangeVarKey(rangeVar), where);
    const join = record["JoinExpr"] as ast.JoinExpr | undefined;
    if (join !== undefined) {
      // An ON clause filters both sides of an inner join, the nullable side of an outer one.
      const withQuals = join.quals === undefined ? where : where === null ? join.quals
        : { BoolExpr: { boolop: "AND_EXPR", args: [where, join.quals] } } as ast.Node;
      const inner = join.jointype === "JOIN_INNER";
      fromTables(join.larg, inner || join.jointype === "JOIN_RIGHT" ? withQuals : where);
      fromTables(join.rarg, inner || join.jointype === "JOIN_LEFT" ? withQuals : where);
    }
  };
  const visit = (node: unknown): void => {
    if (typeof node !== "object" || node === null) return;
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    const record = node as Record<string, unknown>;
    if (Array.isArray(record["fromClause"]) && "targetList" in record) {
      const where = (record["whereClause"] as ast.Node | undefined) ?? null;
      for (const item of record["fromClause"]) fromTables(item, where);
    }
    Object.values(record).forEach(visit);
  };
  visit(select);
  return found;
}
