/**
 * Role DDL as Postgres 15 runs it (`commands/user.c`): CREATE ROLE | USER | GROUP, ALTER
 * ROLE (attributes, PASSWORD, VALID UNTIL, ALTER GROUP … ADD | DROP USER), ALTER ROLE …
 * RENAME TO, DROP ROLE [IF EXISTS], GRANT role TO role [WITH ADMIN OPTION] and REVOKE
 * [ADMIN OPTION FOR] role FROM role, with Postgres's permission rules and messages.
 *
 * The statements are ordinary utility statements: the WAL logs their parse trees and
 * recovery replays them (`storage/redo.ts`), so roles survive restarts and crashes. Each
 * records the role state before it in the statement's undo log, so ROLLBACK takes it back.
 * Replay (backend pid 0) re-runs what was already allowed, so it skips permission checks.
 */
import { checkSetStatementValue } from "../session/utility.js";
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { PreparedStatement, StatementContext } from "../api.js";
import type { StatementScope } from "../analyze/scope.js";
import type { Catalog } from "../catalog/catalog.js";
import { Oid } from "../catalog/types.js";
import { inputValue } from "../catalog/type-io.js";
import { onceCursor } from "../execute/command-cursor.js";
import type { Engine } from "../engine.js";
import {
  addMembership, addRole, bootstrapSuperuserOid, databaseOwnerOid, findMembership, findRole,
  hasAdminOf, isMemberOf, newRole, removeMembership, removeRole, requireRole, roleMissing,
  sessionUserOf, snapshotRoles, touchMembership, touchRole, type Role,
} from "../catalog/roles.js";
import { isMd5Secret, storedSecret } from "../catalog/role-password.js";
import { roleDependents } from "../catalog/role-dependents.js";
import { prepareOwnedBy } from "./owned-by.js";

type Action = (ctx: StatementContext) => string;

/** Prepares a role statement, or returns undefined for other statements. */
export function prepareRoleDdl(engine: Engine, stmt: ast.Node, statement: StatementScope):
  PreparedStatement | undefined {
  const owned = prepareOwnedBy(engine, stmt, statement);
  if (owned !== undefined) return owned;
  const action = roleAction(stmt, statement);
  if (action === undefined) return undefined;
  const catalog = statement.catalog;
  return { paramTypes: [], columns: null, open: (_params, ctx) => onceCursor(() => {
    const restore = snapshotRoles(catalog);
    engine.txns.runOf(ctx)?.undo.record({ kind: "custom", undo: restore });
    try {
      return action(ctx);
    } catch (error) {
      restore();
      throw error;
    }
  }) };
}

function roleAction(stmt: ast.Node, statement: StatementScope): Action | undefined {
  const catalog = statement.catalog;
  if ("CreateRoleStmt" in stmt) return (ctx) => createRole(catalog, stmt.CreateRoleStmt, ctx);
  if ("AlterRoleStmt" in stmt) return (ctx) => alterRole(catalog, stmt.AlterRoleStmt, ctx);
  if ("AlterRoleSetStmt" in stmt) {
    return () => {
      // A bad value fails as in Postgres before the statement is refused.
      checkSetStatementValue(stmt.AlterRoleSetStmt.setstmt);
      throw notSupported("ALTER ROLE … SET (per-role settings)");
    };
  }
  if ("DropRoleStmt" in stmt) return (ctx) => dropRoles(catalog, stmt.DropRoleStmt, ctx);
  if ("RenameStmt" in stmt && stmt.RenameStmt.renameType === "OBJECT_ROLE") {
    return (ctx) => renameRole(catalog, stmt.RenameStmt, ctx);
  }
  if ("GrantRoleStmt" in stmt) return (ctx) => grantRoles(catalog, stmt.GrantRoleStmt, ctx);
  return undefined;
}

/** True while recovery replays a logged statement: its checks passed when it first ran. */
function replaying(ctx: StatementContext): boolean {
  return ctx.backendPid === 0;
}

