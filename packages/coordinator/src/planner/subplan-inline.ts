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
 *       FROM (VALUES ('1'::integer, 'label 1'::text), …) AS intermediate_result(c1, c2))
 *       __tessera_subplan_1
 *
 * An empty result reads `(SELECT NULL::integer, NULL::text WHERE false)`. The rows are
 * printed once per execution and put into each task's text in place of a placeholder
 * relation (`subplanFiller`), not deparsed again for every task.
 */
import { assert, limits } from "@tessera/base";
import type { Row, ast } from "@tessera/sql";
import { valueText, type ColumnType } from "../executor/tasks.js";
import { castTo, columnRef, resTarget } from "./raw.js";
import { deparseStatement } from "./shard-query.js";

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

/**
 * Returns a copy of `tree` where each marked subplan reads a placeholder relation named for
 * its rows (results[i] is subplan i + 1); `subplanFiller` puts the rows into the SQL text.
 */
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
      const index = Number(name.slice(markerPrefix.length));
      const result = results[index - 1];
      assert(result !== undefined, "every marked subplan has run");
      return { RangeSubselect: { ...sub,
        subquery: { SelectStmt: resultSelect(result, index) } } };
    }
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, visit(v, depth + 1)]));
  };
  return visit(tree, 0) as T;
}

const placeholderPrefix = "__tessera_values_";

/**
 * The SELECT that yields subplan `index`'s rows with its column names, over a placeholder
 * for the rows themselves: `SELECT intermediate_result.c1 AS k, … FROM
 * pg_catalog.__tessera_values_1 AS intermediate_result(c1, …)`.
 */
export function resultSelect(result: IntermediateResult, index: number): ast.SelectStmt {
  const colnames = result.types.map((_, i) => ({ String: { sval: `c${i + 1}` } }));
  return {
    targetList: result.names.map((name, i) =>
      resTarget(columnRef("intermediate_result", `c${i + 1}`), name)),
    fromClause: [{ RangeVar: { schemaname: "pg_catalog", relname: `${placeholderPrefix}${index}`,
      inh: true, relpersistence: "p", alias: { aliasname: "intermediate_result", colnames } } }],
    limitOption: "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE",
  };
}

/**
 * Returns a function that puts each subplan's rows, printed once, in place of its placeholder
 * in a task's SQL text: `(VALUES ('1'::integer, 'a'::text), …)`, or for no rows
 * `(SELECT NULL::integer, NULL::text WHERE false)`.
 */
export function subplanFiller(results: readonly IntermediateResult[]): (sql: string) => string {
  if (results.length === 0) return (sql) => sql;
  const texts = results.map((result) =>
    `(${deparseStatement({ SelectStmt: rowsSelect(result) })})`);
  const pattern = new RegExp(`pg_catalog\\.${placeholderPrefix}(\\d+)\\b`, "g");
  return (sql) => sql.replace(pattern, (_, index: string) => texts[Number(index) - 1]!);
}

/** The rows of a result as typed VALUES, or a typed empty SELECT. */
function rowsSelect(result: IntermediateResult): ast.SelectStmt {
  const typed = (value: Row[number], type: ColumnType): ast.Node => {
    const text = valueText(value, type.typeOid);
    const constant: ast.Node = text === null
      ? { A_Const: { isnull: true } } : { A_Const: { sval: { sval: text } } };
    return castTo(constant, type.typeOid, type.typmod);
  };
  if (result.rows.length === 0) {
    return {
      targetList: result.types.map((type) => resTarget(typed(null, type))),
      whereClause: { A_Const: { boolval: { boolval: false } } },
      limitOption: "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE",
    };
  }
  return {
    valuesLists: result.rows.map((row): ast.Node => ({
      List: { items: result.types.map((type, i) => typed(row[i] ?? null, type)) },
    })),
    limitOption: "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE",
  };
}
