/**
 * ALTER … RENAME (Postgres's RenameStmt): tables, views, indexes and sequences, columns and
 * table constraints; schemas in `schema-moves.ts`. Stored expressions name columns in their
 * raw form, so renaming a column rewrites the CHECK constraints that read it, and a rename
 * rewrites the stored queries of the views that read the object (`view-follow.ts`).
 */
import { columnRenameTargets } from "./inherits-alter.js";
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { Catalog } from "../catalog/catalog.js";
import type { Relation } from "../catalog/relation.js";
import { defaultsNaming, renameSchema, requalify } from "./schema-moves.js";
import { refuseSystemColumnChange, refuseSystemColumnName } from
  "../catalog/system-column-names.js";
import { followColumnRename, followRelationRename } from "./view-follow.js";

const tags: Readonly<Record<string, string>> = {
  OBJECT_TABLE: "ALTER TABLE", OBJECT_VIEW: "ALTER VIEW", OBJECT_INDEX: "ALTER INDEX",
  OBJECT_SEQUENCE: "ALTER SEQUENCE", OBJECT_COLUMN: "ALTER TABLE",
  OBJECT_TABCONSTRAINT: "ALTER TABLE", OBJECT_MATVIEW: "ALTER MATERIALIZED VIEW",
};

export function renameObject(catalog: Catalog, path: readonly string[], stmt: ast.RenameStmt,
  notice: (message: string) => void): string {
  const kind = stmt.renameType ?? "";
  if (kind === "OBJECT_SCHEMA") {
    return renameSchema(catalog, stmt.subname ?? "", stmt.newname ?? "");
  }
  const tag = (kind === "OBJECT_COLUMN" ? tags[stmt.relationType ?? ""] : undefined) ?? tags[kind];
  if (tag === undefined) {
    throw notSupported(`renaming ${kind.replace("OBJECT_", "").toLowerCase()}`);
  }
  const rv = stmt.relation!;
  const name = rv.relname ?? "";
  const newName = stmt.newname ?? "";
  if (kind === "OBJECT_INDEX") return renameIndex(catalog, path, rv, newName, stmt.missing_ok);
  // ALTER TABLE … RENAME takes a sequence too, as PostgreSQL's RenameRelation does.
  const tableSequence = kind === "OBJECT_TABLE" &&
    catalog.findRelation(path, rv.schemaname, name) === undefined &&
    catalog.findSequence(path, rv.schemaname, name) !== undefined;
  if (kind === "OBJECT_SEQUENCE" || tableSequence) {
    const seq = catalog.findSequence(path, rv.schemaname, name);
    if (seq === undefined) return missing(rv, stmt.missing_ok === true, notice, tag);
    checkFree(catalog, seq.schema, newName);
    const defaults = defaultsNaming(catalog, new Set([seq.oid]));
    catalog.releaseName(seq.schema, seq.name);
    seq.name = newName;
    catalog.claimName(seq.schema, newName, seq.oid);
    requalify(catalog, defaults);
    return tag;
  }
  const rel = catalog.findRelation(path, rv.schemaname, name);
  if (rel === undefined) return missing(rv, stmt.missing_ok === true, notice, tag);
  if (kind === "OBJECT_COLUMN") {
    for (const target of columnRenameTargets(catalog, rel, rv, stmt.subname ?? "")) {
      renameColumn(target, stmt.subname ?? "", newName);
      followOwnedSequences(catalog, target, stmt.subname ?? "", newName);
      followColumnRename(catalog, target, stmt.subname ?? "", newName);
      if (target !== rel) target.version++;
    }
  }
  else if (kind === "OBJECT_TABCONSTRAINT") {
    renameConstraint(catalog, rel, stmt.subname ?? "", newName);
  }
  else {
    checkFree(catalog, rel.schema, newName);
    catalog.releaseName(rel.schema, rel.name);
    const oldName = rel.name;
    rel.name = newName;
    catalog.claimName(rel.schema, newName, rel.oid);
    followRelationRename(catalog, rel, oldName);
  }
  rel.version++;
  return tag;
}

/** Sequences owned by a renamed column (serial, identity) follow its new name. */
function followOwnedSequences(catalog: Catalog, rel: Relation, from: string, to: string):
  void {
  for (const seq of catalog.allSequences()) {
    if (seq.ownedBy?.relationOid === rel.oid && seq.ownedBy.column === from) {
      seq.ownedBy = { relationOid: rel.oid, column: to };
    }
  }
}

