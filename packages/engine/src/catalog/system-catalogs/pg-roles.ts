/**
 * Cluster-wide catalogs: roles (pg_authid, pg_roles, pg_user, pg_auth_members), databases
 * (pg_database), and the session views pg_settings and pg_stat_activity. Tessera has one
 * superuser, `postgres` (OID 10 as in every Postgres), and Postgres 15's predefined roles,
 * so `\du` and `\dn` read as on a fresh initdb.
 */
import { makeArray, type Row } from "@tessera/sql";
import type { StatementContext } from "../../api.js";
import type { Catalog } from "../catalog.js";
import type { SystemRelationDef } from "../system-relations.js";
import { Oid } from "../types.js";
import { SysOid } from "./oids.js";
import { checkpointSettingRow } from "../../storage/checkpoint-settings.js";
import { daemonActivity } from "./pg-stat-activity.js";

const textArray = 1009;

/** A role: OID, name, and whether it is a superuser that can log in. */
export type RoleEntry = readonly [number, string, boolean];

/** Postgres 15's roles after initdb: the bootstrap superuser and the predefined roles. */
const initdbRoles: readonly RoleEntry[] = [
  [SysOid.bootstrapSuperuser, "postgres", true],
  [SysOid.databaseOwner, "pg_database_owner", false],
  [6181, "pg_read_all_data", false], [6182, "pg_write_all_data", false],
  [3373, "pg_monitor", false], [3374, "pg_read_all_settings", false],
  [3375, "pg_read_all_stats", false], [3377, "pg_stat_scan_tables", false],
  [4569, "pg_read_server_files", false], [4570, "pg_write_server_files", false],
  [4571, "pg_execute_server_program", false], [4200, "pg_signal_backend", false],
  [4544, "pg_checkpoint", false],
];

/**
 * The users a daemon was started with (`--users`), by catalog. Tessera checks no privileges,
 * so each is what `CREATE ROLE name SUPERUSER LOGIN` makes in Postgres. Their OIDs come from
 * 8000 up in the order given (a range Postgres 15 leaves unused), the same on every start
 * with the same list.
 */
const loginRoles = new WeakMap<Catalog, readonly RoleEntry[]>();

const firstLoginRoleOid = 8000;

/** Declares the daemon's configured users as roles of `catalog`. */
export function setLoginRoles(catalog: Catalog, names: readonly string[]): void {
  const fresh = names.filter((n, i) => names.indexOf(n) === i &&
    !initdbRoles.some(([, name]) => name === n));
  loginRoles.set(catalog, fresh.map((name, i): RoleEntry => [firstLoginRoleOid + i, name, true]));
}

/** Every role of `catalog`, the initdb ones first. */
export function rolesOf(catalog: Catalog): readonly RoleEntry[] {
  return [...initdbRoles, ...loginRoles.get(catalog) ?? []];
}

/** Returns the name of role `oid`, or undefined. */
export function roleName(catalog: Catalog, oid: number): string | undefined {
  return rolesOf(catalog).find(([o]) => o === oid)?.[1];
}

/**
 * rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolreplication,
 * rolbypassrls: the bootstrap superuser has every attribute, a configured user is a superuser
 * that can log in, a predefined role only inherits.
 */
type Flags = [boolean, boolean, boolean, boolean, boolean, boolean, boolean];

function roleFlags(oid: number, superuser: boolean): Flags {
  const bootstrap = oid === SysOid.bootstrapSuperuser;
  return [superuser, true, bootstrap, bootstrap, superuser, bootstrap, bootstrap];
}

export function pgAuthid(catalog: Catalog): SystemRelationDef {
  return {
    oid: 1260, schema: "pg_catalog", name: "pg_authid",
    columns: [["oid", Oid.oid], ["rolname", Oid.name], ["rolsuper", Oid.bool],
      ["rolinherit", Oid.bool], ["rolcreaterole", Oid.bool], ["rolcreatedb", Oid.bool],
      ["rolcanlogin", Oid.bool], ["rolreplication", Oid.bool], ["rolbypassrls", Oid.bool],
      ["rolconnlimit", Oid.int4], ["rolpassword", Oid.text],
      ["rolvaliduntil", Oid.timestamptz]],
    rows: () => rolesOf(catalog).map(([oid, name, s]): Row =>
      [oid, name, ...roleFlags(oid, s), -1, null, null]),
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
    rows: () => rolesOf(catalog).map(([oid, name, s]): Row => {
      const [sup, inherit, createRole, createDb, login, repl, bypass] = roleFlags(oid, s);
      return [name, sup, inherit, createRole, createDb, login, repl, -1, "********", null,
        bypass, null, oid];
    }),
  };
}

/** pg_user: the roles that can log in. */
export function pgUser(catalog: Catalog): SystemRelationDef {
  return {
    oid: 12001, schema: "pg_catalog", name: "pg_user",
    columns: [["usename", Oid.name], ["usesysid", Oid.oid], ["usecreatedb", Oid.bool],
      ["usesuper", Oid.bool], ["userepl", Oid.bool], ["usebypassrls", Oid.bool],
      ["passwd", Oid.text], ["valuntil", Oid.timestamptz], ["useconfig", textArray]],
    rows: () => rolesOf(catalog).filter(([, , s]) => s).map(([oid, name, s]): Row => {
      const [sup, , , createDb, , repl, bypass] = roleFlags(oid, s);
      return [name, oid, createDb, sup, repl, bypass, "********", null, null];
    }),
  };
}

export const pgAuthMembers: SystemRelationDef = {
  oid: 1261, schema: "pg_catalog", name: "pg_auth_members",
  columns: [["roleid", Oid.oid], ["member", Oid.oid], ["grantor", Oid.oid],
    ["admin_option", Oid.bool]],
  rows: () => [[3374, 3373, 10, false], [3375, 3373, 10, false], [3377, 3373, 10, false]],
};

/** One database, `postgres`, beside the two templates every cluster has. */
export const pgDatabase: SystemRelationDef = {
  oid: 1262, schema: "pg_catalog", name: "pg_database",
  columns: [["oid", Oid.oid], ["datname", Oid.name], ["datdba", Oid.oid],
    ["encoding", Oid.int4], ["datlocprovider", Oid.char], ["datistemplate", Oid.bool],
    ["datallowconn", Oid.bool], ["datconnlimit", Oid.int4], ["datfrozenxid", 28],
    ["datminmxid", 28], ["dattablespace", Oid.oid], ["datcollate", Oid.text],
    ["datctype", Oid.text], ["daticulocale", Oid.text], ["datcollversion", Oid.text],
    ["datacl", textArray]],
  rows: () => {
    const acl = makeArray(Oid.text, ["=c/postgres", "postgres=CTc/postgres"]);
    const db = (oid: number, name: string, template: boolean, allow: boolean): Row =>
      [oid, name, 10, 6, "c", template, allow, -1, 716, 1, 1663, "C", "C", null, null,
        template ? acl : null];
    return [db(SysOid.database, "postgres", false, true),
      db(SysOid.template1, "template1", true, true), db(SysOid.template0, "template0", true,
        false)];
  },
};

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
    return [name, value, null, "Ungrouped", "", null, "user", "string", "default", null, null,
      null, value, value, null, null, false];
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
