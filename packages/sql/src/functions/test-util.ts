/**
 * Helpers for this folder's unit tests: a fixed EvalContext, exact-signature lookups, and
 * calls that print results the way PostgreSQL would, so expectations are PostgreSQL's own
 * output pasted from psql.
 */
import type { Value } from "../types/value.js";
import type {
  AggregateFunction,
  CallInfo,
  EvalContext,
  ScalarFunction,
  SetReturningFunction,
  WindowRows,
  WindowFunction,
} from "./defs.js";
import { lookupFunction, lookupOperator } from "./registry.js";
import { valueToText } from "./text-out.js";
import { Decimal, dec } from "./decimal.js";
import { T } from "./type-oids.js";

export function testContext(settings: Record<string, string> = {}): EvalContext {
  let seed = 0.5;
  const all: Record<string, string> = {
    TimeZone: "UTC", DateStyle: "ISO, MDY", IntervalStyle: "postgres",
    extra_float_digits: "1", ...settings,
  };
  return {
    setting: (name) => {
      const v = all[name];
      if (v === undefined) throw new Error(`unrecognized configuration parameter "${name}"`);
      return v;
    },
    transactionStartMicros: 668_000_000_000_000n,
    statementStartMicros: 668_000_000_000_000n,
    random: () => (seed = (seed * 9301 + 0.49297) % 1),
    setSeed: (s) => {
      seed = Math.abs(s);
    },
    user: "tester",
    database: "postgres",
    signal: new AbortController().signal,
  };
}

const ctx = testContext();

function find<K extends "scalar" | "srf" | "aggregate" | "window">(
  name: string,
  argTypes: readonly number[],
  kind: K,
): Extract<
  ScalarFunction | SetReturningFunction | AggregateFunction | WindowFunction,
  { kind: K }
> {
  const def = lookupFunction(name).find(
    (f) =>
      f.kind === kind &&
      f.argTypes.length === argTypes.length &&
      f.argTypes.every((t, i) => t === argTypes[i]),
  );
  if (def === undefined) throw new Error(`no ${kind} ${name}(${argTypes.join(",")})`);
  return def as Extract<
    ScalarFunction | SetReturningFunction | AggregateFunction | WindowFunction,
    { kind: K }
  >;
}

/** Calls scalar function `name` with exactly `argTypes`; `actual` overrides CallInfo types. */
export function call(
  name: string,
  argTypes: readonly number[],
  args: Value[],
  actual?: readonly number[],
  context: EvalContext = ctx,
): Value {
  const def = find(name, argTypes, "scalar");
  if (def.strict && args.some((a) => a === null)) return null;
  return def.impl(args, context, { argTypes: actual ?? argTypes, returnType: def.returnType });
}

/** Calls and prints the result as PostgreSQL's text output. */
export function text(
  name: string,
  argTypes: readonly number[],
  args: Value[],
  actual?: readonly number[],
  context: EvalContext = ctx,
): string | null {
  const def = find(name, argTypes, "scalar");
  const v = call(name, argTypes, args, actual, context);
  return v === null
    ? null
    : valueToText(v, resultType(def.returnType, actual), context.setting("TimeZone"));
}

function resultType(declared: number, actual?: readonly number[]): number {
  return declared === T.anyelement || declared === T.anycompatible
    ? (actual?.[0] ?? declared)
    : declared;
}

/** Applies operator `name` to operands of types `left` and `right` and prints the result. */
export function opText(
  name: string,
  left: number,
  right: number,
  l: Value,
  r: Value,
  context: EvalContext = ctx,
): string | null {
  const def = lookupOperator(name).find((o) => o.left === left && o.right === right);
  if (def === undefined) throw new Error(`no operator ${name}(${left},${right})`);
  if ((left !== 0 && l === null) || r === null) return null;
  const v = def.impl(l, r, context, { argTypes: [left, right], returnType: def.result });
  return v === null ? null : valueToText(v, def.result, context.setting("TimeZone"));
}

/** Runs an aggregate over rows of arguments and prints the result. */
export function aggText(
  name: string,
  argTypes: readonly number[],
  rows: Value[][],
  directArgs: Value[] = [],
  actual?: readonly number[],
): string | null {
  const def = find(name, argTypes, "aggregate");
  const info: CallInfo = { argTypes: actual ?? argTypes, returnType: def.returnType };
  let state = def.stateInit(info);
  for (const row of rows) state = def.transition(state, row, info);
  const v = def.final(state, info, directArgs);
  const type = def.returnType === T.anyelement ? (actual?.[0] ?? T.text) : def.returnType;
  return v === null ? null : valueToText(v, type);
}

/** Runs a set-returning function and prints each row. */
export function srfText(
  name: string,
  argTypes: readonly number[],
  args: Value[],
  type: number,
): string[] {
  const def = find(name, argTypes, "srf");
  const rows = [...def.impl(args, ctx, { argTypes, returnType: def.returnType })];
  const types = def.outColumns?.map((c) => c.type) ?? [];
  return rows.map((r) =>
    Array.isArray(r) && types.length > 0
      ? (r as Value[]).map((v, i) => valueToText(v, types[i] ?? type)).join("|")
      : valueToText(r as Value, type),
  );
}

/** Runs a window function over one partition without ORDER BY peers (each row its own peer). */
export function windowResults(
  name: string,
  argTypes: readonly number[],
  column: Value[],
  extra: Value[] = [],
): Value[] {
  const def = find(name, argTypes, "window");
  return column.map((_v, row) => {
    const rows: WindowRows = {
      partitionRowCount: column.length,
      currentRow: row,
      peerStart: row,
      peerEnd: row + 1,
      peerGroupIndex: row,
      frameStart: 0,
      frameEnd: column.length,
      argAt: (r, i) => (i === 0 ? (column[r] ?? null) : (extra[i - 1] ?? null)),
    };
    return def.impl(rows, ctx, { argTypes, returnType: def.returnType });
  });
}

export const n = (s: string | number): Decimal => dec(s);
export { ctx as defaultContext };
