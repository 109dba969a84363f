/**
 * Building and reading PgArrays (value.ts): one-dimensional constructors, and the checks the
 * array functions share.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { PgArray, Value } from "../types/value.js";

/** Returns a one-dimensional array with lower bound 1; no items gives the empty array `{}`. */
export function makeArray(elementType: number, items: readonly Value[]): PgArray {
  if (items.length === 0) return emptyArray(elementType);
  return Object.freeze({
    kind: "array",
    elementType,
    dims: [items.length],
    lowerBounds: [1],
    items,
  });
}

export function emptyArray(elementType: number): PgArray {
  return Object.freeze({ kind: "array", elementType, dims: [], lowerBounds: [], items: [] });
}

/** Returns an array with the given shape; the caller guarantees items match dims. */
export function shapedArray(
  elementType: number,
  dims: readonly number[],
  lowerBounds: readonly number[],
  items: readonly Value[],
): PgArray {
  if (items.length === 0) return emptyArray(elementType);
  return Object.freeze({ kind: "array", elementType, dims, lowerBounds, items });
}

export function asArray(v: Value): PgArray {
  return v as PgArray;
}

/**
 * Stacks arrays of one shape into an array with one more dimension, as ARRAY(SELECT arr)
 * and array_agg(anyarray) accumulate them (PostgreSQL's accumArrayResultArr): null and empty
 * inputs and differing shapes are errors. No inputs give the empty array.
 */
export function accumulateArrays(elementType: number, values: readonly Value[]): PgArray {
  const arrays: PgArray[] = [];
  for (const v of values) {
    if (v === null) {
      throw new SqlError(SqlState.nullValueNotAllowed, "cannot accumulate null arrays");
    }
    const a = v as PgArray;
    if (a.dims.length === 0) {
      throw new SqlError(SqlState.arraySubscriptError, "cannot accumulate empty arrays");
    }
    const first = arrays[0];
    if (first !== undefined && a.dims.join(",") !== first.dims.join(",")) {
      throw new SqlError(SqlState.arraySubscriptError,
        "cannot accumulate arrays of different dimensionality");
    }
    arrays.push(a);
  }
  const first = arrays[0];
  if (first === undefined) return emptyArray(elementType);
  return shapedArray(elementType, [arrays.length, ...first.dims], [1, ...first.lowerBounds],
    arrays.flatMap((a) => a.items));
}
