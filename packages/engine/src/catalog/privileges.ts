/**
 * Object owners and access privileges (Postgres's relowner / nspowner / proowner and the
 * aclitem[] columns relacl, nspacl, proacl), kept beside the catalog by object: a table, view
 * or sequence by its pg_class OID, a schema by its OID, a function by its pg_proc OID, a
 * type by its pg_type OID (owner only: `type-owners.ts`).
 *
 * An object's ACL is null until the first GRANT or REVOKE, meaning the default for its kind
 * (acldefault): the owner holds every privilege (`owner=arwdDxt/owner` for a table), and
 * for functions PUBLIC may execute. An aclitem is (grantee, grantor, privileges, grant
 * options); grantee 0 is PUBLIC. Printing follows aclitemout: privilege letters in
 * Postgres's bit order, `*` after one held with grant option, names quoted as identifiers.
 *
 * What a role may do (aclmask): a superuser everything; otherwise the union of the items
 * whose grantee is PUBLIC or a role whose privileges it has (itself, or a role it inherits).
 */
import { makeArray, type Value } from "@tessera/sql";
import type { Catalog } from "./catalog.js";
import { Oid } from "./types.js";
import { bootstrapSuperuserOid, databaseOwnerOid, hasPrivilegesOf, roleByOid }
  from "./roles.js";

export type AclKind = "table" | "sequence" | "schema" | "function" | "type" | "database";

/** Privilege letters in aclitem order (ACL_INSERT … ACL_CONNECT). */
export const privilegeLetters = "arwdDxtXUCTc";

export const Priv = {
  insert: "a", select: "r", update: "w", delete: "d", truncate: "D", references: "x",
  trigger: "t", execute: "X", usage: "U", create: "C", temporary: "T", connect: "c",
} as const;

/** The privileges each kind of object knows, in letter order. */
export const kindPrivileges: Readonly<Record<AclKind, string>> = {
  table: "arwdDxt", sequence: "rwU", schema: "UC", function: "X", type: "U", database: "CTc",
};

export interface AclItem {
  /** 0 for PUBLIC. */
  readonly grantee: number;
  readonly grantor: number;
  privs: string;
  options: string;
}

interface ObjectPrivileges {
  owner: number | undefined;
  acl: AclItem[] | null;
}

const stores = new WeakMap<Catalog, Map<string, ObjectPrivileges>>();

function store(catalog: Catalog): Map<string, ObjectPrivileges> {
  let map = stores.get(catalog);
  if (map === undefined) {
    map = new Map();
    stores.set(catalog, map);
  }
  return map;
}

function keyOf(kind: AclKind, oid: number): string {
  return `${kind === "sequence" ? "table" : kind}:${oid}`;
}

/** The schemas initdb makes and who owns them: public is pg_database_owner's. */
function defaultOwner(catalog: Catalog, kind: AclKind, oid: number): number {
  if (kind === "schema" && catalog.allSchemas().some(([n, o]) => o === oid && n === "public")) {
    return databaseOwnerOid;
  }
  return bootstrapSuperuserOid;
}

/** The owner of an object: the role that created it, or the bootstrap superuser. */
export function ownerOf(catalog: Catalog, kind: AclKind, oid: number): number {
  return store(catalog).get(keyOf(kind, oid))?.owner ?? defaultOwner(catalog, kind, oid);
}

/** The owner's role name (pg_get_userbyid of relowner, nspowner …). */
export function ownerNameOf(catalog: Catalog, kind: AclKind, oid: number): string {
  const owner = ownerOf(catalog, kind, oid);
  return roleByOid(catalog, owner)?.name ?? `unknown (OID=${owner})`;
}

export function setOwner(catalog: Catalog, kind: AclKind, oid: number, owner: number): void {
  const entry = entryOf(catalog, kind, oid);
  entry.owner = owner;
}

function entryOf(catalog: Catalog, kind: AclKind, oid: number): ObjectPrivileges {
  const key = keyOf(kind, oid);
  let entry = store(catalog).get(key);
  if (entry === undefined) {
    entry = { owner: undefined, acl: null };
    store(catalog).set(key, entry);
  }
  return entry;
}

/**
 * The system schemas everyone may use. Their ACLs are shown as null, as pg_dump expects of
 * objects whose privileges are still initdb's (Tessera keeps no pg_init_privs).
 */
const systemSchemas = new Set(["pg_catalog", "information_schema"]);

/** The ACL as stored: null when it is still the default. */
export function storedAcl(catalog: Catalog, kind: AclKind, oid: number):
  readonly AclItem[] | null {
  const stored = store(catalog).get(keyOf(kind, oid))?.acl ?? null;
  if (stored !== null) return stored;
  if (kind !== "schema" || store(catalog).get(keyOf(kind, oid))?.owner !== undefined) {
    return null;
  }
  const name = catalog.allSchemas().find(([, o]) => o === oid)?.[0] ?? "";
  if (name !== "public") return null;
  const owner = ownerOf(catalog, kind, oid);
  return defaultAcl("schema", owner).concat(
    [{ grantee: 0, grantor: owner, privs: "U", options: "" }]);
}

