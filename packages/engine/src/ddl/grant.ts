/**
 * GRANT and REVOKE on objects, as Postgres 15's `catalog/aclchk.c` runs them: on tables,
 * views and sequences (by name or ON ALL TABLES | SEQUENCES IN SCHEMA), on schemas and on SQL
 * functions; to roles or PUBLIC, WITH GRANT OPTION; REVOKE [GRANT OPTION FOR] … [CASCADE].
 *
 * The grantor is the object's owner when the acting role has the owner's privileges (a
 * superuser acts as the owner), otherwise the acting role, which may grant only what it holds
 * with grant option; it is warned of what it could not grant or revoke, as Postgres warns.
 * Column privileges (GRANT SELECT (a, b) ON t …) are `column-grant.ts`'s; REVOKE on a table
 * takes the same privileges from its columns too. GRANTED BY another role is refused (0A000).
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { PreparedStatement, StatementContext } from "../api.js";
import type { StatementScope } from "../analyze/scope.js";
import type { Catalog } from "../catalog/catalog.js";
import { onceCursor } from "../execute/command-cursor.js";
import type { Engine } from "../engine.js";
import { hasPrivilegesOf, requireRole } from "../catalog/roles.js";
import {
  effectiveAcl, heldPrivileges, inOrder, kindPrivileges, ownerOf, Priv, setAcl,
  snapshotPrivileges, type AclItem, type AclKind,
} from "../catalog/privileges.js";
import { sqlFunctionsNamed } from "../catalog/sql-functions.js";
import { databaseOids } from "../catalog/system-catalogs/pg-roles.js";
import { snapshotColumnPrivileges } from "../catalog/column-privileges.js";
import {
  changeColumnAcls, requestedColumns, revokeFromColumns,
} from "./column-grant.js";
import { actingRole, roleSpecName } from "./role-ddl.js";
import { addPrivileges, revokePrivileges } from "./acl-edit.js";

/** One object a GRANT names: its kind, OID and name for messages. */
export interface GrantTarget {
  readonly kind: AclKind;
  readonly oid: number;
  readonly name: string;
}

/** Prepares GRANT / REVOKE on objects, or returns undefined for other statements. */
export function prepareGrant(engine: Engine, stmt: ast.Node, statement: StatementScope):
  PreparedStatement | undefined {
  if (!("GrantStmt" in stmt)) return undefined;
  const grant = stmt.GrantStmt;
  const catalog = statement.catalog;
  return { paramTypes: [], columns: null, open: (_params, ctx) => onceCursor(() => {
    const restoreObjects = snapshotPrivileges(catalog);
    const restoreColumns = snapshotColumnPrivileges(catalog);
    const restore = (): void => {
      restoreObjects();
      restoreColumns();
    };
    engine.txns.runOf(ctx)?.undo.record({ kind: "custom", undo: restore });
    try {
      runGrant(catalog, statement.path, grant, ctx);
    } catch (error) {
      restore();
      throw error;
    }
    return grant.is_grant === true ? "GRANT" : "REVOKE";
  }) };
}

const privilegeNames: Readonly<Record<string, string>> = {
  select: Priv.select, insert: Priv.insert, update: Priv.update, delete: Priv.delete,
  truncate: Priv.truncate, references: Priv.references, trigger: Priv.trigger,
  execute: Priv.execute, usage: Priv.usage, create: Priv.create, temporary: Priv.temporary,
  temp: Priv.temporary, connect: Priv.connect,
};

const kindWords: Readonly<Record<AclKind, string>> = {
  table: "table", sequence: "sequence", schema: "schema", function: "function", type: "type",
  database: "database",
};

function runGrant(catalog: Catalog, path: readonly string[], stmt: ast.GrantStmt,
  ctx: StatementContext): void {
  if (stmt.grantor !== undefined && roleSpecName(stmt.grantor, ctx) !== ctx.user) {
    throw notSupported("GRANT … GRANTED BY another role");
  }
  const objtype = stmt.objtype ?? "OBJECT_TABLE";
  const targets = targetsOf(catalog, path, stmt, objtype);
  const grantees = (stmt.grantees ?? []).map((node) => {
    const spec = "RoleSpec" in node ? node.RoleSpec : undefined;
    if (spec?.roletype === "ROLESPEC_PUBLIC") return 0;
    return requireRole(catalog, roleSpecName(spec, ctx)).oid;
  });
  if (stmt.is_grant === true && stmt.grant_option === true && grantees.includes(0)) {
    throw new SqlError(SqlState.invalidGrantOperation,
      "grant options can only be granted to roles");
  }
  const statementKind: AclKind = objtype === "OBJECT_SEQUENCE" ? "sequence"
    : objtype === "OBJECT_SCHEMA" ? "schema" : routineTypes.has(objtype) ? "function"
    : objtype === "OBJECT_DATABASE" ? "database" : "table";
  const all = stmt.privileges === undefined || stmt.privileges.length === 0;
  const requested = all ? undefined : requestedLetters(stmt.privileges ?? [], statementKind);
  const columns = all ? [] : requestedColumns(stmt.privileges ?? []);
  for (const target of targets) {
    if (requested === undefined || requested !== "" || columns.length === 0) {
      const letters = lettersFor(target, requested, ctx);
      changeAcl(catalog, target, letters, all, grantees, stmt, ctx);
      if (stmt.is_grant !== true && target.kind === "table") {
        revokeFromColumns(catalog, target, letters, grantees, stmt, ctx);
      }
    }
    if (columns.length > 0) changeColumnAcls(catalog, target, columns, grantees, stmt, ctx);
  }
}

