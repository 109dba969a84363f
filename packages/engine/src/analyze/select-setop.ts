/**
 * UNION / INTERSECT / EXCEPT [ALL] and VALUES lists. Column types of the branches resolve as
 * select_common_type does; the result is named after the left branch.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { Plan } from "../plan/plan.js";
import { coerceAll, commonType } from "./coerce.js";
import type { Expr, SortKey } from "./expr.js";
import { analyzeExpr, locationOf } from "./expr-analyze.js";
import { Scope } from "./scope.js";
import type { OutColumn, QueryResult } from "./subquery.js";
import { analyzeSelect, outputVar } from "./select.js";
import { analyzeLimit } from "./limit.js";
import { sortKeyFor } from "./window-spec.js";
import { Oid } from "../catalog/types.js";

export function analyzeSetOp(stmt: ast.SelectStmt, scope: Scope): QueryResult {
  const op =
    stmt.op === "SETOP_UNION" ? "union" : stmt.op === "SETOP_INTERSECT" ? "intersect" : "except";
  const what = op.toUpperCase();
  const left = analyzeSelect(stmt.larg!, branchScope(scope));
  const right = analyzeSelect(stmt.rarg!, branchScope(scope));
  if (left.columns.length !== right.columns.length) {
    throw new SqlError(
      SqlState.syntaxError,
      `each ${what} query must have the same number of columns`,
    );
  }
  const types = left.columns.map((l, i) => {
    const r = right.columns[i]!;
    const pair: Expr[] = [colExpr(l, 0), colExpr(r, 0)];
    const t = commonType(pair, what);
    return t;
  });
  const leftPlan = castColumns(left, types, what, scope);
  const rightPlan = castColumns(right, types, what, scope);
  let plan: Plan = {
    kind: "setOp",
    op,
    all: stmt.all === true,
    left: leftPlan,
    right: rightPlan,
    width: types.length,
    rows: leftPlan.rows + rightPlan.rows,
  };
  const padded = types.flatMap((t, i) => (t === Oid.bpchar ? [i] : []));
  if (padded.length > 0) plan = { ...plan, paddedColumns: padded };
  // A type modifier survives only where both sides have it (select_common_typmod).
  const columns: OutColumn[] = left.columns.map((c, i) => ({
    ...c,
    type: types[i]!,
    typmod: types[i] === c.type && right.columns[i]!.type === c.type &&
      right.columns[i]!.typmod === c.typmod ? c.typmod : -1,
    tableOid: 0,
    attnum: 0,
  }));
  plan = orderAndLimit(stmt, plan, columns, scope);
  return { plan, columns };
}

/** A scope for one branch: literals stay unknown until the set operation types them. */
function branchScope(scope: Scope): Scope {
  const branch = new Scope(scope.statement, scope, true);
  branch.resolveUnknowns = false;
  return branch;
}

export function colExpr(c: OutColumn, index: number): Expr {
  return {
    kind: "var",
    index,
    type: c.type,
    typmod: c.typmod,
    name: c.name,
    tableOid: 0,
    attnum: 0,
  };
}

export function castColumns(q: QueryResult, types: readonly number[], what: string,
  scope: Scope): Plan {
  if (q.columns.every((c, i) => c.type === types[i])) return q.plan;
  const exprs = q.columns.map(
    (c, i) => coerceAll([colExpr(c, i)], types[i]!, what, scope.statement.params)[0]!,
  );
  return {
    kind: "project",
    input: q.plan,
    exprs,
    srfs: [],
    width: exprs.length,
    rows: q.plan.rows,
  };
}

