/**
 * ALTER … OWNER TO, as every pg_dump script runs it after creating an object
 * (`ALTER TABLE public.t OWNER TO postgres`, for sequences and views too, `ALTER SCHEMA`,
 * `ALTER TYPE`, `ALTER DOMAIN`, `ALTER FUNCTION`, `ALTER AGGREGATE`). The checks and the
 * change itself are `ownership.ts`'s. As in PostgreSQL (ATExecChangeOwner), a table's
 * indexes and the sequences it owns (serial and identity columns) follow it; an index
 * alone keeps its table's owner (a WARNING), and a sequence owned by a table refuses (0A000).
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { StatementScope } from "../analyze/scope.js";
import { findRole } from "../catalog/roles.js";
import { indexByOid } from "../catalog/system-catalogs/oids.js";
import { ownerOf } from "../catalog/privileges.js";
import { findUserType, setTypeOwner, typeShownName } from "../catalog/type-owners.js";
import { changeOwner, transferOwner } from "./ownership.js";
import { roleSpecName } from "./role-ddl.js";
import { findRoutine, relkindWord, requireOwner } from "./owner-checks.js";

/** True for an ALTER TABLE / SEQUENCE / VIEW whose only subcommands are OWNER TO. */
export function isOwnerChangeOnly(stmt: ast.AlterTableStmt): boolean {
  const cmds = stmt.cmds ?? [];
  return cmds.length > 0 && cmds.every((c) =>
    "AlterTableCmd" in c && c.AlterTableCmd.subtype === "AT_ChangeOwner");
}

/** ALTER TABLE|SEQUENCE|VIEW|MATERIALIZED VIEW|INDEX name OWNER TO role. */
export function alterRelationOwner(stmt: ast.AlterTableStmt, statement: StatementScope): string {
  const rv = stmt.relation!;
  const { catalog, path } = statement;
  const name = rv.relname ?? "";
  const objtype = stmt.objtype ?? "OBJECT_TABLE";
  const tag = `ALTER ${objtype.replace("OBJECT_", "").replace("MATVIEW", "MATERIALIZED VIEW")}`;
  const found = catalog.lookupName(path, rv.schemaname, name);
  if (found === undefined) {
    if (stmt.missing_ok === true) {
      statement.ctx.notice(new SqlError(SqlState.successfulCompletion,
        `relation "${name}" does not exist, skipping`, { severity: "NOTICE" }));
      return tag;
    }
    const shown = rv.schemaname === undefined ? name : `${rv.schemaname}.${name}`;
    throw new SqlError(SqlState.undefinedTable, `relation "${shown}" does not exist`);
  }
  for (const cmd of stmt.cmds ?? []) {
    if (!("AlterTableCmd" in cmd)) continue;
    const owner = roleSpecName(cmd.AlterTableCmd.newowner, statement.ctx);
    changeRelationOwner(found.oid, owner, statement);
  }
  return tag;
}

function changeRelationOwner(oid: number, owner: string, statement: StatementScope): void {
  const { catalog, ctx } = statement;
  const index = indexByOid(catalog, oid);
  const seq = catalog.sequence(oid);
  const rel = catalog.relation(oid);
  // As RangeVarCallbackForAlterRelation, ownership comes before anything else.
  requireOwner(catalog, ctx, ownerOf(catalog, "table", index?.relation.oid ?? oid),
    index !== undefined ? "index" : seq !== undefined ? "sequence" : relkindWord(rel!.kind),
    index?.index.name ?? seq?.name ?? rel!.name);
  if (index !== undefined) {
    ctx.notice(new SqlError(SqlState.wrongObjectType,
      `cannot change owner of index "${index.index.name}"`, { severity: "WARNING",
        hint: "Change the ownership of the index's table, instead." }));
    return;
  }
  if (seq !== undefined) {
    const table = seq.ownedBy === null || seq.ownedBy === undefined ? undefined
      : catalog.relation(seq.ownedBy.relationOid);
    if (table !== undefined && findRole(catalog, owner)?.oid !== ownerOf(catalog, "sequence",
      oid)) {
      throw new SqlError(SqlState.featureNotSupported,
        `cannot change owner of sequence "${seq.name}"`,
        { detail: `Sequence "${seq.name}" is linked to table "${table.name}".` });
    }
    changeOwner(catalog, { kind: "sequence", oid, word: "sequence", name: seq.name }, owner,
      ctx);
    return;
  }
  changeOwner(catalog, { kind: "table", oid, word: relkindWord(rel!.kind), name: rel!.name },
    owner, ctx);
  const newOwner = ownerOf(catalog, "table", oid);
  for (const owned of catalog.allSequences()) {
    if (owned.ownedBy?.relationOid === oid) {
      transferOwner(catalog, "sequence", owned.oid, newOwner);
    }
  }
}

/** ALTER SCHEMA | TYPE | DOMAIN | FUNCTION | PROCEDURE | AGGREGATE | ROUTINE … OWNER TO. */
export function alterOwner(stmt: ast.AlterOwnerStmt, statement: StatementScope): string {
  const { catalog, ctx } = statement;
  const owner = roleSpecName(stmt.newowner, ctx);
  const kind = stmt.objectType ?? "";
  switch (kind) {
    case "OBJECT_SCHEMA": {
      const name = stringOf(stmt.object);
      const oid = catalog.allSchemas().find(([n]) => n === name)?.[1];
      if (oid === undefined) {
        throw new SqlError(SqlState.invalidSchemaName, `schema "${name}" does not exist`);
      }
      changeOwner(catalog, { kind: "schema", oid, word: "schema", name }, owner, ctx);
      return "ALTER SCHEMA";
    }
    case "OBJECT_TYPE":
    case "OBJECT_DOMAIN":
      alterTypeOwner(listOf(stmt.object), owner, statement);
      return kind === "OBJECT_TYPE" ? "ALTER TYPE" : "ALTER DOMAIN";
    case "OBJECT_FUNCTION":
    case "OBJECT_PROCEDURE":
    case "OBJECT_AGGREGATE":
    case "OBJECT_ROUTINE": {
      const routine = stmt.object !== undefined && "ObjectWithArgs" in stmt.object
        ? stmt.object.ObjectWithArgs : undefined;
      const fn = findRoutine(catalog, statement.path, routine!);
      changeOwner(catalog, { kind: "function", oid: fn.oid, word: "function",
        name: fn.name }, owner, ctx);
      return `ALTER ${kind.replace("OBJECT_", "")}`;
    }
    default:
      throw notSupported(`ALTER ${kind.replace("OBJECT_", "")} … OWNER TO`);
  }
}

function alterTypeOwner(names: readonly string[], owner: string, statement: StatementScope):
  void {
  const { catalog, path, ctx } = statement;
  const type = findUserType(catalog, path, names);
  if (type === undefined) {
    throw new SqlError(SqlState.undefinedObject, `type "${names.join(".")}" does not exist`);
  }
  changeOwner(catalog, { kind: "type", oid: type.oid, word: "type",
    name: typeShownName(catalog, path, type) }, owner, ctx);
  setTypeOwner(catalog, type, ownerOf(catalog, "type", type.oid));
}

function stringOf(node: ast.Node | undefined): string {
  return node !== undefined && "String" in node ? node.String.sval ?? "" : "";
}

function listOf(node: ast.Node | undefined): string[] {
  if (node === undefined || !("List" in node)) return [stringOf(node)];
  return (node.List.items ?? []).map(stringOf);
}
