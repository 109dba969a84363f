/**
 * CREATE TABLE … PARTITION BY and CREATE TABLE … PARTITION OF (DefineRelation's partition
 * parts): the partition key, and a partition that takes its parent's columns (dropped slots
 * included, so a partition's rows have the parent's layout), defaults, NOT NULLs, CHECK
 * constraints and indexes, with its bound checked against its siblings.
 */
import { refusePartitionIdentity } from "../catalog/partition-identity.js";
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { StatementScope } from "../analyze/scope.js";
import { isTempSchema, type Catalog } from "../catalog/catalog.js";
import { createIndex } from "../catalog/indexes.js";
import type { Index, Relation } from "../catalog/relation.js";
import type { Runtime } from "../execute/runtime.js";
import { typeByNameOrUndefined, typeInfo } from "../catalog/types.js";
import { boundFromSpec, checkNewBound } from "./bound-spec.js";
import { partitionsChanged, type PartitionBound, type PartitionKey } from "./model.js";
import { checkDefaultKeepsRows } from "./attach.js";
import { partitionJoined, settleForeignKeys } from "./foreign-keys.js";
import { checkHashKeyType } from "./hash.js";
import { cloneTriggersTo } from "../plpgsql/trigger-clones.js";

/** What CREATE TABLE does around `createTable` for partitioning. */
export interface PartitionCreate {
  /** The statement `createTable` runs: PARTITION OF gets the parent's columns. */
  readonly stmt: ast.CreateStmt;
  /** Sets the key or the bound on the new table and copies the parent's indexes. */
  finish(rel: Relation): void;
}

/** Prepares a CREATE TABLE; undefined when it has no partitioning in it. */
export function partitionCreate(create: ast.CreateStmt, statement: StatementScope,
  rt: () => Runtime): PartitionCreate | undefined {
  if (create.partspec === undefined && create.partbound === undefined) {
    return { stmt: create, finish: (rel) => settleForeignKeys(statement.catalog, rel) };
  }
  const name = create.relation?.relname ?? "";
  const schema = create.relation?.schemaname;
  if (schema !== undefined && statement.catalog.nameTaken(schema, name)) {
    return { stmt: create, finish: () => undefined };
  }
  let stmt = create;
  let parent: Relation | undefined;
  let bound: PartitionBound | undefined;
  if (create.partbound !== undefined) {
    parent = parentOf(create, statement);
    if (create.relation?.relpersistence === "t" && !isTempSchema(parent.schema)) {
      throw new SqlError(SqlState.wrongObjectType, "cannot create a temporary relation as " +
        `partition of permanent relation "${parent.name}"`);
    }
    refusePartitionIdentity(create.tableElts ?? []);
    bound = boundFromSpec(create.partbound, parent, statement, rt());
    checkNewBound(name, bound, parent, statement);
    stmt = { ...create, tableElts: partitionColumns(parent, create.tableElts ?? []),
      inhRelations: [] };
  }
  return {
    stmt,
    finish(rel: Relation): void {
      if (create.partspec !== undefined) rel.partitionKey = keyOf(rel, create.partspec);
      settleForeignKeys(statement.catalog, rel);
      if (parent === undefined || bound === undefined) {
        checkUniqueIndexes(rel, rel.indexes);
        return;
      }
      rel.columns.forEach((c, i) => {
        const from = parent!.columns[i]!;
        Object.assign(c, { type: from.type, typmod: from.typmod, dropped: from.dropped });
      });
      const own = new Set(rel.checks.map((c) => c.name));
      rel.checks.push(...parent.checks.filter((c) => !own.has(c.name)));
      if (bound.kind !== "default") checkDefaultKeepsRows(statement.catalog, parent, rel, bound);
      rel.partitionOf = { parentOid: parent.oid, bound };
      partitionsChanged();
      cloneIndexes(statement.catalog, parent, rel);
      // A new table holds no rows to check, and its changes go with it on rollback.
      partitionJoined(statement.catalog, parent, rel, () => undefined, { created: true });
      cloneTriggersTo(statement.catalog, parent, rel, () => undefined);
      if (rel.partitionKey !== undefined) checkUniqueIndexes(rel, rel.indexes);
      rel.version++;
    },
  };
}

function parentOf(create: ast.CreateStmt, statement: StatementScope): Relation {
  const node = create.inhRelations?.[0];
  const rv = node !== undefined && "RangeVar" in node ? node.RangeVar : undefined;
  const parent = rv === undefined ? undefined
    : statement.catalog.findRelation(statement.path, rv.schemaname, rv.relname ?? "");
  if (parent === undefined || parent.kind !== "r") {
    throw new SqlError(SqlState.undefinedTable, `relation "${rv?.relname ?? ""}" does not exist`);
  }
  if (parent.partitionKey === undefined) {
    throw new SqlError(SqlState.invalidObjectDefinition, `"${parent.name}" is not partitioned`);
  }
  return parent;
}

/**
 * The column definitions of a partition: the parent's columns in its order (a dropped slot as
 * a placeholder `finish` marks dropped), with the options the statement adds to them.
 */
