/**
 * ALTER TABLE's constraint subcommands. ADD CONSTRAINT checks the rows already stored, as
 * Postgres does: a PRIMARY KEY or UNIQUE builds its index (failing on duplicates, then on
 * nulls for a primary key), a CHECK or FOREIGN KEY scans the live rows unless NOT VALID.
 * DROP CONSTRAINT of a key that other tables' foreign keys reference needs CASCADE.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { analyzeExpr, asBoolean } from "../analyze/expr-analyze.js";
import { tableItem } from "../analyze/modify-target.js";
import { Scope } from "../analyze/scope.js";
import { addConstraint } from "../catalog/create-table.js";
import type { CheckConstraint, ForeignKey, Index, Relation } from "../catalog/relation.js";
import { compileExpr } from "../execute/compile.js";
import { checkForeignKey } from "../execute/foreign-keys.js";
import { validateExclusion } from "../execute/exclusion-check.js";
import { isLive } from "../storage/table-store.js";
import { checkNoNulls } from "./alter-column.js";
import { analyzeCheck } from "./check-new-table.js";
import type { AlterContext } from "./alter-table.js";

export function addConstraintCmd(a: AlterContext, c: ast.Constraint): void {
  const { rel, catalog } = a;
  // An index-backed constraint creates its index first, whose name may be taken.
  const indexed = c.contype === "CONSTR_UNIQUE" || c.contype === "CONSTR_PRIMARY" ||
    c.contype === "CONSTR_EXCLUSION";
  if (indexed && c.indexname === undefined && c.conname !== undefined &&
    catalog.nameTaken(rel.schema, c.conname)) {
    throw new SqlError(SqlState.duplicateTable, `relation "${c.conname}" already exists`);
  }
  if (c.conname !== undefined && constraintNames(rel).includes(c.conname)) {
    throw new SqlError(SqlState.duplicateObject,
      `constraint "${c.conname}" for relation "${rel.name}" already exists`);
  }
  if (c.indexname !== undefined) return addConstraintUsingIndex(a, c);
  // Copies: adding a constraint pushes onto these arrays in place.
  const before = { indexes: [...rel.indexes], checks: [...rel.checks],
    foreignKeys: [...rel.foreignKeys], notNull: rel.columns.map((col) => col.notNull) };
  a.undo(() => {
    for (const index of rel.indexes) {
      if (!before.indexes.includes(index)) catalog.releaseName(rel.schema, index.name);
    }
    Object.assign(rel, { indexes: before.indexes, checks: before.checks,
      foreignKeys: before.foreignKeys });
    rel.columns.forEach((col, i) => { col.notNull = before.notNull[i]!; });
  });
  addConstraint(catalog, a.statement.path, rel, c, a.statement, a.rt);
  const validate = c.skip_validation !== true;
  switch (c.contype) {
    case "CONSTR_PRIMARY": {
      const index = rel.indexes[rel.indexes.length - 1]!;
      for (const i of index.columns) if (!before.notNull[i]) checkNoNulls(a, i);
      return;
    }
    case "CONSTR_CHECK": {
      const check = rel.checks[rel.checks.length - 1]!;
      analyzeCheck(rel, check.expr, a.statement);
      if (validate) validateRows(a, check);
      else rel.checks[rel.checks.length - 1] = { ...check, notValid: true };
      return;
    }
    case "CONSTR_FOREIGN": {
      const fk = rel.foreignKeys[rel.foreignKeys.length - 1]!;
      if (validate) validateForeignKey(a, fk);
      else rel.foreignKeys[rel.foreignKeys.length - 1] = { ...fk, notValid: true };
      return;
    }
    case "CONSTR_EXCLUSION":
      validateExclusion(rel, rel.indexes[rel.indexes.length - 1]!, a.rt);
      return;
    default:
      return;
  }
}

/** Raises 23514 when a live row fails `check`. */
export function validateRows(a: AlterContext, check: CheckConstraint): void {
  const { rel } = a;
  const scope = new Scope(a.statement, undefined);
  scope.items.push(tableItem(rel, rel.name, 0));
  const test = compileExpr(asBoolean(analyzeExpr(check.expr, scope), "CHECK", scope));
  for (const version of rel.store.versions) {
    if (!isLive(version) || test(version.values, a.rt) !== false) continue;
    throw new SqlError(SqlState.checkViolation,
      `check constraint "${check.name}" of relation "${rel.name}" is violated by some row`,
      { schema: rel.schema, table: rel.name, constraint: check.name });
  }
}

