/**
 * The operators and functions PostgreSQL declares on `anyenum`, made for one enum type when a
 * call names it: `=`, `<>`, `<`, `<=`, `>`, `>=` (enum_eq … enum_ge, ordered by the labels'
 * sort order), min and max, enum_first, enum_last and enum_range. Tessera has no anyenum
 * pseudo-type in overload resolution, so `expr-ops.ts` and `expr-call.ts` ask here first.
 */
import { makeArray, typeOf, type Value } from "@tessera/sql";
import type { AggregateDef, FunctionDef, OperatorDef } from "../catalog/builtins.js";
import { enumLabelOids } from "../catalog/enum-types.js";
import { Oid, typeInfo } from "../catalog/types.js";

const tests: Readonly<Record<string, (c: number) => boolean>> = {
  "=": (c) => c === 0, "<>": (c) => c !== 0, "<": (c) => c < 0, "<=": (c) => c <= 0,
  ">": (c) => c > 0, ">=": (c) => c >= 0,
};

function isEnum(type: number): boolean {
  return typeInfo(type).category === "E";
}

/** The comparison `left name right` when both are one enum type (or one is a literal). */
export function enumOperator(name: string, left: number | null, right: number):
  OperatorDef | undefined {
  const test = tests[name];
  if (test === undefined || left === null) return undefined;
  const type = isEnum(left) ? left : right;
  if (!isEnum(type)) return undefined;
  if ((left !== type && left !== Oid.unknown) || (right !== type && right !== Oid.unknown)) {
    return undefined;
  }
  const cmp = typeOf(type).compare;
  return { name, left: type, right: type, result: Oid.bool, strict: true,
    impl: (l, r) => test(cmp(l, r)), comparator: { cmp, test } };
}

/** The anyenum function `name` for these argument types, or undefined. */
export function enumFunction(name: string, argTypes: readonly number[]): FunctionDef | undefined {
  const type = argTypes[0];
  if (type === undefined || !isEnum(type)) return undefined;
  if (argTypes.length === 1 && (name === "min" || name === "max")) {
    return minMax(name, type) as unknown as FunctionDef;
  }
  const labels = (): number[] => enumLabelOids(type);
  if (argTypes.length === 1 && (name === "enum_first" || name === "enum_last")) {
    return { kind: "scalar", name, argTypes: [type], returnType: type, strict: false,
      volatility: "s", impl: () => {
        const all = labels();
        return (name === "enum_first" ? all[0] : all[all.length - 1]) ?? null;
      } };
  }
  if (name === "enum_range" && (argTypes.length === 1 ||
    (argTypes.length === 2 && (argTypes[1] === type || argTypes[1] === Oid.unknown)))) {
    const array = typeInfo(type).array;
    return { kind: "scalar", name, argTypes: argTypes.map(() => type), returnType: array,
      strict: false, volatility: "s", impl: (args) => {
        const cmp = typeOf(type).compare;
        const [low, high] = args.length === 2 ? [args[0] ?? null, args[1] ?? null] : [null, null];
        const items = labels().filter((v) => (low === null || cmp(v, low) >= 0) &&
          (high === null || cmp(v, high) <= 0));
        return makeArray(type, items);
      } };
  }
  return undefined;
}

interface Best {
  value: Value;
}

function minMax(name: "min" | "max", type: number): AggregateDef<Best> {
  const cmp = typeOf(type).compare;
  const sign = name === "min" ? 1 : -1;
  const better = (a: Value, b: Value): Value =>
    a === null ? b : b === null ? a : sign * cmp(b, a) < 0 ? b : a;
  return { kind: "aggregate", name, argTypes: [type], returnType: type, volatility: "i",
    stateInit: () => ({ value: null }),
    transition: (s, args) => {
      s.value = better(s.value, args[0] ?? null);
      return s;
    },
    transition1: (s, arg) => {
      s.value = better(s.value, arg);
      return s;
    },
    final: (s) => s.value,
    combine: (a, b) => ({ value: better(a.value, b.value) }) };
}
