/**
 * SQL functions returning a composite type (`RETURNS pair` for CREATE TYPE pair AS (…)): the
 * inlined body's columns become one row of the type, as Postgres builds the result tuple of
 * a SQL function from its final SELECT, and in FROM the call yields the type's attributes as
 * columns (`SELECT * FROM f(1)` gives a and b).
 */
import type { ast } from "@tessera/sql";
import { namedAttributes } from "./composite-coerce.js";
import type { SqlFunction } from "../catalog/sql-functions.js";

/** The columns `fn` yields in FROM when it returns a composite type, else undefined. */
export function compositeOutColumns(fn: SqlFunction):
  { name: string; typeName: ast.TypeName }[] | undefined {
  if (fn.outColumns.length > 0) return undefined;
  // A CREATE TYPE composite or a table's row type (`RETURNS SETOF t`).
  const attributes = namedAttributes(fn.returnType);
  return attributes?.map((a) => ({ name: a.name,
    typeName: { typeOid: a.type, typemod: a.typmod } }));
}

/**
 * The row a call of `fn` stands for when it returns a composite type and its body selects
 * more than one column: ROW(the targets) for a simple body (`simple`), else the first row of
 * the body as a ROW. Undefined otherwise: one column is the value itself.
 */
export function compositeResult(fn: SqlFunction, body: ast.Node, simple: boolean):
  ast.Node | undefined {
  if (compositeOutColumns(fn) === undefined) return undefined;
  const select = (body as { SelectStmt: ast.SelectStmt }).SelectStmt;
  const targets = select.targetList ?? [];
  if (targets.length <= 1) return undefined;
  if (simple) {
    const args = targets.map((t) => ("ResTarget" in t ? t.ResTarget.val! : t));
    return { RowExpr: { args, row_format: "COERCE_EXPLICIT_CALL" } };
  }
  const names = targets.map((_t, i) => `c${i + 1}`);
  const str = (sval: string): ast.Node => ({ String: { sval } });
  const row: ast.Node = { TypeCast: { typeName: fn.returnTypeName, arg: { RowExpr: {
    row_format: "COERCE_EXPLICIT_CALL",
    args: names.map((n) => ({ ColumnRef: { fields: [str("f"), str(n)] } })) } } } };
  return { SubLink: { subLinkType: "EXPR_SUBLINK", subselect: { SelectStmt: {
    targetList: [{ ResTarget: { val: row } }],
    fromClause: [{ RangeSubselect: { subquery: body,
      alias: { aliasname: "f", colnames: names.map(str) } } }],
    limitCount: { A_Const: { ival: { ival: 1 } } }, limitOption: "LIMIT_OPTION_COUNT",
    op: "SETOP_NONE" } } } };
}
