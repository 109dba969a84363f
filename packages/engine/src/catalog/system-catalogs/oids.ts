/**
 * The OIDs pg_catalog hands out for things the catalog does not number itself: the fixed
 * OIDs of Postgres 15's own objects (roles, access methods, the system relations), and OIDs
 * for constraints, which our catalog keeps without one. A constraint gets its OID from the
 * catalog's counter the first time pg_constraint shows it, and keeps it for the life of the
 * database, so `pg_get_constraintdef(oid)` finds it again (the object is the key).
 */
import type { Catalog } from "../catalog.js";
import { isTempSchema } from "../catalog.js";
import type { Index, Relation } from "../relation.js";

/** Postgres 15's fixed OIDs that psql and drivers read. */
/** The I/O functions every array type names in pg_type (Postgres 15's OIDs). */
export const arrayIo = { input: 750, output: 751, receive: 2400, send: 2401 } as const;

export const SysOid = {
  bootstrapSuperuser: 10,
  databaseOwner: 6171,
  pgCatalog: 11,
  pgToast: 99,
  publicSchema: 2200,
  informationSchema: 13000,
  heapAm: 2,
  btreeAm: 403,
  hashAm: 405,
  defaultCollation: 100,
  cCollation: 950,
  posixCollation: 951,
  database: 5,
  template1: 1,
  template0: 4,
} as const;

/** The OID of a constraint object (a check, a foreign key, a pkey or unique index). */
export function constraintOid(catalog: Catalog, key: object): number {
  let oids = constraintOids.get(catalog);
  if (oids === undefined) {
    oids = new WeakMap();
    constraintOids.set(catalog, oids);
  }
  const known = oids.get(key);
  if (known !== undefined) return known;
  const oid = catalog.allocateOid();
  oids.set(key, oid);
  return oid;
}

const constraintOids = new WeakMap<Catalog, WeakMap<object, number>>();

/** Returns the OID of a schema, or 0 when it does not exist. */
export function namespaceOid(catalog: Catalog, schema: string): number {
  return catalog.allSchemas().find(([name]) => name === schema)?.[1] ?? 0;
}

/** Returns the schema with OID `oid`, or undefined. */
export function namespaceName(catalog: Catalog, oid: number): string | undefined {
  return catalog.allSchemas().find(([, o]) => o === oid)?.[0];
}

/** 't' for a temporary relation, else 'p' (pg_class.relpersistence). */
export function persistence(schema: string): string {
  return isTempSchema(schema) ? "t" : "p";
}

/** True for relations the engine computes (pg_type, pg_dist_node …), not user tables. */
export function isSystemRelation(relation: Relation): boolean {
  return relation.virtualRows !== undefined;
}

/** Every user index with its table. */
export function allIndexes(catalog: Catalog): { relation: Relation; index: Index }[] {
  const out: { relation: Relation; index: Index }[] = [];
  for (const relation of catalog.allRelations()) {
    for (const index of relation.indexes) out.push({ relation, index });
  }
  return out;
}

/** Finds an index by OID. */
export function indexByOid(catalog: Catalog, oid: number):
  { relation: Relation; index: Index } | undefined {
  return allIndexes(catalog).find((x) => x.index.oid === oid);
}

/** The live (not dropped) columns of a relation with their attribute numbers. */
export function liveColumns(relation: Relation): { attnum: number; index: number }[] {
  const out: { attnum: number; index: number }[] = [];
  relation.columns.forEach((c, index) => {
    if (!c.dropped) out.push({ attnum: index + 1, index });
  });
  return out;
}
