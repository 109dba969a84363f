/**
 * SEARCH and CYCLE clauses of WITH RECURSIVE (PostgreSQL 14+), rewritten on the raw tree into
 * plain recursive SQL, as Postgres's rewriteSearchAndCycle does, before analysis:
 *
 *     WITH RECURSIVE t(a, b) AS (L UNION ALL R) SEARCH DEPTH FIRST BY a SET s
 *                                               CYCLE b SET m USING p
 *  => WITH RECURSIVE t(a, b, s, m, p) AS (
 *       SELECT x.*, ARRAY[ROW(x.a)], false, ARRAY[ROW(x.b)] FROM (L) x(a, b)
 *       UNION ALL
 *       SELECT y.a, y.b, y.s0 || ROW(y.a),
 *              CASE WHEN ROW(y.b) = ANY (y.p0) THEN true ELSE false END, y.p0 || ROW(y.b)
 *       FROM (R + its work-table row's s, m, p) y(a, b, s0, m0, p0) WHERE y.m0 <> true)
 *
 * BREADTH FIRST keeps ROW(depth, columns…) instead, the depth counting up from 0 as int8. A
 * row found to close a cycle is emitted with its mark set and not expanded further.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { searchDepthField } from "./whole-row.js";

/** A CTE rewritten: its new query and its full column list (the added columns last). */
export interface SearchCycleRewrite {
  readonly query: ast.SelectStmt;
  readonly columns: readonly string[];
}

const leftAlias = "*TLOCRN*";
const rightAlias = "*TROCRN*";

/** Rewrites `union` (already checked as `L UNION [ALL] R`) for the CTE's SEARCH/CYCLE. */
export function rewriteSearchCycle(cte: ast.CommonTableExpr, union: ast.SelectStmt,
  columns: readonly string[]): SearchCycleRewrite {
  const search = cte.search_clause;
  const cycle = cte.cycle_clause;
  checkNames(search, cycle, columns, union.rarg!, cte.ctename ?? "");
  if ((union.larg?.op ?? "SETOP_NONE") !== "SETOP_NONE") {
    throw notSupported("with a SEARCH or CYCLE clause, the left side of the UNION must be " +
      "a SELECT");
  }
  if ((union.rarg?.op ?? "SETOP_NONE") !== "SETOP_NONE") {
    throw syntaxError("with a SEARCH or CYCLE clause, the right side of the UNION must be " +
      "a SELECT");
  }
  const added: string[] = [];
  const prev: string[] = [];
  if (search !== undefined) added.push(search.search_seq_column ?? "");
  if (cycle !== undefined) {
    added.push(cycle.cycle_mark_column ?? "", cycle.cycle_path_column ?? "");
  }
  for (const name of added) prev.push(`*prev ${name}*`);
  const left = leftTerm(union.larg!, search, cycle, columns);
  const right = rightTerm({ cte, rarg: union.rarg!, columns, added, prev });
  return {
    query: { ...union, larg: left, rarg: right },
    columns: [...columns, ...added],
  };
}

function checkNames(search: ast.CTESearchClause | undefined, cycle: ast.CTECycleClause | undefined,
  columns: readonly string[], rarg: ast.SelectStmt, cteName: string): void {
  const listed = (list: ast.Node[] | undefined, what: string): void => {
    const seen = new Set<string>();
    for (const name of (list ?? []).map(stringOf)) {
      if (!columns.includes(name)) {
        throw syntaxError(`${what} column "${name}" not in WITH query column list`);
      }
      if (seen.has(name)) {
        throw new SqlError(SqlState.duplicateColumn, `${what} column "${name}" specified more ` +
          "than once");
      }
      seen.add(name);
    }
  };
  if (search !== undefined) listed(search.search_col_list, "search");
  if (cycle !== undefined) listed(cycle.cycle_col_list, "cycle");
  const seq = search?.search_seq_column;
  const mark = cycle?.cycle_mark_column;
  const path = cycle?.cycle_path_column;
  const named: [string | undefined, string][] = [[seq, "search sequence column name"],
    [mark, "cycle mark column name"], [path, "cycle path column name"]];
  for (const [name, what] of named) {
    if (name !== undefined && columns.includes(name)) {
      // Postgres analyzes the recursive term with the added column first: reading the name
      // there finds it twice.
      if (readsColumn(rarg, name, cteName)) {
        throw new SqlError(SqlState.ambiguousColumn, `column reference "${name}" is ambiguous`);
      }
      throw syntaxError(`${what} "${name}" already used in WITH query column list`);
    }
  }
  if (mark !== undefined && mark === path) {
    throw syntaxError("cycle mark column name and cycle path column name are the same");
  }
  if (seq !== undefined && seq === mark) {
    throw syntaxError("search sequence column name and cycle mark column name are the same");
  }
  if (seq !== undefined && seq === path) {
    throw syntaxError("search sequence column name and cycle path column name are the same");
  }
}

