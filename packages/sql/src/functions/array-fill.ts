/**
 * trim_array and array_fill (PostgreSQL 15's arrayfuncs.c):
 *
 *   trim_array(array[1, 2, 3, 4], 2)       -> {1,2}
 *   array_fill(7, array[3])                -> {7,7,7}
 *   array_fill('x'::text, array[2, 2])     -> {{x,x},{x,x}}
 *   array_fill(0, array[2], array[5])      -> [5:6]={0,0}
 */
import { SqlError, SqlState } from "@tessera/base";
import type { PgArray, Value } from "../types/value.js";
import type { CallInfo, ScalarFunction } from "./defs.js";
import { fn, num } from "./builders.js";
import { emptyArray, shapedArray } from "./array-util.js";
import { T } from "./type-oids.js";

export function arrayFillFunctions(): ScalarFunction[] {
  return [
    fn("trim_array", [T.anyarray, T.int4], T.anyarray,
      (a) => trimArray(a[0] as PgArray, num(a[1] ?? 0))),
    fn("array_fill", [T.anyelement, T.int4Array], T.anyarray,
      (a, _ctx, call) => arrayFill(a[0] ?? null, a[1] ?? null, undefined, call),
      { strict: false }),
    fn("array_fill", [T.anyelement, T.int4Array, T.int4Array], T.anyarray,
      (a, _ctx, call) => arrayFill(a[0] ?? null, a[1] ?? null, a[2] ?? null, call),
      { strict: false }),
  ];
}

/** Drops the last `n` entries of the first dimension. */
function trimArray(a: PgArray, n: number): PgArray {
  const length = a.dims[0] ?? 0;
  if (n < 0 || n > length) {
    throw new SqlError(SqlState.arraySubscriptError,
      `number of elements to trim must be between 0 and ${length}`);
  }
  const perEntry = a.dims.slice(1).reduce((x, y) => x * y, 1);
  const kept = a.items.slice(0, (length - n) * perEntry);
  // As array_get_slice, the result counts from 1 whatever the input's lower bounds.
  return shapedArray(a.elementType, [length - n, ...a.dims.slice(1)], a.dims.map(() => 1), kept);
}

function arrayFill(value: Value, dims: Value, lowerBounds: Value | undefined,
  call: CallInfo): PgArray {
  if (dims === null || lowerBounds === null) {
    throw new SqlError(SqlState.nullValueNotAllowed,
      "dimension array or low bound array cannot be null");
  }
  const sizes = integers(dims as PgArray, "dimension values");
  const lows = lowerBounds === undefined ? sizes.map(() => 1)
    : integers(lowerBounds as PgArray, "low bound values");
  if (lows.length !== sizes.length) {
    throw new SqlError(SqlState.arraySubscriptError,
      "wrong number of array subscripts", {
        detail: "Low bound array has different size than dimensions array." });
  }
  const elementType = call.argTypes[0] ?? T.text;
  const count = sizes.reduce((x, y) => x * y, 1);
  if (sizes.length === 0 || count === 0) return emptyArray(elementType);
  return shapedArray(elementType, sizes, lows, Array.from({ length: count }, () => value));
}

function integers(a: PgArray, what: string): number[] {
  if (a.dims.length > 1) {
    throw new SqlError(SqlState.arraySubscriptError, "wrong number of array subscripts", {
      detail: "Dimension array must be one dimensional." });
  }
  return a.items.map((v) => {
    if (v === null) {
      throw new SqlError(SqlState.nullValueNotAllowed, `${what} cannot be null`);
    }
    return v as number;
  });
}
