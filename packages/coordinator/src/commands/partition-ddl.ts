/**
 * Partition DDL that names Citus tables, as Citus propagates it. A distributed partitioned
 * table's shards are partitioned tables on their nodes, with the partitions' shards of the
 * same index attached (`operations/distribute-partitioned.ts`), so every partition command
 * runs on the shell tables first, then on every shard pair:
 *
 *   CREATE TABLE c PARTITION OF dist   c is distributed colocated with dist, shards attached
 *   ATTACH PARTITION local             the local table is distributed (rows copied), attached
 *   ATTACH PARTITION distributed       both must be colocated; ATTACH per shard pair
 *   DETACH PARTITION                   DETACH per shard pair; c stays a distributed table
 *   DROP TABLE dist                    the shards and metadata of every partition go too
 *   CALL drop_old_time_partitions(…)   `operations/time-partitions.ts`
 *
 * A local parent cannot take a distributed partition (Citus's error); DETACH … CONCURRENTLY
 * and FINALIZE, and partition commands mixed with other subcommands, are refused (0A000).
 */
import { SqlError, SqlState, oid } from "@tessera/base";
import { partitionsNow, type PreparedStatement } from "@tessera/engine";
import type { ast } from "@tessera/sql";
import type { Cluster } from "../cluster.js";
import type { CitusTable } from "../metadata/metadata-cache.js";
import { distributePartition, multiLevel, nodeBoundText, shardPairCommands } from
  "../operations/distribute-partitioned.js";
import type { ShellRelation } from "../operations/shard-ddl.js";
import { droppedCitusTables } from "../planner/classify.js";
import { unsupported } from "../planner/raw.js";
import { ddlStatement, prepareDistributedDrop, runLocal } from "./ddl.js";
import { runShardCommands } from "./shard-command-batch.js";
import { prepareTimePartitionCall } from "../operations/time-partitions.js";

/** The ALTER TABLE subcommands that attach or detach a partition, as PostgreSQL spells them. */
const partitionCommands: Readonly<Record<string, string>> = {
  AT_AttachPartition: "ALTER TABLE … ATTACH PARTITION",
  AT_DetachPartition: "ALTER TABLE … DETACH PARTITION",
  AT_DetachPartitionFinalize: "ALTER TABLE … DETACH PARTITION … FINALIZE",
};

/**
 * Throws 0A000 for a partition subcommand that reached the general DDL path: one mixed with
 * other subcommands of the same ALTER TABLE.
 */
export function refusePartitionCommands(stmt: ast.Node): void {
  if (!("AlterTableStmt" in stmt)) return;
  for (const cmd of stmt.AlterTableStmt.cmds ?? []) {
    if (!("AlterTableCmd" in cmd)) continue;
    const what = partitionCommands[cmd.AlterTableCmd.subtype ?? ""];
    if (what === undefined) continue;
    throw unsupported(`${what} on distributed tables must be the only subcommand`,
      "Run the partition command as an ALTER TABLE of its own.");
  }
}

/**
 * Prepares a partition command that names a Citus table (CREATE TABLE … PARTITION OF,
 * ATTACH/DETACH PARTITION, DROP TABLE of a distributed partitioned table); undefined for
 * every other statement.
 */
export function preparePartitionDdl(cluster: Cluster, stmt: ast.Node,
  pathOf: () => readonly string[]): PreparedStatement | undefined {
  if ("CallStmt" in stmt) return prepareTimePartitionCall(cluster, stmt.CallStmt);
  if (cluster.metadata.cache.tables().next().done === true) return undefined;
  if ("CreateStmt" in stmt) {
    if (stmt.CreateStmt.partbound !== undefined) {
      return preparePartitionOf(cluster, stmt.CreateStmt, pathOf());
    }
    refuseInheritingCitusTable(cluster, stmt.CreateStmt, pathOf());
    return undefined;
  }
  if ("AlterTableStmt" in stmt) {
    const partitioning = (stmt.AlterTableStmt.cmds ?? []).some((c) => "AlterTableCmd" in c &&
      partitionCommands[c.AlterTableCmd.subtype ?? ""] !== undefined);
    return partitioning ? prepareAttachDetach(cluster, stmt.AlterTableStmt, pathOf())
      : undefined;
  }
  if ("DropStmt" in stmt) {
    return stmt.DropStmt.removeType === "OBJECT_TABLE"
      ? prepareParentDrop(cluster, stmt, pathOf()) : undefined;
  }
  return undefined;
}

