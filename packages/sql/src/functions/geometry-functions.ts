/**
 * Functions of the geometric types (geo_ops.c): constructors and conversions (point(), box(),
 * circle(), lseg(), line(), path(), polygon(), bound_box, diagonal), measures (area, center,
 * diameter, radius, height, width, length, npoints, slope), path state (isclosed, isopen,
 * pclose, popen) and the is* predicates. Operators are in `geometry-operators.ts`.
 *
 *   area('(2,2),(0,0)'::box) -> 4       polygon(4, circle '<(0,0),1>') -> 4 points on it
 */
import { SqlError, SqlState } from "@tessera/base";
import { GeoTypeOid as G, fpEq, geo, makeBox, pointSlope } from "../types/geometry.js";
import { geoConvert } from "../types/geometry-casts.js";
import {
  boundBox, boxArea, boxCircle, boxPolygon, circleBox, circlePolygon, fpZero, lineFrom,
  lineIntersection, pathPolygon, pointDistance, pointEq, pointsOf, polygonCircle, segmentsOf,
  segIntersection, asLine, asSeg, type Pt,
} from "../types/geometry-math.js";
import type { PgGeometry, Value } from "../types/value.js";
import type { ScalarFunction } from "./defs.js";
import { fn } from "./builders.js";
import { T } from "./type-oids.js";

const g = (v: Value | undefined): PgGeometry => v as PgGeometry;
const c = (v: Value | undefined, i: number): number => g(v).coords[i]!;
const pt = (v: Value | undefined): Pt => [c(v, 0), c(v, 1)];
const point = (p: Pt): PgGeometry => geo("point", [p[0], p[1]]);

/** path_length / lseg_length: the sum of the segment lengths. */
export function pathLength(v: Value): number {
  let total = 0;
  for (const [a, b] of segmentsOf(g(v))) total += pointDistance(a, b);
  return total;
}

/** path_area: the shoelace area of a closed path; NULL for an open one. */
export function pathArea(v: Value): Value {
  if (!g(v).closed) return null;
  const points = pointsOf(g(v));
  let area = 0;
  points.forEach((p, i) => {
    const q = points[(i + 1) % points.length]!;
    area += p[0] * q[1];
    area -= p[1] * q[0];
  });
  return Math.abs(area) / 2;
}

/** line_construct_pp */
export function lineThroughPoints(p: Pt, q: Pt): PgGeometry {
  if (pointEq(p, q)) {
    throw new SqlError(SqlState.invalidParameterValue,
      "invalid line specification: must be two distinct points");
  }
  return geo("line", lineFrom(p, pointSlope(p[0], p[1], q[0], q[1])));
}

export function geometryFunctions(): ScalarFunction[] {
  return [...constructors(), ...measures(), ...predicates()];
}

function constructors(): ScalarFunction[] {
  return [
    fn("point", [T.float8, T.float8], G.point, (a) => geo("point", [a[0] as number,
      a[1] as number])),
    fn("point", [G.box], G.point, (a) => geoConvert.boxCenter(a[0]!)),
    fn("point", [G.circle], G.point, (a) => geoConvert.circleCenter(a[0]!)),
    fn("point", [G.lseg], G.point, (a) => geoConvert.lsegCenter(a[0]!)),
    fn("point", [G.polygon], G.point, (a) => geoConvert.polygonCenter(a[0]!)),
    fn("box", [G.point, G.point], G.box, (a) => makeBox(c(a[0], 0), c(a[0], 1), c(a[1], 0),
      c(a[1], 1))),
    fn("box", [G.point], G.box, (a) => geoConvert.pointToBox(a[0]!)),
    fn("box", [G.circle], G.box, (a) => circleBox(g(a[0]))),
    fn("box", [G.polygon], G.box, (a) => geoConvert.polygonBox(a[0]!)),
    fn("bound_box", [G.box, G.box], G.box, (a) => boundBox([...pointsOf(g(a[0])),
      ...pointsOf(g(a[1]))])),
    fn("circle", [G.point, T.float8], G.circle, (a) => circleOf(pt(a[0]), a[1] as number)),
    fn("circle", [G.box], G.circle, (a) => boxCircle(g(a[0]))),
    fn("circle", [G.polygon], G.circle, (a) => polygonCircle(g(a[0]))),
    fn("lseg", [G.point, G.point], G.lseg, (a) => geo("lseg", [...pt(a[0]), ...pt(a[1])])),
    fn("lseg", [G.box], G.lseg, (a) => geoConvert.boxDiagonal(a[0]!)),
    fn("diagonal", [G.box], G.lseg, (a) => geoConvert.boxDiagonal(a[0]!)),
    fn("line", [G.point, G.point], G.line, (a) => lineThroughPoints(pt(a[0]), pt(a[1]))),
    fn("path", [G.polygon], G.path, (a) => geoConvert.polygonPath(a[0]!)),
    fn("polygon", [G.box], G.polygon, (a) => boxPolygon(g(a[0]))),
    fn("polygon", [G.circle], G.polygon, (a) => circlePolygon(12, g(a[0]))),
    fn("polygon", [T.int4, G.circle], G.polygon, (a) => circlePolygon(a[0] as number,
      g(a[1]))),
    fn("polygon", [G.path], G.polygon, (a) => pathPolygon(g(a[0]))),
    fn("pclose", [G.path], G.path, (a) => geo("path", g(a[0]).coords, true)),
    fn("popen", [G.path], G.path, (a) => geo("path", g(a[0]).coords, false)),
    fn("line_interpt", [G.line, G.line], G.point, (a) => {
      const at = lineIntersection(asLine(g(a[0])), asLine(g(a[1])));
      return at === undefined ? null : point(at);
    }),
    fn("lseg_interpt", [G.lseg, G.lseg], G.point, (a) => {
      const at = segIntersection(asSeg(g(a[0])), asSeg(g(a[1])));
      return at === undefined ? null : point(at);
    }),
  ];
}

