/**
 * Whether the current transaction is READ ONLY, as Postgres's XactReadOnly: inside a block,
 * `transaction_read_only` (BEGIN READ ONLY, SET TRANSACTION READ ONLY, or the session's
 * default_transaction_read_only when the block began); outside one, each statement's own
 * transaction takes default_transaction_read_only.
 */
import type { StatementContext } from "../api.js";

export function transactionIsReadOnly(ctx: StatementContext): boolean {
  const block = ctx.transaction;
  const inBlock = block !== undefined && block.status !== "I" && block.isTransactionBlock !== false;
  return ctx.setting(inBlock ? "transaction_read_only" : "default_transaction_read_only") === "on";
}
