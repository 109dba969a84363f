/**
 * SELECT (Postgres's transformSelectStmt, then the planner's grouping_planner), producing the
 * plan directly, in the order Postgres evaluates the clauses:
 *
 *   FROM/WHERE -> GROUP BY/aggregates -> HAVING -> window functions -> select list (+ hidden
 *   sort columns) -> DISTINCT -> ORDER BY -> LIMIT/OFFSET -> drop hidden columns
 *
 * Aggregation and windows are planned in `select-upper.ts`; a final Sort is left out when
 * the rows already come in ORDER BY's order (from a window's sort).
 * Set operations, VALUES and WITH are in `select-setop.ts` and `with.ts`.
 */
import { expandFieldStar } from "./field-star.js";
import { srfTargetCall } from "./srf-records.js";
import { mapExpr, someExpr } from "./expr-map.js";
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { Oid } from "../catalog/types.js";
import type { Plan } from "../plan/plan.js";
import { pushFilter } from "../plan/filter.js";
import { coerceTo } from "./coerce.js";
import type { Expr, SortKey } from "./expr.js";
import { analyzeExpr, asBoolean, hooks, locationOf } from "./expr-analyze.js";
import { analyzeFrom } from "./from.js";
import { exprKey } from "./grouping.js";
import { analyzeGroupClause, type GroupClause } from "./grouping-sets.js";
import { planUpper } from "./select-upper.js";
import { analyzeNamedWindows, defineWindows } from "./window-clause.js";
import { orderSatisfies, orderingKey, type OrderingKey } from "../plan/window.js";
import { orderedIndexPath } from "../plan/order-path.js";
import { figureColname } from "./naming.js";
import { Scope } from "./scope.js";
import type { OutColumn, QueryResult } from "./subquery.js";
import { analyzeSetOp, analyzeValues } from "./select-setop.js";
import { analyzeWith } from "./with.js";
import { sortKeyFor } from "./window-spec.js";
import { analyzeSubLink } from "./sublink.js";
import { analyzeLimit } from "./limit.js";
import { postponeAboveSort } from "./sort-postpone.js";
import { applyLocking, checkLocking } from "./locking.js";
import { resolveDistinctOn, type ProjectedColumns } from "./distinct-on.js";

hooks.analyzeSubLink = analyzeSubLink;

interface Target {
  expr: Expr;
  readonly name: string;
}

/** Analyzes a SelectStmt into a plan and its output columns. */
export function analyzeSelect(stmt: ast.SelectStmt, scope: Scope): QueryResult {
  if (stmt.withClause !== undefined) analyzeWith(stmt.withClause, scope);
  const withCtes = [...scope.ctes.values()];
  const result = analyzeSelectBody(stmt, scope);
  if (withCtes.length === 0) return result;
  const ctes = withCtes
    .filter((c) => c.plan !== null)
    .map((c) => ({ id: c.id, name: c.name, plan: c.plan! }));
  return {
    ...result,
    plan: {
      kind: "with",
      ctes,
      input: result.plan,
      width: result.plan.width,
      rows: result.plan.rows,
    },
  };
}

