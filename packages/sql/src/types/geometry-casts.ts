/**
 * pg_cast's rows among the geometric types (PostgreSQL 15): point to box, centers of lseg,
 * box, polygon and circle, box to lseg (its diagonal), polygon, circle; path and polygon to
 * each other; polygon and circle to box and circle; circle to a 12-point polygon.
 */
import type { CastRow } from "./cast-table.js";
import { GeoTypeOid as G, geo } from "./geometry.js";
import {
  boundBox, boxCenter, boxCircle, boxPolygon, circleBox, circlePolygon, pathPolygon, pointsOf,
  polygonCircle,
} from "./geometry-math.js";
import type { PgGeometry, Value } from "./value.js";

const g = (v: Value): PgGeometry => v as PgGeometry;
const point = (p: readonly [number, number]): PgGeometry => geo("point", [p[0], p[1]]);

/** The conversions, shared with the functions of the same names. */
export const geoConvert = {
  pointToBox: (v: Value): PgGeometry => geo("box", [...g(v).coords, ...g(v).coords]),
  lsegCenter: (v: Value): PgGeometry => {
    const [x1, y1, x2, y2] = g(v).coords as [number, number, number, number];
    return geo("point", [(x1 + x2) / 2, (y1 + y2) / 2]);
  },
  boxCenter: (v: Value): PgGeometry => point(boxCenter(g(v))),
  boxDiagonal: (v: Value): PgGeometry => geo("lseg", g(v).coords),
  polygonCenter: (v: Value): PgGeometry => point(polygonCircle(g(v)).coords as [number, number]),
  polygonPath: (v: Value): PgGeometry => geo("path", g(v).coords, true),
  polygonBox: (v: Value): PgGeometry => boundBox(pointsOf(g(v))),
  circleCenter: (v: Value): PgGeometry => geo("point", g(v).coords.slice(0, 2)),
};

export const geometryCastRows: readonly CastRow[] = [
  [G.point, G.box, "a", "f", geoConvert.pointToBox],
  [G.lseg, G.point, "e", "f", geoConvert.lsegCenter],
  [G.path, G.polygon, "a", "f", (v) => pathPolygon(g(v))],
  [G.box, G.point, "e", "f", geoConvert.boxCenter],
  [G.box, G.lseg, "e", "f", geoConvert.boxDiagonal],
  [G.box, G.polygon, "a", "f", (v) => boxPolygon(g(v))],
  [G.box, G.circle, "e", "f", (v) => boxCircle(g(v))],
  [G.polygon, G.point, "e", "f", geoConvert.polygonCenter],
  [G.polygon, G.path, "a", "f", geoConvert.polygonPath],
  [G.polygon, G.box, "e", "f", geoConvert.polygonBox],
  [G.polygon, G.circle, "e", "f", (v) => polygonCircle(g(v))],
  [G.circle, G.point, "e", "f", geoConvert.circleCenter],
  [G.circle, G.box, "e", "f", (v) => circleBox(g(v))],
  [G.circle, G.polygon, "e", "f", (v) => circlePolygon(12, g(v))],
];