/** Whether the recursive term names `column` bare or qualified by the work table's name. */
function readsColumn(rarg: ast.SelectStmt, column: string, cteName: string): boolean {
  let alias = cteName;
  try {
    alias = workTableAlias(rarg, cteName);
  } catch {
    // The missing reference is reported later.
  }
  let found = false;
  const visit = (node: unknown): void => {
    if (found || typeof node !== "object" || node === null) return;
    if (Array.isArray(node)) return node.forEach(visit);
    const ref = (node as { ColumnRef?: ast.ColumnRef }).ColumnRef;
    if (ref !== undefined) {
      const fields = (ref.fields ?? []).map(stringOf);
      found = fields[fields.length - 1] === column &&
        (fields.length === 1 || (fields.length === 2 && fields[0] === alias));
      return;
    }
    Object.values(node).forEach(visit);
  };
  visit(rarg);
  return found;
}

/** `SELECT x.*, <initial seq>, <default mark>, ARRAY[ROW(cycle cols)] FROM (L) x(cols)`. */
function leftTerm(larg: ast.SelectStmt, search: ast.CTESearchClause | undefined,
  cycle: ast.CTECycleClause | undefined, columns: readonly string[]): ast.SelectStmt {
  const targets: ast.Node[] = [target(columnRef([leftAlias], true))];
  if (search !== undefined) {
    const keys = (search.search_col_list ?? []).map((c) => columnRef([leftAlias, stringOf(c)]));
    targets.push(target(search.search_breadth_first === true
      ? row([int8Zero(), ...keys])
      : { A_ArrayExpr: { elements: [row(keys)] } }));
  }
  if (cycle !== undefined) {
    const keys = (cycle.cycle_col_list ?? []).map((c) => columnRef([leftAlias, stringOf(c)]));
    targets.push(target(cycle.cycle_mark_default!));
    targets.push(target({ A_ArrayExpr: { elements: [row(keys)] } }));
  }
  return simpleSelect(targets, subselect(larg, leftAlias, columns), undefined);
}

interface RightTermInput {
  readonly cte: ast.CommonTableExpr;
  readonly rarg: ast.SelectStmt;
  readonly columns: readonly string[];
  readonly added: readonly string[];
  readonly prev: readonly string[];
}

