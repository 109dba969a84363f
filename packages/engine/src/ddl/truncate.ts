/**
 * TRUNCATE [TABLE] t, … [RESTART IDENTITY] [CASCADE]: empties tables and their indexes.
 * As Postgres's ExecuteTruncate, a table referenced by a foreign key of a table outside the
 * list is refused (0A000) unless CASCADE adds the referencing tables, with a NOTICE each.
 * RESTART IDENTITY restarts the sequences the tables' columns own.
 */
import { descendantsOf } from "../catalog/inheritance.js";
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { StatementScope } from "../analyze/scope.js";
import type { Relation } from "../catalog/relation.js";
import { partitionsToTruncate } from "../partition/attach.js";

export function truncate(stmt: ast.TruncateStmt, statement: StatementScope,
  notice: (message: string) => void,
  triggers?: (tables: readonly Relation[]) => () => void): string {
  const { catalog, path } = statement;
  const tables: Relation[] = [];
  for (const node of stmt.relations ?? []) {
    if (!("RangeVar" in node)) continue;
    const rv = node.RangeVar;
    const rel = catalog.findRelation(path, rv.schemaname, rv.relname ?? "");
    if (rel === undefined) {
      throw new SqlError(SqlState.undefinedTable, `relation "${rv.relname}" does not exist`);
    }
    if (rel.kind !== "r" || rel.virtualRows !== undefined) {
      throw new SqlError(SqlState.wrongObjectType, `"${rel.name}" is not a table`);
    }
    if (!tables.includes(rel)) tables.push(rel);
    for (const leaf of partitionsToTruncate(statement, rel, rv.inh === true)) {
      if (!tables.includes(leaf)) tables.push(leaf);
    }
    // Without ONLY (rv.inh set) the tables inheriting from rel are emptied too.
    for (const child of rv.inh === true ? descendantsOf(catalog, rel) : []) {
      if (!tables.includes(child)) tables.push(child);
    }
  }
  addReferencing(statement, tables, stmt.behavior === "DROP_CASCADE", notice);
  // BEFORE TRUNCATE triggers fire now, AFTER TRUNCATE ones once the tables are empty.
  const after = triggers?.(tables);
  for (const rel of tables) {
    rel.store.clear();
    for (const index of rel.indexes) index.tree.clear();
  }
  if (stmt.restart_seqs === true) {
    const oids = new Set(tables.map((t) => t.oid));
    for (const seq of catalog.allSequences()) {
      if (seq.ownedBy === null || !oids.has(seq.ownedBy.relationOid)) continue;
      seq.last = null;
      seq.restartAt = seq.start;
    }
  }
  after?.();
  return "TRUNCATE TABLE";
}

/** Adds the tables whose foreign keys reference `tables` (CASCADE), or refuses. */
function addReferencing(statement: StatementScope, tables: Relation[], cascade: boolean,
  notice: (message: string) => void): void {
  for (let i = 0; i < tables.length; i++) {
    const target = tables[i]!;
    for (const other of statement.catalog.allRelations()) {
      if (tables.includes(other)) continue;
      if (!other.foreignKeys.some((fk) => fk.refRelationOid === target.oid ||
        fk.refPartitions?.some((p) => p.relationOid === target.oid) === true)) continue;
      if (!cascade) {
        throw new SqlError(SqlState.featureNotSupported,
          "cannot truncate a table referenced in a foreign key constraint",
          { detail: `Table "${other.name}" references "${target.name}".`,
            hint: `Truncate table "${other.name}" at the same time, or use TRUNCATE ... ` +
              "CASCADE." });
      }
      notice(`truncate cascades to table "${other.name}"`);
      tables.push(other);
    }
  }
}
