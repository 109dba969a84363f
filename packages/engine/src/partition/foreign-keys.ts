/**
 * Foreign keys from and to partitioned tables, kept as PostgreSQL 15 keeps them
 * (CloneFkReferencing, CloneFkReferenced, tryAttachPartitionForeignKey):
 *
 * - A foreign key declared on a partitioned table is copied onto each partition, down to the
 *   leaves, which hold the rows and so run the checks and actions. A copy names its parent's
 *   constraint (`inheritedFrom`, pg_constraint.conparentid); it keeps the parent's name unless
 *   the partition already uses it. A partition that has an equal foreign key of its own when
 *   attached adopts it instead of getting a copy.
 * - A foreign key referencing a partitioned table stays on the referencing table; PostgreSQL
 *   adds one more constraint row for each partition under the referenced table, named like
 *   an unnamed foreign key of the referencing table (`fk_x_fkey1`, …). Those names appear in
 *   errors about rows deleted or updated in that partition, so they are chosen when the
 *   partition joins and kept in `refPartitions`.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Catalog } from "../catalog/catalog.js";
import type { ForeignKey, Relation } from "../catalog/relation.js";
import { constraintNamesOf, unusedConstraintName } from "../catalog/constraint-names.js";
import { isLive } from "../storage/table-store.js";
import { checkForeignKey, type RiEnv } from "../execute/foreign-keys.js";
import { convertKey } from "../catalog/foreign-key-types.js";
import { hashKeyOf, outputValue } from "../catalog/type-io.js";
import type { Value } from "@tessera/sql";
import { ancestorsOf, isPartitioned, leavesOf, partitionsNow } from "./model.js";
import { partitionsUnder, referencedConstraintName, type OwnedForeignKey }
  from "./foreign-key-model.js";

/** Records how to undo a catalog change (the statement's undo log). */
export type UndoFn = (fn: () => void) => void;

/** ChooseConstraintName for a foreign key: `rel_cols_fkey`, then with 1, 2, … appended. */
function unusedForeignKeyName(rel: Relation, fk: ForeignKey): string {
  const cols = fk.columns.map((c) => rel.columns[c]!.name).join("_");
  return unusedConstraintName(rel, `${rel.name}_${cols}_fkey`);
}

/**
 * Gives `fk`, on `owner`, a constraint row for each partition under the table it references
 * that has none yet (a partitioned table referenced, or a partition joining one).
 */
export function nameReferencedPartitions(catalog: Catalog, owner: Relation, fk: ForeignKey):
  void {
  const ref = catalog.relation(fk.refRelationOid);
  if (ref === undefined || !isPartitioned(ref)) return;
  const list = fk.refPartitions ?? [];
  if (fk.refPartitions === undefined) (fk as { refPartitions?: typeof list }).refPartitions = list;
  for (const part of partitionsUnder(catalog, ref)) {
    if (list.some((p) => p.relationOid === part.oid)) continue;
    list.push({ relationOid: part.oid, name: unusedForeignKeyName(owner, fk),
      ...(fk.notValid === true && { notValid: true }) });
  }
}

/** Declared foreign keys (not partitions' copies) that reference `rel` or a table above it. */
export function foreignKeysReaching(catalog: Catalog, rel: Relation): OwnedForeignKey[] {
  const targets = new Set([rel.oid, ...ancestorsOf(catalog, rel).map((a) => a.oid)]);
  const out: OwnedForeignKey[] = [];
  for (const owner of catalog.allRelations()) {
    for (const fk of owner.foreignKeys) {
      if (fk.inheritedFrom === undefined && targets.has(fk.refRelationOid)) out.push({ owner, fk });
    }
  }
  return out;
}

/** Settles a table's own foreign keys after CREATE TABLE or ALTER TABLE named it. */
export function settleForeignKeys(catalog: Catalog, rel: Relation): void {
  for (const fk of rel.foreignKeys) {
    if (fk.inheritedFrom === undefined) nameReferencedPartitions(catalog, rel, fk);
  }
}

