/**
 * Array slices, `a[2:3]` and `m[1:2][2:]` (PostgreSQL's array_get_slice). Bounds are clamped
 * to the array's own; a bound left out means the array's bound, and dimensions past the last
 * subscript are taken whole. The result always has lower bounds 1, and a range that selects
 * nothing gives the empty array:
 *
 *   '[0:3]={a,b,c,d}'::text[] [1:9]  ->  {b,c,d}      '{{1,2},{3,4}}'[2:2]  ->  {{3,4}}
 */
import type { PgArray, Value } from "../types/value.js";
import { emptyArray, shapedArray } from "./array-util.js";

/** One slice subscript; null stands for an omitted bound. */
export interface SliceBounds {
  readonly lower: number | null;
  readonly upper: number | null;
}

/** Returns the slice of `a` that `bounds` (one per leading dimension) selects. */
export function arraySlice(a: PgArray, bounds: readonly SliceBounds[]): PgArray {
  const ndim = a.dims.length;
  if (ndim === 0 || ndim < bounds.length) return emptyArray(a.elementType);
  const lows: number[] = [];
  const highs: number[] = [];
  for (let d = 0; d < ndim; d++) {
    const lb = a.lowerBounds[d] ?? 1;
    const ub = lb + (a.dims[d] ?? 0) - 1;
    const b = bounds[d];
    const low = b?.lower ?? lb;
    const high = b?.upper ?? ub;
    lows.push(Math.max(low, lb));
    highs.push(Math.min(high, ub));
    if (lows[d]! > highs[d]!) return emptyArray(a.elementType);
  }
  const dims = lows.map((low, d) => highs[d]! - low + 1);
  const items: Value[] = [];
  const index = [...lows];
  for (;;) {
    items.push(a.items[offsetOf(a, index)] ?? null);
    let d = ndim - 1;
    while (d >= 0 && index[d] === highs[d]) {
      index[d] = lows[d]!;
      d--;
    }
    if (d < 0) break;
    index[d] = index[d]! + 1;
  }
  return shapedArray(a.elementType, dims, dims.map(() => 1), items);
}

function offsetOf(a: PgArray, index: readonly number[]): number {
  let offset = 0;
  for (let d = 0; d < index.length; d++) {
    offset = offset * (a.dims[d] ?? 0) + (index[d]! - (a.lowerBounds[d] ?? 1));
  }
  return offset;
}
