/**
 * One transaction for a propagated DDL statement outside a transaction block, so that the
 * coordinator's own change (the shell table in the local engine, the pg_dist_* rows) and the
 * shards' change commit or roll back together, as Citus's coordinated transaction does:
 *
 *   1. the local engine runs the statement inside a block of the statement's own
 *      (`StatementBlock`): its catalog change is captured and not yet committed;
 *   2. the shard commands run all-or-nothing across the nodes (`connection/atomic-writes.ts`);
 *   3. when both succeeded the local transaction commits; when anything failed it rolls back
 *      (the catalog capture puts the shell table back) and the metadata changes registered
 *      with `undoOnRollback` (`operations/metadata-undo.ts`) are undone, in reverse order.
 *
 * Inside an explicit transaction block the statement needs nothing of this: the block's
 * DistributedTransaction holds the shards' change, its ROLLBACK undoes the shell table and,
 * through `undoOnRollback`, the metadata, and the session refuses further statements until
 * then. An implicit block (several statements in one simple query, or the Executes before a
 * Sync) has no DistributedTransaction until it runs such DDL (`joinImplicitBlock`); from then
 * on it is distributed like an explicit one, so `ALTER TABLE dist ADD COLUMN c int;
 * SELECT 1/0` leaves neither shell nor shards changed.
 *
 * Gap, as for transaction blocks (`connection/remote-transaction.ts`): the local commit
 * follows the nodes' commit, so a crash between the two keeps the shards' change only.
 */
import type {
  StatementContext, TransactionHandle, TransactionParticipant,
} from "@tessera/engine";
import type { ConnectionPools } from "../connection/pool.js";
import {
  DistributedTransaction, LocalView, isolationOf,
} from "../connection/remote-transaction.js";

/** The block a DDL statement outside any block runs in; the local engine attaches to it. */
class StatementBlock implements TransactionHandle {
  readonly status = "T";
  readonly savepointDepth = 0;
  participant: TransactionParticipant | undefined;
  private readonly undos: (() => void)[] = [];

  onRollback(undo: () => void): void {
    this.undos.push(undo);
  }

  async commit(synchronous: boolean): Promise<void> {
    const participant = this.participant;
    this.participant = undefined;
    await participant?.commit({ synchronous });
    this.undos.length = 0;
  }

  rollback(): void {
    const participant = this.participant;
    this.participant = undefined;
    try {
      participant?.rollback();
    } finally {
      for (const undo of this.undos.splice(0).reverse()) undo();
    }
  }
}

/**
 * Runs `work` (the local statement, the shard commands, the metadata changes) as one unit:
 * outside a transaction block in a block of its own, committed when `work` succeeds and
 * rolled back when it throws; inside a block as part of that block.
 */
export async function asOneTransaction<T>(pools: ConnectionPools, ctx: StatementContext,
  work: (ctx: StatementContext) => Promise<T>): Promise<T> {
  const handle = ctx.transaction;
  // An explicit block (seen through its LocalView) holds all of it; without a session block
  // (a host that keeps none) the engine has its own rules.
  if (handle === undefined || handle instanceof LocalView) return work(ctx);
  if (handle.status === "T" && (handle as { readonly implicit?: boolean }).implicit === true) {
    return work(joinImplicitBlock(pools, ctx, handle));
  }
  if (handle.status !== "I") return work(ctx);
  const block = new StatementBlock();
  const inner: StatementContext = { ...ctx, transaction: block };
  let result: T;
  try {
    result = await work(inner);
  } catch (error) {
    block.rollback();
    throw error;
  }
  try {
    await block.commit(synchronousCommit(ctx));
  } catch (error) {
    block.rollback();
    throw error;
  }
  return result;
}

/**
 * DDL in an implicit block makes it a distributed one, as BEGIN would: the block's
 * participant becomes a DistributedTransaction wrapping the local engine's, so the rest of
 * the block (DML too, `connection/remote-transaction.ts`'s `inBlock`) runs over the same
 * connections to the nodes, and the implicit block's end commits or rolls back all of it.
 */
function joinImplicitBlock(pools: ConnectionPools, ctx: StatementContext,
  handle: TransactionHandle): StatementContext {
  const attached = handle.participant;
  const distributed = attached instanceof DistributedTransaction ? attached
    : new DistributedTransaction(pools, ctx.backendPid, isolationOf(ctx), handle.savepointDepth,
      attached, (notice) => ctx.notice(notice));
  handle.participant = distributed;
  return { ...ctx, transaction: new LocalView(handle, distributed) };
}

/**
 * Registers `undo` with the statement's own block when `ctx` runs in one; returns false
 * when it does not (the caller then hooks the session's block, if any).
 */
export function undoWithStatement(ctx: StatementContext, undo: () => void): boolean {
  const block = ctx.transaction;
  if (!(block instanceof StatementBlock)) return false;
  block.onRollback(undo);
  return true;
}

function synchronousCommit(ctx: StatementContext): boolean {
  try {
    return ctx.setting("synchronous_commit") !== "off";
  } catch {
    return true;
  }
}
