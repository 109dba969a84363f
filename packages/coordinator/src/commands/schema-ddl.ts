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
 * A node that lacks a schema is not an error: CREATE and DROP use IF [NOT] EXISTS.
 */
import type { PreparedStatement, StatementContext } from "@tessera/engine";
import type { ast } from "@tessera/sql";
import { deparseSync } from "pgsql-deparser";
import { citusSetting, shardNodes, type Cluster, type PlacementAddress } from "../cluster.js";
import { preparedStatement } from "../executor/cursor.js";
import { runTasks, type Task } from "../executor/tasks.js";
import type { CitusTable } from "../metadata/metadata-cache.js";
import { quoteIdentifier } from "../metadata/naming.js";
import { qualifiedShard } from "../operations/shard-ddl.js";
import { forgetTables, undoOnRollback } from "../operations/metadata-undo.js";
import { schemaCreateStatement, schemaNodes } from "../operations/schema-propagation.js";
import { runLocal } from "./ddl.js";

/** Prepares schema DDL, or returns undefined when `stmt` is not schema DDL. */
export function prepareSchemaDdl(cluster: Cluster, stmt: ast.Node): PreparedStatement | undefined {
  if ("CreateSchemaStmt" in stmt) return createSchema(cluster, stmt, stmt.CreateSchemaStmt);
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

function createSchema(cluster: Cluster, stmt: ast.Node,
  create: ast.CreateSchemaStmt): PreparedStatement {
  return preparedStatement(null, [], async (_params, ctx) => {
    const tag = await runLocal(cluster, stmt, ctx);
    if (!ddlPropagationOn(ctx)) return { rows: [], commandTag: tag };
    const remote: ast.Node = { CreateSchemaStmt: {
      ...(create.schemaname !== undefined && { schemaname: create.schemaname }),
      ...(create.authrole !== undefined && { authrole: create.authrole }),
      if_not_exists: true,
    } };
    await runOnWorkers(cluster, () => deparseSync(remote, { pretty: false }), ctx);
    return { rows: [], commandTag: tag };
  });
}

function dropSchema(cluster: Cluster, stmt: ast.Node, drop: ast.DropStmt): PreparedStatement {
  const schemas = (drop.objects ?? []).flatMap((o) => ("String" in o ? [o.String.sval ?? ""] : []));
  return preparedStatement(null, [], async (_params, ctx) => {
    const before = citusTablesIn(cluster, new Set(schemas));
    const tag = await runLocal(cluster, stmt, ctx);
    const gone = before.filter(({ table }) =>
      cluster.local.catalog.relation(table.partition.logicalrelid) === undefined);
    const perNode = new Map<string, { node: PlacementAddress; sql: string[] }>();
    const add = (node: PlacementAddress, sql: string): void => {
      const key = `${node.host}:${node.port}`;
      const entry = perNode.get(key) ?? { node, sql: [] };
      entry.sql.push(sql);
      perNode.set(key, entry);
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
    if (ddlPropagationOn(ctx)) {
      const names = schemas.map(quoteIdentifier).join(", ");
      const cascade = drop.behavior === "DROP_CASCADE" ? " CASCADE" : "";
      const sql = `DROP SCHEMA IF EXISTS ${names}${cascade}`;
      for (const node of schemaNodes(cluster)) add(node, sql);
    }
    const tasks = [...perNode.values()].map(({ node, sql }): Task => ({
      sql: sql.join("; "), params: [], node, shardId: null,
    }));
    if (tasks.length > 0) await runTasks(cluster, tasks, ctx);
    return { rows: [], commandTag: tag };
  });
}

function renameSchema(cluster: Cluster, stmt: ast.Node, rename: ast.RenameStmt): PreparedStatement {
  const from = rename.subname ?? "";
  const to = rename.newname ?? "";
  return preparedStatement(null, [], async (_params, ctx) => {
    const tag = await runLocal(cluster, stmt, ctx);
    cluster.metadata.update((state) => ({
      ...state,
      tables: state.tables.map((table) => table.schemaName === from
        ? { ...table, schemaName: to } : table),
    }));
    if (ddlPropagationOn(ctx)) {
      const create = schemaCreateStatement([from]);
      await runOnWorkers(cluster, () => `${create ?? ""}; ALTER SCHEMA ${quoteIdentifier(from)} ` +
        `RENAME TO ${quoteIdentifier(to)}`, ctx);
    }
    return { rows: [], commandTag: tag };
  });
}

/** Runs one SQL text on every active worker, all-or-nothing across them. */
async function runOnWorkers(cluster: Cluster, sql: () => string,
  ctx: StatementContext): Promise<void> {
  const text = sql();
  const tasks = schemaNodes(cluster).map((node): Task =>
    ({ sql: text, params: [], node, shardId: null }));
  if (tasks.length > 0) await runTasks(cluster, tasks, ctx);
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
