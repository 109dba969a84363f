/**
 * money: a signed 64-bit count of cents (PostgreSQL's cash.c), held as a bigint, printed and
 * read under lc_monetary 'C' as Postgres does: currency symbol "$", thousands separator ",",
 * decimal point ".", two fraction digits, a leading "-" for negatives.
 *
 *   input "$1,234.567" -> 123457n (a third fraction digit rounds)   output 123457n -> "$1,234.57"
 *   input "(12.3)"     -> -1230n                                    output -1230n  -> "-$12.30"
 */
import { Decimal } from "decimal.js";
import { SqlError, SqlState } from "@tessera/base";
import { ByteReader, ByteWriter } from "./binary.js";
import type { CastRow } from "./cast-table.js";
import { invalidInput, outOfRange, valueOutOfRange } from "./errors.js";
import { withScale } from "./numeric.js";
import { bigintKey, compareBigints, isSpaceCode, type TypeIo } from "./type-io.js";

/** money's OIDs (PostgreSQL 15's pg_type). */
export const MoneyTypeOid = { money: 790, moneyArray: 791 } as const;

const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;
/** lc_monetary C: frac_digits is unset, so Postgres uses two. */
const fractionDigits = 2;

export const moneyIo: TypeIo = {
  input: (text) => parseMoney(text),
  output: (value) => formatMoney(value as bigint),
  receive: (bytes) => {
    const reader = new ByteReader(bytes);
    const value = reader.int64();
    reader.end();
    return value;
  },
  send: (value) => new ByteWriter(8).int64(value as bigint).finish(),
  compare: (a, b) => compareBigints(a as bigint, b as bigint),
  equals: (a, b) => a === b,
  hashKey: (value) => bigintKey(value as bigint),
};

/** Prints cents as cash_out does under lc_monetary C. */
export function formatMoney(value: bigint): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(fractionDigits + 1, "0");
  const whole = digits.slice(0, digits.length - fractionDigits);
  let grouped = "";
  for (let end = whole.length; end > 0; end -= 3) {
    const part = whole.slice(Math.max(0, end - 3), end);
    grouped = grouped === "" ? part : `${part},${grouped}`;
  }
  return `${negative ? "-" : ""}$${grouped}.${digits.slice(digits.length - fractionDigits)}`;
}

/** Reads money text as cash_in does: the value is built negative, as Postgres builds it. */
export function parseMoney(text: string): bigint {
  let pos = skipSymbol(text, skipSpace(text, 0));
  let negative = false;
  if (text[pos] === "-" || text[pos] === "(") {
    negative = true;
    pos++;
  } else if (text[pos] === "+") {
    pos++;
  }
  pos = skipSymbol(text, skipSpace(text, pos));
  let value = 0n;
  let seenDot = false;
  let decimals = 0;
  const overflow = (): SqlError => valueOutOfRange("money", text);
  for (; pos < text.length; pos++) {
    const code = text.charCodeAt(pos);
    if (code >= 48 && code <= 57 && (!seenDot || decimals < fractionDigits)) {
      value = value * 10n - BigInt(code - 48);
      if (value < int64Min) throw overflow();
      if (seenDot) decimals++;
    } else if (text[pos] === "." && !seenDot) {
      seenDot = true;
    } else if (text[pos] !== ",") {
      break;
    }
  }
  const next = text.charCodeAt(pos);
  if (next >= 53 && next <= 57) {
    value -= 1n;
    if (value < int64Min) throw overflow();
  }
  for (; decimals < fractionDigits; decimals++) {
    value *= 10n;
    if (value < int64Min) throw overflow();
  }
  while (pos < text.length && text.charCodeAt(pos) >= 48 && text.charCodeAt(pos) <= 57) pos++;
  for (; pos < text.length; pos++) {
    const ch = text[pos]!;
    if (isSpaceCode(ch.charCodeAt(0)) || ch === ")" || ch === "+" || ch === "$") continue;
    if (ch === "-") negative = true;
    else throw invalidInput("money", text);
  }
  if (negative) return value;
  if (value === int64Min) throw overflow();
  return -value;
}

function skipSpace(text: string, start: number): number {
  let pos = start;
  while (pos < text.length && isSpaceCode(text.charCodeAt(pos))) pos++;
  return pos;
}

function skipSymbol(text: string, pos: number): number {
  return text[pos] === "$" ? skipSpace(text, pos + 1) : pos;
}

/** Checks a money result against int64, with Postgres's "money out of range". */
export function checkMoney(value: bigint): bigint {
  if (value < int64Min || value > int64Max) throw outOfRange("money");
  return value;
}

/** money to numeric: cents / 100 with scale 2 (cash_numeric). */
export function moneyToNumeric(value: bigint): Decimal {
  return withScale(new Decimal(value.toString()).div(100), fractionDigits);
}

/** numeric to money: round to cents half away from zero, as numeric_cash (via int8). */
export function numericToMoney(value: Decimal): bigint {
  if (!value.isFinite()) {
    throw new SqlError(SqlState.featureNotSupported,
      `cannot convert ${value.isNaN() ? "NaN" : "infinity"} to bigint`);
  }
  const cents = value.mul(100).toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
  const result = BigInt(cents.toFixed(0));
  if (result < int64Min || result > int64Max) throw outOfRange("bigint");
  return result;
}

/** money's casts (pg_cast): to and from numeric, from int4 and int8, all assignment. */
export const moneyCastRows: readonly CastRow[] = [
  [MoneyTypeOid.money, 1700, "a", "f", (v) => moneyToNumeric(v as bigint)],
  [1700, MoneyTypeOid.money, "a", "f", (v) => numericToMoney(v as Decimal)],
  [23, MoneyTypeOid.money, "a", "f", (v) => checkMoney(BigInt(v as number) * 100n)],
  [20, MoneyTypeOid.money, "a", "f", (v) => checkMoney((v as bigint) * 100n)],
];
