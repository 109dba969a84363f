/**
 * Recursive planning, first cut (`citus-surface.md` §7): a SELECT whose Citus tables sit in
 * CTEs, subqueries or set operation branches. Each such part that plans on its own (router or
 * multi-shard, or recursively again) becomes a **piece**: it runs first as its own distributed
 * query, and its rows become an intermediate result that the rest of the query reads on the
 * coordinator, in the local engine:
 *
 *     WITH c AS (SELECT device_id, count(*) AS n FROM events GROUP BY 1) SELECT max(n) FROM c
 *  -> piece 1: SELECT device_id, count(*) AS n FROM events GROUP BY 1   (pushdown)
 *  -> outer:   WITH c AS (SELECT ir.c1 AS device_id, ir.c2 AS n FROM <piece 1> ir)
 *              SELECT max(n) FROM c                                      (local)
 *
 * A part that cannot stand alone (a correlated subquery) is descended into; a Citus table
 * left in a part that runs on the coordinator is read whole as a piece of its own
 * (`SELECT * FROM t`). Correctness over speed: intermediate results of Citus tables are not
 * shipped back to the workers yet (those of local tables are, `local-join.ts`).
 *
 * `planSelect` tries, in order: CTEs over local tables inlined (`local-cte.ts`); LATERAL
 * subqueries pushed down (`lateral-pushdown.ts`); then, for a query whose Citus tables all sit
 * in its top-level FROM, local tables (`local-join.ts`), outer joins that shards would repeat
 * and repartition joins (the Citus tables read first, `repartition-join.ts`), and else the
 * router or multi-shard plan; recursive CTEs go whole to one shard (`nested-router.ts`);
 * everything else is planned recursively here, data-modifying CTEs over Citus tables
 * included (`modify-cte.ts`: the modification is a piece that runs first).
 */
import type { ColumnInfo, StatementContext } from "@tessera/engine";
import type { ast } from "@tessera/sql";
import { SqlError, assert } from "@tessera/base";
import type { Cluster } from "../cluster.js";
import type { ColumnType } from "../executor/tasks.js";
import { classify, type Classification } from "./classify.js";
import { citusOutsideTopFrom, planDistributedSelect, type DistributedSelect }
  from "./distributed-select.js";
import {
  citusTablesAsSubqueries, planLocalTables, repeatsRows, type ShippedSelect,
} from "./local-join.js";
import { columnRef, resTarget, unsupported } from "./raw.js";
import { planRepartitionJoin } from "./repartition-join.js";
import { lateralPushdown } from "./lateral-pushdown.js";
import { inlineLocalCtes } from "./local-cte.js";
import { planZeroShard } from "./zero-shard.js";
import { foldCoordinatorConstants } from "./constant-eval.js";
import { planNonColocatedRouter } from "./non-colocated-router.js";
import {
  planNestedRouter, planNestedRouterIfPinned, recursiveCteError,
} from "./nested-router.js";
import { mapSubLinkSelects, someNode } from "./tree-walk.js";
import { planModifyingCte, type ModifyPiece } from "./modify-cte.js";

/** A SELECT run as pieces first, then an outer query over their rows on the coordinator. */
export interface RecursiveSelect {
  readonly columns: readonly ColumnInfo[];
  readonly paramTypes: readonly number[];
  readonly outputTypes: readonly ColumnType[];
  readonly pieces: readonly Piece[];
  /** The outer query; piece i is the relation `pg_catalog.<pieceRelname(i)>`. */
  readonly outer: ast.SelectStmt;
}

export interface Piece {
  readonly planned: PlannedSelect;
}

export type PlannedSelect = DistributedSelect | RecursiveSelect | ShippedSelect | ModifyPiece;

/** The placeholder relation name of piece `index` in the outer query. */
export function pieceRelname(index: number): string {
  return `__tessera_piece_${index}`;
}

