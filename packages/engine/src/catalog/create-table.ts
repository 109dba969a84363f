/**
 * CREATE TABLE: columns with types, defaults, NOT NULL, identity and serial columns, and the
 * table constraints (PRIMARY KEY, UNIQUE, CHECK, FOREIGN KEY, EXCLUDE: `exclusion.ts`) named as
 * Postgres names them: t_pkey, t_a_key, t_a_check, t_a_fkey, t_a_excl, t_id_seq.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { resolveTypeName } from "../analyze/type-name.js";
import { TableStore } from "../storage/table-store.js";
import { isTempSchema, type Catalog } from "./catalog.js";
import { createIndex } from "./indexes.js";
import { addExclusion, exclusionOnPartitioned } from "./exclusion.js";
import type { StatementScope } from "../analyze/scope.js";
import type { Runtime } from "../execute/runtime.js";
import type { Column, FkAction, Relation } from "./relation.js";
import { ownedSequence } from "./sequences.js";
import { addLikeColumns } from "./table-like.js";
import { checkKeyTypes } from "./foreign-key-types.js";
import { checkForeignKeyReferences } from "./fk-permissions.js";
import { unusedConstraintName } from "./constraint-names.js";
import { baseTypeOf } from "./domains.js";
import { refuseSystemColumnName } from "./system-column-names.js";
import { qualifiedNameText } from "./qualified-name.js";
import { Oid, formatTypeName, typeInfo } from "./types.js";

/** Creates the table; returns it, or undefined when IF NOT EXISTS skipped it. */
export function createTable(catalog: Catalog, path: readonly string[], stmt: ast.CreateStmt,
  notice: (message: string) => void, statement?: StatementScope): Relation | undefined {
  const rv = stmt.relation!;
  const name = rv.relname ?? "";
  const schema = rv.schemaname ?? catalog.creationSchema(path);
  if (!catalog.schemaExists(schema)) {
    throw new SqlError(SqlState.invalidSchemaName, `schema "${schema}" does not exist`);
  }
  if (catalog.nameTaken(schema, name)) {
    if (stmt.if_not_exists === true) {
      notice(`relation "${name}" already exists, skipping`);
      return undefined;
    }
    throw new SqlError(SqlState.duplicateTable, `relation "${name}" already exists`);
  }
  const relation: Relation = { oid: catalog.allocateOid(), kind: "r", schema, name, columns: [],
    store: new TableStore(), indexes: [], checks: [], foreignKeys: [], viewQuery: null,
    version: 0 };
  const deferred: ast.Constraint[] = [];
  try {
    for (const elt of stmt.tableElts ?? []) {
      if ("ColumnDef" in elt) addColumn(catalog, relation, elt.ColumnDef, deferred);
      else if ("Constraint" in elt) deferred.push(elt.Constraint);
      else if ("TableLikeClause" in elt) {
        addLikeColumns(catalog, path, relation, elt.TableLikeClause, deferred);
      } else throw notSupported(`table element ${Object.keys(elt)[0]}`);
    }
    catalog.addRelation(relation);
    if (stmt.partspec !== undefined && deferred.some((c) => c.contype === "CONSTR_EXCLUSION")) {
      throw exclusionOnPartitioned();
    }
    for (const c of deferred) addConstraint(catalog, path, relation, c, statement);
  } catch (error) {
    removeTable(catalog, relation);
    throw error;
  }
  return relation;
}

/** 42804 for COLLATE on a column whose type (or array element) is not a string type. */
function refuseCollation(type: number): void {
  const base = baseTypeOf(type).type;
  const info = typeInfo(base);
  const element = info.elem !== 0 ? typeInfo(info.elem) : info;
  if (element.category === "S") return;
  throw new SqlError(SqlState.datatypeMismatch,
    `collations are not supported by type ${formatTypeName(type, -1)}`);
}

/**
 * transformColumnDefinition's 42601s: NULL against NOT NULL (a serial is NOT NULL), two
 * defaults (a serial has one), two identities or generation expressions, or two of default,
 * identity and generation expression; 22023 for an identity of a non-integer type.
 */
