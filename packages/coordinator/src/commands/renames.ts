/**
 * Renames and schema moves of Citus tables, propagated as Citus's DDL is: the statement runs
 * on the shell table first (the local engine checks it), then on every placement of every
 * shard in one coordinated transaction, one message per node (`shard-command-batch.ts`), and
 * the Citus metadata follows
 * the new names (Citus's pg_dist_partition stores a regclass, so it follows by itself):
 *
 *   ALTER TABLE t RENAME COLUMN a TO b     same on each shard; a renamed distribution column
 *                                          renames the metadata's column
 *   ALTER TABLE t RENAME CONSTRAINT c TO d shard constraints `c_<shardid>` -> `d_<shardid>`
 *   ALTER TABLE t RENAME TO u              shards `t_<shardid>` -> `u_<shardid>`
 *   ALTER INDEX i RENAME TO j              shard indexes `i_<shardid>` -> `j_<shardid>`
 *   ALTER TABLE t SET SCHEMA s             shards move to `s` (created on the node if missing)
 *
 * ALTER SCHEMA … RENAME TO is schema DDL (`schema-ddl.ts`).
 */
import { oid, type ShardId } from "@tessera/base";
import type { PreparedStatement, StatementContext } from "@tessera/engine";
import type { ast } from "@tessera/sql";
import { shardNodes, type Cluster } from "../cluster.js";
import type { Task } from "../executor/tasks.js";
import type { CitusTable, CitusTableInput } from "../metadata/metadata-cache.js";
import { quoteIdentifier, shardObjectName } from "../metadata/naming.js";
import { undoOnRollback } from "../operations/metadata-undo.js";
import { schemaCreateStatement } from "../operations/schema-propagation.js";
import type { Classification, TableRef } from "../planner/classify.js";
import { shardResolver } from "../planner/distributed-select.js";
import { shardQueryText } from "../planner/shard-query.js";
import { ddlStatement, runLocal } from "./ddl.js";
import { runShardCommands } from "./shard-command-batch.js";

type TableChange = (table: CitusTableInput) => CitusTableInput;

/** RenameStmt / AlterObjectSchemaStmt naming a Citus table, or undefined for other kinds. */
export function prepareDistributedRename(cluster: Cluster, stmt: ast.Node,
  classification: Classification): PreparedStatement | undefined {
  const target = classification.citus.find((ref) => ref.position.endsWith("Stmt.relation"));
  if (target === undefined) return undefined;
  const relid = target.citus!.partition.logicalrelid;
  if ("AlterObjectSchemaStmt" in stmt) {
    const move = stmt.AlterObjectSchemaStmt;
    if (move.objectType !== "OBJECT_TABLE") return undefined;
    const schema = move.newschema ?? "";
    const create = schemaCreateStatement([schema]);
    return renamed(cluster, stmt, () => shardTasks(cluster, stmt, classification, target,
      create), { relid, change: (t) => ({ ...t, schemaName: schema }) });
  }
  if (!("RenameStmt" in stmt)) return undefined;
  const rename = stmt.RenameStmt;
  const to = rename.newname ?? "";
  const tasks = (): Task[] => shardTasks(cluster, stmt, classification, target, undefined);
  switch (rename.renameType) {
    case "OBJECT_TABLE":
      return renamed(cluster, stmt, tasks, { relid, change: (t) =>
        ({ ...t, relationName: to }) });
    case "OBJECT_COLUMN":
      return renamed(cluster, stmt, tasks, { relid, change: (t) => {
        const column = t.distributionColumn;
        if (column === null || column.name !== rename.subname) return t;
        return { ...t, distributionColumn: { ...column, name: to } };
      } });
    case "OBJECT_TABCONSTRAINT":
      return renamed(cluster, stmt, tasks, undefined);
    default:
      return undefined;
  }
}

/**
 * ALTER INDEX … RENAME TO on an index of a Citus table (the statement names the index, so
 * the table is found through the catalog), or undefined when the index is not one.
 */
export function prepareIndexRename(cluster: Cluster, stmt: ast.Node,
  path: readonly string[]): PreparedStatement | undefined {
  if (!("RenameStmt" in stmt) || stmt.RenameStmt.renameType !== "OBJECT_INDEX") return undefined;
  const rename = stmt.RenameStmt;
  const rv = rename.relation;
  const found = rv === undefined ? undefined
    : cluster.local.catalog.findIndex(path, rv.schemaname, rv.relname ?? "");
  const table = found === undefined ? undefined : cluster.metadata.cache
    .table(oid(found.relation.oid));
  if (found === undefined || table === undefined) return undefined;
  const schema = quoteIdentifier(found.relation.schema);
  const from = found.index.name;
  const to = rename.newname ?? "";
  const tasks = (): Task[] => everyPlacement(cluster, table, (id) =>
    `ALTER INDEX ${schema}.${quoteIdentifier(shardObjectName(from, id))} RENAME TO ` +
    quoteIdentifier(shardObjectName(to, id)));
  return renamed(cluster, stmt, tasks, undefined);
}

/**
 * Shard tasks made before the shell table changes, the local statement, the shards, then the
 * metadata, as one transaction (`ddl-transaction.ts`): when a shard refuses the change, the
 * shell table keeps its old name.
 */
function renamed(cluster: Cluster, stmt: ast.Node, tasks: () => Task[],
  metadata: { relid: number; change: TableChange } | undefined): PreparedStatement {
  return ddlStatement(cluster, async (ctx) => {
    const shardTasks = tasks();
    const tag = await runLocal(cluster, stmt, ctx);
    await runShardCommands(cluster, shardTasks, ctx);
    if (metadata !== undefined) changeTable(cluster, metadata.relid, metadata.change, ctx);
    return tag;
  });
}

/** Changes one table's metadata row; a transaction block's ROLLBACK puts it back. */
function changeTable(cluster: Cluster, relid: number, change: TableChange,
  ctx: StatementContext): void {
  const before = cluster.metadata.snapshot.tables.find((t) => t.partition.logicalrelid === relid);
  if (before === undefined) return;
  const replace = (row: CitusTableInput): void => cluster.metadata.update((state) => ({
    ...state,
    tables: state.tables.map((t) => (t.partition.logicalrelid === relid ? row : t)),
  }));
  replace(change(before));
  undoOnRollback(ctx, () => replace(before));
}

/**
 * The statement on each shard of `target`, its names swapped for the shard's; `prefix` (the
 * target schema's creation) runs first on each node, once.
 */
function shardTasks(cluster: Cluster, stmt: ast.Node, classification: Classification,
  target: TableRef, prefix: string | undefined): Task[] {
  const table = target.citus!;
  const prefixed = new Set<string>();
  return table.shards.flatMap((shard, index) => {
    const sql = shardQueryText(stmt, { resolveRelation: shardResolver(classification.citus,
      index), ddlShardId: shard.row.shardid });
    return shardNodes(cluster, shard).flatMap((node): Task[] => {
      const task: Task = { sql, params: [], node, shardId: shard.row.shardid };
      const key = `${node.host}:${node.port}`;
      if (prefix === undefined || prefixed.has(key)) return [task];
      prefixed.add(key);
      return [{ ...task, sql: prefix }, task];
    });
  });
}

function everyPlacement(cluster: Cluster, table: CitusTable, sql: (id: ShardId) => string):
  Task[] {
  return table.shards.flatMap((shard) => shardNodes(cluster, shard).map((node): Task => ({
    sql: sql(shard.row.shardid), params: [], node, shardId: shard.row.shardid,
  })));
}
