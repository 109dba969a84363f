/**
 * The checks CREATE TABLE makes on the expressions it stores, as Postgres's cookDefault does
 * when it adds them: each DEFAULT is analyzed and coerced to its column's type, so
 * `x int default 'abc'` fails at CREATE TABLE with 22P02, not at the first INSERT. A table
 * that fails a check is removed again with everything it made (owned sequences, indexes).
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { refuseSubqueries } from "../analyze/domain-coerce.js";
import { analyzeExpr, asBoolean } from "../analyze/expr-analyze.js";
import type { Expr } from "../analyze/expr.js";
import type { StatementScope } from "../analyze/scope.js";
import { Scope } from "../analyze/scope.js";
import { defaultFor, tableItem } from "../analyze/modify-target.js";
import { removeTable } from "../catalog/create-table.js";
import { someExpr } from "../analyze/expr-map.js";
import { mentionsColumn } from "./alter-table.js";
import type { Relation } from "../catalog/relation.js";

export function checkNewTable(rel: Relation, statement: StatementScope): void {
  try {
    const scope = new Scope(statement, undefined);
    rel.columns.forEach((c, i) => {
      if (c.generated !== null) analyzeGenerated(rel, i, statement);
      if (c.defaultExpr === null) return;
      refuseColumnRefs(c.defaultExpr);
      defaultFor(rel, i, scope);
    });
    for (const check of rel.checks) analyzeCheck(rel, check.expr, statement);
  } catch (error) {
    removeTable(statement.catalog, rel);
    throw error;
  }
}

/**
 * Analyzes a CHECK constraint's expression over `rel` as Postgres's cookConstraint does: no
 * subquery (0A000), no aggregate or window function (42803, 42P20), a boolean result, and
 * only the table's own columns (42703).
 */
export function analyzeCheck(rel: Relation, expr: ast.Node, statement: StatementScope): Expr {
  refuseSubqueries(expr, "check constraint");
  const scope = new Scope(statement, undefined);
  scope.clause = "check constraints";
  scope.items.push(tableItem(rel, rel.name, 0));
  return asBoolean(analyzeExpr(expr, scope), "CHECK", scope);
}

/**
 * Checks a stored generated column's expression as Postgres's cookDefault does: no other
 * generated column (42P17), no aggregate, window or set-returning function, no subquery, and
 * only immutable functions (42P17).
 */
export function analyzeGenerated(rel: Relation, i: number, statement: StatementScope): void {
  const column = rel.columns[i]!;
  const expr = column.generated!;
  refuseSubqueries(expr, "column generation expression");
  for (const other of rel.columns) {
    if (other === column || other.generated === null || other.dropped) continue;
    if (!mentionsColumn(expr, other.name)) continue;
    throw new SqlError(SqlState.invalidObjectDefinition,
      `cannot use generated column "${other.name}" in column generation expression`,
      { detail: "A generated column cannot reference another generated column." });
  }
  const scope = new Scope(statement, undefined);
  scope.clause = "column generation expressions";
  scope.items.push(tableItem(rel, rel.name, 0));
  const analyzed = analyzeExpr(expr, scope);
  if (someExpr(analyzed, (e) => e.kind === "call" && (e.volatile || e.immutable === false))) {
    throw new SqlError(SqlState.invalidObjectDefinition, "generation expression is not immutable");
  }
}

/** cookDefault's 0A000: a DEFAULT may not read a column nor hold a subquery. */
export function refuseColumnRefs(expr: ast.Node): void {
  refuseSubqueries(expr, "DEFAULT expression");
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== "object") return;
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if ("ColumnRef" in node) {
      throw new SqlError(SqlState.featureNotSupported,
        "cannot use column reference in DEFAULT expression");
    }
    if ("SubLink" in node) return;
    Object.values(node).forEach(visit);
  };
  visit(expr);
}
