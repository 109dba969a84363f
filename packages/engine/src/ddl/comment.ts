/**
 * COMMENT ON … IS 'text' | NULL: tables, views, materialized views, sequences, indexes,
 * columns, table and domain constraints, triggers, functions, procedures, aggregates, types,
 * domains, schemas, extensions, roles and the database (what pg_dump writes), as PostgreSQL
 * stores them (pg_description, pg_shdescription for roles and the database) and shows them
 * (obj_description, col_description, shobj_description, psql's `\d+`, `\df+`, `\dT+`, `\dn+`,
 * `\du+`, `\dx`). The text lives in the catalog (`Catalog.setComment`), so it is undone with
 * its transaction and replayed from the WAL like any DDL. Other object kinds fail with 0A000.
 * Who may comment is checked when the statement opens (`owner-checks.ts`).
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
import { triggersOf } from "../plpgsql/trigger-store.js";
import { findRole, roleMissing } from "../catalog/roles.js";
import { findRoutine } from "./owner-checks.js";
import { formatTypeName } from "../catalog/types.js";
import { findUserType, typeShownName } from "../catalog/type-owners.js";
import { domainsOf } from "../catalog/domains.js";


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
    case "OBJECT_TRIGGER": return triggerTarget(names, statement);
    case "OBJECT_ROLE": return roleTarget(names[0] ?? "", statement.catalog);
    case "OBJECT_FUNCTION": case "OBJECT_PROCEDURE": case "OBJECT_AGGREGATE":
    case "OBJECT_ROUTINE":
      return routineTarget(object, objtype, statement);
    case "OBJECT_TYPE": case "OBJECT_DOMAIN": return typeTarget(object, objtype, statement);
    case "OBJECT_DOMCONSTRAINT": return domainConstraintTarget(object, statement);
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

function triggerTarget(names: readonly string[], statement: StatementScope): Target {
  const trigger = names[names.length - 1]!;
  const rel = namedRelation(names.slice(0, -1), statement);
  const found = triggersOf(statement.catalog, rel.oid).find((t) => t.name === trigger);
  if (found === undefined) {
    throw new SqlError(SqlState.undefinedObject,
      `trigger "${trigger}" for table "${rel.name}" does not exist`);
  }
  return { classoid: CommentClass.trigger, objoid: found.oid, objsubid: 0 };
}

function roleTarget(name: string, catalog: Catalog): Target {
  const role = findRole(catalog, name);
  if (role === undefined) throw roleMissing(name);
  return { classoid: CommentClass.role, objoid: role.oid, objsubid: 0 };
}

/** A function, procedure or aggregate named with its argument types. */
function routineTarget(object: ast.Node | undefined, objtype: string,
  statement: StatementScope): Target {
  const routine = object !== undefined && "ObjectWithArgs" in object
    ? object.ObjectWithArgs : undefined;
  const fn = findRoutine(statement.catalog, statement.path, routine!);
  // Named as written, as func_signature_string shows it.
  const written = (routine?.objname ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : ""));
  const shown = `${dotted(written)}(${fn.argTypes.map((t) => formatTypeName(t, -1))
    .join(", ")})`;
  if (objtype === "OBJECT_AGGREGATE" && fn.aggregate !== true) {
    throw new SqlError(SqlState.wrongObjectType, `function ${shown} is not an aggregate`);
  }
  if (objtype === "OBJECT_PROCEDURE" && fn.procedure !== true) {
    throw new SqlError(SqlState.wrongObjectType, `${shown} is not a procedure`);
  }
  if (objtype === "OBJECT_FUNCTION" && fn.procedure === true) {
    throw new SqlError(SqlState.wrongObjectType, `${shown} is not a function`);
  }
  return { classoid: CommentClass.routine, objoid: fn.oid, objsubid: 0 };
}

/** A user-defined type or domain (COMMENT ON DOMAIN wants a domain). */
function typeTarget(object: ast.Node | undefined, objtype: string,
  statement: StatementScope): Target {
  const typeName = object !== undefined && "TypeName" in object ? object.TypeName : undefined;
  const names = (typeName?.names ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : ""));
  const found = findUserType(statement.catalog, statement.path, names);
  if (found === undefined) {
    throw new SqlError(SqlState.undefinedObject, `type "${dotted(names)}" does not exist`);
  }
  if (objtype === "OBJECT_DOMAIN" && !domainsOf(statement.catalog).has(found.oid)) {
    throw new SqlError(SqlState.wrongObjectType,
      `"${typeShownName(statement.catalog, statement.path, found)}" is not a domain`);
  }
  return { classoid: CommentClass.type, objoid: found.oid, objsubid: 0 };
}

/** CONSTRAINT c ON DOMAIN d: the object is the domain's TypeName and the constraint's name. */
function domainConstraintTarget(object: ast.Node | undefined, statement: StatementScope):
  Target {
  const items = object !== undefined && "List" in object ? object.List.items ?? [] : [];
  const [typeNode, nameNode] = items;
  const domain = typeTarget(typeNode, "OBJECT_DOMAIN", statement);
  const name = nameNode !== undefined && "String" in nameNode ? nameNode.String.sval ?? "" : "";
  const found = domainsOf(statement.catalog).get(domain.objoid);
  const constraint = found?.constraints.find((c) => c.name === name);
  if (found === undefined || constraint === undefined) {
    const shown = found === undefined ? "" : typeShownName(statement.catalog, statement.path,
      { oid: found.oid, schema: found.schema, name: found.name, relOid: undefined, related: [] });
    throw new SqlError(SqlState.undefinedObject,
      `constraint "${name}" for domain ${shown} does not exist`);
  }
  return { classoid: CommentClass.constraint, objoid: constraint.oid, objsubid: 0 };
}
