/**
 * numeric's binary format, as Postgres's numeric_send: int16 ndigits, int16 weight, int16
 * sign, int16 dscale, then ndigits base-10000 digits, most significant first. The value is
 * sum(digit[i] * 10000^(weight - i)).
 *
 *   12.5 (dscale 1) -> ndigits 2, weight 0, sign 0, dscale 1, digits [12, 5000]
 */
import { Decimal } from "decimal.js";
import { ByteReader, ByteWriter } from "./binary.js";
import { invalidBinary } from "./errors.js";
import { numericScale, withScale } from "./numeric.js";

const signPositive = 0x0000;
const signNegative = 0x4000;
const signNaN = 0xc000;
const signPlusInfinity = 0xd000;
const signMinusInfinity = 0xf000;

export function numericSend(value: Decimal): Uint8Array {
  const writer = new ByteWriter(16);
  if (!value.isFinite()) {
    const sign = value.isNaN() ? signNaN : value.isNeg() ? signMinusInfinity : signPlusInfinity;
    return writer.int16(0).int16(0).int16(sign).int16(0).finish();
  }
  const scale = numericScale(value);
  const text = value.abs().toFixed(scale);
  const point = text.indexOf(".");
  const intPart = point < 0 ? text : text.slice(0, point);
  const fracPart = point < 0 ? "" : text.slice(point + 1);
  const intPadded = "0".repeat((4 - (intPart.length % 4)) % 4) + intPart;
  const fracPadded = fracPart + "0".repeat((4 - (fracPart.length % 4)) % 4);
  const groups: number[] = [];
  for (let i = 0; i < intPadded.length; i += 4) groups.push(Number(intPadded.slice(i, i + 4)));
  for (let i = 0; i < fracPadded.length; i += 4) groups.push(Number(fracPadded.slice(i, i + 4)));
  let weight = intPadded.length / 4 - 1;
  let first = 0;
  while (first < groups.length && groups[first] === 0) {
    first++;
    weight--;
  }
  let last = groups.length;
  while (last > first && groups[last - 1] === 0) last--;
  const digits = groups.slice(first, last);
  if (digits.length === 0) weight = 0;
  const sign = value.isNeg() && digits.length > 0 ? signNegative : signPositive;
  writer.int16(digits.length).int16(weight).int16(sign).int16(scale);
  for (const digit of digits) writer.int16(digit);
  return writer.finish();
}

export function numericReceive(bytes: Uint8Array): Decimal {
  const reader = new ByteReader(bytes);
  const count = reader.uint16();
  const weight = reader.int16();
  const sign = reader.uint16();
  const scale = reader.uint16();
  if (sign === signNaN) return new Decimal(NaN);
  if (sign === signPlusInfinity) return new Decimal(Infinity);
  if (sign === signMinusInfinity) return new Decimal(-Infinity);
  if (sign !== signPositive && sign !== signNegative) {
    throw invalidBinary("invalid sign in external \"numeric\" value");
  }
  if (scale > 0x3fff) throw invalidBinary("invalid scale in external \"numeric\" value");
  let text = "";
  for (let i = 0; i < count; i++) {
    const digit = reader.uint16();
    if (digit >= 10000) throw invalidBinary("invalid digit in external \"numeric\" value");
    text += String(digit).padStart(4, "0");
  }
  reader.end();
  const exponent = (weight + 1 - count) * 4;
  const magnitude = count === 0 ? new Decimal(0) : new Decimal(`${text}e${exponent}`);
  const value = sign === signNegative ? magnitude.neg() : magnitude;
  return withScale(value.toDecimalPlaces(scale, Decimal.ROUND_HALF_UP), scale);
}
