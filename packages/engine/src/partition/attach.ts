/**
 * ALTER TABLE … ATTACH PARTITION / DETACH PARTITION, and the ALTER TABLE subcommands that a
 * partitioned table passes on to its partitions (columns, defaults, NOT NULL, constraints):
 * PostgreSQL's ATExecAttachPartition, ATExecDetachPartition and ATSimpleRecursion.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { Catalog } from "../catalog/catalog.js";
import type { Index, Relation } from "../catalog/relation.js";
import { isLive } from "../storage/table-store.js";
import { conformLayout } from "./layout.js";
import type { AlterContext } from "../ddl/alter-table.js";
import { removeIndex, validateRows } from "../ddl/alter-constraint.js";
import { boundFromSpec, checkNewBound } from "./bound-spec.js";
import { checkUniqueIndexes, cloneIndex, cloneIndexes } from "./create.js";
import { leavesOf, keyTypes, matchingIndex, partitionsChanged, partitionsNow,
  type PartitionBound } from "./model.js";
import { boundContains, fitsPartition } from "./route.js";
import { dropForeignKeyCopies, inheritForeignKey, partitionJoined, partitionLeaving,
  settleForeignKeys } from "./foreign-keys.js";
import { cloneTriggersTo, dropTriggerClones } from "../plpgsql/trigger-clones.js";

/** Raises 23514 when the parent's default partition holds rows the new bound takes. */
export function checkDefaultKeepsRows(catalog: Catalog, parent: Relation, rel: Relation,
  bound: PartitionBound): void {
  const fallback = partitionsNow(catalog, parent)
    .find((o) => o !== rel && o.partitionOf!.bound.kind === "default");
  if (fallback === undefined) return;
  const key = parent.partitionKey!.columns;
  const types = keyTypes(parent);
  for (const leaf of leavesOf(catalog, fallback, true)) {
    for (const v of leaf.store.versions) {
      if (!isLive(v)) continue;
      if (boundContains(bound, key.map((c) => v.values[c] ?? null), types)) {
        throw new SqlError(SqlState.checkViolation,
          `updated partition constraint for default partition "${fallback.name}" would be ` +
          "violated by some row");
      }
    }
  }
}

function partitionedParent(a: AlterContext): Relation {
  if (a.rel.partitionKey === undefined) {
    throw new SqlError(SqlState.invalidObjectDefinition,
      `table "${a.rel.name}" is not partitioned`);
  }
  return a.rel;
}

function namedTable(a: AlterContext, rv: ast.RangeVar | undefined): Relation {
  const rel = rv === undefined ? undefined
    : a.catalog.findRelation(a.statement.path, rv.schemaname, rv.relname ?? "");
  if (rel === undefined || rel.kind !== "r") {
    throw new SqlError(SqlState.undefinedTable, `relation "${rv?.relname ?? ""}" does not exist`);
  }
  return rel;
}

/** ALTER TABLE parent ATTACH PARTITION child FOR VALUES …. */
export function attachPartitionCmd(a: AlterContext, cmd: ast.PartitionCmd): void {
  const parent = partitionedParent(a);
  const child = namedTable(a, cmd.name);
  if (child.partitionOf !== undefined) {
    throw new SqlError(SqlState.wrongObjectType, `"${child.name}" is already a partition`);
  }
  if (child === parent || leavesOf(a.catalog, child, true).includes(parent)) {
    throw new SqlError(SqlState.duplicateTable,
      `cannot attach a partitioned table to one of its own partitions`);
  }
  checkSameColumns(parent, child);
  const bound = boundFromSpec(cmd.bound!, parent, a.statement, a.rt);
  checkNewBound(child.name, bound, parent, a.statement);
  conformLayout(a, parent, child);
  const before = child.partitionOf;
  a.undo(() => {
    if (before === undefined) delete child.partitionOf;
    else child.partitionOf = before;
    partitionsChanged();
  });
  child.partitionOf = { parentOid: parent.oid, bound };
  partitionsChanged();
  for (const leaf of leavesOf(a.catalog, child, true)) {
    for (const v of leaf.store.versions) {
      if (isLive(v) && !fitsPartition(a.catalog, leaf, v.values)) {
        throw new SqlError(SqlState.checkViolation,
          `partition constraint of relation "${leaf.name}" is violated by some row`,
          { schema: leaf.schema, table: leaf.name });
      }
    }
  }
  if (bound.kind !== "default") checkDefaultKeepsRows(a.catalog, parent, child, bound);
  const indexes = [...child.indexes];
  a.undo(() => {
    for (const index of child.indexes) {
      if (!indexes.includes(index)) a.catalog.releaseName(child.schema, index.name);
    }
    child.indexes = indexes;
  });
  cloneIndexes(a.catalog, parent, child);
  partitionJoined(a.catalog, parent, child, (fn) => a.undo(fn), { env: a.rt });
  cloneTriggersTo(a.catalog, parent, child, (fn) => a.undo(fn));
  child.version++;
}

