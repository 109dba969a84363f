/**
 * UPDATE / DELETE … WHERE CURRENT OF cursor, for SQL cursors (Postgres's CurrentOfExpr,
 * executor/execCurrent.c). Postgres finds the row the cursor is on through the scan node of
 * the target table inside the cursor's plan. Here a cursor that is a simple scan of one table
 * (one table in FROM; no grouping, aggregates, DISTINCT, window functions or set operations:
 * what Postgres calls "simply updatable") reads that table's `ctid` as a hidden last column,
 * and the statement's `WHERE CURRENT OF c` becomes `WHERE ctid = '<the current row's ctid>'`
 * before it is planned.
 *
 * Over the extended protocol the statement is planned at Parse with a placeholder test
 * (`currentOfPlaceholder`) and planned again with the cursor's row at each Execute.
 *
 * Not yet: following a row this cursor already updated to its new version, as Postgres
 * does; a second UPDATE or DELETE WHERE CURRENT OF on that row is refused (0A000).
 *
 * Errors as Postgres's: a view target (0A000, `analyze/current-of.ts`), then no such cursor
 * (34000), a cursor held from a committed transaction, not a simply updatable scan of the
 * target table, or not on a row (24000).
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { markCurrentOf } from "../analyze/current-of.js";
import { scrollableByDefault } from "./cursor-scrollability.js";

/** A cursor's query widened with the hidden ctid column, and the table it scans. */
export interface CurrentOfScan {
  readonly query: ast.Node;
  readonly table: ast.RangeVar;
}

/** What a WHERE CURRENT OF needs of a cursor: its table and its current row's ctid. */
export interface CurrentOfSource {
  readonly table: ast.RangeVar | undefined;
  /** A WITH HOLD cursor whose transaction committed (its rows are a copy now). */
  readonly held: boolean;
  /** The ctid of the row the cursor is on; undefined when it is on none. */
  currentCtid(): string | undefined;
}

/** `query` with `ctid` appended to its select list when it is a simple scan of one table. */
export function widenForCurrentOf(query: ast.Node): CurrentOfScan | undefined {
  if (!("SelectStmt" in query)) return undefined;
  const select = query.SelectStmt;
  const from = select.fromClause ?? [];
  if (from.length !== 1 || !("RangeVar" in from[0]!)) return undefined;
  if (select.targetList === undefined || select.withClause !== undefined) return undefined;
  // A single-table query that is not grouped, distinct or a set operation (the same shape
  // test as a default cursor's scrollability, less its ORDER BY and FOR UPDATE).
  const bare = { SelectStmt: { ...select, sortClause: [], lockingClause: [] } };
  if (!scrollableByDefault(bare)) return undefined;
  const ctid: ast.Node = { ResTarget: { val: { ColumnRef: { fields: [{ String: {
    sval: "ctid" } }] } } } };
  return { query: { SelectStmt: { ...select, targetList: [...select.targetList, ctid] } },
    table: from[0].RangeVar };
}

/** The cursor named by an UPDATE's or DELETE's WHERE CURRENT OF, if it has one. */
export function currentOfCursor(stmt: ast.Node): string | undefined {
  const where = "UpdateStmt" in stmt ? stmt.UpdateStmt.whereClause
    : "DeleteStmt" in stmt ? stmt.DeleteStmt.whereClause : undefined;
  if (where === undefined || !("CurrentOfExpr" in where)) return undefined;
  return where.CurrentOfExpr.cursor_name ?? "";
}

/**
 * `stmt` with WHERE CURRENT OF `name` replaced by a ctid test of the cursor's current row.
 * When the cursor names no row of the target, the test is marked with the error, which the
 * analyzer raises once it knows the target is not a view (`analyze/current-of.ts`).
 */
export function resolveCurrentOf(stmt: ast.Node, name: string,
  cursor: CurrentOfSource | undefined): ast.Node {
  const error = cursorError(stmt, name, cursor);
  if (error !== undefined) return withCtidTest(stmt, "(0,0)", error);
  return withCtidTest(stmt, cursor!.currentCtid()!, null);
}

/** Why `cursor` cannot name the row of the statement's target, or undefined when it can. */
function cursorError(stmt: ast.Node, name: string, cursor: CurrentOfSource | undefined):
  SqlError | undefined {
  if (cursor === undefined) {
    return new SqlError(SqlState.invalidCursorName, `cursor "${name}" does not exist`);
  }
  if (cursor.held) {
    return new SqlError(SqlState.invalidCursorState,
      `cursor "${name}" is held from a previous transaction`);
  }
  const target = "UpdateStmt" in stmt ? stmt.UpdateStmt.relation
    : "DeleteStmt" in stmt ? stmt.DeleteStmt.relation : undefined;
  const targetName = target?.relname ?? "";
  const table = cursor.table;
  if (table === undefined || table.relname !== targetName ||
    (target?.schemaname !== undefined && table.schemaname !== undefined &&
      target.schemaname !== table.schemaname)) {
    return new SqlError(SqlState.invalidCursorState,
      `cursor "${name}" is not a simply updatable scan of table "${targetName}"`);
  }
  if (cursor.currentCtid() === undefined) {
    return new SqlError(SqlState.invalidCursorState,
      `cursor "${name}" is not positioned on a row`);
  }
  return undefined;
}

/**
 * For the extended protocol's Parse: `stmt` with its WHERE CURRENT OF replaced by a test of
 * a ctid no row has, so the statement plans (parameter types, RETURNING's columns) before
 * the cursor exists; Execute plans it again with the cursor's row (`resolveCurrentOf`), as
 * PostgreSQL looks the cursor up only when the statement runs.
 */
export function currentOfPlaceholder(stmt: ast.Node): ast.Node {
  return withCtidTest(stmt, "(0,0)", null);
}

/** `stmt` with its WHERE replaced by `ctid = '<ctid>'::tid`, marked with `error`. */
function withCtidTest(stmt: ast.Node, ctid: string, error: SqlError | null): ast.Node {
  const where: ast.Node = { A_Expr: { kind: "AEXPR_OP", name: [{ String: { sval: "=" } }],
    lexpr: { ColumnRef: { fields: [{ String: { sval: "ctid" } }] } },
    rexpr: { TypeCast: { arg: { A_Const: { sval: { sval: ctid } } },
      typeName: { names: [{ String: { sval: "tid" } }] } } } } };
  markCurrentOf(where, error);
  if ("UpdateStmt" in stmt) return { UpdateStmt: { ...stmt.UpdateStmt, whereClause: where } };
  if ("DeleteStmt" in stmt) return { DeleteStmt: { ...stmt.DeleteStmt, whereClause: where } };
  return stmt;
}
