/**
 * Row types: every table is also a composite type of the same name (pg_type's typtype 'c'
 * with typrelid = the table), so `null::t`, `jsonb_populate_record(null::t, j)` and
 * `(p).name` name a row of t. The type's OID is taken from the catalog's counter the first
 * time it is asked for and kept per table, as constraint OIDs are (`system-catalogs/oids.ts`).
 *
 * Values of a row type are records (`PgRecord`) and print as Postgres prints composites:
 * `(99,,"{""q"": 1}")`.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ResultColumn } from "@tessera/sql";
import type { Catalog } from "./catalog.js";
import type { Relation } from "./relation.js";
import { findEnumType } from "./enum-types.js";
import { findCompositeType } from "./composite-types.js";
import { findDomain } from "./domains.js";
import { findRangeTypeOid } from "./range-types.js";

const typeOids = new WeakMap<Relation, number>();
const relationsByType = new Map<number, { catalog: WeakRef<Catalog>; relationOid: number }>();

/**
 * Where the row types of system relations (pg_tables, pg_class …) sit: above every OID the
 * catalog's counter hands out, one per relation OID, so naming `null::pg_tables` leaves the
 * OIDs of user objects as they were. pg_type lists only user relations' row types.
 */
const systemRowTypeOidBase = 3_000_000_000;

/** Returns the OID of `rel`'s row type, assigning one on first use. */
export function rowTypeOid(catalog: Catalog, rel: Relation): number {
  const known = typeOids.get(rel);
  if (known !== undefined) return known;
  const oid = rel.virtualRows !== undefined ? systemRowTypeOidBase + rel.oid
    : catalog.allocateOid();
  typeOids.set(rel, oid);
  relationsByType.set(oid, { catalog: new WeakRef(catalog), relationOid: rel.oid });
  return oid;
}

/** Returns the table whose row type is `typeOid`, or undefined for other types. */
export function rowTypeRelation(catalog: Catalog, typeOid: number): Relation | undefined {
  const entry = relationsByType.get(typeOid);
  if (entry === undefined || entry.catalog.deref() !== catalog) return undefined;
  const rel = catalog.relation(entry.relationOid);
  return rel !== undefined && typeOids.get(rel) === typeOid ? rel : undefined;
}

/** True when `typeOid` is some table's row type (values are records). */
export function isRowType(typeOid: number): boolean {
  return relationsByType.has(typeOid);
}

/** Returns the columns of `rel`'s row type: its live columns in order. */
export function rowTypeColumns(rel: Relation): ResultColumn[] {
  return rel.columns.filter((c) => !c.dropped)
    .map((c) => ({ name: c.name, type: c.type, typmod: c.typmod }));
}

/** Returns the row (or enum) type named `name` in the search path, or undefined. */
export function findRowType(catalog: Catalog, path: readonly string[],
  schema: string | undefined, name: string): number | undefined {
  if (schema !== undefined && schema !== "pg_temp" && !catalog.schemaExists(schema)) {
    throw new SqlError(SqlState.invalidSchemaName, `schema "${schema}" does not exist`);
  }
  const enumType = findEnumType(catalog, path, schema, name);
  if (enumType !== undefined) return enumType.oid;
  const composite = findCompositeType(catalog, path, schema, name);
  if (composite !== undefined) return composite.oid;
  const domain = findDomain(catalog, path, schema, name);
  if (domain !== undefined) return domain.oid;
  const range = findRangeTypeOid(catalog, path, schema, name);
  if (range !== undefined) return range;
  const rel = catalog.findRelation(path, schema, name);
  if (rel === undefined) return undefined;
  return rowTypeOid(catalog, rel);
}

/**
 * The columns of the table whose row type is `typeOid`, looked up in the catalog that named
 * the type (for places without a catalog at hand: coercions, field selection); else undefined.
 */
export function rowTypeAttributes(typeOid: number): ResultColumn[] | undefined {
  const entry = relationsByType.get(typeOid);
  const catalog = entry?.catalog.deref();
  if (catalog === undefined) return undefined;
  const rel = rowTypeRelation(catalog, typeOid);
  return rel === undefined ? undefined : rowTypeColumns(rel);
}
