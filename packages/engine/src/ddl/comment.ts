/**
 * COMMENT ON … IS 'text' | NULL: tables, views, materialized views, sequences, indexes,
 * columns, table constraints, schemas, extensions and the database, as PostgreSQL stores them
 * (pg_description, pg_shdescription for the database) and shows them (obj_description,
 * col_description, shobj_description, psql's `\d+`, `\dt+`, `\dn+`, `\dx`). The text lives in
 * the catalog (`Catalog.setComment`), so it is undone with its transaction and replayed from
 * the WAL like any DDL. Other object kinds fail with 0A000.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { StatementScope } from "../analyze/scope.js";
import type { Catalog } from "../catalog/catalog.js";
import type { Relation } from "../catalog/relation.js";
import { indexByOid } from "../catalog/system-catalogs/oids.js";
import { allConstraints } from "../catalog/system-catalogs/pg-constraint.js";
import { SysOid } from "../catalog/system-catalogs/oids.js";
import { extensionsOf } from "./extensions.js";
import { CommentClass } from "../catalog/system-catalogs/pg-description.js";


interface Target {
  readonly classoid: number;
  readonly objoid: number;
  readonly objsubid: number;
}

export function commentOn(stmt: ast.CommentStmt, statement: StatementScope): string {
  const target = commentTarget(stmt, statement);
  statement.catalog.setComment(target.classoid, target.objoid, target.objsubid,
    stmt.comment === undefined || stmt.comment === "" ? null : stmt.comment);
  return "COMMENT";
}

const relationKinds: Record<string, { readonly kinds: string; readonly noun: string }> = {
  OBJECT_TABLE: { kinds: "rp", noun: "a table" },
  OBJECT_VIEW: { kinds: "v", noun: "a view" },
  OBJECT_MATVIEW: { kinds: "m", noun: "a materialized view" },
};

function commentTarget(stmt: ast.CommentStmt, statement: StatementScope): Target {
  const object = stmt.object;
  const objtype = stmt.objtype ?? "";
  const names = object !== undefined && "List" in object
    ? (object.List.items ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : ""))
    : object !== undefined && "String" in object ? [object.String.sval ?? ""] : [];
  const kinds = relationKinds[objtype];
  if (kinds !== undefined) {
    const rel = namedRelation(names, statement);
    if (!kinds.kinds.includes(rel.kind)) throw notA(rel.name, kinds.noun);
    return { classoid: CommentClass.relation, objoid: rel.oid, objsubid: 0 };
  }
  switch (objtype) {
    case "OBJECT_COLUMN": return columnTarget(names, statement);
    case "OBJECT_SEQUENCE": return sequenceTarget(names, statement);
    case "OBJECT_INDEX": return indexTarget(names, statement);
    case "OBJECT_TABCONSTRAINT": return constraintTarget(names, statement);
    case "OBJECT_SCHEMA": return schemaTarget(names[0] ?? "", statement.catalog);
    case "OBJECT_EXTENSION": return extensionTarget(names[0] ?? "", statement.catalog);
    case "OBJECT_DATABASE": return databaseTarget(names[0] ?? "");
    default:
      throw notSupported(`COMMENT ON ${objtype.replace("OBJECT_", "").replace("_", " ")}`);
  }
}

function notA(name: string, noun: string): SqlError {
  return new SqlError(SqlState.wrongObjectType, `"${name}" is not ${noun}`);
}

/** A relation named by its last one or two names (schema-qualified), or 42P01. */
function namedRelation(names: readonly string[], statement: StatementScope): Relation {
  const { schema, name } = qualified(names);
  const rel = statement.catalog.findRelation(statement.path, schema, name);
  if (rel === undefined) {
    throw new SqlError(SqlState.undefinedTable, `relation "${dotted(names)}" does not exist`);
  }
  return rel;
}

function qualified(names: readonly string[]): { schema: string | undefined; name: string } {
  const name = names[names.length - 1] ?? "";
  return { schema: names.length > 1 ? names[names.length - 2] : undefined, name };
}

function dotted(names: readonly string[]): string {
  return names.join(".");
}

function columnTarget(names: readonly string[], statement: StatementScope): Target {
  if (names.length < 2) {
    throw new SqlError(SqlState.syntaxError, "column name must be qualified");
  }
  const column = names[names.length - 1]!;
  const rel = namedRelation(names.slice(0, -1), statement);
  const at = rel.columns.findIndex((c) => c.name === column && !c.dropped);
  if (at < 0) {
    throw new SqlError(SqlState.undefinedColumn,
      `column "${column}" of relation "${rel.name}" does not exist`);
  }
  return { classoid: CommentClass.relation, objoid: rel.oid, objsubid: at + 1 };
}

function sequenceTarget(names: readonly string[], statement: StatementScope): Target {
  const { schema, name } = qualified(names);
  const found = statement.catalog.lookupName(statement.path, schema, name);
  if (found === undefined) {
    throw new SqlError(SqlState.undefinedTable, `relation "${dotted(names)}" does not exist`);
  }
  if (statement.catalog.sequence(found.oid) === undefined) throw notA(name, "a sequence");
  return { classoid: CommentClass.relation, objoid: found.oid, objsubid: 0 };
}

function indexTarget(names: readonly string[], statement: StatementScope): Target {
  const { schema, name } = qualified(names);
  const found = statement.catalog.lookupName(statement.path, schema, name);
  if (found === undefined) {
    throw new SqlError(SqlState.undefinedTable, `relation "${dotted(names)}" does not exist`);
  }
  if (indexByOid(statement.catalog, found.oid) === undefined) throw notA(name, "an index");
  return { classoid: CommentClass.relation, objoid: found.oid, objsubid: 0 };
}

function constraintTarget(names: readonly string[], statement: StatementScope): Target {
  const constraint = names[names.length - 1]!;
  const rel = namedRelation(names.slice(0, -1), statement);
  const found = allConstraints(statement.catalog)
    .find((c) => c.relation === rel && c.name === constraint);
  if (found === undefined) {
    throw new SqlError(SqlState.undefinedObject,
      `constraint "${constraint}" for table "${rel.name}" does not exist`);
  }
  return { classoid: CommentClass.constraint, objoid: found.oid, objsubid: 0 };
}

function schemaTarget(name: string, catalog: Catalog): Target {
  const oid = catalog.allSchemas().find(([schema]) => schema === name)?.[1];
  if (oid === undefined) {
    throw new SqlError(SqlState.invalidSchemaName, `schema "${name}" does not exist`);
  }
  return { classoid: CommentClass.namespace, objoid: oid, objsubid: 0 };
}

function extensionTarget(name: string, catalog: Catalog): Target {
  const oid = extensionsOf(catalog).find(([extension]) => extension === name)?.[2];
  if (oid === undefined) {
    throw new SqlError(SqlState.undefinedObject, `extension "${name}" does not exist`);
  }
  return { classoid: CommentClass.extension, objoid: oid, objsubid: 0 };
}

function databaseTarget(name: string): Target {
  if (name !== "postgres") {
    throw new SqlError(SqlState.invalidCatalogName, `database "${name}" does not exist`);
  }
  return { classoid: CommentClass.database, objoid: SysOid.database, objsubid: 0 };
}