/** Plans a SELECT on Citus tables: pushdown or router when it can, recursively otherwise. */
export function planSelect(cluster: Cluster, select: ast.SelectStmt,
  classification: Classification, paramTypes: readonly number[],
  ctx: StatementContext): PlannedSelect {
  const folded = foldCoordinatorConstants(cluster, select, ctx);
  if (folded !== select) return planSelect(cluster, folded, classification, paramTypes, ctx);
  const setOp = select.op !== undefined && select.op !== "SETOP_NONE";
  const path = cluster.local.statementScope(paramTypes, ctx).path;
  const replan = (rewritten: ast.SelectStmt): PlannedSelect => planSelect(cluster, rewritten,
    classify({ SelectStmt: rewritten }, cluster.local.catalog, path, cluster.metadata.cache),
    paramTypes, ctx);
  const inlined = inlineLocalCtes(select, (body) => {
    const found = classify({ SelectStmt: body }, cluster.local.catalog, path,
      cluster.metadata.cache);
    return found.refs.length > 0 && found.citus.length === 0;
  });
  if (inlined !== undefined) return replan(inlined);
  const outside = citusOutsideTopFrom(select, classification);
  const lateral = outside ? lateralPushdown(select, classification) : undefined;
  if (lateral !== undefined) {
    return planDistributedSelect(cluster, select, classification, paramTypes, ctx, new Set(),
      lateral);
  }
  const recursive = setOp || select.withClause !== undefined || outside;
  if (!recursive) {
    const local = planLocalTables(cluster, select, classification, paramTypes, ctx);
    if (local?.kind === "shipped") return local.planned;
    if (local?.kind === "replan") return replan(local.select);
    const zeroShard = planZeroShard(cluster, select, classification, paramTypes, ctx);
    if (zeroShard !== undefined) return zeroShard;
    const routed = planNonColocatedRouter(cluster, select, classification, paramTypes, ctx);
    if (routed !== undefined) return routed;
    const pulled = repeatsRows(select, classification)
      ? citusTablesAsSubqueries(select, classification)
      : planRepartitionJoin(select, classification, ctx);
    if (pulled !== undefined) return replan(pulled);
    return planDistributedSelect(cluster, select, classification, paramTypes, ctx);
  }
  const pinned = planNestedRouterIfPinned(cluster, select, classification, paramTypes, ctx);
  if (pinned !== undefined) return pinned;
  if (select.withClause?.recursive === true) {
    const state = { cluster, ctx, paramTypes, pieces: [], citus: new Set<ast.RangeVar>() };
    if (readsCitus({ SelectStmt: { withClause: select.withClause } }, state)) {
      const routed = planNestedRouter(cluster, select, classification, paramTypes, ctx);
      if (routed === undefined) throw recursiveCteError();
      return routed;
    }
  }
  const local = cluster.local.prepare({ SelectStmt: select }, paramTypes, ctx);
  assert(local.columns !== null, "a SELECT has result columns");
  const columns = local.columns;
  const state: State = {
    cluster, ctx, paramTypes: local.paramTypes, pieces: [],
    citus: new Set(classification.citus.map((ref) => ref.rangeVar)),
  };
  const outer = rewriteSelect(select, state);
  return {
    columns, paramTypes: local.paramTypes, pieces: state.pieces, outer,
    outputTypes: columns.map((c) => ({ typeOid: c.typeOid, typmod: c.typeModifier })),
  };
}

interface State {
  readonly cluster: Cluster;
  readonly ctx: StatementContext;
  readonly paramTypes: readonly number[];
  readonly pieces: Piece[];
  /** The Citus table references of the whole statement, by identity. */
  readonly citus: ReadonlySet<ast.RangeVar>;
}

