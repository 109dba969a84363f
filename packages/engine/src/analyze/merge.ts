/**
 * MERGE (PostgreSQL 15, Postgres's transformMergeStmt): the target table joined with the data
 * source on the ON condition, and the WHEN clauses analyzed into actions that
 * `execute/merge.ts` applies row by row.
 *
 * The join's row puts the source first, the target's columns after it, then the target's row
 * id, as UPDATE … FROM does (`modify-target.ts`). For `MERGE INTO t USING s ON t.id = s.id`
 * with t(id, v) and s(id, w) the row is
 *
 *     [s.id, s.w, t.id, t.v, slot]      targetOffset = 2, row id at 4
 *
 * Without WHEN NOT MATCHED clauses the join is inner; with them it is the source LEFT JOIN
 * the target, and a row whose row id is null matched no target row. WHEN MATCHED clauses see
 * both sides; WHEN NOT MATCHED clauses see only the source (Postgres's 42P01 for the target).
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { Relation } from "../catalog/relation.js";
import type { PlannedQuery } from "../engine.js";
import { andWith, conjuncts, pushFilter } from "../plan/filter.js";
import { planJoin, side } from "../plan/join.js";
import type { Plan, SeqScanPlan } from "../plan/plan.js";
import type { Expr } from "./expr.js";
import { analyzeExpr, asBoolean, locationOf } from "./expr-analyze.js";
import { analyzeFrom } from "./from.js";
import { Scope, type RangeItem } from "./scope.js";
import { analyzeSetList, assign, defaultFor, tableItem } from "./modify-target.js";
import { checkInsertTargets } from "./modify-generated.js";
import { assignThroughSubscripts, nullBase } from "./assign-indirection.js";
import { analyzeWith } from "./with.js";

/** One WHEN clause: its condition and what it does. */
export interface MergeAction {
  readonly kind: "update" | "delete" | "insert" | "nothing";
  /** The AND condition, over the join row; null when the clause has none. */
  readonly condition: Expr | null;
  /**
   * UPDATE: per stored column the new value, or null to keep it. INSERT: per stored column
   * the value of the new row (defaults where the clause names no value). Else null.
   */
  readonly values: readonly (Expr | null)[] | null;
}

export interface MergeSpec {
  readonly matched: readonly MergeAction[];
  readonly notMatched: readonly MergeAction[];
  /** Where the target's columns start in the join row; its row id follows them. */
  readonly targetOffset: number;
  /** The statement-level trigger events its actions name (Postgres's mt_merge_subcommands). */
  readonly events: readonly ("insert" | "update" | "delete")[];
}

export function analyzeMerge(stmt: ast.MergeStmt, scope: Scope): PlannedQuery {
  const clauses = whenClauses(stmt);
  const rel = mergeTarget(stmt.relation!, scope);
  if (stmt.withClause !== undefined) analyzeWith(stmt.withClause, scope);
  const source = analyzeFrom([stmt.sourceRelation!], scope);
  const offset = source.width;
  const alias = stmt.relation!.alias?.aliasname ?? rel.name;
  if (scope.items.some((i) => i.visible && i.alias === alias)) {
    throw new SqlError(SqlState.duplicateAlias, `name "${alias}" specified more than once`,
      { detail: "The name is used both as MERGE target table and data source." });
  }
  const target = tableItem(rel, alias, offset);
  scope.items.push(target);
  scope.clause = "JOIN conditions";
  const on = asBoolean(analyzeExpr(stmt.joinCondition!, scope), "JOIN/ON", scope);
  const matched: MergeAction[] = [];
  const notMatched: MergeAction[] = [];
  for (const clause of clauses) {
    if (clause.matchKind === "MERGE_WHEN_MATCHED") {
      matched.push(analyzeAction(rel, clause, scope));
      continue;
    }
    // The target's columns are out of reach here (Postgres's 42P01 with its hint).
    const at = scope.items.indexOf(target);
    scope.items[at] = { ...target, visible: false } satisfies RangeItem;
    notMatched.push(analyzeAction(rel, clause, scope));
    scope.items[at] = target;
  }
  const input = joinInput(rel, alias, source.plan, offset, on, notMatched.length > 0,
    stmt.relation!.inh !== true);
  const actions = [...matched, ...notMatched];
  const events = (["insert", "update", "delete"] as const)
    .filter((e) => actions.some((a) => a.kind === e));
  const spec: MergeSpec = { matched, notMatched, targetOffset: offset, events };
  let plan: Plan = { kind: "modify", operation: "merge", relation: rel,
    alias: stmt.relation!.alias?.aliasname ?? "", input, returning: null, spec, width: 0,
    rows: input.rows };
  const ctes = [...scope.ctes.values()].filter((c) => c.plan !== null)
    .map((c) => ({ id: c.id, name: c.name, plan: c.plan! }));
  if (ctes.length > 0) plan = { kind: "with", ctes, input: plan, width: 0, rows: plan.rows };
  return { plan, columns: null, tag: "MERGE" };
}

