/**
 * Fast paths for numeric text I/O, the hot step of queries like `(payload->>'x')::decimal`
 * and of COPY into jsonb: plain decimal text (`-12.50`, no exponent, no spaces) is turned
 * into a Decimal without decimal.js's string parser, and a finite Decimal whose display scale
 * needs no rounding prints without `toFixed` (which copies, rounds and re-reads the digits).
 *
 * decimal.js keeps a finite value as sign `s` (1 or -1), base-10 exponent `e` of the leading
 * digit and digit words `d` in base 1e7, aligned so the decimal point falls between words,
 * with trailing zero words dropped: 12.5 is { s: 1, e: 1, d: [12, 5000000] }; 0.05 is
 * { e: -2, d: [500000] }; zero is { e: 0, d: [0] }. We build exactly what its parser would
 * build, so every other operation sees no difference. Anything else takes the general path.
 */
import { Decimal } from "decimal.js";

/** Digit words are base 10^7, as decimal.js's LOG_BASE. */
const wordDigits = 7;
const wordScale = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7];

/**
 * Allocates a Decimal the cheap way: the fields in the order decimal.js's constructor sets
 * them, on an object whose prototype chain leads to Decimal's (so `instanceof Decimal` holds
 * and every method works), without running that constructor's parser.
 */
class PlainDecimal {
  declare ["constructor"]: typeof Decimal;
  s: number;
  e: number;
  d: number[];

  constructor(sign: number, exponent: number, words: number[]) {
    this.constructor = Decimal;
    this.s = sign;
    this.e = exponent;
    this.d = words;
  }
}
Object.setPrototypeOf(PlainDecimal.prototype, Decimal.prototype);

/**
 * Parses `[+-]digits[.digits]` (at least one digit, nothing else) into a Decimal and its scale
 * (digits after the point), or returns null for any other text.
 */
export function parsePlainDecimal(text: string): { value: Decimal; scale: number } | null {
  const value = parsePlainNumeric(text, 0, text.length);
  return value === null ? null : { value, scale: (value as { dscale?: number }).dscale! };
}

/**
 * Parses plain decimal text in `text[start, end)` into a Decimal carrying its display scale
 * as `dscale` (numeric_in's result for it), or returns null for any other text.
 */
export function parsePlainNumeric(text: string, start: number, end: number): Decimal | null {
  let i = start;
  let sign = 1;
  const first = text.charCodeAt(start);
  if (first === 45 || first === 43) {
    sign = first === 45 ? -1 : 1;
    i++;
  }
  const digitsStart = i;
  let point = -1;
  for (; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) continue;
    if (code !== 46 || point >= 0) return null;
    point = i;
  }
  const digitCount = end - digitsStart - (point >= 0 ? 1 : 0);
  if (digitCount === 0) return null;
  const intEnd = point >= 0 ? point : end;
  const value = buildDecimal(text, sign, digitsStart, intEnd, end);
  (value as { dscale?: number }).dscale = point >= 0 ? end - point - 1 : 0;
  return value;
}

/** Builds the Decimal of the validated digits in `text[start, length)`, the point at `intEnd`. */
function buildDecimal(text: string, sign: number, start: number, intEnd: number,
  length: number): Decimal {
  let firstAt = start;
  while (firstAt < length && (text.charCodeAt(firstAt) === 48 || firstAt === intEnd)) firstAt++;
  if (firstAt >= length) return new PlainDecimal(sign, 0, [0]) as unknown as Decimal;
  let lastAt = length - 1;
  while (text.charCodeAt(lastAt) === 48 || lastAt === intEnd) lastAt--;
  // The exponent of the leading digit: the digits between it and the point.
  const e = firstAt < intEnd ? intEnd - firstAt - 1 : intEnd - firstAt;
  let chunk = (e + 1) % wordDigits;
  if (e < 0) chunk += wordDigits;
  if (chunk === 0) chunk = wordDigits;
  const words = wordScratch;
  let count = 0;
  let word = 0;
  let taken = 0;
  for (let k = firstAt; k <= lastAt; k++) {
    if (k === intEnd) continue;
    word = word * 10 + text.charCodeAt(k) - 48;
    if (++taken === chunk) {
      words[count++] = word;
      word = 0;
      taken = 0;
      chunk = wordDigits;
    }
  }
  if (taken > 0) words[count++] = word * wordScale[chunk - taken]!;
  return new PlainDecimal(sign, e, words.slice(0, count)) as unknown as Decimal;
}

