/**
 * Subqueries of an UPDATE or DELETE on a distributed table (in WHERE, SET and RETURNING, and
 * its plain CTEs) that read Citus tables, planned as Citus's modify planner does:
 *
 * - a subquery over reference tables only stays where it is: every node holds them;
 * - a subquery that plans on its own (uncorrelated) runs first as a distributed query, and
 *   its rows travel in every task as an intermediate result (Citus's recursive planning of
 *   DML subqueries, `generating subplan …`):
 *
 *       UPDATE dx_scratch SET k = 0 WHERE id IN (SELECT qty FROM dx_events WHERE device_id = 40)
 *    -> subplan 1: SELECT qty FROM dx_events WHERE device_id = 40            (router)
 *    -> per shard: UPDATE dx_scratch_<i> SET k = 0 WHERE id IN (SELECT … FROM (VALUES …))
 *
 * - so does a subquery in FROM (UPDATE) or USING (DELETE), which cannot be correlated;
 * - a correlated subquery is pushed down with the modification when its distributed tables
 *   are colocated with the target and joined to it on the distribution column; otherwise
 *   Citus's 0A000 "complex joins are only supported when …".
 */
import { SqlError } from "@tessera/base";
import type { StatementContext } from "@tessera/engine";
import type { Value, ast } from "@tessera/sql";
import type { Cluster } from "../cluster.js";
import type { ColumnType } from "../executor/tasks.js";
import { runPlannedSelect } from "../executor/recursive-exec.js";
import { classify, type Classification, type TableRef } from "./classify.js";
import { rangeVarKey } from "./distributed-select.js";
import { planSelect, type PlannedSelect } from "./recursive.js";
import { checkColocatedJoin, queryTables } from "./shard-groups.js";
import { wrapSubplan, type IntermediateResult } from "./subplan-inline.js";
import { mapSubLinkSelects } from "./tree-walk.js";

/** A subquery over Citus tables that runs before the modification's tasks. */
export interface CitusSubplan {
  readonly planned: PlannedSelect;
  readonly names: readonly string[];
  readonly types: readonly ColumnType[];
}

export interface ModifySubqueries {
  /** The statement with each planned-alone subquery marked as subplan (`wrapSubplan`). */
  readonly stmt: ast.Node;
  readonly subplans: readonly CitusSubplan[];
  /** rangeVarKeys of the Citus tables read inside subqueries (not joined to the target). */
  readonly inside: ReadonlySet<string>;
}

/**
 * Plans the subqueries of `stmt` that read Citus tables; subplans are numbered from
 * `firstIndex` (after the local ones that `local-join.ts` ships).
 */
export function planModifySubqueries(cluster: Cluster, stmt: ast.Node, target: TableRef,
  paramTypes: readonly number[], ctx: StatementContext, firstIndex: number): ModifySubqueries {
  const path = cluster.local.statementScope(paramTypes, ctx).path;
  const subplans: CitusSubplan[] = [];
  const inside = new Set<string>();
  const replace = (select: ast.SelectStmt): ast.SelectStmt | undefined => {
    const found = classify({ SelectStmt: select }, cluster.local.catalog, path,
      cluster.metadata.cache);
    if (found.citus.length === 0) return undefined;
    for (const ref of found.citus) inside.add(rangeVarKey(ref.rangeVar));
    if (found.citus.every((ref) => ref.citus?.kind === "reference")) return undefined;
    const planned = planAlone(cluster, select, found, paramTypes, ctx);
    if (planned === undefined) {
      checkCorrelated(select, target, found);
      return undefined;
    }
    subplans.push({ planned, names: planned.columns.map((c) => c.name),
      types: planned.outputTypes });
    return wrapSubplan(select, firstIndex + subplans.length - 1);
  };
  // Only the expression fields: the target and FROM keep their nodes (and identities).
  const mapFields = <T extends object>(body: T, keys: readonly (keyof T)[]): T => {
    const picked = Object.fromEntries(keys.filter((key) => body[key] !== undefined)
      .map((key) => [key, body[key]]));
    return { ...body, ...mapSubLinkSelects(picked, replace) };
  };
  // A plain CTE over Citus tables is a subquery too: it runs first, its rows go to the tasks.
  const withCtes = (clause: ast.WithClause): ast.WithClause => (clause.recursive === true
    ? clause : { ...clause, ctes: (clause.ctes ?? []).map((cte) => {
      const query = "CommonTableExpr" in cte ? cte.CommonTableExpr.ctequery : undefined;
      if (query === undefined || !("SelectStmt" in query) || !("CommonTableExpr" in cte)) {
        return cte;
      }
      const replaced = replace(query.SelectStmt);
      return replaced === undefined ? cte
        : { CommonTableExpr: { ...cte.CommonTableExpr, ctequery: { SelectStmt: replaced } } };
    }) });
  // A reference table written from distributed tables keeps Citus's error (`modify-joins.ts`).
  const fromReplaced = target.citus?.kind !== "reference";
  if ("UpdateStmt" in stmt) {
    const body = stmt.UpdateStmt;
    const withClause = body.withClause === undefined ? undefined : withCtes(body.withClause);
    const out = mapFields(body, ["targetList", "whereClause", "returningClause"]);
    const fromClause = fromReplaced ? body.fromClause?.map((item) =>
      fromSubqueries(item, replace)) : body.fromClause;
    return { stmt: { UpdateStmt: { ...out, ...(withClause !== undefined && { withClause }),
      ...(fromClause !== undefined && { fromClause }) } }, subplans, inside };
  }
  if ("DeleteStmt" in stmt) {
    const body = stmt.DeleteStmt;
    const withClause = body.withClause === undefined ? undefined : withCtes(body.withClause);
    const out = mapFields(body, ["whereClause", "returningClause"]);
    const usingClause = fromReplaced ? body.usingClause?.map((item) =>
      fromSubqueries(item, replace)) : body.usingClause;
    return { stmt: { DeleteStmt: { ...out, ...(withClause !== undefined && { withClause }),
      ...(usingClause !== undefined && { usingClause }) } }, subplans, inside };
  }
  return { stmt, subplans, inside };
}

