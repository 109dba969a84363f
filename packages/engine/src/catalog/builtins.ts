/**
 * The function and operator catalog the analyzer resolves overloads over: Postgres's pg_proc,
 * pg_aggregate and pg_operator. Definitions come from `@tessera/sql`'s built-ins plus the few
 * the engine registers itself because they touch engine state (nextval, currval, setval,
 * pg_backend_pid). The shapes mirror `@tessera/sql`'s `functions/defs.ts` structurally, so its
 * definitions pass through unchanged once it exports them.
 */
import type { Value } from "@tessera/sql";
import type { EvalLike } from "../analyze/expr.js";
import { lookupFunction, lookupOperator } from "@tessera/sql";

export interface CallInfo {
  readonly argTypes: readonly number[];
  readonly returnType: number;
}

interface Signature {
  readonly name: string;
  readonly argTypes: readonly number[];
  readonly variadic?: number;
  readonly returnType: number;
  readonly defaultCount?: number;
  readonly argNames?: readonly string[];
  readonly defaults?: readonly Value[];
  readonly volatility: "i" | "s" | "v";
}

export interface ScalarDef extends Signature {
  readonly kind: "scalar";
  readonly strict: boolean;
  readonly impl: (args: Value[], ctx: EvalLike, call: CallInfo) => Value;
}

export interface SrfDef extends Signature {
  readonly kind: "srf";
  readonly strict: boolean;
  readonly outColumns?: readonly { readonly name: string; readonly type: number }[];
  readonly impl: (args: Value[], ctx: EvalLike, call: CallInfo) => Iterable<Value | Value[]>;
}

export interface AggregateDef<S = unknown> extends Signature {
  readonly kind: "aggregate";
  readonly stateInit: (call: CallInfo) => S;
  readonly transition: (state: S, args: Value[], call: CallInfo) => S;
  readonly final: (state: S, call: CallInfo, directArgs: Value[]) => Value;
  readonly orderedSet?: boolean;
  /** Ordered-set aggregates: the types of the arguments before WITHIN GROUP. */
  readonly directArgTypes?: readonly number[];
  /** Hypothetical-set aggregates: where the direct arguments' row sorts among its peers. */
  readonly hypothetical?: -1 | 1;
}

export interface WindowRowsLike {
  readonly partitionRowCount: number;
  readonly currentRow: number;
  readonly peerStart: number;
  readonly peerEnd: number;
  readonly peerGroupIndex: number;
  readonly frameStart: number;
  readonly frameEnd: number;
  argAt(row: number, argIndex: number): Value;
}

export interface WindowDefLike extends Signature {
  readonly kind: "window";
  readonly impl: (rows: WindowRowsLike, ctx: EvalLike, call: CallInfo) => Value;
}

export type FunctionDef = ScalarDef | SrfDef | AggregateDef | WindowDefLike;

export interface OperatorDef {
  readonly name: string;
  readonly left: number;
  readonly right: number;
  readonly result: number;
  readonly impl: (l: Value, r: Value, ctx: EvalLike, call: CallInfo) => Value;
}

const engineFunctions = new Map<string, FunctionDef[]>();

/** Adds a function the engine implements itself (sequence functions and the like). */
export function registerEngineFunction(def: FunctionDef): void {
  const list = (engineFunctions.get(def.name) ?? []).filter((d) =>
    d.argTypes.length !== def.argTypes.length || d.argTypes.some((t, i) => t !== def.argTypes[i]));
  list.push(def);
  engineFunctions.set(def.name, list);
}

/** Every function the engine registered itself, for pg_proc. */
export function allEngineFunctions(): FunctionDef[] {
  return [...engineFunctions.values()].flat();
}

/** Returns every function named `name` (lower case, unqualified). */
export function functionsNamed(name: string): readonly FunctionDef[] {
  const own = engineFunctions.get(name) ?? [];
  const shared = lookupFunction(name) as readonly FunctionDef[];
  return own.length === 0 ? shared : [...own, ...shared];
}

/** Returns every operator spelled `name`. */
export function operatorsNamed(name: string): readonly OperatorDef[] {
  return lookupOperator(name) as readonly OperatorDef[];
}
