/**
 * DDL on Citus tables: the statement runs on the shell table first (the local engine checks
 * it), then on every placement of every shard, with shard names and per-shard object names
 * swapped in (`planner/shard-query.ts`), as Citus's DDL propagation does. One family per
 * statement kind:
 *
 *   CREATE INDEX      unique indexes must include the distribution column
 *   ALTER TABLE       ADD CONSTRAINT PRIMARY KEY/UNIQUE must include it; foreign keys must
 *                     point at a colocated or reference table
 *   TRUNCATE          every shard of every named table
 *   DROP TABLE        shards dropped, then the metadata rows
 *   DROP INDEX        an index of a Citus table: `<index>_<shardid>` on every placement
 *
 * Renames and SET SCHEMA are in `renames.ts`. The shard commands go to each node in one
 * message (`shard-command-batch.ts`) and run in one coordinated transaction
 * (`executor/tasks.ts`): all shards change or none. Outside a transaction block
 * the shell table's change and the metadata's join them in one transaction
 * (`ddl-transaction.ts`): when a shard refuses, the coordinator is left as it was too.
 */
import { SqlError, SqlState, oid, type ShardId } from "@tessera/base";
import type { PreparedStatement, StatementContext } from "@tessera/engine";
import { defaultExclusionName } from "@tessera/engine";
import type { ast } from "@tessera/sql";
import { shardNodes, type Cluster } from "../cluster.js";
import { preparedStatement } from "../executor/cursor.js";
import type { Task } from "../executor/tasks.js";
import { asOneTransaction } from "./ddl-transaction.js";
import { runShardCommands } from "./shard-command-batch.js";
import type { CitusTable } from "../metadata/metadata-cache.js";
import { quoteIdentifier, shardObjectName } from "../metadata/naming.js";
import { constraintError } from "../operations/create-table.js";
import {
  checkForeignKey, columnPositions, referencedNotCitus, type TableKind,
} from "./foreign-keys.js";
import { forgetTables, undoOnRollback } from "../operations/metadata-undo.js";
import { qualifiedShard, type ShellRelation } from "../operations/shard-ddl.js";
import type { Classification, TableRef } from "../planner/classify.js";
import { shardResolver } from "../planner/distributed-select.js";
import { unsupported } from "../planner/raw.js";
import { shardQueryText } from "../planner/shard-query.js";
import { refusePartitionCommands } from "./partition-ddl.js";

/** Prepares DDL that names Citus tables. */
export function prepareDistributedDdl(cluster: Cluster, stmt: ast.Node,
  classification: Classification): PreparedStatement {
  refusePartitionCommands(stmt);
  if ("TruncateStmt" in stmt) {
    return localThenShards(cluster, stmt, () => classification.citus.flatMap((ref) =>
      everyShard(cluster, ref.citus!,
        (id) => `TRUNCATE TABLE ${qualifiedShard(ref.relation, id)}`)));
  }
  const target = classification.citus.find((ref) => ref.position.endsWith("Stmt.relation"))
    ?? classification.citus[0]!;
  if ("AlterTableStmt" in stmt && target.position !== "AlterTableStmt.relation") {
    return localReferencingCitus(cluster, stmt.AlterTableStmt, classification);
  }
  if ("IndexStmt" in stmt) {
    if (stmt.IndexStmt.unique === true) checkIndexKeys(stmt.IndexStmt, target);
    return propagateToShards(cluster, stmt, classification, target);
  }
  if ("AlterTableStmt" in stmt) {
    for (const cmd of stmt.AlterTableStmt.cmds ?? []) {
      checkAlter(cluster, cmd, target, classification);
    }
    return propagateToShards(cluster, stmt, classification, target);
  }
  throw unsupported(`${Object.keys(stmt)[0] ?? "this statement"} on distributed tables is not ` +
    "supported yet");
}

/** DROP TABLE of Citus tables: local drop, metadata rows removed, shards dropped. */
export function prepareDistributedDrop(cluster: Cluster, stmt: ast.Node,
  dropped: readonly { relation: ShellRelation; table: CitusTable }[]): PreparedStatement {
  return ddlStatement(cluster, async (ctx) => {
    const tasks = dropped.flatMap(({ relation, table }) => everyShard(cluster, table,
      (id) => `DROP TABLE IF EXISTS ${qualifiedShard(relation, id)} CASCADE`));
    const tag = await runLocal(cluster, stmt, ctx);
    undoOnRollback(ctx, forgetTables(cluster,
      new Set(dropped.map((d) => d.table.partition.logicalrelid as number))));
    await runShardCommands(cluster, tasks, ctx);
    return tag;
  });
}

