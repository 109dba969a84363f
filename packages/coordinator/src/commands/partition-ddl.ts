/**
 * Declarative partitioning and Citus tables: refused, as a whole, until it can be right.
 *
 * Citus distributes a partitioned table together with its partitions (each shard of the
 * parent is a partitioned table on its node, with the partitions' shards of the same index
 * attached), so ATTACH PARTITION and DETACH PARTITION on a Citus table must reach every shard
 * pair. The engine has partitioned tables on one node (local tables on the coordinator work
 * as in PostgreSQL), but the distributed layer does not create partitioned shards yet:
 * running such a command on the shell table alone would leave the shards disagreeing with
 * it. This module turns every partition command that names a Citus table, on either side,
 * into 0A000, and refuses to distribute a partitioned table or a partition.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { ShellRelation } from "../operations/shard-ddl.js";
import { unsupported } from "../planner/raw.js";

/** The ALTER TABLE subcommands that attach or detach a partition, as PostgreSQL spells them. */
const partitionCommands: Readonly<Record<string, string>> = {
  AT_AttachPartition: "ALTER TABLE … ATTACH PARTITION",
  AT_DetachPartition: "ALTER TABLE … DETACH PARTITION",
  AT_DetachPartitionFinalize: "ALTER TABLE … DETACH PARTITION … FINALIZE",
};

/**
 * Throws 0A000 when an ALTER TABLE that names a Citus table (as its target or as the
 * partition) attaches or detaches a partition; returns for every other statement.
 */
export function refusePartitionCommands(stmt: ast.Node): void {
  if (!("AlterTableStmt" in stmt)) return;
  for (const cmd of stmt.AlterTableStmt.cmds ?? []) {
    if (!("AlterTableCmd" in cmd)) continue;
    const what = partitionCommands[cmd.AlterTableCmd.subtype ?? ""];
    if (what === undefined) continue;
    throw unsupported(`${what} is not supported on distributed tables`,
      "Tessera cannot distribute partitioned tables or their partitions yet.");
  }
}

/**
 * Throws 0A000 when `relation` is a partitioned table or a partition: create_distributed_table,
 * create_reference_table and their kin would give it plain shards, and its rows would no
 * longer follow the partitions.
 */
export function refuseDistributingPartitions(relation: ShellRelation,
  nameOf: (oid: number) => string | undefined): void {
  if (relation.partitionKey !== undefined) {
    throw new SqlError(SqlState.featureNotSupported,
      `cannot distribute partitioned table "${relation.name}"`,
      { detail: "Tessera cannot distribute partitioned tables or their partitions yet." });
  }
  if (relation.partitionOf !== undefined) {
    const parent = nameOf(relation.partitionOf.parentOid) ?? "?";
    throw new SqlError(SqlState.featureNotSupported,
      `cannot distribute relation "${relation.name}" which is partition of "${parent}"`,
      { detail: "Tessera cannot distribute partitioned tables or their partitions yet." });
  }
}
