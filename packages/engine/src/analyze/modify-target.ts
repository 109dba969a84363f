/**
 * The target table of UPDATE and DELETE, joined with their FROM / USING lists (Postgres's
 * transformUpdateStmt / transformDeleteStmt with the planner's ctid junk column).
 *
 * The FROM items come first in the row, the target's columns after them, then one hidden
 * column: the row id (the version's slot) that the target scan appends, so ModifyTable finds
 * the version to change without searching. For `UPDATE t SET v = u.v FROM u WHERE t.id = u.id`
 * with t(id, v) and u(id, v) the row is
 *
 *     [u.id, u.v, t.id, t.v, slot]      targetOffset = 2, row id at 4
 *
 * WHERE is split into its AND-ed parts: those over the target alone filter (and may index)
 * the target scan, those over the FROM items alone filter them, and the rest becomes the join
 * condition, so an equality between the two sides plans as a hash join.
 */
import { domainDefault } from "../catalog/domains.js";
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { Relation } from "../catalog/relation.js";
import { andWith, conjuncts, pushFilter } from "../plan/filter.js";
import { planJoin } from "../plan/join.js";
import type { Plan, SeqScanPlan } from "../plan/plan.js";
import { coerceTo, tryCoerce } from "./coerce.js";
import { formatTypeName } from "../catalog/types.js";
import type { Expr } from "./expr.js";
import { analyzeExpr, asBoolean, locationOf } from "./expr-analyze.js";
import { analyzeFrom } from "./from.js";
import { analyzeSubquery } from "./subquery.js";
import { Scope, type RangeItem, type ScopeColumn } from "./scope.js";
import { checkUpdateTarget } from "./modify-generated.js";
import { assignThroughSubscripts, refuseIndirectDefault } from "./assign-indirection.js";
import { analyzeRowArgs } from "./field-star.js";
import { hasSystemColumns, systemColumnCount } from "./system-columns.js";

export interface TargetInput {
  readonly plan: Plan;
  /** Position of the target's first column in the input row; its row id follows its columns. */
  readonly targetOffset: number;
}

/** Returns the scope entry of a table whose stored row starts at `offset`. */
export function tableItem(rel: Relation, alias: string, offset: number): RangeItem {
  const columns: ScopeColumn[] = [];
  rel.columns.forEach((c, i) => {
    if (c.dropped) return;
    columns.push({ name: c.name, expr: { kind: "var", index: offset + i, type: c.type,
      typmod: c.typmod, name: `${alias}.${c.name}`, tableOid: rel.oid, attnum: i + 1 } });
  });
  return { alias, columns, relationOid: rel.oid, visible: true };
}

/** Plans the rows an UPDATE or DELETE visits; adds the target and FROM items to `scope`. */
export function targetInput(rel: Relation, rv: ast.RangeVar, fromList: readonly ast.Node[],
  where: ast.Node | undefined, scope: Scope): TargetInput {
  const alias = rv.alias?.aliasname ?? rel.name;
  // While FROM is analyzed the target is there but out of reach: naming it is an "invalid
  // reference to FROM-clause entry" (42P01; 42P10 from LATERAL), as in Postgres.
  const placeholder: RangeItem = { ...tableItem(rel, alias, 0), visible: false,
    targetOnly: true };
  scope.items.push(placeholder);
  const from = fromList.length === 0 ? null : analyzeFrom(fromList, scope);
  scope.items.splice(scope.items.indexOf(placeholder), 1);
  const offset = from?.width ?? 0;
  if (scope.items.some((i) => i.visible && i.alias === alias)) {
    throw new SqlError(SqlState.duplicateAlias, `table name "${alias}" specified more than once`);
  }
  const width = rel.columns.length;
  // System columns (a second analysis pass) follow the row id: [columns, row id, system].
  const system = scope.statement.systemColumns === true && hasSystemColumns(rel.kind);
  scope.items.unshift({ ...tableItem(rel, alias, offset),
    ...(system && { systemOffset: offset + width + 1 }) });
  const scan: SeqScanPlan = { kind: "seqScan", relation: rel, alias, offset, filter: null,
    rowId: true, width: width + 1 + (system ? systemColumnCount : 0),
    rows: Math.max(rel.store.liveCount, 1), ...(system && { systemColumns: true }),
    ...(rv.inh !== true && { onlyTable: true }) };
  const parts: Record<"target" | "from" | "join", Expr | null> =
    { target: null, from: null, join: null };
  if (where !== undefined) {
    scope.clause = "WHERE";
    const cond = asBoolean(analyzeExpr(where, scope), "WHERE", scope);
    for (const part of conjuncts(cond)) {
      const side = from === null ? "target" : sideOf(part, offset, offset + scan.width);
      parts[side] = andWith(parts[side], part);
    }
  }
  let target: Plan = parts.target === null ? scan : pushFilter(scan, parts.target);
  if (target.kind === "seqScan" || target.kind === "indexScan") target = { ...target, rowId: true };
  if (from === null) return { plan: target, targetOffset: 0 };
  const left = parts.from === null ? from.plan : pushFilter(from.plan, parts.from);
  const plan = planJoin({ joinType: "inner", left, right: target, offset: 0, leftWidth: offset,
    cond: parts.join, lateral: [] });
  return { plan, targetOffset: offset };
}