/** cr_circle: the radius as given. */
function circleOf(center: Pt, radius: number): PgGeometry {
  return geo("circle", [center[0], center[1], radius]);
}

function measures(): ScalarFunction[] {
  const width = (v: Value | undefined): number => c(v, 0) - c(v, 2);
  const height = (v: Value | undefined): number => c(v, 1) - c(v, 3);
  return [
    fn("area", [G.box], T.float8, (a) => boxArea(g(a[0]))),
    fn("area", [G.circle], T.float8, (a) => c(a[0], 2) * c(a[0], 2) * Math.PI),
    fn("area", [G.path], T.float8, (a) => pathArea(a[0]!)),
    fn("center", [G.box], G.point, (a) => geoConvert.boxCenter(a[0]!)),
    fn("center", [G.circle], G.point, (a) => geoConvert.circleCenter(a[0]!)),
    fn("diameter", [G.circle], T.float8, (a) => 2 * c(a[0], 2)),
    fn("radius", [G.circle], T.float8, (a) => c(a[0], 2)),
    fn("width", [G.box], T.float8, (a) => width(a[0])),
    fn("height", [G.box], T.float8, (a) => height(a[0])),
    fn("length", [G.lseg], T.float8, (a) => pointDistance(...asSeg(g(a[0])))),
    fn("length", [G.path], T.float8, (a) => pathLength(a[0]!)),
    fn("npoints", [G.path], T.int4, (a) => g(a[0]).coords.length / 2),
    fn("npoints", [G.polygon], T.int4, (a) => g(a[0]).coords.length / 2),
    fn("slope", [G.point, G.point], T.float8, (a) => pointSlope(c(a[0], 0), c(a[0], 1),
      c(a[1], 0), c(a[1], 1))),
  ];
}

/** lseg_parallel, lseg_perp, line_parallel, line_perp … shared with the operators. */
export const geoPredicates = {
  segParallel: (l: Value, r: Value): boolean => {
    const [a, b] = asSeg(g(l));
    const [p, q] = asSeg(g(r));
    return fpEq(pointSlope(...a, ...b), pointSlope(...p, ...q));
  },
  segPerp: (l: Value, r: Value): boolean => {
    const [a, b] = asSeg(g(l));
    const [p, q] = asSeg(g(r));
    const inv = fpEq(p[0], q[0]) ? 0 : fpEq(p[1], q[1]) ? Infinity : (p[0] - q[0]) / (q[1] - p[1]);
    return fpEq(pointSlope(...a, ...b), inv);
  },
  lineParallel: (l: Value, r: Value): boolean =>
    lineIntersection(asLine(g(l)), asLine(g(r))) === undefined,
  linePerp: (l: Value, r: Value): boolean => {
    const [a1, b1] = asLine(g(l));
    const [a2, b2] = asLine(g(r));
    if (fpZero(a1)) return fpZero(b2);
    if (fpZero(a2)) return fpZero(b1);
    if (fpZero(b1)) return fpZero(a2);
    if (fpZero(b2)) return fpZero(a1);
    return fpEq((a1 * a2) / (b1 * b2), -1);
  },
  segVertical: (v: Value): boolean => fpEq(c(v, 0), c(v, 2)),
  segHorizontal: (v: Value): boolean => fpEq(c(v, 1), c(v, 3)),
  lineVertical: (v: Value): boolean => fpZero(c(v, 1)),
  lineHorizontal: (v: Value): boolean => fpZero(c(v, 0)),
  pointVertical: (l: Value, r: Value): boolean => fpEq(c(l, 0), c(r, 0)),
  pointHorizontal: (l: Value, r: Value): boolean => fpEq(c(l, 1), c(r, 1)),
};

function predicates(): ScalarFunction[] {
  const p = geoPredicates;
  return [
    fn("isclosed", [G.path], T.bool, (a) => g(a[0]).closed),
    fn("isopen", [G.path], T.bool, (a) => !g(a[0]).closed),
    fn("isparallel", [G.lseg, G.lseg], T.bool, (a) => p.segParallel(a[0]!, a[1]!)),
    fn("isparallel", [G.line, G.line], T.bool, (a) => p.lineParallel(a[0]!, a[1]!)),
    fn("isperp", [G.lseg, G.lseg], T.bool, (a) => p.segPerp(a[0]!, a[1]!)),
    fn("isperp", [G.line, G.line], T.bool, (a) => p.linePerp(a[0]!, a[1]!)),
    fn("isvertical", [G.lseg], T.bool, (a) => p.segVertical(a[0]!)),
    fn("isvertical", [G.line], T.bool, (a) => p.lineVertical(a[0]!)),
    fn("isvertical", [G.point, G.point], T.bool, (a) => p.pointVertical(a[0]!, a[1]!)),
    fn("ishorizontal", [G.lseg], T.bool, (a) => p.segHorizontal(a[0]!)),
    fn("ishorizontal", [G.line], T.bool, (a) => p.lineHorizontal(a[0]!)),
    fn("ishorizontal", [G.point, G.point], T.bool, (a) => p.pointHorizontal(a[0]!, a[1]!)),
  ];
}
