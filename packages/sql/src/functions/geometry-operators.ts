/**
 * Operators of the geometric types (geo_ops.c): point arithmetic (+ - * /), translation and
 * scaling of boxes, paths and circles by a point, distances (<->), containment (@> <@),
 * overlap (&&), sameness (~=), positions (<< >> <^ >^ &< &> <<| |>> &<| |&>), intersection
 * (?# and #), closest points (##), length (@-@), center (@@), point counts (#), slopes
 * (?- ?| ?-| ?||), and the area- or length-ordered comparisons of box, circle, lseg, path.
 */
import { GeoTypeOid as G, fpEq, geo, makeBox } from "../types/geometry.js";
import {
  asLine, asSeg, boxArea, boxClosest, boxContains, boxOverlap, boxSegIntersect, div, fpGe,
  fpGt, fpLe, fpLt, fpZero, hypot, lineClosest, lineIntersection, mul, pointDistance,
  pointEq, pointInside, pointsOf, sameFloat, segClosest, segClosestToLine, segClosestToSeg,
  segContains, segIntersection, segLineIntersection, segmentsOf, float8Lt, type Pt,
} from "../types/geometry-math.js";
import { geoConvert } from "../types/geometry-casts.js";
import type { PgGeometry, Value } from "../types/value.js";
import type { OperatorDef } from "./defs.js";
import { op } from "./builders.js";
import { geoPredicates, pathLength } from "./geometry-functions.js";
import { polygonOperators, polygonPointDistance } from "./geometry-polygon.js";
import { T } from "./type-oids.js";

const g = (v: Value): PgGeometry => v as PgGeometry;
const c = (v: Value, i: number): number => g(v).coords[i]!;
const pt = (v: Value): Pt => [c(v, 0), c(v, 1)];
const point = (p: Pt): PgGeometry => geo("point", [p[0], p[1]]);
const B = T.bool;
const F = T.float8;

/** point_add … point_div on raw points. */
const pointMath = {
  add: (p: Pt, q: Pt): Pt => [p[0] + q[0], p[1] + q[1]],
  sub: (p: Pt, q: Pt): Pt => [p[0] - q[0], p[1] - q[1]],
  mul: (p: Pt, q: Pt): Pt => [mul(p[0], q[0]) - mul(p[1], q[1]),
    mul(p[0], q[1]) + mul(p[1], q[0])],
  div: (p: Pt, q: Pt): Pt => {
    const d = mul(q[0], q[0]) + mul(q[1], q[1]);
    return [div(mul(p[0], q[0]) + mul(p[1], q[1]), d), div(mul(p[1], q[0]) - mul(p[0], q[1]), d)];
  },
};
type PointOp = keyof typeof pointMath;

/** Applies a point operation to every point of a shape (box_add, path_mul_pt …). */
function mapPoints(v: Value, q: Pt, how: PointOp): PgGeometry {
  const shape = g(v);
  const coords = pointsOf(shape).flatMap((p) => pointMath[how](p, q));
  if (shape.shape === "box" && (how === "mul" || how === "div")) {
    return makeBox(coords[0]!, coords[1]!, coords[2]!, coords[3]!);
  }
  return geo(shape.shape, coords, shape.closed);
}

function circleByPoint(v: Value, q: Pt, how: PointOp): PgGeometry {
  const [x, y] = pointMath[how](pt(v), q);
  const r = c(v, 2);
  const radius = how === "mul" ? mul(r, hypot(q[0], q[1]))
    : how === "div" ? div(r, hypot(q[0], q[1])) : r;
  return geo("circle", [x, y, radius]);
}

function arithmetic(): OperatorDef[] {
  const ops: OperatorDef[] = [];
  for (const [name, how] of [["+", "add"], ["-", "sub"], ["*", "mul"], ["/", "div"]] as const) {
    ops.push(op(name, G.point, G.point, G.point, (l, r) => point(pointMath[how](pt(l), pt(r)))),
      op(name, G.box, G.point, G.box, (l, r) => mapPoints(l, pt(r), how)),
      op(name, G.path, G.point, G.path, (l, r) => mapPoints(l, pt(r), how)),
      op(name, G.circle, G.point, G.circle, (l, r) => circleByPoint(l, pt(r), how)));
  }
  ops.push(op("+", G.path, G.path, G.path, (l, r) => (g(l).closed || g(r).closed ? null
    : geo("path", [...g(l).coords, ...g(r).coords], false))));
  return ops;
}

