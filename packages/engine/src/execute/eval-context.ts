/**
 * The EvalContext built-in functions see, made per run from the session's StatementContext.
 * The random generator belongs to the session, so `setseed` holds across statements.
 *
 * One object of one class per run (every statement makes one): its methods live on the
 * prototype instead of being fresh closures, and every instance has the same shape.
 */
import type { StatementContext } from "../api.js";
import type { EvalLike } from "../analyze/expr.js";

class StatementEvalContext implements EvalLike {
  readonly transactionStartMicros: bigint;
  readonly statementStartMicros: bigint;
  readonly user: string;
  readonly database: string;
  readonly backendPid: number;
  readonly setSetting?: (name: string, value: string, local: boolean) => string;

  constructor(private readonly ctx: StatementContext) {
    this.transactionStartMicros = ctx.transactionStartMicros;
    this.statementStartMicros = ctx.statementStartMicros;
    this.user = ctx.user;
    this.database = ctx.database;
    this.backendPid = ctx.backendPid;
    // Absent where the host keeps no session: set_config() then refuses.
    if (ctx.setSetting !== undefined) this.setSetting = ctx.setSetting;
  }

  setting(name: string): string {
    return this.ctx.setting(name);
  }

  random(): number {
    return this.ctx.random();
  }

  setSeed(seed: number): void {
    this.ctx.setSeed(seed);
  }

  /** Read on use: the session makes a statement's abort signal only when asked for it. */
  get signal(): AbortSignal {
    return this.ctx.signal;
  }
}

export function makeEvalContext(ctx: StatementContext): EvalLike {
  return new StatementEvalContext(ctx);
}
