/**
 * ALTER TABLE on tables in an inheritance hierarchy (`catalog/inheritance.ts`), as
 * tablecmds.c recurses: ADD / DROP COLUMN, ALTER COLUMN TYPE, SET / DROP DEFAULT, SET / DROP
 * NOT NULL and ADD / DROP CHECK run on the children too unless the statement said ONLY;
 * what a child inherited it may not drop, rename or retype alone (42P16); INHERIT p and
 * NO INHERIT p tie and untie a child. attinhcount and coninhcount count the parents that
 * gave a column or CHECK; a column or CHECK no parent gives any more becomes the child's own.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { descendantsOf, inheritorsOf, inheritsFromTable } from "../catalog/inheritance.js";
import type { Catalog } from "../catalog/catalog.js";
import type { CheckConstraint, Column, Relation } from "../catalog/relation.js";
import type { AlterContext } from "./alter-table.js";
import { checkParent, mergeCheck } from "./inherits.js";

/** Whether each statement's subcommands recurse (no ONLY); children's contexts always do. */
const recursing = new WeakMap<AlterContext, boolean>();
/** Contexts made for a child while a parent's subcommand recursed. */
const fromParent = new WeakSet<AlterContext>();

export function noteInheritRecursion(a: AlterContext, rv: ast.RangeVar): void {
  recursing.set(a, rv.inh === true);
}

type Run = (a: AlterContext, cmd: ast.AlterTableCmd) => void;

const invalid = (message: string): SqlError =>
  new SqlError(SqlState.invalidTableDefinition, message);

function childContext(a: AlterContext, child: Relation): AlterContext {
  const ctx: AlterContext = { ...a, rel: child };
  fromParent.add(ctx);
  recursing.set(ctx, true);
  return ctx;
}

function liveColumn(rel: Relation, name: string): Column | undefined {
  return rel.columns.find((c) => c.name === name && !c.dropped);
}

/** Sets fields of a column, recording how to put them back. */
function patchColumn(a: AlterContext, column: Column, patch: Partial<Column>): void {
  const before = { inhCount: column.inhCount, inheritedOnly: column.inheritedOnly };
  a.undo(() => Object.assign(column, before));
  Object.assign(column, patch);
}

function setChecks(a: AlterContext, rel: Relation, checks: CheckConstraint[]): void {
  const before = rel.checks;
  a.undo(() => {
    rel.checks = before;
  });
  rel.checks = checks;
}

/**
 * Runs one subcommand with inheritance in mind: INHERIT and NO INHERIT here, others through
 * `run` (the partition-aware runner), then on the children. Returns false to let the caller
 * run a subcommand inheritance has no part in.
 */
export function runInherited(a: AlterContext, cmd: ast.AlterTableCmd, run: Run): boolean {
  const subtype = cmd.subtype ?? "";
  if (subtype === "AT_AddInherit") {
    addInherit(a, (cmd.def as { RangeVar: ast.RangeVar }).RangeVar);
    return true;
  }
  if (subtype === "AT_DropInherit") {
    dropInherit(a, (cmd.def as { RangeVar: ast.RangeVar }).RangeVar);
    return true;
  }
  const children = a.rel.hasSubclass === true ? inheritorsOf(a.catalog, a.rel) : [];
  if (children.length === 0 && !inheritsSomething(a.rel)) return false;
  checkOwnCommand(a, cmd, children);
  if (subtype === "AT_AddColumn") {
    run(a, cmd);
    const def = (cmd.def as { ColumnDef: ast.ColumnDef }).ColumnDef;
    for (const child of children) addColumnToChild(childContext(a, child), def, cmd, run);
    return true;
  }
  if (subtype === "AT_DropColumn") return dropRecursing(a, cmd, children, run, "column");
  if (subtype === "AT_DropConstraint" &&
    a.rel.checks.some((c) => c.name === cmd.name && c.noInherit !== true)) {
    return dropRecursing(a, cmd, children, run, "check");
  }
  if (subtype === "AT_AddConstraint") return addCheckRecursing(a, cmd, children, run);
  run(a, cmd);
  if (recursing.get(a) === true && recursedKinds.has(subtype)) {
    for (const child of children) {
      const ctx = childContext(a, child);
      if (!runInherited(ctx, cmd, run)) run(ctx, cmd);
    }
  }
  return true;
}