function validateForeignKey(a: AlterContext, fk: ForeignKey): void {
  for (const version of a.rel.store.versions) {
    if (isLive(version)) checkForeignKey(a.rel, fk, version.values, a.rt);
  }
}

export function validateConstraintCmd(a: AlterContext, name: string): void {
  const { rel } = a;
  const check = rel.checks.find((c) => c.name === name);
  if (check !== undefined) {
    validateRows(a, check);
    const { notValid: _n, ...valid } = check;
    const before = rel.checks;
    rel.checks = before.map((c) => (c === check ? valid : c));
    a.undo(() => { rel.checks = before; });
    return;
  }
  const fk = rel.foreignKeys.find((f) => f.name === name);
  if (fk !== undefined) {
    validateForeignKey(a, fk);
    const { notValid: _n, ...valid } = fk;
    const before = rel.foreignKeys;
    rel.foreignKeys = before.map((f) => (f === fk ? valid : f));
    a.undo(() => { rel.foreignKeys = before; });
    return;
  }
  if (!constraintNames(a.rel).includes(name)) {
    throw new SqlError(SqlState.undefinedObject,
      `constraint "${name}" of relation "${a.rel.name}" does not exist`);
  }
}

export function dropConstraintCmd(a: AlterContext, name: string, missingOk: boolean,
  cascade: boolean): void {
  const { rel } = a;
  const { checks, foreignKeys } = rel;
  if (checks.some((c) => c.name === name) || foreignKeys.some((f) => f.name === name)) {
    rel.checks = checks.filter((c) => c.name !== name);
    rel.foreignKeys = foreignKeys.filter((f) => f.name !== name);
    a.undo(() => Object.assign(rel, { checks, foreignKeys }));
    return;
  }
  const index = rel.indexes.find((i) => i.constraintName === name);
  if (index === undefined) {
    const message = `constraint "${name}" of relation "${rel.name}" does not exist`;
    if (missingOk) return a.notice(`${message}, skipping`);
    throw new SqlError(SqlState.undefinedObject, message);
  }
  dropDependentKeys(a, (fk) => fk.refColumns.length === index.columns.length &&
    fk.refColumns.every((c, k) => c === index.columns[k]), cascade,
  (fk, other) => `constraint ${fk.name} on table ${other.name} depends on index ${index.name}`,
  `cannot drop constraint ${name} on table ${rel.name} because other objects depend on it`);
  removeIndex(a, index);
}

/**
 * Finds other tables' foreign keys into this table that `depends` picks: raises 2BP01 listing
 * them, or with CASCADE drops them with a notice each.
 */
export function dropDependentKeys(a: AlterContext, depends: (fk: ForeignKey) => boolean,
  cascade: boolean, describe: (fk: ForeignKey, other: Relation) => string, message: string): void {
  const found: { other: Relation; fk: ForeignKey }[] = [];
  for (const other of a.catalog.allRelations()) {
    for (const fk of other.foreignKeys) {
      if (fk.refRelationOid === a.rel.oid && depends(fk)) found.push({ other, fk });
    }
  }
  if (found.length === 0) return;
  if (!cascade) {
    throw new SqlError(SqlState.dependentObjectsStillExist, message, {
      detail: found.map(({ fk, other }) => describe(fk, other)).join("\n"),
      hint: "Use DROP ... CASCADE to drop the dependent objects too." });
  }
  for (const { other, fk } of found) {
    a.notice(`drop cascades to constraint ${fk.name} on table ${other.name}`);
    const saved = other.foreignKeys;
    other.foreignKeys = saved.filter((x) => x !== fk);
    a.undo(() => { other.foreignKeys = saved; });
  }
}

export function removeIndex(a: AlterContext, index: Index): void {
  const { rel, catalog } = a;
  const indexes = rel.indexes;
  rel.indexes = indexes.filter((x) => x !== index);
  catalog.releaseName(rel.schema, index.name);
  a.undo(() => {
    rel.indexes = indexes;
    catalog.claimName(rel.schema, index.name, index.oid);
  });
}

/** Every constraint name of a table: checks, foreign keys, key indexes. */
function constraintNames(rel: Relation): string[] {
  return [...rel.checks.map((c) => c.name), ...rel.foreignKeys.map((f) => f.name),
    ...rel.indexes.flatMap((i) => (i.constraintName === null ? [] : [i.constraintName]))];
}

