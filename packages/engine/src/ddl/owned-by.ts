/**
 * REASSIGN OWNED BY and DROP OWNED BY (Postgres's `commands/user.c`, shdepReassignOwned and
 * shdepDropOwned), as a migration runs them before DROP ROLE:
 *
 *   REASSIGN OWNED BY old TO new
 *       every table, view, sequence, schema, function and type of `old` passes to `new` as
 *       ALTER … OWNER TO would (ACL entries of the old owner follow); default privileges stay
 *   DROP OWNED BY role [CASCADE | RESTRICT]
 *       the objects the role owns are dropped (`drop-owned-objects.ts`), then the privileges
 *       granted to it are revoked (object, column and default-privilege ACLs) and its
 *       default-privilege entries removed
 *
 * Both need the privileges of every role named (and REASSIGN those of the new owner). The
 * catalog's owner and ACL state before the statement goes to its undo log.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { PreparedStatement, StatementContext } from "../api.js";
import type { StatementScope } from "../analyze/scope.js";
import type { Catalog } from "../catalog/catalog.js";
import type { Engine } from "../engine.js";
import { onceCursor } from "../execute/command-cursor.js";
import {
  bootstrapSuperuserOid, findRole, hasPrivilegesOf, requireRole, roleByOid,
} from "../catalog/roles.js";
import {
  keptObjects, setAcl, snapshotPrivileges, type AclItem, type AclKind,
} from "../catalog/privileges.js";
import {
  columnAcl, columnAclRoles, setColumnAcl, snapshotColumnPrivileges,
} from "../catalog/column-privileges.js";
import {
  builtInAcl, defaultAclEntries, putDefaultAcl, sameAcl, snapshotDefaultAcls,
} from "../catalog/default-acls.js";
import { dropOwnedObjects } from "./drop-owned-objects.js";
import { transferOwner } from "./ownership.js";
import { roleSpecName } from "./role-ddl.js";

/** Prepares REASSIGN OWNED or DROP OWNED, or returns undefined for other statements. */
export function prepareOwnedBy(engine: Engine, stmt: ast.Node, statement: StatementScope):
  PreparedStatement | undefined {
  const catalog = statement.catalog;
  let action: ((ctx: StatementContext) => string) | undefined;
  if ("ReassignOwnedStmt" in stmt) {
    action = (ctx) => reassignOwned(catalog, stmt.ReassignOwnedStmt, ctx);
  }
  if ("DropOwnedStmt" in stmt) action = (ctx) => dropOwned(engine, stmt.DropOwnedStmt, ctx);
  if (action === undefined) return undefined;
  const work = action;
  return { paramTypes: [], columns: null, open: (_params, ctx) => onceCursor(() => {
    const undo = [snapshotPrivileges(catalog), snapshotColumnPrivileges(catalog),
      snapshotDefaultAcls(catalog)];
    const restore = (): void => undo.forEach((put) => put());
    engine.txns.runOf(ctx)?.undo.record({ kind: "custom", undo: restore });
    try {
      return work(ctx);
    } catch (error) {
      restore();
      throw error;
    }
  }) };
}

/** The roles a statement names, each required to exist and to be the caller's to manage. */
function namedRoles(catalog: Catalog, roles: readonly ast.Node[] | undefined,
  ctx: StatementContext, refusal: string): number[] {
  const oids = (roles ?? []).map((node) =>
    requireRole(catalog, roleSpecName("RoleSpec" in node ? node.RoleSpec : undefined, ctx)).oid);
  for (const oid of oids) checkManages(catalog, oid, ctx, refusal);
  return oids;
}

function checkManages(catalog: Catalog, role: number, ctx: StatementContext, refusal: string):
  void {
  const me = findRole(catalog, ctx.user);
  if (ctx.backendPid === 0 || me === undefined || hasPrivilegesOf(catalog, me.oid, role)) return;
  throw new SqlError(SqlState.insufficientPrivilege, refusal);
}

function reassignOwned(catalog: Catalog, stmt: ast.ReassignOwnedStmt, ctx: StatementContext):
  string {
  const refusal = "permission denied to reassign objects";
  const roles = namedRoles(catalog, stmt.roles, ctx, refusal);
  const target = requireRole(catalog, roleSpecName(stmt.newrole, ctx));
  checkManages(catalog, target.oid, ctx, refusal);
  if (roles.includes(bootstrapSuperuserOid)) {
    throw new SqlError(SqlState.dependentObjectsStillExist,
      `cannot reassign ownership of objects owned by role ${
        roleByOid(catalog, bootstrapSuperuserOid)?.name ?? "postgres"} because they are ` +
      "required by the database system");
  }
  for (const kept of keptObjects(catalog)) {
    if (kept.owner === undefined || !roles.includes(kept.owner)) continue;
    transferOwner(catalog, kept.kind as AclKind, kept.oid, target.oid);
  }
  return "REASSIGN OWNED";
}

function dropOwned(engine: Engine, stmt: ast.DropOwnedStmt, ctx: StatementContext): string {
  const catalog = engine.catalog;
  const roles = namedRoles(catalog, stmt.roles, ctx, "permission denied to drop objects");
  dropOwnedObjects(engine, roles, stmt.behavior, ctx);
  const named = (item: AclItem): boolean => roles.includes(item.grantee);
  for (const kept of keptObjects(catalog)) {
    if (kept.acl === null || !kept.acl.some(named)) continue;
    setAcl(catalog, kept.kind as AclKind, kept.oid, kept.acl.filter((item) => !named(item)));
  }
  for (const column of columnAclRoles(catalog)) {
    const acl = columnAcl(catalog, column.relOid, column.attnum) ?? [];
    if (acl.some(named)) {
      setColumnAcl(catalog, column.relOid, column.attnum, acl.filter((item) => !named(item)));
    }
  }
  for (const entry of [...defaultAclEntries(catalog)]) {
    const key = { oid: entry.oid, role: entry.role, schema: entry.schema, type: entry.type };
    if (roles.includes(entry.role)) putDefaultAcl(catalog, key, undefined);
    else if (entry.acl.some(named)) {
      // An entry left with the built-in privileges only is no entry (as ALTER DEFAULT
      // PRIVILEGES leaves it).
      const kept = entry.acl.filter((item) => !named(item));
      const plain = sameAcl(kept, builtInAcl(entry.type, entry.role));
      putDefaultAcl(catalog, key, plain ? undefined : kept);
    }
  }
  return "DROP OWNED";
}
