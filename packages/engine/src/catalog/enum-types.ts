/**
 * The enum types of one database (pg_type rows with typtype 'e', their labels pg_enum rows):
 * kept per catalog, found by schema and name, and registered by OID with `@tessera/sql`'s
 * type registry (I/O, ordering, casts through text) and `types.ts` (names, categories) while
 * they exist. The type, its array type and each label take OIDs from the catalog's counter,
 * which the WAL logs with each utility statement, so replay gives them the same OIDs.
 *
 * Type names are resolved along the search path where the caller has one (casts, through
 * `findRowType`); `resolveTypeName` without a catalog at hand (column definitions) falls back
 * to `enumTypeByName`, which looks in every live catalog of the process (one, in a daemon).
 */
import {
  EnumLabels, makeEnumTypes, registerUserType, unregisterUserType, type EnumLabel,
} from "@tessera/sql";
import type { Catalog } from "./catalog.js";
import { registerUserTypeInfo, unregisterUserTypeInfo } from "./types.js";

export interface EnumType {
  readonly oid: number;
  readonly arrayOid: number;
  readonly schema: string;
  readonly name: string;
  readonly labels: EnumLabels;
}

const stores = new WeakMap<Catalog, Map<number, EnumType>>();
/** Every live enum of the process by name, for lookups without a catalog. */
const byName = new Map<string, Set<EnumType>>();
/** Every live enum of the process by type OID. */
const byOid = new Map<number, EnumType>();

/** The label OIDs of enum `typeOid` in sort order (enum_range, enum_first, enum_last). */
export function enumLabelOids(typeOid: number): number[] {
  return (byOid.get(typeOid)?.labels.labels ?? []).map((l) => l.oid);
}

/** The enum types of `catalog`, by type OID. */
export function enumTypesOf(catalog: Catalog): ReadonlyMap<number, EnumType> {
  return storeOf(catalog);
}

function storeOf(catalog: Catalog): Map<number, EnumType> {
  let store = stores.get(catalog);
  if (store === undefined) {
    store = new Map();
    stores.set(catalog, store);
  }
  return store;
}

/** Finds an enum by name in `schema`, or along `path`. */
export function findEnumType(catalog: Catalog, path: readonly string[],
  schema: string | undefined, name: string): EnumType | undefined {
  const all = [...storeOf(catalog).values()].filter((t) => t.name === name);
  for (const s of schema === undefined ? path : [schema]) {
    const found = all.find((t) => t.schema === s);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The enum with this type OID in `catalog`, if it is one. */
export function enumTypeOf(catalog: Catalog, oid: number): EnumType | undefined {
  return storeOf(catalog).get(oid);
}

/** An enum named `name` (in `schema` when given) of any live catalog; public first. */
export function enumTypeByName(schema: string | undefined, name: string): number | undefined {
  // The newest registration of an OID wins: an engine reopened in one process (tests)
  // replays its types over the old engine's.
  const found = [...byName.get(name) ?? []].filter((t) => byOid.get(t.oid) === t).reverse();
  const match = found.find((t) => t.schema === (schema ?? "public")) ??
    (schema === undefined ? found[0] : undefined);
  return match?.oid;
}

/** Adds an enum type and registers its I/O. */
export function addEnumType(catalog: Catalog, type: EnumType): void {
  storeOf(catalog).set(type.oid, type);
  const set = byName.get(type.name) ?? new Set();
  set.add(type);
  byName.set(type.name, set);
  byOid.set(type.oid, type);
  const { type: pgType, arrayType } = makeEnumTypes(type.oid, type.arrayOid, type.labels);
  registerUserType(pgType);
  registerUserType(arrayType);
  registerUserTypeInfo({ oid: type.oid, name: type.name, sqlName: type.name, len: 4,
    category: "E", preferred: false, elem: 0, array: type.arrayOid });
  registerUserTypeInfo({ oid: type.arrayOid, name: `_${type.name}`, sqlName: `${type.name}[]`,
    len: -1, category: "A", preferred: false, elem: type.oid, array: 0 });
}

/** Removes an enum type and its registrations. */
export function removeEnumType(catalog: Catalog, type: EnumType): void {
  storeOf(catalog).delete(type.oid);
  byName.get(type.name)?.delete(type);
  if (byOid.get(type.oid) === type) byOid.delete(type.oid);
  for (const oid of [type.oid, type.arrayOid]) {
    unregisterUserType(oid);
    unregisterUserTypeInfo(oid);
  }
}

/** Every label of every enum of `catalog`, for pg_enum. */
export function allEnumLabels(catalog: Catalog): { typeOid: number; label: EnumLabel }[] {
  return [...storeOf(catalog).values()]
    .flatMap((t) => t.labels.labels.map((label) => ({ typeOid: t.oid, label })));
}
