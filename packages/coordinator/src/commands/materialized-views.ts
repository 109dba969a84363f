/**
 * Materialized views over Citus tables, kept on the coordinator (as Citus keeps them: a
 * materialized view is a local relation of the coordinator, never distributed):
 *
 *   CREATE MATERIALIZED VIEW mv AS SELECT … FROM events …
 *     1. CREATE MATERIALIZED VIEW mv AS … WITH NO DATA in the local engine (the view, its
 *        columns and its query, unpopulated);
 *     2. the query runs through the distributed planner;
 *     3. a local REFRESH fills mv with those rows, handed over as an intermediate result
 *        (`tesseraRowsFrom`, which only the coordinator sets), and marks it populated.
 *   REFRESH MATERIALIZED VIEW mv       steps 2 and 3 with the view's stored query
 *
 * Reading mv, indexing it and dropping it are local statements like any. As with CREATE
 * TABLE AS (`create-table-as.ts`), steps 1 and 3 are two local statements: outside a
 * transaction block a failure after step 1 drops the view again.
 */
import { SqlError, SqlState, oid } from "@tessera/base";
import {
  addSystemRelation, matviewQuery, type PreparedStatement, type StatementContext,
} from "@tessera/engine";
import type { Row, ast } from "@tessera/sql";
import type { Cluster } from "../cluster.js";
import { preparedStatement } from "../executor/cursor.js";
import { runPlannedSelect } from "../executor/recursive-exec.js";
import { classify } from "../planner/classify.js";
import { planSelect, type PlannedSelect } from "../planner/recursive.js";
import { citusTableRead, expandCitusViews } from "../planner/view-expansion.js";
import { runLocal } from "./create-table-as.js";

/**
 * Plans CREATE MATERIALIZED VIEW whose query reads Citus tables (`expanded` is the statement
 * with views over them expanded), or REFRESH of a materialized view whose query does;
 * undefined for any other statement.
 */
export function prepareCitusMatview(cluster: Cluster, stmt: ast.Node, expanded: ast.Node,
  paramTypes: readonly number[], ctx: StatementContext): PreparedStatement | undefined {
  if ("RefreshMatViewStmt" in stmt) return prepareRefresh(cluster, stmt.RefreshMatViewStmt, ctx);
  if (!("CreateTableAsStmt" in stmt) || !("CreateTableAsStmt" in expanded)) return undefined;
  const create = stmt.CreateTableAsStmt;
  const query = expanded.CreateTableAsStmt.query;
  if (create.objtype !== "OBJECT_MATVIEW" || query === undefined || !("SelectStmt" in query)) {
    return undefined;
  }
  const planned = plan(cluster, query, paramTypes, ctx);
  const into = create.into!;
  const rv = into.rel!;
  return preparedStatement(null, planned.paramTypes, async (params, runCtx) => {
    const path = cluster.local.statementScope([], runCtx).path;
    if (cluster.local.catalog.findRelation(path, rv.schemaname, rv.relname ?? "") !== undefined) {
      if (create.if_not_exists !== true) {
        throw new SqlError(SqlState.duplicateTable,
          `relation "${rv.relname ?? ""}" already exists`);
      }
      runCtx.notice(new SqlError(SqlState.successfulCompletion,
        `relation "${rv.relname ?? ""}" already exists, skipping`, { severity: "NOTICE" }));
      return { rows: [], commandTag: "CREATE MATERIALIZED VIEW" };
    }
    await runLocal(cluster, { CreateTableAsStmt: { ...create,
      into: { ...into, skipData: true } } }, runCtx);
    if (into.skipData === true) return { rows: [], commandTag: "CREATE MATERIALIZED VIEW" };
    try {
      const result = await runPlannedSelect(cluster, planned, params, runCtx);
      await refreshFrom(cluster, { relation: rv, skipData: false, concurrent: false },
        { planned, rows: result.rows }, runCtx);
      return { rows: [], commandTag: `SELECT ${result.rows.length}` };
    } catch (error) {
      if (runCtx.transaction?.status !== "T") await runLocal(cluster, dropView(rv), runCtx);
      throw error;
    }
  });
}

/** REFRESH of a materialized view over Citus tables; undefined for other views. */
function prepareRefresh(cluster: Cluster, refresh: ast.RefreshMatViewStmt,
  ctx: StatementContext): PreparedStatement | undefined {
  const local = cluster.local;
  const path = local.statementScope([], ctx).path;
  const rv = refresh.relation!;
  const view = local.catalog.findRelation(path, rv.schemaname, rv.relname ?? "");
  if (view?.kind !== "m" || refresh.skipData === true ||
    citusTableRead(view, local.catalog, cluster.metadata.cache, 0) === undefined) {
    return undefined;
  }
  const query = expandCitusViews(matviewQuery(view), local.catalog, path,
    cluster.metadata.cache);
  if (!("SelectStmt" in query)) return undefined;
  const planned = plan(cluster, query, [], ctx);
  const bound = { ...rv, schemaname: view.schema };
  return preparedStatement(null, [], async (_params, runCtx) => {
    const result = await runPlannedSelect(cluster, planned, [], runCtx);
    await refreshFrom(cluster, { ...refresh, relation: bound },
      { planned, rows: result.rows }, runCtx);
    return { rows: [], commandTag: "REFRESH MATERIALIZED VIEW" };
  });
}

function plan(cluster: Cluster, query: { SelectStmt: ast.SelectStmt },
  paramTypes: readonly number[], ctx: StatementContext): PlannedSelect {
  const path = cluster.local.statementScope(paramTypes, ctx).path;
  const found = classify(query, cluster.local.catalog, path, cluster.metadata.cache);
  return planSelect(cluster, query.SelectStmt, found, paramTypes, ctx);
}

/** Runs the local REFRESH that fills the view with `rows` (the query's, in its columns). */
async function refreshFrom(cluster: Cluster, refresh: ast.RefreshMatViewStmt,
  data: { planned: PlannedSelect; rows: readonly Row[] }, ctx: StatementContext):
  Promise<void> {
  const catalog = cluster.local.catalog;
  const relationOid = catalog.allocateOid();
  const name = `intermediate_result_${relationOid}`;
  addSystemRelation(catalog, { oid: relationOid, schema: "pg_catalog", name,
    columns: data.planned.columns.map((c, i) => [`c${i + 1}`, c.typeOid, c.typeModifier] as const),
    rows: () => data.rows.map((row) => [...row]) });
  try {
    const stmt = { ...refresh, tesseraRowsFrom: { schema: "pg_catalog", name } };
    await runLocal(cluster, { RefreshMatViewStmt: stmt }, ctx);
  } finally {
    const relation = catalog.relation(oid(relationOid));
    if (relation !== undefined) catalog.removeRelation(relation);
  }
}

function dropView(rv: ast.RangeVar): ast.Node {
  const names = [...(rv.schemaname !== undefined ? [rv.schemaname] : []), rv.relname ?? ""];
  return { DropStmt: { objects: [{ List: { items: names.map((sval) => ({ String: { sval } })) } }],
    removeType: "OBJECT_MATVIEW", behavior: "DROP_RESTRICT", missing_ok: true } };
}
