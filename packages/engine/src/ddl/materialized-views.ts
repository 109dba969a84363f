/**
 * Materialized views (PostgreSQL's matview.c and the matview half of createas.c): CREATE
 * MATERIALIZED VIEW … AS query [WITH [NO] DATA] and REFRESH MATERIALIZED VIEW [CONCURRENTLY]
 * … [WITH [NO] DATA]. A materialized view is a relation of kind "m": its rows live in a
 * table store like a table's, its query is kept like a view's (bound to the schemas its
 * tables were found in, wrapped in a projection naming its columns), and it is populated or
 * not. Scans of an unpopulated one fail (55000, `analyze/from.ts`); writes fail (42809).
 *
 * REFRESH deletes the rows it sees and inserts those of the query, in one statement. The
 * coordinator, whose materialized views may read distributed tables, runs the query itself
 * and hands the rows over as an intermediate result (`RefreshFrom.rowsFrom`).
 *
 * Durability: the rows a CREATE or REFRESH writes are logged as rows, so replay must not run
 * the query again. `matviewRedoForm` is the form the WAL keeps: CREATE WITH NO DATA, or a
 * REFRESH that only sets whether the view is populated, the logged rows following it.
 */
import { SqlError, SqlState, assert, notSupported } from "@tessera/base";
import type { ast, Row } from "@tessera/sql";
import type { StatementContext } from "../api.js";
import type { Column, Relation } from "../catalog/relation.js";
import { Oid } from "../catalog/types.js";
import { sees } from "../storage/table-store.js";
import { TableStore } from "../storage/table-store.js";
import { StatementWriter } from "../execute/row-writer.js";
import type { Engine } from "../engine.js";
import { schemaOf } from "./ddl.js";
import { bindRelations } from "./view-follow.js";
import { tableColumns } from "./create-as.js";
import { relationsRead } from "../utility.js";

/** Set on a statement replayed from the WAL: whether the view ends populated. */
interface RedoMarker {
  readonly tesseraPopulated?: boolean;
}

/** REFRESH with the query's rows given: the name of a relation holding them, in order. */
export interface RefreshFrom {
  readonly tesseraRowsFrom?: { readonly schema: string; readonly name: string };
}

/** CREATE MATERIALIZED VIEW; returns the command tag. */
export async function createMatview(engine: Engine, create: ast.CreateTableAsStmt,
  ctx: StatementContext, notice: (m: string) => void): Promise<string> {
  const catalog = engine.catalog;
  const statement = engine.statementScope([], ctx);
  const into = create.into!;
  const rv = into.rel!;
  const name = rv.relname ?? "";
  if (rv.relpersistence === "t") throw notSupported("temporary materialized views");
  const schema = schemaOf(engine, rv, statement);
  if (catalog.nameTaken(schema, name)) {
    if (create.if_not_exists === true) {
      notice(`relation "${name}" already exists, skipping`);
      return "CREATE MATERIALIZED VIEW";
    }
    throw new SqlError(SqlState.duplicateTable, `relation "${name}" already exists`);
  }
  const query = create.query!;
  const planned = engine.planQuery(query, statement);
  const columns = tableColumns(planned.columns ?? [], into.colNames);
  const rel: Relation = { oid: catalog.allocateOid(), kind: "m", schema, name, columns,
    store: new TableStore(), indexes: [], checks: [], foreignKeys: [],
    viewQuery: storedQuery(columns, bindRelations(catalog, statement.path, query)), version: 0,
    viewDeps: relationsRead(catalog, statement.path, query), matviewPopulated: false };
  catalog.addRelation(rel);
  const marker = (create as RedoMarker).tesseraPopulated;
  if (marker !== undefined || into.skipData === true) {
    rel.matviewPopulated = marker ?? false;
    return "CREATE MATERIALIZED VIEW";
  }
  const rows = (await engine.openPlan(planned, [], ctx).fetch(0)).rows;
  fill(engine, rel, rows, ctx);
  return `SELECT ${rows.length}`;
}

/** REFRESH MATERIALIZED VIEW; returns the command tag. */
export async function refreshMatview(engine: Engine, stmt: ast.RefreshMatViewStmt,
  ctx: StatementContext): Promise<string> {
  const rel = matviewNamed(engine, stmt.relation!, ctx);
  const tag = "REFRESH MATERIALIZED VIEW";
  const marker = (stmt as RedoMarker).tesseraPopulated;
  if (marker !== undefined) {
    rel.matviewPopulated = marker;
    return tag;
  }
  if (stmt.concurrent === true) checkConcurrent(rel, stmt);
  const from = (stmt as RefreshFrom).tesseraRowsFrom;
  let rows: readonly Row[] = [];
  if (stmt.skipData !== true) {
    const query: ast.Node = from === undefined ? innerQuery(rel) : { SelectStmt: {
      targetList: [{ ResTarget: { val: { ColumnRef: { fields: [{ A_Star: {} }] } } } }],
      fromClause: [{ RangeVar: { schemaname: from.schema, relname: from.name, inh: true,
        relpersistence: "p" } }],
      limitOption: "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE" } };
    const statement = engine.statementScope([], ctx);
    const planned = engine.planQuery(query, { ...statement, path: [rel.schema, "pg_catalog"] });
    rows = (await engine.openPlan(planned, [], ctx).fetch(0)).rows;
  }
  replaceRows(engine, rel, rows, ctx);
  rel.matviewPopulated = stmt.skipData !== true;
  return tag;
}

