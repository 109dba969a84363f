/**
 * real and double precision. Output matches Postgres 15 with extra_float_digits >= 1 (the
 * default): the shortest digits that read back to the same value (Ryu), printed in fixed
 * notation when the decimal exponent is in [-4, 15) for float8 or [-4, 6) for float4 and as
 * `1e+100`, `1.5e-07` otherwise. With extra_float_digits <= 0 it is printf's %.{15+n}g.
 *
 * JavaScript's Number#toExponential() with no argument already yields the shortest
 * round-trip digits of a double; float4 searches precisions 1..9 for the first that
 * survives Math.fround.
 */
import { SqlError, SqlState } from "@tessera/base";
import { ByteReader, ByteWriter } from "./binary.js";
import { invalidInput } from "./errors.js";
import { trimSpace, type TypeIo } from "./type-io.js";
import type { FormatContext } from "./context.js";

export const float4Io: TypeIo = {
  input: (text) => parseFloat4(text),
  output: (value, ctx) => formatFloat4(value as number, ctx),
  receive(bytes) {
    const reader = new ByteReader(bytes);
    const value = reader.float32();
    reader.end();
    return value;
  },
  send: (value) => new ByteWriter(4).float32(value as number).finish(),
  compare: (a, b) => compareFloats(a as number, b as number),
  hashKey: (value) => floatKey(value as number),
};

export const float8Io: TypeIo = {
  input: (text) => parseFloat8(text),
  output: (value, ctx) => formatFloat8(value as number, ctx),
  receive(bytes) {
    const reader = new ByteReader(bytes);
    const value = reader.float64();
    reader.end();
    return value;
  },
  send: (value) => new ByteWriter(8).float64(value as number).finish(),
  compare: (a, b) => compareFloats(a as number, b as number),
  hashKey: (value) => floatKey(value as number),
};

/** Orders floats as Postgres: NaN equals NaN and sorts above +Infinity; -0 equals 0. */
export function compareFloats(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return 0;
  const aNaN = Number.isNaN(a);
  const bNaN = Number.isNaN(b);
  return aNaN === bNaN ? 0 : aNaN ? 1 : -1;
}

/** Returns a hash key where -0 and 0 meet and every NaN is one key. */
export function floatKey(value: number): number | string {
  if (value === 0) return 0;
  return Number.isNaN(value) ? "NaN" : value;
}

const floatSyntax = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const specialValues: ReadonlyMap<string, number> = new Map([
  ["nan", NaN], ["+nan", NaN], ["-nan", NaN],
  ["infinity", Infinity], ["+infinity", Infinity], ["-infinity", -Infinity],
  ["inf", Infinity], ["+inf", Infinity], ["-inf", -Infinity],
]);

export function parseFloat8(text: string): number {
  return parseFloatText(text, "double precision", Number.MAX_VALUE, 5e-324);
}

export function parseFloat4(text: string): number {
  const value = parseFloatText(text, "real", 3.4028234663852886e38, 1.401298464324817e-45);
  return roundToFloat4(trimSpace(text), value);
}

/**
 * Rounds the decimal text `word`, already read as the double `value`, to the nearest float4
 * as strtof does. Going through the double rounds twice, which goes wrong only when the
 * double lands exactly halfway between two float4s: then the text itself decides.
 */
function roundToFloat4(word: string, value: number): number {
  const f = Math.fround(value);
  if (!Number.isFinite(value) || f === value || !floatSyntax.test(word)) return f;
  const other = float4Neighbour(f, value > f ? 1 : -1);
  const mid = (f + other) / 2;
  if (mid !== value) return f;
  const cmp = compareDecimalToDouble(word, mid);
  if (cmp === 0) return f;
  const [small, large] = Math.abs(f) < Math.abs(other) ? [f, other] : [other, f];
  return cmp > 0 ? large : small;
}

function float4Neighbour(f: number, direction: number): number {
  const buf = new Float32Array([f]);
  const bits = new Int32Array(buf.buffer);
  bits[0] = (bits[0] ?? 0) + ((f >= 0) === (direction > 0) ? 1 : -1);
  return buf[0] ?? f;
}

