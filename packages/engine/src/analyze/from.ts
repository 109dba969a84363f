/**
 * The FROM clause (Postgres's parse_clause.c transformFromClause): tables, views, derived
 * tables, CTE references, function calls and joins become a plan whose row is the items'
 * columns left to right, plus the scope entries that name those columns. Several items are a
 * cross join; the planner (`plan/join.ts`) picks hash or nested-loop joins.
 */
import { barrierQuery } from "../ddl/view-options.js";
import { refuseCompositeRelation } from "../catalog/composite-types.js";
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { Oid } from "../catalog/types.js";
import type { Plan } from "../plan/plan.js";
import { planJoin } from "../plan/join.js";
import { asBoolean } from "./expr-analyze.js";
import { analyzeExpr, locationOf } from "./expr-analyze.js";
import { makeOperator } from "./expr-ops.js";
import { coerceAll, commonType } from "./coerce.js";
import type { Expr } from "./expr.js";
import { sequenceRelation } from "../catalog/sequence-relation.js";
import { Scope, columnsAt, type CteDef, type RangeItem, type ScopeColumn } from "./scope.js";
import { analyzeSubquery } from "./subquery.js";
import { analyzeSqlFunctionInFrom } from "./sql-function-call.js";
import { analyzeFunctionScan } from "./from-function.js";
import { applyJoinAliases } from "./join-alias.js";
import { mapExpr, someExpr } from "./expr-map.js";
import { hasSystemColumns, systemColumnCount } from "./system-columns.js";
import { analyzeTableSample } from "./tablesample.js";

export interface FromResult {
  readonly plan: Plan;
  readonly width: number;
}

/** Analyzes the whole FROM list into one plan; adds its items to `scope`. */
export function analyzeFrom(list: readonly ast.Node[], scope: Scope): FromResult {
  if (list.length === 0) return { plan: { kind: "result", width: 0, rows: 1 }, width: 0 };
  let current: FromResult | null = null;
  for (const node of list) {
    const offset = current === null ? 0 : current.width;
    const split = scope.items.length;
    const next = analyzeFromItem(node, scope, offset);
    checkNameConflicts(scope, 0, split);
    if (current === null) {
      current = next;
      continue;
    }
    current = {
      plan: planJoin({
        joinType: "inner",
        left: current.plan,
        right: next.plan,
        offset: 0,
        leftWidth: current.width,
        cond: null,
        lateral: next.lateral,
      }),
      width: current.width + next.width,
    };
  }
  return current!;
}

/**
 * One FROM list entry; an aggregate of this level met inside it (`LATERAL (SELECT
 * max(a.x) …)`) names the clause as Postgres does.
 */
function analyzeFromItem(node: ast.Node, scope: Scope, offset: number): ItemResult {
  const saved = scope.clause;
  scope.clause = "RangeFunction" in node ? "functions in FROM"
    : "FROM clause of their own query level";
  try {
    return analyzeItem(node, scope, offset);
  } finally {
    scope.clause = saved;
  }
}

interface ItemResult extends FromResult {
  readonly lateral: readonly { slot: number; expr: Expr }[];
}

function analyzeItem(node: ast.Node, scope: Scope, offset: number): ItemResult {
  if ("RangeVar" in node) return { ...analyzeRangeVar(node.RangeVar, scope, offset), lateral: [] };
  if ("RangeSubselect" in node) return analyzeRangeSubselect(node.RangeSubselect, scope, offset);
  if ("JoinExpr" in node) return analyzeJoin(node.JoinExpr, scope, offset);
  if ("RangeFunction" in node) {
    const sqlFunction = analyzeSqlFunctionInFrom(node.RangeFunction, scope,
      (subselect) => analyzeRangeSubselect(subselect, scope, offset),
      (query) => analyzeSubquery(query, new Scope(scope.statement, scope)).columns
        .map((c) => c.type));
    if (sqlFunction !== undefined) return sqlFunction;
    return analyzeFunctionScan(node.RangeFunction, scope, offset);
  }
  if ("RangeTableSample" in node) {
    return { ...analyzeTableSample(node.RangeTableSample, scope,
      (rv) => analyzeRangeVar(rv, scope, offset)), lateral: [] };
  }
  throw notSupported(`FROM item ${Object.keys(node)[0]}`);
}

