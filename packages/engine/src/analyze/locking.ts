/**
 * SELECT … FOR UPDATE / NO KEY UPDATE / SHARE / KEY SHARE [OF t] [NOWAIT | SKIP LOCKED]
 * (parse_clause.c's CheckSelectLocking and transformLockingClause).
 *
 * The engine runs one statement at a time and keeps no row locks yet (`txn/` is empty), so a
 * locking SELECT reads exactly what the plain SELECT reads; what it checks is where Postgres
 * allows the clause at all, with Postgres's errors: not on a grouped, aggregated, DISTINCT or
 * set-operation result, and `OF` must name a FROM item.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { locationOf } from "./expr-analyze.js";
import type { Scope } from "./scope.js";

/** What the query computes above its rows, which a row lock cannot reach through. */
export interface LockedShape {
  readonly aggregates: boolean;
  readonly windows: boolean;
  readonly srfs: boolean;
}

/** Raises Postgres's 0A000 when the locking clauses of `stmt` cannot apply to its rows. */
export function checkLocking(stmt: ast.SelectStmt, shape: LockedShape | null, scope: Scope):
  void {
  for (const node of stmt.lockingClause ?? []) {
    if (!("LockingClause" in node)) continue;
    const what = strengthName(node.LockingClause.strength);
    const refuse = (why: string): never => {
      throw new SqlError(SqlState.featureNotSupported, `${what} is not allowed with ${why}`);
    };
    if (stmt.op !== undefined && stmt.op !== "SETOP_NONE") refuse("UNION/INTERSECT/EXCEPT");
    if (stmt.valuesLists !== undefined) {
      throw new SqlError(SqlState.featureNotSupported, `${what} cannot be applied to VALUES`);
    }
    if (stmt.distinctClause !== undefined) refuse("DISTINCT clause");
    if (stmt.groupClause !== undefined) refuse("GROUP BY clause");
    if (stmt.havingClause !== undefined) refuse("HAVING clause");
    if (shape?.aggregates === true) refuse("aggregate functions");
    if (shape?.windows === true) refuse("window functions");
    if (shape?.srfs === true) refuse("set-returning functions in the target list");
    for (const rel of node.LockingClause.lockedRels ?? []) {
      if (!("RangeVar" in rel)) continue;
      const name = rel.RangeVar.relname ?? "";
      if (!scope.items.some((i) => i.alias === name)) {
        throw new SqlError(SqlState.undefinedTable,
          `relation "${name}" in ${what} clause not found in FROM clause`,
          locationOf(rel.RangeVar.location));
      }
    }
  }
}

function strengthName(strength: ast.LockingClause["strength"]): string {
  switch (strength) {
    case "LCS_FORKEYSHARE": return "FOR KEY SHARE";
    case "LCS_FORSHARE": return "FOR SHARE";
    case "LCS_FORNOKEYUPDATE": return "FOR NO KEY UPDATE";
    default: return "FOR UPDATE";
  }
}
