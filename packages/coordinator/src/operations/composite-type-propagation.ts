/**
 * Composite types (CREATE TYPE name AS (…)) on the worker nodes, as Citus propagates them
 * (`commands/type.c`): a worker holds the same composite types as the coordinator, so a
 * shard can have a column of one and rows travel as its text form. The SQL is built from the
 * coordinator's catalog, schema-qualified: `CREATE TYPE "public"."pair" AS ("a" integer,
 * "b" text)`. `commands/type-function-ddl.ts` sends it after CREATE, DROP and ALTER TYPE;
 * `typesAndFunctionsToNewNode` sends every type to a node that joins.
 */
import type { CompositeType } from "@tessera/engine";
import { compositeTypesOf } from "@tessera/engine";
import type { ast } from "@tessera/sql";
import { deparseSync } from "pgsql-deparser";
import type { Cluster } from "../cluster.js";
import { quoteIdentifier } from "../metadata/naming.js";

function qualified(type: CompositeType): string {
  return `${quoteIdentifier(type.schema)}.${quoteIdentifier(type.name)}`;
}

/** `CREATE TYPE "s"."t" AS (…)`; `typeSql` names each attribute's type for a worker. */
export function compositeCreateSql(type: CompositeType,
  typeSql: (oid: number, typmod: number) => string): string {
  const attributes = type.attributes
    .map((a) => `${quoteIdentifier(a.name)} ${typeSql(a.type, a.typmod)}`).join(", ");
  return `CREATE TYPE ${qualified(type)} AS (${attributes})`;
}

export function compositeDropSql(types: readonly CompositeType[], cascade: boolean): string {
  return `DROP TYPE IF EXISTS ${types.map(qualified).join(", ")}` + (cascade ? " CASCADE" : "");
}

/** The composite type named by `oid`, qualified, or `oid`'s array of one; else undefined. */
export function compositeTypeSql(cluster: Cluster, oid: number): string | undefined {
  for (const type of compositeTypesOf(cluster.local.catalog).values()) {
    if (type.oid === oid) return qualified(type);
    if (type.arrayOid === oid) return `${qualified(type)}[]`;
  }
  return undefined;
}

/** The composite types of the coordinator, for a node that joins (in creation order). */
export function allCompositeTypes(cluster: Cluster): CompositeType[] {
  return [...compositeTypesOf(cluster.local.catalog).values()].sort((a, b) => a.oid - b.oid);
}

/**
 * ALTER TYPE … ADD / DROP / RENAME ATTRIBUTE or RENAME TO as a worker should run it: the
 * statement with the type's name qualified by the schema it was found in.
 */
export function compositeAlterSql(stmt: ast.Node, schema: string): string | undefined {
  if ("AlterTableStmt" in stmt) {
    const alter = stmt.AlterTableStmt;
    return deparseSync({ AlterTableStmt: { ...alter,
      relation: { ...alter.relation, schemaname: schema } } }, { pretty: false });
  }
  if ("RenameStmt" in stmt) {
    const rename = stmt.RenameStmt;
    if (rename.renameType === "OBJECT_ATTRIBUTE") {
      return deparseSync({ RenameStmt: { ...rename,
        relation: { ...rename.relation, schemaname: schema } } }, { pretty: false });
    }
    const items = rename.object !== undefined && "List" in rename.object
      ? rename.object.List.items ?? [] : [];
    const name = items[items.length - 1];
    if (name === undefined) return undefined;
    return deparseSync({ RenameStmt: { ...rename, object: { List: { items: [
      { String: { sval: schema } }, name] } } } }, { pretty: false });
  }
  return undefined;
}
