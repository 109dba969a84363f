/**
 * Window frames (Postgres's update_frameheadpos / update_frametailpos in nodeWindowAgg.c):
 * given a sorted partition, its peer groups and the frame options, the half-open range of
 * partition rows each row's frame covers, and which rows EXCLUDE removes from it.
 *
 * RANGE offsets compare in sort order: with `ORDER BY v DESC`, `2 PRECEDING` means values up
 * to v + 2. Nulls sort as -infinity (NULLS FIRST) or +infinity (NULLS LAST), so a non-null
 * row's offset frame never reaches them from the wrong side, and a null row's offset frame is
 * its peer group of nulls, as in Postgres.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import { Decimal } from "decimal.js";
import type { Interval, TimeTz, Value } from "@tessera/sql";
import type { EvalLike, SortKey, WindowSpec } from "../analyze/expr.js";
import { Frame } from "../analyze/window-clause.js";
import { operatorsNamed } from "../catalog/builtins.js";
import { compareFor, findCastDef } from "../catalog/type-io.js";
import { Oid } from "../catalog/types.js";

/** A sorted partition's peer structure: peers are rows equal under the window's ORDER BY. */
export interface Peers {
  readonly count: number;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly group: Int32Array;
  /** First row of each peer group, plus `count` at the end. */
  readonly groupStarts: readonly number[];
}

/** Finds the peer groups of `orderValues` (one array of key values per row). */
export function findPeers(orderValues: readonly (readonly Value[])[], keys: readonly SortKey[]):
  Peers {
  const count = orderValues.length;
  const start = new Int32Array(count);
  const end = new Int32Array(count);
  const group = new Int32Array(count);
  const groupStarts: number[] = [];
  let g = -1;
  for (let i = 0; i < count; i++) {
    if (i === 0 || !samePeer(orderValues[i - 1]!, orderValues[i]!, keys)) {
      g++;
      groupStarts.push(i);
    }
    group[i] = g;
    start[i] = groupStarts[g]!;
  }
  groupStarts.push(count);
  for (let i = 0; i < count; i++) end[i] = groupStarts[group[i]! + 1]!;
  return { count, start, end, group, groupStarts };
}

function samePeer(a: readonly Value[], b: readonly Value[], keys: readonly SortKey[]): boolean {
  for (let k = 0; k < keys.length; k++) {
    const x = a[k]!;
    const y = b[k]!;
    if (x === null || y === null) {
      if (x !== y) return false;
      continue;
    }
    if (keys[k]!.compare(x, y) !== 0) return false;
  }
  return true;
}

/** The frame offsets of one run, checked as Postgres checks them when the node starts. */
export interface Offsets {
  readonly start: Value;
  readonly end: Value;
}

/** Validates evaluated frame offsets: 22004 for null, 22013 for negative. */
export function checkOffsets(spec: WindowSpec, offsets: Offsets): void {
  const check = (v: Value, which: string, present: boolean): void => {
    if (!present) return;
    if (v === null) {
      throw new SqlError(SqlState.nullValueNotAllowed, `frame ${which} offset must not be null`);
    }
    const rows = (spec.frameOptions & (Frame.rows | Frame.groups)) !== 0;
    if (isNegative(v)) {
      throw rows ? new SqlError(SqlState.invalidPrecedingOrFollowingSize,
        `frame ${which} offset must not be negative`)
        : new SqlError(SqlState.invalidPrecedingOrFollowingSize,
          "invalid preceding or following size in window function");
    }
  };
  check(offsets.start, "starting", spec.startOffset !== null);
  check(offsets.end, "ending", spec.endOffset !== null);
}

function isNegative(v: Value): boolean {
  if (typeof v === "number") return v < 0 || Number.isNaN(v);
  if (typeof v === "bigint") return v < 0n;
  if (typeof v === "object" && v !== null && "months" in v) {
    return v.months < 0 || v.days < 0 || v.micros < 0n;
  }
  if (typeof v === "object" && v !== null && "isNegative" in v) {
    const d = v as Decimal;
    return d.isNaN() || (d.isNegative() && !d.isZero());
  }
  return false;
}

/** Computes frames for one partition; `frame(row)` returns [start, end). */
export class FrameFinder {
  private readonly options: number;
  private readonly range: RangeSearch | null;