/** The role the statement runs as. */
export function actingRole(catalog: Catalog, ctx: StatementContext): Role {
  // A user that is no role is the cluster's internal user (the coordinator), a superuser.
  return findRole(catalog, ctx.user) ??
    { ...newRole(bootstrapSuperuserOid, ctx.user), superuser: true };
}

function denied(message: string): SqlError {
  return new SqlError(SqlState.insufficientPrivilege, message);
}

/** True when the acting role is a superuser or has CREATEROLE. */
function canCreateRoles(catalog: Catalog, ctx: StatementContext): boolean {
  if (replaying(ctx)) return true;
  const me = actingRole(catalog, ctx);
  return me.superuser || me.createRole;
}

function isSuperuser(catalog: Catalog, ctx: StatementContext): boolean {
  return replaying(ctx) || actingRole(catalog, ctx).superuser;
}

/** The options of CREATE / ALTER ROLE, each given at most once. */
interface RoleOptions {
  readonly flags: Map<string, boolean>;
  password?: string | null;
  connectionLimit?: number;
  validUntil?: string;
  inRoles: string[];
  members: string[];
  admins: string[];
}

const flagOptions = new Set(["superuser", "createrole", "createdb", "canlogin",
  "isreplication", "bypassrls", "inherit"]);

function readOptions(options: readonly ast.Node[] | undefined): RoleOptions {
  const read: RoleOptions = { flags: new Map(), inRoles: [], members: [], admins: [] };
  const seen = new Set<string>();
  for (const node of options ?? []) {
    if (!("DefElem" in node)) continue;
    const def = node.DefElem;
    const name = def.defname ?? "";
    if (seen.has(name)) {
      throw new SqlError(SqlState.syntaxError, "conflicting or redundant options");
    }
    seen.add(name);
    const arg = def.arg;
    if (flagOptions.has(name)) {
      read.flags.set(name, arg !== undefined && "Boolean" in arg && arg.Boolean.boolval === true);
    } else if (name === "password") {
      read.password = arg !== undefined && "String" in arg ? arg.String.sval ?? "" : null;
    } else if (name === "connectionlimit") {
      read.connectionLimit = arg !== undefined && "Integer" in arg ? arg.Integer.ival ?? 0 : 0;
    } else if (name === "validUntil") {
      read.validUntil = arg !== undefined && "String" in arg ? arg.String.sval ?? "" : "";
    } else if (name === "addroleto" || name === "rolemembers" || name === "adminmembers") {
      const names = roleSpecs(arg);
      if (name === "addroleto") read.inRoles = names;
      else if (name === "rolemembers") read.members = names;
      else read.admins = names;
    } else if (name !== "sysid") {
      throw notSupported(`role option ${name}`);
    }
  }
  return read;
}

function roleSpecs(arg: ast.Node | undefined): string[] {
  const items = arg !== undefined && "List" in arg ? arg.List.items ?? [] : [];
  return items.map((item) => ("RoleSpec" in item ? item.RoleSpec.rolename ?? "" : ""));
}

/** The name a RoleSpec stands for (CURRENT_USER, SESSION_USER, a name). */
export function roleSpecName(spec: ast.RoleSpec | undefined, ctx: StatementContext): string {
  switch (spec?.roletype) {
    case "ROLESPEC_CURRENT_USER":
    case "ROLESPEC_CURRENT_ROLE":
      return ctx.user;
    case "ROLESPEC_SESSION_USER":
      return sessionUserOf(ctx);
    case "ROLESPEC_PUBLIC":
      throw roleMissing("public");
    default:
      return spec?.rolename ?? "";
  }
}

function checkReservedName(name: string): void {
  if (!name.startsWith("pg_")) return;
  throw new SqlError(SqlState.reservedName, `role name "${name}" is reserved`,
    { detail: "Role names starting with \"pg_\" are reserved." });
}