const recursedKinds = new Set(["AT_AlterColumnType", "AT_ColumnDefault", "AT_SetNotNull",
  "AT_DropNotNull"]);

function inheritsSomething(rel: Relation): boolean {
  return (rel.inheritsFrom ?? []).length > 0;
}

/** The 42P16s of a subcommand on a table of a hierarchy, before anything runs. */
function checkOwnCommand(a: AlterContext, cmd: ast.AlterTableCmd, children: Relation[]): void {
  const subtype = cmd.subtype ?? "";
  const name = cmd.name ?? "";
  const column = liveColumn(a.rel, name);
  const inherited = (column?.inhCount ?? 0) > 0 && !fromParent.has(a);
  const only = recursing.get(a) !== true && children.length > 0;
  if (subtype === "AT_DropColumn" && inherited) {
    throw invalid(`cannot drop inherited column "${name}"`);
  }
  if (subtype === "AT_AlterColumnType" && inherited) {
    throw invalid(`cannot alter inherited column "${name}"`);
  }
  if (subtype === "AT_AlterColumnType" && only) {
    throw invalid(`type of inherited column "${name}" must be changed in child tables too`);
  }
  if (subtype === "AT_AddColumn" && only) throw invalid("column must be added to child tables too");
  const check = a.rel.checks.find((c) => c.name === name);
  if (subtype === "AT_DropConstraint" && (check?.inhCount ?? 0) > 0 && !fromParent.has(a)) {
    throw invalid(`cannot drop inherited constraint "${name}" of relation "${a.rel.name}"`);
  }
  const def = cmd.def !== undefined && "Constraint" in cmd.def ? cmd.def.Constraint : undefined;
  if (subtype === "AT_AddConstraint" && def?.contype === "CONSTR_CHECK" && only &&
    def.is_no_inherit !== true) {
    throw invalid("constraint must be added to child tables too");
  }
}

/** ADD COLUMN reaching a child: merged with a column of the name, else added as inherited. */
function addColumnToChild(a: AlterContext, def: ast.ColumnDef, cmd: ast.AlterTableCmd,
  run: Run): void {
  const name = def.colname ?? "";
  const parentColumn = liveColumn(parentOfContext(a, name), name);
  const own = liveColumn(a.rel, name);
  if (own !== undefined && parentColumn !== undefined) {
    if (own.type !== parentColumn.type || own.typmod !== parentColumn.typmod) {
      throw new SqlError(SqlState.datatypeMismatch,
        `child table "${a.rel.name}" has different type for column "${name}"`);
    }
    a.notice(`merging definition of column "${name}" for child "${a.rel.name}"`);
    patchColumn(a, own, { inhCount: (own.inhCount ?? 0) + 1 });
    return;
  }
  const inheritable = (def.constraints ?? []).filter((n) => "Constraint" in n &&
    ["CONSTR_NOTNULL", "CONSTR_NULL", "CONSTR_DEFAULT"].includes(n.Constraint.contype ?? ""));
  const childDef = { ...def, constraints: inheritable };
  const grandchildren = a.rel.hasSubclass === true ? inheritorsOf(a.catalog, a.rel) : [];
  run(a, { ...cmd, def: { ColumnDef: childDef } });
  const added = liveColumn(a.rel, name);
  if (added !== undefined) patchColumn(a, added, { inhCount: 1, inheritedOnly: true });
  for (const g of grandchildren) addColumnToChild(childContext(a, g), childDef, cmd, run);
}

/** The parent whose subcommand made this child context (any parent with the column). */
function parentOfContext(a: AlterContext, name: string): Relation {
  for (const oid of a.rel.inheritsFrom ?? []) {
    const p = a.catalog.relation(oid);
    if (p !== undefined && liveColumn(p, name) !== undefined) return p;
  }
  return a.rel;
}

