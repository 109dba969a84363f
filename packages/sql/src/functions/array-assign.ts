/**
 * Assignment to array elements and slices, `UPDATE t SET a[2] = 9` and `SET a[2:3] = '{8,9}'`
 * (PostgreSQL's array_set_element and array_set_slice). A null or empty array becomes a new
 * array whose lower bounds are the subscripts; a one-dimensional array grows in either
 * direction, the gap filled with nulls; a multidimensional one must contain the subscripts:
 *
 *   '{1,2,3}' [5] := 9        ->  {1,2,3,NULL,9}
 *   '{1,2,3}' [-1] := 7       ->  [-1:3]={7,NULL,1,2,3}
 *   null      [2:3] := {8,9}  ->  [2:3]={8,9}
 */
import { SqlError, SqlState } from "@tessera/base";
import type { PgArray, Value } from "../types/value.js";
import type { SliceBounds } from "./array-slice.js";

/** Postgres's MAXDIM. */
const arrayDimsMax = 6;

/** Returns `a` with the element at `at` (one subscript per dimension) set to `value`. */
export function arraySetElement(a: PgArray | null, elementType: number,
  at: readonly (number | null)[], value: Value): PgArray {
  const index = checkSubscripts(at);
  if (a === null || a.dims.length === 0) {
    return shaped(elementType, index.map(() => 1), index, [value]);
  }
  if (a.dims.length !== index.length) throw subscriptError("wrong number of array subscripts");
  if (a.dims.length === 1) {
    const grown = grow1d(a, index[0]!, index[0]!);
    const items = [...grown.items];
    items[index[0]! - grown.lowerBounds[0]!] = value;
    return { ...grown, items };
  }
  if (!contains(a, index)) throw subscriptError("array subscript out of range");
  const items = [...a.items];
  items[offsetOf(a, index)] = value;
  return { ...a, items };
}

/**
 * Returns `a` with the slice `bounds` replaced by the leading elements of `source`, in
 * row-major order. A null source leaves `a` unchanged, as Postgres does.
 */
export function arraySetSlice(a: PgArray | null, elementType: number,
  bounds: readonly SliceBounds[], source: PgArray | null): PgArray | null {
  checkSubscripts(bounds.map(() => 0));
  if (source === null) return a;
  if (a === null || a.dims.length === 0) return sliceIntoEmpty(elementType, bounds, source);
  const ndim = a.dims.length;
  if (ndim < bounds.length) throw subscriptError("wrong number of array subscripts");
  const lows: number[] = [];
  const highs: number[] = [];
  for (let d = 0; d < ndim; d++) {
    const lb = a.lowerBounds[d]!;
    lows.push(bounds[d]?.lower ?? lb);
    highs.push(bounds[d]?.upper ?? lb + a.dims[d]! - 1);
    if (highs[d]! < lows[d]!) throw subscriptError("upper bound cannot be less than lower bound");
  }
  const target = ndim === 1 ? grow1d(a, lows[0]!, highs[0]!) : a;
  if (ndim > 1 && !(contains(a, lows) && contains(a, highs))) {
    throw subscriptError("array subscript out of range");
  }
  const count = lows.reduce((n, low, d) => n * (highs[d]! - low + 1), 1);
  if (source.items.length < count) throw subscriptError("source array too small");
  const items = [...target.items];
  let k = 0;
  forEachIndex(lows, highs, (index) => { items[offsetOf(target, index)] = source.items[k++]!; });
  return { ...target, items };
}

function sliceIntoEmpty(elementType: number, bounds: readonly SliceBounds[],
  source: PgArray): PgArray {
  const dims: number[] = [];
  const lows: number[] = [];
  for (const b of bounds) {
    if (b.lower === null || b.upper === null) {
      throw new SqlError(SqlState.arraySubscriptError,
        "array slice subscript must provide both boundaries", { detail: "When assigning to " +
          "a slice of an empty array value, slice boundaries must be fully specified." });
    }
    if (b.upper < b.lower) throw subscriptError("upper bound cannot be less than lower bound");
    dims.push(b.upper - b.lower + 1);
    lows.push(b.lower);
  }
  const count = dims.reduce((n, d) => n * d, 1);
  if (source.items.length < count) throw subscriptError("source array too small");
  return shaped(elementType, dims, lows, source.items.slice(0, count));
}

function checkSubscripts(at: readonly (number | null)[]): number[] {
  if (at.length > arrayDimsMax) {
    throw new SqlError(SqlState.programLimitExceeded, `number of array dimensions ` +
      `(${at.length}) exceeds the maximum allowed (${arrayDimsMax})`);
  }
  return at.map((i) => {
    if (i === null) {
      throw new SqlError(SqlState.nullValueNotAllowed,
        "array subscript in assignment must not be null");
    }
    return i;
  });
}

/** Extends a one-dimensional array with nulls so that it covers `low` through `high`. */
function grow1d(a: PgArray, low: number, high: number): PgArray {
  const lb = a.lowerBounds[0]!;
  const ub = lb + a.dims[0]! - 1;
  const newLow = Math.min(lb, low);
  const newHigh = Math.max(ub, high);
  if (newLow === lb && newHigh === ub) return a;
  const items: Value[] = new Array<Value>(newHigh - newLow + 1).fill(null);
  a.items.forEach((v, i) => { items[lb - newLow + i] = v; });
  return shaped(a.elementType, [items.length], [newLow], items);
}

function contains(a: PgArray, index: readonly number[]): boolean {
  return index.every((i, d) => i >= a.lowerBounds[d]! && i < a.lowerBounds[d]! + a.dims[d]!);
}

function offsetOf(a: PgArray, index: readonly number[]): number {
  let offset = 0;
  for (let d = 0; d < index.length; d++) {
    offset = offset * a.dims[d]! + (index[d]! - a.lowerBounds[d]!);
  }
  return offset;
}

/** Calls `fn` with every index from `lows` to `highs`, the last dimension fastest. */
function forEachIndex(lows: readonly number[], highs: readonly number[],
  fn: (index: readonly number[]) => void): void {
  const index = [...lows];
  for (;;) {
    fn(index);
    let d = index.length - 1;
    while (d >= 0 && index[d] === highs[d]) {
      index[d] = lows[d]!;
      d--;
    }
    if (d < 0) return;
    index[d] = index[d]! + 1;
  }
}

function shaped(elementType: number, dims: readonly number[], lowerBounds: readonly number[],
  items: readonly Value[]): PgArray {
  return { kind: "array", elementType, dims, lowerBounds, items };
}

function subscriptError(message: string): SqlError {
  return new SqlError(SqlState.arraySubscriptError, message);
}
