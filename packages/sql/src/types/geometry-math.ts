/**
 * The computational geometry of PostgreSQL's geo_ops.c, step for step so results agree to the
 * last bit: pg_hypot, fuzzy comparisons (EPSILON 1e-6), lines through points, intersection
 * points, closest points and distances, the winding test of point_inside, and the
 * conversions between shapes that casts and functions share.
 */
import { SqlError, SqlState } from "@tessera/base";
import { fpEq, geo, geoEpsilon, lineThrough, makeBox, pointSlope } from "./geometry.js";
import type { PgGeometry } from "./value.js";

/** A point as two numbers; shapes hand out their points as these. */
export type Pt = readonly [number, number];

export const fpZero = (a: number): boolean => Math.abs(a) <= geoEpsilon;
export const fpLt = (a: number, b: number): boolean => b - a > geoEpsilon;
export const fpLe = (a: number, b: number): boolean => a - b <= geoEpsilon;
export const fpGt = (a: number, b: number): boolean => a - b > geoEpsilon;
export const fpGe = (a: number, b: number): boolean => b - a <= geoEpsilon;

/** float8_lt: NaN sorts above every number. */
export function float8Lt(a: number, b: number): boolean {
  if (Number.isNaN(a)) return false;
  if (Number.isNaN(b)) return true;
  return a < b;
}

function overflow(): SqlError {
  return new SqlError(SqlState.numericValueOutOfRange, "value out of range: overflow");
}

/** float8_mul / _pl / _mi / _div with their overflow checks. */
export function mul(a: number, b: number): number {
  const r = a * b;
  if (!Number.isFinite(r) && !Number.isNaN(r) && Number.isFinite(a) && Number.isFinite(b)) {
    throw overflow();
  }
  return r;
}
export function div(a: number, b: number): number {
  if (b === 0 && !Number.isNaN(a)) throw new SqlError(SqlState.divisionByZero, "division by zero");
  const r = a / b;
  if (!Number.isFinite(r) && !Number.isNaN(r) && Number.isFinite(a)) throw overflow();
  return r;
}

/** pg_hypot: sqrt(x² + y²) without undue overflow, exactly as Postgres computes it. */
export function hypot(x: number, y: number): number {
  if (!Number.isFinite(x) && !Number.isNaN(x)) return Infinity;
  if (!Number.isFinite(y) && !Number.isNaN(y)) return Infinity;
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  let a = Math.abs(x);
  let b = Math.abs(y);
  if (a < b) [a, b] = [b, a];
  if (b === 0) return a;
  const yx = b / a;
  return a * Math.sqrt(1 + yx * yx);
}

export const pointDistance = (p: Pt, q: Pt): number => hypot(p[0] - q[0], p[1] - q[1]);

/** point_eq_point: fuzzy, but exact when a NaN is involved. */
export function pointEq(p: Pt, q: Pt): boolean {
  if ([p[0], p[1], q[0], q[1]].some(Number.isNaN)) {
    return sameFloat(p[0], q[0]) && sameFloat(p[1], q[1]);
  }
  return fpEq(p[0], q[0]) && fpEq(p[1], q[1]);
}

/** float8_eq: NaN equals NaN. */
export function sameFloat(a: number, b: number): boolean {
  return Number.isNaN(a) ? Number.isNaN(b) : a === b;
}

/** point_invsl: the slope perpendicular to p→q. */
export function pointInvSlope(p: Pt, q: Pt): number {
  if (fpEq(p[0], q[0])) return 0;
  if (fpEq(p[1], q[1])) return Infinity;
  return (p[0] - q[0]) / (q[1] - p[1]);
}

/** The points of a shape: two per lseg and box (high, low), all of a path or polygon. */
export function pointsOf(g: PgGeometry): Pt[] {
  const points: Pt[] = [];
  for (let i = 0; i + 1 < g.coords.length; i += 2) points.push([g.coords[i]!, g.coords[i + 1]!]);
  return points;
}

export type Line = readonly [number, number, number];
export type Seg = readonly [Pt, Pt];