function findTable(cluster: Cluster, path: readonly string[],
  rv: ast.RangeVar | undefined): ShellRelation | undefined {
  if (rv === undefined) return undefined;
  return cluster.local.catalog.findRelation(path, rv.schemaname, rv.relname ?? "");
}

function citusTable(cluster: Cluster, relation: ShellRelation | undefined):
  CitusTable | undefined {
  return relation === undefined ? undefined : cluster.metadata.cache.table(oid(relation.oid));
}

/** CREATE TABLE … INHERITS (a Citus table): Citus's PostprocessCreateTableStmt refuses it. */
function refuseInheritingCitusTable(cluster: Cluster, create: ast.CreateStmt,
  path: readonly string[]): void {
  for (const node of create.inhRelations ?? []) {
    if (!("RangeVar" in node)) continue;
    const parent = findTable(cluster, path, node.RangeVar);
    // PostgreSQL refuses a partitioned parent first (42809), before Citus looks.
    if (parent?.partitionKey !== undefined || citusTable(cluster, parent) === undefined) {
      continue;
    }
    throw new SqlError(SqlState.internalError,
      "non-distributed tables cannot inherit distributed tables");
  }
}

/** CREATE TABLE … PARTITION OF a distributed table. */
function preparePartitionOf(cluster: Cluster, create: ast.CreateStmt,
  path: readonly string[]): PreparedStatement | undefined {
  const inherited = create.inhRelations?.[0];
  if (create.partbound === undefined || inherited === undefined || !("RangeVar" in inherited)) {
    return undefined;
  }
  const parent = findTable(cluster, path, inherited.RangeVar);
  if (citusTable(cluster, parent) === undefined || parent === undefined) return undefined;
  if (create.partspec !== undefined) {
    throw new SqlError(SqlState.featureNotSupported,
      "distributing multi-level partitioned tables is not supported",
      { detail: `Relation "${create.relation?.relname ?? ""}" is partitioned table itself and ` +
        `it is also partition of relation "${parent.name}".` });
  }
  return ddlStatement(cluster, async (ctx) => {
    const tag = await runLocal(cluster, { CreateStmt: create }, ctx);
    const child = findTable(cluster, path, create.relation);
    const parentTable = citusTable(cluster, parent);
    if (child !== undefined && parentTable !== undefined && citusTable(cluster, child) ===
      undefined) {
      await distributePartition(cluster, parentTable, child, ctx);
    }
    return tag;
  });
}