/**
 * ALTER CONSTRAINT … [NOT] DEFERRABLE [INITIALLY DEFERRED | IMMEDIATE]: Postgres 15 changes
 * only a foreign key's timing; any other constraint is 42809.
 */
export function alterConstraintCmd(a: AlterContext, def: ast.Node | undefined): void {
  const spec = def !== undefined && "ATAlterConstraint" in def ? def.ATAlterConstraint
    : def !== undefined && "Constraint" in def ? def.Constraint : undefined;
  const name = spec?.conname ?? "";
  const { rel } = a;
  const fk = rel.foreignKeys.find((f) => f.name === name);
  if (fk === undefined) {
    if (!constraintNames(rel).includes(name)) {
      throw new SqlError(SqlState.undefinedObject,
        `constraint "${name}" of relation "${rel.name}" does not exist`);
    }
    throw new SqlError(SqlState.wrongObjectType,
      `constraint "${name}" of relation "${rel.name}" is not a foreign key constraint`);
  }
  const initDeferred = spec?.initdeferred === true;
  const deferrable = spec?.deferrable === true || initDeferred;
  const { deferrable: _d, initDeferred: _i, ...rest } = fk;
  const changed: ForeignKey = { ...rest, ...(deferrable && { deferrable: true }),
    ...(initDeferred && { initDeferred: true }) };
  const before = rel.foreignKeys;
  rel.foreignKeys = before.map((f) => (f === fk ? changed : f));
  a.undo(() => { rel.foreignKeys = before; });
}

/**
 * ADD CONSTRAINT c { UNIQUE | PRIMARY KEY } USING INDEX i: an existing unique index over plain
 * columns becomes the constraint's index, renamed to the constraint's name (with Postgres's
 * NOTICE); a primary key also makes its columns NOT NULL, checking the rows.
 */
function addConstraintUsingIndex(a: AlterContext, c: ast.Constraint): void {
  const { rel, catalog } = a;
  const index = rel.indexes.find((i) => i.name === c.indexname);
  if (index === undefined) {
    throw new SqlError(SqlState.undefinedObject, `index "${c.indexname}" does not exist`);
  }
  const primary = c.contype === "CONSTR_PRIMARY";
  if (index.constraintName !== null) {
    throw new SqlError(SqlState.objectNotInPrerequisiteState,
      `index "${index.name}" is already associated with a constraint`);
  }
  if (!index.unique) {
    throw new SqlError(SqlState.wrongObjectType, `"${index.name}" is not a unique index`,
      { detail: "Cannot create a primary key or unique constraint using such an index." });
  }
  if (index.computed !== undefined) {
    throw new SqlError(SqlState.wrongObjectType, index.computed.predicate !== null
      ? `"${index.name}" is a partial index` : `index "${index.name}" contains expressions`,
    { detail: "Cannot create a primary key or unique constraint using such an index." });
  }
  if (primary && rel.indexes.some((i) => i.primary)) {
    throw new SqlError(SqlState.invalidTableDefinition,
      `multiple primary keys for table "${rel.name}" are not allowed`);
  }
  const name = c.conname ?? index.name;
  if (name !== index.name) {
    if (catalog.nameTaken(rel.schema, name)) {
      throw new SqlError(SqlState.duplicateTable, `relation "${name}" already exists`);
    }
    a.notice(`ALTER TABLE / ADD CONSTRAINT USING INDEX will rename index "${index.name}" ` +
      `to "${name}"`);
    catalog.releaseName(rel.schema, index.name);
    catalog.claimName(rel.schema, name, index.oid);
  }
  const oldName = index.name;
  const changed: Index = { ...index, name, constraintName: name, primary,
    ...((c.deferrable === true || c.initdeferred === true) && { deferrable: true }),
    ...(c.initdeferred === true && { initDeferred: true }) };
  const before = rel.indexes;
  const notNull = rel.columns.map((col) => col.notNull);
  rel.indexes = before.map((i) => (i === index ? changed : i));
  a.undo(() => {
    rel.indexes = before;
    rel.columns.forEach((col, i) => { col.notNull = notNull[i]!; });
    if (name !== oldName) {
      catalog.releaseName(rel.schema, name);
      catalog.claimName(rel.schema, oldName, index.oid);
    }
  });
  if (!primary) return;
  for (const col of index.columns) {
    if (rel.columns[col]!.notNull) continue;
    rel.columns[col]!.notNull = true;
    checkNoNulls(a, col);
  }
}
