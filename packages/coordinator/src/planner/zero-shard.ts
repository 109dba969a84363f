/**
 * Zero-shard queries: a SELECT whose WHERE clause has a conjunct that is constant and not
 * true (`false`, `1 = 0`, `abs(-1) = 2`, NULL) passes no row of any table. Citus prunes every
 * shard away and plans it as a router query over no shard, whatever its tables are, so even
 * distributed tables that are not colocated (which would otherwise need a repartition join)
 * answer it:
 *
 *     SELECT a.x, b.y FROM dist_a a, dist_b b WHERE a.k = 10 AND a.k = b.k AND false
 *  -> no row (Citus's "Creating router plan"), not "the query contains a join that requires
 *     repartitioning"
 *
 * Tessera runs such a query on the coordinator over the tables' shell relations: no row of
 * them reaches the output, so their contents do not matter; what does (the result columns,
 * an aggregate's row over no input) comes out as PostgreSQL gives it. A conjunct counts only
 * when it reads no column, parameter or subquery and calls no volatile or unknown function;
 * it is evaluated once, here, as PostgreSQL folds it while planning.
 */
import { assert } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { StatementContext } from "@tessera/engine";
import type { Cluster } from "../cluster.js";
import type { Classification } from "./classify.js";
import type { RecursiveSelect } from "./recursive.js";
import { evaluateConstant, isConstant } from "./constant-eval.js";
import { checkColocatedJoin, queryTables } from "./shard-groups.js";
import { conjuncts } from "./table-subquery.js";
import { someNode } from "./tree-walk.js";

/** True when a top-level conjunct of the WHERE clause is constant and not true. */
export function whereNeverTrue(cluster: Cluster, select: ast.SelectStmt,
  ctx: StatementContext): boolean {
  const catalog = cluster.local.catalog;
  const constants = conjuncts(select.whereClause).filter((expr) => isConstant(expr, catalog));
  return constants.some((expr) => evaluateConstant(cluster, expr, ctx).value !== true);
}

/**
 * Plans a SELECT over distributed tables that do not join shard by shard, when its WHERE
 * clause is never true: the whole query runs on the coordinator, with no piece.
 */
export function planZeroShard(cluster: Cluster, select: ast.SelectStmt,
  classification: Classification, paramTypes: readonly number[], ctx: StatementContext):
  RecursiveSelect | undefined {
  if (checkColocatedJoin(select, queryTables(classification.citus)) === undefined) {
    return undefined;
  }
  if (someNode(select, (record) => "SubLink" in record || "RangeSubselect" in record ||
    "RangeFunction" in record)) return undefined;
  if (!whereNeverTrue(cluster, select, ctx)) return undefined;
  const local = cluster.local.prepare({ SelectStmt: select }, paramTypes, ctx);
  assert(local.columns !== null, "a SELECT has result columns");
  const columns = local.columns;
  return { columns, paramTypes: local.paramTypes, pieces: [], outer: select,
    outputTypes: columns.map((c) => ({ typeOid: c.typeOid, typmod: c.typeModifier })) };
}
