/**
 * The domains of one database (CREATE DOMAIN posint AS int CHECK (VALUE > 0)): pg_type rows
 * with typtype 'd' over a base type (typbasetype, typtypmod), with typnotnull, a default and
 * CHECK constraints (pg_constraint rows with contypid). A domain's values are its base type's
 * values: its I/O, comparison and hashing are the base type's, registered under the domain's
 * OID with `@tessera/sql`'s type registry and `types.ts`, so columns, casts and result rows of
 * the domain print and compare as the base type does while pg_typeof names the domain.
 *
 * Constraints are enforced where a value becomes the domain (`analyze/domain-coerce.ts`) and
 * when a row is written (`execute/row-writer.ts`). The domain, its array type and each
 * constraint take OIDs from the catalog's counter, which the WAL logs with each utility
 * statement, so replay gives them the same OIDs. Like enums (`enum-types.ts`), domains are
 * kept per catalog and indexed process-wide by OID and name for the analysis steps that have
 * no catalog at hand (column definitions, casts).
 */
import { registerUserType, typeByOid, unregisterUserType, type ast } from "@tessera/sql";
import type { Catalog } from "./catalog.js";
import { registerUserTypeInfo, typeInfo, unregisterUserTypeInfo } from "./types.js";

/** One CHECK constraint of a domain. */
export interface DomainConstraint {
  readonly oid: number;
  name: string;
  /** The raw CHECK expression; the column reference `value` stands for the value. */
  readonly expr: ast.Node;
  /** convalidated: false after ADD CONSTRAINT … NOT VALID. */
  validated: boolean;
}

export interface DomainType {
  readonly oid: number;
  readonly arrayOid: number;
  schema: string;
  name: string;
  /** typbasetype: the type the domain is over (another domain, possibly). */
  readonly baseType: number;
  /** typtypmod: the base type's modifier (`varchar(5)` gives 9), -1 when none. */
  readonly baseTypmod: number;
  notNull: boolean;
  /** The raw DEFAULT expression, or null. */
  defaultExpr: ast.Node | null;
  constraints: DomainConstraint[];
  /** Bumped on every change, so compiled checks are recompiled. */
  version: number;
}

const stores = new WeakMap<Catalog, Map<number, DomainType>>();
/** Every live domain of the process by type OID (the newest registration wins). */
const byOid = new Map<number, DomainType>();
/** Array type OID -> the domain it holds. */
const byArrayOid = new Map<number, DomainType>();

function storeOf(catalog: Catalog): Map<number, DomainType> {
  let store = stores.get(catalog);
  if (store === undefined) {
    store = new Map();
    stores.set(catalog, store);
  }
  return store;
}

/** The domains of `catalog`, by type OID. */
export function domainsOf(catalog: Catalog): ReadonlyMap<number, DomainType> {
  return storeOf(catalog);
}

/** Finds a domain by name in `schema`, or along `path`. */
export function findDomain(catalog: Catalog, path: readonly string[],
  schema: string | undefined, name: string): DomainType | undefined {
  const all = [...storeOf(catalog).values()].filter((d) => d.name === name);
  for (const s of schema === undefined ? path : [schema]) {
    const found = all.find((d) => d.schema === s);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** A domain named `name` (in `schema` when given) of any live catalog; public first. */
export function domainTypeByName(schema: string | undefined, name: string): number | undefined {
  const found = [...byOid.values()].filter((d) => d.name === name).reverse();
  const match = found.find((d) => d.schema === (schema ?? "public")) ??
    (schema === undefined ? found[0] : undefined);
  return match?.oid;
}

/** The domain with this type OID in any live catalog, if it is one. */
export function domainOf(oid: number): DomainType | undefined {
  return byOid.size === 0 ? undefined : byOid.get(oid);
}

/** The domain whose array type is `oid`, if it is one. */
export function domainOfArray(oid: number): DomainType | undefined {
  return byArrayOid.size === 0 ? undefined : byArrayOid.get(oid);
}

/** True when any domain exists in the process (fast paths skip domain work otherwise). */
export function anyDomains(): boolean {
  return byOid.size > 0;
}

/**
 * getBaseTypeAndTypmod: the type under every domain layer of `oid`, with its modifier; a
 * type that is not a domain is its own base.
 */
export function baseTypeOf(oid: number, typmod = -1): { type: number; typmod: number } {
  let type = oid;
  let mod = typmod;
  for (let d = domainOf(type); d !== undefined; d = domainOf(type)) {
    type = d.baseType;
    mod = d.baseTypmod;
  }
  return { type, typmod: mod };
}

/** The domain layers of `oid`, outermost first (empty for other types). */
export function domainChain(oid: number): DomainType[] {
  const out: DomainType[] = [];
  for (let d = domainOf(oid); d !== undefined; d = domainOf(d.baseType)) out.push(d);
  return out;
}

/** The default a column of type `oid` takes without its own: the nearest domain's default. */
export function domainDefault(oid: number): { domain: DomainType; expr: ast.Node } | undefined {
  for (const d of domainChain(oid)) {
    if (d.defaultExpr !== null) return { domain: d, expr: d.defaultExpr };
  }
  return undefined;
}

/** Adds a domain and registers its I/O and type info. */
export function addDomain(catalog: Catalog, domain: DomainType): void {
  storeOf(catalog).set(domain.oid, domain);
  byOid.set(domain.oid, domain);
  byArrayOid.set(domain.arrayOid, domain);
  registerDomainIo(domain);
}

function registerDomainIo(domain: DomainType): void {
  const base = typeByOid(domain.baseType);
  const info = typeInfo(domain.baseType);
  if (base !== undefined) {
    registerUserType({ ...base, oid: domain.oid, name: domain.name, arrayOid: domain.arrayOid,
      preferred: false });
    const baseArray = typeByOid(base.arrayOid);
    if (baseArray !== undefined) {
      registerUserType({ ...baseArray, oid: domain.arrayOid, name: `_${domain.name}`,
        elementOid: domain.oid, arrayOid: 0 });
    }
  }
  registerUserTypeInfo({ oid: domain.oid, name: domain.name, sqlName: domain.name,
    len: info.len, category: info.category, preferred: false, elem: 0,
    array: domain.arrayOid });
  registerUserTypeInfo({ oid: domain.arrayOid, name: `_${domain.name}`,
    sqlName: `${domain.name}[]`, len: -1, category: "A", preferred: false, elem: domain.oid,
    array: 0 });
}

/** Renames a domain (ALTER DOMAIN … RENAME TO): its name and its registrations. */
export function renameDomain(domain: DomainType, name: string): void {
  domain.name = name;
  domain.version++;
  registerDomainIo(domain);
}

/** Removes a domain and its registrations. */
export function removeDomain(catalog: Catalog, domain: DomainType): void {
  storeOf(catalog).delete(domain.oid);
  if (byOid.get(domain.oid) === domain) byOid.delete(domain.oid);
  if (byArrayOid.get(domain.arrayOid) === domain) byArrayOid.delete(domain.arrayOid);
  for (const oid of [domain.oid, domain.arrayOid]) {
    unregisterUserType(oid);
    unregisterUserTypeInfo(oid);
  }
}

/** Every constraint of every domain of `catalog`, for pg_constraint. */
export function allDomainConstraints(catalog: Catalog):
  { domain: DomainType; constraint: DomainConstraint }[] {
  return [...storeOf(catalog).values()]
    .flatMap((domain) => domain.constraints.map((constraint) => ({ domain, constraint })));
}
