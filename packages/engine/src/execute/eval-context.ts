/**
 * The EvalContext built-in functions see, made per run from the session's StatementContext.
 * The random generator belongs to the session, so `setseed` holds across statements.
 *
 * One object of one class per run (every statement makes one), of one shape, with no closures
 * made until a function asks for one: most statements call no function that needs it.
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
  /** The run this context belongs to, for calls that run statements (PL/pgSQL). */
  owner: unknown = undefined;

  // The functions are made on first use, once per run, and are bound: callers may pass them
  // on detached (`setseed` hands over `ctx.setSeed`).
  private settingFn: ((name: string) => string) | undefined = undefined;
  private randomFn: (() => number) | undefined = undefined;
  private setSeedFn: ((seed: number) => void) | undefined = undefined;

  constructor(private readonly ctx: StatementContext) {
    this.transactionStartMicros = ctx.transactionStartMicros;
    this.statementStartMicros = ctx.statementStartMicros;
    this.user = ctx.user;
    this.database = ctx.database;
    this.backendPid = ctx.backendPid;
    // Absent where the host keeps no session: set_config() then refuses.
    if (ctx.setSetting !== undefined) this.setSetting = ctx.setSetting;
  }

  get setting(): (name: string) => string {
    const ctx = this.ctx;
    return this.settingFn ??= (name) => ctx.setting(name);
  }

  get random(): () => number {
    const ctx = this.ctx;
    return this.randomFn ??= () => ctx.random();
  }

  get setSeed(): (seed: number) => void {
    const ctx = this.ctx;
    return this.setSeedFn ??= (seed) => ctx.setSeed(seed);
  }

  /** Read on use: the session makes a statement's abort signal only when asked for it. */
  get signal(): AbortSignal {
    return this.ctx.signal;
  }
}

export function makeEvalContext(ctx: StatementContext): EvalLike {
  return new StatementEvalContext(ctx);
}

/** Records the run (`Runtime`) an EvalContext belongs to; `evalContextOwner` reads it. */
export function setEvalContextOwner(ctx: EvalLike, owner: unknown): void {
  if (ctx instanceof StatementEvalContext) ctx.owner = owner;
}

export function evalContextOwner(ctx: EvalLike): unknown {
  return ctx instanceof StatementEvalContext ? ctx.owner : undefined;
}
