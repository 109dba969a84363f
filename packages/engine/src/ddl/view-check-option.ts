/**
 * A view's check option: `WITH [LOCAL | CASCADED] CHECK OPTION`, or the view option
 * check_option (`view-options.ts`, CREATE VIEW … WITH (…) and ALTER VIEW … SET (…)). Only an
 * automatically updatable view may have one (`analyze/view-write.ts` says which are); writes
 * through it test their new rows.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { StatementScope } from "../analyze/scope.js";
import { notUpdatable } from "../analyze/view-write.js";
import type { Relation } from "../catalog/relation.js";
import { checkOptionIn } from "./view-options.js";

/**
 * Stores `options` on the view with the check option they give; 0A000 when they give one
 * and the view cannot be written through.
 */
export function setViewOptions(view: Relation, options: readonly string[],
  statement: StatementScope): void {
  const check = checkOptionIn(options);
  if (check !== undefined) requireUpdatableForCheck(view, statement);
  if (check !== undefined) view.viewCheck = check;
  else delete view.viewCheck;
  if (options.length > 0) view.viewOptions = options;
  else delete view.viewOptions;
}

/** 0A000 when the view cannot be written through, so cannot take a check option. */
export function requireUpdatableForCheck(view: Relation, statement: StatementScope): void {
  const reason = notUpdatable(view, "check", statement);
  if (typeof reason === "string") {
    throw new SqlError(SqlState.featureNotSupported,
      "WITH CHECK OPTION is supported only on automatically updatable views",
      { hint: reason });
  }
}