function createRole(catalog: Catalog, stmt: ast.CreateRoleStmt, ctx: StatementContext):
  string {
  const options = readOptions(stmt.options);
  const flag = (name: string): boolean | undefined => options.flags.get(name);
  if (flag("superuser") === true) {
    if (!isSuperuser(catalog, ctx)) throw denied("must be superuser to create superusers");
  } else if (flag("isreplication") === true) {
    if (!isSuperuser(catalog, ctx)) {
      throw denied("must be superuser to create replication users");
    }
  } else if (flag("bypassrls") === true) {
    if (!isSuperuser(catalog, ctx)) throw denied("must be superuser to create bypassrls users");
  } else if (!canCreateRoles(catalog, ctx)) {
    throw denied("permission denied to create role");
  }
  const name = stmt.role ?? "";
  checkReservedName(name);
  if (findRole(catalog, name) !== undefined) {
    throw new SqlError(SqlState.duplicateObject, `role "${name}" already exists`);
  }
  const role = newRole(catalog.allocateOid(), name);
  role.canLogin = stmt.stmt_type === "ROLESTMT_USER";
  applyAttributes(role, options, ctx);
  addRole(catalog, role);
  for (const parent of options.inRoles) grantMembership(catalog, parent, role.name, false, ctx);
  for (const member of options.members) grantMembership(catalog, role.name, member, false, ctx);
  for (const admin of options.admins) grantMembership(catalog, role.name, admin, true, ctx);
  return "CREATE ROLE";
}

/** Sets a role's attributes from the options given. */
function applyAttributes(role: Role, options: RoleOptions, ctx: StatementContext): void {
  const set = (name: string, apply: (value: boolean) => void): void => {
    const value = options.flags.get(name);
    if (value !== undefined) apply(value);
  };
  set("superuser", (v) => (role.superuser = v));
  set("createrole", (v) => (role.createRole = v));
  set("createdb", (v) => (role.createDb = v));
  set("canlogin", (v) => (role.canLogin = v));
  set("isreplication", (v) => (role.replication = v));
  set("bypassrls", (v) => (role.bypassRls = v));
  set("inherit", (v) => (role.inherit = v));
  if (options.connectionLimit !== undefined) {
    if (options.connectionLimit < -1) {
      throw new SqlError(SqlState.invalidParameterValue,
        `invalid connection limit: ${options.connectionLimit}`);
    }
    role.connectionLimit = options.connectionLimit;
  }
  if (options.validUntil !== undefined) {
    role.validUntil = inputValue(Oid.timestamptz, options.validUntil, -1);
  }
  if (options.password !== undefined) role.password = secretOf(options.password, ctx);
}

function secretOf(password: string | null, ctx: StatementContext): string | null {
  if (password === null) return null;
  if (password === "") {
    ctx.notice(new SqlError(SqlState.successfulCompletion,
      "empty string is not a valid password, clearing password", { severity: "NOTICE" }));
    return null;
  }
  return storedSecret(password);
}

function alterRole(catalog: Catalog, stmt: ast.AlterRoleStmt, ctx: StatementContext): string {
  const name = roleSpecName(stmt.role, ctx);
  const options = readOptions(stmt.options);
  const role = requireRole(catalog, name);
  const membersOnly = options.flags.size === 0 && options.password === undefined &&
    options.connectionLimit === undefined && options.validUntil === undefined;
  checkAlterAllowed(catalog, role, options, membersOnly, ctx);
  const { members, ...attributes } = options;
  applyAttributes(role, { ...attributes, members: [] }, ctx);
  touchRole(catalog, role);
  for (const member of members) {
    if ((stmt.action ?? 1) > 0) grantMembership(catalog, role.name, member, false, ctx);
    else revokeMembership(catalog, role.name, member, false, ctx);
  }
  return "ALTER ROLE";
}

