/**
 * Local (coordinator-only) tables next to Citus tables, as Citus plans them by default
 * (`citus.local_table_join_policy`, Citus's `local_distributed_join_planner.c`). One side of
 * the join is read on its own (`table-subquery.ts`) and planned recursively:
 *
 *   convert local        each local table becomes a **shipped subplan**: read on the
 *                        coordinator first, its rows carried by every task
 *                        (`subplan-inline.ts`); the query stays distributed.
 *   convert distributed  each Citus table becomes a piece (`recursive.ts`), its rows read
 *                        first; the query then runs on the coordinator next to the local tables.
 *
 * The policy: `never` refuses with Citus's error; `prefer-local` converts the local tables;
 * `prefer-distributed` the Citus tables; `auto` (the default) the Citus tables only when
 * each is pinned to one row by a constant equality on all columns of a unique index (the
 * distribution column of a primary key), else the local tables. A local table (or any FROM
 * item without a distributed table) on the kept side of an outer join whose other side holds
 * a distributed table would be repeated by every shard, so the Citus tables are converted
 * then, whatever the policy (as Citus plans the distributed side of such a join recursively).
 *
 * Subqueries that read only local tables and stand alone (FROM subqueries, and subqueries in
 * WHERE, HAVING and the select list) are shipped subplans too, whatever the policy.
 */
import { SqlError, SqlState, assert } from "@tessera/base";
import type { ColumnInfo, PreparedStatement, StatementContext } from "@tessera/engine";
import type { ast } from "@tessera/sql";
import { citusSetting, type Cluster } from "../cluster.js";
import type { ColumnType } from "../executor/tasks.js";
import { classify, type Classification, type TableRef } from "./classify.js";
import {
  localJoinError, planDistributedSelect, rangeVarKey, type DistributedSelect,
} from "./distributed-select.js";
import {
  constantUniqueFilter, fromItems, holdsRangeVar, outerJoinRepeatsRows, tableSubquery,
  type QueryScope,
} from "./table-subquery.js";
import { isSubplanWrapper, wrapSubplan } from "./subplan-inline.js";
import { mapSubLinkSelects } from "./tree-walk.js";

export type LocalJoinPolicy = "auto" | "never" | "prefer-local" | "prefer-distributed";

/** A subquery over local tables, run on the coordinator before the tasks. */
export interface LocalSubplan {
  readonly select: ast.SelectStmt;
  readonly prepared: PreparedStatement;
  readonly names: readonly string[];
  readonly types: readonly ColumnType[];
}

/** A distributed SELECT whose tasks carry the rows of local subplans. */
export interface ShippedSelect {
  readonly columns: readonly ColumnInfo[];
  readonly paramTypes: readonly number[];
  readonly outputTypes: readonly ColumnType[];
  readonly subplans: readonly LocalSubplan[];
  readonly main: DistributedSelect;
}

/** Reads citus.local_table_join_policy. */
export function localJoinPolicy(ctx: Pick<StatementContext, "setting">): LocalJoinPolicy {
  const value = citusSetting(ctx, "citus.local_table_join_policy", "auto").toLowerCase();
  if (value === "auto" || value === "never" || value === "prefer-local" ||
    value === "prefer-distributed") return value;
  throw new SqlError(SqlState.invalidParameterValue,
    `invalid value for parameter "citus.local_table_join_policy": "${value}"`, {
      hint: "Available values: never, prefer-local, prefer-distributed, auto.",
    });
}

/** What the caller does with a query that names local tables. */
export type LocalPlan =
  | { readonly kind: "shipped"; readonly planned: ShippedSelect }
  | { readonly kind: "replan"; readonly select: ast.SelectStmt };

/**
 * Plans a query whose Citus tables all sit in the top-level FROM and which names local
 * tables: either a shipped plan, or a rewritten query (Citus tables as subqueries) for the
 * recursive planner. Returns undefined when it names no local table.
 */
