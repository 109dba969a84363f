/**
 * Functions, operators and aggregates of the multirange types (PostgreSQL's
 * multirangetypes.c), declared once per multirange type, as the range ones are:
 *
 *   int4multirange() -> {}    int4multirange(int4range(5,7), int4range(1,3)) -> {[1,3),[5,7)}
 *   multirange(r)  lower upper isempty lower_inc upper_inc lower_inf upper_inf
 *   range_merge(mr) -> the range from the first lower bound to the last upper bound
 *   unnest(mr) -> its ranges, in order
 *   @> <@ (element, range or multirange)  &&  <<  >>  &<  &>  -|-  (with ranges too)
 *   + (union)  * (intersection)  - (difference)
 *   range_agg(range | multirange), range_intersect_agg(range | multirange)
 *
 * Every result is canonical (`types/multirange.ts`). Ordering (= < …) is the types' own
 * comparison (`comparison.ts`).
 */
import { SqlError, SqlState } from "@tessera/base";
import { TypeOid } from "../types/oids.js";
import { canonicalRanges, makeMultirange } from "../types/multirange.js";
import {
  boundsAdjacent, compareBounds, emptyRange, intersectRanges, lowerBound, makeRange,
  rangesOverlap, upperBound, type RangeBound, type RangeSubtype,
} from "../types/range.js";
import { multirangeRangeOid, rangeSubtypeOf, rangeSubtypeOid } from "../types/registry.js";
import type { PgArray, PgMultirange, PgRange, Value } from "../types/value.js";
import { agg } from "./aggregate-util.js";
import { fn, op, srf } from "./builders.js";
import type { FunctionDef, OperatorDef } from "./defs.js";
import { containsElement, containsRange } from "./range-functions.js";
import { arrayTypeOf } from "./type-oids.js";

/** The multirange types. */
export const multirangeTypes: readonly number[] = [TypeOid.int4multirange,
  TypeOid.int8multirange, TypeOid.nummultirange, TypeOid.tsmultirange,
  TypeOid.tstzmultirange, TypeOid.datemultirange];

const boolOid = TypeOid.bool;

const typeNames: Readonly<Record<number, string>> = {
  [TypeOid.int4multirange]: "int4multirange", [TypeOid.int8multirange]: "int8multirange",
  [TypeOid.nummultirange]: "nummultirange", [TypeOid.tsmultirange]: "tsmultirange",
  [TypeOid.tstzmultirange]: "tstzmultirange", [TypeOid.datemultirange]: "datemultirange",
};

/** The types one multirange type's definitions mention. */
interface Family {
  readonly multi: number;
  readonly range: number;
  readonly element: number;
  readonly sub: () => RangeSubtype;
  readonly make: (ranges: readonly PgRange[]) => PgMultirange;
}

function families(): Family[] {
  return multirangeTypes.map(familyOf);
}

function familyOf(multi: number): Family {
  const range = multirangeRangeOid(multi)!;
  const sub = (): RangeSubtype => rangeSubtypeOf(range);
  return { multi, range, element: rangeSubtypeOid(range)!, sub,
    make: (ranges) => makeMultirange(multi, sub(), ranges) };
}

/** The functions and operators of one multirange type (CREATE TYPE … AS RANGE uses these). */
export function multirangeDefsFor(multi: number, name: string):
  { functions: FunctionDef[]; operators: OperatorDef[] } {
  const f = familyOf(multi);
  return { functions: familyFunctions(f, name), operators: familyOperators(f) };
}

const m = (v: Value): PgMultirange => v as PgMultirange;
const first = (v: Value): PgRange | undefined => m(v).ranges[0];
const last = (v: Value): PgRange | undefined => m(v).ranges[m(v).ranges.length - 1];

export function multirangeFunctions(): FunctionDef[] {
  return families().flatMap((f) => familyFunctions(f, typeNames[f.multi]!));
}

function familyFunctions(f: Family, name: string): FunctionDef[] {
  return [
    fn(name, [], f.multi, () => f.make([])),
    fn(name, [f.range], f.multi, ([r]) => f.make([r as PgRange])),
    fn(name, [arrayTypeOf(f.range)], f.multi, ([a]) => f.make(members(a as PgArray)),
      { variadic: f.range }),
    fn("multirange", [f.range], f.multi, ([r]) => f.make([r as PgRange])),
    fn("lower", [f.multi], f.element, ([v]) =>
      (first(v!) === undefined || first(v!)!.lowerInf ? null : first(v!)!.lower)),
    fn("upper", [f.multi], f.element, ([v]) =>
      (last(v!) === undefined || last(v!)!.upperInf ? null : last(v!)!.upper)),
    fn("isempty", [f.multi], boolOid, ([v]) => m(v!).ranges.length === 0),
    fn("lower_inc", [f.multi], boolOid, ([v]) => first(v!)?.lowerInc ?? false),
    fn("upper_inc", [f.multi], boolOid, ([v]) => last(v!)?.upperInc ?? false),
    fn("lower_inf", [f.multi], boolOid, ([v]) => first(v!)?.lowerInf ?? false),
    fn("upper_inf", [f.multi], boolOid, ([v]) => last(v!)?.upperInf ?? false),
    fn("range_merge", [f.multi], f.range, ([v]) => span(f, m(v!))),
    srf("unnest", [f.multi], f.range, ([v]) => m(v!).ranges),
    ...aggregates(f),
  ];
}