function checkAlterAllowed(catalog: Catalog, role: Role, options: RoleOptions,
  membersOnly: boolean, ctx: StatementContext): void {
  if (replaying(ctx)) return;
  const me = actingRole(catalog, ctx);
  if (me.superuser) return;
  if (role.superuser || options.flags.has("superuser")) {
    throw denied("must be superuser to alter superuser roles or change superuser attribute");
  }
  if (role.replication || options.flags.has("isreplication")) {
    throw denied("must be superuser to alter replication roles or change replication attribute");
  }
  if (options.flags.has("bypassrls")) {
    throw denied("must be superuser to change bypassrls attribute");
  }
  if (me.createRole) return;
  const ownPassword = role.oid === me.oid && options.flags.size === 0 &&
    options.connectionLimit === undefined && options.validUntil === undefined &&
    options.members.length === 0;
  if (ownPassword || (membersOnly && options.members.length > 0)) return;
  throw denied("permission denied");
}

function renameRole(catalog: Catalog, stmt: ast.RenameStmt, ctx: StatementContext): string {
  const oldName = stmt.subname ?? "";
  const newName = stmt.newname ?? "";
  const role = requireRole(catalog, oldName);
  if (!replaying(ctx)) {
    if (role.name === sessionUserOf(ctx)) {
      throw new SqlError(SqlState.featureNotSupported, "session user cannot be renamed");
    }
    if (role.name === ctx.user) {
      throw new SqlError(SqlState.featureNotSupported, "current user cannot be renamed");
    }
  }
  if (role.oid < 16384 && role.oid !== bootstrapSuperuserOid && role.name.startsWith("pg_")) {
    checkReservedName(role.name);
  }
  if (findRole(catalog, newName) !== undefined) {
    throw new SqlError(SqlState.duplicateObject, `role "${newName}" already exists`);
  }
  checkReservedName(newName);
  if (role.superuser && !isSuperuser(catalog, ctx)) {
    throw denied("must be superuser to rename superusers");
  }
  if (!canCreateRoles(catalog, ctx)) throw denied("permission denied to rename role");
  role.name = newName;
  touchRole(catalog, role);
  if (isMd5Secret(role.password)) {
    role.password = null;
    ctx.notice(new SqlError(SqlState.successfulCompletion,
      "MD5 password cleared because of role rename", { severity: "NOTICE" }));
  }
  return "ALTER ROLE";
}

function dropRoles(catalog: Catalog, stmt: ast.DropRoleStmt, ctx: StatementContext): string {
  if (!canCreateRoles(catalog, ctx)) throw denied("permission denied to drop role");
  for (const node of stmt.roles ?? []) {
    const spec = "RoleSpec" in node ? node.RoleSpec : undefined;
    if (spec?.roletype !== undefined && spec.roletype !== "ROLESPEC_CSTRING") {
      throw new SqlError(SqlState.undefinedObject,
        "cannot use special role specifier in DROP ROLE");
    }
    const name = spec?.rolename ?? "";
    const role = findRole(catalog, name);
    if (role === undefined) {
      if (stmt.missing_ok !== true) throw roleMissing(name);
      ctx.notice(new SqlError(SqlState.successfulCompletion,
        `role "${name}" does not exist, skipping`, { severity: "NOTICE" }));
      continue;
    }
    checkDropAllowed(catalog, role, ctx);
    removeRole(catalog, role);
  }
  return "DROP ROLE";
}

function checkDropAllowed(catalog: Catalog, role: Role, ctx: StatementContext): void {
  if (!replaying(ctx)) {
    if (role.name === ctx.user) {
      throw new SqlError(SqlState.objectInUse, "current user cannot be dropped");
    }
    if (role.name === sessionUserOf(ctx)) {
      throw new SqlError(SqlState.objectInUse, "session user cannot be dropped");
    }
    if (role.superuser && !isSuperuser(catalog, ctx)) {
      throw denied("must be superuser to drop superusers");
    }
  }
  if (role.oid < 16384 && (role.oid === bootstrapSuperuserOid || role.name.startsWith("pg_"))) {
    throw new SqlError(SqlState.dependentObjectsStillExist,
      `cannot drop role ${role.name} because it is required by the database system`);
  }
  const dependents = roleDependents(catalog, role.oid);
  if (dependents.length > 0) {
    throw new SqlError(SqlState.dependentObjectsStillExist,
      `role "${role.name}" cannot be dropped because some objects depend on it`,
      { detail: dependents.join("\n") });
  }
}