export function planLocalTables(cluster: Cluster, select: ast.SelectStmt,
  classification: Classification, paramTypes: readonly number[],
  ctx: StatementContext): LocalPlan | undefined {
  if (classification.refs.every((ref) => ref.citus !== undefined)) return undefined;
  const items = fromItems(select);
  const top = classification.refs.filter((ref) =>
    items.some((item) => holdsRangeVar(item.node, ref.rangeVar)));
  const scope: QueryScope = { select, tables: top,
    opaqueItems: items.some((item) => !("RangeVar" in item.node)) };
  const localTop = top.filter((ref) => ref.citus === undefined && isTable(ref));
  const citusTop = top.filter((ref) => ref.citus !== undefined);
  if (localTop.length > 0) {
    const policy = localJoinPolicy(ctx);
    if (policy === "never") throw localJoinError();
    if (convertCitus(policy, scope, citusTop)) {
      return { kind: "replan", select: replaceTables(scope, citusTop) };
    }
  }
  if (citusTop.length > 0 && repeatsRows(select, classification)) {
    return { kind: "replan", select: replaceTables(scope, citusTop) };
  }
  const state: ShipState = { cluster, ctx, subplans: [], shipped: new Set(),
    paramTypes: statementParamTypes(cluster, { SelectStmt: select }, paramTypes, ctx) };
  let rewritten = replaceTables(scope, localTop, state);
  rewritten = shipSubqueries(rewritten, state);
  if (state.subplans.length === 0) return undefined;
  const path = cluster.local.statementScope(paramTypes, ctx).path;
  const reclassified = classify({ SelectStmt: rewritten }, cluster.local.catalog, path,
    cluster.metadata.cache);
  const main = planDistributedSelect(cluster, rewritten, reclassified, paramTypes, ctx,
    state.shipped);
  return { kind: "shipped", planned: {
    columns: main.columns, paramTypes: main.paramTypes, outputTypes: main.outputTypes,
    subplans: state.subplans, main,
  } };
}

/** The query with every top-level Citus table read by a subquery of its own. */
export function citusTablesAsSubqueries(select: ast.SelectStmt,
  classification: Classification): ast.SelectStmt {
  const items = fromItems(select);
  const top = classification.refs.filter((ref) =>
    items.some((item) => holdsRangeVar(item.node, ref.rangeVar)));
  const scope: QueryScope = { select, tables: top,
    opaqueItems: items.some((item) => !("RangeVar" in item.node)) };
  return replaceTables(scope, top.filter((ref) => ref.citus !== undefined));
}

/**
 * The parameter types of the whole statement, so that a subplan reading some of its
 * parameters takes them with the types the statement gives them.
 */
function statementParamTypes(cluster: Cluster, stmt: ast.Node, paramTypes: readonly number[],
  ctx: StatementContext): readonly number[] {
  if (!JSON.stringify(stmt).includes("\"ParamRef\"")) return paramTypes;
  return cluster.local.prepare(stmt, paramTypes, ctx).paramTypes;
}

/**
 * Tables and views (`classify` has refused views over Citus tables) can be read into a
 * subquery on the coordinator.
 */
function isTable(ref: TableRef): boolean {
  return ref.relation.kind === "r" || ref.relation.kind === "v";
}

/** True when an outer join would make every shard repeat rows (`outerJoinRepeatsRows`). */
export function repeatsRows(select: ast.SelectStmt, classification: Classification): boolean {
  return outerJoinRepeatsRows(select, classification.citus
    .filter((ref) => ref.citus?.kind === "hash").map((ref) => ref.rangeVar));
}

/** Decides which side to convert: true for the Citus tables. */
function convertCitus(policy: LocalJoinPolicy, scope: QueryScope,
  citusTop: readonly TableRef[]): boolean {
  if (citusTop.length === 0) return false;
  if (repeatsRows(scope.select, { refs: scope.tables, citus: citusTop })) return true;
  if (policy === "prefer-local") return false;
  if (policy === "prefer-distributed") return true;
  return citusTop.every((ref) => constantUniqueFilter(scope, ref));
}

