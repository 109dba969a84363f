/**
 * CREATE TYPE … AS ENUM, ALTER TYPE … ADD VALUE [IF NOT EXISTS] … [BEFORE | AFTER …],
 * ALTER TYPE … RENAME VALUE … TO …, and DROP TYPE [IF EXISTS] … [CASCADE | RESTRICT], with
 * PostgreSQL's errors. The types live in `catalog/enum-types.ts`; each change records its
 * undo on the statement's undo log, so ROLLBACK (and a failed statement) takes it back.
 *
 * DROP TYPE refuses (2BP01) while a column or a SQL function uses the type; CASCADE, which
 * would drop those columns, is refused with 0A000.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import { EnumLabels, type ast, type EnumLabel } from "@tessera/sql";
import type { StatementScope } from "../analyze/scope.js";
import type { Catalog } from "../catalog/catalog.js";
import { bumpCatalogEpoch } from "../catalog/catalog-epoch.js";
import {
  addEnumType, findEnumType, removeEnumType, type EnumType,
} from "../catalog/enum-types.js";
import { findRowType } from "../catalog/row-types.js";
import type { Engine } from "../engine.js";

/** The longest label PostgreSQL accepts (NAMEDATALEN - 1 bytes). */
const labelBytesMax = 63;

/** Records `undo` on the running statement's undo log; undoing makes plans stale. */
export function recordUndo(engine: Engine, statement: StatementScope, undo: () => void): void {
  engine.txns.runOf(statement.ctx)?.undo.record({ kind: "custom", undo: () => {
    undo();
    bumpCatalogEpoch();
  } });
}

export function qualifiedName(nodes: readonly ast.Node[] | undefined):
  { schema: string | undefined; name: string } {
  const parts = (nodes ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : ""));
  return { schema: parts.length > 1 ? parts[parts.length - 2] : undefined,
    name: parts[parts.length - 1] ?? "" };
}

function checkLabel(label: string): void {
  if (label.length === 0 || Buffer.byteLength(label) > labelBytesMax) {
    throw new SqlError(SqlState.invalidParameterValue, `invalid enum label "${label}"`,
      { detail: `Labels must be ${labelBytesMax} bytes or less.` });
  }
}

/**
 * The schema a new type `name` goes into (`given`, else the creation schema), after 3F000
 * when it does not exist and 42710 when a type of that name is already there.
 */
export function newTypeSchema(catalog: Catalog, path: readonly string[],
  given: string | undefined, name: string): string {
  const schema = given ?? catalog.creationSchema(path);
  if (!catalog.schemaExists(schema)) {
    throw new SqlError(SqlState.invalidSchemaName, `schema "${schema}" does not exist`);
  }
  if (findRowType(catalog, [schema], schema, name) !== undefined) {
    throw new SqlError(SqlState.duplicateObject, `type "${name}" already exists`);
  }
  return schema;
}

export function createEnum(engine: Engine, stmt: ast.CreateEnumStmt,
  statement: StatementScope): string {
  const { catalog, path } = statement;
  const { schema: given, name } = qualifiedName(stmt.typeName);
  const schema = newTypeSchema(catalog, path, given, name);
  const values = (stmt.vals ?? []).map((v) => ("String" in v ? v.String.sval ?? "" : ""));
  // PostgreSQL's DefineEnum assigns the array type's OID first.
  const arrayOid = catalog.allocateOid();
  const oid = catalog.allocateOid();
  const seen = new Set<string>();
  for (const label of values) {
    checkLabel(label);
    if (seen.has(label)) {
      throw new SqlError(SqlState.uniqueViolation,
        "duplicate key value violates unique constraint \"pg_enum_typid_label_index\"",
        { detail: `Key (enumtypid, enumlabel)=(${oid}, ${label}) already exists.` });
    }
    seen.add(label);
  }
  const labels = values.map((label, i): EnumLabel =>
    ({ oid: catalog.allocateOid(), label, sortOrder: i + 1 }));
  const type: EnumType = { oid, arrayOid, schema, name, labels: new EnumLabels(name, labels) };
  addEnumType(catalog, type);
  recordUndo(engine, statement, () => removeEnumType(catalog, type));
  return "CREATE TYPE";
}

function enumNamed(catalog: Catalog, path: readonly string[], nodes: ast.Node[] | undefined):
  EnumType {
  const { schema, name } = qualifiedName(nodes);
  const found = findEnumType(catalog, path, schema, name);
  if (found !== undefined) return found;
  if (findRowType(catalog, path, schema, name) !== undefined) {
    throw new SqlError(SqlState.wrongObjectType, `${name} is not an enum`);
  }
  throw new SqlError(SqlState.undefinedObject, `type "${name}" does not exist`);
}

