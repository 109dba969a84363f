/**
 * Small factories that keep the definition tables short: `fn` for a scalar function (immutable
 * and strict unless told otherwise), `op` for an operator, `srf` for a set-returning function.
 */
import type { Value } from "../types/value.js";
import type {
  CallInfo,
  EvalContext,
  OperatorComparator,
  OperatorDef,
  OutColumn,
  ScalarFunction,
  ScalarImpl,
  SetReturningFunction,
  Volatility,
} from "./defs.js";

export interface FnOptions {
  strict?: boolean;
  volatility?: Volatility;
  variadic?: number;
  argNames?: readonly string[];
  /** Values of the trailing parameters that may be omitted; sets `defaultCount`. */
  defaults?: readonly Value[];
  keepsUnknown?: boolean;
}

export function fn(
  name: string,
  argTypes: readonly number[],
  returnType: number,
  impl: ScalarImpl,
  options: FnOptions = {},
): ScalarFunction {
  return Object.freeze({
    kind: "scalar",
    name,
    argTypes,
    returnType,
    impl,
    strict: options.strict ?? true,
    volatility: options.volatility ?? "i",
    ...(options.variadic === undefined ? {} : { variadic: options.variadic }),
    ...(options.argNames === undefined ? {} : { argNames: options.argNames }),
    ...(options.keepsUnknown === true ? { keepsUnknown: true } : {}),
    ...(options.defaults === undefined ? {}
      : { defaultCount: options.defaults.length, defaults: options.defaults }),
  });
}

export interface OpOptions {
  /** False for an operator whose function is not strict (array `||`). */
  strict?: boolean;
  negator?: string;
  commutator?: string;
  comparator?: OperatorComparator;
  /** Typed operands must match the declared types exactly (see OperatorDef). */
  exactOperands?: boolean;
}

export function op(
  name: string,
  left: number,
  right: number,
  result: number,
  impl: (l: Value, r: Value, ctx: EvalContext, call: CallInfo) => Value,
  options: OpOptions = {},
): OperatorDef {
  return Object.freeze({
    name,
    left,
    right,
    result,
    impl,
    strict: options.strict ?? true,
    ...(options.negator === undefined ? {} : { negator: options.negator }),
    ...(options.commutator === undefined ? {} : { commutator: options.commutator }),
    ...(options.comparator === undefined ? {} : { comparator: options.comparator }),
    ...(options.exactOperands === true ? { exactOperands: true } : {}),
  });
}

export function srf(
  name: string,
  argTypes: readonly number[],
  returnType: number,
  impl: (args: Value[], ctx: EvalContext, call: CallInfo) => Iterable<Value | Value[]>,
  options: FnOptions & { outColumns?: readonly OutColumn[] } = {},
): SetReturningFunction {
  return Object.freeze({
    kind: "srf",
    name,
    argTypes,
    returnType,
    impl,
    strict: options.strict ?? true,
    volatility: options.volatility ?? "i",
    ...(options.outColumns === undefined ? {} : { outColumns: options.outColumns }),
    ...(options.variadic === undefined ? {} : { variadic: options.variadic }),
    ...(options.argNames === undefined ? {} : { argNames: options.argNames }),
    ...(options.defaults === undefined ? {}
      : { defaultCount: options.defaults.length, defaults: options.defaults }),
  });
}

/** Narrowing helpers: the analyzer guarantees the types, these only tell TypeScript. */
export function num(v: Value): number {
  return v as number;
}
export function big(v: Value): bigint {
  return v as bigint;
}
export function str(v: Value): string {
  return v as string;
}
export function bool(v: Value): boolean {
  return v as boolean;
}
