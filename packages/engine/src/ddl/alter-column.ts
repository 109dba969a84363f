/**
 * ALTER TABLE's column subcommands. ADD COLUMN appends a value to every stored row (the
 * default, evaluated per row as Postgres's table rewrite does, so a serial numbers existing
 * rows in order); DROP COLUMN only marks the column dropped, keeping its slot in every row;
 * ALTER COLUMN TYPE converts every live value first and installs them only when all converted.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast, Value } from "@tessera/sql";
import { tryCoerce } from "../analyze/coerce.js";
import type { Expr } from "../analyze/expr.js";
import { analyzeExpr } from "../analyze/expr-analyze.js";
import { defaultFor, tableItem } from "../analyze/modify-target.js";
import { Scope } from "../analyze/scope.js";
import { resolveTypeName } from "../analyze/type-name.js";
import { addColumn } from "../catalog/create-table.js";
import type { Index, Relation } from "../catalog/relation.js";
import { Oid, formatTypeName } from "../catalog/types.js";
import { baseTypeOf } from "../catalog/domains.js";
import { inheritorsOf } from "../catalog/inheritance.js";
import { checkKeyTypes } from "../catalog/foreign-key-types.js";
import { alterSequenceOptions } from "../catalog/sequences.js";
import { defaultOpclass } from "../catalog/access-methods.js";
import { checkBuiltUnique, indexKey, indexTree } from "../catalog/indexes.js";
import { compileExpr } from "../execute/compile.js";
import { StatementWriter, compiledGenerated } from "../execute/row-writer.js";
import { analyzeGenerated, refuseColumnRefs } from "./check-new-table.js";
import type { IndexEntry } from "../storage/btree.js";
import { isLive } from "../storage/table-store.js";
import { columnIndex, mentionsColumn, type AlterContext } from "./alter-table.js";
import { viewsReadingColumn } from "./view-follow.js";
import { refuseSystemColumnChange } from "../catalog/system-column-names.js";
import { dropReadingViews } from "./alter-table-cascade.js";
import { dropColumnTriggers } from "../plpgsql/trigger-checks.js";
import { addConstraintCmd, dropDependentKeys, removeIndex, validateRows }
  from "./alter-constraint.js";

const identityTypes: readonly number[] = [Oid.int2, Oid.int4, Oid.int8];

export function addColumnCmd(a: AlterContext, def: ast.ColumnDef, ifNotExists: boolean): void {
  const { rel, catalog } = a;
  const name = def.colname ?? "";
  if (rel.columns.some((c) => c.name === name && !c.dropped)) {
    const message = `column "${name}" of relation "${rel.name}" already exists`;
    if (ifNotExists) return a.notice(`${message}, skipping`);
    throw new SqlError(SqlState.duplicateColumn, message);
  }
  const identity = (def.constraints ?? []).some((n) => "Constraint" in n &&
    n.Constraint.contype === "CONSTR_IDENTITY");
  if (identity && inheritorsOf(catalog, rel).length > 0) {
    throw new SqlError(SqlState.invalidTableDefinition,
      "cannot recursively add identity column to table that has child tables");
  }
  const deferred: ast.Constraint[] = [];
  const sequences = new Set(catalog.allSequences());
  addColumn(catalog, rel, def, deferred);
  a.undo(() => {
    rel.columns.pop();
    for (const seq of [...catalog.allSequences()]) {
      if (!sequences.has(seq)) catalog.removeSequence(seq);
    }
  });
  const i = rel.columns.length - 1;
  const added = rel.columns[i]!;
  // Analyzed now, as Postgres cooks it: a bad default fails even on an empty table.
  if (added.defaultExpr !== null) {
    refuseColumnRefs(added.defaultExpr);
    defaultFor(rel, i, new Scope(a.statement, undefined));
  }
  if (added.generated !== null) analyzeGenerated(rel, i, a.statement);
  const writer = new StatementWriter(a.rt).table(rel);
  const versions = rel.store.versions;
  for (const version of versions) {
    version.values.push(isLive(version) && added.generated === null
      ? writer.defaultValue(i) : null);
  }
  a.undo(() => { for (const version of versions) version.values.length = i; });
  if (added.generated !== null) {
    const generated = compiledGenerated(rel, a.rt).find((g) => g.index === i)!;
    for (const version of versions) {
      if (isLive(version)) version.values[i] = generated.value(version.values, a.rt);
    }
  }
  if (rel.columns[i]!.notNull) checkNoNulls(a, i);
  for (const c of deferred) addConstraintCmd(a, c);
}

/** DROP COLUMN … CASCADE: drops the views reading the column, then the column. */
function dropColumnAfterViews(a: AlterContext, name: string, missingOk: boolean,
  views: readonly Relation[]): void {
  dropReadingViews(a, views);
  dropColumnCmd(a, name, missingOk, true);
}

