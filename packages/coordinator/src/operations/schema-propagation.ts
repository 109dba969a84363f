/**
 * Schemas on the worker nodes, as Citus keeps them (`commands/schema.c`,
 * `EnsureDependenciesExistOnAllNodes`): a shard lives in the same schema as its table
 * (`metrics.readings_102008`), so before a shard is placed on a node the schema must exist
 * there. Schema DDL itself is propagated by `commands/schema-ddl.ts`; this module creates
 * schemas lazily where shards go, and on nodes that join the cluster later:
 *
 *     create_distributed_table / create_reference_table  ->  schemaCommands, sent first in
 *                                                           the shards' message to each node
 *     reference placement copied to a new node            ->  schemaCreateStatement first
 *     citus_add_node / citus_activate_node                ->  every user schema of the coordinator
 *
 * Creation is always `CREATE SCHEMA IF NOT EXISTS`: a node may already hold the schema (an
 * earlier shard, a propagated CREATE SCHEMA), and that is not an error.
 */
import type { StatementContext } from "@tessera/engine";
import type { Cluster, PlacementAddress } from "../cluster.js";
import { runShardCommands, type ShardCommand } from "../commands/shard-command-batch.js";
import { quoteIdentifier } from "../metadata/naming.js";

/** Schemas every node has of its own; they are never created or dropped on the nodes. */
const builtinSchemas = new Set(["public", "pg_catalog", "information_schema", "pg_toast",
  "citus", "citus_internal", "columnar", "columnar_internal"]);

/** Whether `schema` is one the nodes must be given (not built in, not temporary). */
export function isUserSchema(schema: string): boolean {
  return !builtinSchemas.has(schema) && !schema.startsWith("pg_temp") &&
    !schema.startsWith("pg_toast_temp");
}

/** `CREATE SCHEMA IF NOT EXISTS` for each user schema of `schemas`, as one SQL text. */
export function schemaCreateStatement(schemas: Iterable<string>): string | undefined {
  const wanted = [...new Set(schemas)].filter(isUserSchema).sort();
  if (wanted.length === 0) return undefined;
  return wanted.map((s) => `CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(s)}`).join("; ");
}

/** The worker nodes schema DDL goes to: active primaries other than the coordinator. */
export function schemaNodes(cluster: Cluster): PlacementAddress[] {
  return cluster.registry.list()
    .filter((n) => n.isactive && n.noderole === "primary" && n.groupid !== 0)
    .map((n) => ({ host: n.nodename, port: n.nodeport, groupid: n.groupid }));
}

/** Creates `schemas` on each of `nodes` that lacks them, one message per node. */
export async function ensureSchemas(cluster: Cluster, schemas: Iterable<string>,
  nodes: Iterable<PlacementAddress>, ctx: StatementContext): Promise<void> {
  await runShardCommands(cluster, schemaCommands(schemas, nodes), ctx);
}

/**
 * The commands that create `schemas` on each of `nodes` (the coordinator excepted: it has
 * them), to run before the shard commands that need them, in the same message.
 */
export function schemaCommands(schemas: Iterable<string>,
  nodes: Iterable<PlacementAddress>): ShardCommand[] {
  const sql = schemaCreateStatement(schemas);
  if (sql === undefined) return [];
  const distinct = new Map<string, PlacementAddress>();
  for (const node of nodes) {
    if (node.groupid !== 0) distinct.set(`${node.host}:${node.port}`, node);
  }
  return [...distinct.values()].map((node): ShardCommand => ({ sql, node, shardId: null }));
}

/** Gives a node that joins the cluster every user schema of the coordinator. */
export async function schemasToNewNode(cluster: Cluster, node: PlacementAddress,
  ctx: StatementContext): Promise<void> {
  const schemas = cluster.local.catalog.allSchemas().map(([name]) => name);
  await ensureSchemas(cluster, schemas, [node], ctx);
}
