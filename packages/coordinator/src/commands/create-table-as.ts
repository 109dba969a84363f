/**
 * CREATE TABLE … AS and SELECT … INTO whose query reads Citus tables. As in Citus, the query
 * runs distributed and the new table is a local table of the coordinator holding its rows:
 *
 *   CREATE TABLE totals AS SELECT dev, count(*) FROM events GROUP BY dev
 *     1. the SELECT runs through the distributed planner (pushed down, merged here);
 *     2. CREATE TABLE totals (dev int4, count int8) in the local engine, from its columns;
 *     3. INSERT INTO totals SELECT * FROM <the rows, as an intermediate result>.
 *
 * Steps 2 and 3 are two local statements. Inside a transaction block they belong to the
 * block; outside one, a failure of step 3 drops the table again, but a crash between them
 * leaves it empty (PostgreSQL creates and fills it in one transaction).
 * WITH NO DATA stops after step 2; IF NOT EXISTS skips everything when the name is taken.
 */
import { SqlError, SqlState, assert } from "@tessera/base";
import { addSystemRelation, type PreparedStatement, type StatementContext } from "@tessera/engine";
import type { Row, ast } from "@tessera/sql";
import type { Cluster } from "../cluster.js";
import { preparedStatement } from "../executor/cursor.js";
import { runPlannedSelect } from "../executor/recursive-exec.js";
import { classify, type Classification } from "../planner/classify.js";
import { planSelect } from "../planner/recursive.js";
import { typeNameNode } from "../planner/raw.js";

/** The query and target of CREATE TABLE … AS or SELECT … INTO, or undefined for others. */
export function createAsParts(stmt: ast.Node):
  { query: ast.SelectStmt; into: ast.IntoClause; ifNotExists: boolean } | undefined {
  if ("SelectStmt" in stmt && stmt.SelectStmt.intoClause !== undefined) {
    const { intoClause, ...query } = stmt.SelectStmt;
    return { query, into: intoClause, ifNotExists: false };
  }
  if (!("CreateTableAsStmt" in stmt)) return undefined;
  const create = stmt.CreateTableAsStmt;
  if (create.objtype !== "OBJECT_TABLE") return undefined;
  const query = create.query;
  if (query === undefined || !("SelectStmt" in query) || create.into === undefined) {
    return undefined;
  }
  return { query: query.SelectStmt, into: create.into, ifNotExists: create.if_not_exists === true };
}

/** Plans CREATE TABLE … AS / SELECT … INTO over Citus tables (`classification`'s). */
export function prepareCreateTableAs(cluster: Cluster, stmt: ast.Node,
  classification: Classification, paramTypes: readonly number[], ctx: StatementContext):
  PreparedStatement | undefined {
  const parts = createAsParts(stmt);
  if (parts === undefined) return undefined;
  const query: ast.Node = { SelectStmt: parts.query };
  const path = cluster.local.statementScope(paramTypes, ctx).path;
  const found = "SelectStmt" in stmt ? classification
    : classify(query, cluster.local.catalog, path, cluster.metadata.cache);
  const planned = planSelect(cluster, parts.query, found, paramTypes, ctx);
  return preparedStatement(null, planned.paramTypes, async (params, runCtx) => {
    if (tableExists(cluster, parts.into, runCtx)) {
      if (!parts.ifNotExists) {
        throw new SqlError(SqlState.duplicateTable,
          `relation "${parts.into.rel?.relname ?? ""}" already exists`);
      }
      runCtx.notice(new SqlError(SqlState.successfulCompletion,
        `relation "${parts.into.rel?.relname ?? ""}" already exists, skipping`,
        { severity: "NOTICE" }));
      return { rows: [], commandTag: "CREATE TABLE AS" };
    }
    const columns = planned.columns.map((c) => ({ name: c.name, type: c.typeOid,
      typmod: c.typeModifier }));
    await runLocal(cluster, createStatement(parts.into, columns), runCtx);
    if (parts.into.skipData === true) return { rows: [], commandTag: "CREATE TABLE AS" };
    try {
      const result = await runPlannedSelect(cluster, planned, params, runCtx);
      await fillTable(cluster, parts.into, { columns, rows: result.rows }, runCtx);
      return { rows: [], commandTag: `SELECT ${result.rows.length}` };
    } catch (error) {
      if (runCtx.transaction?.status !== "T") {
        await runLocal(cluster, dropStatement(parts.into), runCtx);
      }
      throw error;
    }
  });
}