/** The ranges of a VARIADIC array; a null member is an error (multirange_constructor2). */
function members(array: PgArray): PgRange[] {
  return array.items.map((item) => {
    if (item === null) {
      throw new SqlError(SqlState.nullValueNotAllowed,
        "multirange values cannot contain null members");
    }
    return item as PgRange;
  });
}

/** range_merge(multirange): from the first lower bound to the last upper bound. */
function span(f: Family, v: PgMultirange): PgRange {
  const a = v.ranges[0];
  const b = v.ranges[v.ranges.length - 1];
  if (a === undefined || b === undefined) return emptyRange(f.range);
  return makeRange(f.range, f.sub(), lowerBound(a), upperBound(b));
}

/** range_agg's state: the ranges seen, canonicalised whenever they reach `compactAt`. */
interface UnionState {
  ranges: PgRange[] | null;
  compactAt: number;
}

const compactFirst = 4096;

function aggregates(f: Family): FunctionDef[] {
  const union = (argType: number): FunctionDef => agg<UnionState>({
    name: "range_agg", argTypes: [argType], returnType: f.multi,
    init: () => ({ ranges: null, compactAt: compactFirst }),
    step: (s, args) => {
      const v = args[0] ?? null;
      if (v === null) return s;
      s.ranges ??= [];
      if (argType === f.range) s.ranges.push(v as PgRange);
      else s.ranges.push(...m(v).ranges);
      // Keep the state small when many inputs overlap; twice the kept size before the next.
      if (s.ranges.length >= s.compactAt) {
        s.ranges = canonicalRanges(f.sub(), s.ranges);
        s.compactAt = Math.max(compactFirst, 2 * s.ranges.length);
      }
      return s;
    },
    final: (s) => (s.ranges === null ? null : f.make(s.ranges)),
    combine: (a, b) => ({ ranges: a.ranges === null ? b.ranges
      : b.ranges === null ? a.ranges : [...a.ranges, ...b.ranges],
    compactAt: Math.max(a.compactAt, b.compactAt) }),
  });
  const intersection = (argType: number): FunctionDef => agg<{ value: Value }>({
    name: "range_intersect_agg", argTypes: [argType], returnType: argType,
    init: () => ({ value: null }),
    step: (s, args) => {
      const v = args[0] ?? null;
      if (v !== null) s.value = s.value === null ? v : meet(f, s.value, v);
      return s;
    },
    final: (s) => s.value,
    combine: (a, b) => ({ value: a.value === null ? b.value
      : b.value === null ? a.value : meet(f, a.value, b.value) }),
  });
  return [union(f.range), union(f.multi), intersection(f.range), intersection(f.multi)];
}

/** The intersection of two ranges or two multiranges of family `f`. */
function meet(f: Family, a: Value, b: Value): Value {
  if ((a as PgRange).kind === "range") {
    return intersectRanges(f.sub(), a as PgRange, b as PgRange);
  }
  return intersect(f, m(a), m(b));
}

function intersect(f: Family, a: PgMultirange, b: PgMultirange): PgMultirange {
  const s = f.sub();
  const out: PgRange[] = [];
  for (const ra of a.ranges) {
    for (const rb of b.ranges) {
      if (rangesOverlap(s, ra, rb)) out.push(intersectRanges(s, ra, rb));
    }
  }
  return f.make(out);
}

/** `a` without the points of `b`: zero, one or two ranges. */
function subtractRange(s: RangeSubtype, a: PgRange, b: PgRange): PgRange[] {
  if (!rangesOverlap(s, a, b)) return [a];
  const out: PgRange[] = [];
  const flip = (bound: RangeBound, lower: boolean): RangeBound =>
    ({ ...bound, inclusive: !bound.inclusive, lower });
  if (compareBounds(s, lowerBound(a), lowerBound(b)) < 0) {
    out.push(makeRange(a.rangeType, s, lowerBound(a), flip(lowerBound(b), false)));
  }
  if (compareBounds(s, upperBound(a), upperBound(b)) > 0) {
    out.push(makeRange(a.rangeType, s, flip(upperBound(b), true), upperBound(a)));
  }
  return out;
}

