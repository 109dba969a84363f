/**
 * CREATE TABLE … INHERITS (p [, …]) as MergeAttributes does it: the parents' columns come
 * first, in the parents' order, a column two parents share merged into one; a column the
 * statement names again is merged with the inherited one (same type, or 42804); NOT NULL,
 * defaults and CHECK constraints are inherited, keys, foreign keys and indexes are not.
 * The statement is rewritten to create the merged columns; `finish` records the hierarchy.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { resolveTypeName } from "../analyze/type-name.js";
import type { StatementScope } from "../analyze/scope.js";
import { isTempSchema } from "../catalog/catalog.js";
import type { CheckConstraint, Column, Relation } from "../catalog/relation.js";
import { formatTypeName } from "../catalog/types.js";
import { removeTable } from "../catalog/create-table.js";

interface Inherited {
  readonly column: Column;
  count: number;
  local: boolean;
  def: ast.ColumnDef;
}

export interface InheritCreate {
  readonly stmt: ast.CreateStmt;
  finish(rel: Relation): void;
}

/** The rewritten statement of a table with INHERITS, or undefined for other tables. */
export function inheritCreate(create: ast.CreateStmt, statement: StatementScope,
  notice: (message: string) => void): InheritCreate | undefined {
  if (create.partbound !== undefined || (create.inhRelations ?? []).length === 0) {
    return undefined;
  }
  if (create.partspec !== undefined) {
    throw new SqlError(SqlState.invalidTableDefinition,
      "cannot create partitioned table as inheritance child");
  }
  const parents = resolveParents(create, statement);
  const merged = new Map<string, Inherited>();
  for (const parent of parents) mergeParent(merged, parent, notice);
  const rest: ast.Node[] = [];
  for (const elt of create.tableElts ?? []) {
    const def = "ColumnDef" in elt ? elt.ColumnDef : undefined;
    const into = def === undefined ? undefined : merged.get(def.colname ?? "");
    if (def === undefined || into === undefined) rest.push(elt);
    else mergeLocal(into, def, notice);
  }
  const columns = [...merged.values()].map((m): ast.Node => ({ ColumnDef: m.def }));
  return {
    stmt: { ...create, tableElts: [...columns, ...rest], inhRelations: [] },
    finish: (rel) => {
      try {
        finishChild(rel, parents, merged, notice);
      } catch (error) {
        removeTable(statement.catalog, rel);
        throw error;
      }
    },
  };
}

function resolveParents(create: ast.CreateStmt, statement: StatementScope): Relation[] {
  const parents: Relation[] = [];
  const temp = create.relation?.relpersistence === "t";
  for (const node of create.inhRelations ?? []) {
    const rv = "RangeVar" in node ? node.RangeVar : {};
    const parent = statement.catalog.findRelation(statement.path, rv.schemaname,
      rv.relname ?? "");
    if (parent === undefined) {
      throw new SqlError(SqlState.undefinedTable, `relation "${rv.relname}" does not exist`);
    }
    checkParent(parent, temp);
    if (parents.includes(parent)) {
      throw new SqlError(SqlState.duplicateTable,
        `relation "${parent.name}" would be inherited from more than once`);
    }
    parents.push(parent);
  }
  return parents;
}

/** 42809 for what cannot be a parent (MergeAttributes's checks). */
export function checkParent(parent: Relation, temp: boolean): void {
  const fail = (message: string): SqlError => new SqlError(SqlState.wrongObjectType, message);
  if (parent.partitionKey !== undefined) {
    throw fail(`cannot inherit from partitioned table "${parent.name}"`);
  }
  if (parent.partitionOf !== undefined) {
    throw fail(`cannot inherit from partition "${parent.name}"`);
  }
  if (parent.kind !== "r" || parent.virtualRows !== undefined) {
    throw fail(`inherited relation "${parent.name}" is not a table or foreign table`);
  }
  if (!temp && isTempSchema(parent.schema)) {
    throw fail(`cannot inherit from temporary relation "${parent.name}"`);
  }
}

function typeText(c: { type: number; typmod: number }): string {
  return formatTypeName(c.type, c.typmod);
}

function mergeParent(merged: Map<string, Inherited>, parent: Relation,
  notice: (message: string) => void): void {
  for (const c of parent.columns) {
    if (c.dropped) continue;
    const known = merged.get(c.name);
    if (known === undefined) {
      merged.set(c.name, { column: c, count: 1, local: false, def: inheritedDef(c) });
      continue;
    }
    notice(`merging multiple inherited definitions of column "${c.name}"`);
    if (known.column.type !== c.type || known.column.typmod !== c.typmod) {
      throw new SqlError(SqlState.datatypeMismatch,
        `inherited column "${c.name}" has a type conflict`,
        { detail: `${typeText(known.column)} versus ${typeText(c)}` });
    }
    known.count++;
    const constraints = known.def.constraints ?? [];
    if (c.notNull && !known.column.notNull && !hasConstraint(constraints, "CONSTR_NOTNULL")) {
      constraints.push({ Constraint: { contype: "CONSTR_NOTNULL" } });
    }
    if (c.defaultExpr !== null && !hasConstraint(constraints, "CONSTR_DEFAULT")) {
      constraints.push({ Constraint: { contype: "CONSTR_DEFAULT", raw_expr: c.defaultExpr } });
    }
    known.def = { ...known.def, constraints };
  }
}

