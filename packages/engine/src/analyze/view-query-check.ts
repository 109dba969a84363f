/**
 * What CREATE VIEW refuses in a query it analyzed (as DefineView and CheckAttributeType): a
 * top-level WITH holding INSERT, UPDATE or DELETE, and a column of a pseudo-type (an anonymous
 * `record`, `record[]`), which no stored row type could describe.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { Oid, arrayOf, typeInfo } from "../catalog/types.js";

export function checkViewQuery(query: ast.Node,
  columns: readonly { readonly name: string; readonly type: number }[]): void {
  const ctes = "SelectStmt" in query ? query.SelectStmt.withClause?.ctes ?? [] : [];
  const modifying = ctes.some((c) => "CommonTableExpr" in c && c.CommonTableExpr.ctequery !==
    undefined && !("SelectStmt" in c.CommonTableExpr.ctequery));
  if (modifying) {
    throw new SqlError(SqlState.featureNotSupported,
      "views must not contain data-modifying statements in WITH");
  }
  for (const column of columns) {
    const info = typeInfo(column.type);
    if (info.category === "P" || column.type === arrayOf(Oid.record)) {
      throw new SqlError(SqlState.invalidTableDefinition,
        `column "${column.name}" has pseudo-type ${info.sqlName}`);
    }
  }
}
