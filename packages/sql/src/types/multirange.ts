/**
 * Multirange types (PostgreSQL's multirangetypes.c semantics): int4multirange,
 * int8multirange, nummultirange, tsmultirange, tstzmultirange and datemultirange. A value is
 * a `PgMultirange`: its ranges sorted, none empty, none overlapping or touching another, so
 * every set of points has exactly one form (multirange_canonicalize):
 *
 *   '{[5,7), [1,3], empty, [2,4)}'::int4multirange  -> {[1,4),[5,7)}
 *   '{}'::int4multirange                            -> {}
 *   '{(,3), [1,)}'::int4multirange                  -> {(,)}
 *
 * Text input follows multirange_in (each range read by the range type's input, whitespace
 * between ranges skipped), output prints the ranges inside braces with no spaces.
 * Multiranges order as multirange_cmp: the empty one first, then range by range (lower
 * bound, then upper bound), a prefix before the longer multirange.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { CastRow } from "./cast-table.js";
import type { FormatContext } from "./context.js";
import { TypeOid as T } from "./oids.js";
import {
  boundsAdjacent, compareBounds, lowerBound, rangeText, upperBound, compareRanges,
  type RangeBound, type RangeSubtype,
} from "./range.js";
import type { TypeIo } from "./type-io.js";
import { isSpaceCode } from "./type-io.js";
import type { PgMultirange, PgRange, Value } from "./value.js";

/** A multirange of `ranges` (any order, empties allowed), made canonical. */
export function makeMultirange(multirangeType: number, subtype: RangeSubtype,
  ranges: readonly PgRange[]): PgMultirange {
  return { kind: "multirange", multirangeType, ranges: canonicalRanges(subtype, ranges) };
}

/** Sorts, drops empty ranges and merges the ones that overlap or touch. */
export function canonicalRanges(subtype: RangeSubtype, ranges: readonly PgRange[]): PgRange[] {
  if (ranges.length <= 1) return ranges.filter((r) => !r.empty);
  const sorted = ranges.filter((r) => !r.empty)
    .sort((a, b) => compareRanges(subtype, a, b));
  const out: PgRange[] = [];
  for (const range of sorted) {
    const last = out[out.length - 1];
    if (last === undefined) {
      out.push(range);
      continue;
    }
    // Sorted by lower bound: `range` starts at or after `last` does.
    const lastUpper = upperBound(last);
    const rangeLower = lowerBound(range);
    const touches = compareBounds(subtype, rangeLower, lastUpper) <= 0 ||
      boundsAdjacent(subtype, last.rangeType, lastUpper, rangeLower);
    if (!touches) out.push(range);
    else out[out.length - 1] = extendUpper(subtype, last, lastUpper, range);
  }
  return out;
}

/** `last` reaching to `range`'s upper bound when that is further: both are canonical. */
function extendUpper(subtype: RangeSubtype, last: PgRange, lastUpper: RangeBound,
  range: PgRange): PgRange {
  if (compareBounds(subtype, upperBound(range), lastUpper) <= 0) return last;
  return { ...last, upper: range.upper, upperInc: range.upperInc, upperInf: range.upperInf };
}

/** multirange_cmp. */
export function compareMultiranges(subtype: RangeSubtype, a: PgMultirange,
  b: PgMultirange): number {
  const n = Math.min(a.ranges.length, b.ranges.length);
  for (let i = 0; i < n; i++) {
    const order = compareRanges(subtype, a.ranges[i]!, b.ranges[i]!);
    if (order !== 0) return order;
  }
  return a.ranges.length - b.ranges.length;
}

function malformed(text: string, detail: string): SqlError {
  return new SqlError(SqlState.invalidTextRepresentation,
    `malformed multirange literal: "${text}"`, { detail });
}

const enum State { Before, InRange, InRangeEscaped, Quoted, QuotedEscaped, After, Done }