/** Compares |decimal text| with |double| exactly: -1, 0 or 1. */
function compareDecimalToDouble(word: string, d: number): number {
  const m = /^[+-]?(\d*)\.?(\d*)(?:[eE]([+-]?\d+))?$/.exec(word);
  if (m === null) return 0;
  let digits = BigInt(`${m[1] ?? ""}${m[2] ?? ""}` || "0");
  const exp10 = Number(m[3] ?? 0) - (m[2] ?? "").length;
  let x = Math.abs(d);
  let exp2 = 0;
  while (!Number.isInteger(x)) {
    x *= 2;
    exp2--;
  }
  let mant = BigInt(x);
  if (exp10 >= 0) digits *= 10n ** BigInt(exp10);
  else mant *= 10n ** BigInt(-exp10);
  digits *= 2n ** BigInt(-exp2);
  return digits === mant ? 0 : digits > mant ? 1 : -1;
}

/** Parses float text as strtod does, then rejects overflow and underflow with 22003. */
function parseFloatText(text: string, name: string, max: number, min: number): number {
  const word = trimSpace(text);
  const special = specialValues.get(word.toLowerCase());
  if (special !== undefined) return special;
  const hex = /^([+-]?)0x([0-9a-f]+)$/i.exec(word);
  if (hex !== null) return (hex[1] === "-" ? -1 : 1) * parseInt(hex[2] ?? "0", 16);
  if (!floatSyntax.test(word)) throw invalidInput(name, text);
  const value = Number(word);
  const magnitude = Math.abs(value);
  // Values that round to 0 or to infinity were ERANGE for strtod; Postgres rejects them.
  const roundsAway = name === "real" ? Math.fround(magnitude) : magnitude;
  const underflows = (magnitude !== 0 && roundsAway < min) || hasNonzeroDigitButZero(word, value);
  if (roundsAway > max || underflows) {
    throw new SqlError(SqlState.numericValueOutOfRange,
      `"${word}" is out of range for type ${name}`);
  }
  return value;
}

function hasNonzeroDigitButZero(word: string, value: number): boolean {
  if (value !== 0) return false;
  const mantissa = word.split(/[eE]/)[0] ?? "";
  return /[1-9]/.test(mantissa);
}

export function formatFloat8(value: number, ctx: FormatContext): string {
  const special = formatSpecial(value);
  if (special !== undefined) return special;
  if (ctx.extraFloatDigits > 0) {
    return formatShortest(shortestAsRyu(value), 15);
  }
  return formatPrintfG(value, Math.max(1, 15 + ctx.extraFloatDigits));
}

/**
 * The shortest round-trip digits of a double as PostgreSQL's Ryu prints them, in
 * toExponential form. JavaScript may pick a decimal lying exactly on a rounding boundary
 * (1e23 and 7e22 read back as the same double); PostgreSQL's Ryu takes neither boundary
 * there (both were checked against PostgreSQL 15), so it prints the nearest longer decimal
 * (9.999999999999999e+22, 7.0000000000000004e+22). Only doubles of 2^53 and above can hit
 * this: below, a boundary has more digits than the double itself.
 */
function shortestAsRyu(value: number): string {
  const shortest = value.toExponential();
  if (Math.abs(value) < 9007199254740992) return shortest;
  const bits = doubleBits(Math.abs(value));
  if (!onRejectedBoundary(shortest, bits)) return shortest;
  const digits = shortest.replace(/^-/, "").split("e")[0]!.replace(".", "").length;
  for (let p = digits + 1; p <= 17; p++) {
    const candidate = value.toExponential(p - 1);
    if (Number(candidate) === value && !onRejectedBoundary(candidate, bits)) {
      return candidate.replace(/\.?0+e/, "e");
    }
  }
  return shortest;
}

interface DoubleBits {
  readonly m: bigint;
  readonly exponent: number;
  readonly fractionZero: boolean;
}