function hasConstraint(list: readonly ast.Node[], kind: string): boolean {
  return list.some((n) => "Constraint" in n && n.Constraint.contype === kind);
}

/** The column definition that gives a child an inherited column. */
function inheritedDef(c: Column): ast.ColumnDef {
  const constraints: ast.Node[] = [];
  if (c.notNull) constraints.push({ Constraint: { contype: "CONSTR_NOTNULL" } });
  if (c.defaultExpr !== null && c.identity === null) {
    constraints.push({ Constraint: { contype: "CONSTR_DEFAULT", raw_expr: c.defaultExpr } });
  }
  if (c.generated !== null) {
    constraints.push({ Constraint: { contype: "CONSTR_GENERATED", generated_when: "a",
      raw_expr: c.generated } });
  }
  return { colname: c.name, typeName: { typeOid: c.type, typemod: c.typmod }, is_local: false,
    constraints };
}

/** A column the statement declares that a parent gave already (42804 on another type). */
function mergeLocal(into: Inherited, def: ast.ColumnDef, notice: (message: string) => void):
  void {
  const name = def.colname ?? "";
  notice(`merging column "${name}" with inherited definition`);
  const type = resolveTypeName(def.typeName!);
  if (type.type !== into.column.type || type.typmod !== into.column.typmod) {
    throw new SqlError(SqlState.datatypeMismatch, `column "${name}" has a type conflict`,
      { detail: `${typeText(into.column)} versus ${typeText(type)}` });
  }
  const own = (def.constraints ?? []).filter((n) => !("Constraint" in n) ||
    n.Constraint.contype !== "CONSTR_NULL");
  const replacesDefault = hasConstraint(own, "CONSTR_DEFAULT");
  const kept = (into.def.constraints ?? []).filter((n) => !replacesDefault ||
    !("Constraint" in n) || n.Constraint.contype !== "CONSTR_DEFAULT");
  const notNull = hasConstraint(kept, "CONSTR_NOTNULL");
  into.def = { ...into.def, constraints: [...kept, ...own.filter((n) => !notNull ||
    !("Constraint" in n) || n.Constraint.contype !== "CONSTR_NOTNULL")] };
  into.local = true;
}

/** Records the new child's parents and what it inherited (attinhcount, coninhcount). */
function finishChild(rel: Relation, parents: readonly Relation[],
  inherited: ReadonlyMap<string, Inherited>, notice: (message: string) => void): void {
  for (const c of rel.columns) {
    const m = inherited.get(c.name);
    if (m === undefined) continue;
    c.inhCount = m.count;
    if (!m.local) c.inheritedOnly = true;
  }
  const checks = new Map<string, { check: CheckConstraint; count: number }>();
  for (const parent of parents) {
    for (const check of parent.checks) {
      if (check.noInherit === true) continue;
      const known = checks.get(check.name);
      if (known === undefined) checks.set(check.name, { check, count: 1 });
      else known.count++;
    }
  }
  let merged = rel.checks;
  for (const { check, count } of checks.values()) {
    merged = mergeCheck(rel, merged, check, count, notice);
  }
  rel.checks = merged;
  rel.inheritsFrom = parents.map((p) => p.oid);
  for (const parent of parents) {
    parent.hasSubclass = true;
    parent.version++;
  }
  rel.version++;
}

/** The child's checks with an inherited one added (or merged with a local one of its name). */
export function mergeCheck(rel: Relation, checks: readonly CheckConstraint[],
  check: CheckConstraint, count: number, notice: (message: string) => void):
  CheckConstraint[] {
  const own = checks.find((c) => c.name === check.name);
  if (own === undefined) {
    const { notValid: _, ...rest } = check;
    return [...checks, { ...rest, inhCount: count, inheritedOnly: true }];
  }
  if (exprText(own.expr) !== exprText(check.expr)) {
    throw new SqlError(SqlState.duplicateObject, `constraint "${check.name}" conflicts with ` +
      `inherited constraint on relation "${rel.name}"`);
  }
  if (own.inhCount === undefined) {
    notice(`merging constraint "${check.name}" with inherited definition`);
  }
  return checks.map((c) => (c !== own ? c
    : { ...own, inhCount: (own.inhCount ?? 0) + count }));
}

/** An expression's tree without source positions, to compare two CHECKs. */
function exprText(expr: ast.Node): string {
  return JSON.stringify(expr, (key, value: unknown) => (key === "location" ? undefined : value));
}