const lineOf = (g: PgGeometry): Line => g.coords as unknown as Line;
export const asLine = lineOf;
export const asSeg = (g: PgGeometry): Seg => pointsOf(g) as unknown as Seg;

/** line_construct as a Line triple. */
export function lineFrom(p: Pt, m: number): Line {
  return lineThrough(p[0], p[1], m).coords as unknown as Line;
}

/** line_invsl */
export function lineInvSlope(l: Line): number {
  if (fpZero(l[0])) return Infinity;
  if (fpZero(l[1])) return 0;
  return l[1] / l[0];
}

/** line_sl */
export function lineSlope(l: Line): number {
  if (fpZero(l[0])) return 0;
  if (fpZero(l[1])) return Infinity;
  return l[0] / -l[1];
}

/** line_interpt_line: the intersection point, or undefined for parallel lines. */
export function lineIntersection(l1: Line, l2: Line): Pt | undefined {
  let x: number;
  let y: number;
  if (!fpZero(l1[1])) {
    if (fpEq(l2[0], mul(l1[0], div(l2[1], l1[1])))) return undefined;
    x = div(mul(l1[1], l2[2]) - mul(l2[1], l1[2]), mul(l1[0], l2[1]) - mul(l2[0], l1[1]));
    y = div(-(mul(l1[0], x) + l1[2]), l1[1]);
  } else if (!fpZero(l2[1])) {
    if (fpEq(l1[0], mul(l2[0], div(l1[1], l2[1])))) return undefined;
    x = div(mul(l2[1], l1[2]) - mul(l1[1], l2[2]), mul(l2[0], l1[1]) - mul(l1[0], l2[1]));
    y = div(-(mul(l2[0], x) + l2[2]), l2[1]);
  } else {
    return undefined;
  }
  return [x === 0 ? 0 : x, y === 0 ? 0 : y];
}

/** lseg_contain_point */
export function segContains(s: Seg, p: Pt): boolean {
  return fpEq(pointDistance(p, s[0]) + pointDistance(p, s[1]), pointDistance(s[0], s[1]));
}

/** lseg_interpt_line */
export function segLineIntersection(s: Seg, l: Line): Pt | undefined {
  const at = lineIntersection(lineFrom(s[0], pointSlope(...s[0], ...s[1])), l);
  if (at === undefined || !segContains(s, at)) return undefined;
  if (pointEq(s[0], at)) return s[0];
  if (pointEq(s[1], at)) return s[1];
  return at;
}

/** lseg_interpt_lseg */
export function segIntersection(a: Seg, b: Seg): Pt | undefined {
  const at = segLineIntersection(a, lineFrom(b[0], pointSlope(...b[0], ...b[1])));
  if (at === undefined || !segContains(b, at)) return undefined;
  return at;
}

/** line_closept_point: the closest point of a line and its distance (NaN when none). */
export function lineClosest(l: Line, p: Pt): [Pt, number] {
  const at = lineIntersection(lineFrom(p, lineInvSlope(l)), l);
  if (at === undefined) return [p, NaN];
  return [at, pointDistance(at, p)];
}

/** lseg_closept_line */
export function segClosestToLine(s: Seg, l: Line): [Pt, number] {
  const at = segLineIntersection(s, l);
  if (at !== undefined) return [at, 0];
  const d1 = lineClosest(l, s[0])[1];
  const d2 = lineClosest(l, s[1])[1];
  return d1 < d2 ? [s[0], d1] : [s[1], d2];
}

/** lseg_closept_point */
export function segClosest(s: Seg, p: Pt): [Pt, number] {
  const [at] = segClosestToLine(s, lineFrom(p, pointInvSlope(s[0], s[1])));
  return [at, pointDistance(at, p)];
}

/** lseg_closept_lseg: the point of `on` closest to `to`, and the distance. */
export function segClosestToSeg(on: Seg, to: Seg): [Pt, number] {
  const cross = segIntersection(on, to);
  if (cross !== undefined) return [cross, 0];
  let [best, dist] = segClosest(on, to[0]);
  const [p1, d1] = segClosest(on, to[1]);
  if (float8Lt(d1, dist)) [best, dist] = [p1, d1];
  const d2 = segClosest(to, on[0])[1];
  if (float8Lt(d2, dist)) [best, dist] = [on[0], d2];
  const d3 = segClosest(to, on[1])[1];
  if (float8Lt(d3, dist)) [best, dist] = [on[1], d3];
  return [best, dist];
}