/**
 * Splits multirange text into the texts of its ranges (multirange_in's state machine);
 * `empty` items come back as "empty".
 */
export function splitMultirangeText(text: string): string[] {
  let i = 0;
  while (i < text.length && isSpaceCode(text.charCodeAt(i))) i++;
  if (text[i] !== "{") throw malformed(text, "Missing left brace.");
  i++;
  const items: string[] = [];
  let state = State.Before;
  let start = 0;
  for (; state !== State.Done; i++) {
    if (i >= text.length) throw malformed(text, "Unexpected end of input.");
    const ch = text[i]!;
    if (isSpaceCode(text.charCodeAt(i))) continue;
    switch (state) {
      case State.Before:
        if (ch === "[" || ch === "(") {
          start = i;
          state = State.InRange;
        } else if (ch === "}" && items.length === 0) {
          state = State.Done;
        } else if (text.slice(i, i + 5).toLowerCase() === "empty") {
          items.push("empty");
          i += 4;
          state = State.After;
        } else {
          throw malformed(text, "Expected range start.");
        }
        break;
      case State.InRange:
        if (ch === "]" || ch === ")") {
          items.push(text.slice(start, i + 1));
          state = State.After;
        } else if (ch === "\"") {
          state = State.Quoted;
        } else if (ch === "\\") {
          state = State.InRangeEscaped;
        }
        break;
      case State.InRangeEscaped:
        state = State.InRange;
        break;
      case State.Quoted:
        if (ch === "\"") {
          if (text[i + 1] === "\"") i++;
          else state = State.InRange;
        } else if (ch === "\\") {
          state = State.QuotedEscaped;
        }
        break;
      case State.QuotedEscaped:
        state = State.Quoted;
        break;
      case State.After:
        if (ch === ",") state = State.Before;
        else if (ch === "}") state = State.Done;
        else throw malformed(text, "Expected comma or end of multirange.");
        break;
      default:
        break;
    }
  }
  while (i < text.length && isSpaceCode(text.charCodeAt(i))) i++;
  if (i !== text.length) throw malformed(text, "Junk after closing right brace.");
  return items;
}

export function multirangeText(subtype: RangeSubtype, value: PgMultirange,
  ctx: FormatContext): string {
  return `{${value.ranges.map((r) => rangeText(subtype, r, ctx)).join(",")}}`;
}

/**
 * The TypeIo of multirange type `multirangeType` over range type `range` (whose own TypeIo
 * reads each range): both are looked up when first used.
 */
export function makeMultirangeIo(multirangeType: number, rangeIo: () => TypeIo,
  subtypeOf: () => RangeSubtype): TypeIo {
  return {
    input(text: string, typmod: number, ctx: FormatContext): Value {
      const io = rangeIo();
      const ranges = splitMultirangeText(text).map((item) => io.input(item, typmod, ctx));
      return makeMultirange(multirangeType, subtypeOf(), ranges as PgRange[]);
    },
    output: (value, ctx) => multirangeText(subtypeOf(), value as PgMultirange, ctx),
    compare: (a, b) => compareMultiranges(subtypeOf(), a as PgMultirange, b as PgMultirange),
    hashKey(value: Value): string {
      const io = rangeIo();
      return (value as PgMultirange).ranges.map((r) => String(io.hashKey(r))).join(";");
    },
  };
}

/** pg_cast: each range type to its multirange type, explicitly (int4multirange(int4range)). */
export const multirangeCastRows: readonly CastRow[] = ([
  [T.int4range, T.int4multirange], [T.int8range, T.int8multirange],
  [T.numrange, T.nummultirange], [T.tsrange, T.tsmultirange],
  [T.tstzrange, T.tstzmultirange], [T.daterange, T.datemultirange],
] as const).map(([range, multirange]): CastRow => [range, multirange, "e", "f",
  (v) => ({ kind: "multirange", multirangeType: multirange,
    ranges: (v as PgRange).empty ? [] : [v as PgRange] })]);