/** A distance operator and its commutator with the operands swapped. */
function distancePair(left: number, right: number, f: (l: Value, r: Value) => number):
  OperatorDef[] {
  return [op("<->", left, right, F, f, { commutator: "<->" }),
    op("<->", right, left, F, (l, r) => f(r, l), { commutator: "<->" })];
}

const nonNegative = (d: number): number => (d < 0 ? 0 : d);

function distances(): OperatorDef[] {
  return [
    op("<->", G.point, G.point, F, (l, r) => pointDistance(pt(l), pt(r)), { commutator: "<->" }),
    ...distancePair(G.point, G.lseg, (l, r) => segClosest(asSeg(g(r)), pt(l))[1]),
    ...distancePair(G.point, G.box, (l, r) => boxClosest(g(r), pt(l))[1]),
    ...distancePair(G.point, G.line, (l, r) => lineClosest(asLine(g(r)), pt(l))[1]),
    ...distancePair(G.point, G.circle, (l, r) => nonNegative(pointDistance(pt(l), pt(r)) -
      c(r, 2))),
    ...distancePair(G.point, G.path, (l, r) => pathPointDistance(g(r), pt(l))),
    ...distancePair(G.point, G.polygon, (l, r) => polygonPointDistance(g(r), pt(l))),
    ...distancePair(G.lseg, G.line, (l, r) => segClosestToLine(asSeg(g(l)), asLine(g(r)))[1]),
    op("<->", G.lseg, G.lseg, F, (l, r) => segClosestToSeg(asSeg(g(l)), asSeg(g(r)))[1]),
    op("<->", G.box, G.box, F, (l, r) => pointDistance(boxMid(l), boxMid(r))),
    op("<->", G.circle, G.circle, F, (l, r) => nonNegative(pointDistance(pt(l), pt(r)) -
      (c(l, 2) + c(r, 2)))),
    op("<->", G.line, G.line, F, (l, r) => lineDistance(l, r)),
    op("<->", G.path, G.path, F, (l, r) => pathDistance(g(l), g(r))),
  ];
}

const boxMid = (v: Value): Pt => pt(geoConvert.boxCenter(v));

function pathPointDistance(path: PgGeometry, p: Pt): number {
  let best: number | undefined;
  for (const segment of segmentsOf(path)) {
    const d = segClosest(segment, p)[1];
    if (best === undefined || float8Lt(d, best)) best = d;
  }
  return best ?? 0;
}

function pathDistance(a: PgGeometry, b: PgGeometry): Value {
  let best: number | undefined;
  for (const s1 of segmentsOf(a)) {
    for (const s2 of segmentsOf(b)) {
      const d = segClosestToSeg(s1, s2)[1];
      if (best === undefined || float8Lt(d, best)) best = d;
    }
  }
  return best ?? null;
}

function lineDistance(l: Value, r: Value): number {
  const [a1, b1, c1] = asLine(g(l));
  const [a2, b2, c2] = asLine(g(r));
  if (lineIntersection(asLine(g(l)), asLine(g(r))) !== undefined) return 0;
  let ratio = 1;
  if (!fpZero(a1) && !Number.isNaN(a1) && !fpZero(a2) && !Number.isNaN(a2)) ratio = a1 / a2;
  else if (!fpZero(b1) && !Number.isNaN(b1) && !fpZero(b2) && !Number.isNaN(b2)) ratio = b1 / b2;
  return Math.abs(c1 - ratio * c2) / hypot(a1, b1);
}

