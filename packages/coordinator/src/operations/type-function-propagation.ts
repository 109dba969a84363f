/**
 * Enum types and SQL functions on the worker nodes, as Citus propagates them
 * (`commands/type.c`, `commands/function.c`, `EnsureDependenciesExistOnAllNodes`): every
 * worker holds the same types and functions as the coordinator, so a shard can have an enum
 * column and a fragment pushed down to a worker can call the function.
 *
 *   CREATE / ALTER / DROP TYPE, CREATE / DROP FUNCTION  ->  `commands/type-function-ddl.ts`
 *   citus_add_node                                      ->  typesAndFunctionsToNewNode
 *   create_distributed_function(regprocedure, …)        ->  sends the function again
 *   CREATE / DROP / ALTER AGGREGATE                     ->  CREATE OR REPLACE AGGREGATE …,
 *                                                           DROP AGGREGATE IF EXISTS …
 *
 * The SQL sent is built from the coordinator's catalog, schema-qualified, so a worker's
 * search_path does not matter: `CREATE TYPE "public"."mood" AS ENUM ('sad', 'happy')`,
 * `CREATE OR REPLACE FUNCTION "public"."twice"(integer) RETURNS integer LANGUAGE sql …`.
 */
import { domainOf, domainOfArray } from "@tessera/engine";
import { extensionCreateStatements } from "../commands/extension-ddl.js";
import { domainCreateStatements } from "../commands/domain-ddl.js";
import type { EnumType, SqlFunction, StatementContext } from "@tessera/engine";
import { allSqlFunctions, enumTypeOf, enumTypesOf, plpgsqlCreateSql } from "@tessera/engine";
import { userAggregateOf, type AggSupportFunction } from "@tessera/engine";
import { assert } from "@tessera/base";
import { formatType, type ast } from "@tessera/sql";
import { deparseSync } from "pgsql-deparser";
import type { Cluster, PlacementAddress } from "../cluster.js";
import { runShardCommands, type ShardCommand } from "../commands/shard-command-batch.js";
import { quoteIdentifier } from "../metadata/naming.js";
import { schemaNodes } from "./schema-propagation.js";
import {
  allCompositeTypes, compositeCreateSql, compositeTypeSql,
} from "./composite-type-propagation.js";
import { roleCreateStatements } from "./role-propagation.js";
import { allRangeTypes, rangeCreateSql, rangeTypeSql } from "./range-type-propagation.js";

/** A SQL string literal. */
export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

function qualified(schema: string, name: string): string {
  return `${quoteIdentifier(schema)}.${quoteIdentifier(name)}`;
}

/** A type as workers should read it: enums, composites (and their arrays) schema-qualified. */
export function typeSql(cluster: Cluster, oid: number, typmod = -1): string {
  const catalog = cluster.local.catalog;
  const composite = compositeTypeSql(cluster, oid);
  if (composite !== undefined) return composite;
  const own = enumTypeOf(catalog, oid);
  if (own !== undefined) return qualified(own.schema, own.name);
  const range = rangeTypeSql(cluster, oid);
  if (range !== undefined) return range;
  const domain = domainOf(oid) ?? domainOfArray(oid);
  if (domain !== undefined) {
    return `${qualified(domain.schema, domain.name)}${domain.oid === oid ? "" : "[]"}`;
  }
  for (const type of enumTypesOf(catalog).values()) {
    if (type.arrayOid === oid) return `${qualified(type.schema, type.name)}[]`;
  }
  return formatType(oid, typmod);
}

/** `CREATE TYPE s.n AS ENUM (…)` with the labels in their current order. */
export function enumCreateSql(type: EnumType): string {
  const labels = type.labels.labels.map((l) => quoteLiteral(l.label)).join(", ");
  return `CREATE TYPE ${qualified(type.schema, type.name)} AS ENUM (${labels})`;
}

export function enumDropSql(types: readonly EnumType[], cascade: boolean): string {
  return `DROP TYPE IF EXISTS ${types.map((t) => qualified(t.schema, t.name)).join(", ")}` +
    (cascade ? " CASCADE" : "");
}

