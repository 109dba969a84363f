/**
 * Functions and operators of the range types (PostgreSQL's rangetypes.c), declared once per
 * range type instead of over `anyrange`:
 *
 *   int4range(1, 5) -> [1,5)     int4range(1, 5, '[]') -> [1,6)    numrange(NULL, 2.5) -> (,2.5)
 *   lower, upper, isempty, lower_inc, upper_inc, lower_inf, upper_inf, range_merge
 *   @> <@ (range or element)  &&  <<  >>  &<  &>  -|-  + (union)  * (intersection)  - (difference)
 *
 * A NULL bound given to a constructor is an infinite one. Ordering (= < …) is the types' own
 * comparison (`comparison.ts`). The element operators take their element without implicit
 * casts (`exactOperands`), as PostgreSQL's anyrange @> anyelement: `int8range @> 5` has none.
 */
import { SqlError, SqlState } from "@tessera/base";
import { TypeOid } from "../types/oids.js";
import {
  compareBounds, emptyRange, intersectRanges, lowerBound, makeRange, rangesAdjacent,
  rangesOverlap, spanRanges, upperBound, type RangeBound, type RangeSubtype,
} from "../types/range.js";
import { rangeSubtypeOf, rangeSubtypeOid } from "../types/registry.js";
import type { PgRange, Value } from "../types/value.js";
import { fn, op } from "./builders.js";
import type { FunctionDef, OperatorDef } from "./defs.js";

/** The range types, each with its subtype. */
export const rangeTypes: readonly number[] = [TypeOid.int4range, TypeOid.int8range,
  TypeOid.numrange, TypeOid.tsrange, TypeOid.tstzrange, TypeOid.daterange];

const boolOid = TypeOid.bool;
const textOid = TypeOid.text;

const typeNames: Readonly<Record<number, string>> = {
  [TypeOid.int4range]: "int4range", [TypeOid.int8range]: "int8range",
  [TypeOid.numrange]: "numrange", [TypeOid.tsrange]: "tsrange",
  [TypeOid.tstzrange]: "tstzrange", [TypeOid.daterange]: "daterange",
};

export function rangeFunctions(): FunctionDef[] {
  return rangeTypes.flatMap((range) => rangeFunctionsFor(range, typeNames[range]!));
}

/** The functions of one range type named `name` (CREATE TYPE … AS RANGE uses this too). */
export function rangeFunctionsFor(range: number, name: string): FunctionDef[] {
  const subtype = rangeSubtypeOid(range)!;
  const sub = (): RangeSubtype => rangeSubtypeOf(range);
  const make = (args: Value[]): Value => construct(range, sub(), args);
  const r = (v: Value): PgRange => v as PgRange;
  return [
    fn(name, [subtype, subtype], range, make, { strict: false }),
    fn(name, [subtype, subtype, textOid], range, make, { strict: false }),
    fn("lower", [range], subtype, ([v]) =>
      (r(v!).empty || r(v!).lowerInf ? null : r(v!).lower)),
    fn("upper", [range], subtype, ([v]) =>
      (r(v!).empty || r(v!).upperInf ? null : r(v!).upper)),
    fn("isempty", [range], boolOid, ([v]) => r(v!).empty),
    fn("lower_inc", [range], boolOid, ([v]) => !r(v!).empty && r(v!).lowerInc),
    fn("upper_inc", [range], boolOid, ([v]) => !r(v!).empty && r(v!).upperInc),
    fn("lower_inf", [range], boolOid, ([v]) => !r(v!).empty && r(v!).lowerInf),
    fn("upper_inf", [range], boolOid, ([v]) => !r(v!).empty && r(v!).upperInf),
    fn("range_merge", [range, range], range, ([a, b]) => merge(sub(), r(a!), r(b!), false)),
  ];
}

export function rangeOperators(): OperatorDef[] {
  return rangeTypes.flatMap(rangeOperatorsFor);
}

/** The operators of one range type (CREATE TYPE … AS RANGE uses this too). */
export function rangeOperatorsFor(range: number): OperatorDef[] {
  const subtype = rangeSubtypeOid(range)!;
  const sub = (): RangeSubtype => rangeSubtypeOf(range);
  const pair = (name: string, result: number,
    impl: (s: RangeSubtype, a: PgRange, b: PgRange) => Value): OperatorDef =>
    op(name, range, range, result, (a, b) => impl(sub(), a as PgRange, b as PgRange));
  return [
    pair("@>", boolOid, containsRange),
    pair("<@", boolOid, (s, a, b) => containsRange(s, b, a)),
    op("@>", range, subtype, boolOid, (a, e) => containsElement(sub(), a as PgRange, e),
      { exactOperands: true }),
    op("<@", subtype, range, boolOid, (e, a) => containsElement(sub(), a as PgRange, e),
      { exactOperands: true }),
    pair("&&", boolOid, overlaps),
    pair("<<", boolOid, (s, a, b) => !a.empty && !b.empty &&
      compareBounds(s, upperBound(a), lowerBound(b)) < 0),
    pair(">>", boolOid, (s, a, b) => !a.empty && !b.empty &&
      compareBounds(s, lowerBound(a), upperBound(b)) > 0),
    pair("&<", boolOid, (s, a, b) => !a.empty && !b.empty &&
      compareBounds(s, upperBound(a), upperBound(b)) <= 0),
    pair("&>", boolOid, (s, a, b) => !a.empty && !b.empty &&
      compareBounds(s, lowerBound(a), lowerBound(b)) >= 0),
    pair("-|-", boolOid, adjacent),
    pair("+", range, (s, a, b) => merge(s, a, b, true)),
    pair("*", range, intersect),
    pair("-", range, difference),
  ];
}

