/**
 * CREATE TYPE name AS (attr type, …), DROP TYPE of such types, and ALTER TYPE … ADD / DROP /
 * RENAME ATTRIBUTE, with PostgreSQL's errors (typecmds.c, tablecmds.c). The types live in
 * `catalog/composite-types.ts`; each change records its undo on the statement's undo log, so
 * ROLLBACK (and a failed statement) takes it back, and the WAL replays the statement.
 *
 * DROP TYPE refuses (2BP01) while a column or another composite type uses the type; CASCADE,
 * which would drop those columns, is refused with 0A000. ALTER TYPE refuses (0A000) while a
 * column uses the type: stored values would need rewriting to the new attributes.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { StatementScope } from "../analyze/scope.js";
import { resolveTypeName } from "../analyze/type-name.js";
import type { Catalog } from "../catalog/catalog.js";
import {
  addCompositeType, compositeTypesOf, findCompositeType, removeCompositeType,
  renameCompositeType, type CompositeAttribute, type CompositeType,
} from "../catalog/composite-types.js";
import { findRowType } from "../catalog/row-types.js";
import { Oid, typeInfo } from "../catalog/types.js";
import type { Engine } from "../engine.js";
import { newTypeSchema, nonColumnTypeUsers, qualifiedName, recordUndo } from "./enum-ddl.js";

/** The most attributes a composite type may have (MaxHeapAttributeNumber). */
const attributesMax = 1600;

function attributeOf(def: ast.Node, statement: StatementScope): CompositeAttribute {
  const column = "ColumnDef" in def ? def.ColumnDef : undefined;
  if (column === undefined) throw notSupported("a composite type element other than a column");
  if (column.collClause !== undefined) throw notSupported("COLLATE in a composite type");
  const { catalog, path } = statement;
  const resolved = resolveTypeName(column.typeName!, (s, n) => findRowType(catalog, path, s, n));
  if (resolved.type === Oid.unknown || typeInfo(resolved.type).category === "P") {
    throw new SqlError(SqlState.invalidTableDefinition,
      `column "${column.colname ?? ""}" has pseudo-type ${typeInfo(resolved.type).sqlName}`);
  }
  return { name: column.colname ?? "", type: resolved.type, typmod: resolved.typmod };
}

function checkAttributes(attributes: readonly CompositeAttribute[]): void {
  if (attributes.length > attributesMax) {
    throw new SqlError(SqlState.tooManyColumns,
      `tables can have at most ${attributesMax} columns`);
  }
  const seen = new Set<string>();
  for (const { name } of attributes) {
    if (seen.has(name)) {
      throw new SqlError(SqlState.duplicateColumn, `column "${name}" specified more than once`);
    }
    seen.add(name);
  }
}

export function createCompositeType(engine: Engine, stmt: ast.CompositeTypeStmt,
  statement: StatementScope): string {
  const { catalog, path } = statement;
  const name = stmt.typevar?.relname ?? "";
  const schema = newTypeSchema(catalog, path, stmt.typevar?.schemaname, name);
  if (catalog.nameTaken(schema, name)) {
    throw new SqlError(SqlState.duplicateTable, `relation "${name}" already exists`);
  }
  const attributes = (stmt.coldeflist ?? []).map((d) => attributeOf(d, statement));
  checkAttributes(attributes);
  const relOid = catalog.allocateOid();
  const arrayOid = catalog.allocateOid();
  const oid = catalog.allocateOid();
  const type: CompositeType = { oid, arrayOid, relOid, schema, name, attributes };
  addCompositeType(catalog, type);
  recordUndo(engine, statement, () => removeCompositeType(catalog, type));
  return "CREATE TYPE";
}

/** The type's name as format_type prints it: schema-qualified unless the path finds it. */
function displayName(statement: StatementScope, type: CompositeType): string {
  const visible = findCompositeType(statement.catalog, statement.path, undefined, type.name);
  return visible === type ? type.name : `${type.schema}.${type.name}`;
}

/**
 * Who uses a type, as Postgres lists them: columns of its array type, functions, columns of
 * the type, then attributes of other composite types (except those in `dropping`).
 */