/** The attached table must have the parent's columns, types, NOT NULLs and CHECKs. */
function checkSameColumns(parent: Relation, child: Relation): void {
  for (const c of child.columns) {
    if (c.dropped || parent.columns.some((p) => p.name === c.name && !p.dropped)) continue;
    throw new SqlError(SqlState.datatypeMismatch,
      `table "${child.name}" contains column "${c.name}" not found in parent "${parent.name}"`,
      { detail: "The new partition may contain only the columns present in parent." });
  }
  for (const p of parent.columns) {
    if (p.dropped) continue;
    const c = child.columns.find((x) => x.name === p.name && !x.dropped);
    if (c === undefined) {
      throw new SqlError(SqlState.datatypeMismatch, `child table is missing column "${p.name}"`);
    }
    if (c.type !== p.type || c.typmod !== p.typmod) {
      throw new SqlError(SqlState.datatypeMismatch,
        `child table "${child.name}" has different type for column "${p.name}"`);
    }
    if (p.notNull && !c.notNull) {
      throw new SqlError(SqlState.datatypeMismatch,
        `column "${p.name}" in child table must be marked NOT NULL`);
    }
  }
  for (const check of parent.checks) {
    if (!child.checks.some((c) => c.name === check.name)) {
      throw new SqlError(SqlState.datatypeMismatch,
        `child table is missing constraint "${check.name}"`);
    }
  }
}

/** ALTER TABLE parent DETACH PARTITION child [CONCURRENTLY | FINALIZE]. */
export function detachPartitionCmd(a: AlterContext, cmd: ast.PartitionCmd): void {
  const parent = partitionedParent(a);
  const child = namedTable(a, cmd.name);
  if (child.partitionOf?.parentOid !== parent.oid) {
    throw new SqlError(SqlState.undefinedTable,
      `relation "${child.name}" is not a partition of relation "${parent.name}"`);
  }
  partitionLeaving(a.catalog, child, (fn) => a.undo(fn), a.rt);
  dropTriggerClones(a.catalog, child, (fn) => a.undo(fn));
  const before = child.partitionOf;
  a.undo(() => {
    child.partitionOf = before;
    partitionsChanged();
  });
  delete child.partitionOf;
  partitionsChanged();
  child.version++;
}

/** Subcommands a partitioned table runs again on each partition, as ATSimpleRecursion. */
const recursed = new Set(["AT_AddColumn", "AT_DropColumn", "AT_ColumnDefault", "AT_SetNotNull",
  "AT_DropNotNull", "AT_AlterColumnType"]);

/**
 * Passes a subcommand that ran on a partitioned table on to its partitions: `run` runs it on
 * another table. ADD CONSTRAINT copies the new CHECK (validating rows) or index instead.
 */
export function cascadeToPartitions(a: AlterContext, cmd: ast.AlterTableCmd,
  run: (a: AlterContext, cmd: ast.AlterTableCmd) => void): void {
  const rel = a.rel;
  settleForeignKeys(a.catalog, rel);
  if (rel.partitionKey === undefined) return;
  const subtype = cmd.subtype ?? "";
  const children = partitionsNow(a.catalog, rel);
  if (recursed.has(subtype)) {
    for (const child of children) {
      const ctx: AlterContext = { ...a, rel: child };
      fromParent.add(ctx);
      run(ctx, subtype === "AT_AddColumn" ? { ...cmd, missing_ok: false } : cmd);
    }
    return;
  }
  if (subtype === "AT_AddConstraint") {
    checkUniqueIndexes(rel, rel.indexes);
    const check = rel.checks[rel.checks.length - 1];
    const contype = (cmd.def as { Constraint?: ast.Constraint }).Constraint?.contype;
    const isCheck = contype === "CONSTR_CHECK";
    if (contype === "CONSTR_FOREIGN") return addForeignKeyToPartitions(a, children);
    for (const child of children) {
      if (isCheck && check !== undefined) copyCheck({ ...a, rel: child }, check);
      else for (const index of rel.indexes) copyIndexDown(a, rel, index, child);
    }
  }
}

/** ALTER TABLE … ADD FOREIGN KEY on a partitioned table: each partition gets a copy. */
function addForeignKeyToPartitions(a: AlterContext, children: readonly Relation[]): void {
  const fk = a.rel.foreignKeys[a.rel.foreignKeys.length - 1];
  if (fk === undefined) return;
  if (fk.notValid === true) {
    const ref = a.catalog.relation(fk.refRelationOid);
    throw new SqlError(SqlState.wrongObjectType, `cannot add NOT VALID foreign key on ` +
      `partitioned table "${a.rel.name}" referencing relation "${ref?.name ?? ""}"`,
    { detail: "This feature is not yet supported on partitioned tables." });
  }
  for (const child of children) {
    inheritForeignKey(a.catalog, child, fk, (fn) => a.undo(fn), { env: a.rt });
  }
}