function checkColumnSpec(relation: Relation, name: string, type: number, serial: boolean,
  constraints: readonly ast.Node[]): void {
  const fail = (what: string): SqlError => new SqlError(SqlState.syntaxError,
    `${what} for column "${name}" of table "${relation.name}"`);
  const kinds = constraints.flatMap((n) => ("Constraint" in n ? [n.Constraint.contype] : []));
  if (serial) kinds.push("CONSTR_DEFAULT", "CONSTR_NOTNULL");
  const count = (k: string): number => kinds.filter((x) => x === k).length;
  let nullness: string | undefined;
  for (const kind of kinds) {
    // An identity column is implicitly NOT NULL.
    const k = kind === "CONSTR_IDENTITY" ? "CONSTR_NOTNULL" : kind;
    if (k !== "CONSTR_NULL" && k !== "CONSTR_NOTNULL") continue;
    if (nullness !== undefined && nullness !== k) {
      throw fail("conflicting NULL/NOT NULL declarations");
    }
    nullness = k;
  }
  if (count("CONSTR_DEFAULT") > 1) throw fail("multiple default values specified");
  if (count("CONSTR_IDENTITY") > 1) throw fail("multiple identity specifications");
  if (count("CONSTR_GENERATED") > 1) throw fail("multiple generation clauses specified");
  const has = (k: string): boolean => count(k) > 0;
  if (has("CONSTR_DEFAULT") && has("CONSTR_IDENTITY")) {
    throw fail("both default and identity specified");
  }
  if (has("CONSTR_DEFAULT") && has("CONSTR_GENERATED")) {
    throw fail("both default and generation expression specified");
  }
  if (has("CONSTR_IDENTITY") && has("CONSTR_GENERATED")) {
    throw fail("both identity and generation expression specified");
  }
  const integers: readonly number[] = [Oid.int2, Oid.int4, Oid.int8];
  if (has("CONSTR_IDENTITY") && !integers.includes(baseTypeOf(type).type)) {
    throw new SqlError(SqlState.invalidParameterValue,
      "identity column type must be smallint, integer, or bigint");
  }
}

/** A column's NULL or NOT NULL; 42601 when the column said the other before. */
function nullness(relation: Relation, column: Column, notNull: boolean,
  said: { notNull?: boolean }): void {
  if (said.notNull !== undefined && said.notNull !== notNull) {
    throw new SqlError(SqlState.syntaxError, `conflicting NULL/NOT NULL declarations for ` +
      `column "${column.name}" of table "${relation.name}"`);
  }
  said.notNull = notNull;
  if (notNull) column.notNull = true;
}

/** Removes a table with its indexes and the sequences its columns own. */
export function removeTable(catalog: Catalog, relation: Relation): void {
  catalog.removeRelation(relation);
  for (const seq of [...catalog.allSequences()]) {
    if (seq.ownedBy?.relationOid === relation.oid) catalog.removeSequence(seq);
  }
}

export function addColumn(catalog: Catalog, relation: Relation, def: ast.ColumnDef,
  deferred: ast.Constraint[]): void {
  const name = def.colname ?? "";
  if (relation.columns.some((c) => c.name === name && !c.dropped)) {
    throw new SqlError(SqlState.duplicateColumn,
      `column "${name}" specified more than once`);
  }
  refuseSystemColumnName(name);
  const type = resolveTypeName(def.typeName!);
  if (def.collClause !== undefined) refuseCollation(type.type);
  const column: Column = { name, type: type.type, typmod: type.typmod, notNull: false,
    defaultExpr: null, identity: null, generated: null, dropped: false };
  const serial = ["serial", "bigserial", "smallserial", "serial4", "serial8", "serial2"]
    .includes(type.name);
  checkColumnSpec(relation, name, type.type, serial, def.constraints ?? []);
  if (serial) {
    const seq = createOwnedSequence(catalog, relation, name, type.type, undefined);
    column.notNull = true;
    column.defaultExpr = nextvalCall(seq);
  }
  const said: { notNull?: boolean } = {};
  for (const node of def.constraints ?? []) {
    if (!("Constraint" in node)) continue;
    const c = node.Constraint;
    switch (c.contype) {
      case "CONSTR_NOTNULL": case "CONSTR_NULL":
        nullness(relation, column, c.contype === "CONSTR_NOTNULL", said);
        break;
      case "CONSTR_DEFAULT": column.defaultExpr = c.raw_expr ?? null; break;
      case "CONSTR_IDENTITY": {
        const seq = createOwnedSequence(catalog, relation, name, type.type, c.options);
        column.identity = c.generated_when === "a" ? "a" : "d";
        column.notNull = true;
        column.defaultExpr = nextvalCall(seq);
        break;
      }
      case "CONSTR_GENERATED": column.generated = c.raw_expr ?? null; break;
      case "CONSTR_PRIMARY": case "CONSTR_UNIQUE": case "CONSTR_CHECK": case "CONSTR_FOREIGN":
        deferred.push({ ...c, keys: c.keys ?? [{ String: { sval: name } }],
          fk_attrs: c.fk_attrs ?? [{ String: { sval: name } }] });
        break;
      case "CONSTR_ATTR_DEFERRABLE": case "CONSTR_ATTR_NOT_DEFERRABLE":
      case "CONSTR_ATTR_DEFERRED": case "CONSTR_ATTR_IMMEDIATE":
        applyTimingAttribute(deferred, def.constraints!.indexOf(node), def.constraints!, c);
        break;
      default: break;
    }
  }
  relation.columns.push(column);
}

