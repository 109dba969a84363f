/**
 * Cluster-wide catalogs: roles (pg_authid, pg_roles, pg_user, pg_auth_members, read from
 * `catalog/roles.ts`), databases (pg_database), and the session views pg_settings and
 * pg_stat_activity.
 */
import { makeArray, type Row } from "@tessera/sql";
import type { StatementContext } from "../../api.js";
import type { Catalog } from "../catalog.js";
import type { SystemRelationDef } from "../system-relations.js";
import { Oid } from "../types.js";
import { SysOid } from "./oids.js";
import { settingCatalogEntry, settingRow } from "../../session/setting-metadata.js";
import { addConfiguredRoles, allMemberships, allRoles, roleByOid } from "../roles.js";
import { aclArray } from "../privileges.js";
import { checkpointSettingRow } from "../../storage/checkpoint-settings.js";
import { daemonActivity } from "./pg-stat-activity.js";

const textArray = 1009;

/** A role: OID, name, and whether it is a superuser. */
export type RoleEntry = readonly [number, string, boolean];

/** Declares the daemon's configured users as roles of `catalog` (`catalog/roles.ts`). */
export function setLoginRoles(catalog: Catalog, names: readonly string[]): void {
  addConfiguredRoles(catalog, names);
}

/** Every role of `catalog`, the initdb ones first. */
export function rolesOf(catalog: Catalog): readonly RoleEntry[] {
  return allRoles(catalog).map((r): RoleEntry => [r.oid, r.name, r.superuser]);
}

/** Returns the name of role `oid`, or undefined. */
export function roleName(catalog: Catalog, oid: number): string | undefined {
  return roleByOid(catalog, oid)?.name;
}

export function pgAuthid(catalog: Catalog): SystemRelationDef {
  return {
    oid: 1260, schema: "pg_catalog", name: "pg_authid",
    columns: [["oid", Oid.oid], ["rolname", Oid.name], ["rolsuper", Oid.bool],
      ["rolinherit", Oid.bool], ["rolcreaterole", Oid.bool], ["rolcreatedb", Oid.bool],
      ["rolcanlogin", Oid.bool], ["rolreplication", Oid.bool], ["rolbypassrls", Oid.bool],
      ["rolconnlimit", Oid.int4], ["rolpassword", Oid.text],
      ["rolvaliduntil", Oid.timestamptz]],
    rows: () => allRoles(catalog).map((r): Row => [r.oid, r.name, r.superuser, r.inherit,
      r.createRole, r.createDb, r.canLogin, r.replication, r.bypassRls, r.connectionLimit,
      r.password, r.validUntil]),
  };
}

export function pgRoles(catalog: Catalog): SystemRelationDef {
  return {
    oid: 12000, schema: "pg_catalog", name: "pg_roles",
    columns: [["rolname", Oid.name], ["rolsuper", Oid.bool], ["rolinherit", Oid.bool],
      ["rolcreaterole", Oid.bool], ["rolcreatedb", Oid.bool], ["rolcanlogin", Oid.bool],
      ["rolreplication", Oid.bool], ["rolconnlimit", Oid.int4], ["rolpassword", Oid.text],
      ["rolvaliduntil", Oid.timestamptz], ["rolbypassrls", Oid.bool],
      ["rolconfig", textArray], ["oid", Oid.oid]],
    rows: () => allRoles(catalog).map((r): Row => [r.name, r.superuser, r.inherit,
      r.createRole, r.createDb, r.canLogin, r.replication, r.connectionLimit, "********",
      r.validUntil, r.bypassRls, null, r.oid]),
  };
}

/** pg_user: the roles that can log in. */
export function pgUser(catalog: Catalog): SystemRelationDef {
  return {
    oid: 12001, schema: "pg_catalog", name: "pg_user",
    columns: [["usename", Oid.name], ["usesysid", Oid.oid], ["usecreatedb", Oid.bool],
      ["usesuper", Oid.bool], ["userepl", Oid.bool], ["usebypassrls", Oid.bool],
      ["passwd", Oid.text], ["valuntil", Oid.timestamptz], ["useconfig", textArray]],
    rows: () => allRoles(catalog).filter((r) => r.canLogin).map((r): Row => [r.name, r.oid,
      r.createDb, r.superuser, r.replication, r.bypassRls, "********", r.validUntil, null]),
  };
}

export function pgAuthMembers(catalog: Catalog): SystemRelationDef {
  return {
    oid: 1261, schema: "pg_catalog", name: "pg_auth_members",
    columns: [["roleid", Oid.oid], ["member", Oid.oid], ["grantor", Oid.oid],
      ["admin_option", Oid.bool]],
    rows: () => allMemberships(catalog).map((m): Row =>
      [m.roleid, m.member, m.grantor, m.admin]),
  };
}