function usersOf(statement: StatementScope, type: CompositeType,
  dropping: ReadonlySet<CompositeType>): string[] {
  const { catalog } = statement;
  const shown = displayName(statement, type);
  const named = (oid: number): string | undefined =>
    oid === type.oid ? shown : oid === type.arrayOid ? `${shown}[]` : undefined;
  const out: string[] = [];
  const functions = nonColumnTypeUsers(catalog, [type.oid, type.arrayOid])
    .map((user) => `${user} depends on type ${shown}`);
  // Postgres reaches the columns of the array type first (the array depends on the type).
  for (const oid of [type.arrayOid, type.oid]) {
    if (oid === type.oid) out.push(...functions);
    for (const rel of catalog.allRelations()) {
      if (rel.virtualRows !== undefined) continue;
      for (const column of rel.columns) {
        if (column.dropped || column.type !== oid) continue;
        const used = named(oid)!;
        const kind = rel.kind === "v" ? "view" : rel.kind === "m" ? "materialized view"
          : "table";
        out.push(`column ${column.name} of ${kind} ${rel.name} depends on type ${used}`);
      }
    }
  }
  for (const other of compositeTypesOf(catalog).values()) {
    if (dropping.has(other)) continue;
    for (const attribute of other.attributes) {
      const used = named(attribute.type);
      if (used === undefined) continue;
      out.push(`column ${attribute.name} of composite type ${other.name} depends on type ${used}`);
    }
  }
  return out;
}

/**
 * DROP TYPE when every named type that exists is a composite type: returns the tag, or
 * undefined to leave the statement to `enum-ddl.ts`.
 */
export function dropCompositeTypes(engine: Engine, stmt: ast.DropStmt,
  statement: StatementScope, notice: (message: string) => void): string | undefined {
  const { catalog, path } = statement;
  const targets: CompositeType[] = [];
  const missing: string[] = [];
  for (const object of stmt.objects ?? []) {
    const typeName = "TypeName" in object ? object.TypeName : undefined;
    const { schema, name } = qualifiedName(typeName?.names);
    const found = findCompositeType(catalog, path, schema, name);
    if (found !== undefined) targets.push(found);
    else if (findRowType(catalog, path, schema, name) !== undefined) return undefined;
    else missing.push(name);
  }
  if (targets.length === 0) return undefined;
  for (const name of missing) {
    if (stmt.missing_ok !== true) {
      throw new SqlError(SqlState.undefinedObject, `type "${name}" does not exist`);
    }
    notice(`type "${name}" does not exist, skipping`);
  }
  const dropping = new Set(targets);
  for (const type of targets) {
    const users = usersOf(statement, type, dropping);
    if (users.length === 0) continue;
    if (stmt.behavior === "DROP_CASCADE") {
      throw notSupported("DROP TYPE … CASCADE of a composite type that columns use");
    }
    throw new SqlError(SqlState.dependentObjectsStillExist,
      `cannot drop type ${displayName(statement, type)} because other objects depend on it`,
      { detail: users.join("\n"),
        hint: "Use DROP ... CASCADE to drop the dependent objects too." });
  }
  for (const type of targets) {
    removeCompositeType(catalog, type);
    recordUndo(engine, statement, () => addCompositeType(catalog, type));
  }
  return "DROP TYPE";
}

function compositeNamed(statement: StatementScope, rv: ast.RangeVar | undefined):
  CompositeType {
  const name = rv?.relname ?? "";
  const found = findCompositeType(statement.catalog, statement.path, rv?.schemaname, name);
  if (found !== undefined) return found;
  if (findRowType(statement.catalog, statement.path, rv?.schemaname, name) !== undefined) {
    throw new SqlError(SqlState.wrongObjectType, `"${name}" is not a composite type`);
  }
  throw new SqlError(SqlState.undefinedObject, `type "${name}" does not exist`);
}

function refuseWhenUsed(catalog: Catalog, type: CompositeType): void {
  for (const rel of catalog.allRelations()) {
    if (rel.virtualRows !== undefined) continue;
    const column = rel.columns.find((c) => !c.dropped &&
      (c.type === type.oid || c.type === type.arrayOid));
    if (column === undefined) continue;
    throw notSupported(`ALTER TYPE of composite type "${type.name}" while column ` +
      `"${rel.name}.${column.name}" uses it`);
  }
}

