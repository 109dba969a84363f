/**
 * The value codec's encoding of geometric values (`PgGeometry`: point, lseg, box, path,
 * polygon, line, circle), called from `value-codec.ts` under its tag 22: a shape byte, a
 * closed byte (paths), the count of float8 fields, then each as f64 (so -0 and NaN survive).
 */
import { assert } from "@tessera/base";
import type { PgGeometry } from "@tessera/sql";
import type { ByteReader, ByteWriter } from "./byte-buffer.js";

const shapes: readonly PgGeometry["shape"][] =
  ["point", "lseg", "box", "path", "polygon", "line", "circle"];

/** Writes a geometric value's payload (the caller has written the tag). */
export function encodeGeometry(out: ByteWriter, value: PgGeometry): void {
  const shape = shapes.indexOf(value.shape);
  assert(shape >= 0, "geometric shapes are the seven of Postgres");
  out.u8(shape);
  out.u8(value.closed ? 1 : 0);
  out.varuint(value.coords.length);
  for (const coord of value.coords) out.f64(coord);
}

/** Reads what `encodeGeometry` wrote. */
export function decodeGeometry(input: ByteReader): PgGeometry {
  const shape = shapes[input.u8()];
  assert(shape !== undefined, "a stored geometric shape is known");
  const closed = input.u8() === 1;
  const coords: number[] = [];
  for (let n = input.varuint(); n > 0; n--) coords.push(input.f64());
  return { kind: "geometry", shape, coords, closed };
}
