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
 */
import type { StatementContext } from "@tessera/engine";
import { blockOf } from "../connection/remote-transaction.js";

/** Runs `undo` if the transaction block of `ctx` discards the statement's work. */
export function undoOnRollback(ctx: StatementContext, undo: () => void): void {
  const block = blockOf(ctx);
  if (block === undefined) return;
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
}
