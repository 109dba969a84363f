/**
 * The privileges of the database itself (pg_database.datacl: CREATE, TEMPORARY, CONNECT), as
 * PostgreSQL checks them: CONNECT when a session starts (CheckMyDatabase), CREATE for CREATE
 * SCHEMA, TEMPORARY for a temporary table. PUBLIC holds TEMPORARY and CONNECT until a REVOKE
 * takes them (`defaultAcl`); superusers, the cluster's internal user (no role) and recovery's
 * replay pass.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { StatementContext } from "../api.js";
import type { Catalog } from "./catalog.js";
import { holds, Priv } from "./privileges.js";
import { findRole } from "./roles.js";
import { SysOid } from "./system-catalogs/oids.js";

/** The one database sessions use. */
const databaseName = "postgres";

/** Whether role `user` may open a session (CONNECT on the database). */
export function mayConnect(catalog: Catalog, user: string): boolean {
  const role = findRole(catalog, user);
  return role === undefined || holds(catalog, "database", SysOid.database, role.oid,
    Priv.connect);
}

/** CREATE SCHEMA needs CREATE on the database. */
export function checkCreateInDatabase(catalog: Catalog, ctx: StatementContext): void {
  if (lacks(catalog, ctx, Priv.create)) {
    throw new SqlError(SqlState.insufficientPrivilege,
      `permission denied for database ${databaseName}`);
  }
}

/**
 * A temporary table needs TEMPORARY on the database. Once the session has its temporary
 * schema, PostgreSQL finds the privilege missing on that schema (whose rights follow TEMPORARY).
 */
export function checkTemporaryInDatabase(catalog: Catalog, ctx: StatementContext): void {
  if (!lacks(catalog, ctx, Priv.temporary)) return;
  const schema = catalog.tempSchemas.get(ctx.backendPid);
  throw new SqlError(SqlState.insufficientPrivilege, schema !== undefined
    ? `permission denied for schema ${schema}`
    : `permission denied to create temporary tables in database "${databaseName}"`);
}

function lacks(catalog: Catalog, ctx: StatementContext, letter: string): boolean {
  if (ctx.backendPid === 0) return false;
  const role = findRole(catalog, ctx.user);
  return role !== undefined && !holds(catalog, "database", SysOid.database, role.oid, letter);
}