function missing(rv: ast.RangeVar, missingOk: boolean, notice: (m: string) => void,
  tag: string): string {
  if (!missingOk) {
    throw new SqlError(SqlState.undefinedTable, `relation "${rv.relname}" does not exist`);
  }
  notice(`relation "${rv.relname}" does not exist, skipping`);
  return tag;
}

function checkFree(catalog: Catalog, schema: string, name: string): void {
  if (catalog.nameTaken(schema, name)) {
    throw new SqlError(SqlState.duplicateTable, `relation "${name}" already exists`);
  }
}

function renameIndex(catalog: Catalog, path: readonly string[], rv: ast.RangeVar,
  newName: string, missingOk: boolean | undefined): string {
  const found = catalog.findIndex(path, rv.schemaname, rv.relname ?? "");
  if (found === undefined) {
    if (missingOk === true) return "ALTER INDEX";
    throw new SqlError(SqlState.undefinedTable, `relation "${rv.relname}" does not exist`);
  }
  const { relation, index } = found;
  checkFree(catalog, relation.schema, newName);
  catalog.releaseName(relation.schema, index.name);
  index.name = newName;
  // The constraint an index implements takes the index's new name, as in Postgres.
  if (index.constraintName !== null) {
    const renamed = { ...index, constraintName: newName };
    relation.indexes = relation.indexes.map((i) => (i === index ? renamed : i));
  }
  catalog.claimName(relation.schema, newName, index.oid);
  relation.version++;
  return "ALTER INDEX";
}

function renameColumn(rel: Relation, from: string, to: string): void {
  refuseSystemColumnChange("rename", from);
  refuseSystemColumnName(to);
  const column = rel.columns.find((c) => c.name === from && !c.dropped);
  if (column === undefined) {
    throw new SqlError(SqlState.undefinedColumn, `column "${from}" does not exist`);
  }
  if (rel.columns.some((c) => c.name === to && !c.dropped)) {
    throw new SqlError(SqlState.duplicateColumn,
      `column "${to}" of relation "${rel.name}" already exists`);
  }
  column.name = to;
  rel.checks = rel.checks.map((c) => ({ ...c, expr: renameRefs(c.expr, from, to) as ast.Node }));
  for (const other of rel.columns) {
    if (other.generated === null) continue;
    other.generated = renameRefs(other.generated, from, to) as ast.Node;
  }
}

/** Returns a copy of a raw expression with column references to `from` reading `to`. */
function renameRefs(node: unknown, from: string, to: string): unknown {
  if (node === null || typeof node !== "object") return node;
  if (Array.isArray(node)) return node.map((n) => renameRefs(n, from, to));
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    out[key] = key === "ColumnRef" ? renameRef(value, from, to) : renameRefs(value, from, to);
  }
  return out;
}

function renameRef(ref: unknown, from: string, to: string): unknown {
  const fields = (ref as { fields?: { String?: { sval?: string } }[] }).fields ?? [];
  const last = fields[fields.length - 1];
  if (last?.String?.sval !== from) return ref;
  return { ...(ref as object), fields: [...fields.slice(0, -1), { String: { sval: to } }] };
}

function renameConstraint(catalog: Catalog, rel: Relation, from: string, to: string): void {
  const check = rel.checks.findIndex((c) => c.name === from);
  const fk = rel.foreignKeys.findIndex((f) => f.name === from);
  const index = rel.indexes.find((i) => i.constraintName === from);
  if (check < 0 && fk < 0 && index === undefined) {
    throw new SqlError(SqlState.undefinedObject,
      `constraint "${from}" for table "${rel.name}" does not exist`);
  }
  if (check >= 0) rel.checks[check] = { ...rel.checks[check]!, name: to };
  if (fk >= 0) rel.foreignKeys[fk] = { ...rel.foreignKeys[fk]!, name: to };
  if (index !== undefined) {
    checkFree(catalog, rel.schema, to);
    catalog.releaseName(rel.schema, index.name);
    const renamed = { ...index, name: to, constraintName: to };
    rel.indexes = rel.indexes.map((i) => (i === index ? renamed : i));
    catalog.claimName(rel.schema, to, index.oid);
  }
}
