/**
 * Range types (PostgreSQL's rangetypes.c semantics): int4range, int8range, numrange, tsrange,
 * tstzrange and daterange. A value is a `PgRange`: empty, or two bounds, each infinite or a
 * value of the subtype with an inclusive flag.
 *
 *   '[1,5]'::int4range   -> [1,6)     discrete subtypes (int4, int8, date) are canonical:
 *   '(1,5)'::int4range   -> [2,5)     lower inclusive, upper exclusive
 *   '[3,3)'::int4range   -> empty
 *   '(,2024-01-01]'::daterange -> (,2024-01-02)
 *
 * Text I/O follows range_parse / range_deparse: quoted bounds with `""` and backslash escapes,
 * an empty unquoted bound is infinite, output quotes a bound holding a special character.
 * Bounds compare as range_cmp_bounds does; ranges order empty first, then by lower bound,
 * then by upper bound.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { FormatContext } from "./context.js";
import type { TypeIo } from "./type-io.js";
import { isSpaceCode } from "./type-io.js";
import type { PgRange, Value } from "./value.js";

/** One side of a range, as range_cmp_bounds sees it. */
export interface RangeBound {
  readonly value: Value;
  readonly infinite: boolean;
  readonly inclusive: boolean;
  readonly lower: boolean;
}

/** What a range needs of its subtype: order, text I/O and, when discrete, the next value. */
export interface RangeSubtype {
  readonly oid: number;
  compare(a: Value, b: Value): number;
  input(text: string, ctx: FormatContext): Value;
  output(value: Value, ctx: FormatContext): string;
  hashKey(value: Value): string | number;
  /** The value after `value`, for int4, int8 and date (canonical ranges); else undefined. */
  readonly next?: (value: Value) => Value;
  /** The subtype's binary send and receive, for range_send / range_recv. */
  readonly binary?: SubtypeBinary;
}

/** A subtype's binary I/O. */
export interface SubtypeBinary {
  send(value: Value, ctx: FormatContext): Uint8Array;
  receive(bytes: Uint8Array, ctx: FormatContext): Value;
}

export const EMPTY_BOUND: RangeBound = { value: null, infinite: true, inclusive: false,
  lower: true };

export function lowerBound(range: PgRange): RangeBound {
  return { value: range.lower, infinite: range.lowerInf, inclusive: range.lowerInc,
    lower: true };
}

export function upperBound(range: PgRange): RangeBound {
  return { value: range.upper, infinite: range.upperInf, inclusive: range.upperInc,
    lower: false };
}

export function emptyRange(rangeType: number): PgRange {
  return { kind: "range", rangeType, empty: true, lower: null, upper: null, lowerInc: false,
    upperInc: false, lowerInf: false, upperInf: false };
}

/** range_cmp_bounds: orders two bounds, lower or upper, of ranges of the same subtype. */
export function compareBounds(subtype: RangeSubtype, b1: RangeBound, b2: RangeBound): number {
  if (b1.infinite && b2.infinite) {
    if (b1.lower === b2.lower) return 0;
    return b1.lower ? -1 : 1;
  }
  if (b1.infinite) return b1.lower ? -1 : 1;
  if (b2.infinite) return b2.lower ? 1 : -1;
  const order = subtype.compare(b1.value, b2.value);
  if (order !== 0) return order;
  if (!b1.inclusive && !b2.inclusive) {
    if (b1.lower === b2.lower) return 0;
    return b1.lower ? 1 : -1;
  }
  if (!b1.inclusive) return b1.lower ? 1 : -1;
  if (!b2.inclusive) return b2.lower ? -1 : 1;
  return 0;
}

/** range_cmp_bound_values: the bound values alone (infinities included), flags ignored. */
export function compareBoundValues(subtype: RangeSubtype, b1: RangeBound,
  b2: RangeBound): number {
  if (b1.infinite && b2.infinite) {
    if (b1.lower === b2.lower) return 0;
    return b1.lower ? -1 : 1;
  }
  if (b1.infinite) return b1.lower ? -1 : 1;
  if (b2.infinite) return b2.lower ? 1 : -1;
  return subtype.compare(b1.value, b2.value);
}

/**
 * make_range: a range from two bounds, made canonical for a discrete subtype; fails when the
 * lower bound is above the upper one.
 */
