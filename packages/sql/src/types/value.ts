/**
 * The run-time representation of SQL values: one JavaScript shape per Postgres type, chosen so
 * comparisons and arithmetic are exact and cheap. Every layer (engine rows, expression
 * closures, wire encoding) shares these shapes; `types/registry.ts` maps a type OID to its
 * text and binary I/O.
 *
 *   type                         JavaScript value
 *   ---------------------------  ---------------------------------------------------------
 *   NULL of any type             null
 *   bool                         boolean
 *   int2, int4, oid, regclass…   number (an integer in range, checked on input)
 *   int8                         bigint
 *   float4, float8               number (float4 rounded through Math.fround)
 *   numeric                      Decimal (decimal.js; NaN and ±Infinity included); the display
 *                                scale rides as own property `dscale` (numeric.ts `withScale`)
 *   text, varchar, char, name    string (char(n) padded on input as Postgres stores it)
 *   bytea                        Uint8Array
 *   uuid                         string, lowercase canonical 8-4-4-4-12
 *   date                         number: days since 2000-01-01; ±Infinity for ±infinity
 *   time                         number: microseconds since midnight
 *   timetz                       TimeTz
 *   timestamp, timestamptz       bigint: microseconds since 2000-01-01 00:00 (UTC for tz);
 *                                TIMESTAMP_INFINITY / TIMESTAMP_MINUS_INFINITY for ±infinity
 *   interval                     Interval { months, days, micros: bigint }
 *   json                         string (the text exactly as given, validated)
 *   jsonb                        Jsonb (normalised tree; JSON null is JSONB_NULL, see below)
 *   inet, cidr                   Inet
 *   int4range … daterange        PgRange (types/range.ts)
 *   int4multirange …             PgMultirange (types/multirange.ts)
 *   point, lseg, box, line …     PgGeometry (types/geometry.ts)
 *   arrays of any of these       PgArray
 *   record (row values)          PgRecord
 */
import type { Decimal } from "decimal.js";

export type { Decimal };

export interface Interval {
  readonly months: number;
  readonly days: number;
  readonly micros: bigint;
}

export interface TimeTz {
  /** Microseconds since midnight, local to the zone. */
  readonly micros: number;
  /** Zone offset in seconds, Postgres's sign convention (west of Greenwich is positive). */
  readonly zoneSeconds: number;
}

export interface Inet {
  readonly family: 4 | 6;
  /** 4 or 16 bytes. */
  readonly address: Uint8Array;
  readonly bits: number;
  /** true for cidr values, which print the mask always. */
  readonly isCidr: boolean;
}

/**
 * jsonb: objects keep keys in Postgres's order (shorter keys first, then bytewise), duplicate
 * keys resolved to the last value; numbers are numerics so `1.50` prints as `1.50`.
 *
 * JSON's null is `JSONB_NULL`, never `null`: a jsonb column holding the JSON value `null`
 * must stay distinct from SQL NULL (`'null'::jsonb IS NULL` is false). Readers still treat
 * a nested plain `null` as JSON null.
 */
export type Jsonb =
  | null
  | JsonbNull
  | boolean
  | string
  | JsonbNumber
  | readonly Jsonb[]
  | JsonbObject;

export interface JsonbNull {
  readonly kind: "null";
}

/** The one JSON null; compare with `===` or by `kind`. */
export const JSONB_NULL: JsonbNull = Object.freeze({ kind: "null" });

export interface JsonbNumber {
  readonly kind: "number";
  readonly value: Decimal;
}

export interface JsonbObject {
  readonly kind: "object";
  /** Sorted as Postgres sorts jsonb keys; no duplicates. */
  readonly entries: readonly (readonly [string, Jsonb])[];
}

/**
 * A Postgres array: `dims` lengths and `lowerBounds` per dimension (lower bound 1 unless the
 * input said otherwise), `items` in row-major order. A zero-dimension array is empty `{}`.
 */
export interface PgArray {
  readonly kind: "array";
  readonly elementType: number;
  readonly dims: readonly number[];
  readonly lowerBounds: readonly number[];
  readonly items: readonly Value[];
}

/** An anonymous row value, as `ROW(1, 'a')` or a whole-row reference. */
export interface PgRecord {
  readonly kind: "record";
  readonly fields: readonly Value[];
  /** Field type OIDs, same length as `fields`. */
  readonly types: readonly number[];
  readonly names?: readonly string[];
}

/**
 * A range value: empty, or two bounds, each infinite (`lowerInf` / `upperInf`, value null) or
 * a subtype value with its inclusive flag; discrete ranges are kept canonical ([lower, upper)).
 */
export interface PgRange {
  readonly kind: "range";
  /** The range type's OID (int4range 3904 …). */
  readonly rangeType: number;
  readonly empty: boolean;
  readonly lower: Value;
  readonly upper: Value;
  readonly lowerInc: boolean;
  readonly upperInc: boolean;
  readonly lowerInf: boolean;
  readonly upperInf: boolean;
}

/**
 * A multirange value: its ranges in canonical form, sorted, none empty, no two overlapping
 * or adjacent (the empty multirange has none).
 */
export interface PgMultirange {
  readonly kind: "multirange";
  /** The multirange type's OID (int4multirange 4451 …). */
  readonly multirangeType: number;
  readonly ranges: readonly PgRange[];
}

/**
 * A geometric value (point, lseg, box, path, polygon, line, circle): its float8 fields in
 * Postgres's storage order, `closed` for paths. point (x,y); lseg (x1,y1,x2,y2); box (high x,
 * high y, low x, low y); line (A,B,C); circle (x,y,radius); path and polygon x,y per point.
 */
export interface PgGeometry {
  readonly kind: "geometry";
  readonly shape: "point" | "lseg" | "box" | "path" | "polygon" | "line" | "circle";
  readonly coords: readonly number[];
  readonly closed: boolean;
}

export type Value =
  | null
  | boolean
  | number
  | bigint
  | string
  | Decimal
  | Uint8Array
  | Interval
  | TimeTz
  | Inet
  | Jsonb
  | PgArray
  | PgRecord
  | PgRange
  | PgMultirange
  | PgGeometry;

/** Postgres's DT_NOBEGIN / DT_NOEND for timestamps: the int64 extremes. */
export const TIMESTAMP_MINUS_INFINITY = -(2n ** 63n);
export const TIMESTAMP_INFINITY = 2n ** 63n - 1n;

/** One row of values; its length is the column count of its row description. */
export type Row = Value[];
