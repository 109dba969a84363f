/**
 * A table of a join read on its own: Citus's `ReplaceRTERelationWithRteSubquery`. The table
 * becomes a subquery that reads only the columns the query uses (the others are NULLs of
 * their type, so `*` and positions still work) and only the rows that pass the WHERE
 * conjuncts about that table alone:
 *
 *     FROM dx_events e JOIN dx_local l ON l.k = e.qty WHERE l.label <> 'x'
 *  -> l: SELECT l.k AS k, l.label AS label FROM dx_local l WHERE l.label <> 'x'
 *
 * A conjunct is copied into the subquery (and kept in the outer query) only when the table is
 * not on the nullable side of an outer join, and the conjunct references no other table, no
 * subquery and no volatile function.
 */
import { lookupFunction, type ast } from "@tessera/sql";
import type { TableRef } from "./classify.js";
import { castTo, columnNames, columnRef, constantText, resTarget } from "./raw.js";

/** A top-level FROM item of a query, with whether an outer join may null-extend it. */
export interface FromItem {
  readonly node: ast.Node;
  readonly nullable: boolean;
  /** Sits on the kept side of an outer join whose other side holds `partners`. */
  readonly preservedAgainst: readonly ast.Node[];
}

/** Lists the top-level FROM items (through JOINs) of a query. */
export function fromItems(select: ast.SelectStmt): FromItem[] {
  const items: FromItem[] = [];
  const visit = (node: ast.Node, nullable: boolean, against: readonly ast.Node[]): void => {
    if (!("JoinExpr" in node)) {
      items.push({ node, nullable, preservedAgainst: against });
      return;
    }
    const join = node.JoinExpr;
    const type = join.jointype ?? "JOIN_INNER";
    const left = join.larg;
    const right = join.rarg;
    const leftNull = type === "JOIN_RIGHT" || type === "JOIN_FULL";
    const rightNull = type === "JOIN_LEFT" || type === "JOIN_FULL";
    if (left !== undefined) {
      visit(left, nullable || leftNull, rightNull && right !== undefined
        ? [...against, right] : against);
    }
    if (right !== undefined) {
      visit(right, nullable || rightNull, leftNull && left !== undefined
        ? [...against, left] : against);
    }
  };
  for (const item of select.fromClause ?? []) visit(item, false, []);
  return items;
}

/** True when `node` (a FROM item or join tree) holds the relation reference `rangeVar`. */
export function holdsRangeVar(node: ast.Node, rangeVar: ast.RangeVar): boolean {
  if ("RangeVar" in node) return node.RangeVar === rangeVar;
  if ("JoinExpr" in node) {
    const join = node.JoinExpr;
    return (join.larg !== undefined && holdsRangeVar(join.larg, rangeVar)) ||
      (join.rarg !== undefined && holdsRangeVar(join.rarg, rangeVar));
  }
  return false;
}

/** The AND-ed conjuncts of a WHERE clause. */
export function conjuncts(expr: ast.Node | undefined): ast.Node[] {
  if (expr === undefined) return [];
  if ("BoolExpr" in expr && expr.BoolExpr.boolop === "AND_EXPR") {
    return (expr.BoolExpr.args ?? []).flatMap((arg) => conjuncts(arg));
  }
  return [expr];
}

/** What a query reads of its top-level tables, to decide columns and filters. */
export interface QueryScope {
  readonly select: ast.SelectStmt;
  /** Top-level relation references, with their names and columns. */
  readonly tables: readonly TableRef[];
  /** True when some top-level FROM item is not a plain table (its columns are unknown). */
  readonly opaqueItems: boolean;
}

/** Builds the subquery that reads `ref` as the query needs it. */
export function tableSubquery(scope: QueryScope, ref: TableRef, nullable: boolean):
  ast.SelectStmt {
  const needed = neededColumns(scope, ref);
  const targetList = ref.relation.columns.filter((c) => !c.dropped).map((column) =>
    resTarget(needed === "all" || needed.has(column.name)
      ? columnRef(ref.alias, column.name)
      : castTo({ A_Const: { isnull: true } }, column.type, column.typmod), column.name));
  const filters = nullable ? [] : conjuncts(scope.select.whereClause)
    .filter((expr) => onlyAbout(scope, ref, expr));
  const table: ast.RangeVar = { ...ref.rangeVar };
  const select: ast.SelectStmt = {
    targetList, fromClause: [{ RangeVar: table }],
    limitOption: "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE",
  };
  if (filters.length === 1) select.whereClause = filters[0]!;
  if (filters.length > 1) {
    select.whereClause = { BoolExpr: { boolop: "AND_EXPR", args: filters } };
  }
  return select;
}

/** The column names of `ref` the query may use, or "all". */
function neededColumns(scope: QueryScope, ref: TableRef): Set<string> | "all" {
  const names = new Set<string>();
  let all = false;
  const visit = (node: unknown): void => {
    if (all || typeof node !== "object" || node === null) return;
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    const record = node as Record<string, unknown>;
    const ref2 = record["ColumnRef"] as ast.ColumnRef | undefined;
    if (ref2 !== undefined) {
      noteColumn(ref2, ref, names, () => { all = true; });
      return;
    }
    const join = record["JoinExpr"] as ast.JoinExpr | undefined;
    if (join?.isNatural === true) all = true;
    for (const name of join?.usingClause ?? []) {
      if ("String" in name) names.add(name.String.sval ?? "");
    }
    Object.values(record).forEach(visit);
  };
  visit(scope.select);
  return all ? "all" : names;
}

