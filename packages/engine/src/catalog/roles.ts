/**
 * Roles: the cluster-wide set of roles and role memberships that pg_authid, pg_roles,
 * pg_user and pg_auth_members show and that authentication and privilege checks read.
 *
 * A catalog starts with Postgres 15's initdb roles (the bootstrap superuser `postgres`, OID
 * 10, and the predefined `pg_*` roles with pg_monitor's three memberships), then the daemon's
 * configured users (`--users`, superusers that can log in, OIDs from 8000), then whatever
 * CREATE ROLE adds (OIDs from the catalog's counter, so replay hands out the same ones).
 *
 * The state is small and changes rarely, so undo is a whole copy: `snapshotRoles` before a
 * statement changes it, `restoreRoles` on rollback (`ddl/role-ddl.ts` records that in the
 * statement's undo log).
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Value } from "@tessera/sql";
import type { Catalog } from "./catalog.js";

/** One row of pg_authid. */
export interface Role {
  readonly oid: number;
  name: string;
  superuser: boolean;
  inherit: boolean;
  createRole: boolean;
  createDb: boolean;
  canLogin: boolean;
  replication: boolean;
  bypassRls: boolean;
  connectionLimit: number;
  /** The stored secret (`SCRAM-SHA-256$…` or `md5…`), never the password. */
  password: string | null;
  /** A timestamptz value, or null for "no expiry". */
  validUntil: Value;
}

/** One row of pg_auth_members: `member` is a member of `roleid`. */
export interface Membership {
  readonly roleid: number;
  readonly member: number;
  readonly grantor: number;
  admin: boolean;
}

export const bootstrapSuperuserOid = 10;
export const databaseOwnerOid = 6171;
const firstConfiguredRoleOid = 8000;

interface RoleState {
  roles: Role[];
  members: Membership[];
}

const states = new WeakMap<Catalog, RoleState>();

/** Postgres 15's predefined roles: OID and name. */
const predefinedRoles: readonly (readonly [number, string])[] = [
  [databaseOwnerOid, "pg_database_owner"], [6181, "pg_read_all_data"],
  [6182, "pg_write_all_data"], [3373, "pg_monitor"], [3374, "pg_read_all_settings"],
  [3375, "pg_read_all_stats"], [3377, "pg_stat_scan_tables"], [4569, "pg_read_server_files"],
  [4570, "pg_write_server_files"], [4571, "pg_execute_server_program"],
  [4200, "pg_signal_backend"], [4544, "pg_checkpoint"],
];

/** A role with Postgres's defaults for CREATE ROLE: NOLOGIN, INHERIT, nothing else. */
export function newRole(oid: number, name: string): Role {
  return { oid, name, superuser: false, inherit: true, createRole: false, createDb: false,
    canLogin: false, replication: false, bypassRls: false, connectionLimit: -1,
    password: null, validUntil: null };
}

function initdbState(): RoleState {
  const bootstrap = { ...newRole(bootstrapSuperuserOid, "postgres"), superuser: true,
    createRole: true, createDb: true, canLogin: true, replication: true, bypassRls: true };
  return {
    roles: [bootstrap, ...predefinedRoles.map(([oid, name]) => newRole(oid, name))],
    members: [3374, 3375, 3377].map((roleid) =>
      ({ roleid, member: 3373, grantor: bootstrapSuperuserOid, admin: false })),
  };
}

function stateOf(catalog: Catalog): RoleState {
  let state = states.get(catalog);
  if (state === undefined) {
    state = initdbState();
    states.set(catalog, state);
  }
  return state;
}

/**
 * Declares the daemon's configured users: each is what `CREATE ROLE name SUPERUSER LOGIN`
 * makes, with an OID from 8000 up in the order given (the same on every start).
 */
export function addConfiguredRoles(catalog: Catalog, names: readonly string[]): void {
  const state = stateOf(catalog);
  let oid = firstConfiguredRoleOid;
  for (const name of names) {
    if (state.roles.some((r) => r.name === name)) continue;
    state.roles.push({ ...newRole(oid++, name), superuser: true, canLogin: true });
  }
}

/** Every role, initdb ones first, then in creation order. */
export function allRoles(catalog: Catalog): readonly Role[] {
  return stateOf(catalog).roles;
}

/** Every membership row. */
export function allMemberships(catalog: Catalog): readonly Membership[] {
  return stateOf(catalog).members;
}

export function findRole(catalog: Catalog, name: string): Role | undefined {
  return stateOf(catalog).roles.find((r) => r.name === name);
}

export function roleByOid(catalog: Catalog, oid: number): Role | undefined {
  return stateOf(catalog).roles.find((r) => r.oid === oid);
}

/** The role named `name`, or 42704 `role "name" does not exist`. */
export function requireRole(catalog: Catalog, name: string): Role {
  const role = findRole(catalog, name);
  if (role === undefined) throw roleMissing(name);
  return role;
}

export function roleMissing(name: string): SqlError {
  return new SqlError(SqlState.undefinedObject, `role "${name}" does not exist`);
}

export function addRole(catalog: Catalog, role: Role): void {
  stateOf(catalog).roles.push(role);
}

/**
 * Marks a role as updated: like Postgres's new tuple version at the end of pg_authid's heap,
 * it moves to the end of the list, so catalog scans list roles in Postgres's order.
 */
export function touchRole(catalog: Catalog, role: Role): void {
  const state = stateOf(catalog);
  state.roles = [...state.roles.filter((r) => r !== role), role];
}

