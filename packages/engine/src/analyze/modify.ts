/**
 * INSERT, UPDATE and DELETE (Postgres's transformInsertStmt and friends). The input plan of an
 * INSERT yields whole table rows (defaults already in place); that of UPDATE and DELETE scans
 * the target table, so each row it yields is a stored version's own array. `execute/modify-run.ts`
 * then checks constraints and writes.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { Relation } from "../catalog/relation.js";
import type { PlannedQuery } from "../engine.js";
import { pushFilter } from "../plan/filter.js";
import type { Plan } from "../plan/plan.js";
import { coerceTo } from "./coerce.js";
import type { Expr } from "./expr.js";
import { analyzeExpr, asBoolean, locationOf } from "./expr-analyze.js";
import { figureColname } from "./naming.js";
import { Scope } from "./scope.js";
import { analyzeSubquery, type OutColumn } from "./subquery.js";
import { analyzeFrom } from "./from.js";

export interface ModifySpec {
  /** UPDATE: per column, the new value's expression over the old row, or null to keep it. */
  readonly sets: readonly (Expr | null)[] | null;
  readonly onConflict: "nothing" | null;
}

export function analyzeModify(stmt: ast.Node, scope: Scope): PlannedQuery {
  if ("InsertStmt" in stmt) return analyzeInsert(stmt.InsertStmt, scope);
  if ("UpdateStmt" in stmt) return analyzeUpdate(stmt.UpdateStmt, scope);
  if ("DeleteStmt" in stmt) return analyzeDelete(stmt.DeleteStmt, scope);
  throw notSupported(Object.keys(stmt)[0] ?? "?");
}

function targetTable(rv: ast.RangeVar, scope: Scope): Relation {
  const { catalog, path } = scope.statement;
  const rel = catalog.findRelation(path, rv.schemaname, rv.relname ?? "");
  if (rel === undefined) {
    throw new SqlError(SqlState.undefinedTable, `relation "${rv.relname}" does not exist`,
      locationOf(rv.location));
  }
  if (rel.kind !== "r") throw notSupported(`writing to view "${rel.name}"`);
  return rel;
}

/** The default of column `i`: its DEFAULT expression, or a typed null. */
function defaultFor(rel: Relation, i: number, scope: Scope): Expr {
  const col = rel.columns[i]!;
  if (col.defaultExpr === null) return { kind: "const", type: col.type, typmod: col.typmod, value: null };
  const e = analyzeExpr(col.defaultExpr, new Scope(scope.statement, undefined));
  return coerceTo(e, col.type, col.typmod, "a", scope.statement.params);
}

function assign(rel: Relation, i: number, e: Expr, scope: Scope, location?: number): Expr {
  const col = rel.columns[i]!;
  const out = coerceTo(e, col.type, col.typmod, "a", scope.statement.params);
  void location;
  return out;
}