/**
 * The WHEN clauses, after the checks Postgres's grammar and transformMergeStmt make first:
 * PostgreSQL 15 has neither RETURNING nor NOT MATCHED BY SOURCE, and a clause after an
 * unconditional one of the same kind can never run.
 */
function whenClauses(stmt: ast.MergeStmt): ast.MergeWhenClause[] {
  if (stmt.returningClause !== undefined) {
    throw new SqlError(SqlState.syntaxError, "syntax error at or near \"RETURNING\"");
  }
  const clauses = (stmt.mergeWhenClauses ?? []).flatMap((n) =>
    ("MergeWhenClause" in n ? [n.MergeWhenClause] : []));
  const unconditional = new Set<string>();
  for (const clause of clauses) {
    const kind = clause.matchKind ?? "MERGE_WHEN_MATCHED";
    if (kind === "MERGE_WHEN_NOT_MATCHED_BY_SOURCE") {
      throw new SqlError(SqlState.syntaxError, "syntax error at or near \"BY\"");
    }
    if (unconditional.has(kind)) {
      throw new SqlError(SqlState.syntaxError,
        "unreachable WHEN clause specified after unconditional WHEN clause");
    }
    if (clause.condition === undefined) unconditional.add(kind);
  }
  return clauses;
}

/** Looks up the target and refuses what MERGE cannot write (Postgres's setTargetTable). */
function mergeTarget(rv: ast.RangeVar, scope: Scope): Relation {
  const { catalog, path } = scope.statement;
  const rel = catalog.findRelation(path, rv.schemaname, rv.relname ?? "");
  if (rel === undefined) {
    if (catalog.findSequence(path, rv.schemaname, rv.relname ?? "") !== undefined) {
      throw new SqlError(SqlState.featureNotSupported,
        `cannot execute MERGE on relation "${rv.relname}"`,
        { detail: "This operation is not supported for sequences." });
    }
    throw new SqlError(SqlState.undefinedTable, `relation "${rv.relname}" does not exist`,
      locationOf(rv.location));
  }
  const kinds: Record<string, string> = { v: "views", m: "materialized views",
    f: "foreign tables", c: "composite types", i: "indexes" };
  const what = rel.kind === "r" ? null : kinds[rel.kind] ?? "this relation kind";
  if (what !== null) {
    throw new SqlError(SqlState.featureNotSupported,
      `cannot execute MERGE on relation "${rel.name}"`,
      { detail: `This operation is not supported for ${what}.` });
  }
  if (rel.virtualRows !== undefined) {
    throw new SqlError(SqlState.insufficientPrivilege, `permission denied for table ${rel.name}`,
      locationOf(rv.location));
  }
  return rel;
}

/**
 * The rows MERGE visits: the source joined with the target scan (which appends the row id).
 * Parts of ON over the target alone filter its scan; the rest is the join condition.
 */
function joinInput(rel: Relation, alias: string, source: Plan, offset: number, on: Expr,
  outer: boolean, onlyTable: boolean): Plan {
  const width = rel.columns.length;
  const end = offset + width;
  let targetOnly: Expr | null = null;
  let cond: Expr | null = null;
  for (const part of conjuncts(on)) {
    if (side(part, 0, offset, end) === "right") targetOnly = andWith(targetOnly, part);
    else cond = andWith(cond, part);
  }
  const scan: SeqScanPlan = { kind: "seqScan", relation: rel, alias, offset, filter: null,
    rowId: true, width: width + 1, rows: Math.max(rel.store.liveCount, 1),
    ...(onlyTable && { onlyTable }) };
  let target: Plan = targetOnly === null ? scan : pushFilter(scan, targetOnly);
  if (target.kind === "seqScan" || target.kind === "indexScan") target = { ...target, rowId: true };
  return planJoin({ joinType: outer ? "left" : "inner", left: source, right: target, offset: 0,
    leftWidth: offset, cond, lateral: [] });
}

