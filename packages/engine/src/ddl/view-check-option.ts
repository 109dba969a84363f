/**
 * CREATE VIEW's check option: `WITH [LOCAL | CASCADED] CHECK OPTION` or the storage option
 * `WITH (check_option = local | cascaded)`. Only an automatically updatable view may have one
 * (`analyze/view-write.ts` says which are); writes through it test their new rows.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { StatementScope } from "../analyze/scope.js";
import { notUpdatable } from "../analyze/view-write.js";
import type { Relation } from "../catalog/relation.js";

/** The view's check option, or undefined; 0A000 when the view cannot be written through. */
export function checkOptionOf(view: Relation, stmt: ast.ViewStmt, statement: StatementScope):
  "local" | "cascaded" | undefined {
  let check = stmt.withCheckOption === "LOCAL_CHECK_OPTION" ? "local" as const
    : stmt.withCheckOption === "CASCADED_CHECK_OPTION" ? "cascaded" as const : undefined;
  for (const option of stmt.options ?? []) {
    const def = "DefElem" in option ? option.DefElem : undefined;
    if (def?.defname !== "check_option") continue;
    const arg = def.arg;
    const word = arg !== undefined && "TypeName" in arg ? arg.TypeName.names?.at(-1) : arg;
    const value = word !== undefined && "String" in word ? word.String.sval ?? "" : "";
    if (value !== "local" && value !== "cascaded") {
      throw new SqlError(SqlState.invalidParameterValue,
        `invalid value for enum option "check_option": ${value}`,
        { detail: "Valid values are \"local\" and \"cascaded\"." });
    }
    check = value;
  }
  if (check === undefined) return undefined;
  const reason = notUpdatable(view, "check", statement);
  if (typeof reason === "string") {
    throw new SqlError(SqlState.featureNotSupported,
      "WITH CHECK OPTION is supported only on automatically updatable views",
      { hint: reason });
  }
  return check;
}
