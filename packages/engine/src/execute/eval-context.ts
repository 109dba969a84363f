/**
 * The EvalContext built-in functions see, made per run from the session's StatementContext.
 * The random generator belongs to the session, so `setseed` holds across statements.
 */
import type { StatementContext } from "../api.js";
import type { EvalLike } from "../analyze/expr.js";

export function makeEvalContext(ctx: StatementContext): EvalLike {
  return {
    setting: (name) => ctx.setting(name),
    transactionStartMicros: ctx.transactionStartMicros,
    statementStartMicros: ctx.statementStartMicros,
    random: () => ctx.random(),
    setSeed: (seed) => ctx.setSeed(seed),
    user: ctx.user,
    database: ctx.database,
    // Read on use: the session makes a statement's abort signal only when asked for it.
    get signal(): AbortSignal {
      return ctx.signal;
    },
    backendPid: ctx.backendPid,
    ...(ctx.setSetting !== undefined && { setSetting: ctx.setSetting }),
  };
}
