/**
 * ALTER DEFAULT PRIVILEGES [FOR ROLE r, …] [IN SCHEMA s, …] GRANT | REVOKE … ON TABLES |
 * SEQUENCES | FUNCTIONS | ROUTINES | TYPES | SCHEMAS, as Postgres 15's SetDefaultACL: for each
 * role and schema (or globally), the entry of `catalog/default-acls.ts` is changed as GRANT
 * changes an object's ACL, the role itself the grantor. A global entry starts from the
 * built-in default ACL, a schema's from nothing; an entry equal to where it started is
 * removed. Objects made afterwards take it (`applyDefaultAcls`).
 *
 * The acting role must be a member of each role it names; IN SCHEMA does not go with ON
 * SCHEMAS, and column lists are refused, with Postgres's messages.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { PreparedStatement, StatementContext } from "../api.js";
import type { StatementScope } from "../analyze/scope.js";
import type { Catalog } from "../catalog/catalog.js";
import {
  builtInAcl, defaultAclPrivileges, findDefaultAcl, putDefaultAcl, sameAcl,
  snapshotDefaultAcls, sortAcl, type DefaultAclType,
} from "../catalog/default-acls.js";
import { inOrder, Priv } from "../catalog/privileges.js";
import { isMemberOf, requireRole } from "../catalog/roles.js";
import { onceCursor } from "../execute/command-cursor.js";
import type { Engine } from "../engine.js";
import { addPrivileges, revokePrivileges } from "./acl-edit.js";
import { actingRole, roleSpecName } from "./role-ddl.js";

const types: Readonly<Record<string, { type: DefaultAclType; word: string }>> = {
  OBJECT_TABLE: { type: "r", word: "relation" },
  OBJECT_SEQUENCE: { type: "S", word: "sequence" },
  OBJECT_FUNCTION: { type: "f", word: "function" },
  OBJECT_PROCEDURE: { type: "f", word: "procedure" },
  OBJECT_ROUTINE: { type: "f", word: "function" },
  OBJECT_TYPE: { type: "T", word: "type" },
  OBJECT_SCHEMA: { type: "n", word: "schema" },
};

const privilegeNames: Readonly<Record<string, string>> = {
  select: Priv.select, insert: Priv.insert, update: Priv.update, delete: Priv.delete,
  truncate: Priv.truncate, references: Priv.references, trigger: Priv.trigger,
  execute: Priv.execute, usage: Priv.usage, create: Priv.create,
};

/** Prepares ALTER DEFAULT PRIVILEGES, or returns undefined for other statements. */
export function prepareDefaultPrivileges(engine: Engine, stmt: ast.Node,
  statement: StatementScope): PreparedStatement | undefined {
  if (!("AlterDefaultPrivilegesStmt" in stmt)) return undefined;
  const alter = stmt.AlterDefaultPrivilegesStmt;
  const catalog = statement.catalog;
  return { paramTypes: [], columns: null, open: (_params, ctx) => onceCursor(() => {
    const restore = snapshotDefaultAcls(catalog);
    engine.txns.runOf(ctx)?.undo.record({ kind: "custom", undo: restore });
    try {
      alterDefaultPrivileges(catalog, alter, ctx);
    } catch (error) {
      restore();
      throw error;
    }
    return "ALTER DEFAULT PRIVILEGES";
  }) };
}

function listOption(stmt: ast.AlterDefaultPrivilegesStmt, name: string): ast.Node[] | undefined {
  for (const node of stmt.options ?? []) {
    if (!("DefElem" in node) || node.DefElem.defname !== name) continue;
    const arg = node.DefElem.arg;
    return arg !== undefined && "List" in arg ? arg.List.items ?? [] : [];
  }
  return undefined;
}