function noteColumn(column: ast.ColumnRef, ref: TableRef, names: Set<string>,
  all: () => void): void {
  const fields = column.fields ?? [];
  const star = fields.some((f) => "A_Star" in f);
  const strings = fields.map((f) => ("String" in f ? f.String.sval ?? "" : ""));
  if (star) {
    if (fields.length === 1 || strings.at(-2) === ref.alias) all();
    return;
  }
  if (strings.length === 1 && strings[0] === ref.alias) all();
  const name = strings.at(-1);
  if (name !== undefined) names.add(name);
}

/** Node types a copied filter may hold; anything else keeps the filter out. */
const safeNodes: ReadonlySet<string> = new Set([
  "ColumnRef", "A_Const", "TypeCast", "TypeName", "A_Expr", "BoolExpr", "NullTest",
  "BooleanTest", "FuncCall", "List", "String", "Integer", "Float", "Boolean", "A_ArrayExpr",
  "CoalesceExpr", "CaseExpr", "CaseWhen", "MinMaxExpr", "ParamRef", "NullIfExpr",
]);

/** True when a WHERE conjunct reads only `ref`, safely copyable into its subquery. */
function onlyAbout(scope: QueryScope, ref: TableRef, expr: ast.Node): boolean {
  let ok = true;
  let mentions = false;
  const own = new Set(ref.relation.columns.filter((c) => !c.dropped).map((c) => c.name));
  const others = scope.tables.filter((t) => t !== ref);
  const visit = (node: unknown): void => {
    if (!ok || typeof node !== "object" || node === null) return;
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (/^[A-Z]/.test(key) && !safeNodes.has(key)) {
        ok = false;
        return;
      }
      if (key === "ColumnRef") {
        const names = columnNames(value as ast.ColumnRef);
        if (names === undefined) ok = false;
        else if (names.length >= 2) ok &&= names.at(-2) === ref.alias && own.has(names.at(-1)!);
        else {
          const name = names[0] ?? "";
          ok &&= own.has(name) && !scope.opaqueItems &&
            !others.some((t) => t.relation.columns.some((c) => !c.dropped && c.name === name));
        }
        mentions = true;
        continue;
      }
      if (key === "FuncCall" && !stableCall(value as ast.FuncCall)) {
        ok = false;
        return;
      }
      visit(value);
    }
  };
  visit(expr);
  return ok && mentions;
}

function stableCall(call: ast.FuncCall): boolean {
  const names = (call.funcname ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : ""));
  if (call.agg_star === true || call.over !== undefined) return false;
  const defs = lookupFunction(names.at(-1) ?? "");
  return defs.length > 0 && defs.every((def) => def.volatility !== "v");
}

/**
 * True when the WHERE clause pins every column of some unique index of `ref` to a constant
 * (`col = 5`), so the table yields at most one row: Citus's HasConstantFilterOnUniqueColumn.
 */
export function constantUniqueFilter(scope: QueryScope, ref: TableRef): boolean {
  const pinned = new Set<number>();
  const columns = ref.relation.columns;
  for (const expr of conjuncts(scope.select.whereClause)) {
    if (!("A_Expr" in expr) || expr.A_Expr.kind !== "AEXPR_OP") continue;
    const op = (expr.A_Expr.name ?? []).map((n) => ("String" in n ? n.String.sval : "")).at(-1);
    const { lexpr, rexpr } = expr.A_Expr;
    if (op !== "=" || lexpr === undefined || rexpr === undefined) continue;
    const pairs: [ast.Node, ast.Node][] = [[lexpr, rexpr], [rexpr, lexpr]];
    for (const [col, value] of pairs) {
      if (!("ColumnRef" in col) || constantText(value) === undefined) continue;
      if (!onlyAbout(scope, ref, col)) continue;
      const name = columnNames(col.ColumnRef)?.at(-1);
      const at = columns.findIndex((c) => !c.dropped && c.name === name);
      if (at >= 0) pinned.add(at);
    }
  }
  return ref.relation.indexes.some((index) => (index.unique || index.primary) &&
    index.columns.length > 0 && index.columns.every((c) => pinned.has(c)));
}

/**
 * True when an outer join keeps the rows of a side that holds no distributed table against a
 * side that does (`local LEFT JOIN dist`, `generate_series(…) g LEFT JOIN dist`): run shard by
 * shard, every shard would return (and null-extend) those rows again. Such a query must read
 * its distributed tables first and join on the coordinator, as Citus plans the distributed
 * side of such a join recursively.
 */
export function outerJoinRepeatsRows(select: ast.SelectStmt,
  hashTables: readonly ast.RangeVar[]): boolean {
  const hasHash = (node: ast.Node): boolean => hashTables.some((t) => holdsRangeVar(node, t));
  const visit = (node: ast.Node): boolean => {
    if (!("JoinExpr" in node)) return false;
    const { larg, rarg, jointype } = node.JoinExpr;
    if (larg === undefined || rarg === undefined) return false;
    const left = hasHash(larg);
    const right = hasHash(rarg);
    if ((jointype === "JOIN_LEFT" || jointype === "JOIN_FULL") && !left && right) return true;
    if ((jointype === "JOIN_RIGHT" || jointype === "JOIN_FULL") && left && !right) return true;
    return visit(larg) || visit(rarg);
  };
  return (select.fromClause ?? []).some(visit);
}