/** ALTER TYPE name ADD / DROP ATTRIBUTE …: every subcommand in order, undone together. */
export function alterCompositeType(engine: Engine, stmt: ast.AlterTableStmt,
  statement: StatementScope, notice: (message: string) => void): string {
  const type = compositeNamed(statement, stmt.relation);
  refuseWhenUsed(statement.catalog, type);
  const before = type.attributes;
  let attributes = [...before];
  for (const node of stmt.cmds ?? []) {
    const cmd = "AlterTableCmd" in node ? node.AlterTableCmd : undefined;
    if (cmd?.subtype === "AT_AddColumn" && cmd.def !== undefined) {
      const added = attributeOf(cmd.def, statement);
      if (attributes.some((a) => a.name === added.name)) {
        throw new SqlError(SqlState.duplicateColumn,
          `column "${added.name}" of relation "${type.name}" already exists`);
      }
      attributes.push(added);
      checkAttributes(attributes);
    } else if (cmd?.subtype === "AT_DropColumn") {
      const name = cmd.name ?? "";
      if (!attributes.some((a) => a.name === name)) {
        if (cmd.missing_ok === true) {
          notice(`column "${name}" of relation "${type.name}" does not exist, skipping`);
          continue;
        }
        throw new SqlError(SqlState.undefinedColumn,
          `column "${name}" of relation "${type.name}" does not exist`);
      }
      attributes = attributes.filter((a) => a.name !== name);
    } else {
      throw notSupported("this ALTER TYPE action on a composite type");
    }
  }
  type.attributes = attributes;
  recordUndo(engine, statement, () => {
    type.attributes = before;
  });
  return "ALTER TYPE";
}

/** ALTER TYPE name RENAME ATTRIBUTE a TO b, and ALTER TYPE name RENAME TO n. */
export function renameComposite(engine: Engine, stmt: ast.RenameStmt,
  statement: StatementScope): string {
  const { catalog } = statement;
  if (stmt.renameType === "OBJECT_ATTRIBUTE") {
    const type = compositeNamed(statement, stmt.relation);
    refuseWhenUsed(catalog, type);
    const before = type.attributes;
    const from = stmt.subname ?? "";
    const to = stmt.newname ?? "";
    if (!before.some((a) => a.name === from)) {
      throw new SqlError(SqlState.undefinedColumn, `column "${from}" does not exist`);
    }
    if (before.some((a) => a.name === to)) {
      throw new SqlError(SqlState.duplicateColumn,
        `column "${to}" of relation "${type.name}" already exists`);
    }
    type.attributes = before.map((a) => (a.name === from ? { ...a, name: to } : a));
    recordUndo(engine, statement, () => {
      type.attributes = before;
    });
    return "ALTER TYPE";
  }
  const nodes = stmt.object !== undefined && "List" in stmt.object
    ? stmt.object.List.items : undefined;
  const { schema, name } = qualifiedName(nodes);
  const type = findCompositeType(catalog, statement.path, schema, name)!;
  const to = stmt.newname ?? "";
  if (findRowType(catalog, [type.schema], type.schema, to) !== undefined ||
    catalog.nameTaken(type.schema, to)) {
    throw new SqlError(SqlState.duplicateObject, `type "${to}" already exists`);
  }
  const old = type.name;
  renameCompositeType(catalog, type, to);
  recordUndo(engine, statement, () => renameCompositeType(catalog, type, old));
  return "ALTER TYPE";
}

/** True when a RENAME statement renames a composite type or one of its attributes. */
export function renamesComposite(stmt: ast.RenameStmt, statement: StatementScope): boolean {
  if (stmt.renameType === "OBJECT_ATTRIBUTE") return true;
  if (stmt.renameType !== "OBJECT_TYPE") return false;
  const nodes = stmt.object !== undefined && "List" in stmt.object
    ? stmt.object.List.items : undefined;
  const { schema, name } = qualifiedName(nodes);
  return findCompositeType(statement.catalog, statement.path, schema, name) !== undefined;
}
