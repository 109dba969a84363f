/**
 * Interim operators and functions for the core types, used until `@tessera/sql` exports its
 * built-ins: comparisons, arithmetic, `||`, and count/sum/min/max/avg, enough to run the
 * engine's own tests. Integer overflow raises 22003 as Postgres does.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Value } from "@tessera/sql";
import { Oid } from "./types.js";
import { interimCompare } from "./interim-io.js";
import type { AggregateDef, FunctionDef, OperatorDef } from "./builtins.js";

const ops = new Map<string, OperatorDef[]>();
const fns = new Map<string, FunctionDef[]>();

function addOp(name: string, left: number, right: number, result: number,
  impl: (l: Value, r: Value) => Value): void {
  const list = ops.get(name) ?? [];
  list.push({ name, left, right, result, impl: (l, r) => impl(l, r) });
  ops.set(name, list);
}

function addFn(def: FunctionDef): void {
  const list = fns.get(def.name) ?? [];
  list.push(def);
  fns.set(def.name, list);
}

function overflow(type: string): SqlError {
  return new SqlError(SqlState.numericValueOutOfRange, `${type} out of range`);
}

function checkInt(type: number, n: number): number {
  const limit = type === Oid.int2 ? 32768 : 2147483648;
  if (n < -limit || n >= limit || !Number.isFinite(n)) {
    throw overflow(type === Oid.int2 ? "smallint" : "integer");
  }
  return n;
}

function zeroDivide(): SqlError {
  return new SqlError(SqlState.divisionByZero, "division by zero");
}

const compareOps: [string, (c: number) => boolean][] = [
  ["=", (c) => c === 0], ["<>", (c) => c !== 0], ["<", (c) => c < 0], ["<=", (c) => c <= 0],
  [">", (c) => c > 0], [">=", (c) => c >= 0],
];

for (const type of [Oid.int2, Oid.int4, Oid.int8, Oid.float8, Oid.float4, Oid.text,
  Oid.bool, Oid.bpchar, Oid.name, Oid.oid]) {
  const cmp = interimCompare(type);
  for (const [name, test] of compareOps) addOp(name, type, type, Oid.bool, (l, r) => test(cmp(l, r)));
}

for (const type of [Oid.int2, Oid.int4]) {
  addOp("+", type, type, type, (l, r) => checkInt(type, (l as number) + (r as number)));
  addOp("-", type, type, type, (l, r) => checkInt(type, (l as number) - (r as number)));
  addOp("*", type, type, type, (l, r) => checkInt(type, (l as number) * (r as number)));
  addOp("/", type, type, type, (l, r) => {
    if (r === 0) throw zeroDivide();
    return checkInt(type, Math.trunc((l as number) / (r as number)));
  });
  addOp("%", type, type, type, (l, r) => {
    if (r === 0) throw zeroDivide();
    return (l as number) % (r as number);
  });
  addOp("-", 0, type, type, (_l, r) => checkInt(type, -(r as number)));
}
const int8Max = 2n ** 63n;
const checkInt8 = (n: bigint): bigint => {
  if (n < -int8Max || n >= int8Max) throw overflow("bigint");
  return n;
};
addOp("+", Oid.int8, Oid.int8, Oid.int8, (l, r) => checkInt8((l as bigint) + (r as bigint)));
addOp("-", Oid.int8, Oid.int8, Oid.int8, (l, r) => checkInt8((l as bigint) - (r as bigint)));
addOp("*", Oid.int8, Oid.int8, Oid.int8, (l, r) => checkInt8((l as bigint) * (r as bigint)));
addOp("/", Oid.int8, Oid.int8, Oid.int8, (l, r) => {
  if (r === 0n) throw zeroDivide();
  return (l as bigint) / (r as bigint);
});
addOp("-", 0, Oid.int8, Oid.int8, (_l, r) => checkInt8(-(r as bigint)));
addOp("+", Oid.float8, Oid.float8, Oid.float8, (l, r) => (l as number) + (r as number));
addOp("-", Oid.float8, Oid.float8, Oid.float8, (l, r) => (l as number) - (r as number));
addOp("*", Oid.float8, Oid.float8, Oid.float8, (l, r) => (l as number) * (r as number));
addOp("/", Oid.float8, Oid.float8, Oid.float8, (l, r) => {
  if (r === 0) throw zeroDivide();
  return (l as number) / (r as number);
});
addOp("-", 0, Oid.float8, Oid.float8, (_l, r) => -(r as number));
addOp("||", Oid.text, Oid.text, Oid.text, (l, r) => (l as string) + (r as string));

const scalar = (name: string, argTypes: number[], returnType: number,
  impl: (args: Value[]) => Value): FunctionDef =>
  ({ kind: "scalar", name, argTypes, returnType, strict: true, volatility: "i", impl });
addFn(scalar("length", [Oid.text], Oid.int4, ([s]) => (s as string).length));
addFn(scalar("upper", [Oid.text], Oid.text, ([s]) => (s as string).toUpperCase()));
addFn(scalar("lower", [Oid.text], Oid.text, ([s]) => (s as string).toLowerCase()));
addFn(scalar("abs", [Oid.int4], Oid.int4, ([n]) => Math.abs(n as number)));
addFn(scalar("abs", [Oid.float8], Oid.float8, ([n]) => Math.abs(n as number)));

function aggregate<S>(def: Omit<AggregateDef<S>, "kind" | "volatility">): FunctionDef {
  return { kind: "aggregate", volatility: "i", ...def } as AggregateDef as FunctionDef;
}
addFn(aggregate<number>({ name: "count", argTypes: [], returnType: Oid.int8,
  stateInit: () => 0, transition: (s) => s + 1, final: (s) => BigInt(s) }));
addFn(aggregate<number>({ name: "count", argTypes: [Oid.any], returnType: Oid.int8,
  stateInit: () => 0, transition: (s, [v]) => (v === null ? s : s + 1),
  final: (s) => BigInt(s) }));
for (const type of [Oid.int2, Oid.int4]) {
  addFn(aggregate<bigint | null>({ name: "sum", argTypes: [type], returnType: Oid.int8,
    stateInit: () => null,
    transition: (s, [v]) => (v === null ? s : (s ?? 0n) + BigInt(v as number)),
    final: (s) => s }));
}
addFn(aggregate<number | null>({ name: "sum", argTypes: [Oid.float8], returnType: Oid.float8,
  stateInit: () => null, transition: (s, [v]) => (v === null ? s : (s ?? 0) + (v as number)),
  final: (s) => s }));
for (const type of [Oid.int4, Oid.int8, Oid.float8, Oid.text, Oid.int2]) {
  const cmp = interimCompare(type);
  for (const [name, sign] of [["min", -1], ["max", 1]] as const) {
    addFn(aggregate<Value>({ name, argTypes: [type], returnType: type,
      stateInit: () => null,
      transition: (s, [v]) => (v === null || v === undefined ? s
        : s === null || cmp(v, s) * sign > 0 ? v : s),
      final: (s) => s }));
  }
}
addFn(aggregate<[number, number]>({ name: "avg", argTypes: [Oid.float8],
  returnType: Oid.float8, stateInit: () => [0, 0],
  transition: (s, [v]) => (v === null ? s : [s[0] + (v as number), s[1] + 1]),
  final: (s) => (s[1] === 0 ? null : s[0] / s[1]) }));

export function interimFunctions(name: string): readonly FunctionDef[] {
  return fns.get(name) ?? [];
}

export function interimOperators(name: string): readonly OperatorDef[] {
  return ops.get(name) ?? [];
}
