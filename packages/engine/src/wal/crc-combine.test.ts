import { test } from "node:test";
import assert from "node:assert/strict";
import { crc32 } from "node:zlib";
import { crc32c } from "./crc32c.js";
import { crc32cCombine, crc32Combine, type CrcCombine } from "./crc-combine.js";

function bytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const kinds: [string, (data: Uint8Array, from?: number) => number, CrcCombine][] = [
  ["CRC-32C", (data, from) => crc32c(data, from), crc32cCombine],
  ["CRC-32", (data, from) => crc32(data, from), crc32Combine],
];

for (const [name, crc, combine] of kinds) {
  test(`${name}: combining the CRCs of two parts gives the CRC of their concatenation`, () => {
    const lengths = [0, 1, 3, 7, 8, 9, 64, 255, 1000, 4096, 65_537, 300_001];
    for (const [i, lengthA] of lengths.entries()) {
      for (const [j, lengthB] of lengths.entries()) {
        const a = bytes(lengthA, i + 1);
        const b = bytes(lengthB, j + 100);
        const whole = new Uint8Array(lengthA + lengthB);
        whole.set(a);
        whole.set(b, lengthA);
        assert.equal(combine(crc(a), crc(b), lengthB), crc(whole),
          `parts of ${lengthA} and ${lengthB} bytes`);
        assert.equal(combine(crc(a), crc(b), lengthB), crc(b, crc(a)));
      }
    }
  });

  test(`${name}: a combined CRC changes with a byte of the second part or its length`, () => {
    const a = bytes(500, 7);
    const b = bytes(900, 8);
    const good = combine(crc(a), crc(b), b.length);
    const flipped = b.slice();
    flipped[450] = flipped[450]! ^ 1;
    assert.notEqual(combine(crc(a), crc(flipped), b.length), good);
    assert.notEqual(combine(crc(a), crc(b), b.length + 1), good);
  });
}
