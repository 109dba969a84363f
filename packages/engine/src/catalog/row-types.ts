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
import { makeCompositeTypes, registerUserType, typeOf, type ResultColumn } from "@tessera/sql";
import type { Catalog } from "./catalog.js";
import type { Relation } from "./relation.js";
import { findEnumType } from "./enum-types.js";
import { findCompositeType } from "./composite-types.js";
import { findDomain } from "./domains.js";
import { findRangeTypeOid } from "./range-types.js";
import { registerUserTypeInfo } from "./types.js";

const typeOids = new WeakMap<Relation, number>();
const relationsByType = new Map<number, { catalog: WeakRef<Catalog>; relationOid: number }>();

/**
 * Where the row types of system relations (pg_tables, pg_class …) sit: above every OID the
 * catalog's counter hands out, one per relation OID, so naming `null::pg_tables` leaves the
 * OIDs of user objects as they were. pg_type lists only user relations' row types.
 */
const systemRowTypeOidBase = 3_000_000_000;

/**
 * Where the array types of user relations' row types sit (`wr_t[]`, the type of
 * `array_agg(t)`): this base plus the row type's OID, so naming one takes no OID from the
 * catalog's counter. System relations' row types have no array type.
 */
const rowArrayOidBase = 3_600_000_000;

/** The name each row type's type info was registered under, to follow ALTER … RENAME. */
const registeredNames = new Map<number, string>();

/** Returns the OID of `rel`'s row type, assigning one on first use. */
export function rowTypeOid(catalog: Catalog, rel: Relation): number {
  const known = typeOids.get(rel);
  if (known !== undefined) {
    if (registeredNames.get(known) !== rel.name) registerRowTypeInfo(rel, known);
    return known;
  }
  const oid = rel.virtualRows !== undefined ? systemRowTypeOidBase + rel.oid
    : catalog.allocateOid();
  typeOids.set(rel, oid);
  relationsByType.set(oid, { catalog: new WeakRef(catalog), relationOid: rel.oid });
  registerRowTypeInfo(rel, oid);
  return oid;
}

/**
 * Registers the row type (and its array type) with the type registries, as a composite type
 * is (`composite-types.ts`): category 'C' (IS NULL tests each field, format_type names it),
 * and an array type for `array_agg(t)`. The attributes are read at each use.
 */
function registerRowTypeInfo(rel: Relation, oid: number): void {
  const arrayOid = rel.virtualRows !== undefined ? 0 : rowArrayOidBase + oid;
  registeredNames.set(oid, rel.name);
  const attributes = (): ResultColumn[] => rowTypeColumns(rel);
  const { type, arrayType } = makeCompositeTypes(oid, arrayOid, rel.name, attributes,
    (t) => typeOf(t));
  registerUserType(type);
  registerUserTypeInfo({ oid, name: rel.name, sqlName: rel.name, len: -1, category: "C",
    preferred: false, elem: 0, array: arrayOid });
  if (arrayOid === 0) return;
  registerUserType(arrayType);
  registerUserTypeInfo({ oid: arrayOid, name: `_${rel.name}`, sqlName: `${rel.name}[]`,
    len: -1, category: "A", preferred: false, elem: oid, array: 0 });
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