function alterDefaultPrivileges(catalog: Catalog, stmt: ast.AlterDefaultPrivilegesStmt,
  ctx: StatementContext): void {
  const action = stmt.action!;
  const target = types[action.objtype ?? ""];
  if (target === undefined) {
    throw new SqlError(SqlState.featureNotSupported,
      `ALTER DEFAULT PRIVILEGES on ${action.objtype ?? "?"} is not supported`);
  }
  const me = actingRole(catalog, ctx);
  const roles = (listOption(stmt, "roles") ?? []).map((node) =>
    requireRole(catalog, roleSpecName("RoleSpec" in node ? node.RoleSpec : undefined, ctx)));
  if (roles.length === 0) roles.push(me);
  const schemaNames = (listOption(stmt, "schemas") ?? []).map((node) =>
    ("String" in node ? node.String.sval ?? "" : ""));
  const letters = requestedLetters(action, target.type, target.word);
  if (target.type === "n" && schemaNames.length > 0) {
    throw new SqlError(SqlState.invalidGrantOperation,
      "cannot use IN SCHEMA clause when using GRANT/REVOKE ON SCHEMAS");
  }
  const schemas = schemaNames.map((name) => {
    const oid = catalog.allSchemas().find(([n]) => n === name)?.[1];
    if (oid === undefined) {
      throw new SqlError(SqlState.invalidSchemaName, `schema "${name}" does not exist`);
    }
    return oid;
  });
  const grantees = (action.grantees ?? []).map((node) => {
    const spec = "RoleSpec" in node ? node.RoleSpec : undefined;
    if (spec?.roletype === "ROLESPEC_PUBLIC") return 0;
    return requireRole(catalog, roleSpecName(spec, ctx)).oid;
  });
  if (action.is_grant === true && action.grant_option === true && grantees.includes(0)) {
    throw new SqlError(SqlState.invalidGrantOperation,
      "grant options can only be granted to roles");
  }
  for (const role of roles) {
    if (ctx.backendPid !== 0 && !me.superuser && !isMemberOf(catalog, me.oid, role.oid)) {
      throw new SqlError(SqlState.insufficientPrivilege,
        `must be member of role "${role.name}"`);
    }
    for (const schema of schemas.length === 0 ? [0] : schemas) {
      changeEntry(catalog, role.oid, schema, target.type, letters, grantees, action);
    }
  }
}

/** The privileges the statement names (all of the type's for ALL). */
function requestedLetters(action: ast.GrantStmt, type: DefaultAclType, word: string): string {
  const known = defaultAclPrivileges[type];
  const privileges = action.privileges ?? [];
  if (privileges.length === 0) return known;
  let letters = "";
  for (const node of privileges) {
    const priv = "AccessPriv" in node ? node.AccessPriv : undefined;
    if ((priv?.cols ?? []).length > 0) {
      throw new SqlError(SqlState.invalidGrantOperation,
        "default privileges cannot be set for columns");
    }
    const name = priv?.priv_name ?? "";
    const letter = privilegeNames[name];
    if (letter === undefined || !known.includes(letter)) {
      throw new SqlError(SqlState.invalidGrantOperation,
        `invalid privilege type ${name.toUpperCase()} for ${word}`);
    }
    letters += letter;
  }
  return inOrder(letters);
}

/** SetDefaultACL for one role and schema (0: global). */
function changeEntry(catalog: Catalog, role: number, schema: number, type: DefaultAclType,
  letters: string, grantees: readonly number[], action: ast.GrantStmt): void {
  const start = schema === 0 ? builtInAcl(type, role) : [];
  const existing = findDefaultAcl(catalog, role, schema, type);
  const acl = (existing?.acl ?? start).map((item) => ({ ...item }));
  for (const grantee of grantees) {
    if (action.is_grant === true) {
      addPrivileges(acl, grantee, role, letters, action.grant_option === true);
    } else {
      revokePrivileges(acl, grantee, role, letters, action.grant_option === true,
        action.behavior === "DROP_CASCADE");
    }
  }
  const result = sortAcl(acl.filter((item) => item.privs !== ""));
  const key = { oid: existing?.oid ?? catalog.allocateOid(), role, schema, type };
  putDefaultAcl(catalog, key, sameAcl(result, start) ? undefined : result);
}
