/**
 * Subqueries in an UPDATE's SET values through the deparser: pgsql-deparser prints the
 * select list of a subquery inside `SET col = (…)` in the SET's own `name = value` form, so
 * `SET a = (SELECT count(*) AS c FROM t)` would reach the shards as
 * `SET a = (SELECT c = count(*) FROM t)`. Before printing, each SET value that holds a
 * subquery becomes a marker constant; the value is printed on its own, as an expression, and
 * put back in place of its marker after printing:
 *
 *     UPDATE t SET a = (SELECT count(*) AS c FROM u)
 *  -> printed: UPDATE t SET a = '__tessera_set_value_0'
 *  -> sent:    UPDATE t SET a = ((SELECT count(*) AS c FROM u))
 *
 * Multi-column assignments (`SET (a, b) = (SELECT …)`) are left to the deparser.
 */
import { assert } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { mapRecords, someNode, type TreeRecord } from "./tree-walk.js";

const markerPrefix = "__tessera_set_value_";

function holdsSubLink(value: unknown): boolean {
  return someNode(value, (record) => "SubLink" in record);
}

/** Whether `record` is an UPDATE whose SET list has a subquery outside a multi-assignment. */
function isUpdateWithSubquerySet(record: TreeRecord): boolean {
  const update = record["UpdateStmt"] as ast.UpdateStmt | undefined;
  return (update?.targetList ?? []).some((item) => setValueWithSubLink(item) !== undefined);
}

function setValueWithSubLink(item: ast.Node): ast.Node | undefined {
  if (!("ResTarget" in item)) return undefined;
  const val = item.ResTarget.val;
  if (val === undefined || "MultiAssignRef" in val || !holdsSubLink(val)) return undefined;
  return val;
}

/**
 * Prints `stmt` with `print` (the plain deparser, also used for the SET values), each SET
 * value holding a subquery printed on its own.
 */
export function deparseUpdateSets(stmt: ast.Node, print: (stmt: ast.Node) => string): string {
  if (!someNode(stmt, isUpdateWithSubquerySet)) return print(stmt);
  const values: string[] = [];
  const expression = (val: ast.Node): string => {
    const text = deparseUpdateSets({ SelectStmt: { targetList: [{ ResTarget: { val } }],
      limitOption: "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE" } }, print);
    assert(text.startsWith("SELECT "), "a one-expression SELECT prints as SELECT <expr>");
    return text.slice("SELECT ".length);
  };
  const mark = (record: TreeRecord): unknown => {
    const update = record["UpdateStmt"] as ast.UpdateStmt | undefined;
    if (update?.targetList === undefined) return record;
    const targetList = update.targetList.map((item) => {
      const val = setValueWithSubLink(item);
      if (val === undefined || !("ResTarget" in item)) return item;
      const marker: ast.Node = { A_Const: { sval: { sval: `${markerPrefix}${values.length}` } } };
      values.push(expression(val));
      return { ResTarget: { ...item.ResTarget, val: marker } };
    });
    return { UpdateStmt: { ...update, targetList } };
  };
  const marked = mapRecords(stmt, mark) as ast.Node;
  let text = print(marked);
  values.forEach((value, i) => {
    const marker = `'${markerPrefix}${i}'`;
    assert(text.includes(marker), "each SET value marker is printed");
    text = text.replace(marker, () => `(${value})`);
  });
  return text;
}
