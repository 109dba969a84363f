/**
 * Multidimensional ARRAY constructors (Postgres's transformArrayExpr with `multidims`):
 * when the elements are themselves arrays, `ARRAY[[1, 2], [3, 4]]` is one int4[] of two
 * dimensions, not an array of arrays. The sub-arrays must share their dimensions; null
 * sub-arrays are skipped, as ExecEvalArrayExpr does.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { PgArray, Value } from "@tessera/sql";
import { typeInfo } from "../catalog/types.js";
import { coerceAll, commonType, coerceTo, type ParamTypes } from "./coerce.js";
import type { Expr } from "./expr.js";

/** True when the constructor's elements are arrays, so the result gains a dimension. */
export function isMultidimensional(elements: readonly Expr[]): boolean {
  return elements.some((e) => typeInfo(e.type).elem !== 0);
}

/** Builds ARRAY[sub, sub, …] of array-typed elements; `arrayHint` is a cast's array type. */
export function multidimensionalArray(raw: readonly Expr[], arrayHint: number,
  params: ParamTypes): Expr {
  const type = arrayHint !== 0 ? arrayHint : commonType(raw, "ARRAY");
  const args = arrayHint !== 0 ? raw.map((e) => coerceTo(e, type, -1, "e", params))
    : coerceAll(raw, type, "ARRAY", params);
  const elementType = typeInfo(type).elem;
  return { kind: "call", name: "array", operator: false, args, strict: false, volatile: false,
    type, typmod: -1, impl: (values) => stackArrays(values, elementType),
    deparse: (texts) => `ARRAY[${texts.join(", ")}]` };
}

/** Stacks sub-arrays of equal shape under a new leading dimension. */
export function stackArrays(values: readonly Value[], elementType: number): PgArray {
  const subs = values.filter((v): v is PgArray => v !== null && (v as PgArray).items.length > 0);
  if (subs.length === 0) {
    return { kind: "array", elementType, dims: [], lowerBounds: [], items: [] };
  }
  const first = subs[0]!;
  const same = (a: PgArray): boolean => a.dims.length === first.dims.length &&
    a.dims.every((d, i) => d === first.dims[i] && a.lowerBounds[i] === first.lowerBounds[i]);
  if (subs.length !== values.length || !subs.every(same)) {
    throw new SqlError(SqlState.arraySubscriptError,
      "multidimensional arrays must have array expressions with matching dimensions");
  }
  return { kind: "array", elementType, dims: [subs.length, ...first.dims],
    lowerBounds: [1, ...first.lowerBounds], items: subs.flatMap((a) => a.items) };
}