/** A column of the new table. */
export interface NewColumn {
  readonly name: string;
  readonly type: number;
  readonly typmod: number;
}

/** Whether the name INTO gives is taken (by any relation of its schema). */
function tableExists(cluster: Cluster, into: ast.IntoClause, ctx: StatementContext): boolean {
  const rv = into.rel!;
  const path = cluster.local.statementScope([], ctx).path;
  return cluster.local.catalog.findRelation(path, rv.schemaname, rv.relname ?? "") !== undefined;
}

/** CREATE TABLE with the query's columns (renamed by INTO's column list) and INTO's options. */
export function createStatement(into: ast.IntoClause, columns: readonly NewColumn[]): ast.Node {
  const names = (into.colNames ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : ""));
  if (names.length > columns.length) {
    throw new SqlError(SqlState.syntaxError, "too many column names were specified");
  }
  const tableElts = columns.map((c, i): ast.Node => ({ ColumnDef: {
    colname: names[i] ?? c.name,
    typeName: typeNameNode(c.type === unknownOid ? textOid : c.type, c.typmod),
    is_local: true } }));
  return { CreateStmt: { relation: into.rel!, tableElts,
    ...(into.options !== undefined && { options: into.options }),
    oncommit: into.onCommit ?? "ONCOMMIT_NOOP" } };
}

const unknownOid = 705;
const textOid = 25;

/**
 * Inserts `rows` into the table INTO names, in one local statement reading them as an
 * intermediate result (a relation of the local catalog for the length of the statement).
 */
export async function fillTable(cluster: Cluster, into: ast.IntoClause,
  data: { columns: readonly NewColumn[]; rows: readonly Row[] }, ctx: StatementContext):
  Promise<void> {
  const catalog = cluster.local.catalog;
  const oid = catalog.allocateOid();
  const relname = `intermediate_result_${oid}`;
  addSystemRelation(catalog, { oid, schema: "pg_catalog", name: relname,
    columns: data.columns.map((c, i) => [`c${i + 1}`, c.type === unknownOid ? textOid : c.type,
      c.typmod] as const),
    rows: () => data.rows.map((row) => [...row]) });
  try {
    const { alias: _alias, ...target } = into.rel!;
    const insert: ast.Node = { InsertStmt: {
      relation: target,
      selectStmt: { SelectStmt: {
        targetList: [{ ResTarget: { val: { ColumnRef: { fields: [{ A_Star: {} }] } } } }],
        fromClause: [{ RangeVar: { schemaname: "pg_catalog", relname, inh: true,
          relpersistence: "p" } }],
        limitOption: "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE" } },
      override: "OVERRIDING_NOT_SET" } };
    const result = await runLocal(cluster, insert, ctx);
    assert(result.commandTag === `INSERT 0 ${data.rows.length}`, "every row is inserted");
  } finally {
    const relation = catalog.relation(oid);
    if (relation !== undefined) catalog.removeRelation(relation);
  }
}

function dropStatement(into: ast.IntoClause): ast.Node {
  const rv = into.rel!;
  const names = [...(rv.schemaname !== undefined ? [rv.schemaname] : []), rv.relname ?? ""];
  return { DropStmt: { objects: [{ List: { items: names.map((sval) => ({ String: { sval } })) } }],
    removeType: "OBJECT_TABLE", behavior: "DROP_RESTRICT", missing_ok: true } };
}

/** Runs one statement in the coordinator's engine to its end. */
export async function runLocal(cluster: Cluster, stmt: ast.Node, ctx: StatementContext):
  Promise<{ rows: readonly Row[]; commandTag?: string }> {
  const cursor = cluster.local.prepare(stmt, [], ctx).open([], ctx);
  try {
    return await cursor.fetch(0);
  } finally {
    cursor.close();
  }
}
