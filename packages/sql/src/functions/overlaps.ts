/**
 * `(start1, end1) OVERLAPS (start2, end2)`, which the grammar turns into overlaps(a, b, c, d)
 * (PostgreSQL's overlaps_timestamp, overlaps_time). Each pair is put in order first; a null
 * end leaves the answer null only where it decides it, as the SQL standard's case analysis:
 *
 *   (date '2024-01-01', date '2024-01-10') overlaps (date '2024-01-05', date '2024-01-20') -> t
 *   (1, null) overlaps (0, 2) on times                                                      -> t
 *
 * The (start, interval) forms are SQL functions in PostgreSQL: end = start + interval.
 */
import type { Interval, Value } from "../types/value.js";
import type { ScalarFunction } from "./defs.js";
import { fn } from "./builders.js";
import { timestampPlusInterval, timestamptzPlusInterval } from "./interval.js";
import { sessionZone } from "./tz.js";
import { T } from "./type-oids.js";

type Compare = (a: Value, b: Value) => number;

const compareOrdered: Compare = (a, b) => {
  const x = a as number | bigint;
  const y = b as number | bigint;
  return x < y ? -1 : x > y ? 1 : 0;
};

export function overlapsFunctions(): ScalarFunction[] {
  const plain = (type: number): ScalarFunction =>
    fn("overlaps", [type, type, type, type], T.bool, (a) => overlaps(a, compareOrdered),
      { strict: false });
  return [
    plain(T.timestamptz),
    plain(T.timestamp),
    plain(T.time),
    ...spanForms(T.time, () => (t, span) => timePlusInterval(t as number, span), "i"),
    ...spanForms(T.timestamp, () => (t, span) => timestampPlusInterval(t as bigint, span), "i"),
    ...spanForms(T.timestamptz,
      (zone) => (t, span) => timestamptzPlusInterval(t as bigint, span, zone), "s"),
  ];
}

/** start + interval for one type; `start` is that type's value. */
type Plus = (start: Value, span: Interval) => Value;

/** time + interval wraps around midnight, as the time + interval operator. */
function timePlusInterval(t: number, span: Interval): number {
  const day = 86_400_000_000;
  const wrapped = (t + Number(span.micros % 86_400_000_000n)) % day;
  return wrapped < 0 ? wrapped + day : wrapped;
}

/**
 * The forms with an interval for an end, as PostgreSQL's SQL-language overlaps functions:
 * (start, interval, start, interval), (start, end, start, interval), (start, interval,
 * start, end).
 */
function spanForms(type: number, plusIn: (zone: string) => Plus, volatility: "i" | "s"):
  ScalarFunction[] {
  const forms: readonly (readonly [boolean, boolean])[] = [[true, true], [false, true],
    [true, false]];
  return forms.map(([firstSpan, secondSpan]) =>
    fn("overlaps", [type, firstSpan ? T.interval : type, type, secondSpan ? T.interval : type],
      T.bool, (a, ctx) => {
        const plus = plusIn(sessionZone((name) => ctx.setting(name)));
        return overlaps(withEnds(a, plus, firstSpan, secondSpan), compareOrdered);
      }, { strict: false, volatility }));
}

/** Turns the interval arguments into ends: (start, end, start, end). */
function withEnds(a: Value[], plus: Plus, firstSpan: boolean, secondSpan: boolean): Value[] {
  const end = (start: Value, span: Value): Value =>
    start === null || span === null ? null : plus(start, span as Interval);
  return [a[0] ?? null, firstSpan ? end(a[0] ?? null, a[1] ?? null) : a[1] ?? null,
    a[2] ?? null, secondSpan ? end(a[2] ?? null, a[3] ?? null) : a[3] ?? null];
}

/** PostgreSQL's overlaps_timestamp, null handling included. */
export function overlaps(a: Value[], cmp: Compare): boolean | null {
  const first = ordered(a[0] ?? null, a[1] ?? null, cmp);
  const second = ordered(a[2] ?? null, a[3] ?? null, cmp);
  if (first === null || second === null) return null;
  const [s1, e1] = first;
  const [s2, e2] = second;
  const order = cmp(s1, s2);
  if (order !== 0) {
    // The later start must lie before the other interval's end.
    const [lateStart, lateEnd, earlyEnd] = order > 0 ? [s1, e1, e2] : [s2, e2, e1];
    if (earlyEnd === null) return null;
    if (cmp(lateStart, earlyEnd) < 0) return true;
    return lateEnd === null ? null : false;
  }
  return e1 === null || e2 === null ? null : true;
}

/** Returns [start, end] with start <= end; a lone null start takes the end's place. */
function ordered(start: Value, end: Value, cmp: Compare): [Value, Value] | null {
  if (start === null) return end === null ? null : [end, null];
  if (end !== null && cmp(start, end) > 0) return [end, start];
  return [start, end];
}
