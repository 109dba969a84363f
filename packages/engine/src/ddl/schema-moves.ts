/**
 * Moving objects between schemas: ALTER SCHEMA … RENAME TO, and ALTER TABLE / VIEW /
 * SEQUENCE … SET SCHEMA. Postgres keys objects by OID, so both only change the schema an
 * object's name lives in; here the catalog's name map is keyed by (schema, name), so the
 * names move with the objects. A table takes its indexes and the sequences it owns along,
 * as Postgres's AlterTableNamespace does. Both run as utility statements and so are logged
 * and replayed like the other DDL (`storage/redo.ts`).
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { isTempSchema, type Catalog } from "../catalog/catalog.js";
import type { Relation, Sequence } from "../catalog/relation.js";

/** SQLSTATE reserved_name. */
const reservedName = "42939";

/** ALTER SCHEMA from RENAME TO to. */
export function renameSchema(catalog: Catalog, from: string, to: string): string {
  if (!catalog.schemaExists(from)) {
    throw new SqlError(SqlState.invalidSchemaName, `schema "${from}" does not exist`);
  }
  if (catalog.schemaExists(to)) {
    throw new SqlError(SqlState.duplicateSchema, `schema "${to}" already exists`);
  }
  if (to.startsWith("pg_")) {
    throw new SqlError(reservedName, `unacceptable schema name "${to}"`,
      { detail: 'The prefix "pg_" is reserved for system schemas.' });
  }
  if (from === "pg_catalog" || from === "information_schema" || isTempSchema(from)) {
    throw notSupported(`renaming system schema "${from}"`);
  }
  const relations = [...catalog.allRelations()].filter((r) => r.schema === from);
  const sequences = [...catalog.allSequences()].filter((s) => s.schema === from);
  catalog.renameSchema(from, to);
  for (const rel of relations) moveRelation(catalog, rel, to);
  for (const seq of sequences) moveSequence(catalog, seq, to);
  return "ALTER SCHEMA";
}

const setSchemaTags: Readonly<Record<string, string>> = {
  OBJECT_TABLE: "ALTER TABLE", OBJECT_VIEW: "ALTER VIEW", OBJECT_SEQUENCE: "ALTER SEQUENCE",
};

/** ALTER TABLE / VIEW / SEQUENCE name SET SCHEMA target. */
export function setSchema(catalog: Catalog, path: readonly string[],
  stmt: ast.AlterObjectSchemaStmt, notice: (message: string) => void): string {
  const kind = stmt.objectType ?? "";
  const tag = setSchemaTags[kind];
  if (tag === undefined || stmt.relation === undefined) {
    throw notSupported(`SET SCHEMA of ${kind.replace("OBJECT_", "").toLowerCase()}`);
  }
  const rv = stmt.relation;
  const name = rv.relname ?? "";
  const found = catalog.lookupName(path, rv.schemaname, name);
  const rel = found === undefined ? undefined : catalog.relation(found.oid);
  const seq = found === undefined ? undefined : catalog.sequence(found.oid);
  if (rel === undefined && seq === undefined) {
    if (stmt.missing_ok !== true) {
      throw new SqlError(SqlState.undefinedTable, `relation "${name}" does not exist`);
    }
    notice(`relation "${name}" does not exist, skipping`);
    return tag;
  }
  const target = stmt.newschema ?? "";
  if (!catalog.schemaExists(target)) {
    throw new SqlError(SqlState.invalidSchemaName, `schema "${target}" does not exist`);
  }
  const from = found!.schema;
  if (isTempSchema(from) !== isTempSchema(target) || target === "pg_catalog") {
    throw new SqlError(SqlState.featureNotSupported,
      "cannot move objects into or out of temporary schemas");
  }
  if (from === target) return tag;
  if (catalog.nameTaken(target, name)) {
    throw new SqlError(SqlState.duplicateTable,
      `relation "${name}" already exists in schema "${target}"`);
  }
  if (seq !== undefined) {
    moveSequence(catalog, seq, target);
    return tag;
  }
  checkIndexNames(catalog, rel!, target);
  moveRelation(catalog, rel!, target);
  for (const owned of catalog.allSequences()) {
    if (owned.ownedBy?.relationOid === rel!.oid && owned.schema === from) {
      moveSequence(catalog, owned, target);
    }
  }
  return tag;
}

function checkIndexNames(catalog: Catalog, rel: Relation, target: string): void {
  for (const index of rel.indexes) {
    if (catalog.nameTaken(target, index.name)) {
      throw new SqlError(SqlState.duplicateTable,
        `relation "${index.name}" already exists in schema "${target}"`);
    }
  }
}

function moveRelation(catalog: Catalog, rel: Relation, to: string): void {
  catalog.releaseName(rel.schema, rel.name);
  for (const index of rel.indexes) catalog.releaseName(rel.schema, index.name);
  rel.schema = to;
  catalog.claimName(to, rel.name, rel.oid);
  for (const index of rel.indexes) catalog.claimName(to, index.name, index.oid);
  rel.version++;
}

function moveSequence(catalog: Catalog, seq: Sequence, to: string): void {
  catalog.releaseName(seq.schema, seq.name);
  seq.schema = to;
  catalog.claimName(to, seq.name, seq.oid);
}