function aliasColumns(alias: ast.Alias | undefined, names: string[]): string[] {
  const given = (alias?.colnames ?? []).map((c) => ("String" in c ? (c.String.sval ?? "") : ""));
  if (given.length > names.length) {
    throw new SqlError(SqlState.invalidColumnReference, `table "${alias?.aliasname ?? ""}" ` +
      `has ${names.length} columns available but ${given.length} columns specified`);
  }
  return names.map((n, i) => given[i] ?? n);
}

function analyzeRangeVar(rv: ast.RangeVar, scope: Scope, offset: number): FromResult {
  const name = rv.relname ?? "";
  const alias = rv.alias?.aliasname ?? name;
  if (rv.schemaname === undefined) {
    const cte = scope.findCte(name);
    if (cte !== undefined) return cteItem(cte, rv, alias, scope, offset);
    const transition = scope.statement.transitionTables?.get(name);
    if (transition !== undefined) return cteItem(transition, rv, alias, scope, offset);
  }
  const { catalog, path } = scope.statement;
  const found = catalog.findRelation(path, rv.schemaname, name);
  const seq = found === undefined ? catalog.findSequence(path, rv.schemaname, name) : undefined;
  const relation = seq === undefined ? found : sequenceRelation(seq);
  if (relation === undefined) {
    refuseCompositeRelation(catalog, path, rv.schemaname, name);
    throw new SqlError(
      SqlState.undefinedTable,
      `relation "${
        rv.schemaname === undefined ? name : `${rv.schemaname}.${name}`
      }" does not exist`,
      locationOf(rv.location),
    );
  }
  if (relation.kind === "m" && relation.matviewPopulated !== true) {
    throw new SqlError(SqlState.objectNotInPrerequisiteState,
      `materialized view "${relation.name}" has not been populated`,
      { hint: "Use the REFRESH MATERIALIZED VIEW command." });
  }
  if (relation.kind === "v") {
    refuseRestrictedView(relation.oid, relation.name, scope);
    const sub = analyzeSubquery(barrierQuery(relation), new Scope(scope.statement, undefined));
    return subqueryItem(sub, rv.alias, alias, scope, offset, relation.oid);
  }
  const live = relation.columns.map((c, i) => ({ c, i }));
  const names = aliasColumns(
    rv.alias,
    live.filter(({ c }) => !c.dropped).map(({ c }) => c.name),
  );
  let visibleIndex = 0;
  const columns: ScopeColumn[] = [];
  for (const { c, i } of live) {
    if (c.dropped) continue;
    const colName = names[visibleIndex++]!;
    columns.push({
      name: colName,
      expr: {
        kind: "var",
        index: offset + i,
        type: c.type,
        typmod: c.typmod,
        name: `${alias}.${colName}`,
        tableOid: relation.oid,
        attnum: i + 1,
      },
    });
  }
  // The second pass of a statement reading system columns: scans carry them after the row.
  const system = scope.statement.systemColumns === true && hasSystemColumns(relation.kind);
  const width = relation.columns.length + (system ? systemColumnCount : 0);
  addItem(scope, { alias, columns, relationOid: relation.oid, visible: true,
    ...(system && { systemOffset: offset + relation.columns.length }) });
  const plan: Plan = {
    kind: "seqScan",
    relation,
    alias,
    offset,
    filter: null,
    width,
    rows: Math.max(relation.store.liveCount, 1),
    ...(system && { systemColumns: true }),
    ...(rv.inh !== true && { onlyTable: true }),
  };
  return { plan, width };
}

