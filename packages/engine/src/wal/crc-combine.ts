/**
 * A CRC of a concatenation from the CRCs of its parts, so a checkpoint checksums each byte
 * once: a snapshot chunk's data is hashed alone, then its chunk CRC (which covers the chunk
 * index first) and the running whole-file CRC are both derived from that one value.
 *
 *     crc32cCombine(crc32c(a), crc32c(b), b.length) === crc32c(concat(a, b))
 *     crc32Combine(crc32(a), crc32(b), b.length) === crc32(concat(a, b))     (zlib's CRC-32)
 *
 * A CRC is the message's polynomial times x^32 modulo the generator P (the pre- and
 * post-inversion cancel out in the xor of the two parts), so appending n bytes to `a`
 * multiplies its CRC by x^(8n) mod P. Powers x^(2^k) mod P are kept in a table and x^(8n) is
 * their product over the bits of 8n: a few dozen 32-bit carry-less multiplications, however
 * long `b` is. Words are in the CRCs' reflected order: bit 31 is x^0, bit 0 is x^31.
 */
import { assert } from "@tessera/base";

/** x^0 in reflected order. */
const one = 0x8000_0000;

export type CrcCombine = (crcA: number, crcB: number, lengthB: number) => number;

/** Castagnoli's polynomial, as in `crc32c.ts`. */
export const crc32cCombine = combineFor(0x82f63b78);
/** The IEEE polynomial of zlib's `crc32`. */
export const crc32Combine = combineFor(0xedb88320);

/** The combine function for the reflected generator `polynomial`. */
function combineFor(polynomial: number): CrcCombine {
  /** a * b mod P, both in reflected order. */
  const multiply = (a: number, b: number): number => {
    let product = 0;
    let factor = b >>> 0;
    // Walks a's terms from x^0 (bit 31) up; `factor` is b * x^i mod P for term i.
    for (let bit = one; bit !== 0; bit >>>= 1) {
      if ((a & bit) !== 0) product ^= factor;
      factor = (factor & 1) !== 0 ? (factor >>> 1) ^ polynomial : factor >>> 1;
    }
    return product >>> 0;
  };
  // x^(2^k) mod P for k = 0..63: lengths up to 2^61 bytes.
  const powers = new Uint32Array(64);
  powers[0] = one >>> 1; // x^1
  for (let k = 1; k < powers.length; k++) powers[k] = multiply(powers[k - 1]!, powers[k - 1]!);
  /** x^(8n) mod P: 8n = n * 2^3, so bit j of n selects x^(2^(j+3)). */
  const xPowerBytes = (n: number): number => {
    let result = one;
    let rest = n;
    for (let k = 3; rest > 0; k++) {
      if (rest % 2 === 1) result = multiply(powers[k]!, result);
      rest = Math.floor(rest / 2);
    }
    return result;
  };
  return (crcA, crcB, lengthB) => {
    assert(Number.isSafeInteger(lengthB) && lengthB >= 0, "a length is a byte count");
    return (multiply(xPowerBytes(lengthB), crcA) ^ crcB) >>> 0;
  };
}
