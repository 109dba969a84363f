/**
 * Citus's check that a modification keeps each row's distribution value
 * (`TargetEntryChangesValue`, `ErrorIfOnConflictNotSupported` in multi_router_planner.c):
 * setting the distribution column is refused with 0A000 "modifying the partition value of
 * rows is not allowed", unless the new value is the column itself or the value its WHERE
 * already pins it to:
 *
 *     UPDATE t SET id = id, v = 1 WHERE …             allowed (same column)
 *     UPDATE t SET id = 5, v = 1 WHERE id = 5 AND …   allowed (WHERE implies it)
 *     INSERT … ON CONFLICT (id) DO UPDATE SET id = EXCLUDED.id, v = EXCLUDED.v   allowed
 *     UPDATE t SET id = id + 1                        refused
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { columnNames, constantText, exprKey } from "./raw.js";
import { conjuncts } from "./table-subquery.js";

/** The error Citus raises for `UPDATE … SET <distribution column>`. */
export function partitionValueError(): SqlError {
  return new SqlError(SqlState.featureNotSupported,
    "modifying the partition value of rows is not allowed");
}

/** What the SET list runs against: the target's visible names and the WHERE clause. */
export interface SetContext {
  readonly column: string;
  /** Names that qualify the target's columns (its alias or name; EXCLUDED in ON CONFLICT). */
  readonly qualifiers: readonly string[];
  /** The WHERE clause of an UPDATE, whose equalities may pin the column. */
  readonly where?: ast.Node;
}

/** Throws when an entry of the SET list changes the distribution column. */
export function checkPartitionValue(targets: readonly ast.Node[], context: SetContext): void {
  for (const target of targets) {
    if (!("ResTarget" in target) || target.ResTarget.name !== context.column) continue;
    const value = target.ResTarget.val;
    if (value === undefined || !keepsValue(value, context)) throw partitionValueError();
  }
}

function keepsValue(value: ast.Node, context: SetContext): boolean {
  if (isSameColumn(value, context)) return true;
  if (!("ColumnRef" in value) && constantText(value) === undefined) return false;
  const key = exprKey(value);
  return conjuncts(context.where).some((clause) => {
    if (!("A_Expr" in clause) || clause.A_Expr.kind !== "AEXPR_OP") return false;
    const op = (clause.A_Expr.name ?? []).map((n) => ("String" in n ? n.String.sval : ""));
    const { lexpr, rexpr } = clause.A_Expr;
    if (op.at(-1) !== "=" || lexpr === undefined || rexpr === undefined) return false;
    return (isSameColumn(lexpr, context) && exprKey(rexpr) === key) ||
      (isSameColumn(rexpr, context) && exprKey(lexpr) === key);
  });
}

/** `col`, `target.col` or `excluded.col` naming the distribution column. */
function isSameColumn(expr: ast.Node, context: SetContext): boolean {
  if (!("ColumnRef" in expr)) return false;
  const names = columnNames(expr.ColumnRef);
  if (names === undefined || names.at(-1) !== context.column) return false;
  return names.length === 1 ||
    (names.length === 2 && context.qualifiers.includes(names[0]!));
}