/** An UPDATE or DELETE whose local tables are shipped subplans. */
export interface ShippedModify {
  readonly stmt: ast.Node;
  readonly subplans: readonly LocalSubplan[];
}

/**
 * Ships the local tables of an UPDATE … FROM or DELETE … USING on a Citus table, and the
 * subqueries over local tables in its WHERE clause; refuses local tables it cannot ship
 * (Citus's error). Other Citus tables stay (`modify-joins.ts` checks them).
 */
export function shipModifyLocals(cluster: Cluster, stmt: ast.Node, target: TableRef,
  classification: Classification, paramTypes: readonly number[],
  ctx: StatementContext): ShippedModify {
  const isUpdate = "UpdateStmt" in stmt;
  const body: ast.UpdateStmt | ast.DeleteStmt = "UpdateStmt" in stmt ? stmt.UpdateStmt
    : "DeleteStmt" in stmt ? stmt.DeleteStmt : {};
  const from = "UpdateStmt" in stmt ? stmt.UpdateStmt.fromClause
    : "DeleteStmt" in stmt ? stmt.DeleteStmt.usingClause : undefined;
  const pseudo: ast.SelectStmt = { targetList: [...(body.returningClause?.exprs ?? []),
    ...("targetList" in body ? body.targetList ?? [] : [])],
  ...(from !== undefined && { fromClause: from }),
  ...(body.whereClause !== undefined && { whereClause: body.whereClause }),
  limitOption: "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE" };
  const items = fromItems(pseudo);
  const top = classification.refs.filter((ref) => ref !== target &&
    items.some((item) => holdsRangeVar(item.node, ref.rangeVar)));
  const scope: QueryScope = { select: pseudo, tables: [target, ...top],
    opaqueItems: items.some((item) => !("RangeVar" in item.node)) };
  const localTop = top.filter((ref) => ref.citus === undefined && isTable(ref));
  if (localTop.length > 0 && localJoinPolicy(ctx) === "never") throw localJoinError();
  const state: ShipState = { cluster, ctx, subplans: [], shipped: new Set(),
    paramTypes: statementParamTypes(cluster, stmt, paramTypes, ctx) };
  const rewritten = shipSubqueries(replaceTables(scope, localTop, state), state);
  if (classification.refs.some((ref) => ref.citus === undefined &&
    !state.shipped.has(rangeVarKey(ref.rangeVar)))) throw localJoinError();
  const fields = {
    ...(rewritten.fromClause !== undefined && { [isUpdate ? "fromClause" : "usingClause"]:
      rewritten.fromClause }),
    ...(rewritten.whereClause !== undefined && { whereClause: rewritten.whereClause }),
  };
  const result: ast.Node = "UpdateStmt" in stmt
    ? { UpdateStmt: { ...stmt.UpdateStmt, ...fields } }
    : { DeleteStmt: { ...body as ast.DeleteStmt, ...fields } };
  return { stmt: result, subplans: state.subplans };
}

interface ShipState {
  readonly cluster: Cluster;
  readonly ctx: StatementContext;
  readonly paramTypes: readonly number[];
  readonly subplans: LocalSubplan[];
  /** rangeVarKeys of the local tables read by shipped subplans. */
  readonly shipped: Set<string>;
}

/**
 * Replaces the given top-level tables by subqueries that read them: shipped subplans when
 * `state` is given, plain subqueries (pieces for the recursive planner) otherwise.
 */
