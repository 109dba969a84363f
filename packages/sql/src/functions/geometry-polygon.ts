/**
 * The geometric operators that need more than one step of geo_ops.c: polygon containment
 * (poly_contain with lseg_inside_poly's recursion), distances between polygons, circles,
 * boxes and segments (poly_distance, dist_cpoly, box_closept_lseg), and the closest points
 * and intersection tests of lines with segments and boxes (close_ls, close_sb, inter_lb).
 */
import { GeoTypeOid as G, geo, pointSlope } from "../types/geometry.js";
import {
  asLine, asSeg, boundBox, boxCenter, boxSegIntersect, float8Lt, fpGe, fpLe, lineSlope,
  pointEq, pointInside, pointsOf, segClosest, segClosestToLine, segClosestToSeg, segContains,
  segIntersection, segLineIntersection, segmentsOf, type Line, type Pt, type Seg,
} from "../types/geometry-math.js";
import type { PgGeometry, Value } from "../types/value.js";
import type { OperatorDef } from "./defs.js";
import { op } from "./builders.js";
import { T } from "./type-oids.js";

const g = (v: Value): PgGeometry => v as PgGeometry;
const point = (p: Pt): PgGeometry => geo("point", [p[0], p[1]]);

/** poly_contain_poly: bounding boxes, then every edge of the inner one inside the outer. */
function polygonContains(outer: PgGeometry, inner: PgGeometry): boolean {
  const a = boundBox(pointsOf(outer)).coords;
  const b = boundBox(pointsOf(inner)).coords;
  if (!(fpGe(a[0]!, b[0]!) && fpLe(a[2]!, b[2]!) && fpGe(a[1]!, b[1]!) &&
    fpLe(a[3]!, b[3]!))) return false;
  const points = pointsOf(outer);
  return segmentsOf(inner).every(([p, q]) => segInsidePolygon(p, q, points, 0));
}

/** lseg_inside_poly */
function segInsidePolygon(a: Pt, b: Pt, poly: readonly Pt[], start: number): boolean {
  const t: Seg = [a, b];
  let res = true;
  let intersection = false;
  let s0 = poly[start === 0 ? poly.length - 1 : start - 1]!;
  for (let i = start; i < poly.length && res; i++) {
    const s: Seg = [s0, poly[i]!];
    if (segContains(s, t[0])) {
      if (segContains(s, t[1])) return true;
      res = touchedSegInside(t[0], t[1], s, poly, i + 1);
    } else if (segContains(s, t[1])) {
      res = touchedSegInside(t[1], t[0], s, poly, i + 1);
    } else {
      const cross = segIntersection(t, s);
      if (cross !== undefined) {
        intersection = true;
        res = segInsidePolygon(t[0], cross, poly, i + 1);
        if (res) res = segInsidePolygon(t[1], cross, poly, i + 1);
      }
    }
    s0 = s[1];
  }
  if (res && !intersection) {
    res = pointInside([(t[0][0] + t[1][0]) / 2, (t[0][1] + t[1][1]) / 2], poly) !== 0;
  }
  return res;
}

/** touched_lseg_inside_poly: `a` lies on edge `s`, `b` does not. */
function touchedSegInside(a: Pt, b: Pt, s: Seg, poly: readonly Pt[], start: number): boolean {
  const t: Seg = [a, b];
  if (pointEq(a, s[0])) {
    if (segContains(t, s[1])) return segInsidePolygon(b, s[1], poly, start);
  } else if (pointEq(a, s[1])) {
    if (segContains(t, s[0])) return segInsidePolygon(b, s[0], poly, start);
  } else if (segContains(t, s[0])) {
    return segInsidePolygon(b, s[0], poly, start);
  } else if (segContains(t, s[1])) {
    return segInsidePolygon(b, s[1], poly, start);
  }
  return true;
}

/** dist_ppoly_internal */
export function polygonPointDistance(poly: PgGeometry, p: Pt): number {
  if (pointInside(p, pointsOf(poly)) !== 0) return 0;
  let best: number | undefined;
  for (const segment of segmentsOf(poly)) {
    const d = segClosest(segment, p)[1];
    if (best === undefined || float8Lt(d, best)) best = d;
  }
  return best ?? 0;
}

