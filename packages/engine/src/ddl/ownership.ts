/**
 * Owners of objects. A new table, view, sequence, schema or function belongs to the role
 * that created it (relowner, nspowner, proowner), as in Postgres: the statement is wrapped so
 * that when it finishes, every object with an OID handed out during it is given to the
 * acting role (`catalog/privileges.ts`); objects of the bootstrap superuser need no entry.
 * Replay runs the statement as the same role, so owners come back after a restart.
 *
 * ALTER … OWNER TO gives an object to another role (`changeOwner`): the current owner (or a
 * superuser) may, when it is a member of the new owner; the ACL's entries for the old owner
 * pass to the new one (aclnewowner). Its undo is recorded when the statement opens.
 */
import type { ast } from "@tessera/sql";
import type { Cursor, PreparedStatement, StatementContext } from "../api.js";
import { isTempSchema, type Catalog } from "../catalog/catalog.js";
import type { Engine } from "../engine.js";
import { SqlError, SqlState } from "@tessera/base";
import {
  bootstrapSuperuserOid, findRole, hasPrivilegesOf, isMemberOf, requireRole,
} from "../catalog/roles.js";
import {
  ownerOf, setAcl, setOwner, snapshotPrivileges, storedAcl, type AclKind,
} from "../catalog/privileges.js";
import { allSqlFunctions } from "../catalog/sql-functions.js";
import { applyDefaultAcls } from "../catalog/default-acls.js";
import { allUserTypes, setTypeOwner } from "../catalog/type-owners.js";
import { checkOwnership, notOwner } from "./owner-checks.js";
import { roleSpecName } from "./role-ddl.js";

const creating = new Set(["CreateStmt", "ViewStmt", "CreateSeqStmt", "CreateSchemaStmt",
  "CreateTableAsStmt", "CreateFunctionStmt", "DefineStmt", "CreateEnumStmt", "CreateRangeStmt",
  "CompositeTypeStmt", "CreateDomainStmt"]);

function createsObjects(stmt: ast.Node): boolean {
  const kind = Object.keys(stmt)[0] ?? "";
  return creating.has(kind) ||
    ("SelectStmt" in stmt && stmt.SelectStmt.intoClause !== undefined);
}

/** Wraps a utility statement that creates objects so that they belong to their creator. */
export function withCreatorAsOwner(engine: Engine, stmt: ast.Node,
  prepared: PreparedStatement): PreparedStatement {
  const checked = withOwnerCheck(engine, stmt, prepared);
  if ("AlterOwnerStmt" in stmt || "AlterTableStmt" in stmt) {
    return { ...checked, open: (params, ctx) => {
      engine.txns.runOf(ctx)?.undo.record({ kind: "custom",
        undo: snapshotPrivileges(engine.catalog) });
      const from = engine.catalog.oidNext;
      return afterwards(checked.open(params, ctx), () => ownNewSequences(engine.catalog, from));
    } };
  }
  if (!createsObjects(stmt)) return checked;
  return { ...checked, open: (params, ctx) => {
    const from = engine.catalog.oidNext;
    const owner = creatorOf(engine.catalog, stmt, ctx);
    return afterwards(checked.open(params, ctx),
      () => ownNewObjectsAs(engine.catalog, from, owner));
  } };
}

/** `cursor`, calling `done` once the statement has returned its command tag. */
function afterwards(cursor: Cursor, done: () => void): Cursor {
  return {
    fetch: async (maxRows) => {
      const result = await cursor.fetch(maxRows);
      if (result.commandTag !== undefined) done();
      return result;
    },
    close: () => cursor.close(),
  };
}

/**
 * A serial or identity sequence belongs to its table's owner, whoever added the column
 * (PostgreSQL creates it with the table's relowner).
 */
function ownNewSequences(catalog: Catalog, from: number): void {
  for (const seq of catalog.allSequences()) {
    const table = seq.ownedBy?.relationOid;
    if (seq.oid < from || table === undefined) continue;
    const owner = ownerOf(catalog, "table", table);
    if (owner !== ownerOf(catalog, "sequence", seq.oid)) {
      setOwner(catalog, "sequence", seq.oid, owner);
    }
  }
}

/**
 * Who owns what a statement creates: the acting role, or the role CREATE SCHEMA …
 * AUTHORIZATION names (its elements too), which the acting role must be a member of.
 */