/** box_contain_point (exact comparisons) */
export function boxContains(b: PgGeometry, p: Pt): boolean {
  const [hx, hy, lx, ly] = b.coords as [number, number, number, number];
  return hx >= p[0] && lx <= p[0] && hy >= p[1] && ly <= p[1];
}

/** The four sides of a box in box_closept_point's order. */
function boxSides(b: PgGeometry): Seg[] {
  const [hx, hy, lx, ly] = b.coords as [number, number, number, number];
  const high: Pt = [hx, hy];
  const low: Pt = [lx, ly];
  const upperLeft: Pt = [lx, hy];
  const lowerRight: Pt = [hx, ly];
  return [[low, upperLeft], [high, upperLeft], [low, lowerRight], [high, lowerRight]];
}

/** box_closept_point */
export function boxClosest(b: PgGeometry, p: Pt): [Pt, number] {
  if (boxContains(b, p)) return [p, 0];
  let best: [Pt, number] | undefined;
  for (const side of boxSides(b)) {
    const found = segClosest(side, p);
    if (best === undefined || float8Lt(found[1], best[1])) best = found;
  }
  return best!;
}

/** box_ov */
export function boxOverlap(a: PgGeometry, b: PgGeometry): boolean {
  const [ahx, ahy, alx, aly] = a.coords as [number, number, number, number];
  const [bhx, bhy, blx, bly] = b.coords as [number, number, number, number];
  return fpLe(alx, bhx) && fpLe(blx, ahx) && fpLe(aly, bhy) && fpLe(bly, ahy);
}

/** box_interpt_lseg without the result point (inter_sb) */
export function boxSegIntersect(b: PgGeometry, s: Seg): boolean {
  const bound = makeBox(s[0][0], s[0][1], s[1][0], s[1][1]);
  if (!boxOverlap(bound, b)) return false;
  if (boxContains(b, s[0]) || boxContains(b, s[1])) return true;
  return boxSides(b).some((side) => segIntersection(side, s) !== undefined);
}

export function boxCenter(b: PgGeometry): Pt {
  const [hx, hy, lx, ly] = b.coords as [number, number, number, number];
  return [(hx + lx) / 2, (hy + ly) / 2];
}

export function boxArea(b: PgGeometry): number {
  const [hx, hy, lx, ly] = b.coords as [number, number, number, number];
  return (hx - lx) * (hy - ly);
}

/** make_bound_box of a point list. */
export function boundBox(points: readonly Pt[]): PgGeometry {
  let [hx, hy] = points[0]!;
  let [lx, ly] = points[0]!;
  for (const [x, y] of points) {
    if (float8Lt(hx, x)) hx = x;
    if (float8Lt(x, lx)) lx = x;
    if (float8Lt(hy, y)) hy = y;
    if (float8Lt(y, ly)) ly = y;
  }
  return geo("box", [hx, hy, lx, ly]);
}

const POINT_ON_POLYGON = Number.MAX_SAFE_INTEGER;

/** point_inside: 0 outside, 1 inside, 2 on the boundary. */
export function pointInside(p: Pt, points: readonly Pt[]): number {
  const x0 = points[0]![0] - p[0];
  const y0 = points[0]![1] - p[1];
  let prevX = x0;
  let prevY = y0;
  let total = 0;
  for (let i = 1; i < points.length; i++) {
    const x = points[i]![0] - p[0];
    const y = points[i]![1] - p[1];
    const cross = segCrossing(x, y, prevX, prevY);
    if (cross === POINT_ON_POLYGON) return 2;
    total += cross;
    prevX = x;
    prevY = y;
  }
  const cross = segCrossing(x0, y0, prevX, prevY);
  if (cross === POINT_ON_POLYGON) return 2;
  total += cross;
  return total !== 0 ? 1 : 0;
}

