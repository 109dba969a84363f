/**
 * Default privileges (Postgres's pg_default_acl): the ACL a role's new tables, sequences,
 * functions, types or schemas get, set by ALTER DEFAULT PRIVILEGES (`ddl/default-
 * privileges.ts`). An entry belongs to a role, and either to one schema or to none (global);
 * its object type is pg_default_acl's letter:
 *
 *   r  tables, views, materialized views      S  sequences      f  functions, procedures
 *   T  types                                  n  schemas (global entries only)
 *
 * A global entry holds the whole ACL new objects start with (the built-in default, acldefault,
 * changed by the statements); a schema's entry holds only what is added for that schema.
 * A new object's ACL is the merge of the two (get_user_default_acl), kept only when it differs
 * from the built-in default. Entries are sorted as aclitemsort sorts (by grantee, grantor).
 *
 * Types keep no ACL here (USAGE on a type is not checked), so type entries are shown in
 * pg_default_acl and `\ddp` but change nothing.
 */
import { makeArray, type Row } from "@tessera/sql";
import type { Catalog } from "./catalog.js";
import {
  aclText, defaultAcl, inOrder, setAcl, type AclItem, type AclKind,
} from "./privileges.js";
import { allSqlFunctions } from "./sql-functions.js";
import type { SystemRelationDef } from "./system-relations.js";
import { Oid } from "./types.js";

/** pg_default_acl.defaclobjtype. */
export type DefaultAclType = "r" | "S" | "f" | "T" | "n";

export interface DefaultAclEntry {
  readonly oid: number;
  readonly role: number;
  /** The schema's OID, or 0 for a global entry. */
  readonly schema: number;
  readonly type: DefaultAclType;
  acl: AclItem[];
}

/** The privileges each object type knows, in letter order (ACL_ALL_RIGHTS_*). */
export const defaultAclPrivileges: Readonly<Record<DefaultAclType, string>> = {
  r: "arwdDxt", S: "rwU", f: "X", T: "U", n: "UC",
};

const stores = new WeakMap<Catalog, DefaultAclEntry[]>();

function store(catalog: Catalog): DefaultAclEntry[] {
  let entries = stores.get(catalog);
  if (entries === undefined) {
    entries = [];
    stores.set(catalog, entries);
  }
  return entries;
}

/** Every entry, as pg_default_acl holds them. */
export function defaultAclEntries(catalog: Catalog): readonly DefaultAclEntry[] {
  return stores.get(catalog) ?? [];
}

/** The entry of a role, schema (0: global) and object type, if there is one. */
export function findDefaultAcl(catalog: Catalog, role: number, schema: number,
  type: DefaultAclType): DefaultAclEntry | undefined {
  return defaultAclEntries(catalog).find((e) =>
    e.role === role && e.schema === schema && e.type === type);
}

/** Stores an entry's new ACL, adding the entry, or removes it when `acl` is undefined. */
export function putDefaultAcl(catalog: Catalog, key: Omit<DefaultAclEntry, "acl">,
  acl: AclItem[] | undefined): void {
  const entries = store(catalog);
  const at = entries.findIndex((e) =>
    e.role === key.role && e.schema === key.schema && e.type === key.type);
  if (acl === undefined) {
    if (at >= 0) entries.splice(at, 1);
  } else if (at >= 0) {
    entries[at]!.acl = acl;
  } else {
    entries.push({ ...key, acl });
  }
}

/** acldefault for a default-ACL type: what a new object of `owner` has without entries. */
export function builtInAcl(type: DefaultAclType, owner: number): AclItem[] {
  if (type === "T") {
    return [{ grantee: 0, grantor: owner, privs: "U", options: "" },
      { grantee: owner, grantor: owner, privs: "U", options: "" }];
  }
  const kind: AclKind = type === "r" ? "table" : type === "S" ? "sequence"
    : type === "f" ? "function" : "schema";
  return defaultAcl(kind, owner);
}

/** aclitemsort's order: by grantee, then grantor. */
export function sortAcl(acl: AclItem[]): AclItem[] {
  return acl.sort((a, b) => a.grantee - b.grantee || a.grantor - b.grantor);
}