/**
 * DROP INDEX naming an index of a Citus table (the statement names the index, so the table
 * is found through the catalog), or undefined when it names none. As Citus, one such index
 * per statement.
 */
export function prepareIndexDrop(cluster: Cluster, stmt: ast.Node,
  path: readonly string[]): PreparedStatement | undefined {
  if (!("DropStmt" in stmt) || stmt.DropStmt.removeType !== "OBJECT_INDEX") return undefined;
  const drop = stmt.DropStmt;
  const names = (drop.objects ?? []).map((object) => ("List" in object
    ? (object.List.items ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : "")) : []));
  const found = names.flatMap((parts) => {
    const index = cluster.local.catalog.findIndex(path, parts.length > 1 ? parts.at(-2) : undefined,
      parts.at(-1) ?? "");
    const table = index === undefined ? undefined
      : cluster.metadata.cache.table(oid(index.relation.oid));
    return index === undefined || table === undefined ? [] : [{ ...index, table }];
  });
  const target = found[0];
  if (target === undefined) return undefined;
  if (names.length > 1) {
    throw new SqlError(SqlState.featureNotSupported,
      "cannot drop multiple distributed objects in a single command",
      { hint: "Try dropping each object in a separate DROP command." });
  }
  const schema = quoteIdentifier(target.relation.schema);
  const options = `${drop.concurrent === true ? "CONCURRENTLY " : ""}` +
    `${drop.missing_ok === true ? "IF EXISTS " : ""}`;
  const cascade = drop.behavior === "DROP_CASCADE" ? " CASCADE" : "";
  return localThenShards(cluster, stmt, () => everyShard(cluster, target.table, (id) =>
    `DROP INDEX ${options}${schema}.${quoteIdentifier(shardObjectName(target.index.name, id))}` +
    cascade));
}

/** The statement on the shell table, then on every shard of `target`. */
/** The statement on the shell table, then rewritten onto each shard of `target`. */
export function propagateToShards(cluster: Cluster, stmt: ast.Node,
  classification: Classification, target: TableRef): PreparedStatement {
  return localThenShards(cluster, stmt, () => {
    const table = target.citus!;
    return table.shards.flatMap((shard, index) => {
      const sql = shardQueryText(stmt, { resolveRelation: shardResolver(classification.citus,
        index), ddlShardId: shard.row.shardid });
      return shardNodes(cluster, shard).map((node): Task => ({ sql, params: [], node,
        shardId: shard.row.shardid }));
    });
  });
}

/**
 * The statement on the shell table, then `tasks` on the shards, as one transaction; CREATE
 * and DROP INDEX CONCURRENTLY excepted, which run outside transactions (on the nodes each
 * shard's command commits by itself, as Citus's, which may leave an INVALID index behind).
 */
function localThenShards(cluster: Cluster, stmt: ast.Node, tasks: () => Task[]):
  PreparedStatement {
  const concurrently = ("IndexStmt" in stmt && stmt.IndexStmt.concurrent === true) ||
    ("DropStmt" in stmt && stmt.DropStmt.concurrent === true);
  const work = async (ctx: StatementContext): Promise<string> => {
    const tag = await runLocal(cluster, stmt, ctx);
    await runShardCommands(cluster, tasks(), ctx, { grouped: !concurrently });
    return tag;
  };
  if (concurrently) {
    return preparedStatement(null, [], async (_params, ctx) =>
      ({ rows: [], commandTag: await work(ctx) }));
  }
  return ddlStatement(cluster, work);
}

/**
 * A DDL statement without rows whose work (local statement, shard commands, metadata)
 * commits or rolls back as one (`ddl-transaction.ts`); `work` returns the command tag.
 */
export function ddlStatement(cluster: Cluster,
  work: (ctx: StatementContext) => Promise<string>): PreparedStatement {
  return preparedStatement(null, [], async (_params, ctx) =>
    ({ rows: [], commandTag: await asOneTransaction(cluster.pools, ctx, work) }));
}

function everyShard(cluster: Cluster, table: CitusTable,
  sql: (id: ShardId) => string): Task[] {
  return table.shards.flatMap((shard) => shardNodes(cluster, shard).map((node): Task => ({
    sql: sql(shard.row.shardid), params: [], node, shardId: shard.row.shardid,
  })));
}

/** Runs a statement in the local engine and returns its command tag. */
export async function runLocal(cluster: Cluster, stmt: ast.Node,
  ctx: StatementContext): Promise<string> {
  const cursor = cluster.local.prepare(stmt, [], ctx).open([], ctx);
  try {
    const result = await cursor.fetch(0);
    return result.commandTag ?? "";
  } finally {
    cursor.close();
  }
}

