/**
 * Array operators and functions (PostgreSQL docs §9.19): containment and overlap, || and
 * array_cat/append/prepend, the shape functions (array_length, array_lower, array_upper,
 * array_dims, array_ndims, cardinality), array_remove/replace, array_position(s),
 * array_to_string and string_to_array, and `arraySubscript` for the expression compiler.
 * Elements compare with IS NOT DISTINCT FROM semantics where PostgreSQL says so.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { PgArray, Value } from "../types/value.js";
import type { CallInfo, EvalContext, OperatorDef, ScalarFunction } from "./defs.js";
import { fn, op, str } from "./builders.js";
import { compareValues } from "./compare.js";
import { emptyArray, makeArray, shapedArray } from "./array-util.js";
import { textOf } from "./string-format.js";
import { T, elementTypeOf } from "./type-oids.js";

const A = (v: Value): PgArray => v as PgArray;
const eq = (a: Value, b: Value, type: number): boolean =>
  a === null ? b === null : b !== null && compareValues(a, b, type) === 0;

/** Returns the element at 1-based (or declared-bound) subscripts, or null when out of range. */
export function arraySubscript(a: PgArray, subscripts: readonly number[]): Value {
  if (subscripts.length !== a.dims.length) return null;
  let offset = 0;
  for (let d = 0; d < a.dims.length; d++) {
    const i = (subscripts[d] ?? 0) - (a.lowerBounds[d] ?? 1);
    if (i < 0 || i >= (a.dims[d] ?? 0)) return null;
    offset = offset * (a.dims[d] ?? 0) + i;
  }
  return a.items[offset] ?? null;
}

function elementType(a: Value, call: CallInfo): number {
  return a !== null ? A(a).elementType : elementTypeOf(call.returnType);
}

export function arrayContains(a: PgArray, b: PgArray): boolean {
  return b.items.every(
    (x) => x !== null && a.items.some((y) => y !== null && eq(x, y, a.elementType)),
  );
}

export function arrayOverlaps(a: PgArray, b: PgArray): boolean {
  return b.items.some(
    (x) => x !== null && a.items.some((y) => y !== null && eq(x, y, a.elementType)),
  );
}

export function arrayOperators(): OperatorDef[] {
  const ca = T.anycompatiblearray;
  return [
    op("@>", T.anyarray, T.anyarray, T.bool, (l, r) => arrayContains(A(l), A(r)), {
      commutator: "<@",
    }),
    op("<@", T.anyarray, T.anyarray, T.bool, (l, r) => arrayContains(A(r), A(l)), {
      commutator: "@>",
    }),
    op("&&", T.anyarray, T.anyarray, T.bool, (l, r) => arrayOverlaps(A(l), A(r)), {
      commutator: "&&",
    }),
    // array_cat, array_append and array_prepend are not strict: `'{1}' || null::int` is {1,NULL}.
    op("||", ca, ca, ca, (l, r, _c, call) => arrayCat(l, r, call), { strict: false }),
    op("||", ca, T.anycompatible, ca, (l, r, _c, call) => arrayAppend(l, r, call), {
      strict: false,
    }),
    op("||", T.anycompatible, ca, ca, (l, r, _c, call) => arrayPrepend(l, r, call), {
      strict: false,
    }),
  ];
}

export function arrayFunctions(): ScalarFunction[] {
  const lax = { strict: false } as const;
  const ca = T.anycompatiblearray;
  return [
    fn(
      "array_append",
      [ca, T.anycompatible],
      ca,
      (a, _c, call) => arrayAppend(a[0] ?? null, a[1] ?? null, call),
      lax,
    ),
    fn(
      "array_prepend",
      [T.anycompatible, ca],
      ca,
      (a, _c, call) => arrayPrepend(a[0] ?? null, a[1] ?? null, call),
      lax,
    ),
    fn("array_cat", [ca, ca], ca, (a, _c, call) => arrayCat(a[0] ?? null, a[1] ?? null, call), lax),
    fn("array_length", [T.anyarray, T.int4], T.int4, (a) =>
      dimInfo(A(a[0] ?? null), a[1] as number, (d) => d),
    ),
    fn("array_lower", [T.anyarray, T.int4], T.int4, (a) =>
      dimInfo(A(a[0] ?? null), a[1] as number, (_d, lb) => lb),
    ),
    fn("array_upper", [T.anyarray, T.int4], T.int4, (a) =>
      dimInfo(A(a[0] ?? null), a[1] as number, (d, lb) => lb + d - 1),
    ),
    fn("array_ndims", [T.anyarray], T.int4, (a) => A(a[0] ?? null).dims.length || null),
    fn("array_dims", [T.anyarray], T.text, (a) => arrayDims(A(a[0] ?? null))),
    fn("cardinality", [T.anyarray], T.int4, (a) => A(a[0] ?? null).items.length),
    ...arraySearchFunctions(),
  ];
}