/** aclequal after sorting: the same items with the same privileges and grant options. */
export function sameAcl(a: readonly AclItem[], b: readonly AclItem[]): boolean {
  const key = (acl: readonly AclItem[]): string => sortAcl([...acl]).map((i) =>
    `${i.grantee}/${i.grantor}/${i.privs}/${i.options}`).join(",");
  return key(a) === key(b);
}

/** aclmerge: `left` with every item of `right` added (privileges of one pair united). */
function mergeAcl(left: readonly AclItem[], right: readonly AclItem[]): AclItem[] {
  const out = left.map((item) => ({ ...item }));
  for (const item of right) {
    const same = out.find((i) => i.grantee === item.grantee && i.grantor === item.grantor);
    if (same === undefined) out.push({ ...item });
    else {
      same.privs = inOrder(same.privs + item.privs);
      same.options = inOrder(same.options + item.options);
    }
  }
  return out;
}

/** get_user_default_acl: the ACL a new object gets, or undefined for the built-in one. */
export function newObjectAcl(catalog: Catalog, type: DefaultAclType, owner: number,
  schema: number): AclItem[] | undefined {
  const global = findDefaultAcl(catalog, owner, 0, type)?.acl;
  const inSchema = schema === 0 ? undefined : findDefaultAcl(catalog, owner, schema, type)?.acl;
  if (global === undefined && inSchema === undefined) return undefined;
  const builtIn = builtInAcl(type, owner);
  const merged = sortAcl(mergeAcl(global ?? builtIn, inSchema ?? []));
  return sameAcl(merged, builtIn) ? undefined : merged;
}

function schemaOid(catalog: Catalog, name: string): number {
  return catalog.allSchemas().find(([n]) => n === name)?.[1] ?? 0;
}

/**
 * Gives every object made since OID `from` (by role `owner`) the ACL its default privileges
 * call for, when they call for one (CREATE TABLE, VIEW, SEQUENCE, FUNCTION, SCHEMA …).
 */
export function applyDefaultAcls(catalog: Catalog, from: number, owner: number): void {
  if (defaultAclEntries(catalog).length === 0) return;
  const apply = (kind: AclKind, type: DefaultAclType, oid: number, schema: number): void => {
    const acl = newObjectAcl(catalog, type, owner, schema);
    if (acl !== undefined) setAcl(catalog, kind, oid, acl);
  };
  for (const rel of catalog.allRelations()) {
    if (rel.oid >= from && ["r", "v", "m", "p", "f"].includes(rel.kind)) {
      apply("table", "r", rel.oid, schemaOid(catalog, rel.schema));
    }
  }
  for (const seq of catalog.allSequences()) {
    if (seq.oid >= from) apply("sequence", "S", seq.oid, schemaOid(catalog, seq.schema));
  }
  for (const fn of allSqlFunctions(catalog)) {
    if (fn.oid >= from) apply("function", "f", fn.oid, schemaOid(catalog, fn.schema));
  }
  for (const [, oid] of catalog.allSchemas()) {
    if (oid >= from) apply("schema", "n", oid, 0);
  }
}

/** A copy of the entries, and the function that puts them back (statement undo). */
export function snapshotDefaultAcls(catalog: Catalog): () => void {
  const entries = store(catalog);
  const copy = entries.map((e) => ({ ...e, acl: e.acl.map((i) => ({ ...i })) }));
  return () => {
    entries.length = 0;
    for (const e of copy) entries.push({ ...e, acl: e.acl.map((i) => ({ ...i })) });
  };
}

/** pg_default_acl. */
export function pgDefaultAcl(catalog: Catalog): SystemRelationDef {
  return {
    oid: 826, schema: "pg_catalog", name: "pg_default_acl",
    columns: [["oid", Oid.oid], ["defaclrole", Oid.oid], ["defaclnamespace", Oid.oid],
      ["defaclobjtype", Oid.char], ["defaclacl", 1009]],
    rows: () => defaultAclEntries(catalog).map((e): Row => [e.oid, e.role, e.schema, e.type,
      makeArray(Oid.text, aclText(catalog, e.acl))]),
  };
}