function copyCheck(a: AlterContext, check: Relation["checks"][number]): void {
  const child = a.rel;
  if (!child.checks.some((c) => c.name === check.name)) {
    const checks = child.checks;
    child.checks = [...checks, check];
    a.undo(() => {
      child.checks = checks;
    });
  }
  for (const leaf of leavesOf(a.catalog, child, true)) validateRows({ ...a, rel: leaf }, check);
  for (const grandchild of partitionsNow(a.catalog, child)) copyCheck({ ...a, rel: grandchild },
    check);
}

function copyIndexDown(a: AlterContext, parent: Relation,
  index: Relation["indexes"][number], child: Relation): void {
  const indexes = child.indexes;
  a.undo(() => {
    for (const i of child.indexes) {
      if (!indexes.includes(i)) a.catalog.releaseName(child.schema, i.name);
    }
    child.indexes = indexes;
  });
  child.indexes = [...indexes];
  cloneIndex(a.catalog, parent, index, child);
  const added = child.indexes.find((i) => !indexes.includes(i));
  for (const grandchild of partitionsNow(a.catalog, child)) {
    if (added !== undefined) copyIndexDown(a, child, added, grandchild);
  }
}

/** TRUNCATE of a partitioned table empties its partitions (ONLY is refused, as PostgreSQL). */
export function partitionsToTruncate(statement: { catalog: Catalog }, rel: Relation,
  inherit: boolean): Relation[] {
  if (rel.partitionKey === undefined) return [];
  if (!inherit) {
    throw new SqlError(SqlState.wrongObjectType, "cannot truncate only a partitioned table",
      { hint: "Do not specify the ONLY keyword, or use TRUNCATE ONLY on the partitions " +
        "directly." });
  }
  return leavesOf(statement.catalog, rel, true);
}

/**
 * Before DROP CONSTRAINT runs on a partitioned table: returns what drops the partitions'
 * copies afterwards (a CHECK of the same name, the index that stands for a key's).
 */
export function dropConstraintCascade(a: AlterContext, cmd: ast.AlterTableCmd): () => void {
  const rel = a.rel;
  if (cmd.subtype !== "AT_DropConstraint") return () => {};
  const name = cmd.name ?? "";
  const foreign = dropForeignKeyCopies(a.catalog, rel, name, (fn) => a.undo(fn));
  if (rel.partitionKey === undefined) return foreign;
  const index = rel.indexes.find((i) => i.constraintName === name);
  const isCheck = rel.checks.some((c) => c.name === name);
  const drop = (parent: Relation, parentIndex: Index | undefined): void => {
    for (const child of partitionsNow(a.catalog, parent)) {
      const ctx = { ...a, rel: child };
      const own = parentIndex === undefined ? undefined : matchingIndex(child, parentIndex);
      if (isCheck && child.checks.some((c) => c.name === name)) {
        const checks = child.checks;
        child.checks = checks.filter((c) => c.name !== name);
        a.undo(() => {
          child.checks = checks;
        });
      }
      if (own !== undefined) removeIndex(ctx, own);
      drop(child, own);
    }
  };
  return () => {
    foreign();
    drop(rel, index);
  };
}

/** Subcommand contexts a partitioned table made for its partitions. */
const fromParent = new WeakSet<AlterContext>();

/**
 * Refuses, before it runs, DROP COLUMN or ALTER COLUMN TYPE of a partition key column, and of
 * any column of a partition named directly (its columns are its parent's), with 42P16.
 */
export function checkPartitionColumnCommand(a: AlterContext, cmd: ast.AlterTableCmd): void {
  const subtype = cmd.subtype ?? "";
  if (subtype !== "AT_DropColumn" && subtype !== "AT_AlterColumnType") return;
  const verb = subtype === "AT_DropColumn" ? "drop" : "alter";
  const name = cmd.name ?? "";
  const rel = a.rel;
  const i = rel.columns.findIndex((c) => c.name === name && !c.dropped);
  if (i < 0) return;
  if (rel.partitionKey?.columns.includes(i) === true) {
    throw new SqlError(SqlState.invalidTableDefinition, `cannot ${verb} column "${name}" ` +
      `because it is part of the partition key of relation "${rel.name}"`);
  }
  if (rel.partitionOf !== undefined && !fromParent.has(a)) {
    throw new SqlError(SqlState.invalidTableDefinition,
      `cannot ${verb} inherited column "${name}"`);
  }
}
