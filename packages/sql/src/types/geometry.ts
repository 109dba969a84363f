/**
 * The geometric types point, lseg, box, path, polygon, line and circle (PostgreSQL's
 * geo_ops.c): `PgGeometry` values, text input exactly as pair_decode / path_decode accept it,
 * output as path_encode prints it (fields through float8 output, so extra_float_digits
 * applies), and the binary formats of *_send / *_recv.
 *
 *   point '(1,2)' or '1,2'             -> (1,2)
 *   lseg  '[(0,0),(1,1)]'              -> [(0,0),(1,1)]
 *   box   '(0,0),(2,3)'                -> (2,3),(0,0)       (high corner first)
 *   path  '[(0,0),(1,1)]' / '((…))'    -> open / closed
 *   line  '{1,-1,0}' or two points     -> {1,-1,0}
 *   circle '<(0,0),2>'                 -> <(0,0),2>
 */
import { SqlError, SqlState } from "@tessera/base";
import { ByteReader, ByteWriter } from "./binary.js";
import type { FormatContext } from "./context.js";
import { invalidInput } from "./errors.js";
import { formatFloat8 } from "./float.js";
import { isSpaceCode, type TypeIo } from "./type-io.js";
import type { PgGeometry, Value } from "./value.js";

export type GeoShape = PgGeometry["shape"];

/** The geometric types' OIDs (PostgreSQL 15's pg_type). */
export const GeoTypeOid = {
  point: 600, lseg: 601, path: 602, box: 603, polygon: 604, line: 628, circle: 718,
  pointArray: 1017, lsegArray: 1018, pathArray: 1019, boxArray: 1020, polygonArray: 1027,
  lineArray: 629, circleArray: 719,
} as const;

/** Makes a geometric value. */
export function geo(shape: GeoShape, coords: readonly number[], closed = false): PgGeometry {
  return { kind: "geometry", shape, coords, closed };
}

/** Reads a string the way geo_ops.c's decoders walk a C string. */
class GeoReader {
  pos = 0;
  constructor(readonly text: string, readonly typeName: string) {}

  get ch(): string {
    return this.text[this.pos] ?? "";
  }
  skipSpace(): void {
    while (this.pos < this.text.length && isSpaceCode(this.text.charCodeAt(this.pos))) this.pos++;
  }
  fail(): SqlError {
    return invalidInput(this.typeName, this.text);
  }
  /** Consumes `ch` or fails (the `*str++ != DELIM` checks). */
  expect(ch: string): void {
    if (this.ch !== ch) throw this.fail();
    this.pos++;
  }
  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  /** float8in_internal with an end pointer: spaces, a number, spaces. */
  float(): number {
    this.skipSpace();
    const rest = this.text.slice(this.pos);
    const special = /^[+-]?(?:infinity|inf|nan)/i.exec(rest);
    let value: number;
    let length: number;
    if (special !== null) {
      const word = special[0].toLowerCase();
      value = word.endsWith("nan") ? NaN : word.startsWith("-") ? -Infinity : Infinity;
      length = special[0].length;
    } else {
      const match = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(rest);
      if (match === null) throw this.fail();
      length = match[0].length;
      value = Number(match[0]);
      const mantissa = match[0].split(/[eE]/)[0] ?? "";
      if (Math.abs(value) === Infinity || (value === 0 && /[1-9]/.test(mantissa))) {
        throw new SqlError(SqlState.numericValueOutOfRange,
          `"${match[0]}" is out of range for type double precision`);
      }
    }
    this.pos += length;
    this.skipSpace();
    return value;
  }

  /** pair_decode: "x,y" or "(x,y)", spaces after a closing paren. */
  pair(): [number, number] {
    this.skipSpace();
    const delimited = this.ch === "(";
    if (delimited) this.pos++;
    const x = this.float();
    this.expect(",");
    const y = this.float();
    if (delimited) {
      this.expect(")");
      this.skipSpace();
    }
    return [x, y];
  }

  /** path_decode: `count` pairs, in ( ) or, when `openAllowed`, [ ]; returns isopen. */
  path(openAllowed: boolean, count: number, coords: number[]): boolean {
    let depth = 0;
    this.skipSpace();
    const isOpen = this.ch === "[";
    if (isOpen) {
      if (!openAllowed) throw this.fail();
      depth++;
      this.pos++;
    } else if (this.ch === "(") {
      let next = this.pos + 1;
      while (next < this.text.length && isSpaceCode(this.text.charCodeAt(next))) next++;
      if (this.text[next] === "(" || this.text.lastIndexOf("(") === this.pos) {
        depth++;
        this.pos = next;
      }
    }
    for (let i = 0; i < count; i++) {
      coords.push(...this.pair());
      if (this.ch === ",") this.pos++;
    }
    while (depth > 0) {
      if (this.ch === ")" || (this.ch === "]" && isOpen && depth === 1)) {
        depth--;
        this.pos++;
        this.skipSpace();
      } else {
        throw this.fail();
      }
    }
    return isOpen;
  }