/** Two foreign keys enforcing the same rule (a partition's own may stand for its parent's). */
function sameRule(a: ForeignKey, b: ForeignKey): boolean {
  const same = (x: readonly number[], y: readonly number[]): boolean =>
    x.length === y.length && x.every((v, k) => v === y[k]);
  return a.refRelationOid === b.refRelationOid && same(a.columns, b.columns) &&
    same(a.refColumns, b.refColumns) && a.onDelete === b.onDelete && a.onUpdate === b.onUpdate &&
    (a.deferrable === true) === (b.deferrable === true) &&
    (a.initDeferred === true) === (b.initDeferred === true) &&
    (a.matchFull === true) === (b.matchFull === true);
}

/**
 * How a partition joins: ATTACH checks the rows a new copy covers (`env`) and lets an equal
 * foreign key of the table's own stand for its parent's; CREATE TABLE … PARTITION OF
 * (`created`) copies the parent's keys before the table's own constraints, as PostgreSQL
 * does, so an own constraint of the same name is a duplicate (42710).
 */
export interface JoinMode {
  readonly env?: RiEnv;
  readonly created?: boolean;
}

/**
 * A partition joins `parent` (CREATE TABLE … PARTITION OF, ATTACH PARTITION): it takes the
 * parent's foreign keys, and foreign keys referencing the tree it joins name their rows for
 * it.
 */
export function partitionJoined(catalog: Catalog, parent: Relation, child: Relation,
  undo: UndoFn, mode: JoinMode): void {
  for (const fk of parent.foreignKeys) inheritForeignKey(catalog, child, fk, undo, mode);
  for (const { owner, fk } of foreignKeysReaching(catalog, child)) {
    nameReferencedPartitions(catalog, owner, fk);
  }
}

/** Copies (or adopts an equal one for) `fk`, a foreign key of `child`'s parent, onto `child`. */
export function inheritForeignKey(catalog: Catalog, child: Relation, fk: ForeignKey,
  undo: UndoFn, mode: JoinMode): void {
  const before = child.foreignKeys;
  undo(() => {
    child.foreignKeys = before;
  });
  const same = mode.created === true ? undefined
    : before.find((f) => f.inheritedFrom === undefined && sameRule(f, fk));
  let own: ForeignKey;
  if (same !== undefined) {
    const { refPartitions: _r, ...rest } = same;
    own = { ...rest, inheritedFrom: fk.name };
    child.foreignKeys = before.map((f) => (f === same ? own : f));
  } else {
    const { refPartitions: _r, notValid: _n, ...rest } = fk;
    const taken = constraintNamesOf(child).has(fk.name);
    if (taken && mode.created === true) {
      throw new SqlError(SqlState.duplicateObject,
        `constraint "${fk.name}" for relation "${child.name}" already exists`);
    }
    own = { ...rest, name: taken ? unusedForeignKeyName(child, fk) : fk.name,
      inheritedFrom: fk.name };
    child.foreignKeys = mode.created === true ? [own, ...before] : [...before, own];
    if (mode.env !== undefined) checkRowsAgainst(child, own, mode.env);
  }
  for (const grandchild of partitionsNow(catalog, child)) {
    inheritForeignKey(catalog, grandchild, own, undo, mode);
  }
}

/** Raises 23503 for the first live row of `rel` (a leaf) whose key `fk` does not find. */
function checkRowsAgainst(rel: Relation, fk: ForeignKey, env: RiEnv): void {
  if (isPartitioned(rel)) return;
  for (const version of rel.store.versions) {
    if (isLive(version)) checkForeignKey(rel, fk, version.values, env);
  }
}

/**
 * A partition leaves its parent (DETACH PARTITION): its copies of the parent's foreign keys
 * become its own; foreign keys referencing the tree it leaves must not reference its rows
 * (23503, as RI_PartitionRemove_Check), and drop their rows for it.
 */