/** The form of CREATE MATERIALIZED VIEW or REFRESH the WAL keeps; undefined for others. */
export function matviewRedoForm(stmt: ast.Node): ast.Node | undefined {
  if ("CreateTableAsStmt" in stmt && stmt.CreateTableAsStmt.objtype === "OBJECT_MATVIEW") {
    const create = stmt.CreateTableAsStmt;
    const populated = (create as RedoMarker).tesseraPopulated ?? create.into?.skipData !== true;
    const form: ast.CreateTableAsStmt & RedoMarker = { ...create,
      into: { ...create.into, skipData: true }, tesseraPopulated: populated };
    return { CreateTableAsStmt: form };
  }
  if ("RefreshMatViewStmt" in stmt) {
    const { tesseraRowsFrom: _from, ...refresh } = stmt.RefreshMatViewStmt as
      ast.RefreshMatViewStmt & RefreshFrom;
    const form: ast.RefreshMatViewStmt & RedoMarker = { ...refresh,
      tesseraPopulated: (refresh as RedoMarker).tesseraPopulated ?? refresh.skipData !== true };
    return { RefreshMatViewStmt: form };
  }
  return undefined;
}

/** The materialized view `rv` names: 42P01 when none, 0A000 when not a materialized view. */
export function matviewNamed(engine: Engine, rv: ast.RangeVar, ctx: StatementContext):
  Relation {
  const path = engine.statementScope([], ctx).path;
  const rel = engine.catalog.findRelation(path, rv.schemaname, rv.relname ?? "");
  if (rel === undefined) {
    throw new SqlError(SqlState.undefinedTable, `relation "${rv.relname ?? ""}" does not exist`);
  }
  if (rel.kind !== "m") {
    throw new SqlError(SqlState.featureNotSupported,
      `"${rel.name}" is not a materialized view`);
  }
  return rel;
}

/** The stored query without its naming projection: its rows fill the view by position. */
export function innerQuery(rel: Relation): ast.Node {
  const wrapper = rel.viewQuery;
  assert(wrapper !== null && "SelectStmt" in wrapper, "a materialized view keeps its query");
  const from = wrapper.SelectStmt.fromClause?.[0];
  assert(from !== undefined && "RangeSubselect" in from, "the query sits in a projection");
  const inner = from.RangeSubselect.subquery;
  assert(inner !== undefined, "the projection holds the query");
  return inner;
}

/** REFRESH … CONCURRENTLY's preconditions, in PostgreSQL's order. */
function checkConcurrent(rel: Relation, stmt: ast.RefreshMatViewStmt): void {
  if (rel.matviewPopulated !== true) {
    throw new SqlError(SqlState.featureNotSupported,
      "CONCURRENTLY cannot be used when the materialized view is not populated");
  }
  if (stmt.skipData === true) {
    throw new SqlError(SqlState.syntaxError,
      "CONCURRENTLY and WITH NO DATA options cannot be used together");
  }
  if (!rel.indexes.some((index) => index.unique && (index.computed?.predicate ?? null) === null)) {
    throw new SqlError(SqlState.objectNotInPrerequisiteState,
      `cannot refresh materialized view "${rel.schema}.${rel.name}" concurrently`,
      { hint: "Create a unique index with no WHERE clause on one or more columns of the " +
        "materialized view." });
  }
}

/** Deletes the rows the statement sees and inserts `rows`. */
function replaceRows(engine: Engine, rel: Relation, rows: readonly Row[],
  ctx: StatementContext): void {
  const rt = engine.runtime([], ctx);
  const writes = new StatementWriter(rt);
  const writer = writes.table(rel);
  for (const version of [...rel.store.versions]) {
    if (!sees(rt.snapshot, version)) continue;
    if (version.xmax !== 0 && (rt.guard?.changedVersion(version) ?? true)) continue;
    rt.guard?.checkRowLocks(version, "update");
    writer.delete(version);
  }
  for (const row of rows) writer.insertChecked(row.slice());
  writes.finish();
  engine.catalog.lastWriteId = rt.writeId;
}

function fill(engine: Engine, rel: Relation, rows: readonly Row[], ctx: StatementContext): void {
  const rt = engine.runtime([], ctx);
  const writes = new StatementWriter(rt);
  const writer = writes.table(rel);
  for (const row of rows) writer.insertChecked(row.slice());
  writes.finish();
  engine.catalog.lastWriteId = rt.writeId;
  rel.matviewPopulated = true;
}

/** The query kept under a projection naming the view's columns, as CREATE VIEW keeps it. */
function storedQuery(columns: readonly Column[], query: ast.Node): ast.Node {
  return { SelectStmt: {
    targetList: columns.map((c) => ({ ResTarget: { name: c.name,
      val: { ColumnRef: { fields: [{ String: { sval: c.name } }] } } } })),
    fromClause: [{ RangeSubselect: { subquery: query, alias: { aliasname: "v",
      colnames: columns.map((c) => ({ String: { sval: c.name } })) } } }],
    limitOption: "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE" } };
}