/**
 * Where `buildDecimal` collects a value's words before copying them out at their exact
 * count: a stored numeric (a jsonb number loaded by COPY) would otherwise keep the 17 slots
 * an array grown by `push` reserves.
 */
const wordScratch: number[] = [];

/**
 * Prints a finite Decimal with `scale` digits after the point when that needs no rounding
 * (the value has at most `scale` of them); returns null otherwise. Words left of the point
 * print as they are (the first unpadded), words right of it padded to seven digits.
 */
export function formatPlainDecimal(value: Decimal, scale: number): string | null {
  const words = value.d as readonly number[] | null;
  const e = value.e;
  if (words === null || words.length === 0) return null;
  // decimal.js never leads with a zero word except for zero itself; be sure of it.
  if (words[0] === 0 && words.length > 1) return null;
  if (e >= 0 && e < wordDigits && words.length <= 2) return formatShort(value, scale);
  const wholeWords = e >= 0 ? Math.floor(e / wordDigits) + 1 : 0;
  let whole = wholeWords === 0 ? "0" : String(words[0]);
  for (let k = 1; k < wholeWords; k++) whole += k < words.length ? padWord(words[k]!) : "0000000";
  let fraction = e < 0 ? "0000000".repeat(Math.floor((-e - 1) / wordDigits)) : "";
  for (let k = wholeWords; k < words.length; k++) fraction += padWord(words[k]!);
  let end = fraction.length;
  while (end > 0 && fraction.charCodeAt(end - 1) === 48) end--;
  if (end > scale) return null;
  const sign = value.s < 0 && words[0] !== 0 ? "-" : "";
  if (scale === 0) return sign + whole;
  return sign + whole + "." + (end === scale ? fraction.slice(0, end)
    : fraction.slice(0, end).padEnd(scale, "0"));
}

/** Prints a value below 10^7 with at most seven fraction digits: one whole word, one more. */
function formatShort(value: Decimal, scale: number): string | null {
  const words = value.d;
  let fraction = words.length > 1 ? words[1]! : 0;
  let digits = wordDigits;
  if (fraction === 0) digits = 0;
  else while (fraction % 10 === 0) {
    fraction /= 10;
    digits--;
  }
  if (digits > scale) return null;
  const sign = value.s < 0 && words[0] !== 0 ? "-" : "";
  const whole = sign + String(words[0]);
  if (scale === 0) return whole;
  let text = digits === 0 ? "" : String(fraction);
  if (text.length < digits) text = text.padStart(digits, "0");
  return whole + "." + (digits === scale ? text : text.padEnd(scale, "0"));
}

function padWord(word: number): string {
  return word >= 1e6 ? String(word) : String(word).padStart(wordDigits, "0");
}

/**
 * Compares two Decimals as decimal.js's `cmp` does, without the copy of `b` that `cmp`
 * makes first. NaN gives NaN, as there; callers order NaN themselves.
 */
export function compareDecimalValues(a: Decimal, b: Decimal): number {
  const ad = a.d as readonly number[] | null;
  const bd = b.d as readonly number[] | null;
  const as = a.s;
  const bs = b.s;
  if (ad === null || bd === null) return a.cmp(b);
  if (!ad[0] || !bd[0]) return ad[0] ? as : bd[0] ? -bs : 0;
  if (as !== bs) return as;
  if (a.e !== b.e) return (a.e > b.e) !== (as < 0) ? 1 : -1;
  const length = ad.length < bd.length ? ad.length : bd.length;
  for (let i = 0; i < length; i++) {
    if (ad[i] !== bd[i]) return (ad[i]! > bd[i]!) !== (as < 0) ? 1 : -1;
  }
  return ad.length === bd.length ? 0 : (ad.length > bd.length) !== (as < 0) ? 1 : -1;
}

/**
 * Returns text that reads back as exactly `value` (its digits, not its display scale): plain
 * digits for ordinary magnitudes, decimal.js's own text (exponent form) otherwise; -0 as "-0".
 */
export function exactNumericText(value: Decimal): string {
  const e = value.e;
  if (value.isFinite() && !value.isZero() && e > -exactPlainExponentMax &&
    e < exactPlainExponentMax) {
    const text = formatPlainDecimal(value, value.decimalPlaces());
    if (text !== null) return text;
  }
  return value.isZero() && value.isNegative() ? "-0" : value.toString();
}

/** Past this exponent plain digits grow long; decimal.js's exponent form stays short. */
const exactPlainExponentMax = 20;