function nextvalCall(seq: string): ast.Node {
  return { FuncCall: { funcname: [{ String: { sval: "nextval" } }],
    args: [{ A_Const: { sval: { sval: seq } } }] } };
}

/**
 * Creates the sequence a serial or identity column owns, named `t_c_seq` (with a number when
 * taken) unless an identity's options name it (`SEQUENCE NAME s`, as pg_dump writes it).
 */
export function createOwnedSequence(catalog: Catalog, relation: Relation, column: string,
  type: number, options: readonly ast.Node[] | undefined): string {
  const named = (options ?? []).find((o) => "DefElem" in o &&
    o.DefElem.defname === "sequence_name");
  const rest = (options ?? []).filter((o) => o !== named);
  const parts = named !== undefined && "DefElem" in named && named.DefElem.arg !== undefined &&
    "List" in named.DefElem.arg ? (named.DefElem.arg.List.items ?? [])
      .map((n) => ("String" in n ? n.String.sval ?? "" : "")) : [];
  const schema = parts.length > 1 ? parts[parts.length - 2]! : relation.schema;
  let name = parts[parts.length - 1] ?? `${relation.name}_${column}_seq`;
  if (!catalog.schemaExists(schema)) {
    throw new SqlError(SqlState.invalidSchemaName, `schema "${schema}" does not exist`);
  }
  if (parts.length > 0 && catalog.nameTaken(schema, name)) {
    throw new SqlError(SqlState.duplicateTable, `relation "${name}" already exists`);
  }
  for (let i = 1; catalog.nameTaken(schema, name); i++) name = `${relation.name}_${column}_seq${i}`;
  catalog.addSequence(ownedSequence({ oid: catalog.allocateOid(), schema, name,
    type, ownedBy: { relationOid: relation.oid, column } }, rest));
  // Quoted as regclass input reads it, so a mixed-case name finds its sequence.
  return qualifiedNameText(schema, name);
}

/**
 * A column constraint's [NOT] DEFERRABLE / INITIALLY {DEFERRED | IMMEDIATE}: the parser gives
 * them as entries after the constraint they qualify (Postgres's transformConstraintAttrs).
 */
function applyTimingAttribute(queued: ast.Constraint[], at: number, list: readonly ast.Node[],
  attr: ast.Constraint): void {
  const prior = list.slice(0, at).reverse()
    .find((n) => "Constraint" in n && !(n.Constraint.contype ?? "").startsWith("CONSTR_ATTR"));
  const target = prior !== undefined && "Constraint" in prior ? prior.Constraint : undefined;
  const keyed = ["CONSTR_PRIMARY", "CONSTR_UNIQUE", "CONSTR_FOREIGN"];
  const what = attr.contype === "CONSTR_ATTR_DEFERRABLE" ? "DEFERRABLE"
    : attr.contype === "CONSTR_ATTR_NOT_DEFERRABLE" ? "NOT DEFERRABLE"
    : attr.contype === "CONSTR_ATTR_DEFERRED" ? "INITIALLY DEFERRED" : "INITIALLY IMMEDIATE";
  const queuedAt = queued.length - 1;
  if (target === undefined || !keyed.includes(target.contype ?? "") || queuedAt < 0) {
    throw new SqlError(SqlState.syntaxError, `misplaced ${what} clause`);
  }
  const last = queued[queuedAt]!;
  switch (attr.contype) {
    case "CONSTR_ATTR_DEFERRABLE": queued[queuedAt] = { ...last, deferrable: true }; break;
    case "CONSTR_ATTR_NOT_DEFERRABLE":
      if (last.initdeferred === true) throw conflictingTiming();
      queued[queuedAt] = { ...last, deferrable: false };
      break;
    case "CONSTR_ATTR_DEFERRED":
      if (last.deferrable === false) throw conflictingTiming();
      queued[queuedAt] = { ...last, deferrable: true, initdeferred: true };
      break;
    default: queued[queuedAt] = { ...last, initdeferred: false };
  }
}