/** A FROM item naming a WITH query: a CTE scan, or the work table inside a recursive one. */
function cteItem(cte: CteDef, rv: ast.RangeVar, alias: string, scope: Scope,
  offset: number): FromResult {
  const name = rv.relname ?? "";
  if (cte.noReturning === true) {
    throw new SqlError(
      SqlState.featureNotSupported,
      `WITH query "${name}" does not have a RETURNING clause`,
      locationOf(rv.location),
    );
  }
  const names = aliasColumns(
    rv.alias,
    cte.columns.map((c) => c.name),
  );
  const cols = cte.columns.map((c, i) => ({ ...c, name: names[i]! }));
  addItem(scope, {
    alias,
    columns: columnsAt(offset, alias, cols, 0),
    relationOid: 0,
    visible: true,
    cte: true,
  });
  cte.refCount++;
  const plan: Plan =
    cte.plan === null
      ? {
          kind: "workTableScan",
          cteId: cte.id,
          alias,
          offset,
          filter: null,
          width: cols.length,
          rows: 100,
        }
      : {
          kind: "cteScan",
          cteId: cte.id,
          name,
          alias,
          offset,
          filter: null,
          width: cols.length,
          rows: cte.plan.rows,
        };
  return { plan, width: cols.length };
}

function addItem(scope: Scope, item: RangeItem): void {
  scope.items.push(item);
}

/**
 * Raises 42712 when a name among `scope.items[split..]` repeats one of `[start, split)`, as
 * Postgres's checkNameSpaceConflicts when a join or the FROM list combines two namespaces.
 * The items an aliased join hides are out of reach by then, so `x JOIN (y AS x CROSS JOIN
 * z) j` is fine, as in Postgres; an UPDATE's or DELETE's target counts (`targetOnly`).
 */
function checkNameConflicts(scope: Scope, start: number, split: number): void {
  const earlier = new Set(scope.items.slice(start, split)
    .filter((i) => (i.visible || i.targetOnly === true) && i.alias !== "").map((i) => i.alias));
  const repeated = scope.items.slice(split)
    .find((i) => i.visible && i.alias !== "" && earlier.has(i.alias));
  if (repeated === undefined) return;
  throw new SqlError(SqlState.duplicateAlias,
    `table name "${repeated.alias}" specified more than once`);
}

function subqueryItem(
  sub: ReturnType<typeof analyzeSubquery>,
  aliasNode: ast.Alias | undefined,
  alias: string,
  scope: Scope,
  offset: number,
  relationOid: number,
): FromResult {
  const names = aliasColumns(
    aliasNode,
    sub.columns.map((c) => c.name),
  );
  const cols = sub.columns.map((c, i) => ({ name: names[i]!, type: c.type, typmod: c.typmod }));
  const presence = scope.statement.presenceColumns === true;
  addItem(scope, {
    alias,
    columns: columnsAt(offset, alias, cols, relationOid),
    relationOid,
    visible: true,
    presence: presence ? offset + cols.length : -1,
  });
  const width = cols.length + (presence ? 1 : 0);
  const plan: Plan = {
    kind: "subqueryScan",
    input: presence ? withPresenceColumn(sub.plan, cols) : sub.plan,
    alias,
    offset,
    filter: null,
    width,
    rows: sub.plan.rows,
  };
  return { plan, width };
}

/** The rows of `input` with a last column that is always true (`RangeItem.presence`). */
function withPresenceColumn(input: Plan, cols: readonly { name: string; type: number;
  typmod: number }[]): Plan {
  const exprs: Expr[] = cols.map((c, i) => ({ kind: "var", index: i, type: c.type,
    typmod: c.typmod, name: c.name, tableOid: 0, attnum: 0 }));
  exprs.push({ kind: "const", type: Oid.bool, typmod: -1, value: true });
  return { kind: "project", input, exprs, srfs: [], width: exprs.length, rows: input.rows };
}

function analyzeRangeSubselect(rs: ast.RangeSubselect, scope: Scope, offset: number): ItemResult {
  const alias = rs.alias?.aliasname;
  if (alias === undefined) {
    throw new SqlError(SqlState.syntaxError, "subquery in FROM must have an alias", {
      hint: "For example, FROM (SELECT ...) [AS] foo.",
    });
  }
  const child = new Scope(scope.statement, scope, rs.lateral !== true);
  const sub = analyzeSubquery(rs.subquery!, child);
  const result = subqueryItem(sub, rs.alias, alias, scope, offset, 0);
  return { ...result, lateral: rs.lateral === true ? child.outerParams : [] };
}

