/**
 * ALTER TABLE's identity and generated-column subcommands on an existing column:
 *
 * - ALTER COLUMN c DROP IDENTITY [IF EXISTS]: the column keeps its values and NOT NULL, loses
 *   its default, and its sequence is dropped.
 * - ALTER COLUMN c SET GENERATED { ALWAYS | BY DEFAULT } / SET <sequence option> / RESTART
 *   [WITH n]: changes the identity's kind or its sequence.
 * - ALTER COLUMN c DROP EXPRESSION [IF EXISTS]: a stored generated column becomes a plain one,
 *   keeping its values.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { Column, Relation, Sequence } from "../catalog/relation.js";
import { alterSequenceOptions } from "../catalog/sequences.js";
import { columnIndex, type AlterContext } from "./alter-table.js";

function prerequisite(rel: Relation, column: Column, what: string): SqlError {
  return new SqlError(SqlState.objectNotInPrerequisiteState,
    `column "${column.name}" of relation "${rel.name}" ${what}`);
}

function identitySequence(a: AlterContext, column: Column): Sequence | undefined {
  return [...a.catalog.allSequences()].find((s) => s.ownedBy?.relationOid === a.rel.oid &&
    s.ownedBy.column === column.name);
}

export function dropIdentityCmd(a: AlterContext, name: string, missingOk: boolean): void {
  const column = a.rel.columns[columnIndex(a.rel, name)]!;
  if (column.identity === null) {
    const error = prerequisite(a.rel, column, "is not an identity column");
    if (missingOk) return a.notice(`${error.message}, skipping`);
    throw error;
  }
  const saved = { identity: column.identity, defaultExpr: column.defaultExpr };
  const seq = identitySequence(a, column);
  column.identity = null;
  column.defaultExpr = null;
  if (seq !== undefined) a.catalog.removeSequence(seq);
  a.undo(() => {
    Object.assign(column, saved);
    if (seq !== undefined) a.catalog.addSequence(seq);
  });
}

export function setIdentityCmd(a: AlterContext, name: string, def: ast.Node | undefined): void {
  const column = a.rel.columns[columnIndex(a.rel, name)]!;
  if (column.identity === null) throw prerequisite(a.rel, column, "is not an identity column");
  const options = def !== undefined && "List" in def ? def.List.items ?? [] : [];
  const sequenceOptions: ast.Node[] = [];
  const savedKind = column.identity;
  for (const node of options) {
    if (!("DefElem" in node)) continue;
    const d = node.DefElem;
    if (d.defname !== "generated") {
      sequenceOptions.push(node);
      continue;
    }
    const when = d.arg !== undefined && "Integer" in d.arg ? d.arg.Integer.ival : undefined;
    column.identity = when === 97 ? "a" : "d";
  }
  a.undo(() => { column.identity = savedKind; });
  if (sequenceOptions.length === 0) return;
  const seq = identitySequence(a, column);
  if (seq === undefined) return;
  const before = alterSequenceOptions(seq, sequenceOptions);
  a.undo(() => Object.assign(seq, before));
}

export function dropExpressionCmd(a: AlterContext, name: string, missingOk: boolean): void {
  const column = a.rel.columns[columnIndex(a.rel, name)]!;
  if (column.generated === null) {
    const error = prerequisite(a.rel, column, "is not a stored generated column");
    if (missingOk) return a.notice(`${error.message}, skipping`);
    throw error;
  }
  const saved = column.generated;
  column.generated = null;
  a.undo(() => { column.generated = saved; });
}
