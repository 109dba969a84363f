/**
 * Functional dependency on a primary key (Postgres's check_functional_grouping): when GROUP BY
 * lists every primary-key column of a table in FROM, that table's other columns may appear
 * ungrouped in the select list, HAVING and ORDER BY, as ORMs write
 * `SELECT a.id, a.name, count(b.*) FROM a JOIN b … GROUP BY a.id`.
 *
 * Such columns become extra group keys: within a group they have one value, so grouping by
 * them as well changes no group. With grouping sets only keys common to every set determine
 * columns (as Postgres's groupClauseCommonVars), and the extra keys join every set.
 */
import type { Catalog } from "../catalog/catalog.js";
import type { Expr } from "./expr.js";
import { someExpr } from "./expr-map.js";
import { exprKey } from "./grouping.js";

/**
 * Returns the columns of `exprs` that are not among `keys` but determined by primary-key
 * columns among `determining` (all of `keys` unless grouping sets narrow them).
 */
export function dependentGroupKeys(keys: readonly Expr[], exprs: readonly Expr[],
  catalog: Catalog, determining: readonly Expr[] = keys): Expr[] {
  const known = new Set(keys.map(exprKey));
  const extra: Expr[] = [];
  for (const expr of exprs) {
    someExpr(expr, (e) => {
      if (e.kind !== "var" || e.tableOid === 0 || e.attnum <= 0) return false;
      const key = exprKey(e);
      if (known.has(key) || !primaryKeyGrouped(e, determining, catalog)) return false;
      known.add(key);
      extra.push(e);
      return false;
    });
  }
  return extra;
}

/** True when every primary-key column of the var's table, in the same FROM item, is a key. */
function primaryKeyGrouped(column: Expr & { kind: "var" }, keys: readonly Expr[],
  catalog: Catalog): boolean {
  const relation = catalog.relation(column.tableOid);
  // A deferrable key may hold duplicates until commit, so it determines nothing.
  const primary = relation?.indexes.find((i) => i.primary && i.computed === undefined &&
    i.deferrable !== true);
  if (primary === undefined) return false;
  // A table's columns sit in the FROM row at consecutive positions, attnum 1 first.
  const base = column.index - (column.attnum - 1);
  return primary.columns.every((position) => keys.some((k) => k.kind === "var" &&
    k.tableOid === column.tableOid && k.index === base + position));
}