function analyzeJoin(join: ast.JoinExpr, scope: Scope, offset: number): ItemResult {
  const before = scope.items.length;
  const left = analyzeItem(join.larg!, scope, offset);
  const leftItems = scope.items.slice(before);
  const right = analyzeItem(join.rarg!, scope, offset + left.width);
  const rightItems = scope.items.slice(before + leftItems.length);
  checkNameConflicts(scope, before, before + leftItems.length);
  markNullable(scope, before, before + leftItems.length, join.jointype);
  const joinType =
    join.jointype === "JOIN_LEFT"
      ? "left"
      : join.jointype === "JOIN_RIGHT"
        ? "right"
        : join.jointype === "JOIN_FULL"
          ? "full"
          : "inner";
  const { own, outside } = splitLateral(right.lateral, offset);
  if (joinType === "right" || joinType === "full") refuseLateralIntoLeft(own, leftItems);
  let usingNames = (join.usingClause ?? []).map((u) =>
    "String" in u ? (u.String.sval ?? "") : "",
  );
  const repeated = usingNames.find((n, i) => usingNames.indexOf(n) !== i);
  if (repeated !== undefined) {
    throw new SqlError(SqlState.duplicateColumn,
      `column name "${repeated}" appears more than once in USING clause`);
  }
  if (join.isNatural === true) {
    const leftNames = leftItems.flatMap((i) =>
      i.columns.filter((c) => c.hidden !== true).map((c) => c.name),
    );
    const rightNames = new Set(rightItems.flatMap((i) => i.columns.map((c) => c.name)));
    usingNames = leftNames.filter((n, i) => rightNames.has(n) && leftNames.indexOf(n) === i);
  }
  let cond: Expr | null = null;
  if (usingNames.length > 0) {
    cond = usingJoin(usingNames, leftItems, rightItems, joinType, scope, before, join);
  } else if (join.quals !== undefined) {
    const saved = scope.clause;
    const savedAggs = scope.aggs;
    scope.clause = "JOIN conditions";
    scope.aggs = null;
    const outside = hideOutside(scope, before);
    try {
      cond = asBoolean(analyzeExpr(join.quals, scope), "JOIN/ON", scope);
    } finally {
      scope.items.splice(0, before, ...outside);
    }
    scope.clause = saved;
    scope.aggs = savedAggs;
  }
  applyJoinAliases(join, scope, before, usingNames.length > 0);
  const plan = planJoin({
    joinType,
    left: left.plan,
    right: right.plan,
    offset,
    leftWidth: left.width,
    cond,
    lateral: own,
  });
  return { plan, width: left.width + right.width, lateral: [...left.lateral, ...outside] };
}

/**
 * Makes the FROM items before a join (`a, b JOIN c ON …`) unreachable by name while its ON
 * condition is analyzed, as Postgres's namespace there holds only the join's inputs (42P01
 * "invalid reference to FROM-clause entry"); returns them to put back.
 */
function hideOutside(scope: Scope, before: number): RangeItem[] {
  const outside = scope.items.slice(0, before);
  scope.items.splice(0, before, ...outside.map((i) => (i.visible ? { ...i, visible: false }
    : i)));
  return outside;
}

/** Marks the items an outer join may null-extend: its right side, left side, or both. */
function markNullable(scope: Scope, start: number, split: number,
  joinType: ast.JoinExpr["jointype"]): void {
  const left = joinType === "JOIN_RIGHT" || joinType === "JOIN_FULL";
  const right = joinType === "JOIN_LEFT" || joinType === "JOIN_FULL";
  for (let k = start; k < scope.items.length; k++) {
    if (k < split ? left : right) scope.items[k] = { ...scope.items[k]!, nullable: true };
  }
}

/**
 * Splits the LATERAL references of a join's right input: those reading the join's left
 * input are set by this join per left row; those reading FROM items before the join
 * (`a, b LEFT JOIN LATERAL (SELECT a.x) s ON …`) are set by the join that has those items
 * on its left, which rescans this whole join per row.
 */
