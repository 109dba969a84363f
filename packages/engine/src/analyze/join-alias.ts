/**
 * Aliases on joins (Postgres's transformFromClauseItem for JoinExpr):
 *
 *   (a JOIN b ON a.id = b.aid) AS j (c1, c2 …)   -- j names the join's columns and hides a, b
 *   a JOIN b USING (id) AS u                      -- u names only the merged USING columns
 *
 * The join's columns are the merged USING columns, then the left side's others, then the
 * right side's, as `SELECT *` over the join lists them.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { RangeItem, Scope, ScopeColumn } from "./scope.js";

/** Applies `join`'s aliases to the items it added to `scope` (from position `before`). */
export function applyJoinAliases(join: ast.JoinExpr, scope: Scope, before: number,
  hasUsing: boolean): void {
  const usingAlias = join.join_using_alias?.aliasname;
  if (usingAlias !== undefined && hasUsing) {
    const merged = scope.items[before]!;
    addAliasItem(scope, { alias: usingAlias, relationOid: 0, visible: true, join: true,
      usingAlias: true,
      columns: merged.columns.map((c) => ({ ...c, hidden: true })) });
  }
  const alias = join.alias?.aliasname;
  if (alias === undefined) return;
  const inner = scope.items.splice(before);
  const columns: ScopeColumn[] = inner.filter((i) => i.visible &&
    (i.alias !== usingAlias || i.alias === "")).flatMap((i) =>
    i.columns.filter((c) => c.hidden !== true));
  const names = (join.alias?.colnames ?? []).map((c) => ("String" in c ? c.String.sval ?? "" : ""));
  if (names.length > columns.length) {
    throw new SqlError(SqlState.invalidColumnReference, `join expression "${alias}" has ` +
      `${columns.length} columns available but ${names.length} columns specified`);
  }
  const renamed = columns.map((c, i) => ({ name: names[i] ?? c.name, expr: c.expr }));
  addAliasItem(scope, { alias, columns: renamed, relationOid: 0, visible: true, join: true });
  // The items the alias hides stay, unreachable by name, so that naming one says "invalid
  // reference to FROM-clause entry" as in Postgres, not "missing".
  // A USING alias names no FROM entry of its own: it goes.
  scope.items.push(...inner.filter((i) => i.usingAlias !== true)
    .map((i) => ({ ...i, visible: false })));
}

function addAliasItem(scope: Scope, item: RangeItem): void {
  if (scope.items.some((i) => i.alias === item.alias && i.visible)) {
    throw new SqlError(SqlState.duplicateAlias,
      `table name "${item.alias}" specified more than once`);
  }
  scope.items.push(item);
}