function checkIndexKeys(index: ast.IndexStmt, target: TableRef): void {
  const column = target.citus?.distributionColumn?.name;
  if (column === undefined) return;
  const keys = (index.indexParams ?? []).map((p) => ("IndexElem" in p ? p.IndexElem.name : ""));
  if (!keys.includes(column)) {
    throw new SqlError(SqlState.featureNotSupported,
      "creating unique indexes on non-partition columns is currently unsupported");
  }
}

function checkAlter(cluster: Cluster, cmd: ast.Node, target: TableRef,
  classification: Classification): void {
  const constraint = addedConstraint(cmd);
  if (constraint === undefined) return;
  const column = target.citus?.distributionColumn?.name;
  if (constraint.contype === "CONSTR_PRIMARY" || constraint.contype === "CONSTR_UNIQUE") {
    const keys = (constraint.keys ?? []).map((k) => ("String" in k ? k.String.sval : ""));
    if (column !== undefined && !keys.includes(column)) throw constraintError(target.relation.name);
  }
  if (constraint.contype === "CONSTR_EXCLUSION") {
    if (column !== undefined && !excludesWithEquality(constraint, column)) {
      throw constraintError(target.relation.name);
    }
    // Named here, as Citus does, so every shard's constraint is <name>_<shardid>.
    constraint.conname ??= defaultExclusionName(cluster.local.catalog, target.relation,
      constraint);
  }
  if (constraint.contype === "CONSTR_FOREIGN") {
    checkForeignKey(cluster, foreignKeyShape(constraint, target, classification));
  }
}

/** True when an EXCLUDE constraint compares `column` with `=` (Citus's rule for EXCLUDE). */
function excludesWithEquality(constraint: ast.Constraint, column: string): boolean {
  return (constraint.exclusions ?? []).some((node) => {
    const items = "List" in node ? node.List.items ?? [] : [];
    const elem = items[0] !== undefined && "IndexElem" in items[0] ? items[0].IndexElem : null;
    const ops = items[1] !== undefined && "List" in items[1] ? items[1].List.items ?? [] : [];
    const op = ops.at(-1);
    return elem?.name === column && op !== undefined && "String" in op && op.String.sval === "=";
  });
}

/** ALTER TABLE ADD CONSTRAINT's constraint, or undefined for any other command. */
function addedConstraint(cmd: ast.Node): ast.Constraint | undefined {
  if (!("AlterTableCmd" in cmd)) return undefined;
  const def = cmd.AlterTableCmd.def;
  if (cmd.AlterTableCmd.subtype !== "AT_AddConstraint" || def === undefined) return undefined;
  return "Constraint" in def ? def.Constraint : undefined;
}

/** The foreign key an ALTER TABLE adds to `source`, in the shape the rules check. */
function foreignKeyShape(constraint: ast.Constraint, source: TableRef,
  classification: Classification): Parameters<typeof checkForeignKey>[1] {
  const referenced = classification.refs.find((r) => r.position === "Constraint.pktable" &&
    r.rangeVar.relname === constraint.pktable?.relname);
  if (referenced === undefined) throw referencedNotCitus(constraint.pktable?.relname ?? "");
  const table = source.citus;
  const column = (table?.distributionColumn?.attnum ?? 0) - 1;
  const kind: TableKind = table === undefined ? { kind: "local" }
    : table.kind === "hash" ? { kind: "hash", colocationId: table.partition.colocationid, column }
      : table.kind === "single-shard"
        ? { kind: "single-shard", colocationId: table.partition.colocationid }
        : { kind: "reference" };
  return {
    kind, referenced: referenced.relation,
    columns: columnPositions(source.relation, constraint.fk_attrs ?? []),
    refColumns: columnPositions(referenced.relation, constraint.pk_attrs ?? []),
    onDelete: constraint.fk_del_action ?? "a", onUpdate: constraint.fk_upd_action ?? "a",
  };
}

/**
 * ALTER TABLE on a local table that names a Citus table: a foreign key from a local table.
 * Only the local engine holds the local table, but the referenced rows live in shards.
 */
function localReferencingCitus(cluster: Cluster, stmt: ast.AlterTableStmt,
  classification: Classification): PreparedStatement {
  const source = classification.refs.find((r) => r.position === "AlterTableStmt.relation");
  for (const cmd of stmt.cmds ?? []) {
    const constraint = addedConstraint(cmd);
    if (source === undefined || constraint?.contype !== "CONSTR_FOREIGN") continue;
    checkForeignKey(cluster, foreignKeyShape(constraint, source, classification));
  }
  throw unsupported("foreign keys from local tables to reference tables are not supported yet",
    "Citus would add the local table to the metadata as a citus local table.");
}