/** Marks a membership as updated (it moves to the end, as `touchRole`). */
export function touchMembership(catalog: Catalog, membership: Membership): void {
  const state = stateOf(catalog);
  state.members = [...state.members.filter((m) => m !== membership), membership];
}

/** Removes a role and every membership it is on either side of. */
export function removeRole(catalog: Catalog, role: Role): void {
  const state = stateOf(catalog);
  state.roles = state.roles.filter((r) => r !== role);
  state.members = state.members.filter((m) => m.roleid !== role.oid && m.member !== role.oid);
}

export function findMembership(catalog: Catalog, roleid: number, member: number):
  Membership | undefined {
  return stateOf(catalog).members.find((m) => m.roleid === roleid && m.member === member);
}

export function addMembership(catalog: Catalog, membership: Membership): void {
  stateOf(catalog).members.push(membership);
}

export function removeMembership(catalog: Catalog, membership: Membership): void {
  const state = stateOf(catalog);
  state.members = state.members.filter((m) => m !== membership);
}

/**
 * The roles `oid` is a member of, directly or through other roles, itself included
 * (Postgres's roles_is_member_of). With `inheritOnly`, membership is followed only through
 * roles that inherit, as privileges are.
 */
export function rolesContaining(catalog: Catalog, oid: number, inheritOnly: boolean):
  Set<number> {
  const state = stateOf(catalog);
  const found = new Set<number>([oid]);
  const queue = [oid];
  while (queue.length > 0) {
    const current = queue.pop()!;
    if (inheritOnly && current !== oid &&
      state.roles.find((r) => r.oid === current)?.inherit === false) continue;
    if (inheritOnly && current === oid &&
      state.roles.find((r) => r.oid === current)?.inherit === false) break;
    for (const m of state.members) {
      if (m.member !== current || found.has(m.roleid)) continue;
      found.add(m.roleid);
      queue.push(m.roleid);
    }
  }
  return found;
}

/** True when `member` is `role` or a member of it (is_member_of_role_nosuper). */
export function isMemberOf(catalog: Catalog, member: number, role: number): boolean {
  return rolesContaining(catalog, member, false).has(role);
}

/** True when `member` holds `role`'s privileges: a superuser, or an inheriting member. */
export function hasPrivilegesOf(catalog: Catalog, member: number, role: number): boolean {
  if (member === role || roleByOid(catalog, member)?.superuser === true) return true;
  return rolesContaining(catalog, member, true).has(role);
}

/** True when `member` may grant `role` to others: it holds the admin option on it. */
export function hasAdminOf(catalog: Catalog, member: number, role: number): boolean {
  const reach = rolesContaining(catalog, member, false);
  return stateOf(catalog).members.some((m) => m.roleid === role && m.admin &&
    reach.has(m.member));
}

/** A copy of the role state, for undo. */
export function snapshotRoles(catalog: Catalog): () => void {
  const state = stateOf(catalog);
  const roles = state.roles.map((r) => ({ role: r, fields: { ...r } }));
  const members = state.members.map((m) => ({ membership: m, admin: m.admin }));
  return () => {
    for (const { role, fields } of roles) Object.assign(role, fields);
    for (const { membership, admin } of members) membership.admin = admin;
    state.roles = roles.map(({ role }) => role);
    state.members = members.map(({ membership }) => membership);
  };
}

/** What authentication needs to know of a role; undefined when it does not exist. */
export interface LoginRole {
  readonly canLogin: boolean;
  /** pg_authid.rolpassword. */
  readonly secret: string | null;
  /** True when rolvaliduntil has passed. */
  readonly expired: boolean;
}

/** Microseconds from the Unix epoch to 2000-01-01, Postgres's timestamp epoch. */
const postgresEpochMicros = 946_684_800_000_000n;

/** The login facts of role `name` (for the protocol's authenticator). */
export function loginRoleOf(catalog: Catalog, name: string): LoginRole | undefined {
  const role = findRole(catalog, name);
  if (role === undefined) return undefined;
  const until = role.validUntil;
  const nowMicros = BigInt(Date.now()) * 1000n - postgresEpochMicros;
  return { canLogin: role.canLogin, secret: role.password,
    expired: typeof until === "bigint" && until < nowMicros };
}

/**
 * Whether `user` may SET ROLE `target` (it must be a member of it, or a superuser) or, as
 * the login role, SET SESSION AUTHORIZATION `target` (it must be a superuser).
 */
export function checkRoleSwitch(catalog: Catalog, kind: "role" | "session_authorization",
  target: string, user: string): void {
  const role = findRole(catalog, target);
  if (role === undefined) {
    throw new SqlError(SqlState.invalidParameterValue, `role "${target}" does not exist`);
  }
  const me = findRole(catalog, user);
  if (me === undefined || me.superuser || me.oid === role.oid) return;
  if (kind === "role" && isMemberOf(catalog, me.oid, role.oid)) return;
  throw new SqlError(SqlState.insufficientPrivilege, kind === "role"
    ? `permission denied to set role "${target}"`
    : `permission denied to set session authorization "${target}"`);
}

/** The session user: the login role, or whom SET SESSION AUTHORIZATION chose. */
export function sessionUserOf(ctx: { setting(name: string): string; readonly user: string }):
  string {
  try {
    const value = ctx.setting("session_authorization");
    return value === "" ? ctx.user : value;
  } catch {
    return ctx.user;
  }
}
