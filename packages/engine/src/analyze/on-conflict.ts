/**
 * INSERT … ON CONFLICT (Postgres's transformOnConflictClause and infer_arbiter_indexes): picks
 * the arbiter indexes from the conflict target, and analyzes DO UPDATE's SET list and WHERE
 * over a row made of the existing row followed by the proposed one (`excluded`):
 *
 *     INSERT INTO t AS x VALUES (1, 5) ON CONFLICT (a) DO UPDATE SET b = x.b + excluded.b
 *     row = [x.a, x.b, excluded.a, excluded.b]
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { Index, Relation } from "../catalog/relation.js";
import type { Expr } from "./expr.js";
import { analyzeExpr, asBoolean, locationOf } from "./expr-analyze.js";
import { analyzeSetList, tableItem } from "./modify-target.js";
import { Scope, type StatementScope } from "./scope.js";
import { inferByElements } from "./conflict-inference.js";

export interface OnConflictSpec {
  readonly action: "nothing" | "update";
  /** Unique indexes that decide a conflict; null for every unique index (bare DO NOTHING). */
  readonly arbiters: readonly Index[] | null;
  /** DO UPDATE: per stored column the new value over [existing, excluded], or null. */
  readonly sets: readonly (Expr | null)[] | null;
  readonly where: Expr | null;
}

export function analyzeOnConflict(rel: Relation, alias: string, clause: ast.OnConflictClause,
  scope: Scope): OnConflictSpec {
  const update = clause.action === "ONCONFLICT_UPDATE";
  const arbiters = clause.infer === undefined ? null : inferArbiters(rel, clause.infer,
    scope.statement);
  if (update && arbiters === null) {
    throw new SqlError(SqlState.syntaxError,
      "ON CONFLICT DO UPDATE requires inference specification or constraint name",
      { ...locationOf(clause.location), hint: "For example, ON CONFLICT (column_name)." });
  }
  if (arbiters === null) {
    immediateOnly(rel.indexes.filter((i) => i.unique || i.exclusion !== undefined));
  }
  if (update && arbiters?.some((i) => i.exclusion !== undefined) === true) {
    throw new SqlError(SqlState.wrongObjectType,
      "ON CONFLICT DO UPDATE not supported with exclusion constraints");
  }
  if (!update) return { action: "nothing", arbiters, sets: null, where: null };
  const own = new Scope(scope.statement, undefined).inheritCtes(scope);
  own.items.push(tableItem(rel, alias, 0),
    { ...tableItem(rel, "excluded", rel.columns.length), proposed: true });
  const sets = analyzeSetList(rel, clause.targetList ?? [], own);
  let where: Expr | null = null;
  if (clause.whereClause !== undefined) {
    own.clause = "WHERE";
    where = asBoolean(analyzeExpr(clause.whereClause, own), "WHERE", own);
  }
  return { action: "update", arbiters, sets, where };
}

/** Returns the unique indexes a conflict target names, or raises 42P10 / 42704. */
function inferArbiters(rel: Relation, infer: ast.InferClause, statement: StatementScope):
  Index[] {
  if (infer.conname !== undefined) {
    const index = rel.indexes.find((i) => i.constraintName === infer.conname);
    if (index === undefined) {
      throw new SqlError(SqlState.undefinedObject,
        `constraint "${infer.conname}" for table "${rel.name}" does not exist`);
    }
    return immediateOnly([index]);
  }
  return immediateOnly(inferByElements(rel, infer, statement));
}

/** Postgres refuses DEFERRABLE unique constraints as arbiters. */
function immediateOnly(found: Index[]): Index[] {
  if (found.some((i) => i.deferrable === true)) {
    throw new SqlError(SqlState.objectNotInPrerequisiteState, "ON CONFLICT does not support " +
      "deferrable unique constraints/exclusion constraints as arbiters");
  }
  return found;
}
