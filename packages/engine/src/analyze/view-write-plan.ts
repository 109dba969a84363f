/**
 * Plans a write to an automatically updatable view: the statement rewritten onto the view's
 * table (`view-write.ts`) is planned as any write to that table, and the conditions of the
 * views' check options ride on the ModifyTable node, tested on each new row after it is
 * written (PostgreSQL's ExecWithCheckOptions with WCO_VIEW_CHECK): a row for which one is
 * false or null fails with 44000 and the table's row as DETAIL.
 */
import { SqlError, SqlState, assert } from "@tessera/base";
import type { ast, Row, Value } from "@tessera/sql";
import type { PlannedQuery } from "../engine.js";
import type { Relation } from "../catalog/relation.js";
import { compileExpr, type Compiled } from "../execute/compile.js";
import { failingRow } from "../execute/row-writer.js";
import { outputValue, type FormatSettings } from "../catalog/type-io.js";
import type { Runtime } from "../execute/runtime.js";
import type { Expr } from "./expr.js";
import { analyzeExpr, asBoolean } from "./expr-analyze.js";
import { analyzeModify, type ModifySpec } from "./modify.js";
import { tableItem } from "./modify-target.js";
import { Scope } from "./scope.js";
import { rewriteViewWrite } from "./view-write.js";

/** A view's check option on the table's row (`tableItem` at offset 0). */
export interface PlannedViewCheck {
  readonly view: string;
  readonly test: Expr;
}

/** Plans INSERT, UPDATE or DELETE whose target is a view. */
export function analyzeViewWrite(stmt: ast.Node, scope: Scope): PlannedQuery {
  const write = rewriteViewWrite(stmt, scope.statement);
  assert(write !== undefined, "the target is a view");
  const planned = analyzeModify(write.stmt, scope);
  if (write.checks.length === 0) return planned;
  const own = new Scope(scope.statement, undefined);
  own.items.push(tableItem(write.table, write.alias, 0));
  const viewChecks = write.checks.map((check) => ({ view: check.view,
    test: asBoolean(analyzeExpr(check.condition, own), "CHECK OPTION", own) }));
  const plan = planned.plan;
  assert(plan.kind === "modify", "a write plans to ModifyTable");
  const spec: ModifySpec = { ...(plan.spec as ModifySpec), viewChecks };
  return { ...planned, plan: { ...plan, spec } };
}

/** Tests a written row against the check options of the views it was written through. */
export type ViewChecker = (row: Row) => void;

/** The checker of a ModifyTable's view checks, or null when it has none. */
export function viewChecker(checks: readonly PlannedViewCheck[] | undefined, rel: Relation,
  rt: Runtime): ViewChecker | null {
  if (checks === undefined || checks.length === 0) return null;
  const compiled: { view: string; test: Compiled }[] = checks.map((check) => ({
    view: check.view, test: compileExpr(check.test) }));
  return (row) => {
    for (const check of compiled) {
      if (check.test(row, rt) === true) continue;
      throw new SqlError(SqlState.withCheckOptionViolation,
        `new row violates check option for view "${check.view}"`,
        { detail: failingRow(rel, row, rt) });
    }
  };
}

/**
 * The 44000 error of a row that fails `view`'s check option, its DETAIL listing the row's
 * values (`types`, one per live column) as PostgreSQL prints them; for the coordinator,
 * which tests rows written to Citus tables itself.
 */
export function viewCheckViolation(view: string, row: readonly Value[],
  types: readonly number[], fmt: FormatSettings): SqlError {
  const parts = types.map((type, i) => {
    const v = row[i] ?? null;
    return v === null ? "null" : outputValue(type, v, fmt);
  });
  return new SqlError(SqlState.withCheckOptionViolation,
    `new row violates check option for view "${view}"`,
    { detail: `Failing row contains (${parts.join(", ")}).` });
}
