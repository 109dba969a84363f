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
  return Math.fround(value);
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
    return formatShortest(value.toExponential(), 15);
  }
  return formatPrintfG(value, Math.max(1, 15 + ctx.extraFloatDigits));
}

export function formatFloat4(value: number, ctx: FormatContext): string {
  const special = formatSpecial(value);
  if (special !== undefined) return special;
  if (ctx.extraFloatDigits > 0) {
    for (let precision = 1; precision < 9; precision++) {
      const candidate = value.toExponential(precision - 1);
      if (Math.fround(Number(candidate)) === value) return formatShortest(candidate, 6);
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
