/**
 * Owners of new objects: a table, view, sequence, schema or function belongs to the role
 * that created it (relowner, nspowner, proowner), as in Postgres. The statement is wrapped so
 * that when it finishes, every object with an OID handed out during it is given to the
 * acting role (`catalog/privileges.ts`); objects of the bootstrap superuser need no entry.
 * Replay runs the statement as the same role, so owners come back after a restart.
 */
import type { ast } from "@tessera/sql";
import type { Cursor, PreparedStatement, StatementContext } from "../api.js";
import type { Catalog } from "../catalog/catalog.js";
import type { Engine } from "../engine.js";
import { bootstrapSuperuserOid, findRole } from "../catalog/roles.js";
import { setOwner } from "../catalog/privileges.js";
import { allSqlFunctions } from "../catalog/sql-functions.js";

const creating = new Set(["CreateStmt", "ViewStmt", "CreateSeqStmt", "CreateSchemaStmt",
  "CreateTableAsStmt", "CreateFunctionStmt"]);

function createsObjects(stmt: ast.Node): boolean {
  const kind = Object.keys(stmt)[0] ?? "";
  return creating.has(kind) ||
    ("SelectStmt" in stmt && stmt.SelectStmt.intoClause !== undefined);
}

/** Wraps a utility statement that creates objects so that they belong to their creator. */
export function withCreatorAsOwner(engine: Engine, stmt: ast.Node,
  prepared: PreparedStatement): PreparedStatement {
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

function ownNewObjects(catalog: Catalog, from: number, ctx: StatementContext): void {
  const owner = findRole(catalog, ctx.user)?.oid;
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
