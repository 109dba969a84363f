/**
 * The stand-alone composite types of one database (CREATE TYPE name AS (a int, b text)):
 * pg_type rows with typtype 'c' whose typrelid is a pg_class row of relkind 'c' holding the
 * attributes, as a table's row type (`row-types.ts`) points at its table. Values are records
 * (`PgRecord`), so they print, compare and travel as table row values do; `@tessera/sql`'s
 * `makeCompositeTypes` adds text input. The relation, type and array type take OIDs from the
 * catalog's counter, which the WAL logs with each utility statement, so replay gives them the
 * same OIDs. The type's name is claimed in pg_class's namespace, as Postgres's relation is.
 *
 * Like enums (`enum-types.ts`), types are kept per catalog and also indexed process-wide by
 * OID and name, for the analysis steps that have no catalog at hand (column definitions,
 * field selection, casts).
 */
import { SqlError, SqlState } from "@tessera/base";
import { makeCompositeTypes, registerUserType, typeOf, unregisterUserType,
  type CompositeAttribute } from "@tessera/sql";
import type { Catalog } from "./catalog.js";
import { registerUserTypeInfo, unregisterUserTypeInfo } from "./types.js";

export type { CompositeAttribute };

export interface CompositeType {
  readonly oid: number;
  readonly arrayOid: number;
  /** The pg_class row (relkind 'c') holding the attributes. */
  readonly relOid: number;
  schema: string;
  name: string;
  /** The attributes in order; ALTER TYPE replaces the array. */
  attributes: readonly CompositeAttribute[];
}

const stores = new WeakMap<Catalog, Map<number, CompositeType>>();
const byOid = new Map<number, CompositeType>();

function storeOf(catalog: Catalog): Map<number, CompositeType> {
  let store = stores.get(catalog);
  if (store === undefined) {
    store = new Map();
    stores.set(catalog, store);
  }
  return store;
}

/** The composite types of `catalog`, by type OID. */
export function compositeTypesOf(catalog: Catalog): ReadonlyMap<number, CompositeType> {
  return storeOf(catalog);
}

/** Finds a composite type by name in `schema`, or along `path`. */
export function findCompositeType(catalog: Catalog, path: readonly string[],
  schema: string | undefined, name: string): CompositeType | undefined {
  const all = [...storeOf(catalog).values()].filter((t) => t.name === name);
  for (const s of schema === undefined ? path : [schema]) {
    const found = all.find((t) => t.schema === s);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** A composite type named `name` (in `schema` when given) of any live catalog; public first. */
export function compositeTypeByName(schema: string | undefined, name: string):
  number | undefined {
  const found = [...byOid.values()].filter((t) => t.name === name).reverse();
  const match = found.find((t) => t.schema === (schema ?? "public")) ??
    (schema === undefined ? found[0] : undefined);
  return match?.oid;
}

/** The composite type with this OID in any live catalog, if it is one. */
export function compositeTypeByOid(oid: number): CompositeType | undefined {
  return byOid.get(oid);
}

/** The attributes of composite type `oid`, or undefined when it is not one. */
export function compositeAttributes(oid: number): readonly CompositeAttribute[] | undefined {
  return byOid.get(oid)?.attributes;
}

/** Adds a composite type, claims its name and registers its I/O and type info. */
export function addCompositeType(catalog: Catalog, type: CompositeType): void {
  storeOf(catalog).set(type.oid, type);
  byOid.set(type.oid, type);
  catalog.claimName(type.schema, type.name, type.relOid);
  registerCompositeIo(type);
}

function registerCompositeIo(type: CompositeType): void {
  const { type: pgType, arrayType } = makeCompositeTypes(type.oid, type.arrayOid, type.name,
    () => type.attributes, (oid) => typeOf(oid));
  registerUserType(pgType);
  registerUserType(arrayType);
  registerUserTypeInfo({ oid: type.oid, name: type.name, sqlName: type.name, len: -1,
    category: "C", preferred: false, elem: 0, array: type.arrayOid });
  registerUserTypeInfo({ oid: type.arrayOid, name: `_${type.name}`, sqlName: `${type.name}[]`,
    len: -1, category: "A", preferred: false, elem: type.oid, array: 0 });
}

/** Renames a composite type (ALTER TYPE … RENAME TO): its name, I/O and pg_class name. */
export function renameCompositeType(catalog: Catalog, type: CompositeType, name: string): void {
  catalog.releaseName(type.schema, type.name);
  type.name = name;
  catalog.claimName(type.schema, type.name, type.relOid);
  registerCompositeIo(type);
}

/** Removes a composite type, its name and its registrations. */
export function removeCompositeType(catalog: Catalog, type: CompositeType): void {
  storeOf(catalog).delete(type.oid);
  if (byOid.get(type.oid) === type) byOid.delete(type.oid);
  catalog.releaseName(type.schema, type.name);
  for (const oid of [type.oid, type.arrayOid]) {
    unregisterUserType(oid);
    unregisterUserTypeInfo(oid);
  }
}

/** Raises Postgres's 42809 when a relation name names a composite type (`FROM pair`). */
export function refuseCompositeRelation(catalog: Catalog, path: readonly string[],
  schema: string | undefined, name: string): void {
  const found = catalog.lookupName(path, schema, name);
  if (found === undefined) return;
  const type = [...storeOf(catalog).values()].find((t) => t.relOid === found.oid);
  if (type !== undefined) {
    throw new SqlError(SqlState.wrongObjectType, `"${name}" is a composite type`);
  }
}