function partitionColumns(parent: Relation, elts: readonly ast.Node[]): ast.Node[] {
  const given = new Map<string, ast.ColumnDef>();
  const rest: ast.Node[] = [];
  for (const elt of elts) {
    if ("ColumnDef" in elt) given.set(elt.ColumnDef.colname ?? "", elt.ColumnDef);
    else rest.push(elt);
  }
  for (const name of given.keys()) {
    if (!parent.columns.some((c) => c.name === name && !c.dropped)) {
      throw new SqlError(SqlState.undefinedColumn, `column "${name}" does not exist`);
    }
  }
  const columns: ast.Node[] = parent.columns.map((c, i) => {
    const constraints: ast.Node[] = [...(given.get(c.name)?.constraints ?? [])];
    if (c.notNull) constraints.push({ Constraint: { contype: "CONSTR_NOTNULL" } });
    if (c.defaultExpr !== null && !constraints.some((n) => "Constraint" in n &&
      n.Constraint.contype === "CONSTR_DEFAULT")) {
      constraints.push({ Constraint: { contype: "CONSTR_DEFAULT", raw_expr: c.defaultExpr } });
    }
    if (c.generated !== null) {
      constraints.push({ Constraint: { contype: "CONSTR_GENERATED", generated_when: "a",
        raw_expr: c.generated } });
    }
    const typeName = typeNameOf(c.type, c.typmod);
    return { ColumnDef: { colname: c.dropped ? `........pg.dropped.${i + 1}........` : c.name,
      typeName, is_local: true, constraints } };
  });
  return [...columns, ...rest];
}

/**
 * A type name that resolves to `type`: the built-in name, or int4 standing in for a created
 * type (an enum), which `finish` puts back on the empty table's column.
 */
function typeNameOf(type: number, typmod: number): ast.TypeName {
  const name = typeInfo(type).name;
  const builtin = typeByNameOrUndefined(name)?.oid === type;
  const sval = builtin ? name : "int4";
  return { names: [{ String: { sval: "pg_catalog" } }, { String: { sval } }],
    typemod: builtin ? typmod : -1 };
}

function keyOf(rel: Relation, spec: ast.PartitionSpec): PartitionKey {
  const strategy = spec.strategy === "PARTITION_STRATEGY_LIST" ? "l"
    : spec.strategy === "PARTITION_STRATEGY_HASH" ? "h" : "r";
  const params = spec.partParams ?? [];
  if (strategy === "l" && params.length > 1) {
    throw new SqlError(SqlState.invalidObjectDefinition,
      "cannot use \"list\" partition strategy with more than one column");
  }
  const columns = params.map((p) => {
    const elem = "PartitionElem" in p ? p.PartitionElem : undefined;
    if (elem?.name === undefined) {
      throw notSupported("partition keys on expressions (only columns can be partition keys)");
    }
    const i = rel.columns.findIndex((c) => c.name === elem.name && !c.dropped);
    if (i < 0) {
      throw new SqlError(SqlState.undefinedColumn,
        `column "${elem.name}" named in partition key does not exist`);
    }
    if (strategy === "h") checkHashKeyType(rel.columns[i]!.type, elem.name);
    return i;
  });
  return { strategy, columns };
}

/** A unique index on a partitioned table must hold every key column (0A000 otherwise). */
export function checkUniqueIndexes(rel: Relation, indexes: readonly Index[]): void {
  const key = rel.partitionKey;
  if (key === undefined) return;
  for (const index of indexes) {
    if (!index.unique) continue;
    if (index.computed !== undefined) {
      throw notSupported("unique expression or partial indexes on partitioned tables");
    }
    const missing = key.columns.find((c) => !index.columns.includes(c));
    if (missing === undefined) continue;
    const what = index.primary ? "PRIMARY KEY" : "UNIQUE";
    throw new SqlError(SqlState.featureNotSupported,
      "unique constraint on partitioned table must include all partitioning columns",
      { detail: `${what} constraint on table "${rel.name}" lacks column ` +
        `"${rel.columns[missing]!.name}" which is part of the partition key.` });
  }
}

/** Gives `child` an index like each of `parent`'s (named after the child, as PostgreSQL). */
export function cloneIndexes(catalog: Catalog, parent: Relation, child: Relation): void {
  for (const index of parent.indexes) cloneIndex(catalog, parent, index, child);
}

export function cloneIndex(catalog: Catalog, parent: Relation, index: Index, child: Relation):
  void {
  if (index.computed !== undefined) {
    throw notSupported("expression or partial indexes on partitioned tables");
  }
  if (child.indexes.some((i) => i.unique === index.unique && i.primary === index.primary &&
    i.columns.length === index.columns.length &&
    i.columns.every((c, k) => c === index.columns[k]))) return;
  if (index.primary && child.indexes.some((i) => i.primary)) {
    throw new SqlError(SqlState.invalidTableDefinition,
      `multiple primary keys for table "${child.name}" are not allowed`);
  }
  const columns = index.columns.map((c) => child.columns[c]!.name).join("_");
  const base = index.primary ? `${child.name}_pkey`
    : `${child.name}_${columns}_${index.constraintName !== null ? "key" : "idx"}`;
  let name = base;
  for (let i = 1; catalog.nameTaken(child.schema, name); i++) name = `${base}${i}`;
  createIndex(catalog, child, name, index.columns, index.unique, index.primary,
    index.constraintName !== null, undefined, index.descending);
  if (index.primary) for (const c of index.columns) child.columns[c]!.notNull = true;
}
