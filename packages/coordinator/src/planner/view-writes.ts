/**
 * INSERT, UPDATE and DELETE through an automatically updatable view over a Citus table. The
 * engine's rewrite (`rewriteViewWrite`, PostgreSQL's rewriteTargetView) turns the statement
 * into one on the table: the view's columns mapped to the table's, its WHERE merged into
 * UPDATE and DELETE. The result is planned as any write to the table, so a pinned
 * distribution column routes it to one shard:
 *
 *   CREATE VIEW ev_v (d, val) AS SELECT dev, v FROM ev WHERE v > 0;
 *   UPDATE ev_v SET val = 2 WHERE d = 4
 *     -> UPDATE public.ev ev_v SET v = 2 WHERE ev_v.dev = 4 AND ev_v.v > 0   (one shard)
 *
 * WITH CHECK OPTION: the shards hold no views, so the coordinator tests the new rows itself.
 * An INSERT's rows are evaluated on the coordinator before they are routed
 * (`distributed-modify.ts`), and the views' conditions are evaluated with them
 * (`checkedRowsQuery`, `checkRows`). An UPDATE first runs, as a distributed SELECT, the search
 * for a row it would change into one that fails a condition (`updateCheckQuery`): the rows
 * the UPDATE matches, their new values computed from the SET list. Both fail as PostgreSQL:
 * 44000 naming the innermost failing view, the table's row as DETAIL. The check runs before
 * the write, not after it, so a row that breaks a unique constraint and a check option too
 * reports the check option; and an UPDATE's search reads the rows before the write locks them.
 */
import { oid } from "@tessera/base";
import {
  rewriteViewWrite, viewCheckViolation, type Engine, type StatementContext, type ViewCheck,
} from "@tessera/engine";
import type { Row, Value, ast } from "@tessera/sql";
import type { MetadataCache } from "../metadata/metadata-cache.js";
import type { ShellRelation } from "../operations/shard-ddl.js";
import { castTo, columnRef, resTarget, unsupported } from "./raw.js";
import { citusTableRead } from "./view-expansion.js";

/** The check options a rewritten write carries, over the table `relation` named `alias`. */
export interface ViewWriteChecks {
  readonly checks: readonly ViewCheck[];
  readonly alias: string;
  readonly relation: ShellRelation;
}

/** A write to a view over Citus tables, rewritten onto the table. */
export interface CitusViewWrite {
  readonly stmt: ast.Node;
  /** Undefined when no view on the way has a check option. */
  readonly checks: ViewWriteChecks | undefined;
}

/**
 * Rewrites INSERT, UPDATE or DELETE whose target is a view over a Citus table onto the
 * table; undefined for any other statement (one catalog lookup for a write, none otherwise).
 */
export function rewriteCitusViewWrite(stmt: ast.Node, local: Engine, path: readonly string[],
  cache: MetadataCache, scope: () => Parameters<typeof rewriteViewWrite>[1]):
  CitusViewWrite | undefined {
  if ("ExplainStmt" in stmt && stmt.ExplainStmt.query !== undefined) {
    const inner = rewriteCitusViewWrite(stmt.ExplainStmt.query, local, path, cache, scope);
    if (inner === undefined) return undefined;
    if (inner.checks !== undefined && (stmt.ExplainStmt.options ?? []).some((o) =>
      "DefElem" in o && o.DefElem.defname === "analyze")) {
      throw unsupported("EXPLAIN ANALYZE of a write through a view WITH CHECK OPTION over a " +
        "distributed table");
    }
    return { stmt: { ExplainStmt: { ...stmt.ExplainStmt, query: inner.stmt } }, checks: undefined };
  }
  const target = "InsertStmt" in stmt ? stmt.InsertStmt.relation
    : "UpdateStmt" in stmt ? stmt.UpdateStmt.relation
      : "DeleteStmt" in stmt ? stmt.DeleteStmt.relation : undefined;
  if (target === undefined) return undefined;
  const catalog = local.catalog;
  const view = catalog.findRelation(path, target.schemaname, target.relname ?? "");
  if (view?.kind !== "v" || citusTableRead(view, catalog, cache, 0) === undefined) {
    return undefined;
  }
  const write = rewriteViewWrite(stmt, scope());
  if (write === undefined) return undefined;
  if (cache.table(oid(write.table.oid)) === undefined) {
    throw unsupported(`writing through view "${view.name}" to a table that is not distributed`);
  }
  if (write.checks.length === 0) return { stmt: write.stmt, checks: undefined };
  checkShape(write.stmt);
  return { stmt: write.stmt,
    checks: { checks: write.checks, alias: write.alias, relation: write.table } };
}

/** Refuses what the coordinator cannot test a check option for (0A000). */
function checkShape(stmt: ast.Node): void {
  if ("InsertStmt" in stmt &&
    stmt.InsertStmt.onConflictClause?.action === "ONCONFLICT_UPDATE") {
    throw unsupported("INSERT … ON CONFLICT DO UPDATE through a view WITH CHECK OPTION " +
      "over a distributed table");
  }
  if (!("UpdateStmt" in stmt)) return;
  for (const target of stmt.UpdateStmt.targetList ?? []) {
    const res = "ResTarget" in target ? target.ResTarget : undefined;
    const val = res?.val;
    if (res === undefined || val === undefined || (res.indirection ?? []).length > 0 ||
      "MultiAssignRef" in val || "SetToDefault" in val) {
      throw unsupported("UPDATE through a view WITH CHECK OPTION over a distributed table " +
        "setting DEFAULT, a subfield or a column list");
    }
  }
}

/** Registered checks of the INSERT statements handed to `prepareInsert`. */
const insertChecks = new WeakMap<ast.InsertStmt, ViewWriteChecks>();

