/**
 * LIMIT / OFFSET / FETCH FIRST [WITH TIES]: bigint-coerced expressions evaluated when the plan
 * opens. WITH TIES keeps the rows that tie the last counted one under ORDER BY, so it needs
 * the ORDER BY's keys over the rows the limit reads.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { Oid, formatTypeName } from "../catalog/types.js";
import type { Plan } from "../plan/plan.js";
import { coerceTo } from "./coerce.js";
import type { SortKey } from "./expr.js";
import { analyzeExpr } from "./expr-analyze.js";
import type { Scope } from "./scope.js";

export function analyzeLimit(stmt: ast.SelectStmt, plan: Plan, scope: Scope,
  order: readonly SortKey[] = []): Plan {
  const withTies = stmt.limitOption === "LIMIT_OPTION_WITH_TIES";
  if (withTies && order.length === 0) {
    throw new SqlError(SqlState.syntaxError,
      "WITH TIES cannot be specified without ORDER BY clause");
  }
  if (stmt.limitCount === undefined && stmt.limitOffset === undefined) return plan;
  const analyze = (node: ast.Node | undefined, what: string) => {
    if (node === undefined) return null;
    if ("A_Const" in node && node.A_Const.isnull === true) return null;
    scope.clause = what;
    const saved = scope.aggs;
    scope.aggs = null;
    const e = analyzeExpr(node, scope);
    scope.aggs = saved;
    if (e.kind === "var") {
      throw new SqlError(SqlState.invalidColumnReference,
        `argument of ${what} must not contain variables`);
    }
    // As coerce_to_specific_type: an assignment cast (LIMIT 1.5 rounds to 2), and its own
    // message when there is none.
    try {
      return coerceTo(e, Oid.int8, -1, "a", scope.statement.params);
    } catch (error) {
      if (!(error instanceof SqlError) || error.code !== SqlState.cannotCoerce) throw error;
      throw new SqlError(SqlState.datatypeMismatch,
        `argument of ${what} must be type bigint, not type ${formatTypeName(e.type, -1)}`);
    }
  };
  const countExpr = analyze(stmt.limitCount, "LIMIT");
  const nullCount = countExpr === null || (countExpr.kind === "const" && countExpr.value === null);
  if (withTies && nullCount) {
    throw new SqlError(SqlState.invalidRowCountInLimitClause,
      "row count cannot be null in FETCH FIRST ... WITH TIES clause");
  }
  const offsetExpr = analyze(stmt.limitOffset, "OFFSET");
  const rows = countExpr?.kind === "const" && countExpr.value !== null
    ? Math.min(plan.rows, Number(countExpr.value)) : plan.rows;
  return { kind: "limit", input: plan, countExpr, offsetExpr, width: plan.width, rows,
    ...(withTies ? { ties: order } : {}) };
}