function doubleBits(v: number): DoubleBits {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  const hi = view.getUint32(0);
  const fraction = (BigInt(hi & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  return { m: fraction | (1n << 52n), exponent: ((hi >>> 20) & 0x7ff) - 1075,
    fractionZero: fraction === 0n };
}

/** True when decimal `text` sits exactly halfway between the double and a neighbour. */
function onRejectedBoundary(text: string, b: DoubleBits): boolean {
  const match = /^-?(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (match === null) return false;
  const frac = match[2] ?? "";
  const exp10 = Number(match[3]) - frac.length;
  if (exp10 < 0) return false;
  // Scaled by 4 so both boundaries are integers: value = 4m * 2^(exponent - 2).
  const decimal = (BigInt(`${match[1]}${frac}`) * 10n ** BigInt(exp10)) << 2n;
  const unit = (x: bigint): bigint => x << BigInt(b.exponent);
  if (decimal === unit(4n * b.m + 2n)) return true;
  const lower = b.fractionZero ? unit(4n * b.m - 1n) : unit(4n * b.m - 2n);
  return decimal === lower;
}

/** float4's twin of onRejectedBoundary: `text` is halfway to a neighbouring float4. */
function onFloat4Boundary(text: string, value: number): boolean {
  if (Math.abs(value) < 16777216) return false;
  for (const direction of [1, -1]) {
    const mid = (value + float4Neighbour(value, direction)) / 2;
    if (Number.isFinite(mid) && compareDecimalToDouble(text, mid) === 0) return true;
  }
  return false;
}

export function formatFloat4(value: number, ctx: FormatContext): string {
  const special = formatSpecial(value);
  if (special !== undefined) return special;
  if (ctx.extraFloatDigits > 0) {
    for (let precision = 1; precision < 9; precision++) {
      const candidate = value.toExponential(precision - 1);
      if (roundToFloat4(candidate, Number(candidate)) === value &&
        !onFloat4Boundary(candidate, value)) {
        return formatShortest(candidate, 6);
      }
    }
    return formatShortest(value.toExponential(8), 6);
  }
  return formatPrintfG(value, Math.max(1, 6 + ctx.extraFloatDigits));
}

function formatSpecial(value: number): string | undefined {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "Infinity";
  if (value === -Infinity) return "-Infinity";
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  return undefined;
}

/**
 * Lays out `d.ddde±x` (from toExponential) as Ryu's d2s does in Postgres: fixed notation
 * when -4 <= exponent < fixedMax, otherwise `d.ddde±XX` with at least two exponent digits.
 */
function formatShortest(exponential: string, fixedMax: number): string {
  const eAt = exponential.indexOf("e");
  const exponent = Number(exponential.slice(eAt + 1));
  let mantissa = exponential.slice(0, eAt);
  const negative = mantissa.charCodeAt(0) === 45;
  if (negative) mantissa = mantissa.slice(1);
  const digits = mantissa.length > 1 ? mantissa[0] + mantissa.slice(2) : mantissa;
  const sign = negative ? "-" : "";
  if (exponent >= -4 && exponent < fixedMax) return sign + placeDecimalPoint(digits, exponent);
  const expSign = exponent < 0 ? "-" : "+";
  const expDigits = String(Math.abs(exponent)).padStart(2, "0");
  return `${sign}${mantissa}e${expSign}${expDigits}`;
}

/** Writes `digits` (d1 d2 ... with the point after d1) scaled by 10^exponent in fixed form. */
function placeDecimalPoint(digits: string, exponent: number): string {
  if (exponent < 0) return "0." + "0".repeat(-exponent - 1) + digits;
  const intLength = exponent + 1;
  if (digits.length <= intLength) return digits + "0".repeat(intLength - digits.length);
  return digits.slice(0, intLength) + "." + digits.slice(intLength);
}

/** Formats as C's printf("%.*g"): `precision` significant digits, trailing zeros dropped. */
function formatPrintfG(value: number, precision: number): string {
  const exponential = value.toExponential(precision - 1);
  const eAt = exponential.indexOf("e");
  const exponent = Number(exponential.slice(eAt + 1));
  let mantissa = exponential.slice(0, eAt);
  if (mantissa.includes(".")) mantissa = mantissa.replace(/\.?0+$/, "");
  const negative = mantissa.startsWith("-");
  const unsigned = negative ? mantissa.slice(1) : mantissa;
  const sign = negative ? "-" : "";
  if (exponent >= -4 && exponent < precision) {
    const digits = unsigned.replace(".", "");
    return sign + placeDecimalPoint(digits, exponent);
  }
  const expSign = exponent < 0 ? "-" : "+";
  return `${sign}${unsigned}e${expSign}${String(Math.abs(exponent)).padStart(2, "0")}`;
}
