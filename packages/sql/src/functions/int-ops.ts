/**
 * Integer arithmetic operators (+ - * / % and unary - + @, bitwise & | # ~ << >>) for int2,
 * int4 and int8, including the mixed-width pairs pg_operator lists (int4 + int8 and so on).
 *
 * int2 and int4 are JavaScript numbers and int8 is bigint (value.ts). Mixed pairs compute in
 * the wider type. Every result is range-checked and raises PostgreSQL's 22003
 * "integer out of range" (or smallint/bigint); a zero divisor raises 22012.
 */
import type { Value } from "../types/value.js";
import type { OperatorDef } from "./defs.js";
import { op } from "./builders.js";
import { divisionByZero, outOfRange } from "./errors.js";
import { T } from "./type-oids.js";

type IntType = typeof T.int2 | typeof T.int4 | typeof T.int8;
const intTypes: readonly IntType[] = [T.int2, T.int4, T.int8];

const names: Record<IntType, string> = { 21: "smallint", 23: "integer", 20: "bigint" };
const bounds: Record<IntType, [bigint, bigint]> = {
  21: [-32768n, 32767n],
  23: [-2147483648n, 2147483647n],
  20: [-(2n ** 63n), 2n ** 63n - 1n],
};

/** Returns `v` as a value of integer type `type`, or raises 22003 when it does not fit. */
export function toIntType(v: bigint, type: IntType): Value {
  const [lo, hi] = bounds[type];
  if (v < lo || v > hi) throw outOfRange(names[type]);
  return type === T.int8 ? v : Number(v);
}

function wider(a: IntType, b: IntType): IntType {
  return intTypes.indexOf(a) > intTypes.indexOf(b) ? a : b;
}

function asBig(v: Value): bigint {
  return typeof v === "bigint" ? v : BigInt(v as number);
}

type BigOp = (a: bigint, b: bigint) => bigint;

const arithmetic: readonly [string, BigOp][] = [
  ["+", (a, b) => a + b],
  ["-", (a, b) => a - b],
  ["*", (a, b) => a * b],
  [
    "/",
    (a, b) => {
      if (b === 0n) throw divisionByZero();
      return a / b;
    },
  ],
];

const sameTypeOnly: readonly [string, BigOp][] = [
  [
    "%",
    (a, b) => {
      if (b === 0n) throw divisionByZero();
      return a % b;
    },
  ],
  ["&", (a, b) => a & b],
  ["|", (a, b) => a | b],
  ["#", (a, b) => a ^ b],
];

/** Fast paths for int2 and int4, exact in doubles (products stay below 2^62). */
const numberOps: Record<string, (a: number, b: number) => number> = {
  "+": (a, b) => a + b,
  "-": (a, b) => a - b,
  "*": (a, b) => a * b,
  "/": (a, b) => {
    if (b === 0) throw divisionByZero();
    return Math.trunc(a / b);
  },
};

function checkNumber(v: number, type: IntType): number {
  const [lo, hi] = bounds[type];
  if (v < Number(lo) || v > Number(hi)) throw outOfRange(names[type]);
  return v === 0 ? 0 : v;
}

/** Returns the integer operator table. */
export function intOperators(): OperatorDef[] {
  const ops: OperatorDef[] = [];
  for (const left of intTypes) {
    for (const right of intTypes) {
      const result = wider(left, right);
      for (const [name, f] of arithmetic) {
        const commutator = name === "+" || name === "*" ? { commutator: name } : {};
        const fast = result === T.int8 ? undefined : numberOps[name];
        const impl =
          fast === undefined
            ? (l: Value, r: Value): Value => toIntType(f(asBig(l), asBig(r)), result)
            : (l: Value, r: Value): Value => checkNumber(fast(l as number, r as number), result);
        ops.push(op(name, left, right, result, impl, commutator));
      }
    }
    for (const [name, f] of sameTypeOnly) {
      ops.push(op(name, left, left, left, (l, r) => toIntType(f(asBig(l), asBig(r)), left)));
    }
    ops.push(...unaryAndShift(left));
  }
  return ops;
}

function unaryAndShift(type: IntType): OperatorDef[] {
  const shift =
    (f: (a: bigint, n: bigint) => bigint) =>
    (l: Value, r: Value): Value =>
      wrap(f(asBig(l), BigInt((r as number) & (type === T.int8 ? 63 : 31))), type);
  return [
    op("-", 0, type, type, (_l, r) => toIntType(-asBig(r), type)),
    op("+", 0, type, type, (_l, r) => r),
    op("@", 0, type, type, (_l, r) => toIntType(absBig(asBig(r)), type)),
    op("~", 0, type, type, (_l, r) => toIntType(~asBig(r), type)),
    op(
      "<<",
      type,
      T.int4,
      type,
      shift((a, n) => a << n),
    ),
    op(
      ">>",
      type,
      T.int4,
      type,
      shift((a, n) => a >> n),
    ),
  ];
}

function absBig(v: bigint): bigint {
  return v < 0n ? -v : v;
}

/** Wraps to the type's width, as C shifts do. */
function wrap(v: bigint, type: IntType): Value {
  const bits = type === T.int8 ? 64 : type === T.int4 ? 32 : 16;
  const wrapped = BigInt.asIntN(bits, v);
  return type === T.int8 ? wrapped : Number(wrapped);
}
