/**
 * Who may change or drop an object: its owner, a member of the owning role, or a superuser
 * (Postgres's pg_class_ownercheck and friends, check_object_ownership). Runs when a utility
 * statement opens (`ownership.ts`), before it does any work, and refuses with 42501 "must be
 * owner of table t" in the words PostgreSQL 15 uses for the statement: ALTER TABLE names the
 * relation's own kind, COMMENT ON COLUMN or CONSTRAINT says "relation", DROP FUNCTION names
 * the function as written, a type is shown as format_type shows it.
 *
 * An object that does not exist is left to the statement, which reports it (or skips it for
 * IF EXISTS). ALTER … OWNER TO makes its own checks (`ownership.ts`).
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { StatementContext } from "../api.js";
import type { StatementScope } from "../analyze/scope.js";
import type { Catalog } from "../catalog/catalog.js";
import type { Relation } from "../catalog/relation.js";
import type { SqlFunction } from "../catalog/sql-functions.js";
import { bootstrapSuperuserOid, findRole, hasPrivilegesOf, roleByOid } from "../catalog/roles.js";
import { ownerOf } from "../catalog/privileges.js";
import { indexByOid } from "../catalog/system-catalogs/oids.js";
import { findForDrop } from "./create-function.js";
import { findUserType, typeOwner, typeShownName } from "../catalog/type-owners.js";
import { isOwnerChangeOnly } from "./alter-owner.js";

/** The owner and the words of a refusal: "must be owner of <word> <name>". */
interface Owned {
  readonly owner: number;
  readonly word: string;
  readonly name: string;
}

/** Refuses the statement when the acting role does not own an object it changes. */
export function checkOwnership(stmt: ast.Node, statement: StatementScope): void {
  checkSequenceOwnedBy(stmt, statement);
  const me = actingRole(statement.catalog, statement.ctx);
  if (me === undefined) return;
  if ("CommentStmt" in stmt && stmt.CommentStmt.objtype === "OBJECT_ROLE") {
    checkRoleComment(statement.catalog, me, stmt.CommentStmt);
    return;
  }
  for (const object of ownedObjects(stmt, statement)) {
    if (object !== undefined && !hasPrivilegesOf(statement.catalog, me, object.owner)) {
      throw notOwner(object.word, object.name);
    }
  }
}

/** Refuses when the acting role lacks the privileges of `owner` (and is no superuser). */
export function requireOwner(catalog: Catalog, ctx: StatementContext, owner: number,
  word: string, name: string): void {
  const me = actingRole(catalog, ctx);
  if (me !== undefined && !hasPrivilegesOf(catalog, me, owner)) throw notOwner(word, name);
}

export function notOwner(word: string, name: string): SqlError {
  return new SqlError(SqlState.insufficientPrivilege, `must be owner of ${word} ${name}`);
}

/**
 * CREATE / ALTER SEQUENCE … OWNED BY t.c: the sequence and the table must have one owner
 * (process_owned_by), superusers included.
 */
function checkSequenceOwnedBy(stmt: ast.Node, statement: StatementScope): void {
  const options = "CreateSeqStmt" in stmt ? stmt.CreateSeqStmt.options
    : "AlterSeqStmt" in stmt ? stmt.AlterSeqStmt.options : undefined;
  const ownedBy = (options ?? []).map((o) => ("DefElem" in o ? o.DefElem : undefined))
    .find((o) => o?.defname === "owned_by");
  const arg = ownedBy?.arg;
  const target = arg !== undefined && "List" in arg ? (arg.List.items ?? []).map(stringOf) : [];
  if (target.length < 2) return;
  const table = relationNamed(target.slice(0, -1), statement);
  const { catalog, ctx } = statement;
  const sequence = "AlterSeqStmt" in stmt
    ? relationOwned(stmt.AlterSeqStmt.sequence, statement)?.owner
    : findRole(catalog, ctx.user)?.oid;
  if (table === undefined || sequence === undefined || table.owner === sequence) return;
  throw new SqlError(SqlState.objectNotInPrerequisiteState,
    "sequence must have same owner as table it is linked to");
}

