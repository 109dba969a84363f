/**
 * Building and reading PgArrays (value.ts): one-dimensional constructors, and the checks the
 * array functions share.
 */
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