/** The box tests of box_left … box_overabove on (high x, high y, low x, low y). */
function boxPositions(): OperatorDef[] {
  const x = (v: Value, i: number): number => c(v, i);
  const tests: readonly [string, (l: Value, r: Value) => boolean][] = [
    ["<<", (l, r) => fpLt(x(l, 0), x(r, 2))], ["&<", (l, r) => fpLe(x(l, 0), x(r, 0))],
    [">>", (l, r) => fpGt(x(l, 2), x(r, 0))], ["&>", (l, r) => fpGe(x(l, 2), x(r, 2))],
    ["<<|", (l, r) => fpLt(x(l, 1), x(r, 3))], ["&<|", (l, r) => fpLe(x(l, 1), x(r, 1))],
    ["|>>", (l, r) => fpGt(x(l, 3), x(r, 1))], ["|&>", (l, r) => fpGe(x(l, 3), x(r, 3))],
    ["<^", (l, r) => fpLe(x(l, 1), x(r, 3))], [">^", (l, r) => fpGe(x(l, 3), x(r, 1))],
    ["&&", (l, r) => boxOverlap(g(l), g(r))], ["?#", (l, r) => boxOverlap(g(l), g(r))],
    ["@>", (l, r) => boxContainsBox(l, r)], ["<@", (l, r) => boxContainsBox(r, l)],
    ["~=", (l, r) => pointEq(pt(l), pt(r)) && pointEq([x(l, 2), x(l, 3)], [x(r, 2), x(r, 3)])],
  ];
  return tests.map(([name, test]) => op(name, G.box, G.box, B, test));
}

function boxContainsBox(l: Value, r: Value): boolean {
  return fpGe(c(l, 0), c(r, 0)) && fpLe(c(l, 2), c(r, 2)) && fpGe(c(l, 1), c(r, 1)) &&
    fpLe(c(l, 3), c(r, 3));
}

/** circle_left … circle_overabove: sides are center ± radius. */
function circlePositions(): OperatorDef[] {
  const lo = (v: Value, i: number): number => c(v, i) - c(v, 2);
  const hi = (v: Value, i: number): number => c(v, i) + c(v, 2);
  const centers = (l: Value, r: Value): number => pointDistance(pt(l), pt(r));
  const tests: readonly [string, (l: Value, r: Value) => boolean][] = [
    ["<<", (l, r) => fpLt(hi(l, 0), lo(r, 0))], ["&<", (l, r) => fpLe(hi(l, 0), hi(r, 0))],
    [">>", (l, r) => fpGt(lo(l, 0), hi(r, 0))], ["&>", (l, r) => fpGe(lo(l, 0), lo(r, 0))],
    ["<<|", (l, r) => fpLt(hi(l, 1), lo(r, 1))], ["&<|", (l, r) => fpLe(hi(l, 1), hi(r, 1))],
    ["|>>", (l, r) => fpGt(lo(l, 1), hi(r, 1))], ["|&>", (l, r) => fpGe(lo(l, 1), lo(r, 1))],
    ["&&", (l, r) => fpLe(centers(l, r), c(l, 2) + c(r, 2))],
    ["@>", (l, r) => fpLe(centers(l, r) + c(r, 2), c(l, 2))],
    ["<@", (l, r) => fpLe(centers(l, r) + c(l, 2), c(r, 2))],
    ["~=", (l, r) => ((Number.isNaN(c(l, 2)) && Number.isNaN(c(r, 2))) ||
      fpEq(c(l, 2), c(r, 2))) && pointEq(pt(l), pt(r))],
  ];
  return tests.map(([name, test]) => op(name, G.circle, G.circle, B, test));
}

/** poly_left … poly_overabove compare bounding boxes exactly. */
function polygonPositions(): OperatorDef[] {
  const bb = (v: Value): readonly number[] => geoConvert.polygonBox(v).coords;
  const tests: readonly [string, (a: readonly number[], b: readonly number[]) => boolean][] = [
    ["<<", (a, b) => a[0]! < b[2]!], ["&<", (a, b) => a[0]! <= b[0]!],
    [">>", (a, b) => a[2]! > b[0]!], ["&>", (a, b) => a[2]! >= b[2]!],
    ["<<|", (a, b) => a[1]! < b[3]!], ["&<|", (a, b) => a[1]! <= b[1]!],
    ["|>>", (a, b) => a[3]! > b[1]!], ["|&>", (a, b) => a[3]! >= b[3]!],
  ];
  return [
    ...tests.map(([name, test]) => op(name, G.polygon, G.polygon, B, (l, r) => test(bb(l),
      bb(r)))),
    op("&&", G.polygon, G.polygon, B, (l, r) => polygonsOverlap(g(l), g(r))),
    op("~=", G.polygon, G.polygon, B, (l, r) => polygonsSame(g(l), g(r))),
  ];
}