/** The OID of the role whose ownership counts, or undefined when every check passes. */
function actingRole(catalog: Catalog, ctx: StatementContext): number | undefined {
  if (ctx.backendPid === 0) return undefined;
  const me = findRole(catalog, ctx.user);
  return me === undefined || me.superuser ? undefined : me.oid;
}

/** COMMENT ON ROLE: CREATEROLE for an ordinary role, superuser for a superuser. */
function checkRoleComment(catalog: Catalog, me: number, stmt: ast.CommentStmt): void {
  const object = stmt.object;
  const name = object !== undefined && "String" in object ? object.String.sval ?? "" : "";
  const target = findRole(catalog, name);
  if (target === undefined) return;
  if (target.superuser) {
    throw new SqlError(SqlState.insufficientPrivilege, "must be superuser");
  }
  if (roleByOid(catalog, me)?.createRole !== true) {
    throw new SqlError(SqlState.insufficientPrivilege, "must have CREATEROLE privilege");
  }
}

function ownedObjects(stmt: ast.Node, statement: StatementScope): (Owned | undefined)[] {
  if ("AlterTableStmt" in stmt) {
    const alter = stmt.AlterTableStmt;
    if (isOwnerChangeOnly(alter)) return [];
    if (alter.objtype === "OBJECT_TYPE") {
      // A composite type is altered as its relation: PostgreSQL says "table".
      const type = typeNamed(names(alter.relation), statement);
      return [type && { ...type, word: "table", name: alter.relation?.relname ?? "" }];
    }
    return [relationOwned(alter.relation, statement)];
  }
  if ("DropStmt" in stmt) return dropped(stmt.DropStmt, statement);
  if ("IndexStmt" in stmt) return [relationOwned(stmt.IndexStmt.relation, statement)];
  if ("CommentStmt" in stmt) return [commented(stmt.CommentStmt, statement)];
  if ("RenameStmt" in stmt) return [renamed(stmt.RenameStmt, statement)];
  if ("AlterSeqStmt" in stmt) return [relationOwned(stmt.AlterSeqStmt.sequence, statement)];
  if ("AlterObjectSchemaStmt" in stmt && stmt.AlterObjectSchemaStmt.relation !== undefined) {
    return [relationOwned(stmt.AlterObjectSchemaStmt.relation, statement)];
  }
  if ("AlterEnumStmt" in stmt) {
    return [typeNamed((stmt.AlterEnumStmt.typeName ?? []).map(stringOf), statement)];
  }
  if ("AlterDomainStmt" in stmt) {
    return [typeNamed((stmt.AlterDomainStmt.typeName ?? []).map(stringOf), statement)];
  }
  if ("RefreshMatViewStmt" in stmt) {
    return [relationOwned(stmt.RefreshMatViewStmt.relation, statement)];
  }
  if ("AlterFunctionStmt" in stmt) {
    const alter = stmt.AlterFunctionStmt;
    return [routineNamed(alter.func, wordOf(alter.objtype), statement)];
  }
  return [];
}

/** DROP: every object named, in order. */
function dropped(stmt: ast.DropStmt, statement: StatementScope): (Owned | undefined)[] {
  const kind = stmt.removeType ?? "";
  return (stmt.objects ?? []).map((object): Owned | undefined => {
    if (relationWords[kind] !== undefined) {
      return relationNamed(listNames(object), statement);
    }
    return routineTypeOrSchema(kind, object, statement);
  });
}

