/**
 * Column privileges (Postgres's pg_attribute.attacl): GRANT SELECT (a, b) ON t TO r gives a
 * role some of INSERT, SELECT, UPDATE and REFERENCES on single columns of a table or view,
 * kept beside the catalog by relation OID and column number. A column's ACL is null until
 * the first column GRANT and becomes null again when REVOKE empties it; there is no owner
 * default (the owner's rights come from the table's ACL).
 *
 * What a role holds on a column is the union of the table's privileges and the column's
 * (aclmask over both), as pg_attribute_aclmask: the table-level check comes first
 * (`permission-checks.ts`), the columns only when it fails.
 */
import { makeArray, type Value } from "@tessera/sql";
import type { Catalog } from "./catalog.js";
import { hasPrivilegesOf, roleByOid } from "./roles.js";
import { aclText, inOrder, type AclItem } from "./privileges.js";
import { Oid } from "./types.js";

/** The privileges a column can be granted, in letter order. */
export const columnPrivileges = "arwx";

type ColumnAcls = Map<number, Map<number, AclItem[]>>;

const stores = new WeakMap<Catalog, ColumnAcls>();

function store(catalog: Catalog): ColumnAcls {
  let map = stores.get(catalog);
  if (map === undefined) {
    map = new Map();
    stores.set(catalog, map);
  }
  return map;
}

/** A column's ACL as stored; null when no column GRANT is in force. */
export function columnAcl(catalog: Catalog, relOid: number, attnum: number):
  readonly AclItem[] | null {
  return stores.get(catalog)?.get(relOid)?.get(attnum) ?? null;
}

/** Replaces a column's ACL; an empty one is forgotten (attacl null). */
export function setColumnAcl(catalog: Catalog, relOid: number, attnum: number,
  acl: AclItem[]): void {
  const map = store(catalog);
  let columns = map.get(relOid);
  if (columns === undefined) {
    columns = new Map();
    map.set(relOid, columns);
  }
  const kept = acl.filter((item) => item.privs !== "");
  if (kept.length === 0) columns.delete(attnum);
  else columns.set(attnum, kept);
  if (columns.size === 0) map.delete(relOid);
}

/** True when any column of the relation has an ACL (a cheap test before column checks). */
export function hasColumnAcls(catalog: Catalog, relOid: number): boolean {
  return stores.get(catalog)?.has(relOid) === true;
}

/** The privilege letters `role` holds on one column through its column ACL only. */
export function heldColumnPrivileges(catalog: Catalog, relOid: number, attnum: number,
  role: number): string {
  if (roleByOid(catalog, role)?.superuser === true) return columnPrivileges;
  let privs = "";
  for (const item of columnAcl(catalog, relOid, attnum) ?? []) {
    if (item.grantee !== 0 && !hasPrivilegesOf(catalog, role, item.grantee)) continue;
    privs += item.privs;
  }
  return inOrder(privs);
}

/** Every column number of the relation with an ACL. */
export function columnsWithAcls(catalog: Catalog, relOid: number): number[] {
  return [...(stores.get(catalog)?.get(relOid)?.keys() ?? [])];
}

/** pg_attribute.attacl of one column: aclitem[] as text[], or null. */
export function columnAclArray(catalog: Catalog, relOid: number, attnum: number): Value {
  const acl = columnAcl(catalog, relOid, attnum);
  return acl === null ? null : makeArray(Oid.text, aclText(catalog, acl));
}

/** Forgets the column ACLs of a dropped relation. */
export function forgetColumnAcls(catalog: Catalog, relOid: number): void {
  stores.get(catalog)?.delete(relOid);
}

/** Every role named in a column ACL, with the relation and column (DROP ROLE's check). */
export function columnAclRoles(catalog: Catalog): { relOid: number; attnum: number;
  roles: number[] }[] {
  const out: { relOid: number; attnum: number; roles: number[] }[] = [];
  for (const [relOid, columns] of stores.get(catalog) ?? []) {
    for (const [attnum, acl] of columns) {
      out.push({ relOid, attnum, roles: acl.flatMap((i) => [i.grantee, i.grantor]) });
    }
  }
  return out;
}

/** A copy of every column ACL, and the function that puts them back (statement undo). */
export function snapshotColumnPrivileges(catalog: Catalog): () => void {
  const map = store(catalog);
  const copy = [...map].map(([rel, columns]) => [rel, [...columns].map(([attnum, acl]) =>
    [attnum, acl.map((item) => ({ ...item }))] as const)] as const);
  return () => {
    map.clear();
    for (const [rel, columns] of copy) {
      map.set(rel, new Map(columns.map(([attnum, acl]) =>
        [attnum, acl.map((item) => ({ ...item }))])));
    }
  };
}
