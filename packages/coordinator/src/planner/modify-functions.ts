/**
 * Citus's checks of the functions a modification of a Citus table calls
 * (`TargetlistAndFunctionsSupported`, `ErrorIfOnConflictNotSupported` in
 * multi_router_planner.c): a shard must compute the same values as every other placement
 * and as the coordinator would, so
 *
 * - UPDATE … SET with a VOLATILE function (random(), nextval()) is refused;
 * - a VOLATILE function in the WHERE (or JOIN … ON) of UPDATE/DELETE is refused;
 * - RETURNING may call IMMUTABLE functions only (now() is STABLE: refused);
 * - ON CONFLICT DO UPDATE SET and its WHERE may call IMMUTABLE functions only.
 *
 * Volatility comes from the built-in function registry, by name: a name counts when all its
 * overloads agree. Functions the registry does not know (user functions) are let through.
 */
import { SqlError, SqlState } from "@tessera/base";
import { lookupFunction, type ast } from "@tessera/sql";
import { functionName } from "./raw.js";
import { someNode } from "./tree-walk.js";

export type Level = "volatile" | "mutable";

/** Throws Citus's 0A000 when the modification calls functions Citus refuses there. */
export function checkModifyFunctions(stmt: ast.Node): void {
  if ("UpdateStmt" in stmt) {
    const update = stmt.UpdateStmt;
    const sets = (update.targetList ?? []).map((target) =>
      ("ResTarget" in target ? target.ResTarget.val : undefined));
    if (calls(sets, "volatile", false)) {
      throw refused("functions used in UPDATE queries on distributed tables must not be " +
        "VOLATILE");
    }
    checkQuals([update.whereClause, joinQuals(update.fromClause)]);
    checkReturning(update.returningClause);
  } else if ("DeleteStmt" in stmt) {
    const del = stmt.DeleteStmt;
    checkQuals([del.whereClause, joinQuals(del.usingClause)]);
    checkReturning(del.returningClause);
  } else if ("InsertStmt" in stmt) {
    const insert = stmt.InsertStmt;
    checkReturning(insert.returningClause);
    checkOnConflict(insert.onConflictClause);
  }
}

function checkQuals(quals: unknown): void {
  if (calls(quals, "volatile", false)) {
    throw refused("functions used in the WHERE/ON/WHEN clause of modification queries on " +
      "distributed tables must not be VOLATILE");
  }
}

function checkReturning(clause: ast.ReturningClause | undefined): void {
  if (clause !== undefined && calls(clause.exprs, "mutable", true)) {
    throw refused("non-IMMUTABLE functions are not allowed in the RETURNING clause");
  }
}

function checkOnConflict(clause: ast.OnConflictClause | undefined): void {
  if (clause === undefined) return;
  const sets = (clause.targetList ?? []).map((target) =>
    ("ResTarget" in target ? target.ResTarget.val : undefined));
  if (calls(sets, "mutable", true)) {
    throw refused("functions used in the DO UPDATE SET clause of INSERTs on distributed " +
      "tables must be marked IMMUTABLE");
  }
  if (calls([clause.whereClause, clause.infer?.whereClause], "mutable", true)) {
    throw refused("functions used in the WHERE clause of the ON CONFLICT clause of INSERTs " +
      "on distributed tables must be marked IMMUTABLE");
  }
}

/** The JOIN … ON conditions of a FROM (USING) list. */
function joinQuals(items: readonly ast.Node[] | undefined): ast.Node[] {
  const quals: ast.Node[] = [];
  const visit = (item: ast.Node | undefined): void => {
    if (item === undefined || !("JoinExpr" in item)) return;
    if (item.JoinExpr.quals !== undefined) quals.push(item.JoinExpr.quals);
    visit(item.JoinExpr.larg);
    visit(item.JoinExpr.rarg);
  };
  for (const item of items ?? []) visit(item);
  return quals;
}

/** True when the expressions call a function of that volatility (STABLE counts as mutable). */
export function calls(tree: unknown, level: Level, intoSubqueries: boolean): boolean {
  return someNode(tree, (record) => {
    if (!intoSubqueries && "SubLink" in record) return "skip";
    if ("SQLValueFunction" in record) return level === "mutable";
    const call = record["FuncCall"] as ast.FuncCall | undefined;
    if (call === undefined) return false;
    const defs = lookupFunction(functionName(call) ?? "");
    if (defs.length === 0) return false;
    return level === "volatile" ? defs.every((def) => def.volatility === "v")
      : defs.every((def) => def.volatility !== "i");
  });
}

function refused(message: string): SqlError {
  return new SqlError(SqlState.featureNotSupported, message);
}