/** A routine, type, domain or schema named by DROP or COMMENT ON; undefined for others. */
function routineTypeOrSchema(kind: string, object: ast.Node, statement: StatementScope):
  Owned | undefined {
  if (routineKinds.has(kind)) {
    const routine = "ObjectWithArgs" in object ? object.ObjectWithArgs : undefined;
    return routineNamed(routine, wordOf(kind), statement);
  }
  if (kind === "OBJECT_TYPE" || kind === "OBJECT_DOMAIN") {
    const typeName = "TypeName" in object ? object.TypeName : undefined;
    return typeNamed((typeName?.names ?? []).map(stringOf), statement);
  }
  if (kind === "OBJECT_SCHEMA") return schemaNamed(stringOf(object), statement.catalog);
  return undefined;
}

/** COMMENT ON: the object commented, in the words check_object_ownership uses. */
function commented(stmt: ast.CommentStmt, statement: StatementScope): Owned | undefined {
  const kind = stmt.objtype ?? "";
  const object = stmt.object;
  if (object === undefined) return undefined;
  const word = relationWords[kind];
  if (word !== undefined) {
    const found = relationNamed(listNames(object), statement);
    return found === undefined ? undefined : { ...found, word };
  }
  if (kind === "OBJECT_COLUMN" || kind === "OBJECT_TABCONSTRAINT" ||
    kind === "OBJECT_TRIGGER") {
    const all = listNames(object);
    const found = relationNamed(all.slice(0, -1), statement);
    return found === undefined ? undefined : { ...found, word: "relation" };
  }
  const named = routineTypeOrSchema(kind, object, statement);
  if (named !== undefined) return named;
  if (kind === "OBJECT_DOMCONSTRAINT" && "List" in object) {
    const typeNode = object.List.items?.[0];
    const typeName = typeNode !== undefined && "TypeName" in typeNode ? typeNode.TypeName
      : undefined;
    return typeNamed((typeName?.names ?? []).map(stringOf), statement);
  }
  if (kind === "OBJECT_DATABASE" || kind === "OBJECT_EXTENSION") {
    return { owner: bootstrapSuperuserOid, word: kind === "OBJECT_DATABASE" ? "database"
      : "extension", name: stringOf(object) };
  }
  return undefined;
}

/** ALTER … RENAME: relations, their columns and constraints, schemas, functions, types. */
function renamed(stmt: ast.RenameStmt, statement: StatementScope): Owned | undefined {
  const kind = stmt.renameType ?? "";
  if (kind === "OBJECT_SCHEMA") return schemaNamed(stmt.subname ?? "", statement.catalog);
  const object = stmt.object;
  if (routineKinds.has(kind) && object !== undefined && "ObjectWithArgs" in object) {
    // AlterObjectRename_internal names the function by itself, and as a function.
    const found = routineNamed(object.ObjectWithArgs, "function", statement);
    const name = (object.ObjectWithArgs.objname ?? []).map(stringOf).at(-1) ?? "";
    return found === undefined ? undefined : { ...found, name };
  }
  if ((kind === "OBJECT_TYPE" || kind === "OBJECT_DOMAIN") && object !== undefined) {
    return typeNamed(listNames(object), statement);
  }
  if (relationWords[kind] !== undefined || kind === "OBJECT_COLUMN" ||
    kind === "OBJECT_TABCONSTRAINT") {
    return relationOwned(stmt.relation, statement);
  }
  return undefined;
}

const relationWords: Readonly<Record<string, string>> = {
  OBJECT_TABLE: "table", OBJECT_VIEW: "view", OBJECT_MATVIEW: "materialized view",
  OBJECT_SEQUENCE: "sequence", OBJECT_INDEX: "index", OBJECT_FOREIGN_TABLE: "foreign table",
};

const routineKinds = new Set(["OBJECT_FUNCTION", "OBJECT_PROCEDURE", "OBJECT_AGGREGATE",
  "OBJECT_ROUTINE"]);

function wordOf(kind: string | undefined): string {
  return kind === "OBJECT_PROCEDURE" ? "procedure" : kind === "OBJECT_AGGREGATE" ? "aggregate"
    : kind === "OBJECT_ROUTINE" ? "routine" : "function";
}