/** ORDER BY and LIMIT on a set operation or VALUES: by output name or ordinal only. */
function orderAndLimit(
  stmt: ast.SelectStmt,
  input: Plan,
  columns: readonly OutColumn[],
  scope: Scope,
): Plan {
  let plan = input;
  const sort = stmt.sortClause ?? [];
  let keys: SortKey[] = [];
  if (sort.length > 0) {
    keys = sort.map((node) => {
      if (!("SortBy" in node)) throw new SqlError(SqlState.syntaxError, "bad ORDER BY");
      const item = node.SortBy.node!;
      let index = -1;
      if ("A_Const" in item && item.A_Const.ival !== undefined) {
        index = (item.A_Const.ival.ival ?? 0) - 1;
        if (index < 0 || index >= columns.length) {
          throw new SqlError(SqlState.invalidColumnReference,
            `ORDER BY position ${index + 1} is not in select list`,
            locationOf(item.A_Const.location));
        }
      } else if ("A_Const" in item) {
        throw new SqlError(SqlState.syntaxError, "non-integer constant in ORDER BY",
          locationOf(item.A_Const.location));
      }
      if ("ColumnRef" in item) index = outputColumnIndex(item.ColumnRef, columns);
      if (index < 0 || index >= columns.length) {
        throw new SqlError(
          SqlState.featureNotSupported,
          "invalid UNION/INTERSECT/EXCEPT ORDER BY clause",
          { detail: "Only result column names can be used, not expressions or functions." },
        );
      }
      return sortKeyFor(outputVar(index, colExpr(columns[index]!, index)), node.SortBy, scope);
    });
    plan = { kind: "sort", input: plan, keys, width: plan.width, rows: plan.rows };
  }
  return analyzeLimit(stmt, plan, scope, keys);
}

/**
 * Finds the output column a set operation's ORDER BY names. The result's columns are all
 * that is in scope there, so an unknown name is 42703 and a qualified one 42P01.
 */
function outputColumnIndex(ref: ast.ColumnRef, columns: readonly OutColumn[]): number {
  const fields = (ref.fields ?? []).map((f) => ("String" in f ? f.String.sval ?? "" : "*"));
  const loc = locationOf(ref.location);
  if (fields.length > 1) {
    throw new SqlError(SqlState.undefinedTable,
      `missing FROM-clause entry for table "${fields[0]}"`, loc);
  }
  const name = fields[0] ?? "";
  const matches = columns.flatMap((c, i) => (c.name === name ? [i] : []));
  if (matches.length > 1) {
    throw new SqlError(SqlState.ambiguousColumn, `ORDER BY "${name}" is ambiguous`, loc);
  }
  if (matches.length === 0 && name !== "*") {
    throw new SqlError(SqlState.undefinedColumn, `column "${name}" does not exist`, loc);
  }
  return matches[0] ?? -1;
}

/** The type modifier all of `exprs` share, or -1 (select_common_typmod). */
function commonTypmod(exprs: readonly Expr[], type: number): number {
  const first = exprs[0];
  if (first === undefined || first.type !== type) return -1;
  return exprs.every((e) => e.type === type && e.typmod === first.typmod) ? first.typmod : -1;
}

export function analyzeValues(stmt: ast.SelectStmt, scope: Scope): QueryResult {
  const clause = scope.clause;
  scope.clause = "VALUES";
  const lists = (stmt.valuesLists ?? []).map((l) =>
    ("List" in l ? (l.List.items ?? []) : []).map((item) => analyzeExpr(item, scope)),
  );
  scope.clause = clause;
  const width = lists[0]?.length ?? 0;
  if (lists.some((l) => l.length !== width)) {
    throw new SqlError(SqlState.syntaxError, "VALUES lists must all be the same length");
  }
  const types = Array.from({ length: width }, (_x, i) =>
    commonType(
      lists.map((l) => l[i]!),
      "VALUES",
    ),
  );
  const rows = lists.map((l) =>
    l.map((e, i) => coerceAll([e], types[i]!, "VALUES", scope.statement.params)[0]!),
  );
  const columns: OutColumn[] = types.map((type, i) => ({
    name: `column${i + 1}`,
    type,
    typmod: commonTypmod(rows.map((r) => r[i]!), type),
    tableOid: 0,
    attnum: 0,
  }));
  let plan: Plan = { kind: "values", values: rows, width, rows: rows.length };
  plan = orderAndLimit(stmt, plan, columns, scope);
  void Oid;
  return { plan, columns };
}