/**
 * One database, `postgres`, beside the two templates every cluster has; its datacl is what
 * GRANT and REVOKE ON DATABASE left (null while it is still the default).
 */
export function pgDatabase(catalog: Catalog): SystemRelationDef {
  return {
    oid: 1262, schema: "pg_catalog", name: "pg_database",
    columns: [["oid", Oid.oid], ["datname", Oid.name], ["datdba", Oid.oid],
      ["encoding", Oid.int4], ["datlocprovider", Oid.char], ["datistemplate", Oid.bool],
      ["datallowconn", Oid.bool], ["datconnlimit", Oid.int4], ["datfrozenxid", 28],
      ["datminmxid", 28], ["dattablespace", Oid.oid], ["datcollate", Oid.text],
      ["datctype", Oid.text], ["daticulocale", Oid.text], ["datcollversion", Oid.text],
      ["datacl", textArray]],
    rows: () => {
      const initdb = makeArray(Oid.text, ["=c/postgres", "postgres=CTc/postgres"]);
      const db = (oid: number, name: string, template: boolean, allow: boolean): Row =>
        [oid, name, 10, 6, "c", template, allow, -1, 716, 1, 1663, "C", "C", null, null,
          aclArray(catalog, "database", oid) ?? (template ? initdb : null)];
      return databases.map((d) => db(d.oid, d.name, d.template, d.allowConnections));
    },
  };
}

/** The databases pg_database lists: the one sessions use and the two templates. */
const databases = [
  { oid: SysOid.database, name: "postgres", template: false, allowConnections: true },
  { oid: SysOid.template1, name: "template1", template: true, allowConnections: true },
  { oid: SysOid.template0, name: "template0", template: true, allowConnections: false },
];

/** The databases by name, for GRANT and the privilege functions. */
export const databaseOids: ReadonlyMap<string, number> =
  new Map(databases.map((d) => [d.name, d.oid]));

/** pg_settings: the session's settings, as SHOW ALL lists them. */
export const pgSettings: SystemRelationDef = {
  oid: 12002, schema: "pg_catalog", name: "pg_settings",
  columns: [["name", Oid.text], ["setting", Oid.text], ["unit", Oid.text],
    ["category", Oid.text], ["short_desc", Oid.text], ["extra_desc", Oid.text],
    ["context", Oid.text], ["vartype", Oid.text], ["source", Oid.text], ["min_val", Oid.text],
    ["max_val", Oid.text], ["enumvals", textArray], ["boot_val", Oid.text],
    ["reset_val", Oid.text], ["sourcefile", Oid.text], ["sourceline", Oid.int4],
    ["pending_restart", Oid.bool]],
  rows: (ctx: StatementContext) => (ctx.settingNames?.() ?? []).map((name): Row => {
    const server = checkpointSettingRow(name);
    if (server !== undefined) return server;
    const value = ctx.setting(name);
    const origin = ctx.settingOrigin?.(name) ?? { source: "default", reset: value, boot: value };
    return settingRow(name, settingCatalogEntry(name)?.name ?? name, value, origin);
  }),
};

/**
 * pg_stat_activity: every session of the daemon (`pg-stat-activity.ts`), or this session only
 * when the engine runs without a daemon.
 */
export function pgStatActivity(catalog: Catalog): SystemRelationDef {
  return { ...pgStatActivityOfSession,
    rows: (ctx: StatementContext) => daemonActivity(catalog, ctx)
      ?? pgStatActivityOfSession.rows(ctx) };
}

const pgStatActivityOfSession: SystemRelationDef = {
  oid: 12003, schema: "pg_catalog", name: "pg_stat_activity",
  columns: [["datid", Oid.oid], ["datname", Oid.name], ["pid", Oid.int4],
    ["leader_pid", Oid.int4], ["usesysid", Oid.oid], ["usename", Oid.name],
    ["application_name", Oid.text], ["client_addr", Oid.inet], ["client_hostname", Oid.text],
    ["client_port", Oid.int4], ["backend_start", Oid.timestamptz],
    ["xact_start", Oid.timestamptz], ["query_start", Oid.timestamptz],
    ["state_change", Oid.timestamptz], ["wait_event_type", Oid.text], ["wait_event", Oid.text],
    ["state", Oid.text], ["backend_xid", 28], ["backend_xmin", 28], ["query_id", Oid.int8],
    ["query", Oid.text], ["backend_type", Oid.text]],
  rows: (ctx: StatementContext) => [[SysOid.database, ctx.database, ctx.backendPid, null, 10,
    ctx.user, safe(ctx, "application_name"), null, null, null, null,
    ctx.transactionStartMicros, ctx.statementStartMicros, ctx.statementStartMicros, null, null,
    "active", null, null, null, "", "client backend"]],
};

function safe(ctx: StatementContext, name: string): string | null {
  try {
    return ctx.setting(name);
  } catch {
    return null;
  }
}