const boundFlags: Readonly<Record<string, readonly [boolean, boolean]>> = {
  "()": [false, false], "(]": [false, true], "[)": [true, false], "[]": [true, true],
};

/** range_constructor2/3: NULL bounds are infinite; flags default to '[)'. */
function construct(range: number, subtype: RangeSubtype, args: Value[]): Value {
  let flags: readonly [boolean, boolean] = [true, false];
  if (args.length > 2) {
    const text = args[2];
    if (text === null || text === undefined) {
      throw new SqlError(SqlState.dataException,
        "range constructor flags argument must not be null");
    }
    const found = boundFlags[text as string];
    if (found === undefined) {
      throw new SqlError(SqlState.syntaxError, "invalid range bound flags",
        { hint: "Valid values are \"[]\", \"[)\", \"(]\", and \"()\"." });
    }
    flags = found;
  }
  const bound = (value: Value | undefined, inclusive: boolean, lower: boolean): RangeBound =>
    (value === null || value === undefined ? { value: null, infinite: true, inclusive: false,
      lower } : { value, infinite: false, inclusive, lower });
  return makeRange(range, subtype, bound(args[0], flags[0], true),
    bound(args[1], flags[1], false));
}

export function containsRange(s: RangeSubtype, a: PgRange, b: PgRange): boolean {
  if (b.empty) return true;
  if (a.empty) return false;
  return compareBounds(s, lowerBound(a), lowerBound(b)) <= 0 &&
    compareBounds(s, upperBound(a), upperBound(b)) >= 0;
}

export function containsElement(s: RangeSubtype, range: PgRange, element: Value): boolean {
  if (range.empty) return false;
  if (!range.lowerInf) {
    const order = s.compare(range.lower, element);
    if (order > 0 || (order === 0 && !range.lowerInc)) return false;
  }
  if (!range.upperInf) {
    const order = s.compare(range.upper, element);
    if (order < 0 || (order === 0 && !range.upperInc)) return false;
  }
  return true;
}

const overlaps = rangesOverlap;
const adjacent = rangesAdjacent;

/** range_union (`strict`: the ranges must overlap or touch) and range_merge. */
function merge(s: RangeSubtype, a: PgRange, b: PgRange, strict: boolean): PgRange {
  if (a.empty) return b;
  if (b.empty) return a;
  if (strict && !overlaps(s, a, b) && !adjacent(s, a, b)) {
    throw new SqlError(SqlState.dataException, "result of range union would not be contiguous");
  }
  return spanRanges(s, a, b);
}

const intersect = intersectRanges;

/** range_minus: what of `a` lies outside `b`; one range, or an error. */
export function difference(s: RangeSubtype, a: PgRange, b: PgRange): PgRange {
  if (a.empty || b.empty) return a;
  const [la, ua, lb, ub] = [lowerBound(a), upperBound(a), lowerBound(b), upperBound(b)];
  const l1l2 = compareBounds(s, la, lb);
  const l1u2 = compareBounds(s, la, ub);
  const u1l2 = compareBounds(s, ua, lb);
  const u1u2 = compareBounds(s, ua, ub);
  if (l1l2 < 0 && u1u2 > 0) {
    throw new SqlError(SqlState.dataException,
      "result of range difference would not be contiguous");
  }
  if (l1u2 > 0 || u1l2 < 0) return a;
  if (l1l2 >= 0 && u1u2 <= 0) return emptyRange(a.rangeType);
  if (l1l2 <= 0 && u1l2 >= 0 && u1u2 <= 0) {
    return makeRange(a.rangeType, s, la, { ...lb, inclusive: !lb.inclusive, lower: false });
  }
  if (l1l2 >= 0 && u1u2 >= 0 && l1u2 <= 0) {
    return makeRange(a.rangeType, s, { ...ub, inclusive: !ub.inclusive, lower: true }, ua);
  }
  throw new SqlError(SqlState.internalError, "unexpected case in range_minus");
}
