import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { PgGeometry, Value } from "@tessera/sql";
import { ByteReader, ByteWriter } from "./byte-buffer.js";
import { decodeRow, encodeRow } from "./value-codec.js";

describe("geometric, macaddr and money values in the value codec", () => {
  test("come back identical, -0 and NaN included", () => {
    const row: Value[] = [
      { kind: "geometry", shape: "point", coords: [-0, NaN], closed: false },
      { kind: "geometry", shape: "path", coords: [0, 0, 1.5, 2.25], closed: true },
      { kind: "geometry", shape: "polygon", coords: [0, 0, 1, 0, 1, 1], closed: true },
      { kind: "geometry", shape: "circle", coords: [1, 2, Infinity], closed: false },
      "08:00:2b:01:02:03", -922337203685477580n,
    ];
    const out = new ByteWriter();
    encodeRow(out, row);
    const back = decodeRow(new ByteReader(out.finish()));
    assert.deepEqual(back, row);
    const point = back[0] as PgGeometry;
    assert.ok(Object.is(point.coords[0], -0));
  });
});