function arraySearchFunctions(): ScalarFunction[] {
  const lax = { strict: false } as const;
  const ca = T.anycompatiblearray;
  return [
    fn(
      "array_remove",
      [ca, T.anycompatible],
      ca,
      (a) => arrayRemove(A(a[0] ?? null), a[1] ?? null),
      lax,
    ),
    fn(
      "array_replace",
      [ca, T.anycompatible, T.anycompatible],
      ca,
      (a) => arrayReplace(A(a[0] ?? null), a[1] ?? null, a[2] ?? null),
      lax,
    ),
    fn("array_position", [ca, T.anycompatible], T.int4, (a) => positions(a, 1)[0] ?? null, lax),
    fn(
      "array_position",
      [ca, T.anycompatible, T.int4],
      T.int4,
      (a) => positions(a, 1)[0] ?? null,
      lax,
    ),
    fn(
      "array_positions",
      [ca, T.anycompatible],
      T.int4Array,
      (a) => (a[0] === null ? null : makeArray(T.int4, positions(a, Infinity))),
      lax,
    ),
    fn(
      "array_to_string",
      [T.anyarray, T.text],
      T.text,
      (a, c) => arrayToString(A(a[0] ?? null), str(a[1] ?? ""), null, c),
      { volatility: "s" },
    ),
    fn(
      "array_to_string",
      [T.anyarray, T.text, T.text],
      T.text,
      (a, c) =>
        a[0] === null || a[1] === null
          ? null
          : arrayToString(A(a[0] ?? null), str(a[1] ?? ""), a[2] as string | null, c),
      { strict: false, volatility: "s" },
    ),
    fn(
      "string_to_array",
      [T.text, T.text],
      T.textArray,
      (a) => stringToArray(a[0] ?? null, a[1] ?? null, null),
      lax,
    ),
    fn(
      "string_to_array",
      [T.text, T.text, T.text],
      T.textArray,
      (a) => stringToArray(a[0] ?? null, a[1] ?? null, a[2] ?? null),
      lax,
    ),
  ];
}

function dimInfo(a: PgArray, dim: number, f: (length: number, lower: number) => number): Value {
  const length = a.dims[dim - 1];
  if (length === undefined) return null;
  return f(length, a.lowerBounds[dim - 1] ?? 1);
}

function arrayDims(a: PgArray): Value {
  if (a.dims.length === 0) return null;
  return a.dims
    .map((d, i) => `[${a.lowerBounds[i] ?? 1}:${(a.lowerBounds[i] ?? 1) + d - 1}]`)
    .join("");
}

function oneDimensional(a: PgArray): void {
  if (a.dims.length > 1) {
    throw new SqlError(SqlState.dataException, "argument must be empty or one-dimensional array");
  }
}

function arrayAppend(arr: Value, elem: Value, call: CallInfo): Value {
  if (arr === null) return makeArray(elementType(arr, call), [elem]);
  const a = A(arr);
  oneDimensional(a);
  if (a.dims.length === 0) return makeArray(a.elementType, [elem]);
  return shapedArray(a.elementType, [a.items.length + 1], a.lowerBounds, [...a.items, elem]);
}

function arrayPrepend(elem: Value, arr: Value, call: CallInfo): Value {
  if (arr === null) return makeArray(elementType(arr, call), [elem]);
  const a = A(arr);
  oneDimensional(a);
  if (a.dims.length === 0) return makeArray(a.elementType, [elem]);
  return shapedArray(a.elementType, [a.items.length + 1], a.lowerBounds, [elem, ...a.items]);
}