/** The letters a privilege list names, checked against the statement's object kind. */
function requestedLetters(privileges: readonly ast.Node[], kind: AclKind): string {
  let letters = "";
  for (const node of privileges) {
    const priv = "AccessPriv" in node ? node.AccessPriv : undefined;
    if ((priv?.cols ?? []).length > 0) continue; // a column privilege (`requestedColumns`)
    const name = priv?.priv_name ?? "";
    const letter = privilegeNames[name];
    // ON TABLE also reaches sequences, so USAGE passes here and is checked per object.
    const allowed = kind === "table" ? `${kindPrivileges.table}U` : kindPrivileges[kind];
    if (letter === undefined || !allowed.includes(letter)) {
      throw new SqlError(SqlState.invalidGrantOperation,
        `invalid privilege type ${name.toUpperCase()} for ${kindWords[kind]}`);
    }
    letters += letter;
  }
  return inOrder(letters);
}

/** The letters that apply to one object: all of its kind's, or the requested ones. */
function lettersFor(target: GrantTarget, requested: string | undefined,
  ctx: StatementContext): string {
  const known = kindPrivileges[target.kind];
  if (requested === undefined) return known;
  const fitting = inOrder([...requested].filter((l) => known.includes(l)).join(""));
  if (fitting !== requested) {
    if (target.kind === "sequence") {
      ctx.notice(new SqlError(SqlState.warning,
        `sequence "${target.name}" only supports USAGE, SELECT, and UPDATE privileges`,
        { severity: "WARNING" }));
    } else {
      const bad = [...requested].find((l) => !known.includes(l)) ?? "";
      const word = Object.entries(privilegeNames).find(([, l]) => l === bad)?.[0] ?? "";
      throw new SqlError(SqlState.invalidGrantOperation,
        `invalid privilege type ${word.toUpperCase()} for ${kindWords[target.kind]}`);
    }
  }
  return fitting;
}

/** The objects a GRANT names, in order; their absence is an error. */
function targetsOf(catalog: Catalog, path: readonly string[], stmt: ast.GrantStmt,
  objtype: string): GrantTarget[] {
  if (stmt.targtype === "ACL_TARGET_ALL_IN_SCHEMA") return allInSchemas(catalog, stmt, objtype);
  if (stmt.targtype !== undefined && stmt.targtype !== "ACL_TARGET_OBJECT") {
    throw notSupported("ALTER DEFAULT PRIVILEGES");
  }
  const targets: GrantTarget[] = [];
  for (const node of stmt.objects ?? []) {
    if (objtype === "OBJECT_TABLE" || objtype === "OBJECT_SEQUENCE") {
      targets.push(relationTarget(catalog, path, node, objtype === "OBJECT_SEQUENCE"));
    } else if (objtype === "OBJECT_SCHEMA") {
      const name = "String" in node ? node.String.sval ?? "" : "";
      const oid = catalog.allSchemas().find(([n]) => n === name)?.[1];
      if (oid === undefined) {
        throw new SqlError(SqlState.invalidSchemaName, `schema "${name}" does not exist`);
      }
      targets.push({ kind: "schema", oid, name });
    } else if (routineTypes.has(objtype)) {
      targets.push(functionTarget(catalog, path, node, objtype));
    } else if (objtype === "OBJECT_DATABASE") {
      const name = "String" in node ? node.String.sval ?? "" : "";
      const oid = databaseOids.get(name);
      if (oid === undefined) {
        throw new SqlError(SqlState.invalidCatalogName, `database "${name}" does not exist`);
      }
      targets.push({ kind: "database", oid, name });
    } else {
      throw notSupported(`GRANT on ${objtype.replace("OBJECT_", "").toLowerCase()}`);
    }
  }
  return targets;
}

