/**
 * CREATE INDEX on a partitioned table: the index must hold the partition key when unique,
 * and every partition, at every level, gets a matching index (DefineIndex's recursion).
 */
import type { ast } from "@tessera/sql";
import type { StatementScope } from "../analyze/scope.js";
import type { Relation } from "../catalog/relation.js";
import { checkUniqueIndexes, cloneIndex } from "./create.js";
import { partitionsNow } from "./model.js";

/** Runs after CREATE INDEX: passes the new index on when its table is partitioned. */
export function indexPartitions(statement: StatementScope, stmt: ast.IndexStmt): void {
  const rv = stmt.relation;
  const rel = rv === undefined ? undefined
    : statement.catalog.findRelation(statement.path, rv.schemaname, rv.relname ?? "");
  if (rel?.partitionKey === undefined) return;
  const index = rel.indexes[rel.indexes.length - 1];
  if (index === undefined) return;
  try {
    checkUniqueIndexes(rel, [index]);
    cascade(statement, rel, index);
  } catch (error) {
    rel.indexes = rel.indexes.filter((i) => i !== index);
    statement.catalog.releaseName(rel.schema, index.name);
    rel.version++;
    throw error;
  }
}

function cascade(statement: StatementScope, parent: Relation,
  index: Relation["indexes"][number]): void {
  for (const child of partitionsNow(statement.catalog, parent)) {
    const before = child.indexes.length;
    cloneIndex(statement.catalog, parent, index, child);
    const added = child.indexes[before];
    if (added !== undefined && child.partitionKey !== undefined) cascade(statement, child, added);
  }
}
