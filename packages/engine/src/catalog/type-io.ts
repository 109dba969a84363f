/**
 * Adapter between the engine and `@tessera/sql`'s type registry, casts, functions and
 * operators: the one file that names them, so the rest of the engine codes against a small,
 * stable surface (text in and out, comparison, hash keys, casts, built-in lookups).
 *
 * Until the registry lands this file carries interim implementations for the core types
 * (bool, integers, floats, strings); see `interim-io.ts`.
 */
import type { Value } from "@tessera/sql";
import { interimCast, interimCompare, interimInput, interimOutput } from "./interim-io.js";

/** Session settings the output of dates and floats depends on. */
export interface FormatSettings {
  setting(name: string): string;
}

export type CastContext = "i" | "a" | "e";

export interface CastDef {
  readonly context: CastContext;
  /** Converts a non-null value; `typmod` is the target's, -1 when none. */
  readonly fn: (v: Value, typmod: number, explicit: boolean) => Value;
}

export type Compare = (a: Value, b: Value) => number;

/** Prints a non-null value as Postgres's typoutput does. */
export function outputValue(type: number, v: Value, fmt: FormatSettings): string {
  return interimOutput(type, v, fmt);
}

/** Reads a value from its text form as typinput does (22P02 on bad input). */
export function inputValue(type: number, text: string, typmod: number): Value {
  return interimInput(type, text, typmod);
}

/** Returns the btree comparison of `type` for non-null values. */
export function compareFor(type: number): Compare {
  return interimCompare(type);
}

/** Returns a primitive standing for `v` in hash tables: equal values, equal keys. */
export function hashKeyOf(v: Value): unknown {
  if (v === null || typeof v !== "object") return v;
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? `${x}n` : x));
}

/** Returns the pg_cast entry from `source` to `target`, or undefined. */
export function findCastDef(source: number, target: number): CastDef | undefined {
  return interimCast(source, target);
}
