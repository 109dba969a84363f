/**
 * The function and operator catalog the analyzer resolves overloads over: Postgres's pg_proc,
 * pg_aggregate and pg_operator. Definitions come from `@tessera/sql`'s built-ins plus the few
 * the engine registers itself because they touch engine state (nextval, currval, setval,
 * pg_backend_pid). The definition shapes are `@tessera/sql`'s (`functions/defs.ts`).
 */
import {
  lookupFunction, lookupOperator, type AggregateFunction, type FunctionDef, type OperatorDef,
  type ScalarFunction, type SetReturningFunction, type WindowFunction, type WindowRows,
} from "@tessera/sql";
import { operatorFunctionDefs } from "./operator-functions.js";

export type { CallInfo, FunctionDef, OperatorDef } from "@tessera/sql";
export type ScalarDef = ScalarFunction;
export type SrfDef = SetReturningFunction;
export type AggregateDef<S = unknown> = AggregateFunction<S>;
export type WindowDefLike = WindowFunction;
export type WindowRowsLike = WindowRows;

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

// int4pl, numeric_add, int4larger …: the functions behind operators (`operator-functions.ts`).
for (const def of operatorFunctionDefs()) registerEngineFunction(def);

/** Returns every function named `name` (lower case, unqualified). */
export function functionsNamed(name: string): readonly FunctionDef[] {
  const own = engineFunctions.get(name) ?? [];
  const shared = lookupFunction(name);
  return own.length === 0 ? shared : [...own, ...shared];
}

/** Returns every operator spelled `name`. */
export function operatorsNamed(name: string): readonly OperatorDef[] {
  const own = engineOperators.get(name) ?? [];
  const shared = lookupOperator(name);
  return own.length === 0 ? shared : [...own, ...shared];
}

/** Operators of types a database created (a user range type's @>, &&, = …), by name. */
const engineOperators = new Map<string, OperatorDef[]>();

/** Adds an operator of a created type. */
export function registerEngineOperator(def: OperatorDef): void {
  const others = (engineOperators.get(def.name) ?? [])
    .filter((d) => d.left !== def.left || d.right !== def.right);
  engineOperators.set(def.name, [...others, def]);
}

/** Removes the engine's functions and operators that mention one of `types` (DROP TYPE). */
export function unregisterEngineDefsOf(types: readonly number[]): void {
  const mentions = (oids: readonly number[]): boolean => oids.some((t) => types.includes(t));
  for (const [name, list] of engineFunctions) {
    const kept = list.filter((d) => !mentions([...d.argTypes, d.returnType]));
    if (kept.length === 0) engineFunctions.delete(name);
    else engineFunctions.set(name, kept);
  }
  for (const [name, list] of engineOperators) {
    const kept = list.filter((d) => !mentions([d.left, d.right, d.result]));
    if (kept.length === 0) engineOperators.delete(name);
    else engineOperators.set(name, kept);
  }
}