/** The recursive term over R extended with its work-table row's added columns. */
function rightTerm(input: RightTermInput): ast.SelectStmt {
  const { cte, rarg, columns, added, prev } = input;
  const ref = workTableAlias(rarg, cte.ctename ?? "");
  const extended: ast.SelectStmt = {
    ...rarg,
    targetList: [...(rarg.targetList ?? []), ...added.map((n) => target(columnRef([ref, n])))],
  };
  const col = (name: string): ast.Node => columnRef([rightAlias, name]);
  const targets: ast.Node[] = columns.map((c) => target(col(c)));
  let next = 0;
  const search = cte.search_clause;
  if (search !== undefined) {
    const keys = (search.search_col_list ?? []).map((c) => col(stringOf(c)));
    const prevSeq = col(prev[next++]!);
    targets.push(target(search.search_breadth_first === true
      ? row([op("+", { A_Indirection: { arg: prevSeq, indirection: [str(searchDepthField)] } },
        { A_Const: { ival: { ival: 1 } } }), ...keys])
      : op("||", prevSeq, row(keys))));
  }
  const cycle = cte.cycle_clause;
  let where: ast.Node | undefined;
  if (cycle !== undefined) {
    const keys = row((cycle.cycle_col_list ?? []).map((c) => col(stringOf(c))));
    const prevMark = col(prev[next++]!);
    const prevPath = col(prev[next++]!);
    const seen: ast.Node = {
      A_Expr: { kind: "AEXPR_OP_ANY", name: [str("=")], lexpr: keys, rexpr: prevPath },
    };
    targets.push(target({ CaseExpr: {
      args: [{ CaseWhen: { expr: seen, result: cycle.cycle_mark_value! } }],
      defresult: cycle.cycle_mark_default!,
    } }));
    targets.push(target(op("||", prevPath, keys)));
    where = op("<>", prevMark, cycle.cycle_mark_value!);
  }
  return simpleSelect(targets, subselect(extended, rightAlias, [...columns, ...prev]), where);
}

/** The name the recursive term's FROM list gives the work table. */
function workTableAlias(rarg: ast.SelectStmt, name: string): string {
  const found: string[] = [];
  const visit = (item: ast.Node): void => {
    if ("RangeVar" in item) {
      const rv = item.RangeVar;
      if (rv.relname === name && rv.schemaname === undefined) {
        found.push(rv.alias?.aliasname ?? name);
      }
    } else if ("JoinExpr" in item) {
      visit(item.JoinExpr.larg!);
      visit(item.JoinExpr.rarg!);
    }
  };
  // A WITH query of the same name on the term captures its FROM references.
  const captured = (rarg.withClause?.ctes ?? []).some((c) => "CommonTableExpr" in c &&
    c.CommonTableExpr.ctename === name);
  if (!captured) for (const item of rarg.fromClause ?? []) visit(item);
  if (found.length !== 1) {
    throw notSupported(`with a SEARCH or CYCLE clause, the recursive reference to WITH query ` +
      `"${name}" must be at the top level of its right-hand SELECT`);
  }
  return found[0]!;
}

function simpleSelect(targets: ast.Node[], from: ast.Node, where: ast.Node | undefined):
  ast.SelectStmt {
  return {
    targetList: targets,
    fromClause: [from],
    ...(where === undefined ? {} : { whereClause: where }),
    limitOption: "LIMIT_OPTION_DEFAULT",
    op: "SETOP_NONE",
  };
}

function subselect(query: ast.SelectStmt, alias: string, columns: readonly string[]): ast.Node {
  return { RangeSubselect: {
    subquery: { SelectStmt: query },
    alias: { aliasname: alias, colnames: columns.map(str) },
  } };
}

function target(val: ast.Node): ast.Node {
  return { ResTarget: { val } };
}

function columnRef(fields: readonly string[], star = false): ast.Node {
  const list: ast.Node[] = fields.map(str);
  if (star) list.push({ A_Star: {} });
  return { ColumnRef: { fields: list } };
}

function row(args: ast.Node[]): ast.Node {
  return { RowExpr: { args, row_format: "COERCE_EXPLICIT_CALL" } };
}

function op(name: string, lexpr: ast.Node, rexpr: ast.Node): ast.Node {
  return { A_Expr: { kind: "AEXPR_OP", name: [str(name)], lexpr, rexpr } };
}

function int8Zero(): ast.Node {
  return { TypeCast: {
    arg: { A_Const: { ival: {} } },
    typeName: { names: [str("pg_catalog"), str("int8")], typemod: -1 },
  } };
}

function str(sval: string): ast.Node {
  return { String: { sval } };
}

function stringOf(node: ast.Node): string {
  return "String" in node ? (node.String.sval ?? "") : "";
}

function notSupported(message: string): SqlError {
  return new SqlError(SqlState.featureNotSupported, message);
}

function syntaxError(message: string): SqlError {
  return new SqlError(SqlState.syntaxError, message);
}
