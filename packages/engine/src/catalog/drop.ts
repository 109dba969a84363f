/** DROP TABLE / VIEW / INDEX / SEQUENCE [IF EXISTS] [CASCADE]. */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { Catalog } from "./catalog.js";

export function dropObjects(catalog: Catalog, path: readonly string[], stmt: ast.DropStmt,
  notice: (m: string) => void): string {
  const kind = stmt.removeType;
  const word = kind === "OBJECT_TABLE" ? "table" : kind === "OBJECT_VIEW" ? "view"
    : kind === "OBJECT_INDEX" ? "index" : kind === "OBJECT_SEQUENCE" ? "sequence" : undefined;
  if (word === undefined) throw notSupported(`DROP ${kind ?? "?"}`);
  for (const obj of stmt.objects ?? []) {
    const parts = ("List" in obj ? obj.List.items ?? [] : [obj])
      .map((n) => ("String" in n ? n.String.sval ?? "" : ""));
    const name = parts[parts.length - 1]!;
    const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
    const missing = (): void => {
      if (stmt.missing_ok === true) {
        notice(`${word} "${name}" does not exist, skipping`);
        return;
      }
      throw new SqlError(SqlState.undefinedTable, `${word} "${name}" does not exist`);
    };
    if (word === "index") {
      const found = catalog.findIndex(path, schema, name);
      if (found === undefined) { missing(); continue; }
      found.relation.indexes = found.relation.indexes.filter((i) => i !== found.index);
      catalog.releaseName(found.relation.schema, name);
      continue;
    }
    if (word === "sequence") {
      const seq = catalog.findSequence(path, schema, name);
      if (seq === undefined) { missing(); continue; }
      catalog.removeSequence(seq);
      continue;
    }
    const rel = catalog.findRelation(path, schema, name);
    if (rel === undefined || rel.kind !== (word === "table" ? "r" : "v")) { missing(); continue; }
    dropDependents(catalog, rel.oid, stmt.behavior === "DROP_CASCADE", rel.name, notice);
    catalog.removeRelation(rel);
    for (const seq of [...catalog.allSequences()]) {
      if (seq.ownedBy?.relationOid === rel.oid) catalog.removeSequence(seq);
    }
  }
  return `DROP ${word.toUpperCase()}`;
}

function dropDependents(catalog: Catalog, oid: number, cascade: boolean, name: string,
  notice: (m: string) => void): void {
  for (const other of catalog.allRelations()) {
    if (other.oid === oid) continue;
    const fks = other.foreignKeys.filter((fk) => fk.refRelationOid === oid);
    if (fks.length === 0) continue;
    if (!cascade) {
      throw new SqlError(SqlState.dependentObjectsStillExist,
        `cannot drop table ${name} because other objects depend on it`, {
          detail: `constraint ${fks[0]!.name} on table ${other.name} depends on table ${name}`,
          hint: "Use DROP ... CASCADE to drop the dependent objects too." });
    }
    for (const fk of fks) notice(`drop cascades to constraint ${fk.name} on table ${other.name}`);
    other.foreignKeys = other.foreignKeys.filter((fk) => fk.refRelationOid !== oid);
  }
}