function splitLateral(lateral: ItemResult["lateral"], offset: number):
  { own: ItemResult["lateral"]; outside: ItemResult["lateral"] } {
  const before = (p: ItemResult["lateral"][number]): boolean =>
    someExpr(p.expr, (x) => x.kind === "var" && x.index < offset);
  return { own: lateral.filter((p) => !before(p)), outside: lateral.filter(before) };
}

/**
 * The right side of a RIGHT or FULL join may not read the left side through LATERAL (42P10):
 * the left side's rows are not all there when a right row has no partner.
 */
function refuseLateralIntoLeft(lateral: ItemResult["lateral"], leftItems: RangeItem[]): void {
  for (const param of lateral) {
    let hit: RangeItem | undefined;
    mapExpr(param.expr, (x) => {
      if (x.kind === "var" && hit === undefined) {
        hit = leftItems.find((i) => i.columns.some((c) => c.expr.kind === "var"
          && c.expr.index === x.index));
      }
      return undefined;
    });
    if (hit !== undefined) {
      throw new SqlError(SqlState.invalidColumnReference,
        `invalid reference to FROM-clause entry for table "${hit.alias}"`,
        { detail: "The combining JOIN type must be INNER or LEFT for a LATERAL reference." });
    }
  }
}

/** Builds the USING condition and the merged columns that unqualified names see. */
function usingJoin(
  names: readonly string[],
  leftItems: RangeItem[],
  rightItems: RangeItem[],
  joinType: string,
  scope: Scope,
  before: number,
  join: ast.JoinExpr,
): Expr {
  const find = (items: RangeItem[], name: string, side: string): Expr => {
    const found = items.flatMap((i) =>
      i.columns.filter((c) => c.name === name && c.hidden !== true),
    );
    if (found.length === 0) {
      throw new SqlError(
        SqlState.undefinedColumn,
        `column "${name}" specified in USING clause does not exist in ${side} table`,
      );
    }
    if (found.length > 1) {
      throw new SqlError(SqlState.ambiguousColumn,
        `common column name "${name}" appears more than once in ${side} table`);
    }
    return found[0]!.expr;
  };
  const conds: Expr[] = [];
  const merged: ScopeColumn[] = [];
  for (const name of names) {
    const l = find(leftItems, name, "left");
    const r = find(rightItems, name, "right");
    conds.push(makeOperator("=", l, r, scope, undefined));
    const type = commonType([l, r], "JOIN/USING");
    const [lc, rc] = coerceAll([l, r], type, "JOIN/USING", scope.statement.params) as [Expr, Expr];
    const expr: Expr =
      joinType === "right"
        ? rc
        : joinType === "full"
          ? { kind: "coalesce", type, typmod: -1, args: [lc, rc] }
          : lc;
    merged.push({ name, expr });
  }
  const hide = (item: RangeItem): RangeItem => ({
    ...item,
    columns: item.columns.map((c) => (names.includes(c.name) ? { ...c, hidden: true } : c)),
  });
  const items = scope.items.splice(before);
  scope.items.push(
    { alias: "", columns: merged, relationOid: 0, visible: true },
    ...items.map(hide),
  );
  void join;
  return conds.length === 1 ? conds[0]! : { kind: "and", type: Oid.bool, typmod: -1, args: conds };
}

/** The first OID of objects users create (PostgreSQL's FirstNormalObjectId). */
const firstUserOid = 16384;

/** restrict_nonsystem_relation_kind naming "view": a user view may not be read (55000). */
function refuseRestrictedView(oid: number, name: string, scope: Scope): void {
  if (oid < firstUserOid) return;
  const kinds = scope.statement.ctx.setting("restrict_nonsystem_relation_kind");
  if (!kinds.split(",").some((k) => k.trim().toLowerCase() === "view")) return;
  throw new SqlError(SqlState.objectNotInPrerequisiteState,
    `access to non-system view "${name}" is restricted`);
}
