/**
 * Schema DDL on the coordinator, propagated to the worker nodes as Citus does
 * (`commands/schema.c`, `commands/drop_distributed_table.c`): the statement runs in the local
 * engine first (its checks and errors are PostgreSQL's), then on every active worker.
 *
 *   CREATE SCHEMA [IF NOT EXISTS] name [AUTHORIZATION role]
 *       -> CREATE SCHEMA IF NOT EXISTS … on each worker (schema elements stay local: they
 *          create local tables)
 *   DROP SCHEMA name [, …] [CASCADE]
 *       -> the Citus tables the drop removed lose their shards and metadata (Citus's drop
 *          trigger does this even with DDL propagation off), then DROP SCHEMA IF EXISTS …
 *   ALTER SCHEMA name RENAME TO new
 *       -> the metadata follows the new name, and each worker renames its schema
 *
 * With `citus.enable_ddl_propagation` off the statement runs on the coordinator only; the
 * schema is still created on a node when a shard is placed there (`schema-propagation.ts`).
 * A node that lacks a schema is not an error: CREATE and DROP use IF [NOT] EXISTS. The
 * coordinator's change and the workers' commit or roll back together (`ddl-transaction.ts`).
 */
import { SqlError, SqlState, assert } from "@tessera/base";
import type { PreparedStatement, StatementContext } from "@tessera/engine";
import type { ast } from "@tessera/sql";
import { citusSetting, shardNodes, type Cluster, type PlacementAddress } from "../cluster.js";
import type { CitusTable } from "../metadata/metadata-cache.js";
import { quoteIdentifier } from "../metadata/naming.js";
import { qualifiedShard } from "../operations/shard-ddl.js";
import { forgetTables, undoOnRollback } from "../operations/metadata-undo.js";
import { schemaCreateStatement, schemaNodes } from "../operations/schema-propagation.js";
import { forgetDroppedSchemas, schemaCreated } from "../operations/schema-sharding.js";
import { unsupported } from "../planner/raw.js";
import { ddlStatement, runLocal } from "./ddl.js";
import { runShardCommands, type ShardCommand } from "./shard-command-batch.js";

/** Prepares schema DDL, or returns undefined when `stmt` is not schema DDL. */
export function prepareSchemaDdl(cluster: Cluster, stmt: ast.Node): PreparedStatement | undefined {
  if ("CreateSchemaStmt" in stmt) return createSchema(cluster, stmt.CreateSchemaStmt);
  if ("DropStmt" in stmt && stmt.DropStmt.removeType === "OBJECT_SCHEMA") {
    return dropSchema(cluster, stmt, stmt.DropStmt);
  }
  if ("RenameStmt" in stmt && stmt.RenameStmt.renameType === "OBJECT_SCHEMA") {
    return renameSchema(cluster, stmt, stmt.RenameStmt);
  }
  return undefined;
}

/** citus.enable_ddl_propagation, on unless the session turned it off. */
export function ddlPropagationOn(ctx: StatementContext): boolean {
  const value = citusSetting(ctx, "citus.enable_ddl_propagation", "on").toLowerCase();
  return !["off", "false", "0", "no"].includes(value);
}

function createSchema(cluster: Cluster, create: ast.CreateSchemaStmt): PreparedStatement {
  const elements = create.schemaElts ?? [];
  for (const element of elements) elementRangeVar(element);
  return ddlStatement(cluster, async (ctx) => {
    const name = create.schemaname ?? roleName(create.authrole, ctx.user);
    const local: ast.Node = { CreateSchemaStmt: { schemaname: name,
      ...(create.authrole !== undefined && { authrole: create.authrole }),
      ...(create.if_not_exists === true && { if_not_exists: true }) } };
    const existed = cluster.local.catalog.schemaExists(name);
    const tag = await runLocal(cluster, local, ctx);
    const inner = elementContext(ctx, name);
    for (const element of elements) await runLocal(cluster, inSchema(element, name), inner);
    if (ddlPropagationOn(ctx)) {
      const sql = schemaCreateStatement([name]);
      if (sql !== undefined) await runOnWorkers(cluster, [sql], ctx);
    }
    // citus.enable_schema_based_sharding makes a new schema a distributed one.
    if (!existed) await schemaCreated(cluster, name, ctx);
    return tag;
  });
}

/**
 * The context schema elements run in: like PostgreSQL, the new schema is searched first, so
 * an element's unqualified names (a view's FROM) find the objects created before it.
 */
function elementContext(ctx: StatementContext, schema: string): StatementContext {
  const setting = (name: string): string => {
    const value = ctx.setting(name);
    return name === "search_path" ? `${quoteIdentifier(schema)}, ${value}` : value;
  };
  return new Proxy(ctx, {
    get(target, key): unknown {
      if (key === "setting") return setting;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === "function" ? (value as () => unknown).bind(target) : value;
    },
  });
}

/** `CREATE SCHEMA AUTHORIZATION role` names the schema after the role. */
function roleName(role: ast.RoleSpec | undefined, user: string): string {
  if (role?.roletype === "ROLESPEC_CSTRING" && role.rolename !== undefined) return role.rolename;
  if (role?.roletype === "ROLESPEC_PUBLIC") {
    throw new SqlError(SqlState.reservedName, 'role name "public" is reserved');
  }
  return user;
}