export function makeRange(rangeType: number, subtype: RangeSubtype, lower: RangeBound,
  upper: RangeBound, empty = false): PgRange {
  if (empty) return emptyRange(rangeType);
  let lo = lower.infinite ? { ...lower, inclusive: false, value: null } : lower;
  let hi = upper.infinite ? { ...upper, inclusive: false, value: null } : upper;
  if (!lo.infinite && !hi.infinite) {
    const order = subtype.compare(lo.value, hi.value);
    if (order > 0) {
      throw new SqlError(SqlState.dataException,
        "range lower bound must be less than or equal to range upper bound");
    }
    if (order === 0 && !(lo.inclusive && hi.inclusive)) return emptyRange(rangeType);
  }
  const next = subtype.next;
  if (next !== undefined) {
    if (!lo.infinite && !lo.inclusive && isFinite(lo.value)) {
      lo = { ...lo, value: next(lo.value), inclusive: true };
    }
    if (!hi.infinite && hi.inclusive && isFinite(hi.value)) {
      hi = { ...hi, value: next(hi.value), inclusive: false };
    }
    if (!lo.infinite && !hi.infinite && subtype.compare(lo.value, hi.value) >= 0 &&
      !(lo.inclusive && hi.inclusive)) {
      return emptyRange(rangeType);
    }
  }
  return { kind: "range", rangeType, empty: false, lower: lo.value, upper: hi.value,
    lowerInc: lo.inclusive, upperInc: hi.inclusive, lowerInf: lo.infinite,
    upperInf: hi.infinite };
}

/** Dates ±infinity are not stepped past (daterange_canonical). */
function isFinite(value: Value): boolean {
  return typeof value !== "number" || Number.isFinite(value);
}

/** Compares two ranges of one type: empty first, then lower bounds, then upper bounds. */
export function compareRanges(subtype: RangeSubtype, a: PgRange, b: PgRange): number {
  if (a.empty || b.empty) return a.empty === b.empty ? 0 : a.empty ? -1 : 1;
  const lower = compareBounds(subtype, lowerBound(a), lowerBound(b));
  return lower !== 0 ? lower : compareBounds(subtype, upperBound(a), upperBound(b));
}

/** range_overlaps: the two ranges share a point. */
export function rangesOverlap(s: RangeSubtype, a: PgRange, b: PgRange): boolean {
  if (a.empty || b.empty) return false;
  const [la, ua, lb, ub] = [lowerBound(a), upperBound(a), lowerBound(b), upperBound(b)];
  if (compareBounds(s, la, lb) >= 0 && compareBounds(s, la, ub) <= 0) return true;
  return compareBounds(s, lb, la) >= 0 && compareBounds(s, lb, ua) <= 0;
}

/** bounds_adjacent: nothing lies between upper bound `a` and lower bound `b`. */
export function boundsAdjacent(s: RangeSubtype, rangeType: number, a: RangeBound,
  b: RangeBound): boolean {
  const order = compareBoundValues(s, a, b);
  if (order === 0) return a.inclusive !== b.inclusive;
  if (order > 0 || s.next === undefined) return false;
  // A discrete subtype: (a, b) holds no value when the range between them is empty.
  const between = makeRange(rangeType, s, { ...a, inclusive: !a.inclusive, lower: true },
    { ...b, inclusive: !b.inclusive, lower: false });
  return between.empty;
}

/** range_adjacent: the ranges touch without sharing a point, in either order. */
export function rangesAdjacent(s: RangeSubtype, a: PgRange, b: PgRange): boolean {
  if (a.empty || b.empty) return false;
  return boundsAdjacent(s, a.rangeType, upperBound(a), lowerBound(b)) ||
    boundsAdjacent(s, a.rangeType, upperBound(b), lowerBound(a));
}

/** The smallest range covering both (range_union without the contiguity check). */
export function spanRanges(s: RangeSubtype, a: PgRange, b: PgRange): PgRange {
  if (a.empty) return b;
  if (b.empty) return a;
  const lower = compareBounds(s, lowerBound(a), lowerBound(b)) < 0 ? lowerBound(a)
    : lowerBound(b);
  const upper = compareBounds(s, upperBound(a), upperBound(b)) > 0 ? upperBound(a)
    : upperBound(b);
  return makeRange(a.rangeType, s, lower, upper);
}

/** range_intersect: the common part, empty when they do not overlap. */
export function intersectRanges(s: RangeSubtype, a: PgRange, b: PgRange): PgRange {
  if (a.empty || b.empty || !rangesOverlap(s, a, b)) return emptyRange(a.rangeType);
  const lower = compareBounds(s, lowerBound(a), lowerBound(b)) >= 0 ? lowerBound(a)
    : lowerBound(b);
  const upper = compareBounds(s, upperBound(a), upperBound(b)) <= 0 ? upperBound(a)
    : upperBound(b);
  return makeRange(a.rangeType, s, lower, upper);
}

function malformed(text: string, detail: string): SqlError {
  return new SqlError(SqlState.invalidTextRepresentation,
    `malformed range literal: "${text}"`, { detail });
}