function analyzeAction(rel: Relation, clause: ast.MergeWhenClause, scope: Scope): MergeAction {
  let condition: Expr | null = null;
  if (clause.condition !== undefined) {
    scope.clause = "MERGE WHEN conditions";
    condition = asBoolean(analyzeExpr(clause.condition, scope), "WHEN", scope);
  }
  switch (clause.commandType) {
    case "CMD_UPDATE":
      scope.clause = "UPDATE";
      return { kind: "update", condition,
        values: analyzeSetList(rel, clause.targetList ?? [], scope) };
    case "CMD_DELETE":
      return { kind: "delete", condition, values: null };
    case "CMD_INSERT":
      scope.clause = "VALUES";
      return { kind: "insert", condition, values: insertRow(rel, clause, scope) };
    case "CMD_NOTHING":
      return { kind: "nothing", condition, values: null };
    default:
      throw notSupported(`MERGE action ${clause.commandType ?? "?"}`);
  }
}

/** WHEN NOT MATCHED THEN INSERT [(cols)] VALUES (…) | DEFAULT VALUES: the new row's values. */
function insertRow(rel: Relation, clause: ast.MergeWhenClause, scope: Scope): Expr[] {
  const cols = (clause.targetList ?? []).flatMap((c) => ("ResTarget" in c ? [c.ResTarget] : []));
  const names = cols.map((c) => c.name ?? "");
  const targets = names.length === 0
    ? rel.columns.map((c, i) => (c.dropped ? -1 : i)).filter((i) => i >= 0)
    : cols.map((_c, k) => insertColumn(rel, cols, k));
  const items = clause.values ?? [];
  if (items.length > targets.length) {
    throw new SqlError(SqlState.syntaxError, "INSERT has more expressions than target columns");
  }
  if (names.length > 0 && items.length < targets.length && clause.values !== undefined) {
    throw new SqlError(SqlState.syntaxError, "INSERT has more target columns than expressions");
  }
  const used = targets.slice(0, items.length);
  const ignored = checkInsertTargets(rel, used, (k) => "SetToDefault" in items[k]!,
    clause.override);
  const row = rel.columns.map((_c, i) => defaultFor(rel, i, scope));
  const subscripted = new Map<number, Expr>();
  items.forEach((item, k) => {
    const col = used[k]!;
    if ("SetToDefault" in item) return;
    const value = analyzeExpr(item, scope);
    const indirection = cols[k]?.indirection ?? [];
    let stored: Expr;
    if (indirection.length === 0) stored = assign(rel, col, value, scope, item);
    else {
      const column = rel.columns[col]!;
      stored = assignThroughSubscripts(subscripted.get(col) ?? nullBase(column),
        { column, indirection, value }, scope);
      subscripted.set(col, stored);
    }
    if (!ignored.has(col)) row[col] = stored;
  });
  return row;
}

/** The stored column the k-th name of INSERT's column list names (Postgres's 42703/42701). */
function insertColumn(rel: Relation, cols: readonly ast.ResTarget[], k: number): number {
  const name = cols[k]!.name ?? "";
  const i = rel.columns.findIndex((c) => c.name === name && !c.dropped);
  if (i < 0) {
    throw new SqlError(SqlState.undefinedColumn,
      `column "${name}" of relation "${rel.name}" does not exist`, locationOf(cols[k]!.location));
  }
  const first = cols.findIndex((c) => c.name === name);
  if (first !== k && ((cols[k]!.indirection ?? []).length === 0 ||
    (cols[first]!.indirection ?? []).length === 0)) {
    throw new SqlError(SqlState.duplicateColumn, `column "${name}" specified more than once`,
      locationOf(cols[k]!.location));
  }
  return i;
}
