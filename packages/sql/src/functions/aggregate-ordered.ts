/**
 * The ordered-set aggregates beyond the scalar percentiles of `aggregate-stats.ts`
 * (PostgreSQL docs tables 9.61 and 9.62): percentile_cont over intervals, the array forms of
 * percentile_cont and percentile_disc, and the hypothetical-set rank, dense_rank,
 * percent_rank and cume_dist.
 *
 * A hypothetical-set aggregate asks where its direct arguments would fall among the sorted
 * rows. As in PostgreSQL's orderedsetaggs.c, the executor adds the hypothetical row to the
 * sort with one extra flag argument (true for that row), ordered after the sort keys by
 * `hypothetical`: -1 puts it before its peers (rank counts rows strictly before it), 1 after
 * them (cume_dist counts rows up to and including its peers). The transition sees every row
 * in that order and only has to find the flagged one.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Interval, PgArray, Value } from "../types/value.js";
import type { AggregateFunction, CallInfo } from "./defs.js";
import { agg } from "./aggregate-util.js";
import { compareValues } from "./compare.js";
import { addIntervals, intervalTimes, negateInterval } from "./interval.js";
import { shapedArray, emptyArray } from "./array-util.js";
import { percentileDisc } from "./aggregate-stats.js";
import { T } from "./type-oids.js";

interface Sorted {
  items: Value[];
}

type Lerp = (lo: Value, hi: Value, fraction: number) => Value;

const lerpFloat: Lerp = (lo, hi, f) => (lo as number) + f * ((hi as number) - (lo as number));
const lerpInterval: Lerp = (lo, hi, f) => addIntervals(lo as Interval,
  intervalTimes(addIntervals(hi as Interval, negateInterval(lo as Interval)), f));

export function orderedSetAggregates(): AggregateFunction[] {
  const base = {
    init: (): Sorted => ({ items: [] }),
    step: (s: Sorted, a: Value[]): Sorted => {
      if (a[0] !== null && a[0] !== undefined) s.items.push(a[0]);
      return s;
    },
    orderedSet: true,
    combine: (a: Sorted, b: Sorted): Sorted => ({ items: [...a.items, ...b.items] }),
  };
  const cont = (type: number, resultArray: number, lerp: Lerp): AggregateFunction[] => [
    agg<Sorted>({ ...base, name: "percentile_cont", argTypes: [type], returnType: type,
      directArgTypes: [T.float8],
      final: (s, _c, d) => continuous(s.items, d[0] ?? null, lerp) }),
    agg<Sorted>({ ...base, name: "percentile_cont", argTypes: [type], returnType: resultArray,
      directArgTypes: [T.float8Array],
      final: (s, _c, d) => eachFraction(s.items, d[0] ?? null, type,
        (p) => continuous(s.items, p, lerp)) }),
  ];
  return [
    ...cont(T.interval, T.intervalArray, lerpInterval),
    agg<Sorted>({ ...base, name: "percentile_cont", argTypes: [T.float8],
      returnType: T.float8Array, directArgTypes: [T.float8Array],
      final: (s, _c, d) => eachFraction(s.items, d[0] ?? null, T.float8,
        (p) => continuous(s.items, p, lerpFloat)) }),
    agg<Sorted>({ ...base, name: "percentile_disc", argTypes: [T.anyelement],
      returnType: T.anyarray, directArgTypes: [T.float8Array],
      final: (s, call, d) => eachFraction(s.items, d[0] ?? null,
        call.argTypes[0] ?? T.unknown, (p) => percentileDisc(s.items, p as number)) }),
    ...hypotheticalAggregates(),
  ];
}

function checkFraction(p: number): void {
  if (!(p >= 0 && p <= 1)) {
    throw new SqlError(SqlState.numericValueOutOfRange,
      `percentile value ${p} is not between 0 and 1`);
  }
}

/** percentile_cont: interpolates between the rows around fraction p (null p gives null). */
function continuous(sorted: readonly Value[], p: Value, lerp: Lerp): Value {
  if (p === null) return null;
  checkFraction(p as number);
  if (sorted.length === 0) return null;
  const position = (p as number) * (sorted.length - 1);
  const first = Math.floor(position);
  const second = Math.ceil(position);
  const lo = sorted[first] ?? null;
  return first === second ? lo : lerp(lo, sorted[second] ?? null, position - first);
}

/** Applies `one` to each fraction of an array, keeping its shape; no rows give null. */
function eachFraction(sorted: readonly Value[], fractions: Value, elementType: number,
  one: (p: Value) => Value): Value {
  if (fractions === null || sorted.length === 0) return null;
  const a = fractions as PgArray;
  if (a.items.length === 0) return emptyArray(elementType);
  for (const p of a.items) if (p !== null) checkFraction(p as number);
  return shapedArray(elementType, a.dims, a.lowerBounds, a.items.map(one));
}

interface Hypothetical {
  /** Rows before the flagged one, and distinct peer groups among them. */
  before: number;
  groups: number;
  total: number;
  found: boolean;
  last: Value[] | null;
}

type HypotheticalFinal = (s: Hypothetical) => Value;

function hypotheticalAggregates(): AggregateFunction[] {
  const make = (name: string, returnType: number, flag: -1 | 1, final: HypotheticalFinal) =>
    agg<Hypothetical>({
      name, argTypes: [], returnType, orderedSet: true, hypothetical: flag,
      directArgTypes: [],
      init: () => ({ before: 0, groups: 0, total: 0, found: false, last: null }),
      step: (s, a, call) => hypotheticalStep(s, a, call),
      final: (s) => final(s),
    });
  return [
    make("rank", T.int8, -1, (s) => BigInt(s.before + 1)),
    make("dense_rank", T.int8, -1, (s) => BigInt(s.groups + 1)),
    make("percent_rank", T.float8, -1, (s) => (s.total === 1 ? 0 : s.before / (s.total - 1))),
    make("cume_dist", T.float8, 1, (s) => (s.before + 1) / s.total),
  ];
}

/** Counts rows (and peer groups) ahead of the flagged row; the flag is the last argument. */
function hypotheticalStep(s: Hypothetical, args: Value[], call: CallInfo): Hypothetical {
  s.total++;
  if (s.found) return s;
  if (args[args.length - 1] === true) {
    s.found = true;
    return s;
  }
  const values = args.slice(0, -1);
  const peer = s.last !== null && values.every((v, i) => {
    const w = s.last![i] ?? null;
    if (v === null || w === null) return v === w;
    return compareValues(v, w, call.argTypes[i] ?? T.unknown) === 0;
  });
  if (!peer) s.groups++;
  s.before++;
  s.last = values;
  return s;
}