function relationTarget(catalog: Catalog, path: readonly string[], node: ast.Node,
  sequenceOnly: boolean): GrantTarget {
  const rv = "RangeVar" in node ? node.RangeVar : undefined;
  const name = rv?.relname ?? "";
  const rel = catalog.findRelation(path, rv?.schemaname, name);
  const seq = rel === undefined ? catalog.findSequence(path, rv?.schemaname, name) : undefined;
  if (rel === undefined && seq === undefined) {
    const shown = rv?.schemaname === undefined ? name : `${rv.schemaname}.${name}`;
    throw new SqlError(SqlState.undefinedTable, `relation "${shown}" does not exist`);
  }
  if (seq !== undefined) return { kind: "sequence", oid: seq.oid, name: seq.name };
  if (sequenceOnly) {
    throw new SqlError(SqlState.wrongObjectType, `"${name}" is not a sequence`);
  }
  return { kind: "table", oid: rel!.oid, name: rel!.name };
}

const routineTypes = new Set(["OBJECT_FUNCTION", "OBJECT_PROCEDURE", "OBJECT_ROUTINE"]);

function functionTarget(catalog: Catalog, path: readonly string[], node: ast.Node,
  objtype: string): GrantTarget {
  const fn = "ObjectWithArgs" in node ? node.ObjectWithArgs : undefined;
  const names = (fn?.objname ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : ""));
  const name = names[names.length - 1] ?? "";
  const schema = names.length > 1 ? names[names.length - 2] : undefined;
  const word = objtype === "OBJECT_PROCEDURE" ? "procedure" : "function";
  const found = sqlFunctionsNamed(catalog, path, schema, name).filter((f) =>
    objtype === "OBJECT_ROUTINE" || (f.procedure === true) === (word === "procedure"));
  if (found.length === 0) {
    throw new SqlError(SqlState.undefinedFunction, `${word} ${names.join(".")} does not exist`);
  }
  if (found.length > 1 && fn?.args_unspecified === true) {
    throw new SqlError(SqlState.ambiguousFunction,
      `function name "${names.join(".")}" is not unique`);
  }
  const arity = (fn?.objargs ?? []).length;
  const match = fn?.args_unspecified === true ? found[0]
    : found.find((f) => f.argTypes.length === arity);
  if (match === undefined) {
    throw new SqlError(SqlState.undefinedFunction, `${word} ${names.join(".")} does not exist`);
  }
  return { kind: "function", oid: match.oid, name: match.name };
}

function allInSchemas(catalog: Catalog, stmt: ast.GrantStmt, objtype: string): GrantTarget[] {
  const targets: GrantTarget[] = [];
  for (const node of stmt.objects ?? []) {
    const schema = "String" in node ? node.String.sval ?? "" : "";
    if (!catalog.schemaExists(schema)) {
      throw new SqlError(SqlState.invalidSchemaName, `schema "${schema}" does not exist`);
    }
    if (objtype === "OBJECT_TABLE") {
      for (const rel of catalog.allRelations()) {
        if (rel.schema === schema && ["r", "v", "m"].includes(rel.kind)) {
          targets.push({ kind: "table", oid: rel.oid, name: rel.name });
        }
      }
    } else if (objtype === "OBJECT_SEQUENCE") {
      for (const seq of catalog.allSequences()) {
        if (seq.schema === schema) targets.push({ kind: "sequence", oid: seq.oid, name: seq.name });
      }
    } else {
      throw notSupported(`GRANT ON ALL ${objtype.replace("OBJECT_", "")}S IN SCHEMA`);
    }
  }
  return targets;
}

/** Applies the grant or revoke of `letters` to one object's ACL. */
function changeAcl(catalog: Catalog, target: GrantTarget, letters: string, all: boolean,
  grantees: readonly number[], stmt: ast.GrantStmt, ctx: StatementContext): void {
  const owner = ownerOf(catalog, target.kind, target.oid);
  const me = actingRole(catalog, ctx);
  const asOwner = me.superuser || hasPrivilegesOf(catalog, me.oid, owner);
  const grantor = asOwner ? owner : me.oid;
  const held = heldPrivileges(catalog, target.kind, target.oid, me.oid);
  const available = asOwner ? kindPrivileges[target.kind] : held.options;
  if (available === "" && held.privs === "") {
    throw new SqlError(SqlState.insufficientPrivilege,
      `permission denied for ${kindWords[target.kind]} ${target.name}`);
  }
  const effective = inOrder([...letters].filter((l) => available.includes(l)).join(""));
  const grant = stmt.is_grant === true;
  if (effective === "" || (!all && effective !== letters)) {
    const what = effective === "" ? "no" : "not all";
    const verb = grant ? "were granted" : "could be revoked";
    ctx.notice(new SqlError(SqlState.warning, `${what} privileges ${verb} for "${target.name}"`,
      { severity: "WARNING" }));
  }
  const acl = effectiveAcl(catalog, target.kind, target.oid).map((item) => ({ ...item }));
  for (const grantee of grantees) {
    if (grant) addPrivileges(acl, grantee, grantor, effective, stmt.grant_option === true);
    else {
      revokePrivileges(acl, grantee, grantor, effective, stmt.grant_option === true,
        stmt.behavior === "DROP_CASCADE");
    }
  }
  setAcl(catalog, target.kind, target.oid, acl.filter((item) => item.privs !== ""));
}