/** Rewrites a SELECT so that every part reading Citus tables reads a piece instead. */
function rewriteSelect(select: ast.SelectStmt, state: State): ast.SelectStmt {
  const copy: ast.SelectStmt = { ...select };
  if (select.withClause !== undefined) copy.withClause = rewriteWith(select.withClause, state);
  if (select.larg !== undefined) copy.larg = tryPiece(select.larg, state);
  if (select.rarg !== undefined) copy.rarg = tryPiece(select.rarg, state);
  if (select.fromClause !== undefined) {
    copy.fromClause = select.fromClause.map((item) => rewriteFrom(item, state));
  }
  for (const key of ["targetList", "whereClause", "havingClause", "sortClause"] as const) {
    if (select[key] !== undefined) {
      Object.assign(copy, { [key]: rewriteSubLinks(select[key], state) });
    }
  }
  return copy;
}

/** Plain CTEs that read Citus tables become pieces; recursive ones must not read them. */
function rewriteWith(withClause: ast.WithClause, state: State): ast.WithClause {
  if (withClause.recursive === true) {
    if (readsCitus({ SelectStmt: { withClause } }, state)) {
      throw recursiveCteError();
    }
    return withClause;
  }
  const ctes = withClause.ctes ?? [];
  return { ...withClause, ctes: ctes.map((cte, at) => {
    if (!("CommonTableExpr" in cte)) return cte;
    const query = cte.CommonTableExpr.ctequery;
    if (query === undefined) return cte;
    if (!("SelectStmt" in query)) {
      const modify = planModifyingCte(state.cluster, withSiblingCtes(query, ctes.slice(0, at)),
        state.paramTypes, state.ctx);
      if (modify === undefined) return cte;
      return { CommonTableExpr: { ...cte.CommonTableExpr,
        ctequery: { SelectStmt: pieceSelect(modify, state) } } };
    }
    return { CommonTableExpr: { ...cte.CommonTableExpr,
      ctequery: { SelectStmt: tryPiece(query.SelectStmt, state) } } };
  }) };
}

/**
 * A data-modifying CTE with the earlier plain SELECT CTEs of its WITH list that it reads
 * (`WITH ids AS (SELECT …), u AS (UPDATE t … WHERE id IN (SELECT id FROM ids)) …`), as its
 * own WITH clause: it is planned as a statement of its own, where they must be in scope.
 */
function withSiblingCtes(query: ast.Node, earlier: readonly ast.Node[]): ast.Node {
  const named = new Map<string, ast.CommonTableExpr>();
  for (const cte of earlier) {
    if ("CommonTableExpr" in cte && cte.CommonTableExpr.ctename !== undefined) {
      named.set(cte.CommonTableExpr.ctename, cte.CommonTableExpr);
    }
  }
  const needed = new Set<string>();
  const collect = (tree: unknown): void => {
    someNode(tree, (record) => {
      const rangeVar = record["RangeVar"] as ast.RangeVar | undefined;
      const name = rangeVar?.schemaname === undefined ? rangeVar?.relname : undefined;
      const cte = name === undefined ? undefined : named.get(name);
      if (name !== undefined && cte !== undefined && !needed.has(name) &&
        cte.ctequery !== undefined && "SelectStmt" in cte.ctequery) {
        needed.add(name);
        collect(cte.ctequery);
      }
      return false;
    });
  };
  collect(query);
  if (needed.size === 0) return query;
  const own = earlier.filter((cte) => "CommonTableExpr" in cte &&
    needed.has(cte.CommonTableExpr.ctename ?? ""));
  const kind = Object.keys(query)[0] as "InsertStmt" | "UpdateStmt" | "DeleteStmt";
  const stmt = (query as Record<string, { withClause?: ast.WithClause }>)[kind];
  if (stmt === undefined) return query;
  const withClause: ast.WithClause = { ...stmt.withClause,
    ctes: [...own, ...(stmt.withClause?.ctes ?? [])] };
  return { [kind]: { ...stmt, withClause } } as ast.Node;
}