export function partitionLeaving(catalog: Catalog, child: Relation, undo: UndoFn,
  env: RiEnv): void {
  const before = child.foreignKeys;
  child.foreignKeys = before.map((f) => {
    if (f.inheritedFrom === undefined) return f;
    const { inheritedFrom: _i, ...own } = f;
    return own;
  });
  undo(() => {
    child.foreignKeys = before;
  });
  const leaving = new Set([child.oid, ...partitionsUnder(catalog, child).map((p) => p.oid)]);
  for (const { owner, fk } of foreignKeysReaching(catalog, child)) {
    if (leaving.has(fk.refRelationOid)) continue;
    checkNotReferenced(catalog, owner, fk, child, env);
    const list = fk.refPartitions;
    if (list === undefined) continue;
    const kept = list.filter((p) => !leaving.has(p.relationOid));
    const all = list.slice();
    list.splice(0, list.length, ...kept);
    undo(() => {
      list.splice(0, list.length, ...all);
    });
  }
}

/** Raises 23503 when a row of `owner`'s tree references a row stored under `part`. */
export function checkNotReferenced(catalog: Catalog, owner: Relation, fk: ForeignKey,
  part: Relation, env: RiEnv): void {
  const keys = new Set<string>();
  for (const leaf of leavesOf(catalog, part, true)) {
    for (const v of leaf.store.versions) {
      if (isLive(v)) keys.add(keyText(fk.refColumns.map((c) => v.values[c] ?? null)));
    }
  }
  if (keys.size === 0) return;
  for (const leaf of leavesOf(catalog, owner, true)) {
    for (const v of leaf.store.versions) {
      if (!isLive(v)) continue;
      const key = fk.columns.map((c) => v.values[c] ?? null);
      if (key.includes(null)) continue;
      const probe = convertKey(key, owner, fk.columns, part, fk.refColumns);
      if (probe === undefined || !keys.has(keyText(probe))) continue;
      throw removingPartition(owner, fk, part, key, env);
    }
  }
}

function keyText(key: readonly Value[]): string {
  return key.map((v) => String(hashKeyOf(v))).join("\u0000");
}

function removingPartition(owner: Relation, fk: ForeignKey, part: Relation,
  key: readonly Value[], env: RiEnv): SqlError {
  const name = referencedConstraintName(fk, part);
  const cols = fk.columns.map((c) => owner.columns[c]!.name).join(", ");
  const vals = key.map((v, k) => outputValue(owner.columns[fk.columns[k]!]!.type, v, env.ctx));
  return new SqlError(SqlState.foreignKeyViolation,
    `removing partition "${part.name}" violates foreign key constraint "${name}"`,
    { detail: `Key (${cols})=(${vals.join(", ")}) is still referenced from table ` +
      `"${owner.name}".`, schema: owner.schema, table: owner.name, constraint: name });
}

/**
 * Refuses DROP CONSTRAINT of a partition's copy of its parent's foreign key (42P16); a
 * foreign key dropped from a partitioned table goes from its partitions too (returned).
 */
export function dropForeignKeyCopies(catalog: Catalog, rel: Relation, name: string,
  undo: UndoFn): () => void {
  const fk = rel.foreignKeys.find((f) => f.name === name);
  if (fk === undefined) return () => {};
  if (fk.inheritedFrom !== undefined) {
    throw new SqlError(SqlState.invalidTableDefinition,
      `cannot drop inherited constraint "${name}" of relation "${rel.name}"`);
  }
  const drop = (parent: Relation, parentName: string): void => {
    for (const child of partitionsNow(catalog, parent)) {
      const copy = child.foreignKeys.find((f) => f.inheritedFrom === parentName);
      if (copy === undefined) continue;
      const before = child.foreignKeys;
      child.foreignKeys = before.filter((f) => f !== copy);
      undo(() => {
        child.foreignKeys = before;
      });
      drop(child, copy.name);
    }
  };
  return () => drop(rel, name);
}
