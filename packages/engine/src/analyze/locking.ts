/**
 * SELECT … FOR UPDATE / NO KEY UPDATE / SHARE / KEY SHARE [OF t] [NOWAIT | SKIP LOCKED]
 * (parse_clause.c's CheckSelectLocking and transformLockingClause).
 *
 * `checkLocking` checks where Postgres allows the clause at all, with Postgres's errors: not
 * on a grouped, aggregated, DISTINCT or set-operation result, and `OF` must name a FROM item.
 * `applyLocking` marks the scans whose rows get locked (`txn/row-locks.ts`).
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { locationOf } from "./expr-analyze.js";
import type { Scope } from "./scope.js";
import type { Plan } from "../plan/plan.js";
import { lockCovers, type LockWait, type RowLockMode } from "../txn/row-locks.js";
import type { RowLockSpec } from "../txn/write-guard.js";

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
    refuseNullableSide(node.LockingClause, what, scope);
    for (const rel of node.LockingClause.lockedRels ?? []) {
      if (!("RangeVar" in rel)) continue;
      const name = rel.RangeVar.relname ?? "";
      const item = scope.items.find((i) => i.alias === name && i.visible)
        ?? scope.items.find((i) => i.alias === name);
      if (item === undefined) {
        throw new SqlError(SqlState.undefinedTable,
          `relation "${name}" in ${what} clause not found in FROM clause`,
          locationOf(rel.RangeVar.location));
      }
      if (item.join === true || item.cte === true) {
        throw new SqlError(SqlState.featureNotSupported, `${what} cannot be applied to ` +
          (item.join === true ? "a join" : "a WITH query"), locationOf(rel.RangeVar.location));
      }
    }
  }
}

/**
 * A row lock on a table an outer join may null-extend (0A000, as Postgres's planner): the
 * rows without a partner have no table row to lock. Without OF, every table is locked.
 */
function refuseNullableSide(clause: ast.LockingClause, what: string, scope: Scope): void {
  const names = (clause.lockedRels ?? []).flatMap((rel) =>
    "RangeVar" in rel ? [rel.RangeVar.relname ?? ""] : []);
  // Tables, views and derived tables (`presence`) lock rows; WITH queries and functions do not.
  const hit = scope.items.some((i) => i.nullable === true &&
    (i.relationOid !== 0 || i.presence !== undefined) && i.cte !== true &&
    (names.length === 0 || names.includes(i.alias)));
  if (!hit) return;
  throw new SqlError(SqlState.featureNotSupported,
    `${what} cannot be applied to the nullable side of an outer join`);
}

function strengthName(strength: ast.LockingClause["strength"]): string {
  switch (strength) {
    case "LCS_FORKEYSHARE": return "FOR KEY SHARE";
    case "LCS_FORSHARE": return "FOR SHARE";
    case "LCS_FORNOKEYUPDATE": return "FOR NO KEY UPDATE";
    default: return "FOR UPDATE";
  }
}

/**
 * Marks the scans of the tables a locking clause names (every table when it names none) so
 * that each row they return is locked. The scans lock as rows pass their filter, so
 * `ORDER BY … LIMIT` locks only the rows read when an index gives the order (Postgres locks
 * at the top of the plan, after the sort).
 */
export function applyLocking(stmt: ast.SelectStmt, plan: Plan): Plan {
  let result = plan;
  for (const node of stmt.lockingClause ?? []) {
    if (!("LockingClause" in node)) continue;
    const clause = node.LockingClause;
    const names = (clause.lockedRels ?? []).flatMap((rel) =>
      "RangeVar" in rel ? [rel.RangeVar.relname ?? ""] : []);
    const mode = lockMode(clause.strength);
    const wait: LockWait = clause.waitPolicy === "LockWaitSkip" ? "skip"
      : clause.waitPolicy === "LockWaitError" ? "nowait" : "block";
    result = markScans(result, (alias) => names.length === 0 || names.includes(alias),
      (relation) => ({ mode, wait, relation }));
  }
  return result;
}

function markScans(plan: Plan, chosen: (alias: string) => boolean,
  spec: (relation: string) => RowLockSpec): Plan {
  switch (plan.kind) {
    case "seqScan":
    case "indexScan": {
      if (!chosen(plan.alias) || plan.relation.kind !== "r") return plan;
      const lock = strongest(plan.lock, spec(plan.relation.name));
      return { ...plan, lock };
    }
    case "nestLoop":
    case "hashJoin":
      return { ...plan, left: markScans(plan.left, chosen, spec),
        right: markScans(plan.right, chosen, spec) };
    default:
      return plan;
  }
}

function strongest(held: RowLockSpec | undefined, wanted: RowLockSpec): RowLockSpec {
  return held !== undefined && lockCovers(held.mode, wanted.mode) ? held : wanted;
}

function lockMode(strength: ast.LockingClause["strength"]): RowLockMode {
  switch (strength) {
    case "LCS_FORKEYSHARE": return "keyShare";
    case "LCS_FORSHARE": return "share";
    case "LCS_FORNOKEYUPDATE": return "noKeyUpdate";
    default: return "update";
  }
}