/** The function's identity as DROP FUNCTION names it: `"s"."f"(integer, "s"."mood")`. */
export function functionIdentity(cluster: Cluster, fn: SqlFunction): string {
  return `${qualified(fn.schema, fn.name)}(${fn.argTypes.map((t) => typeSql(cluster, t))
    .join(", ")})`;
}

const volatilities = { i: "IMMUTABLE", s: "STABLE", v: "VOLATILE" } as const;

/** `CREATE OR REPLACE FUNCTION …` (or `… AGGREGATE`) that recreates `fn` on a worker. */
export function functionCreateSql(cluster: Cluster, fn: SqlFunction): string {
  if (fn.aggregate === true) return aggregateCreateSql(cluster, fn);
  if (fn.plpgsql !== undefined) {
    return plpgsqlCreateSql(fn, qualified(fn.schema, fn.name), (t) => typeSql(cluster, t));
  }
  const params = fn.argTypes.map((t, i) => {
    const name = fn.argNames[i] ?? "";
    return `${name === "" ? "" : `${quoteIdentifier(name)} `}${typeSql(cluster, t)}`;
  }).join(", ");
  const body = deparseSync(fn.body, { pretty: false });
  let tag = "$fn$";
  for (let i = 0; body.includes(tag); i++) tag = `$fn${i}$`;
  const returns = fn.outColumns.length > 0
    ? `TABLE (${fn.outColumns.map((c) => `${quoteIdentifier(c.name)} ${typeSql(cluster, c.type)}`)
      .join(", ")})`
    : `${fn.setOf ? "SETOF " : ""}${typeSql(cluster, fn.returnType)}`;
  return `CREATE OR REPLACE FUNCTION ${qualified(fn.schema, fn.name)}(${params}) RETURNS ` +
    `${returns} LANGUAGE sql ${volatilities[fn.volatility]}` +
    `${fn.strict ? " STRICT" : ""} AS ${tag}${body}${tag}`;
}

/**
 * `CREATE OR REPLACE AGGREGATE "s"."a"(integer) (SFUNC = "s"."f", STYPE = integer, …)` that
 * recreates the aggregate `fn` on a worker, its support functions schema-qualified.
 */
export function aggregateCreateSql(cluster: Cluster, fn: SqlFunction): string {
  const agg = userAggregateOf(cluster.local.catalog, fn.oid);
  assert(agg !== undefined, "an aggregate's pg_proc row has its pg_aggregate row");
  // A database's support function by OID: it may have been renamed since.
  const support = (f: AggSupportFunction): string => {
    const current = f.oid === 0 ? undefined
      : allSqlFunctions(cluster.local.catalog).find((g) => g.oid === f.oid);
    return qualified(current?.schema ?? f.schema, current?.name ?? f.name);
  };
  const options = [`SFUNC = ${support(agg.transition)}`,
    `STYPE = ${typeSql(cluster, agg.stateType)}`];
  if (agg.initText !== null) options.push(`INITCOND = ${quoteLiteral(agg.initText)}`);
  if (agg.final !== undefined) options.push(`FINALFUNC = ${support(agg.final)}`);
  if (agg.finalExtra) options.push("FINALFUNC_EXTRA");
  if (agg.finalModify !== "r") {
    options.push(`FINALFUNC_MODIFY = ${agg.finalModify === "s" ? "SHAREABLE" : "READ_WRITE"}`);
  }
  if (agg.combine !== undefined) options.push(`COMBINEFUNC = ${support(agg.combine)}`);
  if (agg.stateSpace !== 0) options.push(`SSPACE = ${agg.stateSpace}`);
  const args = fn.argTypes.length === 0 ? "*"
    : fn.argTypes.map((t) => typeSql(cluster, t)).join(", ");
  return `CREATE OR REPLACE AGGREGATE ${qualified(fn.schema, fn.name)}(${args}) ` +
    `(${options.join(", ")})`;
}

/** The aggregate's identity as DROP AGGREGATE names it: `"s"."a"(integer)`. */
export function aggregateIdentity(cluster: Cluster, fn: SqlFunction): string {
  return fn.argTypes.length === 0 ? `${qualified(fn.schema, fn.name)}(*)`
    : functionIdentity(cluster, fn);
}

