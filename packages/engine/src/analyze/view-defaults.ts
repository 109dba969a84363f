/**
 * A view's column defaults (ALTER VIEW … ALTER COLUMN … SET DEFAULT, `ddl/alter-view.ts`) in
 * an INSERT through it, as PostgreSQL's rewriter applies them before rewriteTargetView: a
 * column the INSERT leaves out, or gives DEFAULT in VALUES, takes the view's default; only
 * columns without one fall to the table's.
 *
 *   ALTER VIEW v ALTER COLUMN b SET DEFAULT 'view';
 *   INSERT INTO v (id) VALUES (1), (2)  ->  INSERT INTO v (id, b) VALUES (1, 'view'), (2, 'view')
 *   INSERT INTO v (id) SELECT …         ->  INSERT INTO v (id, b) SELECT *, 'view' FROM (…) s
 *   INSERT INTO v DEFAULT VALUES        ->  INSERT INTO v (b) VALUES ('view')
 */
import type { ast } from "@tessera/sql";
import type { Relation } from "../catalog/relation.js";

/** The INSERT on `view` with its column list `names`, the view's defaults filled in. */
export function withViewDefaults(view: Relation, insert: ast.InsertStmt,
  names: readonly string[]): { insert: ast.InsertStmt; names: string[] } {
  const defaults = new Map<string, ast.Node>();
  for (const c of view.columns) {
    if (!c.dropped && c.defaultExpr !== null) defaults.set(c.name, c.defaultExpr);
  }
  if (defaults.size === 0) return { insert, names: [...names] };
  const missing = [...defaults.keys()].filter((name) => !names.includes(name));
  const added = missing.map((name) => defaults.get(name)!);
  const select = insert.selectStmt;
  if (select === undefined) {
    if (added.length === 0) return { insert, names: [...names] };
    return { insert: { ...insert, selectStmt: valuesOf([added.map(copy)]) }, names: missing };
  }
  if (!("SelectStmt" in select)) return { insert, names: [...names] };
  const lists = select.SelectStmt.valuesLists ?? [];
  if (lists.length > 0) {
    const rows = lists.map((list) => [...itemsOf(list).map((item, i) =>
      ("SetToDefault" in item && defaults.has(names[i] ?? "") ? copy(defaults.get(names[i]!)!)
        : item)), ...added.map(copy)]);
    return { insert: { ...insert, selectStmt: { SelectStmt: { ...select.SelectStmt,
      valuesLists: rows.map((items) => ({ List: { items } })) } } },
    names: [...names, ...missing] };
  }
  if (added.length === 0) return { insert, names: [...names] };
  return { insert: { ...insert, selectStmt: extendedSelect(select, added) },
    names: [...names, ...missing] };
}

function itemsOf(list: ast.Node): ast.Node[] {
  return "List" in list ? list.List.items ?? [] : [];
}

function valuesOf(rows: ast.Node[][]): ast.Node {
  return { SelectStmt: { valuesLists: rows.map((items) => ({ List: { items } })),
    limitOption: "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE" } };
}

/** `SELECT *, defaults… FROM (select) AS "*SELECT*"`. */
function extendedSelect(select: ast.Node, added: readonly ast.Node[]): ast.Node {
  const star: ast.Node = { ResTarget: { val: { ColumnRef: { fields: [{ A_Star: {} }] } } } };
  return { SelectStmt: {
    targetList: [star, ...added.map((val): ast.Node => ({ ResTarget: { val: copy(val) } }))],
    fromClause: [{ RangeSubselect: { subquery: select, alias: { aliasname: "*SELECT*" } } }],
    limitOption: "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE" } };
}

function copy(node: ast.Node): ast.Node {
  return structuredClone(node);
}
