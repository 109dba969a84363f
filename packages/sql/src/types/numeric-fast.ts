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

/** The writable internals of a Decimal, as its constructor sets them. */
interface DecimalFields {
  constructor: typeof Decimal;
  s: number;
  e: number;
  d: number[];
}

/**
 * Parses `[+-]digits[.digits]` (at least one digit, nothing else) into a Decimal and its scale
 * (digits after the point), or returns null for any other text.
 */
export function parsePlainDecimal(text: string): { value: Decimal; scale: number } | null {
  const length = text.length;
  let i = 0;
  let sign = 1;
  const first = text.charCodeAt(0);
  if (first === 45 || first === 43) {
    sign = first === 45 ? -1 : 1;
    i = 1;
  }
  const digitsStart = i;
  let point = -1;
  for (; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) continue;
    if (code !== 46 || point >= 0) return null;
    point = i;
  }
  const digitCount = length - digitsStart - (point >= 0 ? 1 : 0);
  if (digitCount === 0) return null;
  const intEnd = point >= 0 ? point : length;
  const scale = point >= 0 ? length - point - 1 : 0;
  return { value: buildDecimal(text, sign, digitsStart, intEnd), scale };
}

/** Builds the Decimal of the validated digits in `text[start..]` with the point at `intEnd`. */
function buildDecimal(text: string, sign: number, start: number, intEnd: number): Decimal {
  const x = Object.create(Decimal.prototype) as DecimalFields;
  x.constructor = Decimal;
  x.s = sign;
  const length = text.length;
  let firstAt = start;
  while (firstAt < length && (text.charCodeAt(firstAt) === 48 || firstAt === intEnd)) firstAt++;
  if (firstAt >= length) {
    x.e = 0;
    x.d = [0];
    return x as unknown as Decimal;
  }
  let lastAt = length - 1;
  while (text.charCodeAt(lastAt) === 48 || lastAt === intEnd) lastAt--;
  // The exponent of the leading digit: the digits between it and the point.
  const e = firstAt < intEnd ? intEnd - firstAt - 1 : intEnd - firstAt;
  x.e = e;
  let chunk = (e + 1) % wordDigits;
  if (e < 0) chunk += wordDigits;
  if (chunk === 0) chunk = wordDigits;
  const words: number[] = [];
  let word = 0;
  let taken = 0;
  for (let k = firstAt; k <= lastAt; k++) {
    if (k === intEnd) continue;
    word = word * 10 + text.charCodeAt(k) - 48;
    if (++taken === chunk) {
      words.push(word);
      word = 0;
      taken = 0;
      chunk = wordDigits;
    }
  }
  if (taken > 0) words.push(word * wordScale[chunk - taken]!);
  x.d = words;
  return x as unknown as Decimal;
}

/**
 * Prints a finite Decimal with `scale` digits after the point when that needs no rounding
 * (the value has at most `scale` of them); returns null otherwise.
 */
export function formatPlainDecimal(value: Decimal, scale: number): string | null {
  const words = value.d as readonly number[] | null;
  const e = value.e;
  if (words === null || words.length === 0) return null;
  // decimal.js never leads with a zero word except for zero itself; be sure of it.
  if (words[0] === 0 && words.length > 1) return null;
  let digits = String(words[0]);
  for (let k = 1; k < words.length; k++) digits += String(words[k]).padStart(wordDigits, "0");
  let end = digits.length;
  while (end > 1 && digits.charCodeAt(end - 1) === 48) end--;
  if (end !== digits.length) digits = digits.slice(0, end);
  const isZero = words.length === 1 && words[0] === 0;
  let whole: string;
  let fraction: string;
  if (isZero) {
    whole = "0";
    fraction = "";
  } else if (e >= 0) {
    whole = digits.length > e + 1 ? digits.slice(0, e + 1) : digits.padEnd(e + 1, "0");
    fraction = digits.length > e + 1 ? digits.slice(e + 1) : "";
  } else {
    whole = "0";
    fraction = "0".repeat(-e - 1) + digits;
  }
  if (fraction.length > scale) return null;
  const sign = value.s < 0 && !isZero ? "-" : "";
  if (scale === 0) return sign + whole;
  return sign + whole + "." + fraction.padEnd(scale, "0");
}
