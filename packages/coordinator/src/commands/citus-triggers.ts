/**
 * Triggers on Citus tables, as Citus 11 and later (`commands/trigger.c`). With
 * `citus.enable_unsafe_triggers` off, the default, CREATE TRIGGER, ALTER TRIGGER … RENAME and
 * DROP TRIGGER on a distributed or reference table fail with Citus's messages (XX000), and
 * create_distributed_table refuses a table that has triggers (`operations/create-table.ts`).
 * With it on, the user takes the responsibility Citus asks for: each statement runs on the
 * shell table and on every shard placement, the trigger renamed as its shard:
 *
 *     CREATE TRIGGER audit AFTER INSERT ON orders FOR EACH ROW EXECUTE FUNCTION log_it()
 *  -> CREATE TRIGGER audit_102008 AFTER INSERT ON public.orders_102008 … (each shard)
 *
 * so a trigger fires on the worker for the rows of its shard; its function is on every worker
 * already (functions are propagated, `type-function-ddl.ts`). A table distributed with
 * triggers gets them on its shards after its rows are copied, as Citus creates them after the
 * data load, so they do not fire for the copy.
 */
import { SqlError, SqlState, oid, type ShardId } from "@tessera/base";
import {
  triggerDefinition, triggersOf, type PreparedStatement, type StatementContext,
} from "@tessera/engine";
import type { ast } from "@tessera/sql";
import { citusFlag, shardNodes, type Cluster } from "../cluster.js";
import type { Task } from "../executor/tasks.js";
import type { CitusTable } from "../metadata/metadata-cache.js";
import { quoteIdentifier, shardObjectName } from "../metadata/naming.js";
import { qualifiedShard, type ShellRelation } from "../operations/shard-ddl.js";
import type { Classification } from "../planner/classify.js";
import { ddlStatement, propagateToShards, runLocal } from "./ddl.js";
import { runShardCommands } from "./shard-command-batch.js";

export const unsafeTriggersSetting = "citus.enable_unsafe_triggers";

/** Fails unless triggers may be changed on `table` (Citus's ErrorOutForTriggerIfNotSupported). */
export function checkTriggersAllowed(table: CitusTable, ctx: StatementContext): void {
  if (citusFlag(ctx, unsafeTriggersSetting)) return;
  if (table.partition.partmethod === "n") {
    throw new SqlError(SqlState.internalError, "triggers are not supported on reference tables");
  }
  throw new SqlError(SqlState.internalError, "triggers are not supported on distributed tables " +
    `when "${unsafeTriggersSetting}" is set to "false"`);
}

/**
 * CREATE TRIGGER or ALTER TRIGGER … RENAME on a Citus table, or undefined for other
 * statements: checked, then run on the shell table and every shard.
 */
export function prepareCitusTrigger(cluster: Cluster, stmt: ast.Node,
  classification: Classification, ctx: StatementContext): PreparedStatement | undefined {
  const renames = "RenameStmt" in stmt && stmt.RenameStmt.renameType === "OBJECT_TRIGGER";
  if (!("CreateTrigStmt" in stmt) && !renames) return undefined;
  const target = classification.citus.find((ref) => ref.position.endsWith("Stmt.relation"));
  if (target === undefined) return undefined;
  const table = target.citus!;
  checkTriggersAllowed(table, ctx);
  if (!("RenameStmt" in stmt)) return propagateToShards(cluster, stmt, classification, target);
  // Written out here: the deparser prints ALTER TRIGGER … RENAME without its ON clause.
  const { subname, newname } = stmt.RenameStmt;
  return onShellAndShards(cluster, stmt, table, (id) =>
    `ALTER TRIGGER ${quoteIdentifier(shardObjectName(subname ?? "", id))} ON ` +
    `${qualifiedShard(target.relation, id)} RENAME TO ` +
    quoteIdentifier(shardObjectName(newname ?? "", id)));
}

/** `stmt` on the shell table, then `sql` of each shard on its placements, as one. */
function onShellAndShards(cluster: Cluster, stmt: ast.Node, table: CitusTable,
  sql: (id: ShardId) => string): PreparedStatement {
  return ddlStatement(cluster, async (ctx) => {
    const tag = await runLocal(cluster, stmt, ctx);
    const tasks = table.shards.flatMap((shard) => shardNodes(cluster, shard).map((node):
      Task => ({ node, params: [], shardId: shard.row.shardid, sql: sql(shard.row.shardid) })));
    await runShardCommands(cluster, tasks, ctx);
    return tag;
  });
}

/**
 * DROP TRIGGER name ON t where t is a Citus table (the statement names the table in a dotted
 * name, not a RangeVar), or undefined otherwise.
 */
export function prepareTriggerDrop(cluster: Cluster, stmt: ast.Node, path: readonly string[],
  ctx: StatementContext): PreparedStatement | undefined {
  if (!("DropStmt" in stmt) || stmt.DropStmt.removeType !== "OBJECT_TRIGGER") return undefined;
  const drop = stmt.DropStmt;
  const names = (drop.objects ?? []).map((object) => ("List" in object
    ? (object.List.items ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : "")) : []));
  const [parts] = names;
  if (names.length !== 1 || parts === undefined || parts.length < 2) return undefined;
  const trigger = parts.at(-1)!;
  const relation = cluster.local.catalog.findRelation(path,
    parts.length > 2 ? parts.at(-3) : undefined, parts.at(-2)!);
  const table = relation === undefined ? undefined
    : cluster.metadata.cache.table(oid(relation.oid));
  if (relation === undefined || table === undefined) return undefined;
  checkTriggersAllowed(table, ctx);
  return onShellAndShards(cluster, stmt, table, (id) => "DROP TRIGGER IF EXISTS " +
    `${quoteIdentifier(shardObjectName(trigger, id))} ON ${qualifiedShard(relation, id)}`);
}

/** The CREATE TRIGGER statements that give shard `id` the triggers of its shell table. */
export function shardTriggerStatements(cluster: Cluster, relation: ShellRelation,
  id: ShardId): string[] {
  const catalog = cluster.local.catalog;
  return triggersOf(catalog, relation.oid).map((trigger) => {
    const text = triggerDefinition(catalog, trigger, relation, false, [], {
      name: shardObjectName(trigger.name, id),
      table: qualifiedShard(relation, id),
    });
    return trigger.enabled === "O" ? text
      : `${text}; ALTER TABLE ${qualifiedShard(relation, id)} ${enableClause(trigger.enabled)} ` +
        `TRIGGER ${quoteIdentifier(shardObjectName(trigger.name, id))}`;
  });
}

function enableClause(enabled: "O" | "D" | "A" | "R"): string {
  return enabled === "D" ? "DISABLE" : enabled === "A" ? "ENABLE ALWAYS" : "ENABLE REPLICA";
}