export function dropColumnCmd(a: AlterContext, name: string, missingOk: boolean,
  cascade: boolean): void {
  const { rel, catalog } = a;
  refuseSystemColumnChange("drop", name);
  const i = rel.columns.findIndex((c) => c.name === name && !c.dropped);
  if (i < 0) {
    const message = `column "${name}" of relation "${rel.name}" does not exist`;
    if (missingOk) return a.notice(`${message}, skipping`);
    throw new SqlError(SqlState.undefinedColumn, message);
  }
  dropGeneratedDependents(a, name, cascade);
  dropColumnTriggers(a, i, cascade);
  const views = viewsReadingColumn(catalog, rel, name);
  if (views.length > 0) {
    if (cascade) return dropColumnAfterViews(a, name, missingOk, views);
    throw new SqlError(SqlState.dependentObjectsStillExist,
      `cannot drop column ${name} of table ${rel.name} because other objects depend on it`,
      { detail: views.map((v) => `view ${v.name} depends on column ${name} of table ` +
        `${rel.name}`).join("\n"),
      hint: "Use DROP ... CASCADE to drop the dependent objects too." });
  }
  dropDependentKeys(a, (fk) => fk.refColumns.includes(i), cascade,
    (fk, other) => `constraint ${fk.name} on table ${other.name} depends on column ${name} ` +
      `of table ${rel.name}`,
    `cannot drop column ${name} of table ${rel.name} because other objects depend on it`);
  for (const index of rel.indexes.filter((x) => x.columns.includes(i))) removeIndex(a, index);
  const { checks, foreignKeys } = rel;
  rel.checks = checks.filter((c) => !mentionsColumn(c.expr, name));
  rel.foreignKeys = foreignKeys.filter((fk) => !fk.columns.includes(i));
  a.undo(() => {
    rel.checks = checks;
    rel.foreignKeys = foreignKeys;
  });
  for (const seq of [...catalog.allSequences()]) {
    if (seq.ownedBy?.relationOid !== rel.oid || seq.ownedBy.column !== name) continue;
    catalog.removeSequence(seq);
    a.undo(() => catalog.addSequence(seq));
  }
  const column = rel.columns[i]!;
  const saved = { ...column };
  Object.assign(column, { dropped: true, notNull: false, defaultExpr: null,
    name: `........pg.dropped.${i + 1}........` });
  a.undo(() => Object.assign(column, saved));
}

/** Stored generated columns reading `name`: 2BP01, or with CASCADE dropped first. */
function dropGeneratedDependents(a: AlterContext, name: string, cascade: boolean): void {
  const { rel } = a;
  const dependents = rel.columns.filter((c) => c.generated !== null && !c.dropped &&
    c.name !== name && mentionsColumn(c.generated, name));
  if (dependents.length === 0) return;
  if (!cascade) {
    throw new SqlError(SqlState.dependentObjectsStillExist,
      `cannot drop column ${name} of table ${rel.name} because other objects depend on it`,
      { detail: dependents.map((c) => `column ${c.name} of table ${rel.name} depends on ` +
        `column ${name}`).join("\n"),
      hint: "Use DROP ... CASCADE to drop the dependent objects too." });
  }
  for (const c of dependents) {
    a.notice(`drop cascades to column ${c.name} of table ${rel.name}`);
    dropColumnCmd(a, c.name, false, true);
  }
}

/** 42601 for a default or NOT NULL change on an identity column, as Postgres words it. */
function identityColumn(table: string, name: string, hint?: string): SqlError {
  return new SqlError(SqlState.syntaxError,
    `column "${name}" of relation "${table}" is an identity column`,
    hint === undefined ? {} : { hint });
}

