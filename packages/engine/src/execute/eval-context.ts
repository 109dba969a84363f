/**
 * The EvalContext built-in functions see, made per run from the session's StatementContext.
 * `random()` uses Math.random until `setseed` switches the run to a seeded generator.
 */
import type { StatementContext } from "../api.js";
import type { EvalLike } from "../analyze/expr.js";

export function makeEvalContext(ctx: StatementContext): EvalLike {
  let seeded: (() => number) | null = null;
  return {
    setting: (name) => ctx.setting(name),
    transactionStartMicros: ctx.transactionStartMicros,
    statementStartMicros: ctx.statementStartMicros,
    random: () => (seeded === null ? Math.random() : seeded()),
    setSeed: (seed) => { seeded = mulberry32(Math.floor(seed * 0x7fffffff)); },
    user: ctx.user,
    database: ctx.database,
    signal: ctx.signal,
  };
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