function rewriteFrom(item: ast.Node, state: State): ast.Node {
  if ("RangeVar" in item && state.citus.has(item.RangeVar)) {
    const table: ast.RangeVar = { ...item.RangeVar };
    delete table.alias;
    const whole: ast.SelectStmt = {
      targetList: [resTarget({ ColumnRef: { fields: [{ A_Star: {} }] } })],
      fromClause: [{ RangeVar: table }],
      limitOption: "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE",
    };
    const alias = item.RangeVar.alias ?? { aliasname: item.RangeVar.relname ?? "" };
    return { RangeSubselect: { subquery: { SelectStmt: tryPiece(whole, state) }, alias } };
  }
  if ("JoinExpr" in item) {
    const join = item.JoinExpr;
    return { JoinExpr: { ...join,
      ...(join.larg !== undefined && { larg: rewriteFrom(join.larg, state) }),
      ...(join.rarg !== undefined && { rarg: rewriteFrom(join.rarg, state) }),
      ...(join.quals !== undefined && { quals: rewriteSubLinks(join.quals, state) }) } };
  }
  if ("RangeSubselect" in item && item.RangeSubselect.subquery !== undefined &&
    "SelectStmt" in item.RangeSubselect.subquery) {
    const query = item.RangeSubselect.subquery.SelectStmt;
    if (item.RangeSubselect.lateral === true) {
      // An uncorrelated LATERAL subquery plans alone; a correlated one cannot run here.
      const piece = readsCitus({ SelectStmt: query }, state) ? tryPiece(query, state, false)
        : query;
      if (piece === undefined) {
        throw unsupported("complex joins are only supported when all distributed tables are " +
          "co-located and joined on their distribution columns");
      }
      return { RangeSubselect: { ...item.RangeSubselect, subquery: { SelectStmt: piece } } };
    }
    const sub = tryPiece(query, state);
    return { RangeSubselect: { ...item.RangeSubselect, subquery: { SelectStmt: sub } } };
  }
  return item;
}

/** Replaces the subqueries (SubLink) of an expression tree. */
function rewriteSubLinks<T>(value: T, state: State): T {
  return mapSubLinkSelects(value, (select) => tryPiece(select, state));
}

/** True when a tree names a Citus table (CTE names in scope are not tables). */
function readsCitus(node: ast.Node, state: State): boolean {
  const { cluster, ctx } = state;
  const path = cluster.local.statementScope(state.paramTypes, ctx).path;
  return classify(node, cluster.local.catalog, path, cluster.metadata.cache).citus.length > 0;
}

/**
 * Makes a part a piece when it reads Citus tables and plans alone; else descends into it,
 * or returns undefined when `descend` is false.
 */
function tryPiece(select: ast.SelectStmt, state: State, descend: false):
  ast.SelectStmt | undefined;
function tryPiece(select: ast.SelectStmt, state: State): ast.SelectStmt;
function tryPiece(select: ast.SelectStmt, state: State, descend = true):
  ast.SelectStmt | undefined {
  const { cluster, ctx } = state;
  const path = cluster.local.statementScope(state.paramTypes, ctx).path;
  const node: ast.Node = { SelectStmt: select };
  const classification = classify(node, cluster.local.catalog, path, cluster.metadata.cache);
  if (classification.citus.length === 0) return select;
  let planned: PlannedSelect;
  try {
    planned = planSelect(cluster, select, classification, state.paramTypes, ctx);
  } catch (error) {
    if (!(error instanceof SqlError)) throw error;
    return descend ? rewriteSelect(select, state) : undefined;
  }
  return pieceSelect(planned, state);
}

/** Adds a piece and returns the SELECT that reads its rows with their column names. */
function pieceSelect(planned: PlannedSelect, state: State): ast.SelectStmt {
  const index = state.pieces.length;
  state.pieces.push({ planned });
  return {
    targetList: planned.columns.map((column, i) =>
      resTarget(columnRef("ir", `c${i + 1}`), column.name)),
    fromClause: [{ RangeVar: { schemaname: "pg_catalog", relname: pieceRelname(index),
      inh: true, relpersistence: "p", alias: { aliasname: "ir" } } }],
    limitOption: "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE",
  };
}