function analyzeSelectBody(stmt: ast.SelectStmt, scope: Scope): QueryResult {
  const setOp = stmt.op !== undefined && stmt.op !== "SETOP_NONE";
  if (setOp || stmt.valuesLists !== undefined) checkLocking(stmt, null, scope);
  if (setOp) return analyzeSetOp(stmt, scope);
  if (stmt.valuesLists !== undefined) return analyzeValues(stmt, scope);
  if (stmt.intoClause !== undefined) throw notSupported("SELECT INTO");
  const from = analyzeFrom(stmt.fromClause ?? [], scope);
  let plan = from.plan;
  if (stmt.whereClause !== undefined) {
    scope.clause = "WHERE";
    const where = asBoolean(analyzeExpr(stmt.whereClause, scope), "WHERE", scope);
    plan = pushFilter(plan, where);
  }
  if (stmt.windowClause !== undefined) defineWindows(stmt.windowClause, scope);
  scope.clause = "";
  scope.aggs = [];
  scope.windows = [];
  scope.srfs = [];
  const targets = analyzeTargets(stmt.targetList ?? [], scope);
  const srfs = scope.srfs.map(srfTargetCall);
  scope.srfs = null;
  const windows = scope.windows;
  scope.windows = null;
  const group = analyzeGroupBy(stmt, targets, scope);
  let having: Expr | null = null;
  if (stmt.havingClause !== undefined) {
    scope.clause = "HAVING";
    having = asBoolean(analyzeExpr(stmt.havingClause, scope), "HAVING", scope);
  }
  scope.windows = windows;
  scope.clause = "ORDER BY";
  const order = analyzeOrderBy(stmt.sortClause ?? [], targets, scope);
  // DISTINCT ON keys are read before grouping, as ORDER BY's are, so the same rewrite reaches
  // both (`distinct on (g) … group by g order by g`).
  const distinctRefs = preDistinctOn(stmt, targets, scope);
  analyzeNamedWindows(scope);
  const aggs = scope.aggs;
  scope.aggs = null;
  scope.windows = null;
  checkLocking(
    stmt,
    { aggregates: aggs.length > 0, windows: windows.length > 0, srfs: srfs.length > 0 },
    scope,
  );
  plan = applyLocking(stmt, plan);
  // Set-returning calls run above the Agg and WindowAgg: their arguments read those rows;
  // unless one is a grouping key (`regexp_split_to_table(s, ' ') AS w … GROUP BY w`): then,
  // as in PostgreSQL, they run below the grouping, on the scan's rows.
  if (group?.keys.some((k) => someExpr(k, (e) => e.kind === "srfref")) === true) {
    const lowered = lowerGroupedSrfs(plan, srfs, targets, group, having, order);
    const upper = planUpper({ plan: lowered.plan, targets, order: lowered.order,
      group: lowered.group, having: lowered.having, aggs, windows, scope });
    return finishSelect(stmt, upper.plan, targets, lowered.order, [], scope, upper.ordering,
      distinctRefs);
  }
  const srfItems = srfs.map((expr) => ({ expr }));
  const distinctItems = (distinctRefs ?? []).flatMap((r) => (typeof r === "number" ? [] : [r]));
  const upper = planUpper({ plan, targets: [...targets, ...srfItems, ...distinctItems], order,
    group, having, aggs, windows, scope });
  return finishSelect(stmt, upper.plan, targets, order, srfItems.map((s) => s.expr), scope,
    upper.ordering, distinctRefs);
}

/**
 * Runs the select list's set-returning calls below the grouping (a ProjectSet over the scan
 * that adds their values as columns) and makes every reference to them read those columns.
 */
function lowerGroupedSrfs(plan: Plan, srfs: Expr[], targets: Target[], group: GroupClause,
  having: Expr | null, order: OrderItem[]):
  { plan: Plan; group: GroupClause; having: Expr | null; order: OrderItem[] } {
  const width = plan.width;
  const column = (e: Expr): Expr => mapExpr(e, (x) => (x.kind !== "srfref" ? undefined
    : { kind: "var", index: width + x.index, name: "?column?", tableOid: 0, attnum: 0,
      type: x.type, typmod: x.typmod }));
  const passed: Expr[] = [];
  for (let i = 0; i < width; i++) {
    passed.push({ kind: "var", index: i, name: "?column?", tableOid: 0, attnum: 0,
      type: 0, typmod: -1 });
  }
  const refs: Expr[] = srfs.map((s, i) => ({ kind: "srfref", index: i, type: s.type,
    typmod: s.typmod }));
  const lowered: Plan = { kind: "project", input: plan, exprs: [...passed, ...refs], srfs,
    width: width + srfs.length, rows: plan.rows };
  for (const t of targets) t.expr = column(t.expr);
  return { plan: lowered, group: { ...group, keys: group.keys.map(column) },
    having: having === null ? null : column(having),
    order: order.map((o) => ({ ...o, key: { ...o.key, expr: column(o.key.expr) } })) };
}

interface OrderItem {
  key: SortKey;
  /** Index of the target the key sorts by, or -1 when it needs a hidden column. */
  target: number;
}

