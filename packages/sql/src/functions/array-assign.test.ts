/**
 * Element and slice assignment (array_set_element, array_set_slice) against PostgreSQL 15.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { PgArray } from "../types/value.js";
import { makeArray, shapedArray } from "./array-util.js";
import { arraySetElement, arraySetSlice } from "./array-assign.js";
import { T } from "./type-oids.js";

const ints = (...xs: (number | null)[]): PgArray => makeArray(T.int4, xs);
const shape = (a: PgArray | null): unknown => a === null ? null
  : { dims: a.dims, lower: a.lowerBounds, items: a.items };

test("element assignment grows one-dimensional arrays with nulls", () => {
  assert.deepEqual(shape(arraySetElement(ints(1, 2, 3), T.int4, [5], 9)),
    { dims: [5], lower: [1], items: [1, 2, 3, null, 9] });
  assert.deepEqual(shape(arraySetElement(ints(1, 2, 3), T.int4, [-1], 7)),
    { dims: [5], lower: [-1], items: [7, null, 1, 2, 3] });
  assert.deepEqual(shape(arraySetElement(null, T.int4, [2], 5)),
    { dims: [1], lower: [2], items: [5] });
  assert.deepEqual(shape(arraySetElement(ints(), T.int4, [0], null)),
    { dims: [1], lower: [0], items: [null] });
});

test("element assignment into multidimensional arrays stays in range", () => {
  const grid = shapedArray(T.int4, [2, 2], [1, 1], [1, 2, 3, 4]);
  assert.deepEqual(arraySetElement(grid, T.int4, [2, 2], 40).items, [1, 2, 3, 40]);
  assert.throws(() => arraySetElement(grid, T.int4, [3, 1], 1), /array subscript out of range/);
  assert.throws(() => arraySetElement(grid, T.int4, [1], 1), /wrong number of array subscripts/);
  assert.throws(() => arraySetElement(grid, T.int4, [null, 1], 1), /must not be null/);
});

test("slice assignment", () => {
  assert.deepEqual(shape(arraySetSlice(null, T.int4, [{ lower: 2, upper: 3 }], ints(8, 9))),
    { dims: [2], lower: [2], items: [8, 9] });
  assert.deepEqual(arraySetSlice(ints(1, 2, 3), T.int4, [{ lower: 2, upper: null }],
    ints(7, 8, 9))?.items, [1, 7, 8]);
  assert.deepEqual(arraySetSlice(ints(1), T.int4, [{ lower: 3, upper: 4 }], ints(5, 6))?.items,
    [1, null, 5, 6]);
  assert.deepEqual(shape(arraySetSlice(ints(1, 2), T.int4, [{ lower: 1, upper: 2 }], null)),
    shape(ints(1, 2)));
  assert.throws(() => arraySetSlice(ints(1, 2), T.int4, [{ lower: 1, upper: 2 }], ints(1)),
    /source array too small/);
  assert.throws(() => arraySetSlice(ints(1, 2), T.int4, [{ lower: 2, upper: 1 }], ints(1)),
    /upper bound cannot be less than lower bound/);
  assert.throws(() => arraySetSlice(ints(), T.int4, [{ lower: null, upper: 1 }], ints(1)),
    /must provide both boundaries/);
});
