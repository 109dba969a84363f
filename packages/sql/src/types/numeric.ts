/**
 * numeric: arbitrary precision decimals as decimal.js `Decimal`s, plus Postgres's display
 * scale. decimal.js drops trailing zeros (1.50 becomes 1.5), but Postgres prints a numeric
 * with the scale it was given, so the scale rides along as an own property `dscale` on the
 * Decimal instance (see `withScale`). A Decimal without one prints its natural scale.
 *
 *   '1.50'::numeric          -> Decimal 1.5, dscale 2     -> prints 1.50
 *   '1.50e1'::numeric        -> Decimal 15,  dscale 1     -> prints 15.0
 *   12.345::numeric(5,2)     -> rounds half away from zero -> 12.35
 *   1234.5::numeric(5,2)     -> 22003 numeric field overflow
 */
import { Decimal } from "decimal.js";
import { SqlError, SqlState } from "@tessera/base";
import { invalidInput } from "./errors.js";
import { numericReceive, numericSend } from "./numeric-binary.js";
import { compareDecimalValues, formatPlainDecimal, parsePlainNumeric } from "./numeric-fast.js";
import { trimSpace, type TypeIo } from "./type-io.js";

/** A Decimal that may carry Postgres's display scale. */
export type ScaledDecimal = Decimal & { dscale?: number };

export const numericMaxPrecision = 1000;
const numericExponentMax = 131071;
const numericDisplayScaleLimit = 16383;

export const numericIo: TypeIo = {
  input: (text, typmod) => applyNumericTypmod(parseNumeric(text), typmod),
  output: (value) => formatNumeric(value as Decimal),
  receive: (bytes, typmod) => applyNumericTypmod(numericReceive(bytes), typmod),
  send: (value) => numericSend(value as Decimal),
  compare: (a, b) => compareNumeric(a as Decimal, b as Decimal),
  hashKey: (value) => numericKey(value as Decimal),
};

/** Returns `value` marked with display scale `scale`; the Decimal itself is not copied. */
export function withScale(value: Decimal, scale: number): Decimal {
  (value as ScaledDecimal).dscale = scale;
  return value;
}

/** Returns the display scale: the one recorded, else the digits after the point. */
export function numericScale(value: Decimal): number {
  const scale = (value as ScaledDecimal).dscale;
  if (scale !== undefined) return scale;
  return value.isFinite() ? value.decimalPlaces() : 0;
}

const numericSyntax = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const specials: ReadonlyMap<string, number> = new Map([
  ["nan", NaN], ["infinity", Infinity], ["+infinity", Infinity], ["-infinity", -Infinity],
  ["inf", Infinity], ["+inf", Infinity], ["-inf", -Infinity],
]);

/** Parses numeric text as numeric_in does, recording the display scale. */
export function parseNumeric(text: string): Decimal {
  const plain = parsePlainNumeric(text, 0, text.length);
  if (plain !== null) return plain;
  const word = trimSpace(text);
  const special = specials.get(word.toLowerCase());
  if (special !== undefined) return new Decimal(special);
  const match = numericSyntax.exec(word);
  if (match === null) throw invalidInput("numeric", text);
  const intDigits = match[2] ?? "";
  const fracDigits = match[3] ?? "";
  if (intDigits.length + fracDigits.length === 0) throw invalidInput("numeric", text);
  const exponent = match[4] === undefined ? 0 : Number(match[4]);
  if (!Number.isFinite(exponent)) throw invalidInput("numeric", text);
  const scale = Math.max(0, fracDigits.length - exponent);
  const value = new Decimal(word);
  // Past numeric's limits (131072 integral digits, display scale 16383): make_result's error.
  if (scale > numericDisplayScaleLimit || (!value.isZero() && value.e > numericExponentMax)) {
    throw new SqlError(SqlState.numericValueOutOfRange, "value overflows numeric format");
  }
  return withScale(value, scale);
}

/** Prints a numeric with its display scale, never in exponent form: numeric_out. */
export function formatNumeric(value: Decimal): string {
  if (!value.isFinite()) {
    if (value.isNaN()) return "NaN";
    return value.isNeg() ? "-Infinity" : "Infinity";
  }
  const scale = numericScale(value);
  return formatPlainDecimal(value, scale) ?? value.toFixed(scale);
}

/** Orders numerics as numeric_cmp: NaN equals NaN and sorts above +Infinity. */
export function compareNumeric(a: Decimal, b: Decimal): number {
  const aNaN = a.isNaN();
  const bNaN = b.isNaN();
  if (aNaN || bNaN) return aNaN === bNaN ? 0 : aNaN ? 1 : -1;
  return compareDecimalValues(a, b);
}

/** Returns the normalised text, so 1.0 and 1.00 share a key (decimal.js drops zeros). */
export function numericKey(value: Decimal): string {
  return value.isZero() ? "0" : value.toString();
}

/** Splits a numeric typmod into precision and scale (scale is an 11-bit signed field). */
export function numericTypmodParts(typmod: number): { precision: number; scale: number } {
  const raw = typmod - 4;
  const precision = (raw >> 16) & 0xffff;
  const scale = ((raw & 0x7ff) ^ 1024) - 1024;
  return { precision, scale };
}

export function makeNumericTypmod(precision: number, scale: number): number {
  return ((precision << 16) | (scale & 0x7ff)) + 4;
}

/**
 * Rounds to the typmod's scale (half away from zero) and checks the precision, as
 * apply_typmod: 22003 `numeric field overflow` with Postgres's detail sentence.
 */
export function applyNumericTypmod(value: Decimal, typmod: number): Decimal {
  if (typmod < 4) return value;
  const { precision, scale } = numericTypmodParts(typmod);
  if (value.isNaN()) return value;
  if (!value.isFinite()) {
    throw new SqlError(SqlState.numericValueOutOfRange, "numeric field overflow", {
      detail: `A field with precision ${precision}, scale ${scale} cannot hold an infinite value.`,
    });
  }
  const rounded = value.toDecimalPlaces(Math.max(scale, 0), Decimal.ROUND_HALF_UP);
  const result = scale < 0 ? roundToTens(rounded, -scale) : rounded;
  const maxDigits = precision - scale;
  if (!result.isZero() && result.abs().gte(new Decimal(10).pow(maxDigits))) {
    const limit = maxDigits !== 0 ? `10^${maxDigits}` : "1";
    throw new SqlError(SqlState.numericValueOutOfRange, "numeric field overflow", {
      detail: `A field with precision ${precision}, scale ${scale} must round to an ` +
        `absolute value less than ${limit}.`,
    });
  }
  return withScale(result, Math.max(scale, 0));
}

function roundToTens(value: Decimal, places: number): Decimal {
  const unit = new Decimal(10).pow(places);
  return value.div(unit).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).mul(unit);
}