function minus(f: Family, a: PgMultirange, b: PgMultirange): PgMultirange {
  const s = f.sub();
  let pieces: PgRange[] = [...a.ranges];
  for (const rb of b.ranges) pieces = pieces.flatMap((p) => subtractRange(s, p, rb));
  return f.make(pieces);
}

export function multirangeOperators(): OperatorDef[] {
  return families().flatMap(familyOperators);
}

function familyOperators(f: Family): OperatorDef[] {
  return [
    ...containment(f),
    ...positional(f),
    op("+", f.multi, f.multi, f.multi, (a, b) => f.make([...m(a).ranges, ...m(b).ranges])),
    op("*", f.multi, f.multi, f.multi, (a, b) => intersect(f, m(a), m(b))),
    op("-", f.multi, f.multi, f.multi, (a, b) => minus(f, m(a), m(b))),
  ];
}

/** multirange_contains_range: some range of `v` holds `r`. */
function multiContainsRange(s: RangeSubtype, v: PgMultirange, r: PgRange): boolean {
  if (r.empty) return true;
  return v.ranges.some((x) => containsRange(s, x, r));
}

/** range_contains_multirange: `r` holds the span of `v`. */
function rangeContainsMulti(s: RangeSubtype, r: PgRange, v: PgMultirange): boolean {
  const a = v.ranges[0];
  const b = v.ranges[v.ranges.length - 1];
  if (a === undefined || b === undefined) return true;
  if (r.empty) return false;
  return compareBounds(s, lowerBound(r), lowerBound(a)) <= 0 &&
    compareBounds(s, upperBound(r), upperBound(b)) >= 0;
}

function containment(f: Family): OperatorDef[] {
  const { multi, range, element, sub } = f;
  const hasElement = (v: Value, e: Value): boolean =>
    m(v).ranges.some((r) => containsElement(sub(), r, e));
  const mm = (a: Value, b: Value): boolean =>
    m(b).ranges.every((r) => multiContainsRange(sub(), m(a), r));
  return [
    op("@>", multi, element, boolOid, hasElement, { exactOperands: true }),
    op("<@", element, multi, boolOid, (e, v) => hasElement(v, e),
      { exactOperands: true }),
    op("@>", multi, range, boolOid, (v, r) => multiContainsRange(sub(), m(v), r as PgRange)),
    op("<@", range, multi, boolOid, (r, v) => multiContainsRange(sub(), m(v), r as PgRange)),
    op("@>", range, multi, boolOid, (r, v) => rangeContainsMulti(sub(), r as PgRange, m(v))),
    op("<@", multi, range, boolOid, (v, r) => rangeContainsMulti(sub(), r as PgRange, m(v))),
    op("@>", multi, multi, boolOid, mm),
    op("<@", multi, multi, boolOid, (a, b) => mm(b, a)),
  ];
}

/** The outer bounds of a range or multirange; undefined when it is empty. */
interface Extent {
  readonly lower: RangeBound;
  readonly upper: RangeBound;
  /** The ranges, for overlap tests. */
  readonly ranges: readonly PgRange[];
}

function extentOf(v: Value): Extent | undefined {
  const ranges = (v as PgRange).kind === "range"
    ? ((v as PgRange).empty ? [] : [v as PgRange]) : m(v).ranges;
  const a = ranges[0];
  const b = ranges[ranges.length - 1];
  if (a === undefined || b === undefined) return undefined;
  return { lower: lowerBound(a), upper: upperBound(b), ranges };
}

/** && << >> &< &> -|- between a multirange and a range or multirange, either side. */
function positional(f: Family): OperatorDef[] {
  const tests: readonly [string, (s: RangeSubtype, a: Extent, b: Extent) => boolean][] = [
    ["&&", (s, a, b) => a.ranges.some((x) => b.ranges.some((y) => rangesOverlap(s, x, y)))],
    ["<<", (s, a, b) => compareBounds(s, a.upper, b.lower) < 0],
    [">>", (s, a, b) => compareBounds(s, a.lower, b.upper) > 0],
    ["&<", (s, a, b) => compareBounds(s, a.upper, b.upper) <= 0],
    ["&>", (s, a, b) => compareBounds(s, a.lower, b.lower) >= 0],
    ["-|-", (s, a, b) => boundsAdjacent(s, f.range, a.upper, b.lower) ||
      boundsAdjacent(s, f.range, b.upper, a.lower)],
  ];
  const pairs: readonly [number, number][] = [[f.multi, f.multi], [f.multi, f.range],
    [f.range, f.multi]];
  return tests.flatMap(([name, test]) => pairs.map(([left, right]) =>
    op(name, left, right, boolOid, (a, b) => {
      const ea = extentOf(a);
      const eb = extentOf(b);
      return ea !== undefined && eb !== undefined && test(f.sub(), ea, eb);
    })));
}