function finishSelect(
  stmt: ast.SelectStmt,
  input: Plan,
  targets: Target[],
  order: OrderItem[],
  srfs: Expr[],
  scope: Scope,
  ordering: readonly OrderingKey[],
  distinctRefs: readonly (number | { expr: Expr })[] | null = null,
): QueryResult {
  const exprs = targets.map((t) => t.expr);
  const keys = exprs.map(exprKey);
  for (const o of order) {
    if (o.target >= 0) continue;
    const key = exprKey(o.key.expr);
    const existing = keys.indexOf(key);
    if (existing >= 0) {
      o.target = existing;
      continue;
    }
    o.target = exprs.length;
    exprs.push(o.key.expr);
    keys.push(key);
  }
  const distinctOn = distinctOnColumns(stmt, targets, { exprs, keys }, order, scope,
    distinctRefs);
  const wanted = order.map((o) => orderingKey(o.key.expr, o.key.descending, o.key.nullsFirst));
  const hashDistinct =
    stmt.distinctClause !== undefined && Object.keys(stmt.distinctClause[0] ?? {}).length === 0;
  let sorted = !hashDistinct && orderSatisfies(ordering, wanted);
  let from = input;
  if (!sorted && !hashDistinct && srfs.length === 0) {
    const path = orderedIndexPath(
      input,
      order.map((o) => o.key),
    );
    if (path !== null) {
      from = path.plan;
      sorted = true;
    }
  }
  const visible = targets.length;
  const postponed = stmt.distinctClause === undefined && order.length > 0
    ? postponeAboveSort(exprs, srfs, order.map((o) => o.target), visible) : null;
  const below = postponed?.below ?? { exprs, srfs };
  let plan: Plan = { kind: "project", input: from, ...below, width: below.exprs.length,
    rows: from.rows };
  // DISTINCT ON keeps the first row of each group in ORDER BY order, so it sorts first.
  const sortFirst = stmt.distinctClause !== undefined && !hashDistinct;
  if (!sortFirst) plan = applyDistinct(stmt, plan, targets, order, distinctOn);
  const outputKeys = order.map((o) => ({ ...o.key, expr: outputVar(o.target, o.key.expr) }));
  if (order.length > 0 && !sorted) {
    plan = { kind: "sort", input: plan, keys: outputKeys, width: plan.width, rows: plan.rows };
  }
  if (sortFirst) plan = applyDistinct(stmt, plan, targets, order, distinctOn);
  if (postponed !== null) {
    plan = { kind: "project", input: plan, ...postponed.above, aboveSort: true,
      width: exprs.length, rows: plan.rows };
  }
  plan = withTopN(analyzeLimit(stmt, plan, scope, outputKeys));
  if (exprs.length > visible) plan = { kind: "trim", input: plan, width: visible, rows: plan.rows };
  const columns: OutColumn[] = targets.map((t) => ({
    name: t.name,
    type: t.expr.type,
    typmod: t.expr.typmod,
    tableOid: t.expr.kind === "var" ? t.expr.tableOid : 0,
    attnum: t.expr.kind === "var" ? t.expr.attnum : 0,
  }));
  return { plan, columns };
}

/** Bounds a Sort right under a LIMIT, so it keeps only the rows the LIMIT can return. */
function withTopN(plan: Plan): Plan {
  if (
    plan.kind !== "limit" ||
    plan.countExpr === null ||
    plan.input.kind !== "sort" ||
    plan.ties !== undefined
  )
    return plan;
  const bound = { count: plan.countExpr, offset: plan.offsetExpr };
  return { ...plan, input: { ...plan.input, bound } };
}

/** A var reading output column `index` of a projection. */
export function outputVar(index: number, like: Expr): Expr {
  return {
    kind: "var",
    index,
    type: like.type,
    typmod: like.typmod,
    name: `${index + 1}`,
    tableOid: 0,
    attnum: 0,
  };
}