const conflictingTiming = (): SqlError => new SqlError(SqlState.syntaxError,
  "constraint declared INITIALLY DEFERRED must be DEFERRABLE");

const names = (list: ast.Node[] | undefined): string[] =>
  (list ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : ""));

/** Adds a table constraint (also used by ALTER TABLE ADD CONSTRAINT). */
export function addConstraint(catalog: Catalog, path: readonly string[], relation: Relation,
  c: ast.Constraint, statement?: StatementScope, rt?: Runtime): void {
  const position = (col: string): number => {
    const i = relation.columns.findIndex((x) => x.name === col && !x.dropped);
    if (i < 0) {
      throw new SqlError(SqlState.undefinedColumn,
        `column "${col}" named in key does not exist`);
    }
    return i;
  };
  switch (c.contype) {
    case "CONSTR_PRIMARY":
    case "CONSTR_UNIQUE": {
      const primary = c.contype === "CONSTR_PRIMARY";
      const cols = names(c.keys);
      if (primary && relation.indexes.some((i) => i.primary)) {
        throw new SqlError(SqlState.invalidTableDefinition,
          `multiple primary keys for table "${relation.name}" are not allowed`);
      }
      const positions = cols.map(position);
      if (primary) for (const p of positions) relation.columns[p]!.notNull = true;
      const name = c.conname ?? `${relation.name}_${primary ? "pkey" : `${cols.join("_")}_key`}`;
      const index = createIndex(catalog, relation, name, positions, true, primary, true,
        undefined, undefined, undefined, c.nulls_not_distinct === true);
      if (c.deferrable === true || c.initdeferred === true) index.deferrable = true;
      if (c.initdeferred === true) index.initDeferred = true;
      return;
    }
    case "CONSTR_CHECK": {
      if (c.conname !== undefined && relation.checks.some((x) => x.name === c.conname)) {
        throw new SqlError(SqlState.duplicateObject,
          `check constraint "${c.conname}" already exists`);
      }
      const name = c.conname ?? checkName(relation, c);
      relation.checks.push({ name, expr: c.raw_expr!,
        ...(c.is_no_inherit === true && { noInherit: true }) });
      return;
    }
    case "CONSTR_FOREIGN":
      addForeignKey(catalog, path, relation, c, position, statement);
      return;
    case "CONSTR_EXCLUSION":
      addExclusion(catalog, relation, c, statement, rt);
      return;
    default:
      throw notSupported(`constraint ${c.contype ?? "?"}`);
  }
}

function checkName(relation: Relation, c: ast.Constraint): string {
  const column = columnIn(c.raw_expr);
  const base = `${relation.name}_${column ?? ""}${column === undefined ? "check" : "_check"}`;
  let name = base;
  for (let i = 1; relation.checks.some((x) => x.name === name); i++) name = `${base}${i}`;
  return name;
}

/**
 * The column a CHECK expression reads when it reads exactly one (its name goes into the
 * constraint's name, t_a_check), else undefined (t_check), as Postgres chooses.
 */
