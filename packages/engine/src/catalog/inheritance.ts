/**
 * Table inheritance (CREATE TABLE c (…) INHERITS (p)), PostgreSQL's older way to build a
 * hierarchy of tables: a child holds its parents' columns first, then its own, and the
 * parents' NOT NULL and CHECK constraints and defaults; a scan of a parent reads its
 * descendants' rows too (`partition/inherit-scan.ts`).
 *
 * The catalog keeps the parents on the child (`Relation.inheritsFrom`, pg_inherits with
 * inhseqno), how many parents gave each column and CHECK (attinhcount, coninhcount) and
 * whether the child declared it itself (attislocal, conislocal), and on the parent
 * relhassubclass. The hierarchy is walked from the children's side, like partitions.
 */
import type { Row } from "@tessera/sql";
import type { Catalog } from "./catalog.js";
import type { Relation } from "./relation.js";

/** The parents of `rel`, in inhseqno order. */
export function parentsOf(catalog: Catalog, rel: Relation): Relation[] {
  return (rel.inheritsFrom ?? []).map((oid) => catalog.relation(oid))
    .filter((r): r is Relation => r !== undefined);
}

/** The direct children of `rel` by OID (find_inheritance_children). */
export function inheritorsOf(catalog: Catalog, rel: Relation): Relation[] {
  if (rel.hasSubclass !== true) return [];
  const out: Relation[] = [];
  for (const r of catalog.allRelations()) {
    if (r.inheritsFrom?.includes(rel.oid) === true) out.push(r);
  }
  return out.sort((a, b) => a.oid - b.oid);
}

/** Every table below `rel`, level by level, each once (find_all_inheritors, without rel). */
export function descendantsOf(catalog: Catalog, rel: Relation): Relation[] {
  const seen = new Set<number>([rel.oid]);
  const out: Relation[] = [];
  for (let level = [rel]; level.length > 0;) {
    const next: Relation[] = [];
    for (const r of level) {
      for (const child of inheritorsOf(catalog, r)) {
        if (seen.has(child.oid)) continue;
        seen.add(child.oid);
        next.push(child);
      }
    }
    out.push(...next);
    level = next;
  }
  return out;
}

/** True when `ancestor` is `rel` or above it. */
export function inheritsFromTable(catalog: Catalog, rel: Relation, ancestor: Relation):
  boolean {
  return rel === ancestor || descendantsOf(catalog, ancestor).includes(rel);
}

/**
 * Where each column of `parent` is in `child`'s rows (by name, as the hierarchy matches
 * columns); -1 for a dropped column of the parent.
 */
export function columnMap(parent: Relation, child: Relation): number[] {
  return parent.columns.map((c) => (c.dropped ? -1
    : child.columns.findIndex((x) => !x.dropped && x.name === c.name)));
}

/** pg_inherits rows of table inheritance (partitions add theirs in `partition/catalogs.ts`). */
export function inheritsRows(catalog: Catalog): Row[] {
  const rows: Row[] = [];
  for (const r of catalog.allRelations()) {
    (r.inheritsFrom ?? []).forEach((parent, i) => rows.push([r.oid, parent, i + 1, false]));
  }
  return rows;
}
