/**
 * Metadata changes that follow their transaction block. The distribution metadata
 * (`metadata/metadata-store.ts`) changes at once, while the shell tables live in the local
 * engine's transaction and the shards in the block's remote transactions; so a
 * create_distributed_table, DROP TABLE or DROP SCHEMA inside `BEGIN … ROLLBACK` would leave
 * metadata rows for tables that no longer exist (or lose those of tables that do).
 *
 * `undoOnRollback` hooks the block's participant, as `session/schema-changes.ts` does: when
 * the block rolls back, or rolls back to a savepoint taken before the change, the undo runs
 * once. A savepoint released after the change moves the change into the enclosing one.
 *
 *     BEGIN; SAVEPOINT a; SELECT create_distributed_table(…); ROLLBACK TO a;   -> undone
 *     BEGIN; SELECT create_distributed_table(…); SAVEPOINT a; ROLLBACK TO a;   -> kept
 *
 * A DDL statement outside any block runs in a block of its own (`commands/ddl-transaction.ts`):
 * there the undo runs when the statement fails, after the change was made.
 */
import type { StatementContext } from "@tessera/engine";
import type { Cluster } from "../cluster.js";
import { undoWithStatement } from "../commands/ddl-transaction.js";
import { blockOf } from "../connection/remote-transaction.js";

/**
 * Runs `undo` if the transaction block of `ctx` (or its own) discards the statement's work.
 * False when `ctx` has no such block: the change is then the caller's to take back if the
 * statement fails after it.
 */
export function undoOnRollback(ctx: StatementContext, undo: () => void): boolean {
  if (undoWithStatement(ctx, undo)) return true;
  const block = blockOf(ctx);
  if (block === undefined) return false;
  // The change belongs to the savepoints that exist now: rolling back to any of them undoes it.
  let depth = ctx.transaction?.savepointDepth ?? 0;
  let pending = true;
  const run = (): void => {
    if (!pending) return;
    pending = false;
    undo();
  };
  const commit = block.commit.bind(block);
  const rollback = block.rollback.bind(block);
  const rollbackTo = block.rollbackTo.bind(block);
  const release = block.release.bind(block);
  block.commit = async (options): Promise<void> => {
    await commit(options);
    pending = false;
  };
  block.rollback = (): void => {
    try {
      rollback();
    } finally {
      run();
    }
  };
  block.rollbackTo = (at): void => {
    try {
      rollbackTo(at);
    } finally {
      if (at < depth) run();
    }
  };
  block.release = (at): void => {
    release(at);
    depth = Math.min(depth, at);
  };
  return true;
}

/**
 * Removes the metadata of dropped tables: partition, shard, placement and colocation rows.
 * Returns what puts the rows back, for a transaction block that rolls the drop back.
 */
export function forgetTables(cluster: Cluster, gone: ReadonlySet<number>): () => void {
  if (gone.size === 0) return () => undefined;
  const before = cluster.metadata.snapshot;
  cluster.metadata.update((state) => {
    const tables = state.tables.filter((t) => !gone.has(t.partition.logicalrelid));
    const shards = state.shards.filter((s) => !gone.has(s.logicalrelid));
    const kept = new Set(shards.map((s) => s.shardid as number));
    // A distributed schema keeps its group when its last table goes.
    const groups = new Set([...tables.map((t) => t.partition.colocationid),
      ...state.schemas.map((schema) => schema.colocationid)]);
    return { ...state, tables, shards,
      placements: state.placements.filter((p) => kept.has(p.shardid)),
      colocations: state.colocations.filter((c) => groups.has(c.colocationid)) };
  });
  const tables = before.tables.filter((t) => gone.has(t.partition.logicalrelid));
  const shards = before.shards.filter((s) => gone.has(s.logicalrelid));
  const ids = new Set(shards.map((s) => s.shardid as number));
  const placements = before.placements.filter((p) => ids.has(p.shardid));
  const groups = new Set(tables.map((t) => t.partition.colocationid));
  const colocations = before.colocations.filter((c) => groups.has(c.colocationid));
  return () => cluster.metadata.update((state) => {
    const has = new Set(state.colocations.map((c) => c.colocationid));
    return { ...state, tables: [...state.tables, ...tables],
      shards: [...state.shards, ...shards], placements: [...state.placements, ...placements],
      colocations: [...state.colocations, ...colocations.filter((c) => !has.has(c.colocationid))] };
  });
}