  constructor(private readonly spec: WindowSpec, private readonly offsets: Offsets,
    private readonly peers: Peers, orderValue: (row: number) => Value, ctx: EvalLike) {
    this.options = spec.frameOptions;
    const rangeOffsets = (this.options & Frame.range) !== 0 && (this.options &
      (Frame.startOffsetPreceding | Frame.startOffsetFollowing | Frame.endOffsetPreceding |
        Frame.endOffsetFollowing)) !== 0;
    this.range = rangeOffsets ? new RangeSearch(spec, peers.count, orderValue, ctx) : null;
  }

  start(row: number): number {
    const o = this.options;
    if ((o & Frame.startUnboundedPreceding) !== 0) return 0;
    if ((o & Frame.startCurrentRow) !== 0) {
      return (o & Frame.rows) !== 0 ? row : this.peers.start[row]!;
    }
    const preceding = (o & Frame.startOffsetPreceding) !== 0;
    if ((o & Frame.rows) !== 0) {
      return clamp(row + signed(this.offsets.start, preceding), this.peers);
    }
    if ((o & Frame.groups) !== 0) {
      const g = this.peers.group[row]! + signed(this.offsets.start, preceding);
      return g < 0 ? 0 : this.peers.groupStarts[Math.min(g, this.peers.groupStarts.length - 1)]!;
    }
    return this.range!.start(row, this.offsets.start, preceding, this.peers);
  }

  end(row: number): number {
    const o = this.options;
    if ((o & Frame.endUnboundedFollowing) !== 0) return this.peers.count;
    if ((o & Frame.endCurrentRow) !== 0) {
      return (o & Frame.rows) !== 0 ? row + 1 : this.peers.end[row]!;
    }
    const preceding = (o & Frame.endOffsetPreceding) !== 0;
    if ((o & Frame.rows) !== 0) {
      return clamp(row + 1 + signed(this.offsets.end, preceding), this.peers);
    }
    if ((o & Frame.groups) !== 0) {
      const g = this.peers.group[row]! + signed(this.offsets.end, preceding);
      const groups = this.peers.groupStarts.length - 1;
      return g < 0 ? 0 : this.peers.groupStarts[Math.min(g + 1, groups)]!;
    }
    return this.range!.end(row, this.offsets.end, preceding, this.peers);
  }

  /** Returns true when EXCLUDE removes partition row `r` from row `row`'s frame. */
  excluded(row: number, r: number): boolean {
    const o = this.options;
    if ((o & Frame.excludeCurrentRow) !== 0) return r === row;
    const peer = r >= this.peers.start[row]! && r < this.peers.end[row]!;
    if ((o & Frame.excludeGroup) !== 0) return peer;
    if ((o & Frame.excludeTies) !== 0) return peer && r !== row;
    return false;
  }

  get excludes(): boolean {
    return (this.options & (Frame.excludeCurrentRow | Frame.excludeGroup |
      Frame.excludeTies)) !== 0;
  }

  /** True when every frame starts at the partition's first row (aggregates can grow). */
  get startsAtPartition(): boolean {
    return (this.options & Frame.startUnboundedPreceding) !== 0;
  }
}

function signed(offset: Value, preceding: boolean): number {
  const n = typeof offset === "bigint" ? Number(offset) : Number(offset as number);
  return preceding ? -n : n;
}

function clamp(pos: number, peers: Peers): number {
  return pos < 0 ? 0 : pos > peers.count ? peers.count : pos;
}

/** RANGE offset frames: binary searches over the partition in sort order. */
class RangeSearch {
  private readonly key: SortKey;
  private readonly arith: RangeArithmetic;

  constructor(spec: WindowSpec, readonly count: number,
    private readonly value: (row: number) => Value, ctx: EvalLike) {
    this.key = spec.order[0]!;
    const offsetType = (spec.startOffset ?? spec.endOffset)!.type;
    this.arith = rangeArithmetic(this.key.expr.type, offsetType, ctx);
  }

  start(row: number, offset: Value, preceding: boolean, peers: Peers): number {
    const current = this.value(row);
    if (current === null) return peers.start[row]!;
    const bound = this.bound(current, offset, preceding, true);
    return this.search((r) => this.sortCompare(r, bound) >= 0);
  }

  end(row: number, offset: Value, preceding: boolean, peers: Peers): number {
    const current = this.value(row);
    if (current === null) return peers.end[row]!;
    const bound = this.bound(current, offset, preceding, false);
    return this.search((r) => this.sortCompare(r, bound) > 0);
  }