function arrayCat(left: Value, right: Value, call: CallInfo): Value {
  void call;
  if (left === null) return right;
  if (right === null) return left;
  const a = A(left);
  const b = A(right);
  if (a.dims.length === 0) return b;
  if (b.dims.length === 0) return a;
  const shape = (x: PgArray, from: number): string =>
    `${x.dims.slice(from).join(",")}/${x.lowerBounds.slice(from).join(",")}`;
  const items = [...a.items, ...b.items];
  // As array_cat: the element arrays must agree in lengths and lower bounds.
  if (a.dims.length === b.dims.length) {
    if (shape(a, 1) !== shape(b, 1)) incompatible("Arrays with differing element dimensions");
    return shapedArray(a.elementType, [(a.dims[0] ?? 0) + (b.dims[0] ?? 0), ...a.dims.slice(1)],
      a.lowerBounds, items);
  }
  if (a.dims.length === b.dims.length + 1) {
    if (shape(a, 1) !== shape(b, 0)) incompatible("Arrays with differing dimensions");
    return shapedArray(a.elementType, [(a.dims[0] ?? 0) + 1, ...a.dims.slice(1)], a.lowerBounds,
      items);
  }
  if (b.dims.length === a.dims.length + 1) {
    if (shape(b, 1) !== shape(a, 0)) incompatible("Arrays with differing dimensions");
    return shapedArray(b.elementType, [(b.dims[0] ?? 0) + 1, ...b.dims.slice(1)], b.lowerBounds,
      items);
  }
  return incompatible(`Arrays of ${a.dims.length} and ${b.dims.length} dimensions`);
}

function incompatible(what: string): never {
  throw new SqlError(SqlState.arraySubscriptError, "cannot concatenate incompatible arrays", {
    detail: `${what} are not compatible for concatenation.`,
  });
}

function arrayRemove(a: PgArray | null, elem: Value): Value {
  if (a === null) return null;
  if (a.dims.length > 1) {
    throw new SqlError(SqlState.featureNotSupported,
      "removing elements from multidimensional arrays is not supported");
  }
  if (a.dims.length === 0) return a;
  const kept = a.items.filter((x) => !eq(x, elem, a.elementType));
  if (kept.length === a.items.length) return a;
  return shapedArray(a.elementType, [kept.length], a.lowerBounds, kept);
}

function arrayReplace(a: PgArray | null, from: Value, to: Value): Value {
  if (a === null) return null;
  if (a.dims.length === 0) return a;
  return shapedArray(
    a.elementType,
    a.dims,
    a.lowerBounds,
    a.items.map((x) => (eq(x, from, a.elementType) ? to : x)),
  );
}

function positions(args: Value[], limit: number): number[] {
  const a = args[0] === null || args[0] === undefined ? null : A(args[0]);
  if (a === null) return [];
  if (a.dims.length > 1) {
    throw new SqlError(
      SqlState.featureNotSupported,
      "searching for elements in multidimensional arrays is not supported",
    );
  }
  const lower = a.lowerBounds[0] ?? 1;
  const start = args.length > 2 ? (args[2] as number | null) : lower;
  if (start === null) {
    throw new SqlError(SqlState.nullValueNotAllowed, "initial position must not be null");
  }
  const found: number[] = [];
  for (let i = Math.max(0, start - lower); i < a.items.length && found.length < limit; i++) {
    if (eq(a.items[i] ?? null, args[1] ?? null, a.elementType)) found.push(i + lower);
  }
  return found;
}

function arrayToString(
  a: PgArray,
  delimiter: string,
  nullText: string | null,
  ctx: EvalContext,
): string {
  const parts: string[] = [];
  for (const x of a.items) {
    if (x !== null) parts.push(textOf(x, a.elementType, ctx));
    else if (nullText !== null) parts.push(nullText);
  }
  return parts.join(delimiter);
}

export function stringToArray(text: Value, delimiter: Value, nullText: Value): Value {
  if (text === null) return null;
  const s = str(text);
  if (s === "") return emptyArray(T.text);
  const parts =
    delimiter === null ? Array.from(s) : str(delimiter) === "" ? [s] : s.split(str(delimiter));
  return makeArray(
    T.text,
    parts.map((p) => (nullText !== null && p === nullText ? null : p)),
  );
}
