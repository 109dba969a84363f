/**
 * A typed factory for aggregate definitions. Each aggregate keeps its own state shape `S`;
 * the registry stores them as `AggregateFunction<unknown>`, which only the aggregate's own
 * functions ever look inside, so the one cast lives here.
 */
import type { AggregateFunction, CallInfo, Volatility } from "./defs.js";
import type { Value } from "../types/value.js";

export interface AggregateSpec<S> {
  name: string;
  argTypes: readonly number[];
  returnType: number;
  init: (call: CallInfo) => S;
  step: (state: S, args: Value[], call: CallInfo) => S;
  /** The same transition for the one argument itself; must agree with `step`. */
  step1?: (state: S, arg: Value) => S;
  final: (state: S, call: CallInfo, directArgs: Value[]) => Value;
  combine?: (a: S, b: S) => S;
  orderedSet?: boolean;
  directArgTypes?: readonly number[];
  hypothetical?: -1 | 1;
  volatility?: Volatility;
}

export function agg<S>(spec: AggregateSpec<S>): AggregateFunction {
  const def: AggregateFunction<S> = Object.freeze({
    kind: "aggregate",
    name: spec.name,
    argTypes: spec.argTypes,
    returnType: spec.returnType,
    volatility: spec.volatility ?? "i",
    stateInit: spec.init,
    transition: spec.step,
    ...(spec.step1 === undefined ? {} : { transition1: spec.step1 }),
    final: spec.final,
    ...(spec.combine === undefined ? {} : { combine: spec.combine }),
    ...(spec.orderedSet === undefined ? {} : { orderedSet: spec.orderedSet }),
    ...(spec.directArgTypes === undefined ? {} : { directArgTypes: spec.directArgTypes }),
    ...(spec.hypothetical === undefined ? {} : { hypothetical: spec.hypothetical }),
  });
  return def as unknown as AggregateFunction;
}