/** The name a schema element creates, or 0A000 for element kinds not supported here. */
function elementRangeVar(element: ast.Node): ast.RangeVar {
  const rangeVar = "CreateStmt" in element ? element.CreateStmt.relation
    : "ViewStmt" in element ? element.ViewStmt.view
      : "IndexStmt" in element ? element.IndexStmt.relation
        : "CreateSeqStmt" in element ? element.CreateSeqStmt.sequence : undefined;
  if (rangeVar === undefined) {
    throw unsupported(`${Object.keys(element)[0] ?? "this element"} as an element of CREATE ` +
      "SCHEMA is not supported yet");
  }
  return rangeVar;
}

/** SQLSTATE invalid_schema_definition. */
const invalidSchemaDefinition = "42P15";

/** A schema element with its name put in the new schema, as PostgreSQL's transformation. */
function inSchema(element: ast.Node, schema: string): ast.Node {
  const rangeVar = elementRangeVar(element);
  if (rangeVar.schemaname !== undefined && rangeVar.schemaname !== schema) {
    throw new SqlError(invalidSchemaDefinition, `CREATE specifies a schema ` +
      `(${rangeVar.schemaname}) different from the one being created (${schema})`);
  }
  const placed = { ...rangeVar, schemaname: schema };
  if ("CreateStmt" in element) return { CreateStmt: { ...element.CreateStmt, relation: placed } };
  if ("ViewStmt" in element) return { ViewStmt: { ...element.ViewStmt, view: placed } };
  if ("IndexStmt" in element) return { IndexStmt: { ...element.IndexStmt, relation: placed } };
  assert("CreateSeqStmt" in element, "elementRangeVar accepted the element");
  return { CreateSeqStmt: { ...element.CreateSeqStmt, sequence: placed } };
}

function dropSchema(cluster: Cluster, stmt: ast.Node, drop: ast.DropStmt): PreparedStatement {
  const schemas = (drop.objects ?? []).flatMap((o) => ("String" in o ? [o.String.sval ?? ""] : []));
  return ddlStatement(cluster, async (ctx) => {
    const before = citusTablesIn(cluster, new Set(schemas));
    const tenants = cluster.metadata.snapshot.schemas;
    const tag = await runLocal(cluster, stmt, ctx);
    const gone = before.filter(({ table }) =>
      cluster.local.catalog.relation(table.partition.logicalrelid) === undefined);
    const commands: ShardCommand[] = [];
    const add = (node: PlacementAddress, sql: string): void => {
      commands.push({ sql, node, shardId: null });
    };
    for (const { table, schema } of gone) {
      for (const shard of table.shards) {
        const name = qualifiedShard({ schema, name: table.relationName }, shard.row.shardid);
        for (const node of shardNodes(cluster, shard)) {
          add(node, `DROP TABLE IF EXISTS ${name} CASCADE`);
        }
      }
    }
    undoOnRollback(ctx,
      forgetTables(cluster, new Set(gone.map(({ table }) => table.partition.logicalrelid))));
    undoOnRollback(ctx, forgetDroppedSchemas(cluster, tenants));
    if (ddlPropagationOn(ctx)) {
      const names = schemas.map(quoteIdentifier).join(", ");
      const cascade = drop.behavior === "DROP_CASCADE" ? " CASCADE" : "";
      const sql = `DROP SCHEMA IF EXISTS ${names}${cascade}`;
      for (const node of schemaNodes(cluster)) add(node, sql);
    }
    await runShardCommands(cluster, commands, ctx);
    return tag;
  });
}

function renameSchema(cluster: Cluster, stmt: ast.Node, rename: ast.RenameStmt): PreparedStatement {
  const from = rename.subname ?? "";
  const to = rename.newname ?? "";
  return ddlStatement(cluster, async (ctx) => {
    const tag = await runLocal(cluster, stmt, ctx);
    const move = (a: string, b: string): void => cluster.metadata.update((state) => ({
      ...state,
      tables: state.tables.map((table) => table.schemaName === a
        ? { ...table, schemaName: b } : table),
    }));
    move(from, to);
    undoOnRollback(ctx, () => move(to, from));
    if (ddlPropagationOn(ctx)) {
      const create = schemaCreateStatement([from]);
      await runOnWorkers(cluster, [...(create === undefined ? [] : [create]),
        `ALTER SCHEMA ${quoteIdentifier(from)} RENAME TO ${quoteIdentifier(to)}`], ctx);
    }
    return tag;
  });
}

/** Runs `statements` on every active worker, one message each, all-or-nothing across them. */
async function runOnWorkers(cluster: Cluster, statements: readonly string[],
  ctx: StatementContext): Promise<void> {
  const commands = schemaNodes(cluster).flatMap((node) =>
    statements.map((sql): ShardCommand => ({ sql, node, shardId: null })));
  await runShardCommands(cluster, commands, ctx);
}

/** The Citus tables whose shell tables are in one of `schemas`, with that schema. */
function citusTablesIn(cluster: Cluster, schemas: ReadonlySet<string>):
  { table: CitusTable; schema: string }[] {
  const found: { table: CitusTable; schema: string }[] = [];
  for (const table of cluster.metadata.cache.tables()) {
    const relation = cluster.local.catalog.relation(table.partition.logicalrelid);
    const schema = relation?.schema ?? table.schemaName;
    if (schemas.has(schema)) found.push({ table, schema });
  }
  return found;
}