/**
 * acldefault: what the owner holds before any GRANT, and PUBLIC for functions (EXECUTE) and
 * databases (TEMPORARY and CONNECT).
 */
export function defaultAcl(kind: AclKind, owner: number): AclItem[] {
  const own = { grantee: owner, grantor: owner, privs: kindPrivileges[kind], options: "" };
  if (kind === "function") return [{ grantee: 0, grantor: owner, privs: "X", options: "" }, own];
  if (kind === "database") return [{ grantee: 0, grantor: owner, privs: "Tc", options: "" }, own];
  return [own];
}

/** The ACL in force: the stored one, or the default. */
export function effectiveAcl(catalog: Catalog, kind: AclKind, oid: number): readonly AclItem[] {
  const stored = storedAcl(catalog, kind, oid);
  if (stored !== null) return stored;
  const owner = ownerOf(catalog, kind, oid);
  const system = kind === "schema" &&
    systemSchemas.has(catalog.allSchemas().find(([, o]) => o === oid)?.[0] ?? "");
  return system ? defaultAcl(kind, owner).concat(
    [{ grantee: 0, grantor: owner, privs: "U", options: "" }]) : defaultAcl(kind, owner);
}

/** Replaces an object's ACL (GRANT, REVOKE). */
export function setAcl(catalog: Catalog, kind: AclKind, oid: number, acl: AclItem[]): void {
  entryOf(catalog, kind, oid).acl = acl;
}

/** Forgets what is kept of a dropped object. */
export function forgetObject(catalog: Catalog, kind: AclKind, oid: number): void {
  store(catalog).delete(keyOf(kind, oid));
}

/** A copy of every object's owner and ACL, and the function that puts them back (undo). */
export function snapshotPrivileges(catalog: Catalog): () => void {
  const map = store(catalog);
  const copy = [...map].map(([key, entry]) => [key, { owner: entry.owner,
    acl: entry.acl === null ? null : entry.acl.map((item) => ({ ...item })) }] as const);
  return () => {
    map.clear();
    for (const [key, entry] of copy) {
      map.set(key, { owner: entry.owner, acl: entry.acl?.map((item) => ({ ...item })) ?? null });
    }
  };
}

/** Every object an owner entry or ACL is kept for: kind key, OID, entry. */
export function keptObjects(catalog: Catalog): { kind: string; oid: number; owner: number |
  undefined; acl: readonly AclItem[] | null }[] {
  return [...store(catalog)].map(([key, entry]) => {
    const [kind = "", oid = "0"] = key.split(":");
    return { kind, oid: Number(oid), owner: entry.owner, acl: entry.acl };
  });
}

/** The privileges `role` holds on an object (aclmask), as letters; grant options apart. */
export function heldPrivileges(catalog: Catalog, kind: AclKind, oid: number, role: number):
  { privs: string; options: string } {
  if (roleByOid(catalog, role)?.superuser === true) {
    return { privs: kindPrivileges[kind], options: kindPrivileges[kind] };
  }
  let privs = "";
  let options = "";
  const owner = ownerOf(catalog, kind, oid);
  for (const item of effectiveAcl(catalog, kind, oid)) {
    if (item.grantee !== 0 && !hasPrivilegesOf(catalog, role, item.grantee)) continue;
    privs += item.privs;
    options += item.options;
  }
  // The owner may always grant what it holds (and regrant what it revoked from itself).
  if (hasPrivilegesOf(catalog, role, owner)) options = kindPrivileges[kind];
  return { privs: inOrder(privs), options: inOrder(options) };
}

/** True when `role` holds every privilege in `letters` on the object. */
export function holds(catalog: Catalog, kind: AclKind, oid: number, role: number,
  letters: string, withGrantOption = false): boolean {
  const held = heldPrivileges(catalog, kind, oid, role);
  const set = withGrantOption ? held.options : held.privs;
  return [...letters].every((letter) => set.includes(letter));
}

/** Letters sorted into aclitem order, each once. */
export function inOrder(letters: string): string {
  return [...privilegeLetters].filter((letter) => letters.includes(letter)).join("");
}

/** An ACL as aclitem[] text elements: grantee=letters/grantor, PUBLIC as an empty name. */
export function aclText(catalog: Catalog, acl: readonly AclItem[]): string[] {
  return acl.map((item) => {
    const grantee = item.grantee === 0 ? "" : roleText(catalog, item.grantee);
    const privs = [...inOrder(item.privs)]
      .map((letter) => (item.options.includes(letter) ? `${letter}*` : letter)).join("");
    return `${grantee}=${privs}/${roleText(catalog, item.grantor)}`;
  });
}

function roleText(catalog: Catalog, oid: number): string {
  const name = roleByOid(catalog, oid)?.name ?? String(oid);
  return /^[A-Za-z0-9_]+$/.test(name) ? name : `"${name.replace(/"/g, "\"\"")}"`;
}

/** The stored ACL as the text[] value pg_class.relacl and the others show; null if default. */
export function aclArray(catalog: Catalog, kind: AclKind, oid: number): Value {
  const acl = storedAcl(catalog, kind, oid);
  return acl === null ? null : makeArray(Oid.text, aclText(catalog, acl));
}
