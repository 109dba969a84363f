/**
 * The rules of Postgres's rewriter (rewriteTargetListIU) for columns whose values the system
 * supplies: a generated column (GENERATED ALWAYS AS (…) STORED) and an identity column
 * GENERATED ALWAYS take only DEFAULT, unless OVERRIDING SYSTEM VALUE lets an identity take
 * an explicit value; OVERRIDING USER VALUE replaces explicit identity values by the default.
 *
 *     insert into t (id) values (5)          -- 428C9 when id is GENERATED ALWAYS AS IDENTITY
 *     insert into t (id) values (default)    -- fine: the sequence supplies it
 *     update t set total = 1                 -- 428C9 when total is a generated column
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { Column, Relation } from "../catalog/relation.js";

export type Overriding = ast.InsertStmt["override"];

/**
 * Checks INSERT's target columns. `allDefault(k)` says whether every value given for the k-th
 * target is DEFAULT (always false for INSERT … SELECT). Returns the targets whose explicit
 * values are ignored in favour of the default (OVERRIDING USER VALUE on identity columns).
 */
export function checkInsertTargets(rel: Relation, targets: readonly number[],
  allDefault: (k: number) => boolean, override: Overriding): Set<number> {
  const ignored = new Set<number>();
  targets.forEach((i, k) => {
    const col = rel.columns[i]!;
    if (allDefault(k)) return;
    if (col.generated !== null) {
      throw new SqlError(SqlState.generatedAlways,
        `cannot insert a non-DEFAULT value into column "${col.name}"`,
        { detail: `Column "${col.name}" is a generated column.` });
    }
    if (col.identity === null) return;
    if (override === "OVERRIDING_USER_VALUE") {
      ignored.add(i);
      return;
    }
    if (col.identity === "a" && override !== "OVERRIDING_SYSTEM_VALUE") {
      throw new SqlError(SqlState.generatedAlways,
        `cannot insert a non-DEFAULT value into column "${col.name}"`,
        { detail: `Column "${col.name}" is an identity column defined as GENERATED ALWAYS.`,
          hint: "Use OVERRIDING SYSTEM VALUE to override." });
    }
  });
  return ignored;
}

/** Checks an UPDATE SET of `col` to a value other than DEFAULT. */
export function checkUpdateTarget(col: Column): void {
  const detail = col.generated !== null ? `Column "${col.name}" is a generated column.`
    : col.identity === "a"
      ? `Column "${col.name}" is an identity column defined as GENERATED ALWAYS.` : null;
  if (detail === null) return;
  throw new SqlError(SqlState.generatedAlways,
    `column "${col.name}" can only be updated to DEFAULT`, { detail });
}
