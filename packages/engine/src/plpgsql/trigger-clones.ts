/**
 * Row triggers of partitioned tables, as PostgreSQL keeps them: the partitioned table holds
 * the trigger, and every partition a clone (pg_trigger.tgparentid naming the parent's), which
 * is what fires (`partition/leaf-triggers.ts`). A partition gets the clones when it is
 * created or attached and loses them when detached; a clone is dropped with its parent's
 * trigger only.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Catalog } from "../catalog/catalog.js";
import type { Relation } from "../catalog/relation.js";
import { partitionsNow } from "../partition/model.js";
import { setTriggers, triggersOf, type Trigger } from "./trigger-store.js";

type UndoFn = (fn: () => void) => void;

/** True for the triggers a partitioned table passes on to its partitions. */
function cloned(t: Trigger): boolean {
  return t.row && t.instead !== true;
}

/**
 * Gives `child` (a new or attached partition of `parent`) a clone of each of `parent`'s row
 * triggers, and its own partitions clones of those: 42710 when it has a trigger of the name.
 */
export function cloneTriggersTo(catalog: Catalog, parent: Relation, child: Relation,
  undo: UndoFn): void {
  for (const t of triggersOf(catalog, parent.oid).filter(cloned)) {
    cloneTrigger(catalog, t, child, undo);
  }
}

/** Clones trigger `t` onto `child` and down its partitions. */
export function cloneTrigger(catalog: Catalog, t: Trigger, child: Relation, undo: UndoFn):
  void {
  const existing = triggersOf(catalog, child.oid);
  const replaced = existing.find((c) => c.name === t.name);
  if (replaced !== undefined && replaced.parentOid !== t.oid) {
    throw new SqlError(SqlState.duplicateObject,
      `trigger "${t.name}" for relation "${child.name}" already exists`);
  }
  const clone: Trigger = { ...t, oid: replaced?.oid ?? catalog.allocateOid(),
    relationOid: child.oid, parentOid: t.oid,
    columns: t.columns.map((c) => columnIn(child, t, c, catalog)) };
  setTriggers(catalog, child.oid, [...existing.filter((c) => c !== replaced), clone]);
  undo(() => setTriggers(catalog, child.oid, [...existing]));
  for (const grandchild of partitionsNow(catalog, child)) {
    cloneTrigger(catalog, clone, grandchild, undo);
  }
}

/** The index in `child` of column `index` of the table trigger `t` is on (by name). */
function columnIn(child: Relation, t: Trigger, index: number, catalog: Catalog): number {
  const name = catalog.relation(t.relationOid)?.columns[index]?.name;
  const at = child.columns.findIndex((c) => !c.dropped && c.name === name);
  return at < 0 ? index : at;
}

/** DETACH PARTITION: `child` and its partitions lose the clones of the parent's triggers. */
export function dropTriggerClones(catalog: Catalog, child: Relation, undo: UndoFn): void {
  const existing = triggersOf(catalog, child.oid);
  const clones = existing.filter((t) => t.parentOid !== undefined);
  if (clones.length === 0) return;
  setTriggers(catalog, child.oid, existing.filter((t) => !clones.includes(t)));
  undo(() => setTriggers(catalog, child.oid, [...existing]));
  for (const grandchild of partitionsNow(catalog, child)) {
    dropClonesOf(catalog, grandchild, clones.map((c) => c.oid), undo);
  }
}

/**
 * DROP TRIGGER of a partitioned table's trigger: the clones of triggers `oids` on `rel`
 * and below go with it.
 */
export function dropClonesOf(catalog: Catalog, rel: Relation, oids: readonly number[],
  undo: UndoFn): void {
  const existing = triggersOf(catalog, rel.oid);
  const clones = existing.filter((t) => t.parentOid !== undefined && oids.includes(t.parentOid));
  if (clones.length === 0) return;
  setTriggers(catalog, rel.oid, existing.filter((t) => !clones.includes(t)));
  undo(() => setTriggers(catalog, rel.oid, [...existing]));
  for (const child of partitionsNow(catalog, rel)) {
    dropClonesOf(catalog, child, clones.map((c) => c.oid), undo);
  }
}

/** 2BP01 for DROP TRIGGER of a clone: its parent's trigger requires it. */
export function refuseCloneDrop(catalog: Catalog, t: Trigger, rel: Relation): void {
  if (t.parentOid === undefined) return;
  const parentRel = rel.partitionOf === undefined ? undefined
    : catalog.relation(rel.partitionOf.parentOid);
  const parent = parentRel === undefined ? "?" : parentRel.name;
  throw new SqlError(SqlState.dependentObjectsStillExist,
    `cannot drop trigger ${t.name} on table ${rel.name} because trigger ${t.name} on table ` +
    `${parent} requires it`,
    { hint: `You can drop trigger ${t.name} on table ${parent} instead.` });
}