/** poly_overlap: bounding boxes, then crossing edges, then one inside the other. */
function polygonsOverlap(a: PgGeometry, b: PgGeometry): boolean {
  if (!boxOverlap(geoConvert.polygonBox(a), geoConvert.polygonBox(b))) return false;
  for (const sa of segmentsOf(a)) {
    for (const sb of segmentsOf(b)) if (segIntersection(sa, sb) !== undefined) return true;
  }
  return pointInside(pointsOf(a)[0]!, pointsOf(b)) !== 0 ||
    pointInside(pointsOf(b)[0]!, pointsOf(a)) !== 0;
}

/** poly_same / plist_same: the same points in a cyclic order, either direction. */
function polygonsSame(a: PgGeometry, b: PgGeometry): boolean {
  const p1 = pointsOf(a);
  const p2 = pointsOf(b);
  const n = p1.length;
  if (n !== p2.length) return false;
  for (let i = 0; i < n; i++) {
    if (!pointEq(p2[i]!, p1[0]!)) continue;
    for (const step of [1, -1]) {
      let k = 1;
      for (; k < n; k++) if (!pointEq(p2[(((i + step * k) % n) + n) % n]!, p1[k]!)) break;
      if (k === n) return true;
    }
  }
  return false;
}

function pointOperators(): OperatorDef[] {
  const tests: readonly [string, (l: Value, r: Value) => boolean][] = [
    ["<<", (l, r) => fpLt(c(l, 0), c(r, 0))], [">>", (l, r) => fpGt(c(l, 0), c(r, 0))],
    ["<^", (l, r) => fpLt(c(l, 1), c(r, 1))], [">^", (l, r) => fpGt(c(l, 1), c(r, 1))],
    ["<<|", (l, r) => fpLt(c(l, 1), c(r, 1))], ["|>>", (l, r) => fpGt(c(l, 1), c(r, 1))],
    ["~=", (l, r) => pointEq(pt(l), pt(r))], ["<>", (l, r) => !pointEq(pt(l), pt(r))],
    ["?|", geoPredicates.pointVertical], ["?-", geoPredicates.pointHorizontal],
  ];
  return tests.map(([name, test]) => op(name, G.point, G.point, B, test));
}

/** A containment operator and its commutator (@> with the container on the left). */
function containment(container: number, item: number, f: (outer: Value, inner: Value) =>
  boolean): OperatorDef[] {
  return [op("@>", container, item, B, f, { commutator: "<@" }),
    op("<@", item, container, B, (l, r) => f(r, l), { commutator: "@>" })];
}

function containments(): OperatorDef[] {
  return [
    ...containment(G.box, G.point, (b, p) => boxContains(g(b), pt(p))),
    ...containment(G.circle, G.point, (o, p) => pointDistance(pt(o), pt(p)) <= c(o, 2)),
    ...containment(G.polygon, G.point, (o, p) => pointInside(pt(p), pointsOf(g(o))) !== 0),
    ...containment(G.path, G.point, (o, p) => pathContains(g(o), pt(p))),
    op("<@", G.point, G.lseg, B, (p, s) => segContains(asSeg(g(s)), pt(p))),
    op("<@", G.point, G.line, B, (p, l) => onLine(g(l), pt(p))),
    op("<@", G.lseg, G.line, B, (s, l) => asSeg(g(s)).every((p) => onLine(g(l), p))),
    op("<@", G.lseg, G.box, B, (s, b) => asSeg(g(s)).every((p) => boxContains(g(b), p))),
  ];
}