export function setDefaultCmd(a: AlterContext, name: string, expr: ast.Node | null): void {
  const column = a.rel.columns[columnIndex(a.rel, name)]!;
  if (column.identity !== null) {
    throw identityColumn(a.rel.name, name, expr !== null ? undefined
      : "Use ALTER TABLE ... ALTER COLUMN ... DROP IDENTITY instead.");
  }
  if (column.generated !== null) {
    throw new SqlError(SqlState.syntaxError,
      `column "${name}" of relation "${a.rel.name}" is a generated column`, expr !== null ? {}
        : { hint: "Use ALTER TABLE ... ALTER COLUMN ... DROP EXPRESSION instead." });
  }
  const saved = column.defaultExpr;
  if (expr !== null) refuseColumnRefs(expr);
  column.defaultExpr = expr;
  a.undo(() => { column.defaultExpr = saved; });
  // Analyzes the new default now, so a bad one fails here rather than at the next INSERT.
  if (expr !== null) defaultFor(a.rel, columnIndex(a.rel, name), new Scope(a.statement, undefined));
}

export function setNotNullCmd(a: AlterContext, name: string, notNull: boolean): void {
  const { rel } = a;
  const i = columnIndex(rel, name);
  const column = rel.columns[i]!;
  if (!notNull && rel.indexes.some((x) => x.primary && x.columns.includes(i))) {
    throw new SqlError(SqlState.invalidTableDefinition, `column "${name}" is in a primary key`);
  }
  if (!notNull && column.identity !== null) throw identityColumn(rel.name, name);
  const saved = column.notNull;
  column.notNull = notNull;
  a.undo(() => { column.notNull = saved; });
  if (notNull && !saved) checkNoNulls(a, i);
}

/** Raises 23502 when a live row holds null in column `i`. */
export function checkNoNulls(a: AlterContext, i: number): void {
  const { rel } = a;
  for (const version of rel.store.versions) {
    if (!isLive(version) || version.values[i] !== null) continue;
    const column = rel.columns[i]!.name;
    throw new SqlError(SqlState.notNullViolation,
      `column "${column}" of relation "${rel.name}" contains null values`,
      { schema: rel.schema, table: rel.name, column });
  }
}

export function alterTypeCmd(a: AlterContext, name: string, def: ast.ColumnDef): void {
  const { rel } = a;
  const i = columnIndex(rel, name);
  const column = rel.columns[i]!;
  const target = resolveTypeName(def.typeName!);
  if (column.identity !== null && !identityTypes.includes(baseTypeOf(target.type).type)) {
    throw new SqlError(SqlState.invalidParameterValue,
      "identity column type must be smallint, integer, or bigint");
  }
  const views = viewsReadingColumn(a.catalog, rel, name);
  if (views.length > 0) {
    throw new SqlError(SqlState.featureNotSupported,
      "cannot alter type of a column used by a view or rule",
      { detail: `rule _RETURN on view ${views[0]!.name} depends on column "${name}"` });
  }
  const generated = rel.columns.find((c) => c.generated !== null && !c.dropped &&
    c !== column && mentionsColumn(c.generated, name));
  if (generated !== undefined) {
    throw new SqlError(SqlState.featureNotSupported,
      "cannot alter type of a column used by a generated column",
      { detail: `Column "${generated.name}" is a generated column.` });
  }
  const convert = compileExpr(usingExpr(a, i, def.raw_default, target));
  checkDefaultCasts(a, i, target);
  const live = rel.store.versions.filter(isLive);
  const values: Value[] = live.map((v) => convert(v.values, a.rt));
  const saved = { type: column.type, typmod: column.typmod };
  const old = live.map((v) => v.values[i] ?? null);
  live.forEach((v, k) => { v.values[i] = values[k]!; });
  Object.assign(column, { type: target.type, typmod: target.typmod });
  a.undo(() => {
    live.forEach((v, k) => { v.values[i] = old[k]!; });
    Object.assign(column, saved);
  });
  recheckKeyTypes(a, i);
  if (column.identity !== null) retypeIdentitySequence(a, name, def.typeName!);
  for (const index of rel.indexes.filter((x) => x.columns.includes(i))) {
    rebuildIndex(a, index, i);
  }
  for (const check of rel.checks) {
    if (mentionsColumn(check.expr, name)) validateRows(a, check);
  }
}

/** An identity column's sequence takes the column's new type (ALTER SEQUENCE … AS). */
function retypeIdentitySequence(a: AlterContext, name: string, typeName: ast.TypeName): void {
  const seq = [...a.catalog.allSequences()].find((s) => s.ownedBy !== null &&
    s.ownedBy.relationOid === a.rel.oid && s.ownedBy.column === name);
  if (seq === undefined) return;
  const before = alterSequenceOptions(seq, [{ DefElem: { defname: "as",
    arg: { TypeName: typeName } } }]);
  a.undo(() => { Object.assign(seq, before); });
}