/** The projected columns DISTINCT ON compares, or null without DISTINCT ON. */
function distinctOnColumns(
  stmt: ast.SelectStmt,
  targets: readonly Target[],
  projected: ProjectedColumns,
  order: readonly OrderItem[],
  scope: Scope,
  refs: readonly (number | { expr: Expr })[] | null,
): number[] | null {
  const clause = stmt.distinctClause;
  if (clause === undefined || clause.length === 0 || Object.keys(clause[0]!).length === 0) {
    return null;
  }
  const saved = scope.clause;
  scope.clause = "DISTINCT ON";
  const columns = resolveDistinctOn(
    clause,
    (node) => {
      const ref = refs?.[clause.indexOf(node)];
      if (ref !== undefined) return typeof ref === "number" ? ref : ref.expr;
      return targetRefExpr(node, targets, scope);
    },
    projected,
    order.map((o) => o.target),
  );
  scope.clause = saved;
  return columns;
}

/** DISTINCT ON's keys as select-list positions or expressions, before grouping's rewrite. */
function preDistinctOn(stmt: ast.SelectStmt, targets: readonly Target[], scope: Scope):
  (number | { expr: Expr })[] | null {
  const clause = stmt.distinctClause;
  if (clause === undefined || clause.length === 0 || Object.keys(clause[0]!).length === 0) {
    return null;
  }
  const saved = scope.clause;
  scope.clause = "DISTINCT ON";
  const refs = clause.map((node) => {
    const ref = targetRefExpr(node, targets, scope);
    return typeof ref === "number" ? ref : { expr: ref };
  });
  scope.clause = saved;
  return refs;
}

function applyDistinct(
  stmt: ast.SelectStmt,
  plan: Plan,
  targets: Target[],
  order: OrderItem[],
  distinctOn: number[] | null,
): Plan {
  const clause = stmt.distinctClause;
  if (clause === undefined) return plan;
  if (distinctOn === null) {
    if (order.some((o) => o.target >= targets.length)) {
      throw new SqlError(
        SqlState.invalidColumnReference,
        "for SELECT DISTINCT, ORDER BY expressions must appear in select list",
      );
    }
    return {
      kind: "distinct",
      input: plan,
      columns: targets.map((_t, i) => i),
      on: false,
      width: plan.width,
      rows: plan.rows,
    };
  }
  return {
    kind: "distinct",
    input: plan,
    columns: distinctOn,
    on: true,
    width: plan.width,
    rows: plan.rows,
  };
}

/** Expands `*` and analyzes each select-list entry, naming it as Postgres does. */
function analyzeTargets(list: readonly ast.Node[], scope: Scope): Target[] {
  const out: Target[] = [];
  for (const node of list) {
    if (!("ResTarget" in node)) continue;
    const rt = node.ResTarget;
    const val = rt.val!;
    if ("ColumnRef" in val && (val.ColumnRef.fields ?? []).some((f) => "A_Star" in f)) {
      out.push(...expandStar(val.ColumnRef, scope));
      continue;
    }
    const fieldStar = expandFieldStar(val, scope);
    if (fieldStar !== undefined) {
      out.push(...fieldStar);
      continue;
    }
    let expr = analyzeExpr(val, scope);
    // Untyped literals and parameters become text, as Postgres's resolveTargetListUnknowns.
    if (expr.type === Oid.unknown && (expr.kind === "const" || expr.kind === "param") &&
      scope.resolveUnknowns) {
      expr = coerceTo(expr, Oid.text, -1, "i", scope.statement.params);
    }
    out.push({ expr, name: rt.name ?? figureColname(val) });
  }
  return out;
}

function expandStar(ref: ast.ColumnRef, scope: Scope): Target[] {
  const fields = ref.fields ?? [];
  const loc = locationOf(ref.location);
  if (fields.length === 1) {
    if (scope.items.length === 0) {
      throw new SqlError(
        SqlState.syntaxError,
        "SELECT * with no tables specified is not valid",
        loc,
      );
    }
    return scope.items
      .filter((i) => i.visible)
      .flatMap((i) =>
        i.columns.filter((c) => c.hidden !== true).map((c) => ({ expr: c.expr, name: c.name })),
      );
  }
  const alias = "String" in fields[0]! ? (fields[0].String.sval ?? "") : "";
  const item = scope.items.find((i) => i.visible && i.alias === alias);
  if (item !== undefined) return item.columns.map((c) => ({ expr: c.expr, name: c.name }));
  // `name.*` of an enclosing level's item (`LATERAL (SELECT a.* …)`): its columns as outer
  // references, each passed down like a column named on its own.
  const outer = enclosingItem(scope, alias);
  if (outer === undefined) throw scope.missingTable(alias, loc.location);
  return outer.columns.map((c) => ({ expr: scope.resolveColumn([alias, c.name], loc.location),
    name: c.name }));
}

