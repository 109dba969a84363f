/**
 * CREATE TABLE … AS query and SELECT … INTO table (Postgres's createas.c): the query is planned
 * first, its output columns (renamed by the optional column list) become the new table's, then
 * its rows are inserted as one statement. WITH NO DATA creates the table only.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast, Row } from "@tessera/sql";
import type { StatementContext } from "../api.js";
import type { Column, Relation } from "../catalog/relation.js";
import { checkRelOptions } from "../catalog/rel-options.js";
import { Oid } from "../catalog/types.js";
import { schemaOf } from "./ddl.js";
import type { Engine, PlannedQuery } from "../engine.js";
import type { Runtime } from "../execute/runtime.js";
import { StatementWriter } from "../execute/row-writer.js";
import { TableStore } from "../storage/table-store.js";

export interface CreateAsOptions {
  readonly ifNotExists: boolean;
  /** SELECT INTO reports "SELECT n" like CREATE TABLE AS, but WITH NO DATA does not exist. */
  readonly selectInto: boolean;
}

export async function createTableAs(engine: Engine, query: ast.Node, into: ast.IntoClause,
  options: CreateAsOptions, ctx: StatementContext, notice: (m: string) => void):
  Promise<string> {
  const made = createTableForQuery(engine, query, into, options, ctx, notice);
  if (typeof made === "string") return made;
  try {
    const rows = (await engine.openPlan(made.planned, [], ctx).fetch(0)).rows;
    const rt = engine.runtime([], ctx);
    fillCreatedTable(made.rel, rows, rt);
    engine.catalog.lastWriteId = rt.writeId;
    return `SELECT ${rows.length}`;
  } catch (error) {
    engine.catalog.removeRelation(made.rel);
    throw error;
  }
}

/** A new table and the plan of the query that fills it (not yet run). */
export interface TableForQuery {
  readonly rel: Relation;
  readonly planned: PlannedQuery;
}

/**
 * The first half of CREATE TABLE AS, at once: checks, plans the query and adds the table.
 * Returns the command tag instead when there is nothing more to do (IF NOT EXISTS found the
 * table, or WITH NO DATA). PL/pgSQL runs the query itself (`plpgsql/engine-host.ts`).
 */
export function createTableForQuery(engine: Engine, query: ast.Node, into: ast.IntoClause,
  options: CreateAsOptions, ctx: StatementContext, notice: (m: string) => void):
  TableForQuery | string {
  const catalog = engine.catalog;
  const statement = engine.statementScope([], ctx);
  const rv = into.rel!;
  const name = rv.relname ?? "";
  const schema = schemaOf(engine, rv, statement);
  if (catalog.nameTaken(schema, name)) {
    if (options.ifNotExists) {
      notice(`relation "${name}" already exists, skipping`);
      return "CREATE TABLE AS";
    }
    throw new SqlError(SqlState.duplicateTable, `relation "${name}" already exists`);
  }
  checkRelOptions(into.options);
  if ((into.onCommit ?? "ONCOMMIT_NOOP") !== "ONCOMMIT_NOOP" &&
    into.onCommit !== "ONCOMMIT_PRESERVE_ROWS") {
    throw notSupported("ON COMMIT DELETE ROWS and DROP");
  }
  const planned = engine.planQuery(query, statement);
  const rel: Relation = { oid: catalog.allocateOid(), kind: "r", schema, name,
    columns: tableColumns(planned.columns ?? [], into.colNames), store: new TableStore(),
    indexes: [], checks: [], foreignKeys: [], viewQuery: null, version: 0 };
  catalog.addRelation(rel);
  if (into.skipData === true) return "CREATE TABLE AS";
  return { rel, planned };
}

/** The second half: inserts the query's rows into the new table, in run `rt`. */
export function fillCreatedTable(rel: Relation, rows: readonly Row[], rt: Runtime): void {
  const writer = new StatementWriter(rt).table(rel);
  for (const row of rows) writer.insertChecked(row.slice());
}

/** The columns of a table made from a query's result (CREATE TABLE AS, materialized views). */
export function tableColumns(out: readonly { name: string; type: number; typmod: number }[],
  colNames: readonly ast.Node[] | undefined): Column[] {
  const names = (colNames ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : ""));
  if (names.length > out.length) {
    throw new SqlError(SqlState.syntaxError, "too many column names were specified");
  }
  const columns = out.map((c, i) => ({ name: names[i] ?? c.name,
    type: c.type === Oid.unknown ? Oid.text : c.type, typmod: c.typmod, notNull: false,
    defaultExpr: null, identity: null, generated: null, dropped: false }));
  columns.forEach((c, i) => {
    if (columns.findIndex((x) => x.name === c.name) !== i) {
      throw new SqlError(SqlState.duplicateColumn, `column "${c.name}" specified more than once`);
    }
  });
  return columns;
}