function analyzeInsert(stmt: ast.InsertStmt, scope: Scope): PlannedQuery {
  const rel = targetTable(stmt.relation!, scope);
  if (stmt.withClause !== undefined) throw notSupported("WITH in INSERT");
  const names = (stmt.cols ?? []).map((c) => ("ResTarget" in c ? c.ResTarget.name ?? "" : ""));
  const targets = names.length === 0
    ? rel.columns.map((c, i) => (c.dropped ? -1 : i)).filter((i) => i >= 0)
    : names.map((n) => {
      const i = rel.columns.findIndex((c) => c.name === n && !c.dropped);
      if (i < 0) {
        throw new SqlError(SqlState.undefinedColumn,
          `column "${n}" of relation "${rel.name}" does not exist`);
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
    input = insertValues(rel, targets, select.SelectStmt.valuesLists, scope);
  } else {
    input = insertSelect(rel, targets, select, scope);
  }
  const onConflict = stmt.onConflictClause;
  if (onConflict !== undefined && onConflict.action !== "ONCONFLICT_NOTHING") {
    throw notSupported("ON CONFLICT DO UPDATE");
  }
  const { returning, columns } = analyzeReturning(rel, stmt.returningClause, scope);
  const plan: Plan = { kind: "modify", operation: "insert", relation: rel, input, returning,
    spec: { sets: null, onConflict: onConflict === undefined ? null : "nothing" } satisfies ModifySpec,
    width: returning?.length ?? 0, rows: input.rows };
  return { plan, columns, tag: "INSERT 0" };
}

function insertValues(rel: Relation, targets: readonly number[], lists: ast.Node[],
  scope: Scope): Plan {
  const rows = lists.map((list) => {
    const items = "List" in list ? list.List.items ?? [] : [];
    if (items.length > targets.length) {
      throw new SqlError(SqlState.syntaxError, "INSERT has more expressions than target columns");
    }
    if (items.length < targets.length) {
      throw new SqlError(SqlState.syntaxError, "INSERT has more target columns than expressions");
    }
    const row = rel.columns.map((_c, i) => defaultFor(rel, i, scope));
    items.forEach((item, k) => {
      const col = targets[k]!;
      if ("SetToDefault" in item) return;
      row[col] = assign(rel, col, analyzeExpr(item, scope), scope);
    });
    return row;
  });
  return { kind: "values", values: rows, width: rel.columns.length, rows: rows.length };
}

function insertSelect(rel: Relation, targets: readonly number[], select: ast.Node,
  scope: Scope): Plan {
  const sub = analyzeSubquery(select, new Scope(scope.statement, undefined));
  if (sub.columns.length > targets.length) {
    throw new SqlError(SqlState.syntaxError, "INSERT has more expressions than target columns");
  }
  const exprs = rel.columns.map((_c, i) => defaultFor(rel, i, scope));
  sub.columns.forEach((c: OutColumn, k) => {
    const col = targets[k]!;
    const v: Expr = { kind: "var", index: k, type: c.type, typmod: c.typmod, name: c.name,
      tableOid: 0, attnum: 0 };
    exprs[col] = assign(rel, col, v, scope);
  });
  return { kind: "project", input: sub.plan, exprs, srfs: [], width: exprs.length, rows: sub.plan.rows };
}

/** Sets up the target table as the only FROM item and returns its scan. */
function scanTarget(rel: Relation, rv: ast.RangeVar, scope: Scope): Plan {
  const result = analyzeFrom([{ RangeVar: { ...rv, inh: true } }], scope);
  void rel;
  return result.plan;
}

function analyzeUpdate(stmt: ast.UpdateStmt, scope: Scope): PlannedQuery {
  const rel = targetTable(stmt.relation!, scope);
  if ((stmt.fromClause ?? []).length > 0) throw notSupported("UPDATE ... FROM");
  let input = scanTarget(rel, stmt.relation!, scope);
  if (stmt.whereClause !== undefined) {
    scope.clause = "WHERE";
    input = pushFilter(input, asBoolean(analyzeExpr(stmt.whereClause, scope), "WHERE", scope));
  }
  const sets: (Expr | null)[] = rel.columns.map(() => null);
  for (const node of stmt.targetList ?? []) {
    if (!("ResTarget" in node)) continue;
    const name = node.ResTarget.name ?? "";
    const i = rel.columns.findIndex((c) => c.name === name && !c.dropped);
    if (i < 0) {
      throw new SqlError(SqlState.undefinedColumn,
        `column "${name}" of relation "${rel.name}" does not exist`, locationOf(node.ResTarget.location));
    }
    const val = node.ResTarget.val!;
    sets[i] = "SetToDefault" in val ? defaultFor(rel, i, scope)
      : assign(rel, i, analyzeExpr(val, scope), scope);
  }
  const { returning, columns } = analyzeReturning(rel, stmt.returningClause, scope);
  const plan: Plan = { kind: "modify", operation: "update", relation: rel, input, returning,
    spec: { sets, onConflict: null } satisfies ModifySpec, width: returning?.length ?? 0,
    rows: input.rows };
  return { plan, columns, tag: "UPDATE" };
}

function analyzeDelete(stmt: ast.DeleteStmt, scope: Scope): PlannedQuery {
  const rel = targetTable(stmt.relation!, scope);
  if ((stmt.usingClause ?? []).length > 0) throw notSupported("DELETE ... USING");
  let input = scanTarget(rel, stmt.relation!, scope);
  if (stmt.whereClause !== undefined) {
    scope.clause = "WHERE";
    input = pushFilter(input, asBoolean(analyzeExpr(stmt.whereClause, scope), "WHERE", scope));
  }
  const { returning, columns } = analyzeReturning(rel, stmt.returningClause, scope);
  const plan: Plan = { kind: "modify", operation: "delete", relation: rel, input, returning,
    spec: { sets: null, onConflict: null } satisfies ModifySpec, width: returning?.length ?? 0,
    rows: input.rows };
  return { plan, columns, tag: "DELETE" };
}

/** RETURNING: expressions over the written row (the table's columns from position 0). */
function analyzeReturning(rel: Relation, clause: ast.ReturningClause | undefined, scope: Scope):
  { returning: Expr[] | null; columns: OutColumn[] | null } {
  const list = clause?.exprs ?? [];
  if (list.length === 0) return { returning: null, columns: null };
  const own = new Scope(scope.statement, undefined);
  analyzeFrom([{ RangeVar: { relname: rel.name, schemaname: rel.schema, inh: true } }], own);
  const returning: Expr[] = [];
  const columns: OutColumn[] = [];
  for (const node of list) {
    if (!("ResTarget" in node)) continue;
    const val = node.ResTarget.val!;
    if ("ColumnRef" in val && (val.ColumnRef.fields ?? []).some((f) => "A_Star" in f)) {
      for (const item of own.items) {
        for (const c of item.columns) {
          returning.push(c.expr);
          columns.push(outColumn(c.name, c.expr));
        }
      }
      continue;
    }
    const e = analyzeExpr(val, own);
    returning.push(e);
    columns.push(outColumn(node.ResTarget.name ?? figureColname(val), e));
  }
  return { returning, columns };
}

function outColumn(name: string, e: Expr): OutColumn {
  return { name, type: e.type, typmod: e.typmod, tableOid: e.kind === "var" ? e.tableOid : 0,
    attnum: e.kind === "var" ? e.attnum : 0 };
}