function grantRoles(catalog: Catalog, stmt: ast.GrantRoleStmt, ctx: StatementContext): string {
  if (stmt.grantor !== undefined) throw notSupported("GRANT … GRANTED BY");
  let admin = false;
  for (const node of stmt.opt ?? []) {
    const def = "DefElem" in node ? node.DefElem : undefined;
    if (def?.defname !== "admin") throw notSupported(`GRANT role option ${def?.defname ?? ""}`);
    admin = def.arg === undefined || ("Boolean" in def.arg && def.arg.Boolean.boolval === true);
  }
  const adminOnly = stmt.is_grant !== true && (stmt.opt ?? []).length > 0;
  for (const granted of stmt.granted_roles ?? []) {
    const roleName = "AccessPriv" in granted ? granted.AccessPriv.priv_name ?? "" : "";
    for (const grantee of stmt.grantee_roles ?? []) {
      const memberName = roleSpecName("RoleSpec" in grantee ? grantee.RoleSpec : undefined, ctx);
      if (stmt.is_grant === true) grantMembership(catalog, roleName, memberName, admin, ctx);
      else revokeMembership(catalog, roleName, memberName, adminOnly, ctx);
    }
  }
  return stmt.is_grant === true ? "GRANT ROLE" : "REVOKE ROLE";
}

/** Checks that the acting role may change the membership of `role` (check_role_membership). */
function checkGrantAllowed(catalog: Catalog, role: Role, ctx: StatementContext): void {
  if (replaying(ctx)) return;
  const me = actingRole(catalog, ctx);
  if (me.superuser) return;
  if (role.superuser) throw denied("must be superuser to alter superusers");
  if (me.createRole || hasAdminOf(catalog, me.oid, role.oid)) return;
  throw denied(`must have admin option on role "${role.name}"`);
}

/** Makes `memberName` a member of `roleName` (AddRoleMems). */
function grantMembership(catalog: Catalog, roleName: string, memberName: string,
  admin: boolean, ctx: StatementContext): void {
  const role = requireRole(catalog, roleName);
  const member = requireRole(catalog, memberName);
  checkGrantAllowed(catalog, role, ctx);
  if (role.oid === databaseOwnerOid) {
    throw new SqlError(SqlState.internalError,
      `role "${role.name}" cannot have explicit members`);
  }
  if (isMemberOf(catalog, role.oid, member.oid)) {
    throw new SqlError(SqlState.invalidGrantOperation,
      `role "${role.name}" is a member of role "${member.name}"`);
  }
  const existing = findMembership(catalog, role.oid, member.oid);
  if (existing !== undefined && (existing.admin || !admin)) {
    ctx.notice(new SqlError(SqlState.successfulCompletion,
      `role "${member.name}" is already a member of role "${role.name}"`,
      { severity: "NOTICE" }));
    return;
  }
  if (existing !== undefined) {
    existing.admin = true;
    touchMembership(catalog, existing);
    return;
  }
  const grantor = replaying(ctx) ? findRole(catalog, ctx.user)?.oid ?? bootstrapSuperuserOid
    : actingRole(catalog, ctx).oid;
  addMembership(catalog, { roleid: role.oid, member: member.oid, grantor, admin });
}

/** Takes `memberName` out of `roleName`, or only its admin option (DelRoleMems). */
function revokeMembership(catalog: Catalog, roleName: string, memberName: string,
  adminOnly: boolean, ctx: StatementContext): void {
  const role = requireRole(catalog, roleName);
  const member = requireRole(catalog, memberName);
  checkGrantAllowed(catalog, role, ctx);
  const existing = findMembership(catalog, role.oid, member.oid);
  if (existing === undefined) {
    ctx.notice(new SqlError(SqlState.warning,
      `role "${member.name}" is not a member of role "${role.name}"`,
      { severity: "WARNING" }));
    return;
  }
  if (!adminOnly) removeMembership(catalog, existing);
  else {
    existing.admin = false;
    touchMembership(catalog, existing);
  }
}