/** The visible FROM item `alias` of the nearest enclosing level this one can see. */
function enclosingItem(scope: Scope, alias: string): Scope["items"][number] | undefined {
  let skip = scope.skipParentItems;
  for (let s = scope.parent; s !== undefined; s = s.parent) {
    const found = skip ? undefined : s.items.find((i) => i.visible && i.alias === alias);
    if (found !== undefined) return found;
    skip = s.skipParentItems;
  }
  return undefined;
}

/** Resolves a GROUP BY / ORDER BY / DISTINCT ON item that may be an ordinal or output name. */
function targetRefExpr(node: ast.Node, targets: readonly Target[], scope: Scope): number | Expr {
  if ("A_Const" in node && node.A_Const.ival !== undefined) {
    const n = node.A_Const.ival.ival ?? 0;
    if (n < 1 || n > targets.length) {
      throw new SqlError(
        SqlState.invalidColumnReference,
        `${scope.clause} position ${n} is not in select list`,
        locationOf(node.A_Const.location),
      );
    }
    return n - 1;
  }
  if ("A_Const" in node) {
    // findTargetlistEntrySQL92: a constant here is a position, so only an integer will do.
    throw new SqlError(SqlState.syntaxError, `non-integer constant in ${scope.clause}`,
      locationOf(node.A_Const.location));
  }
  if ("ColumnRef" in node && (node.ColumnRef.fields ?? []).length === 1) {
    const f = node.ColumnRef.fields![0]!;
    const name = "String" in f ? f.String.sval : undefined;
    const byName = targets.findIndex((t) => t.name === name);
    const outputFirst = scope.clause === "ORDER BY" || scope.clause === "DISTINCT ON";
    // An output name wins before the input columns are looked at (they may be ambiguous).
    const local = byName >= 0 && outputFirst ? undefined
      : scope.tryResolve([name ?? ""], undefined);
    if (byName >= 0 && (outputFirst || local === undefined)) {
      checkUnambiguous(targets, byName, scope.clause, node.ColumnRef.location);
      return byName;
    }
  }
  return analyzeExpr(node, scope);
}

/** Raises 42702 when several select-list entries of different values carry the name. */
function checkUnambiguous(targets: readonly Target[], first: number, clause: string,
  location: number | undefined): void {
  const name = targets[first]!.name;
  const key = exprKey(targets[first]!.expr);
  for (let i = first + 1; i < targets.length; i++) {
    if (targets[i]!.name !== name || exprKey(targets[i]!.expr) === key) continue;
    throw new SqlError(SqlState.ambiguousColumn, `${clause} "${name}" is ambiguous`,
      locationOf(location));
  }
}

function analyzeGroupBy(
  stmt: ast.SelectStmt,
  targets: readonly Target[],
  scope: Scope,
): GroupClause | null {
  scope.clause = "GROUP BY";
  const saved = scope.aggs;
  scope.aggs = null;
  const group = analyzeGroupClause(stmt.groupClause ?? [], stmt.groupDistinct === true, (node) => {
    const ref = targetRefExpr(node, targets, scope);
    return typeof ref === "number" ? { expr: targets[ref]!.expr, target: ref }
      : { expr: ref, target: null };
  });
  scope.aggs = saved;
  return group;
}

function analyzeOrderBy(
  list: readonly ast.Node[],
  targets: readonly Target[],
  scope: Scope,
): OrderItem[] {
  return list.map((node) => {
    if (!("SortBy" in node)) throw notSupported("this ORDER BY item");
    const ref = targetRefExpr(node.SortBy.node!, targets, scope);
    if (typeof ref === "number") {
      return { key: sortKeyFor(targets[ref]!.expr, node.SortBy, scope), target: ref };
    }
    const key = sortKeyFor(ref, node.SortBy, scope);
    return { key, target: -1 };
  });
}