  end(): void {
    if (!this.atEnd()) throw this.fail();
  }
}

/** pair_count: the number of points a list of pairs with `n` commas holds, or -1. */
function pairCount(text: string): number {
  const commas = text.split(",").length - 1;
  return commas % 2 === 1 ? (commas + 1) / 2 : -1;
}

function parsePoint(text: string): PgGeometry {
  const reader = new GeoReader(text, "point");
  const pair = reader.pair();
  reader.end();
  return geo("point", pair);
}

function parseLseg(text: string): PgGeometry {
  const reader = new GeoReader(text, "lseg");
  const coords: number[] = [];
  reader.path(true, 2, coords);
  reader.end();
  return geo("lseg", coords);
}

/** float8_gt: NaN sorts above every number. */
export function float8Gt(a: number, b: number): boolean {
  if (Number.isNaN(a)) return !Number.isNaN(b);
  if (Number.isNaN(b)) return false;
  return a > b;
}

/** box_construct: a box from two corners, high corner first. */
export function makeBox(x1: number, y1: number, x2: number, y2: number): PgGeometry {
  const [hx, lx] = float8Gt(x1, x2) ? [x1, x2] : [x2, x1];
  const [hy, ly] = float8Gt(y1, y2) ? [y1, y2] : [y2, y1];
  return geo("box", [hx, hy, lx, ly]);
}

function parseBox(text: string): PgGeometry {
  const reader = new GeoReader(text, "box");
  const c: number[] = [];
  reader.path(false, 2, c);
  reader.end();
  let [hx, hy, lx, ly] = c as [number, number, number, number];
  if (float8Gt(lx, hx)) [hx, lx] = [lx, hx];
  if (float8Gt(ly, hy)) [hy, ly] = [ly, hy];
  return geo("box", [hx, hy, lx, ly]);
}

function parsePath(text: string): PgGeometry {
  const count = pairCount(text);
  if (count <= 0) throw invalidInput("path", text);
  const reader = new GeoReader(text, "path");
  reader.skipSpace();
  let depth = 0;
  if (reader.ch === "(" && text.lastIndexOf("(") === reader.pos) {
    reader.pos++;
    depth++;
  }
  const coords: number[] = [];
  const isOpen = reader.path(true, count, coords);
  if (depth >= 1) {
    reader.expect(")");
    reader.skipSpace();
  }
  reader.end();
  return geo("path", coords, !isOpen);
}

function parsePolygon(text: string): PgGeometry {
  const count = pairCount(text);
  if (count <= 0) throw invalidInput("polygon", text);
  const reader = new GeoReader(text, "polygon");
  const coords: number[] = [];
  reader.path(false, count, coords);
  reader.end();
  return geo("polygon", coords, true);
}

function parseCircle(text: string): PgGeometry {
  const reader = new GeoReader(text, "circle");
  reader.skipSpace();
  let depth = 0;
  if (reader.ch === "<") {
    depth++;
    reader.pos++;
  } else if (reader.ch === "(") {
    let next = reader.pos + 1;
    while (next < text.length && isSpaceCode(text.charCodeAt(next))) next++;
    if (text[next] === "(") {
      depth++;
      reader.pos = next;
    }
  }
  const [x, y] = reader.pair();
  if (reader.ch === ",") reader.pos++;
  const radius = reader.float();
  if (radius < 0) throw reader.fail();
  while (depth > 0) {
    if (reader.ch === ")" || (reader.ch === ">" && depth === 1)) {
      depth--;
      reader.pos++;
      reader.skipSpace();
    } else {
      throw reader.fail();
    }
  }
  reader.end();
  return geo("circle", [x, y, radius]);
}

function parseLine(text: string): PgGeometry {
  const reader = new GeoReader(text, "line");
  reader.skipSpace();
  if (reader.ch === "{") {
    reader.pos++;
    const a = reader.float();
    reader.expect(",");
    const b = reader.float();
    reader.expect(",");
    const c = reader.float();
    reader.expect("}");
    reader.skipSpace();
    reader.end();
    if (Math.abs(a) <= geoEpsilon && Math.abs(b) <= geoEpsilon) {
      throw new SqlError(SqlState.invalidTextRepresentation,
        "invalid line specification: A and B cannot both be zero");
    }
    return geo("line", [a, b, c]);
  }
  const c: number[] = [];
  reader.path(true, 2, c);
  reader.end();
  const [x1, y1, x2, y2] = c as [number, number, number, number];
  if (fpEq(x1, x2) && fpEq(y1, y2)) {
    throw new SqlError(SqlState.invalidTextRepresentation,
      "invalid line specification: must be two distinct points");
  }
  return lineThrough(x1, y1, pointSlope(x1, y1, x2, y2));
}