function replaceTables(scope: QueryScope, refs: readonly TableRef[],
  state?: ShipState): ast.SelectStmt {
  if (refs.length === 0) return scope.select;
  const items = fromItems(scope.select);
  const replace = (node: ast.Node): ast.Node => {
    if ("JoinExpr" in node) {
      const join = node.JoinExpr;
      return { JoinExpr: { ...join,
        ...(join.larg !== undefined && { larg: replace(join.larg) }),
        ...(join.rarg !== undefined && { rarg: replace(join.rarg) }) } };
    }
    if (!("RangeVar" in node)) return node;
    const ref = refs.find((r) => r.rangeVar === node.RangeVar);
    if (ref === undefined) return node;
    const nullable = items.find((item) => item.node === node)?.nullable ?? true;
    const sub = tableSubquery(scope, ref, nullable);
    const alias = { aliasname: ref.alias };
    const subquery = state === undefined ? sub : ship(sub, state, [ref]);
    return { RangeSubselect: { subquery: { SelectStmt: subquery }, alias } };
  };
  return { ...scope.select, fromClause: (scope.select.fromClause ?? []).map(replace) };
}

/** Makes `select` a shipped subplan and returns its wrapper. */
function ship(select: ast.SelectStmt, state: ShipState, refs: readonly TableRef[]):
  ast.SelectStmt {
  const prepared = state.cluster.local.prepare({ SelectStmt: select }, state.paramTypes,
    state.ctx);
  assert(prepared.columns !== null, "a SELECT has result columns");
  state.subplans.push({ select, prepared,
    names: prepared.columns.map((c) => c.name),
    types: prepared.columns.map((c) => ({ typeOid: c.typeOid, typmod: c.typeModifier })) });
  for (const ref of refs) state.shipped.add(rangeVarKey(ref.rangeVar));
  return wrapSubplan(select, state.subplans.length);
}

/**
 * Ships the subqueries that read only local tables and stand alone: FROM subqueries (not
 * LATERAL) and subqueries in WHERE, HAVING and the select list.
 */
function shipSubqueries(select: ast.SelectStmt, state: ShipState): ast.SelectStmt {
  const copy: ast.SelectStmt = { ...select };
  const fromItem = (node: ast.Node): ast.Node => {
    if ("JoinExpr" in node) {
      const join = node.JoinExpr;
      return { JoinExpr: { ...join,
        ...(join.larg !== undefined && { larg: fromItem(join.larg) }),
        ...(join.rarg !== undefined && { rarg: fromItem(join.rarg) }),
        ...(join.quals !== undefined && { quals: shipSubLinks(join.quals, state) }) } };
    }
    const sub = "RangeSubselect" in node ? node.RangeSubselect : undefined;
    if (sub === undefined || sub.lateral === true || sub.subquery === undefined ||
      !("SelectStmt" in sub.subquery) || isSubplanWrapper(sub.subquery.SelectStmt)) {
      return node;
    }
    const shipped = tryShip(sub.subquery.SelectStmt, state);
    return shipped === undefined ? node
      : { RangeSubselect: { ...sub, subquery: { SelectStmt: shipped } } };
  };
  copy.fromClause = (select.fromClause ?? []).map(fromItem);
  if (copy.fromClause.length === 0) delete copy.fromClause;
  for (const key of ["targetList", "whereClause", "havingClause"] as const) {
    if (select[key] !== undefined) {
      Object.assign(copy, { [key]: shipSubLinks(select[key], state) });
    }
  }
  return copy;
}

function shipSubLinks<T>(value: T, state: ShipState): T {
  return mapSubLinkSelects(value, (select) => tryShip(select, state));
}

/** Ships a subquery that reads local tables only and plans alone, else returns undefined. */
function tryShip(select: ast.SelectStmt, state: ShipState): ast.SelectStmt | undefined {
  const { cluster, ctx } = state;
  const path = cluster.local.statementScope(state.paramTypes, ctx).path;
  const found = classify({ SelectStmt: select }, cluster.local.catalog, path,
    cluster.metadata.cache);
  if (found.refs.length === 0 || found.citus.length > 0) return undefined;
  try {
    return ship(select, state, found.refs);
  } catch (error) {
    if (error instanceof SqlError) return undefined;
    throw error;
  }
}