/** Says which input a WHERE part reads: only the target, only the FROM items, or both. */
function sideOf(e: Expr, start: number, end: number): "target" | "from" | "join" {
  let target = false;
  let from = false;
  let opaque = false;
  const visit = (x: Expr): void => {
    switch (x.kind) {
      case "var":
        if (x.index >= start && x.index < end) target = true;
        else from = true;
        return;
      case "const": case "param": case "outer":
        return;
      case "call": case "and": case "or": case "not": case "coalesce": case "minmax": case "row":
        x.args.forEach(visit);
        return;
      case "cast": case "nullTest": case "boolTest":
        visit(x.arg);
        return;
      case "distinct": case "nullif":
        visit(x.left);
        visit(x.right);
        return;
      default:
        opaque = true;
    }
  };
  visit(e);
  if (opaque || (target && from)) return "join";
  return from ? "from" : "target";
}

/** The default of column `i`: its DEFAULT expression, or a typed null. */
export function defaultFor(rel: Relation, i: number, scope: Scope): Expr {
  const col = rel.columns[i]!;
  // A column of a domain without its own default takes the domain's.
  const raw = col.defaultExpr ?? domainDefault(col.type)?.expr ?? null;
  if (raw === null) {
    return { kind: "const", type: col.type, typmod: col.typmod, value: null };
  }
  const e = analyzeExpr(raw, new Scope(scope.statement, undefined));
  return coerceTo(e, col.type, col.typmod, "a", scope.statement.params);
}

/**
 * Converts a value for column `i` as an assignment does (INSERT, UPDATE SET); without an
 * assignment cast it is Postgres's 42804 (transformAssignedExpr), pointing at `source`.
 */
export function assign(rel: Relation, i: number, e: Expr, scope: Scope,
  source?: ast.Node): Expr {
  const col = rel.columns[i]!;
  const coerced = tryCoerce(e, col.type, col.typmod, "a", scope.statement.params);
  if (coerced !== undefined) return coerced;
  throw new SqlError(SqlState.datatypeMismatch,
    `column "${col.name}" is of type ${formatTypeName(col.type, col.typmod)} but expression ` +
    `is of type ${formatTypeName(e.type, e.typmod)}`,
    { hint: "You will need to rewrite or cast the expression.",
      ...locationOf(source === undefined ? undefined : nodeLocation(source)) });
}

/** Where an expression's text starts, as Postgres's exprLocation (leftmost for a cast). */
function nodeLocation(node: ast.Node): number | undefined {
  const inner = Object.values(node)[0] as { location?: number; arg?: ast.Node } | undefined;
  if (inner === undefined) return undefined;
  if ("TypeCast" in node && inner.arg !== undefined) {
    const left = nodeLocation(inner.arg);
    if (left !== undefined && (inner.location === undefined || left < inner.location)) {
      return left;
    }
  }
  return typeof inner.location === "number" ? inner.location : undefined;
}

/**
 * Analyzes UPDATE's SET list (also ON CONFLICT DO UPDATE's): per stored column the new value's
 * expression, or null where the column keeps its value.
 */
export function analyzeSetList(rel: Relation, list: readonly ast.Node[], scope: Scope):
  (Expr | null)[] {
  const sets: (Expr | null)[] = rel.columns.map(() => null);
  const subscripted = new Set<number>();
  for (const node of list) {
    if (!("ResTarget" in node)) continue;
    const target = node.ResTarget;
    const name = target.name ?? "";
    const i = rel.columns.findIndex((c) => c.name === name && !c.dropped);
    if (i < 0) {
      throw new SqlError(SqlState.undefinedColumn,
        `column "${name}" of relation "${rel.name}" does not exist`, locationOf(target.location));
    }
    const indirection = target.indirection ?? [];
    if (sets[i] !== null && (indirection.length === 0 || !subscripted.has(i))) {
      throw new SqlError(SqlState.syntaxError, `multiple assignments to same column "${name}"`,
        locationOf(target.location));
    }
    let val = target.val!;
    let starred: Expr | undefined;
    if ("MultiAssignRef" in val) {
      checkMultiAssignWidth(val.MultiAssignRef, scope);
      starred = starredRowItem(val.MultiAssignRef, scope);
      if (starred === undefined) val = multiAssignSource(val.MultiAssignRef);
    }
    if (!("SetToDefault" in val)) checkUpdateTarget(rel.columns[i]!);
    else refuseIndirectDefault(indirection);
    if (indirection.length > 0 && !("SetToDefault" in val)) {
      const base = sets[i] ?? columnVar(rel, i, scope);
      sets[i] = assignThroughSubscripts(base, { column: rel.columns[i]!, indirection,
        value: starred ?? analyzeExpr(val, scope) }, scope);
      subscripted.add(i);
      continue;
    }
    sets[i] = "SetToDefault" in val ? defaultFor(rel, i, scope)
      : assign(rel, i, starred ?? analyzeExpr(val, scope), scope, val);
  }
  return sets;
}