/**
 * A FROM (or USING) item with each of its non-LATERAL subqueries over Citus tables planned
 * as a subplan: such a subquery cannot refer to the target, so it plans on its own (Citus
 * plans it recursively when it does not join the target shard by shard):
 *
 *     UPDATE summary SET average = q.average FROM (SELECT avg(value) AS average FROM raw) q
 *  -> subplan 1: SELECT avg(value) AS average FROM raw                (multi-shard)
 *  -> per shard: UPDATE summary_<i> SET average = q.average FROM (SELECT … FROM (VALUES …)) q
 */
function fromSubqueries(item: ast.Node,
  replace: (select: ast.SelectStmt) => ast.SelectStmt | undefined): ast.Node {
  if ("JoinExpr" in item) {
    const join = item.JoinExpr;
    return { JoinExpr: { ...join,
      ...(join.larg !== undefined && { larg: fromSubqueries(join.larg, replace) }),
      ...(join.rarg !== undefined && { rarg: fromSubqueries(join.rarg, replace) }) } };
  }
  if (!("RangeSubselect" in item) || item.RangeSubselect.lateral === true) return item;
  const query = item.RangeSubselect.subquery;
  if (query === undefined || !("SelectStmt" in query)) return item;
  const replaced = replace(query.SelectStmt);
  return replaced === undefined ? item
    : { RangeSubselect: { ...item.RangeSubselect, subquery: { SelectStmt: replaced } } };
}

/** The subquery planned as a query of its own, or undefined when it is correlated. */
function planAlone(cluster: Cluster, select: ast.SelectStmt, found: Classification,
  paramTypes: readonly number[], ctx: StatementContext): PlannedSelect | undefined {
  try {
    return planSelect(cluster, select, found, paramTypes, ctx);
  } catch (error) {
    if (error instanceof SqlError) return undefined;
    throw error;
  }
}

/**
 * A correlated subquery runs inside each task: its distributed tables must be colocated with
 * the target and joined to it on the distribution column.
 */
function checkCorrelated(select: ast.SelectStmt, target: TableRef, found: Classification): void {
  const joined: ast.SelectStmt = {
    fromClause: [{ RangeVar: target.rangeVar }, ...(select.fromClause ?? [])],
    ...(select.whereClause !== undefined && { whereClause: select.whereClause }),
    limitOption: "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE",
  };
  const why = checkColocatedJoin(joined, queryTables([target, ...found.citus]));
  if (why !== undefined) throw why;
}

/** Runs the subplans, in order, and returns their rows. */
export async function runCitusSubplans(cluster: Cluster, subplans: readonly CitusSubplan[],
  params: readonly Value[], ctx: StatementContext): Promise<IntermediateResult[]> {
  const results: IntermediateResult[] = [];
  for (const subplan of subplans) {
    const result = await runPlannedSelect(cluster, subplan.planned, params, ctx);
    results.push({ names: subplan.names, types: subplan.types, rows: result.rows });
  }
  return results;
}
