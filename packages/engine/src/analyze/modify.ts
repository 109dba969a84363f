/**
 * INSERT, UPDATE and DELETE (Postgres's transformInsertStmt and friends). The input plan of an
 * INSERT yields whole table rows (defaults already in place); that of UPDATE and DELETE joins
 * the target table with the FROM / USING list, each row carrying the target version's row id
 * (`modify-target.ts`). `execute/modify-run.ts` then checks constraints and writes.
 */
import { SqlError, SqlState, assert, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { Relation } from "../catalog/relation.js";
import type { PlannedQuery } from "../engine.js";
import type { Plan } from "../plan/plan.js";
import type { Expr } from "./expr.js";
import { analyzeExpr, locationOf } from "./expr-analyze.js";
import { figureColname } from "./naming.js";
import { Scope } from "./scope.js";
import { analyzeSubquery, type OutColumn, type QueryResult } from "./subquery.js";
import { analyzeSetList, assign, defaultFor, tableItem, targetInput } from "./modify-target.js";
import { analyzeOnConflict, type OnConflictSpec } from "./on-conflict.js";
import { checkInsertTargets } from "./modify-generated.js";
import { srfTargetCall } from "./srf-records.js";
import { assignThroughSubscripts, nullBase, refuseIndirectDefault }
  from "./assign-indirection.js";
import { analyzeViewWrite, type PlannedViewCheck } from "./view-write-plan.js";
import { viewTargetInput, writesThroughTrigger } from "./view-instead-of.js";
import { checkCurrentOf } from "./current-of.js";
import { analyzeWith } from "./with.js";
import { analyzeSettingsUpdate, isSettingsView } from "./settings-update.js";
import { hasSystemColumns, refuseRoutedSystemColumns } from "./system-columns.js";

export interface ModifySpec {
  /** UPDATE: per stored column the new value over the input row, or null to keep it. */
  readonly sets: readonly (Expr | null)[] | null;
  readonly onConflict: OnConflictSpec | null;
  /** UPDATE/DELETE: where the target's columns start in the input row; its row id follows. */
  readonly targetOffset: number;
  /** Check options of the views written through (`view-write-plan.ts`). */
  readonly viewChecks?: readonly PlannedViewCheck[];
}

export function analyzeModify(stmt: ast.Node, scope: Scope): PlannedQuery {
  const withClause = withClauseOf(stmt);
  if (withClause !== undefined) return analyzeModifyWith(stmt, withClause, scope);
  if ("InsertStmt" in stmt) return analyzeInsert(stmt.InsertStmt, scope);
  if ("UpdateStmt" in stmt) return analyzeUpdate(stmt.UpdateStmt, scope);
  if ("DeleteStmt" in stmt) return analyzeDelete(stmt.DeleteStmt, scope);
  throw notSupported(Object.keys(stmt)[0] ?? "?");
}

function withClauseOf(stmt: ast.Node): ast.WithClause | undefined {
  if ("InsertStmt" in stmt) return stmt.InsertStmt.withClause;
  if ("UpdateStmt" in stmt) return stmt.UpdateStmt.withClause;
  if ("DeleteStmt" in stmt) return stmt.DeleteStmt.withClause;
  return undefined;
}

/**
 * `WITH … INSERT/UPDATE/DELETE`: the WITH queries run first (a data-modifying one to
 * completion), then the write, whose command tag counts only its own rows.
 */
function analyzeModifyWith(stmt: ast.Node, clause: ast.WithClause, scope: Scope):
  PlannedQuery {
  analyzeWith(clause, scope);
  const planned = analyzeModify(withoutWith(stmt), scope);
  const ctes = [...scope.ctes.values()].filter((c) => c.plan !== null)
    .map((c) => ({ id: c.id, name: c.name, plan: c.plan! }));
  if (ctes.length === 0) return planned;
  return { ...planned, plan: { kind: "with", ctes, input: planned.plan,
    width: planned.plan.width, rows: planned.plan.rows } };
}

function withoutWith(stmt: ast.Node): ast.Node {
  if ("InsertStmt" in stmt) {
    const { withClause: _with, ...rest } = stmt.InsertStmt;
    return { InsertStmt: rest };
  }
  if ("UpdateStmt" in stmt) {
    const { withClause: _with, ...rest } = stmt.UpdateStmt;
    return { UpdateStmt: rest };
  }
  assert("DeleteStmt" in stmt, "a data-modifying statement");
  const { withClause: _with, ...rest } = stmt.DeleteStmt;
  return { DeleteStmt: rest };
}

function targetTable(rv: ast.RangeVar, scope: Scope): Relation {
  const { catalog, path } = scope.statement;
  const rel = catalog.findRelation(path, rv.schemaname, rv.relname ?? "");
  if (rel === undefined) {
    throw new SqlError(SqlState.undefinedTable, `relation "${rv.relname}" does not exist`,
      locationOf(rv.location));
  }
  if (rel.kind === "m") {
    throw new SqlError(SqlState.wrongObjectType, `cannot change materialized view "${rel.name}"`);
  }
  if (rel.kind !== "r" && rel.kind !== "v") throw notSupported(`writing to "${rel.name}"`);
  if (rel.virtualRows !== undefined) {
    throw new SqlError(SqlState.insufficientPrivilege, `permission denied for table ${rel.name}`,
      locationOf(rv.location));
  }
  return rel;
}

function analyzeInsert(stmt: ast.InsertStmt, scope: Scope): PlannedQuery {
  const rel = targetTable(stmt.relation!, scope);
  if (rel.kind === "v" && !writesThroughTrigger(rel, "insert", scope)) {
    return analyzeViewWrite({ InsertStmt: stmt }, scope);
  }
  if (stmt.withClause !== undefined) throw notSupported("WITH in INSERT");
  const names = (stmt.cols ?? []).map((c) => ("ResTarget" in c ? c.ResTarget.name ?? "" : ""));
  const indirections = (stmt.cols ?? []).map((c) =>
    ("ResTarget" in c ? c.ResTarget.indirection ?? [] : []));
  const targets = names.length === 0
    ? rel.columns.map((c, i) => (c.dropped ? -1 : i)).filter((i) => i >= 0)
    : names.map((n, k) => {
      const i = rel.columns.findIndex((c) => c.name === n && !c.dropped);
      if (i < 0) {
        const target = stmt.cols![k]!;
        const location = "ResTarget" in target ? target.ResTarget.location : undefined;
        throw new SqlError(SqlState.undefinedColumn,
          `column "${n}" of relation "${rel.name}" does not exist`,
          location === undefined ? {} : { location });
      }
      if (names.indexOf(n) !== k && (indirections[k]!.length === 0 ||
        indirections[names.indexOf(n)]!.length === 0)) {
        throw new SqlError(SqlState.duplicateColumn, `column "${n}" specified more than once`);
      }
      return i;
    });
  const select = stmt.selectStmt;
  let input: Plan;
  if (select === undefined) {
    input = { kind: "values", values: [rel.columns.map((_c, i) => defaultFor(rel, i, scope))],
      width: rel.columns.length, rows: 1 };
  } else if ("SelectStmt" in select && select.SelectStmt.valuesLists !== undefined &&
    select.SelectStmt.op === "SETOP_NONE" && select.SelectStmt.sortClause === undefined) {
    const lists = select.SelectStmt.valuesLists.map((l) => ("List" in l ? l.List.items ?? [] : []));
    const width = Math.max(...lists.map((l) => l.length));
    // Without a column list, VALUES may fill only the leading columns.
    const used = names.length === 0 && width < targets.length ? targets.slice(0, width) : targets;
    checkWidths(lists, used);
    const ignored = checkInsertTargets(rel, used,
      (k) => lists.every((l) => l[k] !== undefined && "SetToDefault" in l[k]), stmt.override);
    input = insertValues(rel, { targets: used, indirections }, lists, ignored, scope);
  } else {
    // As Postgres's transformInsertStmt: the SELECT's unknown literals (`'{}'`, NULL) stay
    // unknown here and take the target columns' types below.
    // The statement's WITH queries are visible, but belong to the level above the SELECT.
    const selectScope = new Scope(scope.statement,
      scope.ctes.size > 0 && scope.parent === undefined ? scope : undefined, true);
    selectScope.resolveUnknowns = false;
    const sub = analyzeSubquery(select, selectScope);
    if (sub.columns.length > targets.length) {
      throw new SqlError(SqlState.syntaxError, "INSERT has more expressions than target columns");
    }
    const used = targets.slice(0, sub.columns.length);
    const ignored = checkInsertTargets(rel, used, () => false, stmt.override);
    input = insertSelect(rel, { targets, indirections }, sub, ignored, scope);
  }
  const alias = stmt.relation!.alias?.aliasname ?? rel.name;
  const onConflict = stmt.onConflictClause === undefined ? null
    : analyzeOnConflict(rel, alias, stmt.onConflictClause, scope);
  const own = new Scope(scope.statement, undefined).inheritCtes(scope);
  // RETURNING may read the new versions' system columns, after the row (second pass).
  const system = scope.statement.systemColumns === true && hasSystemColumns(rel.kind);
  own.items.push({ ...tableItem(rel, alias, 0),
    ...(system && { systemOffset: rel.columns.length }) });
  const { returning, columns } = analyzeReturning(stmt.returningClause, own);
  if (system && rel.partitionKey !== undefined) refuseRoutedSystemColumns(returning, rel);
  const spec: ModifySpec = { sets: null, onConflict, targetOffset: 0 };
  const plan: Plan = { kind: "modify", operation: "insert", relation: rel,
    alias: stmt.relation!.alias?.aliasname ?? "", input, returning,
    spec, width: returning?.length ?? 0, rows: input.rows,
    ...(system && returning !== null && { returningSystem: true }) };
  return { plan, columns, tag: "INSERT 0" };
}

/** Raises Postgres's errors for VALUES rows wider or narrower than the target list. */
function checkWidths(lists: readonly ast.Node[][], targets: readonly number[]): void {
  // A multi-row VALUES is a VALUES list first: its rows must agree among themselves.
  if (lists.some((items) => items.length !== lists[0]!.length)) {
    throw new SqlError(SqlState.syntaxError, "VALUES lists must all be the same length");
  }
  for (const items of lists) {
    if (items.length > targets.length) {
      // Postgres points at the first expression without a column.
      const extra = Object.values(items[targets.length]!)[0] as { location?: number };
      throw new SqlError(SqlState.syntaxError, "INSERT has more expressions than target columns",
        typeof extra.location === "number" ? { location: extra.location } : {});
    }
    if (items.length < targets.length) {
      throw new SqlError(SqlState.syntaxError, "INSERT has more target columns than expressions");
    }
  }
}

/** INSERT's target columns, each with its subscripts (`ia[2]`) or none. */
interface InsertTargets {
  readonly targets: readonly number[];
  readonly indirections: readonly (readonly ast.Node[])[];
}

function insertValues(rel: Relation, into: InsertTargets, lists: ast.Node[][],
  ignored: ReadonlySet<number>, scope: Scope): Plan {
  // A single VALUES row is a target list: set-returning functions may expand it to rows.
  if (lists.length === 1) scope.srfs = [];
  const clause = scope.clause;
  if (lists.length > 1) scope.clause = "VALUES";
  const rows = lists.map((items) => {
    const row = rel.columns.map((_c, i) => defaultFor(rel, i, scope));
    const subscripted = new Map<number, Expr>();
    items.forEach((item, k) => {
      const col = into.targets[k]!;
      if ("SetToDefault" in item) return refuseIndirectDefault(into.indirections[k] ?? []);
      const value = assignTarget(rel, { into, k, subscripted }, analyzeExpr(item, scope), scope,
        item);
      if (!ignored.has(col)) row[col] = value;
    });
    return row;
  });
  const srfs = (scope.srfs ?? []).map(srfTargetCall);
  scope.srfs = null;
  scope.clause = clause;
  if (srfs.length > 0) {
    const one: Plan = { kind: "values", values: [[]], width: 0, rows: 1 };
    return { kind: "project", input: one, exprs: rows[0]!, srfs, width: rel.columns.length,
      rows: 1 };
  }
  return { kind: "values", values: rows, width: rel.columns.length, rows: rows.length };
}

/**
 * Returns the value INSERT stores for target `k`: the value assigned to the column, or for a
 * subscripted target (`ia[2]`) the array built over a null or the column's earlier targets.
 */
function assignTarget(rel: Relation, at: { into: InsertTargets; k: number;
  subscripted: Map<number, Expr> }, value: Expr, scope: Scope, source?: ast.Node): Expr {
  const col = at.into.targets[at.k]!;
  const indirection = at.into.indirections[at.k] ?? [];
  if (indirection.length === 0) return assign(rel, col, value, scope, source);
  const column = rel.columns[col]!;
  const result = assignThroughSubscripts(at.subscripted.get(col) ?? nullBase(column),
    { column, indirection, value }, scope);
  at.subscripted.set(col, result);
  return result;
}

function insertSelect(rel: Relation, into: InsertTargets, sub: QueryResult,
  ignored: ReadonlySet<number>, scope: Scope): Plan {
  const exprs = rel.columns.map((_c, i) => defaultFor(rel, i, scope));
  const subscripted = new Map<number, Expr>();
  sub.columns.forEach((c: OutColumn, k) => {
    const col = into.targets[k]!;
    const v: Expr = { kind: "var", index: k, type: c.type, typmod: c.typmod, name: c.name,
      tableOid: 0, attnum: 0 };
    const value = assignTarget(rel, { into, k, subscripted }, v, scope);
    if (!ignored.has(col)) exprs[col] = value;
  });
  return { kind: "project", input: sub.plan, exprs, srfs: [], width: exprs.length,
    rows: sub.plan.rows };
}

function analyzeUpdate(stmt: ast.UpdateStmt, scope: Scope): PlannedQuery {
  if (isSettingsView(stmt.relation!, scope)) return analyzeSettingsUpdate(stmt, scope);
  const rel = targetTable(stmt.relation!, scope);
  checkCurrentOf(rel, stmt.whereClause, "update", scope.statement);
  if (rel.kind === "v" && !writesThroughTrigger(rel, "update", scope)) {
    return analyzeViewWrite({ UpdateStmt: stmt }, scope);
  }
  if (stmt.withClause !== undefined) throw notSupported("WITH in UPDATE");
  const { plan: input, targetOffset } = rel.kind === "v"
    ? viewTargetInput(stmt.relation!, stmt.fromClause ?? [], stmt.whereClause, scope)
    : targetInput(rel, stmt.relation!, stmt.fromClause ?? [], stmt.whereClause, scope);
  scope.clause = "UPDATE";
  const sets = analyzeSetList(rel, stmt.targetList ?? [], scope);
  const { returning, columns } = analyzeReturning(stmt.returningClause, scope);
  const spec: ModifySpec = { sets, onConflict: null, targetOffset };
  const plan: Plan = { kind: "modify", operation: "update", relation: rel,
    alias: stmt.relation!.alias?.aliasname ?? "", input, returning,
    spec, width: returning?.length ?? 0, rows: input.rows,
    ...(returnsSystem(scope, rel, returning) && { returningSystem: true }) };
  return { plan, columns, tag: "UPDATE" };
}

function analyzeDelete(stmt: ast.DeleteStmt, scope: Scope): PlannedQuery {
  const rel = targetTable(stmt.relation!, scope);
  checkCurrentOf(rel, stmt.whereClause, "delete", scope.statement);
  if (rel.kind === "v" && !writesThroughTrigger(rel, "delete", scope)) {
    return analyzeViewWrite({ DeleteStmt: stmt }, scope);
  }
  if (stmt.withClause !== undefined) throw notSupported("WITH in DELETE");
  const { plan: input, targetOffset } = rel.kind === "v"
    ? viewTargetInput(stmt.relation!, stmt.usingClause ?? [], stmt.whereClause, scope)
    : targetInput(rel, stmt.relation!, stmt.usingClause ?? [], stmt.whereClause, scope);
  const { returning, columns } = analyzeReturning(stmt.returningClause, scope);
  const spec: ModifySpec = { sets: null, onConflict: null, targetOffset };
  const plan: Plan = { kind: "modify", operation: "delete", relation: rel,
    alias: stmt.relation!.alias?.aliasname ?? "", input, returning,
    spec, width: returning?.length ?? 0, rows: input.rows,
    ...(returnsSystem(scope, rel, returning) && { returningSystem: true }) };
  return { plan, columns, tag: "DELETE" };
}

/**
 * RETURNING: expressions over the written row as `scope` lays it out (INSERT: the new row;
 * UPDATE and DELETE: the input row with the target's columns holding the new or old values).
 */
function analyzeReturning(clause: ast.ReturningClause | undefined, scope: Scope):
  { returning: Expr[] | null; columns: OutColumn[] | null } {
  const list = clause?.exprs ?? [];
  if (list.length === 0) return { returning: null, columns: null };
  scope.clause = "RETURNING";
  const returning: Expr[] = [];
  const columns: OutColumn[] = [];
  for (const node of list) {
    if (!("ResTarget" in node)) continue;
    const val = node.ResTarget.val!;
    if ("ColumnRef" in val && (val.ColumnRef.fields ?? []).some((f) => "A_Star" in f)) {
      const fields = val.ColumnRef.fields ?? [];
      const alias = fields.length > 1 && "String" in fields[0]! ? fields[0].String.sval : undefined;
      if (alias !== undefined && fields.length === 2 &&
        !scope.items.some((i) => i.visible && i.alias === alias)) {
        throw scope.missingTable(alias, val.ColumnRef.location);
      }
      for (const item of scope.items) {
        if (!item.visible || (alias !== undefined && item.alias !== alias)) continue;
        for (const c of item.columns) {
          if (c.hidden === true) continue;
          returning.push(c.expr);
          columns.push(outColumn(c.name, c.expr));
        }
      }
      continue;
    }
    const e = analyzeExpr(val, scope);
    returning.push(e);
    columns.push(outColumn(node.ResTarget.name ?? figureColname(val), e));
  }
  return { returning, columns };
}

function outColumn(name: string, e: Expr): OutColumn {
  return { name, type: e.type, typmod: e.typmod, tableOid: e.kind === "var" ? e.tableOid : 0,
    attnum: e.kind === "var" ? e.attnum : 0 };
}

/** True when RETURNING may read the target's system columns (their second analysis pass). */
function returnsSystem(scope: Scope, rel: Relation, returning: Expr[] | null): boolean {
  return returning !== null && scope.statement.systemColumns === true &&
    hasSystemColumns(rel.kind);
}
