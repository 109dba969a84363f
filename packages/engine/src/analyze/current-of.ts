/**
 * WHERE CURRENT OF as the analyzer sees it. The session puts a SQL cursor's row in as a ctid
 * test before planning (`session/cursor-current-of.ts`) and marks that test here, with the
 * error to raise when the cursor names no row of the target (no such cursor, not a simply
 * updatable scan …). The UPDATE or DELETE raises it once its target is known, so a view
 * target is refused first, as PostgreSQL's rewriter refuses it before the cursor is looked
 * up at execution:
 *
 *   UPDATE v SET a = 1 WHERE CURRENT OF c   -- 0A000 WHERE CURRENT OF on a view is not …
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { Relation } from "../catalog/relation.js";
import { hasInsteadOfTrigger } from "../plpgsql/trigger-store.js";
import type { StatementScope } from "./scope.js";
import { updatableView } from "./view-write.js";

/** The WHERE clauses that stand for a WHERE CURRENT OF, with the cursor's error if any. */
const currentOfTests = new WeakMap<ast.Node, SqlError | null>();

/** Marks `where` as the test that replaced a WHERE CURRENT OF; `error` is raised for it. */
export function markCurrentOf(where: ast.Node, error: SqlError | null): void {
  currentOfTests.set(where, error);
}

/**
 * Refuses WHERE CURRENT OF on a view (one that cannot be written at all with 55000 first,
 * as the rewriter checks that before), then raises the cursor's error if it had one.
 */
export function checkCurrentOf(rel: Relation, where: ast.Node | undefined,
  command: "update" | "delete", statement: StatementScope): void {
  if (where === undefined || !currentOfTests.has(where)) return;
  if (rel.kind === "v") {
    if (!hasInsteadOfTrigger(statement.catalog, rel, command)) {
      updatableView(rel, command, statement);
    }
    throw new SqlError(SqlState.featureNotSupported,
      "WHERE CURRENT OF on a view is not implemented");
  }
  const error = currentOfTests.get(where);
  if (error !== null && error !== undefined) throw error;
}