/** The word for a relation of this relkind, as get_relkind_objtype gives it. */
export function relkindWord(kind: string): string {
  switch (kind) {
    case "v": return "view";
    case "m": return "materialized view";
    case "S": return "sequence";
    case "i": case "I": return "index";
    case "f": return "foreign table";
    default: return "table";
  }
}

function relationOwned(rv: ast.RangeVar | undefined, statement: StatementScope):
  Owned | undefined {
  return rv === undefined ? undefined : relationNamed(names(rv), statement);
}

/** A table, view, sequence or index by its (qualified) name: its owner and relkind word. */
function relationNamed(all: readonly string[], statement: StatementScope): Owned | undefined {
  const { catalog, path } = statement;
  const name = all[all.length - 1] ?? "";
  const schema = all.length > 1 ? all[all.length - 2] : undefined;
  const found = catalog.lookupName(path, schema, name);
  if (found === undefined) return undefined;
  const rel = catalog.relation(found.oid);
  if (rel !== undefined) return ownedRelation(catalog, rel);
  if (catalog.sequence(found.oid) !== undefined) {
    return { owner: ownerOf(catalog, "sequence", found.oid), word: "sequence", name };
  }
  const index = indexByOid(catalog, found.oid);
  if (index === undefined) return undefined;
  return { owner: ownerOf(catalog, "table", index.relation.oid), word: "index", name };
}

function ownedRelation(catalog: Catalog, rel: Relation): Owned {
  return { owner: ownerOf(catalog, "table", rel.oid), word: relkindWord(rel.kind),
    name: rel.name };
}

function routineNamed(routine: ast.ObjectWithArgs | undefined, word: string,
  statement: StatementScope): Owned | undefined {
  if (routine === undefined) return undefined;
  let fn;
  try {
    fn = findForDrop(statement.catalog, statement.path, routine, true, () => undefined);
  } catch {
    return undefined;
  }
  if (fn === undefined) return undefined;
  return { owner: ownerOf(statement.catalog, "function", fn.oid), word,
    name: (routine.objname ?? []).map(stringOf).join(".") };
}

/**
 * The function, procedure or aggregate an ObjectWithArgs names, or 42883 naming it as
 * written (qualified when it was, as PostgreSQL's func_signature_string).
 */
export function findRoutine(catalog: Catalog, path: readonly string[],
  routine: ast.ObjectWithArgs): SqlFunction {
  try {
    return findForDrop(catalog, path, routine, false, () => undefined)!;
  } catch (error) {
    const written = (routine.objname ?? []).map(stringOf);
    const bare = `function ${written.at(-1) ?? ""}(`;
    if (!(error instanceof SqlError) || error.code !== SqlState.undefinedFunction ||
      written.length < 2 || !error.message.startsWith(bare)) {
      throw error;
    }
    throw new SqlError(SqlState.undefinedFunction,
      `function ${written.join(".")}(${error.message.slice(bare.length)}`);
  }
}

function typeNamed(all: readonly string[], statement: StatementScope): Owned | undefined {
  const found = findUserType(statement.catalog, statement.path, all);
  if (found === undefined) return undefined;
  return { owner: typeOwner(statement.catalog, found), word: "type",
    name: typeShownName(statement.catalog, statement.path, found) };
}

function schemaNamed(name: string, catalog: Catalog): Owned | undefined {
  const oid = catalog.allSchemas().find(([schema]) => schema === name)?.[1];
  return oid === undefined ? undefined
    : { owner: ownerOf(catalog, "schema", oid), word: "schema", name };
}

function names(rv: ast.RangeVar | undefined): string[] {
  if (rv === undefined) return [];
  return rv.schemaname === undefined ? [rv.relname ?? ""] : [rv.schemaname, rv.relname ?? ""];
}

function listNames(node: ast.Node): string[] {
  return "List" in node ? (node.List.items ?? []).map(stringOf) : [stringOf(node)];
}

function stringOf(node: ast.Node | undefined): string {
  return node !== undefined && "String" in node ? node.String.sval ?? "" : "";
}