/** 42804 when column `i`'s new type no longer fits a foreign key it is part of. */
function recheckKeyTypes(a: AlterContext, i: number): void {
  const { rel } = a;
  for (const fk of rel.foreignKeys.filter((f) => f.columns.includes(i))) {
    const parent = a.catalog.relation(fk.refRelationOid);
    if (parent !== undefined) checkKeyTypes(fk.name, rel, fk.columns, parent, fk.refColumns);
  }
  for (const child of a.catalog.allRelations()) {
    for (const fk of child.foreignKeys) {
      if (fk.refRelationOid !== rel.oid || !fk.refColumns.includes(i)) continue;
      checkKeyTypes(fk.name, child, fk.columns, rel, fk.refColumns);
    }
  }
}

/**
 * Raises 42804 when column `i`'s default, as typed for the column now, has no assignment
 * cast to `target` (Postgres recasts the stored default when the column's type changes).
 */
function checkDefaultCasts(a: AlterContext, i: number,
  target: { type: number; typmod: number }): void {
  const column = a.rel.columns[i]!;
  if (column.defaultExpr === null || column.identity !== null) return;
  // The default as stored: typed as the column's type, without its typmod (not applied yet).
  const raw = analyzeExpr(column.defaultExpr, new Scope(a.statement, undefined));
  const typed = tryCoerce(raw, column.type, -1, "a", a.statement.params) ?? raw;
  if (tryCoerce(typed, target.type, -1, "a", a.statement.params) !== undefined) return;
  throw new SqlError(SqlState.datatypeMismatch, `default for column "${column.name}" cannot ` +
    `be cast automatically to type ${formatTypeName(target.type, -1)}`);
}

/** The conversion of column `i` to `target`: its USING expression, or an assignment cast. */
function usingExpr(a: AlterContext, i: number, using: ast.Node | undefined,
  target: { type: number; typmod: number }): Expr {
  const { rel } = a;
  const column = rel.columns[i]!;
  const scope = new Scope(a.statement, undefined);
  scope.items.push(tableItem(rel, rel.name, 0));
  const source: Expr = using !== undefined ? analyzeExpr(using, scope)
    : { kind: "var", index: i, type: column.type, typmod: column.typmod, name: column.name,
      tableOid: rel.oid, attnum: i + 1 };
  const params = a.statement.params;
  const converted = tryCoerce(source, target.type, target.typmod, "a", params);
  if (converted !== undefined) return converted;
  const typeName = formatTypeName(target.type, -1);
  if (using !== undefined) {
    throw new SqlError(SqlState.datatypeMismatch,
      `result of USING clause for column "${column.name}" cannot be cast automatically to ` +
      `type ${typeName}`, { hint: "You might need to add an explicit cast." });
  }
  throw new SqlError(SqlState.datatypeMismatch,
    `column "${column.name}" cannot be cast automatically to type ${typeName}`,
    { hint: `You might need to specify "USING ${column.name}::${typeName}".` });
}

/** Replaces an index with one built over the converted values (new comparisons). */
function rebuildIndex(a: AlterContext, index: Index, changed: number): void {
  const { rel } = a;
  const tree = indexTree(index.columns.map((c, k) =>
    c >= 0 ? rel.columns[c]!.type : index.computed!.types[k]!), index.unique);
  const entries: IndexEntry[] = [];
  for (const version of rel.store.versions) {
    if (!isLive(version)) continue;
    const key = indexKey(index, version.values, a.rt);
    if (key !== null) entries.push({ key, version });
  }
  tree.entries = entries.sort((x, y) => tree.compareKeys(x.key, y.key));
  // Key columns of the new type take its default operator class, as Postgres rebuilds them.
  const opclasses = index.opclasses?.map((o, k) => {
    const c = index.columns[k]!;
    return c === changed
      ? defaultOpclass(index.method ?? "btree", rel.columns[c]!.type)?.oid ?? o : o;
  });
  const rebuilt: Index = { ...index, tree, ...(opclasses !== undefined && { opclasses }) };
  const indexes = rel.indexes;
  rel.indexes = indexes.map((x) => (x === index ? rebuilt : x));
  a.undo(() => { rel.indexes = indexes; });
  if (index.unique) checkBuiltUnique(rel, rebuilt);
}