/**
 * DROP COLUMN or DROP CONSTRAINT (a CHECK) on a parent: a child's copy goes too when this
 * parent was its only source and the child did not declare it; otherwise the child keeps it
 * with one parent fewer (and as its own under ONLY).
 */
function dropRecursing(a: AlterContext, cmd: ast.AlterTableCmd, children: Relation[],
  run: Run, what: "column" | "check"): boolean {
  const name = cmd.name ?? "";
  run(a, cmd);
  const recurse = recursing.get(a) === true;
  for (const child of children) {
    const ctx = childContext(a, child);
    if (what === "column") {
      const column = liveColumn(child, name);
      if (column === undefined) continue;
      const count = (column.inhCount ?? 1) - 1;
      if (recurse && count === 0 && column.inheritedOnly === true) {
        runInherited(ctx, cmd, run);
        continue;
      }
      patchColumn(a, column, { inhCount: count,
        inheritedOnly: recurse ? column.inheritedOnly : false });
      continue;
    }
    const check = child.checks.find((c) => c.name === name);
    if (check === undefined) continue;
    const count = (check.inhCount ?? 1) - 1;
    if (recurse && count === 0 && check.inheritedOnly === true) {
      runInherited(ctx, cmd, run);
      continue;
    }
    const { inheritedOnly, inhCount: _, ...rest } = check;
    const kept: CheckConstraint = { ...rest, ...(count > 0 && { inhCount: count }),
      ...(recurse && inheritedOnly === true && { inheritedOnly }) };
    setChecks(a, child, child.checks.map((c) => (c === check ? kept : c)));
  }
  return true;
}

/** ADD CONSTRAINT … CHECK on a parent: the children get it (merged with one of its name). */
function addCheckRecursing(a: AlterContext, cmd: ast.AlterTableCmd, children: Relation[],
  run: Run): boolean {
  const def = (cmd.def as { Constraint: ast.Constraint }).Constraint;
  const before = new Set(a.rel.checks);
  run(a, cmd);
  if (def.contype !== "CONSTR_CHECK" || def.is_no_inherit === true) return true;
  const added = a.rel.checks.find((c) => !before.has(c));
  if (added === undefined) return true;
  const named: ast.AlterTableCmd = { ...cmd,
    def: { Constraint: { ...def, conname: added.name } } };
  for (const child of children) {
    const ctx = childContext(a, child);
    const own = child.checks.find((c) => c.name === added.name);
    if (own !== undefined) {
      setChecks(a, child, mergeCheck(child, child.checks, added, 1, a.notice));
      continue;
    }
    runInherited(ctx, named, run) || run(ctx, named);
    const made = child.checks.find((c) => c.name === added.name);
    if (made === undefined) continue;
    setChecks(a, child, child.checks.map((c) => (c !== made ? c
      : { ...made, inhCount: 1, inheritedOnly: true })));
  }
  return true;
}

function findParent(a: AlterContext, rv: ast.RangeVar): Relation {
  const parent = a.catalog.findRelation(a.statement.path, rv.schemaname, rv.relname ?? "");
  if (parent === undefined) {
    throw new SqlError(SqlState.undefinedTable, `relation "${rv.relname}" does not exist`);
  }
  return parent;
}

