/**
 * Which rows information_schema shows the current user, as PostgreSQL's views decide: a
 * relation's rows show to the roles whose privileges include its owner's, and to a role
 * holding some privilege on it (tables: any table privilege or any column privilege;
 * columns: SELECT, INSERT, UPDATE or REFERENCES on the table or on the column). A superuser
 * holds everything, so sees every row.
 */
import type { StatementContext } from "../../api.js";
import type { Catalog } from "../catalog.js";
import { columnsWithAcls, heldColumnPrivileges } from "../column-privileges.js";
import { heldPrivileges, ownerOf } from "../privileges.js";
import type { Relation } from "../relation.js";
import { bootstrapSuperuserOid, findRole, hasPrivilegesOf } from "../roles.js";

/**
 * The current role's OID. A user that is no role (the cluster's internal user, or an engine
 * without a daemon) reads as the bootstrap superuser, as privilege checks let it through.
 */
export function viewerOf(catalog: Catalog, ctx: StatementContext): number {
  return findRole(catalog, ctx.user)?.oid ?? bootstrapSuperuserOid;
}

const anyOf = (held: string, letters: string): boolean =>
  [...letters].some((letter) => held.includes(letter));

/** pg_has_role(relowner, 'USAGE'): the current user holds the owner's privileges. */
export function ownsRelation(catalog: Catalog, ctx: StatementContext, rel: Relation): boolean {
  const kind = rel.kind === "S" ? "sequence" : "table";
  return hasPrivilegesOf(catalog, viewerOf(catalog, ctx), ownerOf(catalog, kind, rel.oid));
}

/** information_schema.tables' test: the owner's roles, or any privilege on the table. */
export function tableVisible(catalog: Catalog, ctx: StatementContext, rel: Relation): boolean {
  if (ownsRelation(catalog, ctx, rel)) return true;
  const viewer = viewerOf(catalog, ctx);
  const kind = rel.kind === "S" ? "sequence" : "table";
  if (heldPrivileges(catalog, kind, rel.oid, viewer).privs !== "") return true;
  return columnsWithAcls(catalog, rel.oid).some((attnum) =>
    heldColumnPrivileges(catalog, rel.oid, attnum, viewer) !== "");
}

/** information_schema.columns' test: the owner's roles, or a column privilege on it. */
export function columnVisible(catalog: Catalog, ctx: StatementContext, rel: Relation,
  attnum: number): boolean {
  if (ownsRelation(catalog, ctx, rel)) return true;
  const viewer = viewerOf(catalog, ctx);
  const held = heldPrivileges(catalog, "table", rel.oid, viewer).privs +
    heldColumnPrivileges(catalog, rel.oid, attnum, viewer);
  return anyOf(held, "arwx");
}

/**
 * table_constraints' test: the owner's roles, or a privilege other than SELECT (INSERT,
 * UPDATE, DELETE, TRUNCATE, REFERENCES or TRIGGER on the table, INSERT, UPDATE or
 * REFERENCES on one of its columns).
 */
export function constraintsVisible(catalog: Catalog, ctx: StatementContext, rel: Relation):
  boolean {
  if (ownsRelation(catalog, ctx, rel)) return true;
  const viewer = viewerOf(catalog, ctx);
  if (anyOf(heldPrivileges(catalog, "table", rel.oid, viewer).privs, "awdDxt")) return true;
  return columnsWithAcls(catalog, rel.oid).some((attnum) =>
    anyOf(heldColumnPrivileges(catalog, rel.oid, attnum, viewer), "awx"));
}

/** pg_has_role(proowner, 'USAGE'): the current user holds the function owner's privileges. */
export function ownsRoutine(catalog: Catalog, ctx: StatementContext, oid: number): boolean {
  return hasPrivilegesOf(catalog, viewerOf(catalog, ctx), ownerOf(catalog, "function", oid));
}

/** routines' and parameters' test: the owner's roles, or EXECUTE on the function. */
export function routineVisible(catalog: Catalog, ctx: StatementContext, oid: number):
  boolean {
  if (ownsRoutine(catalog, ctx, oid)) return true;
  return heldPrivileges(catalog, "function", oid, viewerOf(catalog, ctx)).privs.includes("X");
}