function columnIn(node: ast.Node | undefined): string | undefined {
  const text = JSON.stringify(node ?? null);
  const found = new Set<string>();
  for (const m of text.matchAll(/"ColumnRef":\{"fields":\[\{"String":\{"sval":"([^"]+)"/g)) {
    found.add(m[1]!);
  }
  return found.size === 1 ? [...found][0] : undefined;
}

const actionOf = (a: string | undefined): FkAction =>
  (a === "r" || a === "c" || a === "n" || a === "d" ? a : "a");

function addForeignKey(catalog: Catalog, path: readonly string[], relation: Relation,
  c: ast.Constraint, position: (col: string) => number, statement?: StatementScope): void {
  const target = c.pktable!;
  const ref = target.relname === relation.name && target.schemaname === undefined ? relation
    : catalog.findRelation(path, target.schemaname, target.relname ?? "");
  if (ref === undefined) {
    throw new SqlError(SqlState.undefinedTable, `relation "${target.relname}" does not exist`);
  }
  refuseMixedPersistence(relation, ref);
  const cols = names(c.fk_attrs);
  let refCols = names(c.pk_attrs);
  if (refCols.length === 0) {
    const pk = ref.indexes.find((i) => i.primary);
    if (pk === undefined) {
      throw new SqlError(SqlState.undefinedObject,
        `there is no primary key for referenced table "${ref.name}"`);
    }
    refCols = pk.columns.map((p) => ref.columns[p]!.name);
  }
  const refPositions = refCols.map((n) => keyColumn(ref, n));
  const setColumns = names(c.fk_del_set_cols).map((n) => keyColumn(relation, n));
  cols.forEach((n) => keyColumn(relation, n));
  const keys = ref.indexes.filter((i) => i.unique && i.computed === undefined &&
    i.columns.length === refPositions.length && i.columns.every((p) => refPositions.includes(p)));
  if (keys.length === 0) {
    throw new SqlError(SqlState.invalidForeignKey,
      `there is no unique constraint matching given keys for referenced table "${ref.name}"`);
  }
  if (keys.every((i) => i.deferrable === true)) {
    throw new SqlError(SqlState.objectNotInPrerequisiteState, `cannot use a deferrable ` +
      `${keys[0]!.primary && c.pk_attrs === undefined ? "primary key" : "unique constraint"} ` +
      `for referenced table "${ref.name}"`);
  }
  checkForeignKeyReferences(catalog, ref, refPositions, statement?.ctx);
  if (cols.length !== refPositions.length) {
    throw new SqlError(SqlState.invalidForeignKey,
      "number of referencing and referenced columns for foreign key disagree");
  }
  if (c.fk_matchtype === "p") throw notSupported("MATCH PARTIAL");
  const name = c.conname ??
    unusedConstraintName(relation, `${relation.name}_${cols.join("_")}_fkey`);
  const columns = cols.map(position);
  checkKeyTypes(name, relation, columns, ref, refPositions);
  const outside = setColumns.find((p) => !columns.includes(p));
  if (outside !== undefined) {
    throw new SqlError(SqlState.invalidColumnReference,
      `column "${relation.columns[outside]!.name}" ` +
      "referenced in ON DELETE SET action must be part of foreign key");
  }
  relation.foreignKeys.push({ name, columns, refRelationOid: ref.oid, refColumns: refPositions,
    onDelete: actionOf(c.fk_del_action), onUpdate: actionOf(c.fk_upd_action),
    ...((c.deferrable === true || c.initdeferred === true) && { deferrable: true }),
    ...(c.initdeferred === true && { initDeferred: true }),
    ...(c.fk_matchtype === "f" && { matchFull: true }),
    ...(setColumns.length > 0 && { deleteSetColumns: setColumns }) });
}

/** 42P16 for a foreign key between a temporary and a permanent table. */
function refuseMixedPersistence(relation: Relation, ref: Relation): void {
  const temp = isTempSchema(relation.schema);
  if (temp === isTempSchema(ref.schema)) return;
  throw new SqlError(SqlState.invalidTableDefinition, temp
    ? "constraints on temporary tables may reference only temporary tables"
    : "constraints on permanent tables may reference only permanent tables");
}

/** The position of a foreign key's column, or 42703 as Postgres words it. */
function keyColumn(rel: Relation, name: string): number {
  const p = rel.columns.findIndex((x) => !x.dropped && x.name === name);
  if (p < 0) {
    throw new SqlError(SqlState.undefinedColumn,
      `column "${name}" referenced in foreign key constraint does not exist`);
  }
  return p;
}

