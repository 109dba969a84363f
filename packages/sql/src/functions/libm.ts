/**
 * Ports of glibc libm routines whose last bit differs from V8's, so float8 results print as
 * PostgreSQL on Linux prints them: cbrt(27) is 3.0000000000000004 there, where Math.cbrt
 * gives 3. (sysdeps/ieee754/dbl-64/s_cbrt.c: a polynomial guess, one rational refinement,
 * then scaling by 2^(e/3).)
 */
const cbrt2 = 1.2599210498948731648;
const sqrCbrt2 = 1.5874010519681994748;
const factor = [1 / sqrCbrt2, 1 / cbrt2, 1, cbrt2, sqrCbrt2];

/** glibc's cbrt. */
export function cbrt(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x + x;
  const [xm, xe] = frexp(Math.abs(x));
  const u = 0.354895765043919860 + (1.50819193781584896 + (-2.11499494167371287 +
    (2.44693122563534430 + (-1.83469277483613086 + (0.784932344976639262 -
      0.145263899385486377 * xm) * xm) * xm) * xm) * xm) * xm;
  const t2 = u * u * u;
  const ym = (u * (t2 + 2 * xm)) / (2 * t2 + xm) * factor[2 + (xe % 3)]!;
  return (x > 0 ? ym : -ym) * 2 ** Math.trunc(xe / 3);
}

/** C's frexp for a finite positive x: [m, e] with x = m * 2^e and m in [0.5, 1). */
function frexp(x: number): [number, number] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const high = view.getUint16(0);
  const exponent = (high >> 4) & 0x7ff;
  if (exponent === 0) {
    const [m, e] = frexp(x * 2 ** 64);
    return [m, e - 64];
  }
  view.setUint16(0, (high & 0x800f) | (1022 << 4));
  return [view.getFloat64(0), exponent - 1022];
}