/** Records the check options `prepareInsert` is to test the rows of `insert` against. */
export function registerInsertChecks(insert: ast.InsertStmt, checks: ViewWriteChecks): void {
  insertChecks.set(insert, checks);
}

/** The check options of an INSERT through a view, or undefined. */
export function insertChecksOf(insert: ast.InsertStmt): ViewWriteChecks | undefined {
  return insertChecks.get(insert);
}

/**
 * The query evaluating an INSERT's rows (the table's live columns in order) with one more
 * boolean column per check after them; `rows` itself without checks.
 */
export function checkedRowsQuery(rows: ast.Node, checks: ViewWriteChecks | undefined):
  ast.Node {
  if (checks === undefined) return rows;
  const columns = liveColumns(checks.relation);
  return { SelectStmt: {
    targetList: [...columns.map((c) => resTarget(columnRef(checks.alias, c.name))),
      ...checks.checks.map((check) => resTarget(passes(check.condition)))],
    fromClause: [{ RangeSubselect: { subquery: rows, alias: { aliasname: checks.alias,
      colnames: columns.map((c) => ({ String: { sval: c.name } })) } } }],
    limitOption: "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE" } };
}

/** Tests the rows `checkedRowsQuery` evaluated, in order; returns them without the tests. */
export function checkRows(rows: readonly Row[], checks: ViewWriteChecks | undefined,
  ctx: StatementContext): readonly Row[] {
  if (checks === undefined) return rows;
  const width = liveColumns(checks.relation).length;
  for (const row of rows) failIfViolated(row, width, checks, ctx);
  return rows.map((row) => row.slice(0, width));
}

/**
 * The distributed SELECT an UPDATE through a view with a check option runs first: the new
 * values of one row the UPDATE would change that fails a check, and one boolean per check.
 *
 *   UPDATE public.ev ev_v SET v = -1 WHERE ev_v.dev = 4 AND ev_v.v > 0   (check: ev_v.v > 0)
 *     -> SELECT ev_v.dev, (-1)::int4, COALESCE(((-1)::int4) > 0, false)
 *        FROM public.ev ev_v WHERE (ev_v.dev = 4 AND ev_v.v > 0)
 *          AND NOT (COALESCE(((-1)::int4) > 0, false)) LIMIT 1
 */
export function updateCheckQuery(update: ast.UpdateStmt, checks: ViewWriteChecks): ast.Node {
  const columns = liveColumns(checks.relation);
  const sets = new Map<string, ast.Node>();
  for (const target of update.targetList ?? []) {
    const res = (target as { ResTarget: ast.ResTarget }).ResTarget;
    const column = columns.find((c) => c.name === res.name);
    if (column === undefined) continue;
    sets.set(column.name, castTo(res.val!, column.type, column.typmod));
  }
  const values = columns.map((c) => sets.get(c.name) ?? columnRef(checks.alias, c.name));
  const tests = checks.checks.map((check) =>
    passes(substitute(check.condition, checks.alias, sets)));
  const failing: ast.Node = { BoolExpr: { boolop: "NOT_EXPR", args: [tests.length === 1
    ? tests[0]! : { BoolExpr: { boolop: "AND_EXPR", args: tests } }] } };
  const where: ast.Node = update.whereClause === undefined ? failing
    : { BoolExpr: { boolop: "AND_EXPR", args: [update.whereClause, failing] } };
  return { SelectStmt: {
    targetList: [...values, ...tests].map((e) => resTarget(e)),
    fromClause: [{ RangeVar: update.relation! }, ...(update.fromClause ?? [])],
    whereClause: where,
    limitCount: { A_Const: { ival: { ival: 1 } } },
    limitOption: "LIMIT_OPTION_COUNT", op: "SETOP_NONE" } };
}

/** Raises 44000 for the first row `updateCheckQuery` found, if any. */
export function checkUpdateRows(rows: readonly Row[], checks: ViewWriteChecks,
  ctx: StatementContext): void {
  const width = liveColumns(checks.relation).length;
  for (const row of rows) failIfViolated(row, width, checks, ctx);
}

function failIfViolated(row: Row, width: number, checks: ViewWriteChecks,
  ctx: StatementContext): void {
  const failed = checks.checks.findIndex((_check, i) => row[width + i] !== true);
  if (failed < 0) return;
  const types = liveColumns(checks.relation).map((c) => c.type);
  throw viewCheckViolation(checks.checks[failed]!.view, row.slice(0, width) as Value[], types,
    ctx);
}

/** `COALESCE((condition), false)`: a check passes only when its condition is true. */
function passes(condition: ast.Node): ast.Node {
  return { CoalesceExpr: { args: [condition, { A_Const: { boolval: { boolval: false } } }] } };
}

/** `condition` with `alias.col` replaced by the value the UPDATE sets `col` to. */
function substitute(condition: ast.Node, alias: string, sets: ReadonlyMap<string, ast.Node>):
  ast.Node {
  const visit = (tree: unknown): unknown => {
    if (Array.isArray(tree)) return tree.map(visit);
    if (tree === null || typeof tree !== "object") return tree;
    const record = tree as Record<string, unknown>;
    const ref = record["ColumnRef"] as ast.ColumnRef | undefined;
    if (ref !== undefined) {
      const fields = ref.fields ?? [];
      const first = fields[0];
      const last = fields[1];
      if (fields.length !== 2 || first === undefined || !("String" in first) ||
        first.String.sval !== alias || last === undefined || !("String" in last)) {
        return tree;
      }
      return sets.get(last.String.sval ?? "") ?? tree;
    }
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) out[key] = visit(value);
    return out;
  };
  return visit(condition) as ast.Node;
}

function liveColumns(relation: ShellRelation): ShellRelation["columns"] {
  return relation.columns.filter((c) => !c.dropped);
}