/** poly_distance: 0 when they overlap, else the closest pair of edges. */
function polygonDistance(a: PgGeometry, b: PgGeometry, overlap: boolean): Value {
  if (overlap) return 0;
  let best: number | undefined;
  for (const s1 of segmentsOf(a)) {
    for (const s2 of segmentsOf(b)) {
      const d = segClosestToSeg(s1, s2)[1];
      if (best === undefined || float8Lt(d, best)) best = d;
    }
  }
  return best ?? null;
}

/** The sides of a box in box_closept_lseg's order. */
function boxSides(b: PgGeometry): Seg[] {
  const [hx, hy, lx, ly] = b.coords as [number, number, number, number];
  return [[[lx, ly], [lx, hy]], [[hx, hy], [lx, hy]], [[lx, ly], [hx, ly]], [[hx, hy], [hx, ly]]];
}

/** box_closept_lseg: the closest point of the box to the segment, and the distance. */
function boxClosestToSeg(b: PgGeometry, s: Seg): [Pt, number] {
  if (boxSegIntersect(b, s)) return [segClosest(s, boxCenter(b))[0], 0];
  let best: [Pt, number] | undefined;
  for (const side of boxSides(b)) {
    const found = segClosestToSeg(side, s);
    if (best === undefined || float8Lt(found[1], best[1])) best = found;
  }
  return best!;
}

/** inter_lb: does the line cross a side of the box? */
function lineCrossesBox(l: Line, b: PgGeometry): boolean {
  return boxSides(b).some((side) => segLineIntersection(side, l) !== undefined);
}

/** close_ls: NULL for a segment of the line's slope. */
function lineClosestToSeg(l: Line, s: Seg): Value {
  const segSlope = pointSlope(s[0][0], s[0][1], s[1][0], s[1][1]);
  if (segSlope === lineSlope(l)) return null;
  const [at, d] = segClosestToLine(s, l);
  return Number.isNaN(d) ? null : point(at);
}

/** Polygon containment, polygon and circle distances, box–segment, line–segment/box. */
export function polygonOperators(overlap: (a: PgGeometry, b: PgGeometry) => boolean):
  OperatorDef[] {
  const circleToPolygon = (c: Value, p: Value): number => {
    const [x, y, r] = g(c).coords as [number, number, number];
    const d = polygonPointDistance(g(p), [x, y]) - r;
    return d < 0 ? 0 : d;
  };
  const boxSeg = (b: Value, s: Value): number => boxClosestToSeg(g(b), asSeg(g(s)))[1];
  return [
    op("@>", G.polygon, G.polygon, T.bool, (l, r) => polygonContains(g(l), g(r)),
      { commutator: "<@" }),
    op("<@", G.polygon, G.polygon, T.bool, (l, r) => polygonContains(g(r), g(l)),
      { commutator: "@>" }),
    op("<->", G.polygon, G.polygon, T.float8, (l, r) =>
      polygonDistance(g(l), g(r), overlap(g(l), g(r)))),
    op("<->", G.circle, G.polygon, T.float8, circleToPolygon),
    op("<->", G.polygon, G.circle, T.float8, (l, r) => circleToPolygon(r, l)),
    op("<->", G.box, G.lseg, T.float8, boxSeg),
    op("<->", G.lseg, G.box, T.float8, (l, r) => boxSeg(r, l)),
    op("##", G.lseg, G.box, G.point, (l, r) => {
      const [at, d] = boxClosestToSeg(g(r), asSeg(g(l)));
      return Number.isNaN(d) ? null : point(at);
    }),
    op("##", G.line, G.lseg, G.point, (l, r) => lineClosestToSeg(asLine(g(l)), asSeg(g(r)))),
    op("?#", G.line, G.box, T.bool, (l, r) => lineCrossesBox(asLine(g(l)), g(r))),
  ];
}