/** on_pl */
function onLine(l: PgGeometry, p: Pt): boolean {
  const [a, b, cc] = asLine(l);
  return fpZero(a * p[0] + b * p[1] + cc);
}

/** on_ppath: on a segment of an open path, inside a closed one. */
function pathContains(path: PgGeometry, p: Pt): boolean {
  if (path.closed) return pointInside(p, pointsOf(path)) !== 0;
  const points = pointsOf(path);
  for (let i = 0; i + 1 < points.length; i++) {
    if (fpEq(pointDistance(p, points[i]!) + pointDistance(p, points[i + 1]!),
      pointDistance(points[i]!, points[i + 1]!))) return true;
  }
  return false;
}

function segmentAndLineOperators(): OperatorDef[] {
  const seg = (v: Value): ReturnType<typeof asSeg> => asSeg(g(v));
  const line = (v: Value): ReturnType<typeof asLine> => asLine(g(v));
  const orNull = (p: Pt | undefined): Value => (p === undefined ? null : point(p));
  const len = (v: Value): number => pointDistance(...seg(v));
  const p = geoPredicates;
  return [
    op("?#", G.lseg, G.lseg, B, (l, r) => segIntersection(seg(l), seg(r)) !== undefined),
    op("?#", G.lseg, G.box, B, (l, r) => boxSegIntersect(g(r), seg(l))),
    op("?#", G.lseg, G.line, B, (l, r) => segLineIntersection(seg(l), line(r)) !== undefined),
    op("?#", G.line, G.line, B, (l, r) => !p.lineParallel(l, r)),
    op("?#", G.path, G.path, B, (l, r) => segmentsOf(g(l)).some((a) => segmentsOf(g(r))
      .some((b) => segIntersection(a, b) !== undefined))),
    op("#", G.lseg, G.lseg, G.point, (l, r) => orNull(segIntersection(seg(l), seg(r)))),
    op("#", G.line, G.line, G.point, (l, r) => orNull(lineIntersection(line(l), line(r)))),
    op("#", G.box, G.box, G.box, (l, r) => boxIntersection(l, r)),
    op("#", 0, G.path, T.int4, (_l, r) => g(r).coords.length / 2),
    op("#", 0, G.polygon, T.int4, (_l, r) => g(r).coords.length / 2),
    op("##", G.point, G.lseg, G.point, (l, r) => nanToNull(segClosest(seg(r), pt(l)))),
    op("##", G.point, G.box, G.point, (l, r) => point(boxClosest(g(r), pt(l))[0])),
    op("##", G.point, G.line, G.point, (l, r) => nanToNull(lineClosest(line(r), pt(l)))),
    op("##", G.lseg, G.lseg, G.point, (l, r) => closestSegSeg(l, r)),
    op("?||", G.lseg, G.lseg, B, p.segParallel), op("?-|", G.lseg, G.lseg, B, p.segPerp),
    op("?||", G.line, G.line, B, p.lineParallel), op("?-|", G.line, G.line, B, p.linePerp),
    op("?|", 0, G.lseg, B, (_l, r) => p.segVertical(r)),
    op("?-", 0, G.lseg, B, (_l, r) => p.segHorizontal(r)),
    op("?|", 0, G.line, B, (_l, r) => p.lineVertical(r)),
    op("?-", 0, G.line, B, (_l, r) => p.lineHorizontal(r)),
    op("@-@", 0, G.lseg, F, (_l, r) => len(r)),
    op("@-@", 0, G.path, F, (_l, r) => pathLength(r)),
    op("@@", 0, G.lseg, G.point, (_l, r) => geoConvert.lsegCenter(r)),
    op("@@", 0, G.box, G.point, (_l, r) => geoConvert.boxCenter(r)),
    op("@@", 0, G.polygon, G.point, (_l, r) => geoConvert.polygonCenter(r)),
    op("@@", 0, G.circle, G.point, (_l, r) => geoConvert.circleCenter(r)),
  ];
}

function nanToNull(found: [Pt, number]): Value {
  return Number.isNaN(found[1]) ? null : point(found[0]);
}

