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
import type { Catalog } from "../catalog/catalog.js";
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

const creating = new Set(["CreateStmt", "ViewStmt", "CreateSeqStmt", "CreateSchemaStmt",
  "CreateTableAsStmt", "CreateFunctionStmt", "DefineStmt"]);

function createsObjects(stmt: ast.Node): boolean {
  const kind = Object.keys(stmt)[0] ?? "";
  return creating.has(kind) ||
    ("SelectStmt" in stmt && stmt.SelectStmt.intoClause !== undefined);
}

/** Wraps a utility statement that creates objects so that they belong to their creator. */
export function withCreatorAsOwner(engine: Engine, stmt: ast.Node,
  prepared: PreparedStatement): PreparedStatement {
  if ("AlterOwnerStmt" in stmt || "AlterTableStmt" in stmt) {
    return { ...prepared, open: (params, ctx) => {
      engine.txns.runOf(ctx)?.undo.record({ kind: "custom",
        undo: snapshotPrivileges(engine.catalog) });
      return prepared.open(params, ctx);
    } };
  }
  if (!createsObjects(stmt)) return prepared;
  return { ...prepared, open: (params, ctx) => {
    const from = engine.catalog.oidNext;
    const cursor = prepared.open(params, ctx);
    const wrapped: Cursor = {
      fetch: async (maxRows) => {
        const result = await cursor.fetch(maxRows);
        if (result.commandTag !== undefined) ownNewObjects(engine.catalog, from, ctx);
        return result;
      },
      close: () => cursor.close(),
    };
    return wrapped;
  } };
}

/**
 * Gives the objects made since OID `from` to the acting role, with the ACLs its default
 * privileges call for (`catalog/default-acls.ts`).
 */
export function ownNewObjects(catalog: Catalog, from: number, ctx: StatementContext): void {
  const owner = findRole(catalog, ctx.user)?.oid;
  if (owner !== undefined) applyDefaultAcls(catalog, from, owner);
  if (owner === undefined || owner === bootstrapSuperuserOid) return;
  for (const rel of catalog.allRelations()) {
    if (rel.oid >= from) setOwner(catalog, "table", rel.oid, owner);
  }
  for (const seq of catalog.allSequences()) {
    if (seq.oid >= from) setOwner(catalog, "sequence", seq.oid, owner);
  }
  for (const [, oid] of catalog.allSchemas()) {
    if (oid >= from) setOwner(catalog, "schema", oid, owner);
  }
  for (const fn of allSqlFunctions(catalog)) {
    if (fn.oid >= from) setOwner(catalog, "function", fn.oid, owner);
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
    if (!hasPrivilegesOf(catalog, me.oid, old)) {
      throw new SqlError(SqlState.insufficientPrivilege,
        `must be owner of ${object.word} ${object.name}`);
    }
    if (!isMemberOf(catalog, me.oid, role.oid)) {
      throw new SqlError(SqlState.insufficientPrivilege,
        `must be member of role "${role.name}"`);
    }
  }
  const acl = storedAcl(catalog, object.kind, object.oid);
  if (acl !== null) {
    const moved = acl.map((item) => ({ ...item,
      grantee: item.grantee === old ? role.oid : item.grantee,
      grantor: item.grantor === old ? role.oid : item.grantor }));
    setAcl(catalog, object.kind, object.oid, moved);
  }
  setOwner(catalog, object.kind, object.oid, role.oid);
}