/** ALTER TABLE c INHERIT p: c must have p's columns (same types, NOT NULL) and CHECKs. */
function addInherit(a: AlterContext, rv: ast.RangeVar): void {
  const { rel } = a;
  const parent = findParent(a, rv);
  if (rel.partitionOf !== undefined || rel.partitionKey !== undefined) {
    throw new SqlError(SqlState.wrongObjectType, "cannot change inheritance of a partition");
  }
  checkParent(parent, true);
  if (inheritsFromTable(a.catalog, parent, rel)) {
    throw new SqlError(SqlState.duplicateTable, "circular inheritance not allowed",
      { detail: `"${parent.name}" is already a child of "${rel.name}".` });
  }
  if ((rel.inheritsFrom ?? []).includes(parent.oid)) {
    throw new SqlError(SqlState.duplicateTable,
      `relation "${parent.name}" would be inherited from more than once`);
  }
  const mismatch = (message: string): SqlError =>
    new SqlError(SqlState.datatypeMismatch, message);
  const columns = parent.columns.filter((c) => !c.dropped).map((pc) => {
    const column = liveColumn(rel, pc.name);
    if (column === undefined) throw mismatch(`child table is missing column "${pc.name}"`);
    if (column.type !== pc.type || column.typmod !== pc.typmod) {
      throw mismatch(`child table "${rel.name}" has different type for column "${pc.name}"`);
    }
    if (pc.notNull && !column.notNull) {
      throw mismatch(`column "${pc.name}" in child table must be marked NOT NULL`);
    }
    return column;
  });
  const checks = rel.checks.slice();
  for (const pc of parent.checks) {
    if (pc.noInherit === true) continue;
    const i = checks.findIndex((c) => c.name === pc.name);
    if (i < 0) throw mismatch(`child table is missing constraint "${pc.name}"`);
    if (exprKey(checks[i]!.expr) !== exprKey(pc.expr)) {
      throw mismatch(`child table "${rel.name}" has different definition for check ` +
        `constraint "${pc.name}"`);
    }
    checks[i] = { ...checks[i]!, inhCount: (checks[i]!.inhCount ?? 0) + 1 };
  }
  for (const c of columns) patchColumn(a, c, { inhCount: (c.inhCount ?? 0) + 1 });
  setChecks(a, rel, checks);
  setParents(a, rel, [...(rel.inheritsFrom ?? []), parent.oid]);
  const had = parent.hasSubclass;
  a.undo(() => {
    parent.hasSubclass = had;
  });
  parent.hasSubclass = true;
  parent.version++;
}

/** ALTER TABLE c NO INHERIT p: what only p gave becomes c's own. */
function dropInherit(a: AlterContext, rv: ast.RangeVar): void {
  const { rel } = a;
  const parent = findParent(a, rv);
  if (!(rel.inheritsFrom ?? []).includes(parent.oid)) {
    throw new SqlError(SqlState.undefinedTable,
      `relation "${parent.name}" is not a parent of relation "${rel.name}"`);
  }
  for (const pc of parent.columns) {
    const column = pc.dropped ? undefined : liveColumn(rel, pc.name);
    if (column === undefined) continue;
    const count = Math.max((column.inhCount ?? 1) - 1, 0);
    patchColumn(a, column, { inhCount: count,
      inheritedOnly: count === 0 ? false : column.inheritedOnly });
  }
  const names = new Set(parent.checks.filter((c) => c.noInherit !== true).map((c) => c.name));
  setChecks(a, rel, rel.checks.map((c): CheckConstraint => {
    if (!names.has(c.name)) return c;
    const { inhCount, inheritedOnly, ...rest } = c;
    const count = Math.max((inhCount ?? 1) - 1, 0);
    return { ...rest, ...(count > 0 && { inhCount: count }),
      ...(count > 0 && inheritedOnly === true && { inheritedOnly }) };
  }));
  setParents(a, rel, (rel.inheritsFrom ?? []).filter((oid) => oid !== parent.oid));
}

function setParents(a: AlterContext, rel: Relation, parents: readonly number[]): void {
  const before = rel.inheritsFrom;
  a.undo(() => {
    rel.inheritsFrom = before;
  });
  rel.inheritsFrom = parents;
}

function exprKey(expr: ast.Node): string {
  return JSON.stringify(expr, (key, value: unknown) => (key === "location" ? undefined : value));
}

/**
 * The tables RENAME COLUMN renames: the table and, without ONLY, its descendants holding the
 * column; 42P16 for an inherited column named on a child, or ONLY on a parent.
 */
export function columnRenameTargets(catalog: Catalog, rel: Relation, rv: ast.RangeVar,
  name: string): Relation[] {
  if ((liveColumn(rel, name)?.inhCount ?? 0) > 0) {
    throw invalid(`cannot rename inherited column "${name}"`);
  }
  const below = descendantsOf(catalog, rel).filter((c) => liveColumn(c, name) !== undefined);
  if (below.length > 0 && rv.inh !== true) {
    throw invalid(`inherited column "${name}" must be renamed in child tables too`);
  }
  return [rel, ...below];
}