/** close_lseg: NULL for segments of one slope. */
function closestSegSeg(l: Value, r: Value): Value {
  const [a, b] = asSeg(g(l));
  const [p, q] = asSeg(g(r));
  const slope = (u: Pt, v: Pt): number =>
    fpEq(u[0], v[0]) ? Infinity : fpEq(u[1], v[1]) ? 0 : (u[1] - v[1]) / (u[0] - v[0]);
  if (sameFloat(slope(a, b), slope(p, q))) return null;
  return nanToNull(segClosestToSeg(asSeg(g(r)), asSeg(g(l))));
}

/** box_intersect: NULL when the boxes do not overlap. */
function boxIntersection(l: Value, r: Value): Value {
  if (!boxOverlap(g(l), g(r))) return null;
  const min = (a: number, b: number): number => (float8Lt(a, b) ? a : b);
  const max = (a: number, b: number): number => (float8Lt(a, b) ? b : a);
  return geo("box", [min(c(l, 0), c(r, 0)), min(c(l, 1), c(r, 1)), max(c(l, 2), c(r, 2)),
    max(c(l, 3), c(r, 3))]);
}

/** The = < <= > >= <> of box and circle (by area), lseg (= by points, order by length), path
 * (by point count) and line (=). */
function orderings(): OperatorDef[] {
  const circleArea = (v: Value): number => c(v, 2) * c(v, 2) * Math.PI;
  const segLength = (v: Value): number => pointDistance(...asSeg(g(v)));
  const count = (v: Value): number => g(v).coords.length;
  const fuzzy: readonly [string, (a: number, b: number) => boolean][] = [
    ["=", fpEq], ["<", fpLt], ["<=", fpLe], [">", fpGt], [">=", fpGe],
  ];
  const ops: OperatorDef[] = [];
  for (const [name, test] of fuzzy) {
    ops.push(op(name, G.box, G.box, B, (l, r) => test(boxArea(g(l)), boxArea(g(r)))),
      op(name, G.circle, G.circle, B, (l, r) => test(circleArea(l), circleArea(r))));
    if (name !== "=") ops.push(op(name, G.lseg, G.lseg, B, (l, r) => test(segLength(l),
      segLength(r))));
  }
  const exact: readonly [string, (a: number, b: number) => boolean][] = [
    ["=", (a, b) => a === b], ["<", (a, b) => a < b], ["<=", (a, b) => a <= b],
    [">", (a, b) => a > b], [">=", (a, b) => a >= b],
  ];
  for (const [name, test] of exact) {
    ops.push(op(name, G.path, G.path, B, (l, r) => test(count(l), count(r))));
  }
  const segEq = (l: Value, r: Value): boolean => asSeg(g(l)).every((p, i) =>
    pointEq(p, asSeg(g(r))[i]!));
  ops.push(op("=", G.lseg, G.lseg, B, segEq), op("<>", G.lseg, G.lseg, B, (l, r) => !segEq(l, r)),
    op("<>", G.circle, G.circle, B, (l, r) => !fpEq(circleArea(l), circleArea(r))),
    op("=", G.line, G.line, B, (l, r) => linesEqual(l, r)));
  return ops;
}

/** line_eq: proportional coefficients (exact when a NaN is involved). */
function linesEqual(l: Value, r: Value): boolean {
  const a = asLine(g(l));
  const b = asLine(g(r));
  if ([...a, ...b].some(Number.isNaN)) return a.every((v, i) => sameFloat(v, b[i]!));
  const ratio = !fpZero(b[0]) ? a[0] / b[0] : !fpZero(b[1]) ? a[1] / b[1]
    : !fpZero(b[2]) ? a[2] / b[2] : 1;
  return a.every((v, i) => fpEq(v, ratio * b[i]!));
}

export function geometryOperators(): OperatorDef[] {
  return [...arithmetic(), ...distances(), ...boxPositions(), ...circlePositions(),
    ...polygonPositions(), ...pointOperators(), ...containments(),
    ...segmentAndLineOperators(), ...orderings(), ...polygonOperators(polygonsOverlap)];
}