function creatorOf(catalog: Catalog, stmt: ast.Node, ctx: StatementContext): string {
  const spec = "CreateSchemaStmt" in stmt ? stmt.CreateSchemaStmt.authrole : undefined;
  if (spec === undefined) return ctx.user;
  const role = requireRole(catalog, roleSpecName(spec, ctx));
  const me = findRole(catalog, ctx.user);
  if (ctx.backendPid !== 0 && me !== undefined && !me.superuser &&
    !isMemberOf(catalog, me.oid, role.oid)) {
    throw new SqlError(SqlState.insufficientPrivilege, `must be member of role "${role.name}"`);
  }
  return role.name;
}

/** `prepared`, refused when it opens if the acting role does not own what it changes. */
function withOwnerCheck(engine: Engine, stmt: ast.Node, prepared: PreparedStatement):
  PreparedStatement {
  return { ...prepared, open: (params, ctx) => {
    checkOwnership(stmt, engine.statementScope([], ctx));
    return prepared.open(params, ctx);
  } };
}

/**
 * Gives the objects made since OID `from` to the acting role, with the ACLs its default
 * privileges call for (`catalog/default-acls.ts`).
 */
export function ownNewObjects(catalog: Catalog, from: number, ctx: StatementContext): void {
  ownNewObjectsAs(catalog, from, ctx.user);
}

function ownNewObjectsAs(catalog: Catalog, from: number, user: string): void {
  const owner = findRole(catalog, user)?.oid;
  if (owner !== undefined) applyDefaultAcls(catalog, from, owner);
  if (owner === undefined || owner === bootstrapSuperuserOid) return;
  for (const rel of catalog.allRelations()) {
    if (rel.oid >= from) setOwner(catalog, "table", rel.oid, owner);
  }
  for (const seq of catalog.allSequences()) {
    if (seq.oid >= from) setOwner(catalog, "sequence", seq.oid, owner);
  }
  // A session's temporary schema stays the bootstrap superuser's, as PostgreSQL makes it.
  for (const [name, oid] of catalog.allSchemas()) {
    if (oid >= from && !isTempSchema(name)) setOwner(catalog, "schema", oid, owner);
  }
  for (const fn of allSqlFunctions(catalog)) {
    if (fn.oid >= from) setOwner(catalog, "function", fn.oid, owner);
  }
  for (const type of allUserTypes(catalog)) {
    if (type.oid >= from) setTypeOwner(catalog, type, owner);
  }
}

/** An object ALTER … OWNER TO names: kind, OID, and the words of its messages. */
export interface OwnedObject {
  readonly kind: AclKind;
  readonly oid: number;
  /** "table", "sequence", "view", "schema", "function". */
  readonly word: string;
  readonly name: string;
}

/** Gives `object` to role `newOwner`, as ALTER … OWNER TO does. */
export function changeOwner(catalog: Catalog, object: OwnedObject, newOwner: string,
  ctx: StatementContext): void {
  const role = requireRole(catalog, newOwner);
  const old = ownerOf(catalog, object.kind, object.oid);
  if (old === role.oid) return;
  const me = findRole(catalog, ctx.user);
  if (ctx.backendPid !== 0 && me !== undefined && !me.superuser) {
    if (!hasPrivilegesOf(catalog, me.oid, old)) throw notOwner(object.word, object.name);
    if (!isMemberOf(catalog, me.oid, role.oid)) {
      throw new SqlError(SqlState.insufficientPrivilege,
        `must be member of role "${role.name}"`);
    }
  }
  transferOwner(catalog, object.kind, object.oid, role.oid);
}

/** Gives an object to `owner` without checks, its ACL following (aclnewowner). */
export function transferOwner(catalog: Catalog, kind: AclKind, oid: number, owner: number):
  void {
  const old = ownerOf(catalog, kind, oid);
  if (old === owner) return;
  const acl = storedAcl(catalog, kind, oid);
  if (acl !== null) {
    const moved = acl.map((item) => ({ ...item,
      grantee: item.grantee === old ? owner : item.grantee,
      grantor: item.grantor === old ? owner : item.grantor }));
    setAcl(catalog, kind, oid, moved);
  }
  setOwner(catalog, kind, oid, owner);
}
