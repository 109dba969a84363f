import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { defaultFormatContext } from "./context.js";
import { formatGeometry, makeGeometryIo, parseGeometry, type GeoShape } from "./geometry.js";
import { hypot, pointInside } from "./geometry-math.js";

const ctx = defaultFormatContext;
const roundTrip = (shape: GeoShape, text: string): string =>
  formatGeometry(parseGeometry(shape, text), ctx);

describe("geometric types", () => {
  test("read every form geo_ops.c reads and print as PostgreSQL 15", () => {
    const cases: [GeoShape, string, string][] = [
      ["point", " ( 1 , 2 ) ", "(1,2)"], ["point", "1.5,2", "(1.5,2)"],
      ["point", "(nan,-infinity)", "(NaN,-Infinity)"],
      ["lseg", "0,0,1,1", "[(0,0),(1,1)]"], ["box", "(0,0),(2,3)", "(2,3),(0,0)"],
      ["path", "(1,2),(3,4),(5,6)", "((1,2),(3,4),(5,6))"], ["path", "[(1,2)]", "[(1,2)]"],
      ["polygon", "0,0,4,0,4,4", "((0,0),(4,0),(4,4))"], ["line", "[(0,0),(1,2)]", "{2,-1,0}"],
      ["line", "((0,0),(0,5))", "{-1,0,0}"], ["circle", "1,1,3", "<(1,1),3>"],
      ["point", "(0.1,0.30000000000000004)", "(0.1,0.30000000000000004)"],
    ];
    for (const [shape, text, printed] of cases) assert.equal(roundTrip(shape, text), printed);
  });

  test("refuse bad input with PostgreSQL's codes", () => {
    const bad: [GeoShape, string, string][] = [["point", "(1,2", "22P02"],
      ["point", "1,2,3", "22P02"], ["box", "[(0,0),(1,1)]", "22P02"],
      ["polygon", "[(0,0),(1,1)]", "22P02"], ["circle", "<(0,0),-1>", "22P02"],
      ["line", "{0,0,1}", "22P02"], ["point", "(1,1e400)", "22003"]];
    for (const [shape, text, code] of bad) {
      assert.throws(() => parseGeometry(shape, text), { code }, text);
    }
  });

  test("binary round trips; pg_hypot and the winding test", () => {
    for (const [shape, text] of [["point", "(1.5,-2)"], ["box", "(1,2),(3,4)"],
      ["path", "[(0,0),(1,1)]"], ["polygon", "((0,0),(1,0),(1,1))"], ["circle", "<(1,2),3>"],
      ["line", "{1,2,3}"], ["lseg", "[(1,2),(3,4)]"]] as const) {
      const io = makeGeometryIo(shape);
      const value = io.input(text, -1, ctx);
      assert.deepEqual(io.receive!(io.send!(value, ctx), -1, ctx), value, text);
    }
    assert.equal(hypot(3, 4), 5);
    assert.equal(hypot(-Infinity, NaN), Infinity);
    const square: [number, number][] = [[0, 0], [4, 0], [4, 4], [0, 4]];
    assert.equal(pointInside([2, 2], square), 1);
    assert.equal(pointInside([4, 2], square), 2);
    assert.equal(pointInside([5, 5], square), 0);
  });
});