export function alterEnum(engine: Engine, stmt: ast.AlterEnumStmt,
  statement: StatementScope, notice: (message: string) => void): string {
  const type = enumNamed(statement.catalog, statement.path, stmt.typeName);
  const before = [...type.labels.labels];
  const newVal = stmt.newVal ?? "";
  const exists = before.some((l) => l.label === newVal);
  if (stmt.oldVal !== undefined && stmt.oldVal !== "") {
    const old = before.find((l) => l.label === stmt.oldVal);
    if (old === undefined) {
      throw new SqlError(SqlState.invalidParameterValue,
        `"${stmt.oldVal}" is not an existing enum label`);
    }
    if (exists) {
      throw new SqlError(SqlState.duplicateObject, `enum label "${newVal}" already exists`);
    }
    checkLabel(newVal);
    type.labels.replace(before.map((l) => (l === old ? { ...l, label: newVal } : l)));
  } else {
    if (exists) {
      if (stmt.skipIfNewValExists === true) {
        notice(`enum label "${newVal}" already exists, skipping`);
        return "ALTER TYPE";
      }
      throw new SqlError(SqlState.duplicateObject, `enum label "${newVal}" already exists`);
    }
    checkLabel(newVal);
    const sortOrder = newSortOrder(before, stmt.newValNeighbor, stmt.newValIsAfter === true);
    type.labels.replace([...before,
      { oid: statement.catalog.allocateOid(), label: newVal, sortOrder }]);
  }
  recordUndo(engine, statement, () => type.labels.replace(before));
  return "ALTER TYPE";
}

/** The sort order of a new label: last, or halfway to its neighbour's next one. */
function newSortOrder(labels: readonly EnumLabel[], neighbor: string | undefined,
  after: boolean): number {
  if (neighbor === undefined || neighbor === "") {
    return labels.length === 0 ? 1 : labels[labels.length - 1]!.sortOrder + 1;
  }
  const at = labels.findIndex((l) => l.label === neighbor);
  if (at < 0) {
    throw new SqlError(SqlState.invalidParameterValue,
      `"${neighbor}" is not an existing enum label`);
  }
  const low = after ? labels[at]!.sortOrder
    : (labels[at - 1]?.sortOrder ?? labels[at]!.sortOrder - 1);
  const high = after ? (labels[at + 1]?.sortOrder ?? labels[at]!.sortOrder + 1)
    : labels[at]!.sortOrder;
  return (low + high) / 2;
}

/** Who uses a type: "column m of table t", "function f(mood)"; a hook adds functions. */
export type TypeUsers = (catalog: Catalog, typeOids: readonly number[]) => string[];

const userFinders: TypeUsers[] = [columnsUsing];

/** Adds a finder of objects that depend on types (SQL functions register one). */
export function addTypeUsers(finder: TypeUsers): void {
  userFinders.push(finder);
}

/** The users of `typeOids` other than columns (functions), as "function f(integer)". */
export function nonColumnTypeUsers(catalog: Catalog, typeOids: readonly number[]): string[] {
  return userFinders.filter((f) => f !== columnsUsing).flatMap((f) => f(catalog, typeOids));
}

/**
 * DROP TYPE's check: 2BP01 naming every column and function that uses one of `typeOids`;
 * with CASCADE 0A000, since dropping those users is not built.
 */
export function refuseDroppingUsedType(catalog: Catalog, typeName: string,
  typeOids: readonly number[], behavior: ast.DropStmt["behavior"]): void {
  const users = userFinders.flatMap((f) => f(catalog, typeOids));
  if (users.length === 0) return;
  if (behavior === "DROP_CASCADE") {
    throw notSupported("DROP TYPE … CASCADE of a type that columns or functions use");
  }
  throw new SqlError(SqlState.dependentObjectsStillExist,
    `cannot drop type ${typeName} because other objects depend on it`,
    { detail: users.map((u) => `${u} depends on type ${typeName}`).join("\n"),
      hint: "Use DROP ... CASCADE to drop the dependent objects too." });
}

/** The columns of tables and views whose type is one of `typeOids`, as DROP TYPE names them. */
function columnsUsing(catalog: Catalog, typeOids: readonly number[]): string[] {
  const out: string[] = [];
  for (const rel of catalog.allRelations()) {
    if (rel.virtualRows !== undefined) continue;
    for (const column of rel.columns) {
      if (column.dropped || !typeOids.includes(column.type)) continue;
      out.push(`column ${column.name} of ${rel.kind === "v" ? "view" : "table"} ${rel.name}`);
    }
  }
  return out;
}

export function dropTypes(engine: Engine, stmt: ast.DropStmt, statement: StatementScope,
  notice: (message: string) => void): string {
  const { catalog, path } = statement;
  const targets: EnumType[] = [];
  for (const object of stmt.objects ?? []) {
    const typeName = "TypeName" in object ? object.TypeName : undefined;
    const { schema, name } = qualifiedName(typeName?.names);
    const found = findEnumType(catalog, path, schema, name);
    if (found !== undefined) {
      targets.push(found);
      continue;
    }
    if (findRowType(catalog, path, schema, name) !== undefined) {
      throw notSupported(`DROP TYPE of a table's row type "${name}"`);
    }
    if (stmt.missing_ok === true) {
      notice(`type "${name}" does not exist, skipping`);
      continue;
    }
    throw new SqlError(SqlState.undefinedObject, `type "${name}" does not exist`);
  }
  for (const type of targets) {
    refuseDroppingUsedType(catalog, type.name, [type.oid, type.arrayOid], stmt.behavior);
  }
  for (const type of targets) {
    removeEnumType(catalog, type);
    recordUndo(engine, statement, () => addEnumType(catalog, type));
  }
  return "DROP TYPE";
}
