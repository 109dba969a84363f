/**
 * The checks CREATE TABLE makes on the expressions it stores, as Postgres's cookDefault does
 * when it adds them: each DEFAULT is analyzed and coerced to its column's type, so
 * `x int default 'abc'` fails at CREATE TABLE with 22P02, not at the first INSERT. A table
 * that fails a check is removed again with everything it made (owned sequences, indexes).
 */
import type { StatementScope } from "../analyze/scope.js";
import { Scope } from "../analyze/scope.js";
import { defaultFor } from "../analyze/modify-target.js";
import { removeTable } from "../catalog/create-table.js";
import type { Relation } from "../catalog/relation.js";

export function checkNewTable(rel: Relation, statement: StatementScope): void {
  try {
    const scope = new Scope(statement, undefined);
    rel.columns.forEach((c, i) => {
      if (c.defaultExpr !== null) defaultFor(rel, i, scope);
    });
  } catch (error) {
    removeTable(statement.catalog, rel);
    throw error;
  }
}