/** lseg_crossing: how the edge (prev → here) crosses the positive X axis. */
function segCrossing(x: number, y: number, prevX: number, prevY: number): number {
  if (fpZero(y)) {
    if (fpZero(x)) return POINT_ON_POLYGON;
    if (fpGt(x, 0)) {
      if (fpZero(prevY)) return fpGt(prevX, 0) ? 0 : POINT_ON_POLYGON;
      return fpLt(prevY, 0) ? 1 : -1;
    }
    if (fpZero(prevY)) return fpLt(prevX, 0) ? 0 : POINT_ON_POLYGON;
    return 0;
  }
  const ySign = fpGt(y, 0) ? 1 : -1;
  if (fpZero(prevY)) return fpLt(prevX, 0) ? 0 : ySign;
  if ((ySign < 0 && fpLt(prevY, 0)) || (ySign > 0 && fpGt(prevY, 0))) return 0;
  if (fpGe(x, 0) && fpGt(prevX, 0)) return 2 * ySign;
  if (fpLt(x, 0) && fpLe(prevX, 0)) return 0;
  const z = (x - prevX) * y - (y - prevY) * x;
  if (fpZero(z)) return POINT_ON_POLYGON;
  if ((ySign < 0 && fpLt(z, 0)) || (ySign > 0 && fpGt(z, 0))) return 0;
  return 2 * ySign;
}

/** The segments of a path (with the closing one when closed) or of a polygon. */
export function segmentsOf(g: PgGeometry): Seg[] {
  const points = pointsOf(g);
  const segments: Seg[] = [];
  for (let i = 0; i < points.length; i++) {
    if (i === 0 && !g.closed) continue;
    segments.push([points[i === 0 ? points.length - 1 : i - 1]!, points[i]!]);
  }
  return segments;
}

/** poly_to_circle: center the mean of the points, radius the mean distance to it. */
export function polygonCircle(g: PgGeometry): PgGeometry {
  const points = pointsOf(g);
  let x = 0;
  let y = 0;
  for (const p of points) {
    x += p[0];
    y += p[1];
  }
  const center: Pt = [x / points.length, y / points.length];
  let radius = 0;
  for (const p of points) radius += pointDistance(center, p);
  return geo("circle", [center[0], center[1], radius / points.length]);
}

/** circle_poly: `count` points around the circle. */
export function circlePolygon(count: number, c: PgGeometry): PgGeometry {
  const [cx, cy, r] = c.coords as [number, number, number];
  if (fpZero(r)) {
    throw new SqlError(SqlState.featureNotSupported,
      "cannot convert circle with radius zero to polygon");
  }
  if (count < 2) {
    throw new SqlError(SqlState.invalidParameterValue, "must request at least 2 points");
  }
  const step = (2 * Math.PI) / count;
  const coords: number[] = [];
  for (let i = 0; i < count; i++) {
    const angle = step * i;
    coords.push(cx - r * Math.cos(angle), cy + r * Math.sin(angle));
  }
  return geo("polygon", coords, true);
}

/** box_poly: the corners from low-left, clockwise. */
export function boxPolygon(b: PgGeometry): PgGeometry {
  const [hx, hy, lx, ly] = b.coords as [number, number, number, number];
  return geo("polygon", [lx, ly, lx, hy, hx, hy, hx, ly], true);
}

/** circle_box: the box inscribed in the circle. */
export function circleBox(c: PgGeometry): PgGeometry {
  const [cx, cy, r] = c.coords as [number, number, number];
  const delta = r / Math.sqrt(2);
  return geo("box", [cx + delta, cy + delta, cx - delta, cy - delta]);
}

/** box_circle: the circle through the box's corners. */
export function boxCircle(b: PgGeometry): PgGeometry {
  const center = boxCenter(b);
  const [hx, hy] = b.coords as [number, number];
  return geo("circle", [center[0], center[1], pointDistance(center, [hx, hy])]);
}

/** path_poly: only closed paths convert. */
export function pathPolygon(p: PgGeometry): PgGeometry {
  if (!p.closed) {
    throw new SqlError(SqlState.invalidParameterValue,
      "open path cannot be converted to polygon");
  }
  return geo("polygon", p.coords, true);
}
