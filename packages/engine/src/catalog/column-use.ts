/**
 * Which columns of a table a statement reads, inserts and updates, for the column privilege
 * check (Postgres's selectedCols, insertedCols and updatedCols of a range table entry). It
 * reads the raw statement: a column reference counts for a table when it names one of its
 * columns, unqualified or qualified by the table's name or alias; `*`, `t.*` and a
 * whole-row reference `t` read every column. INSERT's columns are its column list, or the
 * first as many columns as its rows have values; UPDATE's, the SET targets.
 *
 * This is only consulted when the role lacks a privilege on the whole table, so reading a
 * few more columns than the analyzer would (an unqualified name another table also has)
 * only makes such a role's check stricter, never looser.
 */
import type { ast } from "@tessera/sql";
import type { Relation } from "./relation.js";
import { walk } from "./depend.js";

/** Column names, or every column. */
export type ColumnSet = ReadonlySet<string> | "all";

export interface ColumnUse {
  readonly selected: ColumnSet;
  readonly inserted: ColumnSet;
  readonly updated: ColumnSet;
}

function names(list: readonly ast.Node[] | undefined): string[] {
  return (list ?? []).flatMap((n) => ("ResTarget" in n ? [n.ResTarget.name ?? ""] : []));
}

function stringOf(node: ast.Node | undefined): string | undefined {
  return node !== undefined && "String" in node ? node.String.sval : undefined;
}

/** The columns of `rel` (named `refName` in the statement) that `stmt` reads. */
function selectedColumns(stmt: ast.Node, rel: Relation, refName: string): ColumnSet {
  const columns = new Set(rel.columns.filter((c) => !c.dropped).map((c) => c.name));
  const read = new Set<string>();
  let all = false;
  walk(stmt, 0, (node) => {
    if (!("ColumnRef" in node)) return;
    const fields = node.ColumnRef.fields ?? [];
    const last = fields[fields.length - 1];
    const qualifier = fields.length >= 2 ? stringOf(fields[fields.length - 2]) : undefined;
    if (last !== undefined && "A_Star" in last) {
      if (qualifier === undefined || qualifier === refName) all = true;
      return;
    }
    const name = stringOf(last);
    if (name === undefined) return;
    if (qualifier === undefined) {
      if (columns.has(name)) read.add(name);
      else if (name === refName) all = true; // the whole row
    } else if (qualifier === refName && columns.has(name)) read.add(name);
    else if (fields.length === 1 && name === refName) all = true;
  });
  return all ? "all" : read;
}

/** The columns an INSERT gives values: its list, or as many leading columns as values. */
function insertedColumns(insert: ast.InsertStmt, rel: Relation): ColumnSet {
  const listed = names(insert.cols);
  if (listed.length > 0) return new Set(listed);
  const select = insert.selectStmt !== undefined && "SelectStmt" in insert.selectStmt
    ? insert.selectStmt.SelectStmt : undefined;
  if (select === undefined) return new Set(); // DEFAULT VALUES
  const firstRow = select.valuesLists?.[0];
  let width: number;
  if (firstRow !== undefined) {
    width = "List" in firstRow ? (firstRow.List.items ?? []).length : 0;
  } else {
    const targets = select.targetList ?? [];
    const star = targets.some((t) => "ResTarget" in t && t.ResTarget.val !== undefined &&
      "ColumnRef" in t.ResTarget.val &&
      (t.ResTarget.val.ColumnRef.fields ?? []).some((f) => "A_Star" in f));
    if (star || (select.op !== undefined && select.op !== "SETOP_NONE")) return "all";
    width = targets.length;
  }
  return new Set(rel.columns.filter((c) => !c.dropped).slice(0, width).map((c) => c.name));
}

/** What `stmt` does with the columns of `rel`, which it names by `refName`. */
export function columnUseOf(stmt: ast.Node, target: ast.RangeVar, rel: Relation): ColumnUse {
  const refName = target.alias?.aliasname ?? target.relname ?? "";
  const selected = selectedColumns(stmt, rel, refName);
  let inserted: ColumnSet = new Set();
  let updated: ColumnSet = new Set();
  if ("InsertStmt" in stmt && stmt.InsertStmt.relation === target) {
    inserted = insertedColumns(stmt.InsertStmt, rel);
    const conflict = stmt.InsertStmt.onConflictClause;
    if (conflict?.action === "ONCONFLICT_UPDATE") updated = new Set(names(conflict.targetList));
  }
  if ("UpdateStmt" in stmt && stmt.UpdateStmt.relation === target) {
    updated = new Set(names(stmt.UpdateStmt.targetList));
  }
  if ("CopyStmt" in stmt && stmt.CopyStmt.relation === target) {
    const list = (stmt.CopyStmt.attlist ?? []).flatMap((n) => stringOf(n) ?? []);
    const columns: ColumnSet = list.length > 0 ? new Set(list) : "all";
    return stmt.CopyStmt.is_from === true
      ? { selected: new Set(), inserted: columns, updated }
      : { selected: columns, inserted, updated };
  }
  return { selected, inserted, updated };
}
