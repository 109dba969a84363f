/**
 * Owners of user-defined types (pg_type.typowner): enums, composite types, domains and range
 * types (a range's multirange is one of its own), kept in `privileges.ts` under the type's
 * OID. A type's array has the same owner; a table's row type has the table's owner, and a composite
 * type's pg_class row (relkind 'c') the type's.
 */
import type { Row } from "@tessera/sql";
import type { Catalog } from "./catalog.js";
import { compositeTypesOf } from "./composite-types.js";
import { domainsOf } from "./domains.js";
import { enumTypesOf } from "./enum-types.js";
import { rangeTypesOf } from "./range-types.js";
import { ownerOf, setOwner } from "./privileges.js";

export interface UserType {
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  /** The pg_class OID of a composite type, else undefined. */
  readonly relOid: number | undefined;
  /** The types that share its owner: its array. */
  readonly related: readonly number[];
}

/** Every user-defined type of the catalog. */
export function allUserTypes(catalog: Catalog): UserType[] {
  const out: UserType[] = [];
  for (const t of enumTypesOf(catalog).values()) {
    out.push({ oid: t.oid, schema: t.schema, name: t.name, relOid: undefined,
      related: [t.arrayOid] });
  }
  for (const t of compositeTypesOf(catalog).values()) {
    out.push({ oid: t.oid, schema: t.schema, name: t.name, relOid: t.relOid,
      related: [t.arrayOid] });
  }
  for (const t of domainsOf(catalog).values()) {
    out.push({ oid: t.oid, schema: t.schema, name: t.name, relOid: undefined,
      related: [t.arrayOid] });
  }
  for (const t of rangeTypesOf(catalog).values()) {
    // The multirange is a type of its own: ALTER TYPE of the range leaves it.
    out.push({ oid: t.oid, schema: t.schema, name: t.name, relOid: undefined,
      related: [t.arrayOid] });
    out.push({ oid: t.multirangeOid, schema: t.schema, name: t.multirangeName,
      relOid: undefined, related: [t.multirangeArrayOid] });
  }
  return out;
}

/** The user type a (possibly qualified) name finds along `path`. */
export function findUserType(catalog: Catalog, path: readonly string[],
  names: readonly string[]): UserType | undefined {
  const name = names[names.length - 1] ?? "";
  const schema = names.length > 1 ? names[names.length - 2] : undefined;
  const named = allUserTypes(catalog).filter((t) => t.name === name);
  for (const s of schema === undefined ? path : [schema]) {
    const found = named.find((t) => t.schema === s);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The type's name as format_type_be shows it: qualified unless the search path finds it. */
export function typeShownName(catalog: Catalog, path: readonly string[], type: UserType):
  string {
  const visible = findUserType(catalog, path, [type.name])?.oid === type.oid;
  const quote = (s: string): string => (/^[a-z_][a-z0-9_$]*$/.test(s) ? s
    : `"${s.replace(/"/g, "\"\"")}"`);
  return visible ? quote(type.name) : `${quote(type.schema)}.${quote(type.name)}`;
}

export function typeOwner(catalog: Catalog, type: UserType): number {
  return ownerOf(catalog, "type", type.oid);
}

/** Gives a type to `owner`, with the pg_class row of a composite type. */
export function setTypeOwner(catalog: Catalog, type: UserType, owner: number): void {
  setOwner(catalog, "type", type.oid, owner);
  if (type.relOid !== undefined) setOwner(catalog, "table", type.relOid, owner);
}

/** pg_type column numbers the owner pass reads. */
const col = { oid: 0, owner: 3, category: 7, relid: 11, elem: 13 } as const;

/** Rows of pg_type with typowner set from the types' and tables' owners. */
export function withTypeOwners(catalog: Catalog, rows: Row[]): Row[] {
  const owners = new Map<number, number>();
  for (const t of allUserTypes(catalog)) {
    const owner = typeOwner(catalog, t);
    for (const oid of [t.oid, ...t.related]) owners.set(oid, owner);
  }
  const ownerOfRow = (row: Row): number | undefined => {
    const relid = row[col.relid] as number;
    if (relid !== 0) return ownerOf(catalog, "table", relid);
    return owners.get(row[col.oid] as number);
  };
  const byOid = new Map<number, Row>(rows.map((row) => [row[col.oid] as number, row]));
  return rows.map((row) => {
    if ((row[col.oid] as number) < firstUserOid) return row;
    let owner = ownerOfRow(row);
    const elem = row[col.elem] as number;
    if (owner === undefined && row[col.category] === "A" && elem !== 0) {
      const element = byOid.get(elem);
      owner = element === undefined ? undefined : ownerOfRow(element);
    }
    if (owner === undefined || owner === row[col.owner]) return row;
    const copy = [...row];
    copy[col.owner] = owner;
    return copy;
  });
}

const firstUserOid = 16384;
