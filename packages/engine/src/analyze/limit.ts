/** LIMIT / OFFSET / FETCH FIRST: bigint-coerced expressions evaluated when the plan opens. */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { Oid } from "../catalog/types.js";
import type { Plan } from "../plan/plan.js";
import { coerceTo } from "./coerce.js";
import { analyzeExpr } from "./expr-analyze.js";
import type { Scope } from "./scope.js";

export function analyzeLimit(stmt: ast.SelectStmt, plan: Plan, scope: Scope): Plan {
  if (stmt.limitOption === "LIMIT_OPTION_WITH_TIES") throw notSupported("FETCH ... WITH TIES");
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
    return coerceTo(e, Oid.int8, -1, "i", scope.statement.params);
  };
  const countExpr = analyze(stmt.limitCount, "LIMIT");
  const offsetExpr = analyze(stmt.limitOffset, "OFFSET");
  const rows = countExpr?.kind === "const" && countExpr.value !== null
    ? Math.min(plan.rows, Number(countExpr.value)) : plan.rows;
  return { kind: "limit", input: plan, countExpr, offsetExpr, width: plan.width, rows };
}
