/**
 * SELECT DISTINCT ON (…) (parse_clause.c's transformDistinctOnClause): each expression is a
 * select-list entry, or a hidden column added for it, and ORDER BY must start with the
 * DISTINCT ON expressions (in any order) for "the first row of each group" to mean anything:
 *
 *   select distinct on (lower(city)) lower(city), id … order by lower(city), id     fine
 *   select distinct on (city) name … order by age        42P10: must match initial ORDER BY
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { Expr } from "./expr.js";
import { exprKey } from "./grouping.js";

export interface ProjectedColumns {
  /** The projection's expressions: the select list, then hidden sort and DISTINCT ON keys. */
  readonly exprs: Expr[];
  /** `exprKey` of each entry of `exprs`, to find an expression already projected. */
  readonly keys: string[];
}

/**
 * Returns the projected columns DISTINCT ON compares, adding hidden ones as needed.
 * `resolve` gives a select-list position (an ordinal or output name) or an expression;
 * `orderTargets` are the projected columns ORDER BY sorts by, in order.
 */
export function resolveDistinctOn(clause: readonly ast.Node[],
  resolve: (node: ast.Node) => number | Expr, projected: ProjectedColumns,
  orderTargets: readonly number[]): number[] {
  const columns = clause.map((node) => {
    const ref = resolve(node);
    if (typeof ref === "number") return ref;
    const key = exprKey(ref);
    const existing = projected.keys.indexOf(key);
    if (existing >= 0) return existing;
    projected.exprs.push(ref);
    projected.keys.push(key);
    return projected.exprs.length - 1;
  });
  checkAgainstOrder(columns, orderTargets);
  return columns;
}

function checkAgainstOrder(columns: readonly number[], orderTargets: readonly number[]): void {
  let skipped = false;
  for (const target of orderTargets) {
    if (!columns.includes(target)) skipped = true;
    else if (skipped) throw mismatch();
  }
  if (skipped && columns.some((c) => !orderTargets.includes(c))) throw mismatch();
}

function mismatch(): SqlError {
  return new SqlError(SqlState.invalidColumnReference,
    "SELECT DISTINCT ON expressions must match initial ORDER BY expressions");
}
