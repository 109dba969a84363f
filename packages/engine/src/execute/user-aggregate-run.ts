/**
 * Running a user aggregate (CREATE AGGREGATE): the support calls `analyze/user-aggregate-call.ts`
 * bound are compiled here, once per plan node, into an AggregateDef the aggregation nodes
 * use like a built-in one (`agg.ts`, `agg-ordered.ts`, `window-agg.ts`).
 *
 * The state follows PostgreSQL's nodeAgg.c: it starts as INITCOND (or null); a strict
 * transition function skips rows with a null input, takes the first input itself as the
 * state when there is no INITCOND, and is no longer called once the state is null; a strict
 * final function gives null for a null state. Combining (coord_combine_agg) merges partial
 * states the same way with the COMBINEFUNC.
 */
import type { Row, Value } from "@tessera/sql";
import type { AggregateDef } from "../catalog/builtins.js";
import { inputValue, outputValue } from "../catalog/type-io.js";
import {
  isUserAggregateDef, type UserAggregatePlan,
} from "../analyze/user-aggregate-call.js";
import { compileExpr, type Compiled } from "./compile.js";
import type { Runtime } from "./runtime.js";

/** One group's transition state. */
interface State {
  value: Value;
  /** No value yet: a strict transition without INITCOND takes the next input as it. */
  unset: boolean;
}

/** `def` itself, or for a user aggregate its compiled form for running in `rt`. */
export function runnableAggregate(def: AggregateDef, rt: Runtime): AggregateDef {
  if (!isUserAggregateDef(def)) return def;
  const plan = def.plan;
  if (plan === undefined) throw new Error("a user aggregate is bound before it runs");
  const transition = compileExpr(plan.transition);
  const final = plan.final === null ? null : compileExpr(plan.final);
  const combine = plan.combine === null ? null : compileExpr(plan.combine);
  const extras: Value[] = new Array<Value>(plan.finalExtraCount).fill(null);
  const init = (): State => ({ value: plan.initValue, unset: !plan.hasInit });
  const advance = plan.mode === "combine"
    ? combiner(plan, combine!, rt)
    : (s: State, args: Value[]): State => step(s, args, plan.transitionStrict, transition, rt);
  const offset = plan.argOffset;
  return {
    ...def,
    stateInit: init,
    transition: (state: unknown, args: Value[]) =>
      advance(state as State, offset === 0 ? args : args.slice(offset)),
    final: (state: unknown) => finish(state as State, plan, final, extras, rt),
  };
}

/** Advances a state by one row's arguments, as advance_transition_function. */
function step(s: State, args: readonly Value[], strict: boolean, fn: Compiled,
  rt: Runtime): State {
  if (strict) {
    for (const a of args) if (a === null) return s;
    if (s.unset) {
      s.value = args[0] ?? null;
      s.unset = false;
      return s;
    }
    if (s.value === null) return s;
  }
  const row: Row = [s.value, ...args];
  s.value = fn(row, rt);
  s.unset = false;
  return s;
}

/** coord_combine_agg's transition: reads a partial state's text and combines it in. */
function combiner(plan: UserAggregatePlan, combine: Compiled, rt: Runtime):
  (s: State, args: Value[]) => State {
  return (s, args) => {
    const text = args[0] ?? null;
    const partial = text === null ? null
      : inputValue(plan.stateType, String(text), -1, rt.ctx);
    return step(s, [partial], plan.combineStrict, combine, rt);
  };
}

function finish(s: State, plan: UserAggregatePlan, final: Compiled | null,
  extras: readonly Value[], rt: Runtime): Value {
  const value = s.unset ? null : s.value;
  if (plan.mode === "partial") {
    return value === null ? null : outputValue(plan.stateType, value, rt.ctx);
  }
  if (final === null) return value;
  if (plan.finalStrict && (value === null || extras.length > 0)) return null;
  return final([value, ...extras], rt);
}