/** ALTER TABLE … ATTACH PARTITION / DETACH PARTITION naming a Citus table. */
function prepareAttachDetach(cluster: Cluster, alter: ast.AlterTableStmt,
  path: readonly string[]): PreparedStatement | undefined {
  const cmds = (alter.cmds ?? []).flatMap((c) => ("AlterTableCmd" in c ? [c.AlterTableCmd] : []));
  const cmd = cmds.find((c) => partitionCommands[c.subtype ?? ""] !== undefined);
  const def = cmd?.def;
  if (cmd === undefined || def === undefined || !("PartitionCmd" in def)) return undefined;
  const parent = findTable(cluster, path, alter.relation);
  const child = findTable(cluster, path, def.PartitionCmd.name);
  const parentTable = citusTable(cluster, parent);
  const childTable = citusTable(cluster, child);
  if (parentTable === undefined && childTable === undefined) return undefined;
  if (parent === undefined || child === undefined || (alter.cmds ?? []).length > 1) {
    return undefined;
  }
  const stmt: ast.Node = { AlterTableStmt: alter };
  if (cmd.subtype === "AT_AttachPartition") {
    if (parentTable === undefined) {
      // As Citus, after PostgreSQL's own checks: the local ATTACH runs, then is undone.
      return ddlStatement(cluster, async (ctx) => {
        await runLocal(cluster, stmt, ctx);
        throw new SqlError(SqlState.internalError,
          "non-distributed tables cannot have distributed partitions",
          { hint: `Distribute the partitioned table "${parent.name}" instead` });
      });
    }
    if (childTable === undefined) {
      if (child.partitionKey !== undefined) throw multiLevel(cluster, { ...child,
        partitionOf: { parentOid: parent.oid, bound: { kind: "default" } } });
      return ddlStatement(cluster, async (ctx) => {
        const tag = await runLocal(cluster, stmt, ctx);
        await distributePartition(cluster, parentTable, child, ctx);
        return tag;
      });
    }
    if (childTable.partition.colocationid !== parentTable.partition.colocationid) {
      throw new SqlError(SqlState.featureNotSupported,
        "distributed tables cannot have non-colocated distributed tables as a partition");
    }
    return ddlStatement(cluster, async (ctx) => {
      const tag = await runLocal(cluster, stmt, ctx);
      const bound = partitionBoundText(cluster, child);
      await runShardCommands(cluster, shardPairCommands(cluster, parentTable, childTable,
        (p, c) => `ALTER TABLE ${p} ATTACH PARTITION ${c} ${bound}`), ctx);
      return tag;
    });
  }
  if (cmd.subtype !== "AT_DetachPartition" || def.PartitionCmd.concurrent === true) {
    const what = cmd.subtype === "AT_DetachPartition" ? "DETACH PARTITION … CONCURRENTLY"
      : "DETACH PARTITION … FINALIZE";
    throw unsupported(`${what} is not supported on distributed tables`,
      "Detach the partition without CONCURRENTLY.");
  }
  return ddlStatement(cluster, async (ctx) => {
    const tag = await runLocal(cluster, stmt, ctx);
    // A Citus parent's partitions are Citus tables: the local DETACH refused any other pair.
    if (parentTable === undefined || childTable === undefined) {
      throw unsupported("DETACH PARTITION between a distributed and a local table");
    }
    await runShardCommands(cluster, shardPairCommands(cluster, parentTable, childTable,
      (p, c) => `ALTER TABLE ${p} DETACH PARTITION ${c}`), ctx);
    return tag;
  });
}

/** pg_get_expr(relpartbound) of an attached partition, read through the local engine. */
function partitionBoundText(cluster: Cluster, child: ShellRelation): string {
  const now = cluster.local.catalog.relation(child.oid);
  const parentOid = now?.partitionOf?.parentOid;
  const parent = parentOid === undefined ? undefined : cluster.local.catalog.relation(parentOid);
  if (now?.partitionOf === undefined || parent === undefined) {
    throw new SqlError(SqlState.internalError, `"${child.name}" is not a partition`);
  }
  return nodeBoundText(now.partitionOf.bound, parent);
}

/**
 * DROP TABLE of a distributed partitioned table: its partitions' shards and metadata go with
 * it (the nodes drop the partitions' shards with the parent's). Undefined when no dropped
 * Citus table has partitions: the general path handles it.
 */
function prepareParentDrop(cluster: Cluster, stmt: ast.Node & { DropStmt: ast.DropStmt },
  path: readonly string[]): PreparedStatement | undefined {
  const catalog = cluster.local.catalog;
  const dropped = droppedCitusTables(stmt.DropStmt, catalog, path, cluster.metadata.cache);
  const seen = new Set(dropped.map((d) => d.relation.oid));
  const all = [...dropped];
  for (let i = 0; i < all.length; i++) {
    const relation = all[i]!.relation;
    if (relation.partitionKey === undefined) continue;
    for (const child of partitionsNow(catalog, relation)) {
      const table = citusTable(cluster, child);
      if (table === undefined || seen.has(child.oid)) continue;
      seen.add(child.oid);
      all.push({ relation: child, table });
    }
  }
  if (all.length === dropped.length) return undefined;
  return prepareDistributedDrop(cluster, stmt, all);
}
