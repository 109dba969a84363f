/**
 * Declarative partitioning and Citus tables: refused, as a whole, until it can be right.
 *
 * Citus distributes a partitioned table together with its partitions (each shard of the
 * parent is a partitioned table on its node, with the partitions' shards of the same index
 * attached), so ATTACH PARTITION and DETACH PARTITION on a Citus table must reach every shard
 * pair. Tessera's engine has no partitioned tables yet (CREATE TABLE … PARTITION BY and
 * PARTITION OF are refused there), so no shard could be a partitioned table: running such a
 * command on the shell table alone would leave the shards disagreeing with it. This module
 * turns every partition command that names a Citus table, on either side, into 0A000.
 */
import type { ast } from "@tessera/sql";
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
