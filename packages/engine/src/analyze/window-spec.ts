/**
 * Sort keys (ORDER BY inside aggregates and windows) and window specifications (PARTITION BY,
 * ORDER BY, frame options) shared by `expr-call.ts` and `select.ts`; the rules for OVER and
 * WINDOW live in `window-clause.ts`.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { compareFor } from "../catalog/type-io.js";
import { Oid } from "../catalog/types.js";
import { coerceTo } from "./coerce.js";
import type { Expr, SortKey, WindowSpec } from "./expr.js";
import { analyzeExpr, locationOf } from "./expr-analyze.js";
import { makeOperator } from "./expr-ops.js";
import type { Scope } from "./scope.js";
import { resolveWindow } from "./window-clause.js";

/** Builds a sort key over `expr` with a SortBy's direction and null ordering. */
export function sortKeyFor(expr: Expr, sortBy: ast.SortBy, scope: Scope): SortKey {
  const typed = expr.type === Oid.unknown
    ? coerceTo(expr, Oid.text, -1, "i", scope.statement.params) : expr;
  const descending = sortBy.useOp !== undefined
    ? usingDescends(sortBy.useOp, typed, scope, sortBy.location)
    : sortBy.sortby_dir === "SORTBY_DESC";
  const nulls = sortBy.sortby_nulls;
  const nullsFirst = nulls === "SORTBY_NULLS_FIRST" ? true
    : nulls === "SORTBY_NULLS_LAST" ? false : descending;
  return { expr: typed, descending, nullsFirst, compare: compareFor(typed.type) };
}

/**
 * ORDER BY … USING op: the operator must exist for the key's type (42883 otherwise) and be
 * the `<` or `>` of a btree family, which sorts ascending or descending; as with DESC, nulls
 * come first by default after `>`.
 */
function usingDescends(names: ast.Node[], key: Expr, scope: Scope,
  location: number | undefined): boolean {
  const name = names.map((n) => ("String" in n ? n.String.sval ?? "" : "")).join(".");
  const bare = name.startsWith("pg_catalog.") ? name.slice("pg_catalog.".length) : name;
  makeOperator(bare, key, key, scope, location);
  if (bare === "<" || bare === ">") return bare === ">";
  throw new SqlError(SqlState.wrongObjectType, `operator ${bare} is not a valid ordering operator`,
    { ...locationOf(location),
      hint: "Ordering operators must be \"<\" or \">\" members of btree operator families." });
}

/** Analyzes a list of SortBy nodes as plain expressions. */
export function analyzeSortKeys(list: readonly ast.Node[], scope: Scope): SortKey[] {
  return list.map((node) => {
    if (!("SortBy" in node)) throw notSupported("this ORDER BY item");
    return sortKeyFor(analyzeExpr(node.SortBy.node!, scope), node.SortBy, scope);
  });
}

/** Analyzes an OVER clause (see `window-clause.ts`). */
export function analyzeWindowSpec(def: ast.WindowDef, scope: Scope): WindowSpec {
  return resolveWindow(def, scope);
}
