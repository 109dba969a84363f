/**
 * The statement context behind a function call. Engine functions see an EvalContext (no
 * notices, no catalog); the Citus functions need the statement's StatementContext to send
 * NOTICEs and run nested statements. The distributed engine records every statement's
 * context under its abort signal, which the EvalContext carries through.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { StatementContext } from "@tessera/engine";

const contexts = new WeakMap<AbortSignal, StatementContext>();

export function rememberContext(ctx: StatementContext): void {
  contexts.set(ctx.signal, ctx);
}

/** Returns the context of the statement that calls a function. */
export function contextOf(evalContext: { readonly signal: AbortSignal }): StatementContext {
  const ctx = contexts.get(evalContext.signal);
  if (ctx === undefined) {
    throw new SqlError(SqlState.internalError, "this function must be called through a session");
  }
  return ctx;
}

/** Sends a NOTICE with optional detail and hint. */
export function notice(ctx: StatementContext, message: string,
  fields: { detail?: string; hint?: string } = {}): void {
  ctx.notice(new SqlError(SqlState.successfulCompletion, message, { severity: "NOTICE",
    ...fields }));
}