  /**
   * The frame bound value. An infinite offset from an infinite row the other way (+inf minus
   * inf) is NaN arithmetically; in_range_float8_float8 then takes every row as in range, so
   * the bound becomes the infinity on the frame's open side (NaN rows still sort past it).
   */
  private bound(current: Value, offset: Value, preceding: boolean, start: boolean): Value {
    const subtract = preceding !== this.key.descending;
    const bound = this.arith.shift(current, offset, subtract);
    if (!isNaNValue(bound) || isNaNValue(current)) return bound;
    const negative = start !== this.key.descending;
    const infinity = negative ? -Infinity : Infinity;
    return typeof bound === "number" ? infinity : new Decimal(infinity);
  }

  /** Compares row `r`'s value with `bound` in sort order (nulls at their end). */
  private sortCompare(r: number, bound: Value): number {
    const v = this.value(r);
    if (v === null) return this.key.nullsFirst ? -1 : 1;
    const c = this.arith.compare(v, bound);
    return this.key.descending ? -c : c;
  }

  /** First row for which `past` holds (it holds for a suffix of the partition). */
  private search(past: (r: number) => boolean): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (past(mid)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

function isNaNValue(v: Value): boolean {
  if (typeof v === "number") return Number.isNaN(v);
  return typeof v === "object" && v !== null && "isNaN" in v && (v as Decimal).isNaN();
}

interface RangeArithmetic {
  shift(value: Value, offset: Value, subtract: boolean): Value;
  compare(value: Value, bound: Value): number;
}

/** Returns in_range's arithmetic for an ORDER BY type and offset type. */
function rangeArithmetic(type: number, offsetType: number, ctx: EvalLike): RangeArithmetic {
  if (type === Oid.int2 || type === Oid.int4 || type === Oid.int8) {
    return {
      shift: (v, o, sub) => (sub ? BigInt(v as number) - BigInt(o as number)
        : BigInt(v as number) + BigInt(o as number)),
      compare: (v, b) => {
        const x = BigInt(v as number);
        return x < (b as bigint) ? -1 : x > (b as bigint) ? 1 : 0;
      },
    };
  }
  if (type === Oid.float4 || type === Oid.float8) {
    return {
      shift: (v, o, sub) => (sub ? (v as number) - (o as number) : (v as number) + (o as number)),
      compare: (v, b) => compareFor(Oid.float8)(v, b),
    };
  }
  if (type === Oid.numeric) {
    return {
      shift: (v, o, sub) => (sub ? (v as Decimal).minus(o as Decimal)
        : (v as Decimal).plus(o as Decimal)),
      compare: (v, b) => compareFor(Oid.numeric)(v, b),
    };
  }
  if (type === Oid.time || type === Oid.timetz) return timeArithmetic(type);
  return operatorArithmetic(type, offsetType, ctx);
}

/**
 * in_range_time[tz]_interval: the interval's time part moves the value without wrapping at
 * midnight (00:15 minus 1 hour is before every time of day, not 23:15).
 */
function timeArithmetic(type: number): RangeArithmetic {
  return {
    shift: (v, o, sub) => {
      const delta = Number((o as Interval).micros) * (sub ? -1 : 1);
      return type === Oid.time ? (v as number) + delta
        : { ...(v as TimeTz), micros: (v as TimeTz).micros + delta };
    },
    compare: (v, b) => compareFor(type)(v, b),
  };
}

/** Datetime types: the `+` and `-` operators, comparing in their result type. */
function operatorArithmetic(type: number, offsetType: number, ctx: EvalLike): RangeArithmetic {
  const find = (name: string) =>
    operatorsNamed(name).find((op) => op.left === type && op.right === offsetType);
  const plus = find("+");
  const minus = find("-");
  if (plus === undefined || minus === undefined) {
    throw notSupported(`RANGE offsets for type ${type} until its operators are available`);
  }
  const result = plus.result;
  const cast = result === type ? undefined : findCastDef(type, result);
  const compare = compareFor(result);
  const call = { argTypes: [type, offsetType], returnType: result };
  return {
    shift: (v, o, sub) => (sub ? minus.impl(v, o, ctx, call) : plus.impl(v, o, ctx, call)),
    compare: (v, b) => compare(cast === undefined ? v : cast.fn(v, -1, false, ctx), b),
  };
}
