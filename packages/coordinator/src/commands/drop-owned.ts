/**
 * DROP OWNED BY on the coordinator, for the Citus tables it drops: the local engine drops the
 * shell tables with the rest of the roles' objects, and each Citus table whose shell went
 * then loses its metadata rows and its shards, as DROP TABLE of it does (`ddl.ts`). The
 * metadata comes back if the transaction rolls back; the shards are dropped in the
 * coordinated transaction, so they do too.
 */
import type { StatementContext } from "@tessera/engine";
import { shardNodes, type Cluster } from "../cluster.js";
import type { Task } from "../executor/tasks.js";
import { forgetTables, undoOnRollback } from "../operations/metadata-undo.js";
import { qualifiedShard } from "../operations/shard-ddl.js";
import { runShardCommands } from "./shard-command-batch.js";

/** Runs the local DROP OWNED (`runLocal`), then drops the shards of the Citus tables it took. */
export async function dropOwnedWithShards(cluster: Cluster, ctx: StatementContext,
  runLocal: () => Promise<string>): Promise<string> {
  const catalog = cluster.local.catalog;
  const before = [...cluster.metadata.cache.tables()].flatMap((table) => {
    const relation = catalog.relation(table.partition.logicalrelid);
    return relation === undefined ? [] : [{ table, relation }];
  });
  const tag = await runLocal();
  const gone = before.filter(({ table }) =>
    catalog.relation(table.partition.logicalrelid) === undefined);
  if (gone.length === 0) return tag;
  undoOnRollback(ctx, forgetTables(cluster,
    new Set(gone.map(({ table }) => table.partition.logicalrelid as number))));
  const tasks = gone.flatMap(({ table, relation }) => table.shards.flatMap((shard) =>
    shardNodes(cluster, shard).map((node): Task => ({
      sql: `DROP TABLE IF EXISTS ${qualifiedShard(relation, shard.row.shardid)} CASCADE`,
      params: [], node, shardId: shard.row.shardid,
    }))));
  await runShardCommands(cluster, tasks, ctx);
  return tag;
}