/** `DROP FUNCTION IF EXISTS …` and `DROP AGGREGATE IF EXISTS …` of `gone`, as needed. */
export function functionDropSql(cluster: Cluster, gone: readonly SqlFunction[]): string[] {
  const aggregates = gone.filter((f) => f.aggregate === true);
  const functions = gone.filter((f) => f.aggregate !== true);
  return [
    ...(aggregates.length === 0 ? [] : [`DROP AGGREGATE IF EXISTS ${aggregates.map((f) =>
      aggregateIdentity(cluster, f)).join(", ")}`]),
    ...(functions.length === 0 ? [] : [`DROP FUNCTION IF EXISTS ${functions.map((f) =>
      functionIdentity(cluster, f)).join(", ")}`]),
  ];
}

/**
 * ALTER AGGREGATE … RENAME TO / SET SCHEMA for the workers: the same statement, the
 * aggregate named by its schema as it was before (`schema`).
 */
export function aggregateAlterSql(stmt: ast.Node, schema: string): string | undefined {
  const object = "RenameStmt" in stmt ? stmt.RenameStmt.object
    : "AlterObjectSchemaStmt" in stmt ? stmt.AlterObjectSchemaStmt.object : undefined;
  if (object === undefined || !("ObjectWithArgs" in object)) return undefined;
  const names = object.ObjectWithArgs.objname ?? [];
  const last = names[names.length - 1];
  const qualifiedObject: ast.Node = { ObjectWithArgs: { ...object.ObjectWithArgs,
    objname: [{ String: { sval: schema } }, ...(last === undefined ? [] : [last])] } };
  const copy: ast.Node = "RenameStmt" in stmt
    ? { RenameStmt: { ...stmt.RenameStmt, object: qualifiedObject } }
    : { AlterObjectSchemaStmt: { ...(stmt as { AlterObjectSchemaStmt:
      ast.AlterObjectSchemaStmt }).AlterObjectSchemaStmt, object: qualifiedObject } };
  return deparseSync(copy, { pretty: false });
}

/** Runs `statements` on every active worker, in order, all-or-nothing across them. */
export async function runOnWorkers(cluster: Cluster, statements: readonly string[],
  ctx: StatementContext, nodes: readonly PlacementAddress[] = schemaNodes(cluster)):
  Promise<void> {
  if (statements.length === 0) return;
  const commands = nodes.flatMap((node) =>
    statements.map((sql): ShardCommand => ({ sql, node, shardId: null })));
  await runShardCommands(cluster, commands, ctx);
}

/**
 * Gives a node that joins the cluster every enum type and SQL function of the coordinator
 * (after its schemas, before its shards). Types first: functions may name them. A node
 * that already holds one of the types (it was in a cluster before) fails with 42710.
 */
export async function typesAndFunctionsToNewNode(cluster: Cluster, node: PlacementAddress,
  ctx: StatementContext): Promise<void> {
  if (node.groupid === 0) return;
  const catalog = cluster.local.catalog;
  const statements = [
    ...extensionCreateStatements(catalog),
    ...roleCreateStatements(catalog),
    ...[...enumTypesOf(catalog).values()].map(enumCreateSql),
    ...allRangeTypes(cluster).map((t) => rangeCreateSql(t, (oid) => typeSql(cluster, oid))),
    ...allCompositeTypes(cluster).map((t) =>
      compositeCreateSql(t, (oid, typmod) => typeSql(cluster, oid, typmod))),
    ...domainCreateStatements(cluster, (oid, typmod) => typeSql(cluster, oid, typmod)),
    // Aggregates after the functions they call.
    ...allSqlFunctions(catalog).filter((f) => f.aggregate !== true)
      .map((f) => functionCreateSql(cluster, f)),
    ...allSqlFunctions(catalog).filter((f) => f.aggregate === true)
      .map((f) => functionCreateSql(cluster, f)),
  ];
  await runOnWorkers(cluster, statements, ctx, [node]);
}
