/**
 * What the catalog, pg_constraint and the foreign-key checks ask about foreign keys on and to
 * partitioned tables (`foreign-keys.ts` keeps them): which table a partition's copy stands
 * for, and the name of a foreign key's constraint row for a referenced partition.
 */
import type { Catalog } from "../catalog/catalog.js";
import type { ForeignKey, Relation } from "../catalog/relation.js";
import { ancestorsOf, partitionsNow } from "./model.js";

/** A foreign key and the table it is on. */
export interface OwnedForeignKey {
  readonly owner: Relation;
  readonly fk: ForeignKey;
}

/** Every partition under `rel` (not `rel`), parents before their partitions, in bound order. */
export function partitionsUnder(catalog: Catalog, rel: Relation): Relation[] {
  const out: Relation[] = [];
  for (const child of partitionsNow(catalog, rel)) {
    out.push(child, ...partitionsUnder(catalog, child));
  }
  return out;
}

/** The foreign key a partition's copy stands for: up the chain of copies to the declared one. */
export function declaredForeignKey(catalog: Catalog, owner: Relation, fk: ForeignKey):
  OwnedForeignKey {
  let found: OwnedForeignKey = { owner, fk };
  while (found.fk.inheritedFrom !== undefined && found.owner.partitionOf !== undefined) {
    const parent = catalog.relation(found.owner.partitionOf.parentOid);
    const up = parent?.foreignKeys.find((f) => f.name === found.fk.inheritedFrom);
    if (parent === undefined || up === undefined) break;
    found = { owner: parent, fk: up };
  }
  return found;
}

/** True when `target` is the table `fk` references or a partition under it. */
export function referencesTable(catalog: Catalog, fk: ForeignKey, target: Relation): boolean {
  return fk.refRelationOid === target.oid ||
    ancestorsOf(catalog, target).some((a) => a.oid === fk.refRelationOid);
}

/**
 * The name of `fk`'s constraint row for `target`, the table it references or a partition
 * under it (the name PostgreSQL reports for a row deleted or updated there).
 */
export function referencedConstraintName(fk: ForeignKey, target: Relation): string {
  if (target.oid === fk.refRelationOid) return fk.name;
  return fk.refPartitions?.find((p) => p.relationOid === target.oid)?.name ?? fk.name;
}

