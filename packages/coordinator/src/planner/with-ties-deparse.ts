/**
 * `FETCH FIRST n ROWS WITH TIES` through the deparser: pgsql-deparser prints a SelectStmt
 * whose limitOption is LIMIT_OPTION_WITH_TIES as a plain `LIMIT n`, which would cut ties off
 * on the shards. Before printing, each such LIMIT count becomes a marker constant; after
 * printing, `LIMIT '<marker>'` becomes `FETCH FIRST (<n>) ROWS WITH TIES` (PostgreSQL takes
 * it before or after OFFSET):
 *
 *     SELECT g FROM t ORDER BY g FETCH FIRST 3 ROWS WITH TIES
 *  -> printed: SELECT g FROM t ORDER BY g LIMIT '__tessera_with_ties_0'
 *  -> sent:    SELECT g FROM t ORDER BY g FETCH FIRST (3) ROWS WITH TIES
 */
import { assert } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { mapRecords, someNode, type TreeRecord } from "./tree-walk.js";

const markerPrefix = "__tessera_with_ties_";

/**
 * Prints `stmt` with `print`, keeping every WITH TIES; `print` is the plain deparser, also
 * used for the LIMIT counts.
 */
export function deparseWithTies(stmt: ast.Node, print: (stmt: ast.Node) => string): string {
  const counts: ast.Node[] = [];
  const mark = (record: TreeRecord): unknown => {
    const select = record["SelectStmt"] as ast.SelectStmt | undefined;
    if (select?.limitOption !== "LIMIT_OPTION_WITH_TIES" || select.limitCount === undefined) {
      return record;
    }
    const marker: ast.Node = { A_Const: { sval: { sval: `${markerPrefix}${counts.length}` } } };
    counts.push(select.limitCount);
    return { SelectStmt: { ...select, limitCount: marker } };
  };
  if (!someNode(stmt, (record) => isWithTies(record["SelectStmt"]))) return print(stmt);
  const marked = mapRecords(stmt, mark) as ast.Node;
  const text = print(marked);
  const pattern = new RegExp(`LIMIT '${markerPrefix}(\\d+)'`, "g");
  return text.replace(pattern, (_, index: string) => {
    const count = counts[Number(index)];
    assert(count !== undefined, "every marker stands for a LIMIT count");
    const printed = print({ SelectStmt: { targetList: [{ ResTarget: { val: count } }],
      limitOption: "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE" } });
    assert(printed.startsWith("SELECT "), "an expression prints as a SELECT list");
    return `FETCH FIRST (${printed.slice("SELECT ".length)}) ROWS WITH TIES`;
  });
}

function isWithTies(node: unknown): boolean {
  return typeof node === "object" && node !== null &&
    (node as ast.SelectStmt).limitOption === "LIMIT_OPTION_WITH_TIES";
}
