/**
 * ALTER … OWNER TO, as every pg_dump script runs it after creating an object
 * (`ALTER TABLE public.t OWNER TO postgres`, for sequences and views too, `ALTER SCHEMA`,
 * `ALTER TYPE`, `ALTER FUNCTION`). Tables, views, sequences, schemas and functions change
 * owner (`ownership.ts`); a type keeps no owner, so giving one to any role but the bootstrap
 * superuser is refused with 0A000 rather than ignored.
 */
import { findDomain } from "../catalog/domains.js";
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { StatementScope } from "../analyze/scope.js";
import { findEnumType } from "../catalog/enum-types.js";
import { findCompositeType } from "../catalog/composite-types.js";
import { sqlFunctionsNamed } from "../catalog/sql-functions.js";
import { rolesOf } from "../catalog/system-catalogs/pg-roles.js";
import { SysOid } from "../catalog/system-catalogs/oids.js";
import { changeOwner } from "./ownership.js";
import { roleSpecName } from "./role-ddl.js";

/** True for an ALTER TABLE / SEQUENCE / VIEW whose only subcommands are OWNER TO. */
export function isOwnerChangeOnly(stmt: ast.AlterTableStmt): boolean {
  const cmds = stmt.cmds ?? [];
  return cmds.length > 0 && cmds.every((c) =>
    "AlterTableCmd" in c && c.AlterTableCmd.subtype === "AT_ChangeOwner");
}

/** ALTER TABLE|SEQUENCE|VIEW|MATERIALIZED VIEW name OWNER TO role. */
export function alterRelationOwner(stmt: ast.AlterTableStmt, statement: StatementScope): string {
  const rv = stmt.relation!;
  const { catalog, path } = statement;
  const name = rv.relname ?? "";
  const found = catalog.findRelation(path, rv.schemaname, name) ??
    catalog.findSequence(path, rv.schemaname, name);
  const objtype = stmt.objtype ?? "OBJECT_TABLE";
  const tag = `ALTER ${objtype.replace("OBJECT_", "").replace("MATVIEW", "MATERIALIZED VIEW")}`;
  if (found === undefined) {
    if (stmt.missing_ok === true) return tag;
    throw new SqlError(SqlState.undefinedTable, `relation "${name}" does not exist`);
  }
  const seq = "increment" in found;
  const word = seq ? "sequence" : (found as { kind: string }).kind === "v" ? "view"
    : (found as { kind: string }).kind === "m" ? "materialized view" : "table";
  for (const cmd of stmt.cmds ?? []) {
    if (!("AlterTableCmd" in cmd)) continue;
    changeOwner(catalog, { kind: seq ? "sequence" : "table", oid: found.oid, word,
      name: found.name }, ownerName(cmd.AlterTableCmd.newowner, statement), statement.ctx);
  }
  return tag;
}

/** ALTER SCHEMA | TYPE | FUNCTION … OWNER TO role. */
export function alterOwner(stmt: ast.AlterOwnerStmt, statement: StatementScope): string {
  const { catalog, path } = statement;
  switch (stmt.objectType) {
    case "OBJECT_SCHEMA": {
      const name = stringOf(stmt.object);
      const oid = catalog.allSchemas().find(([n]) => n === name)?.[1];
      if (oid === undefined) {
        throw new SqlError(SqlState.invalidSchemaName, `schema "${name}" does not exist`);
      }
      changeOwner(catalog, { kind: "schema", oid, word: "schema", name },
        ownerName(stmt.newowner, statement), statement.ctx);
      return "ALTER SCHEMA";
    }
    case "OBJECT_TYPE": {
      const names = listOf(stmt.object);
      const name = names[names.length - 1] ?? "";
      const schema = names.length > 1 ? names[names.length - 2] : undefined;
      if (findEnumType(catalog, path, schema, name) === undefined &&
        findCompositeType(catalog, path, schema, name) === undefined) {
        throw new SqlError(SqlState.undefinedObject, `type "${names.join(".")}" does not exist`);
      }
      checkNewOwner(stmt.newowner, statement);
      return "ALTER TYPE";
    }
    case "OBJECT_DOMAIN": {
      // Domains keep no owner either (pg_dump writes ALTER DOMAIN … OWNER TO postgres).
      const names = listOf(stmt.object);
      const name = names[names.length - 1] ?? "";
      const schema = names.length > 1 ? names[names.length - 2] : undefined;
      if (findDomain(catalog, path, schema, name) === undefined) {
        throw new SqlError(SqlState.undefinedObject, `type "${names.join(".")}" does not exist`);
      }
      checkNewOwner(stmt.newowner, statement);
      return "ALTER DOMAIN";
    }
    case "OBJECT_FUNCTION": {
      const fn = stmt.object !== undefined && "ObjectWithArgs" in stmt.object
        ? stmt.object.ObjectWithArgs : undefined;
      const names = (fn?.objname ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : ""));
      const name = names[names.length - 1] ?? "";
      const schema = names.length > 1 ? names[names.length - 2] : undefined;
      const found = sqlFunctionsNamed(catalog, path, schema, name);
      if (found.length === 0) {
        throw new SqlError(SqlState.undefinedFunction,
          `function ${names.join(".")} does not exist`);
      }
      const arity = (fn?.objargs ?? []).length;
      const target = found.find((f) => fn?.args_unspecified === true ||
        f.argTypes.length === arity) ?? found[0]!;
      changeOwner(catalog, { kind: "function", oid: target.oid, word: "function",
        name: target.name }, ownerName(stmt.newowner, statement), statement.ctx);
      return "ALTER FUNCTION";
    }
    default:
      throw notSupported(`ALTER ${(stmt.objectType ?? "").replace("OBJECT_", "")} … OWNER TO`);
  }
}

/** The role an OWNER TO names (CURRENT_USER and SESSION_USER included). */
function ownerName(spec: ast.RoleSpec | undefined, statement: StatementScope): string {
  return roleSpecName(spec, statement.ctx);
}

/** A type's new owner must exist and be the bootstrap superuser: types keep no owner. */
function checkNewOwner(spec: ast.RoleSpec | undefined, statement: StatementScope): void {
  const roles = rolesOf(statement.catalog);
  const name = spec?.roletype === "ROLESPEC_CSTRING" ? spec.rolename ?? ""
    : statement.ctx.user;
  const role = roles.find(([, roleName]) => roleName === name);
  if (role === undefined) {
    throw new SqlError(SqlState.undefinedObject, `role "${name}" does not exist`);
  }
  const owner = roles.find(([oid]) => oid === SysOid.bootstrapSuperuser)?.[1] ?? "postgres";
  if (role[0] !== SysOid.bootstrapSuperuser) {
    throw new SqlError(SqlState.featureNotSupported,
      `changing an object's owner to role "${name}" is not supported`,
      { detail: `Every object in Tessera belongs to the bootstrap superuser "${owner}".` });
  }
}

function stringOf(node: ast.Node | undefined): string {
  return node !== undefined && "String" in node ? node.String.sval ?? "" : "";
}

function listOf(node: ast.Node | undefined): string[] {
  if (node === undefined || !("List" in node)) return [stringOf(node)];
  return (node.List.items ?? []).map(stringOf);
}
