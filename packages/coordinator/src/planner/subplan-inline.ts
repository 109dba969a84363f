/**
 * Subplans shipped to the tasks (`citus-surface.md` §5, "Distributed Subplan"): a part of a
 * distributed query that reads only coordinator (local) tables runs first, on the coordinator,
 * and its rows travel inside every task's SQL, where Citus sends an intermediate result that
 * `read_intermediate_result` reads back. In the planned tree such a part is marked by a
 * wrapper, analyzable by the local engine as it stands:
 *
 *     SELECT * FROM (SELECT k, label FROM dx_local WHERE k < 3) __tessera_subplan_1
 *
 * and per execution the wrapped subquery is replaced by its rows, each value a typed constant:
 *
 *     SELECT * FROM (SELECT intermediate_result.c1 AS k, intermediate_result.c2 AS label
 *       FROM (VALUES ('1'::integer, 'label 1'::text), …) intermediate_result(c1, c2))
 *       __tessera_subplan_1
 *
 * An empty result becomes `SELECT NULL::integer AS k, NULL::text AS label WHERE false`.
 */
import { assert, limits } from "@tessera/base";
import type { Row, ast } from "@tessera/sql";
import { valueText, type ColumnType } from "../executor/tasks.js";
import { castTo, columnRef, resTarget } from "./raw.js";

/** The rows of one subplan, with the names and types of its columns. */
export interface IntermediateResult {
  readonly names: readonly string[];
  readonly types: readonly ColumnType[];
  readonly rows: readonly Row[];
}

const markerPrefix = "__tessera_subplan_";

/** The alias that marks subplan `index` (1-based, as Citus numbers them). */
export function subplanAlias(index: number): string {
  return `${markerPrefix}${index}`;
}

/** Wraps a subquery so that it can be found, and replaced by its rows, in every task. */
export function wrapSubplan(select: ast.SelectStmt, index: number): ast.SelectStmt {
  return {
    targetList: [resTarget({ ColumnRef: { fields: [{ A_Star: {} }] } })],
    fromClause: [{ RangeSubselect: { subquery: { SelectStmt: select },
      alias: { aliasname: subplanAlias(index) } } }],
    limitOption: "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE",
  };
}

/** True for the wrapper `wrapSubplan` makes. */
export function isSubplanWrapper(select: ast.SelectStmt): boolean {
  const from = select.fromClause?.[0];
  return from !== undefined && "RangeSubselect" in from &&
    (from.RangeSubselect.alias?.aliasname ?? "").startsWith(markerPrefix);
}

/** Returns a copy of `tree` where each marked subplan holds its rows (results[i] is i + 1). */
export function inlineSubplans<T>(tree: T, results: readonly IntermediateResult[]): T {
  if (results.length === 0) return tree;
  const visit = (value: unknown, depth: number): unknown => {
    assert(depth <= limits.treeDepthMax * 4, "trees nest within the depth limit");
    if (Array.isArray(value)) return value.map((item) => visit(item, depth + 1));
    if (typeof value !== "object" || value === null) return value;
    const record = value as Record<string, unknown>;
    const sub = record["RangeSubselect"] as ast.RangeSubselect | undefined;
    const name = sub?.alias?.aliasname ?? "";
    if (sub !== undefined && name.startsWith(markerPrefix)) {
      const result = results[Number(name.slice(markerPrefix.length)) - 1];
      assert(result !== undefined, "every marked subplan has run");
      return { RangeSubselect: { ...sub, subquery: { SelectStmt: resultSelect(result) } } };
    }
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, visit(v, depth + 1)]));
  };
  return visit(tree, 0) as T;
}

/** The SELECT that yields a result's rows with its column names and types. */
export function resultSelect(result: IntermediateResult): ast.SelectStmt {
  const typed = (value: Row[number], type: ColumnType): ast.Node => {
    const text = valueText(value, type.typeOid);
    const constant: ast.Node = text === null
      ? { A_Const: { isnull: true } } : { A_Const: { sval: { sval: text } } };
    return castTo(constant, type.typeOid, type.typmod);
  };
  if (result.rows.length === 0) {
    return {
      targetList: result.types.map((type, i) =>
        resTarget(typed(null, type), result.names[i])),
      whereClause: { A_Const: { boolval: { boolval: false } } },
      limitOption: "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE",
    };
  }
  const values: ast.SelectStmt = {
    valuesLists: result.rows.map((row): ast.Node => ({
      List: { items: result.types.map((type, i) => typed(row[i] ?? null, type)) },
    })),
    limitOption: "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE",
  };
  const colnames = result.types.map((_, i) => ({ String: { sval: `c${i + 1}` } }));
  return {
    targetList: result.names.map((name, i) =>
      resTarget(columnRef("intermediate_result", `c${i + 1}`), name)),
    fromClause: [{ RangeSubselect: { subquery: { SelectStmt: values },
      alias: { aliasname: "intermediate_result", colnames } } }],
    limitOption: "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE",
  };
}