/** Returns the target's column `i` as the SET list's scope sees it (the current value). */
function columnVar(rel: Relation, i: number, scope: Scope): Expr {
  const item = scope.items.find((it) => it.relationOid === rel.oid);
  const column = item?.columns.find((c) => c.name === rel.columns[i]!.name);
  if (column === undefined) throw notSupported("subscripted assignment here");
  return column.expr;
}

/** `SET (a, b) = (SELECT …)`: the subquery must return as many columns as are assigned. */
function checkMultiAssignWidth(ref: ast.MultiAssignRef, scope: Scope): void {
  const source = ref.source!;
  if ((ref.colno ?? 1) !== 1 || !("SubLink" in source)) return;
  const sub = analyzeSubquery(source.SubLink.subselect!, new Scope(scope.statement, scope));
  if (sub.columns.length !== (ref.ncolumns ?? sub.columns.length)) {
    throw new SqlError(SqlState.syntaxError, "number of columns does not match number of values",
      locationOf(source.SubLink.location));
  }
}

/**
 * `SET (a, b) = ROW(v.*)`: the source's items with each `t.*` expanded to one item per
 * column (transformRowExpr), or undefined when ROW(...) holds no star.
 */
function starredRowItem(ref: ast.MultiAssignRef, scope: Scope): Expr | undefined {
  const source = ref.source!;
  if (!("RowExpr" in source)) return undefined;
  const args = source.RowExpr.args ?? [];
  if (!args.some(isStarArg)) return undefined;
  const items = analyzeRowArgs(args, scope);
  if (items.length !== (ref.ncolumns ?? items.length)) {
    throw new SqlError(SqlState.syntaxError, "number of columns does not match number of values",
      locationOf(source.RowExpr.location));
  }
  return items[(ref.colno ?? 1) - 1]!;
}

/** True for `t.*` and `(expr).*`. */
function isStarArg(arg: ast.Node): boolean {
  const steps = "ColumnRef" in arg ? arg.ColumnRef.fields ?? []
    : "A_Indirection" in arg ? arg.A_Indirection.indirection ?? [] : [];
  const last = steps[steps.length - 1];
  return last !== undefined && "A_Star" in last;
}

/**
 * Returns the value of one column of `SET (a, b) = source`: the source row's item, or for a
 * subquery `(SELECT …)` the scalar subquery `(SELECT s.cK FROM (SELECT …) s(c1, …, cN))`.
 * The subquery thus runs once per assigned column rather than once per row.
 */
function multiAssignSource(ref: ast.MultiAssignRef): ast.Node {
  const source = ref.source!;
  const colno = ref.colno ?? 1;
  if ("RowExpr" in source) {
    const args = source.RowExpr.args ?? [];
    if (args.length !== (ref.ncolumns ?? args.length)) {
      throw new SqlError(SqlState.syntaxError, "number of columns does not match number of values",
        locationOf(source.RowExpr.location));
    }
    return args[colno - 1]!;
  }
  if (!("SubLink" in source) || (source.SubLink.subLinkType !== "EXPR_SUBLINK" &&
    source.SubLink.subLinkType !== "MULTIEXPR_SUBLINK")) {
    throw new SqlError(SqlState.featureNotSupported,
      "source for a multiple-column UPDATE item must be a sub-SELECT or ROW() expression");
  }
  const count = ref.ncolumns ?? colno;
  const colnames = Array.from({ length: count }, (_v, k) => ({ String: { sval: `c${k + 1}` } }));
  const column: ast.Node = { ColumnRef: { fields: [{ String: { sval: "s" } },
    { String: { sval: `c${colno}` } }] } };
  const subselect: ast.Node = { SelectStmt: { targetList: [{ ResTarget: { val: column } }],
    fromClause: [{ RangeSubselect: { subquery: source.SubLink.subselect!,
      alias: { aliasname: "s", colnames } } }],
    limitOption: "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE" } };
  return { SubLink: { subLinkType: "EXPR_SUBLINK", subselect } };
}
