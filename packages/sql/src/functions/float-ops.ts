/**
 * float4 and float8 arithmetic operators, with PostgreSQL's overflow and underflow checks
 * (float.h's float8_pl and friends): a finite computation that yields an infinity raises
 * "value out of range: overflow", one that yields zero from non-zero inputs raises
 * "value out of range: underflow", both 22003. float4 results round through Math.fround.
 */
import type { Value } from "../types/value.js";
import type { OperatorDef } from "./defs.js";
import { op } from "./builders.js";
import { divisionByZero, floatOverflow, floatUnderflow } from "./errors.js";
import { T } from "./type-oids.js";

/** Checks a float result as PostgreSQL's float_overflow_error/underflow checks do. */
export function checkFloat(result: number, inputsInfinite: boolean, zeroOk: boolean): number {
  if (!Number.isFinite(result) && !Number.isNaN(result) && !inputsInfinite) throw floatOverflow();
  if (result === 0 && !zeroOk) throw floatUnderflow();
  return result;
}

export function float8Add(a: number, b: number): number {
  return checkFloat(a + b, !Number.isFinite(a) || !Number.isFinite(b), true);
}

export function float8Sub(a: number, b: number): number {
  return checkFloat(a - b, !Number.isFinite(a) || !Number.isFinite(b), true);
}

export function float8Mul(a: number, b: number): number {
  return checkFloat(a * b, !Number.isFinite(a) || !Number.isFinite(b), a === 0 || b === 0);
}

export function float8Div(a: number, b: number): number {
  if (b === 0 && !Number.isNaN(a)) throw divisionByZero();
  return checkFloat(a / b, !Number.isFinite(a), a === 0 || !Number.isFinite(b));
}

const float8Ops: readonly [string, (a: number, b: number) => number][] = [
  ["+", float8Add],
  ["-", float8Sub],
  ["*", float8Mul],
  ["/", float8Div],
];

/** Returns the float operator table (float4/float8 in every pairing, unary - + @). */
export function floatOperators(): OperatorDef[] {
  const ops: OperatorDef[] = [];
  const pairs: readonly [number, number][] = [
    [T.float4, T.float4],
    [T.float8, T.float8],
    [T.float4, T.float8],
    [T.float8, T.float4],
  ];
  for (const [left, right] of pairs) {
    const result = left === T.float4 && right === T.float4 ? T.float4 : T.float8;
    for (const [name, f] of float8Ops) {
      const impl =
        result === T.float4
          ? (l: Value, r: Value): Value => float4Result(f(l as number, r as number), l, r)
          : (l: Value, r: Value): Value => f(l as number, r as number);
      const commutator = name === "+" || name === "*" ? { commutator: name } : {};
      ops.push(op(name, left, right, result, impl, commutator));
    }
  }
  for (const type of [T.float4, T.float8]) {
    ops.push(op("-", 0, type, type, (_l, r) => -(r as number)));
    ops.push(op("+", 0, type, type, (_l, r) => r));
    ops.push(op("@", 0, type, type, (_l, r) => Math.abs(r as number)));
  }
  return ops;
}

/** Rounds a float8 computation to float4 and checks float4's narrower range. */
export function float4Result(v: number, l: Value, r: Value): number {
  const rounded = Math.fround(v);
  const inputsInfinite = !Number.isFinite(l as number) || !Number.isFinite(r as number);
  if (!Number.isFinite(rounded) && !Number.isNaN(rounded) && !inputsInfinite) {
    throw floatOverflow();
  }
  if (rounded === 0 && v !== 0) throw floatUnderflow();
  return rounded;
}