/** geo_decls.h's EPSILON and the fuzzy comparisons built on it. */
export const geoEpsilon = 1.0e-06;
export const fpEq = (a: number, b: number): boolean => a === b || Math.abs(a - b) <= geoEpsilon;

/** point_sl: the slope from one point to another (Infinity when vertical). */
export function pointSlope(x1: number, y1: number, x2: number, y2: number): number {
  if (fpEq(x1, x2)) return Infinity;
  if (fpEq(y1, y2)) return 0;
  return (y1 - y2) / (x1 - x2);
}

/** line_construct: the line through (x, y) with slope m. */
export function lineThrough(x: number, y: number, m: number): PgGeometry {
  if (!Number.isFinite(m) && !Number.isNaN(m)) return geo("line", [-1, 0, x]);
  if (m === 0) return geo("line", [0, -1, y]);
  const c = y - m * x;
  return geo("line", [m, -1, c === 0 ? 0 : c]);
}

const parsers: Readonly<Record<GeoShape, (text: string) => PgGeometry>> = {
  point: parsePoint, lseg: parseLseg, box: parseBox, path: parsePath, polygon: parsePolygon,
  line: parseLine, circle: parseCircle,
};

/** Parses text input of a geometric type. */
export function parseGeometry(shape: GeoShape, text: string): PgGeometry {
  return parsers[shape](text);
}

/** Prints a geometric value as its *_out function. */
export function formatGeometry(value: PgGeometry, ctx: FormatContext): string {
  const f = (v: number): string => formatFloat8(v, ctx);
  const c = value.coords;
  const points = (from: number, to: number): string => {
    const parts: string[] = [];
    for (let i = from; i + 1 < to; i += 2) parts.push(`(${f(c[i]!)},${f(c[i + 1]!)})`);
    return parts.join(",");
  };
  switch (value.shape) {
    case "point": return points(0, 2);
    case "lseg": return `[${points(0, 4)}]`;
    case "box": return points(0, 4);
    case "path": return value.closed ? `(${points(0, c.length)})` : `[${points(0, c.length)}]`;
    case "polygon": return `(${points(0, c.length)})`;
    case "line": return `{${f(c[0]!)},${f(c[1]!)},${f(c[2]!)}}`;
    case "circle": return `<${points(0, 2)},${f(c[2]!)}>`;
  }
}

/** Sends the fields as float8s; path adds its closed byte and point count, polygon the count. */
function sendGeometry(value: PgGeometry): Uint8Array {
  const out = new ByteWriter(8 * value.coords.length + 5);
  if (value.shape === "path") out.int8(value.closed ? 1 : 0);
  if (value.shape === "path" || value.shape === "polygon") out.int32(value.coords.length / 2);
  for (const coord of value.coords) out.float64(coord);
  return out.finish();
}

const fixedCounts: Readonly<Partial<Record<GeoShape, number>>> = {
  point: 2, lseg: 4, box: 4, line: 3, circle: 3,
};

function receiveGeometry(shape: GeoShape, bytes: Uint8Array): PgGeometry {
  const reader = new ByteReader(bytes);
  let closed = shape === "polygon";
  let count = fixedCounts[shape] ?? 0;
  if (shape === "path") closed = reader.int8() !== 0;
  if (shape === "path" || shape === "polygon") {
    const points = reader.int32();
    if (points <= 0 || points * 16 > reader.remaining) {
      throw new SqlError(SqlState.invalidBinaryRepresentation,
        `invalid number of points in external "${shape}" value`);
    }
    count = points * 2;
  }
  const coords: number[] = [];
  for (let i = 0; i < count; i++) coords.push(reader.float64());
  reader.end();
  if (shape === "box") return makeBox(coords[0]!, coords[1]!, coords[2]!, coords[3]!);
  if (shape === "circle" && !(coords[2]! >= 0)) {
    throw new SqlError(SqlState.invalidBinaryRepresentation,
      "invalid radius in external \"circle\" value");
  }
  if (shape === "line" && fpEq(coords[0]!, 0) && fpEq(coords[1]!, 0)) {
    throw new SqlError(SqlState.invalidBinaryRepresentation,
      "invalid line specification: A and B cannot both be zero");
  }
  return geo(shape, coords, closed);
}

/**
 * The TypeIo of one geometric type. None has a btree or hash operator class, so sorting,
 * grouping or DISTINCT on one fails as in PostgreSQL (42883).
 */
export function makeGeometryIo(shape: GeoShape): TypeIo {
  return {
    input: (text) => parseGeometry(shape, text),
    output: (value, ctx) => formatGeometry(value as PgGeometry, ctx),
    send: (value) => sendGeometry(value as PgGeometry),
    receive: (bytes) => receiveGeometry(shape, bytes),
    compare: () => {
      throw new SqlError(SqlState.undefinedFunction,
        `could not identify an ordering operator for type ${shape}`);
    },
    hashKey: () => {
      throw new SqlError(SqlState.undefinedFunction,
        `could not identify an equality operator for type ${shape}`);
    },
  };
}
