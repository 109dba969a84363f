/**
 * Writes to a view that has an INSTEAD OF trigger for the command (PostgreSQL's
 * view_has_instead_trigger): the view is not rewritten onto its table (`view-write.ts`), so
 * any view qualifies, joins and aggregates too. The statement plans as a write to the view
 * itself, and ModifyTable hands each row to the triggers (`execute/instead-of-run.ts`):
 *
 *   INSERT: the rows to insert, laid out by the view's columns (a column left out is null);
 *   UPDATE, DELETE: the view's rows, read as a FROM item under the target's alias and
 *     joined with the FROM / USING list, filtered by WHERE; the view's columns come first
 *     (targetOffset 0), and there is no row id: the old row is the view's row itself.
 *
 *   CREATE VIEW v AS SELECT a.id, a.v, b.w FROM a JOIN b USING (id);
 *   UPDATE v SET w = 5 WHERE id = 1    -- OLD (1, 'x', 10), NEW (1, 'x', 5) for the trigger
 */
import type { ast } from "@tessera/sql";
import type { Relation } from "../catalog/relation.js";
import { pushFilter } from "../plan/filter.js";
import { hasInsteadOfTrigger, type TriggerEvent } from "../plpgsql/trigger-store.js";
import { asBoolean, analyzeExpr } from "./expr-analyze.js";
import { analyzeFrom } from "./from.js";
import type { TargetInput } from "./modify-target.js";
import type { Scope } from "./scope.js";

/** True when a write of `command` to `rel` goes through the view's INSTEAD OF triggers. */
export function writesThroughTrigger(rel: Relation, command: TriggerEvent, scope: Scope):
  boolean {
  return hasInsteadOfTrigger(scope.statement.catalog, rel, command);
}

/**
 * The rows an UPDATE or DELETE of a view with INSTEAD OF triggers visits: the view read as a
 * FROM item (first, so its columns start the row), the FROM / USING items after it, WHERE
 * over them all. Adds the items to `scope`, for SET, WHERE and RETURNING.
 */
export function viewTargetInput(rv: ast.RangeVar, fromList: readonly ast.Node[],
  where: ast.Node | undefined, scope: Scope): TargetInput {
  const target: ast.Node = { RangeVar: { ...rv, inh: true } };
  let plan = analyzeFrom([target, ...fromList], scope).plan;
  if (where !== undefined) {
    scope.clause = "WHERE";
    plan = pushFilter(plan, asBoolean(analyzeExpr(where, scope), "WHERE", scope));
  }
  return { plan, targetOffset: 0 };
}
