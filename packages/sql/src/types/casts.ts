/**
 * Casts, as PostgreSQL's pg_cast defines them, plus the two rules Postgres applies beyond
 * the table: every type converts to a string type through I/O in assignment context, and a
 * string type converts to any type through I/O only explicitly; arrays cast element by
 * element with the element cast's context.
 *
 *   findCast(int4, int8)     -> context 'i' (implicit)
 *   findCast(int8, int4)     -> context 'a' (assignment), 22003 integer out of range
 *   findCast(text, date)     -> context 'e' (explicit), through date's input
 *   findCast(_text, _int4)   -> context 'e', each element through int4's input
 *
 * `coerceToTypmod` applies a typmod after a cast or on assignment: varchar(n), char(n),
 * numeric(p,s), time(p), timestamp(p), interval fields.
 */
import { TypeOid as T } from "./oids.js";
import { castTable, type CastRow } from "./cast-table.js";
import type { CastFn } from "./cast-functions.js";
import type { FormatContext } from "./context.js";
import { applyIntervalTypmod } from "./datetime/interval-typmod.js";
import { roundTime } from "./datetime/time.js";
import { roundTimestamp } from "./datetime/timestamp.js";
import { applyNumericTypmod } from "./numeric.js";
import { multirangeRangeOid, typeByOid, type PgType } from "./registry.js";
import { coerceBpchar, coerceVarchar } from "./text.js";
import { coerceBit, coerceVarbit } from "./bit.js";
import type { Decimal } from "decimal.js";
import type { Interval, PgArray, PgRange, TimeTz, Value } from "./value.js";

export type { CastFn } from "./cast-functions.js";

export type CastContext = "i" | "a" | "e";

export interface Cast {
  /** i: implicit, a: assignment (and explicit), e: explicit only. */
  readonly context: CastContext;
  /** f: a function, b: binary coercible (no-op), i: through text I/O. */
  readonly method: "f" | "b" | "i";
  /** Converts a non-null value, then applies `typmod` when one is given (>= 0). */
  readonly fn: CastFn;
  /**
   * The conversion itself reads the target typmod (bitfromint4 takes the length), so callers
   * must pass it rather than apply it afterwards.
   */
  readonly takesTypmod?: boolean;
}

const castsByPair = new Map<string, Cast>();
for (const row of castTable) castsByPair.set(`${row[0]}>${row[1]}`, makeTableCast(row));

function makeTableCast(row: CastRow): Cast {
  const [, target, context, method, convert, takesTypmod] = row;
  const cast: Cast = { context, method, fn: withTypmod(target, convert) };
  return takesTypmod === true ? { ...cast, takesTypmod } : cast;
}

/** Wraps a conversion so the result gets the target typmod, as a length coercion would. */
function withTypmod(target: number, convert: CastFn): CastFn {
  return (value, typmod, ctx) => {
    const converted = convert(value, typmod, ctx);
    if (typmod < 0 || converted === null) return converted;
    return coerceToTypmod(target, converted, typmod, true);
  };
}

/** Finds how a `source` value becomes a `target` value, or undefined when it cannot. */
export function findCast(source: number, target: number): Cast | undefined {
  if (source === target) {
    const fn: CastFn = (value, typmod) => coerceToTypmod(target, value, typmod, true);
    return { context: "i", method: "b", fn };
  }
  const listed = castsByPair.get(`${source}>${target}`);
  if (listed !== undefined) return listed;
  const sourceType = typeByOid(source);
  const targetType = typeByOid(target);
  if (sourceType === undefined || targetType === undefined) return undefined;
  if (sourceType.category === "A" && targetType.category === "A" &&
    sourceType.elementOid !== 0 && targetType.elementOid !== 0) {
    return arrayCast(sourceType, targetType);
  }
  if (source === T.unknown) return ioCast(sourceType, targetType, "i");
  // A user range type to its multirange type, explicitly, as the built-in pairs (cast-table).
  if (multirangeRangeOid(target) === source) {
    return { context: "e", method: "f", fn: (v) => ({ kind: "multirange",
      multirangeType: target, ranges: (v as PgRange).empty ? [] : [v as PgRange] }) };
  }
  if (targetType.category === "S" && target !== T.char) return ioCast(sourceType, targetType, "a");
  if (sourceType.category === "S" && source !== T.char) return ioCast(sourceType, targetType, "e");
  return undefined;
}

/** Converts through text: the source's output, then the target's input with the typmod. */
function ioCast(source: PgType, target: PgType, context: CastContext): Cast {
  const fn: CastFn = (value, typmod, ctx) => {
    const text = source.output(value, ctx);
    return coerceToTypmod(target.oid, target.input(text, -1, ctx), typmod, true);
  };
  return { context, method: "i", fn };
}

function arrayCast(source: PgType, target: PgType): Cast | undefined {
  const element = findCast(source.elementOid, target.elementOid);
  if (element === undefined) return undefined;
  const fn: CastFn = (value, typmod, ctx) => {
    const array = value as PgArray;
    const items = array.items.map((item) => (item === null ? null : element.fn(item, typmod, ctx)));
    return { ...array, elementType: target.elementOid, items };
  };
  return { context: element.context, method: element.method, fn };
}

/**
 * Applies a typmod to a value of `typeOid`. `isExplicit` lets varchar(n) and char(n) cut
 * silently, as an explicit cast does; on assignment only trailing spaces may be cut.
 */
export function coerceToTypmod(typeOid: number, value: Value, typmod: number,
  isExplicit = false): Value {
  if (typmod < 0 || value === null) return value;
  switch (typeOid) {
    case T.varchar: return coerceVarchar(value as string, typmod, isExplicit);
    case T.bit: return coerceBit(value as string, typmod, isExplicit);
    case T.varbit: return coerceVarbit(value as string, typmod, isExplicit);
    case T.bpchar: return coerceBpchar(value as string, typmod, isExplicit);
    case T.numeric: return applyNumericTypmod(value as Decimal, typmod);
    case T.time: return roundTime(value as number, typmod);
    case T.timetz: {
      const timetz = value as TimeTz;
      return { micros: roundTime(timetz.micros, typmod), zoneSeconds: timetz.zoneSeconds };
    }
    case T.timestamp:
    case T.timestamptz: return roundTimestamp(value as bigint, typmod);
    case T.interval: return applyIntervalTypmod(value as Interval, typmod);
    default: {
      const type = typeByOid(typeOid);
      if (type === undefined || type.category !== "A" || type.elementOid === 0) return value;
      const array = value as PgArray;
      const items = array.items.map((item) =>
        coerceToTypmod(type.elementOid, item, typmod, isExplicit));
      return { ...array, items };
    }
  }
}

/** True when a value of `source` may be used where `target` is expected in `context`. */
export function canCoerce(source: number, target: number, context: CastContext): boolean {
  const cast = findCast(source, target);
  if (cast === undefined) return false;
  const rank = { i: 0, a: 1, e: 2 } as const;
  return rank[cast.context] <= rank[context];
}

export type { FormatContext };