/** Splits range text into its flags and bound texts (range_parse). */
function parseRangeText(text: string): { empty: true } | { empty: false; lowerInc: boolean;
  upperInc: boolean; lower: string | null; upper: string | null } {
  let i = 0;
  while (i < text.length && isSpaceCode(text.charCodeAt(i))) i++;
  if (text.slice(i, i + 5).toLowerCase() === "empty") {
    let j = i + 5;
    while (j < text.length && isSpaceCode(text.charCodeAt(j))) j++;
    if (j !== text.length) throw malformed(text, "Junk after \"empty\" key word.");
    return { empty: true };
  }
  const open = text[i];
  if (open !== "[" && open !== "(") {
    throw malformed(text, "Missing left parenthesis or bracket.");
  }
  const lower = parseBound(text, i + 1);
  i = lower.end;
  if (text[i] !== ",") throw malformed(text, "Missing comma after lower bound.");
  const upper = parseBound(text, i + 1);
  i = upper.end;
  const close = text[i];
  if (close !== "]" && close !== ")") {
    throw malformed(text, close === "," ? "Too many commas."
      : "Missing right parenthesis or bracket.");
  }
  i++;
  while (i < text.length && isSpaceCode(text.charCodeAt(i))) i++;
  if (i !== text.length) throw malformed(text, "Junk after right parenthesis or bracket.");
  return { empty: false, lowerInc: open === "[", upperInc: close === "]",
    lower: lower.text, upper: upper.text };
}

/** One bound's text from `start` to the next unquoted `,` `)` or `]`; null when empty. */
function parseBound(text: string, start: number): { text: string | null; end: number } {
  let i = start;
  let out = "";
  let quoted = false;
  let inQuote = false;
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (!inQuote && (ch === "," || ch === ")" || ch === "]")) break;
    if (ch === "\\") {
      i++;
      if (i >= text.length) throw malformed(text, "Unexpected end of input.");
      out += text[i];
    } else if (ch === "\"") {
      if (!inQuote) {
        inQuote = true;
        quoted = true;
      } else if (text[i + 1] === "\"") {
        out += "\"";
        i++;
      } else {
        inQuote = false;
      }
    } else {
      out += ch;
    }
  }
  if (inQuote || i >= text.length) throw malformed(text, "Unexpected end of input.");
  return { text: !quoted && out === "" ? null : out, end: i };
}

/** A bound's text as range_deparse quotes it. */
function boundText(text: string): string {
  let needs = text.length === 0;
  for (let i = 0; i < text.length && !needs; i++) {
    const ch = text[i]!;
    needs = ch === "\"" || ch === "\\" || ch === "(" || ch === ")" || ch === "[" ||
      ch === "]" || ch === "," || isSpaceCode(text.charCodeAt(i));
  }
  if (!needs) return text;
  let out = "\"";
  for (const ch of text) out += ch === "\"" || ch === "\\" ? ch + ch : ch;
  return `${out}"`;
}

export function rangeText(subtype: RangeSubtype, range: PgRange, ctx: FormatContext): string {
  if (range.empty) return "empty";
  const lower = range.lowerInf ? "" : boundText(subtype.output(range.lower, ctx));
  const upper = range.upperInf ? "" : boundText(subtype.output(range.upper, ctx));
  return `${range.lowerInc ? "[" : "("}${lower},${upper}${range.upperInc ? "]" : ")"}`;
}

/** The TypeIo of a range type over `subtype` (the subtype is looked up when first used). */
export function makeRangeIo(rangeType: number, subtypeOf: () => RangeSubtype): TypeIo {
  return {
    input(text: string, _typmod: number, ctx: FormatContext): Value {
      const subtype = subtypeOf();
      const parsed = parseRangeText(text);
      if (parsed.empty) return emptyRange(rangeType);
      const bound = (value: string | null, inclusive: boolean, lower: boolean): RangeBound =>
        (value === null ? { value: null, infinite: true, inclusive: false, lower }
          : { value: subtype.input(value, ctx), infinite: false, inclusive, lower });
      return makeRange(rangeType, subtype, bound(parsed.lower, parsed.lowerInc, true),
        bound(parsed.upper, parsed.upperInc, false));
    },
    output: (value, ctx) => rangeText(subtypeOf(), value as PgRange, ctx),
    compare: (a, b) => compareRanges(subtypeOf(), a as PgRange, b as PgRange),
    hashKey(value: Value): string {
      const range = value as PgRange;
      if (range.empty) return "empty";
      const subtype = subtypeOf();
      const side = (v: Value, inf: boolean, inc: boolean): string =>
        (inf ? "inf" : `${inc ? "i" : "x"}${String(subtype.hashKey(v))}`);
      return `${side(range.lower, range.lowerInf, range.lowerInc)}|` +
        side(range.upper, range.upperInf, range.upperInc);
    },
  };
}
