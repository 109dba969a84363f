/**
 * Functions, operators and aggregates of macaddr, macaddr8 (mac.c, mac8.c) and money
 * (cash.c): comparisons, bitwise & | ~, trunc, macaddr8_set7bit, the casts' functions;
 * money arithmetic with PostgreSQL 15's overflow checks, cash_words, sum/min/max.
 *
 *   trunc('12:34:56:78:90:ab'::macaddr) -> 12:34:56:00:00:00
 *   '0.25'::money * 0.5                 -> $0.12 (rint: half to even)
 *   cash_words('1.01')                  -> One dollar and one cent
 */
import type { Value } from "../types/value.js";
import { MacTypeOid, macFromBytes, macToBytes, macaddr8ToMacaddr,
  macaddrToMacaddr8 } from "../types/macaddr.js";
import { MoneyTypeOid, checkMoney, moneyToNumeric, numericToMoney } from "../types/money.js";
import { compareText } from "../types/text.js";
import type { AggregateFunction, OperatorDef, ScalarFunction } from "./defs.js";
import { agg } from "./aggregate-util.js";
import { fn, op } from "./builders.js";
import type { Decimal } from "./decimal.js";
import { divisionByZero, outOfRange } from "./errors.js";
import { T } from "./type-oids.js";

const mac = MacTypeOid.macaddr;
const mac8 = MacTypeOid.macaddr8;
const money = MoneyTypeOid.money;

const comparisons: readonly [string, (c: number) => boolean, string, string][] = [
  ["=", (c) => c === 0, "<>", "="], ["<>", (c) => c !== 0, "=", "<>"],
  ["<", (c) => c < 0, ">=", ">"], ["<=", (c) => c <= 0, ">", ">="],
  [">", (c) => c > 0, "<=", "<"], [">=", (c) => c >= 0, "<", "<="],
];

function comparisonSet(type: number, cmp: (l: Value, r: Value) => number): OperatorDef[] {
  return comparisons.map(([name, test, negator, commutator]) =>
    op(name, type, type, T.bool, (l, r) => test(cmp(l, r)),
      { negator, commutator, comparator: { cmp, test } }));
}

const compareMac = (l: Value, r: Value): number => compareText(l as string, r as string);
const compareMoney = (l: Value, r: Value): number =>
  ((l as bigint) < (r as bigint) ? -1 : (l as bigint) > (r as bigint) ? 1 : 0);

/** Applies `f` to each byte pair of two addresses of one kind. */
function bytewise(l: Value, r: Value, f: (a: number, b: number) => number): string {
  const a = macToBytes(l as string);
  const b = macToBytes(r as string);
  return macFromBytes(a.map((byte, i) => f(byte, b[i]!) & 0xff));
}

/** Zeroes all bytes after the first three (the OUI). */
function truncMac(value: Value): string {
  return macFromBytes(macToBytes(value as string).map((byte, i) => (i < 3 ? byte : 0)));
}

export function macaddrMoneyOperators(): OperatorDef[] {
  const ops: OperatorDef[] = [
    ...comparisonSet(mac, compareMac), ...comparisonSet(mac8, compareMac),
    ...comparisonSet(money, compareMoney),
  ];
  for (const type of [mac, mac8]) {
    ops.push(op("&", type, type, type, (l, r) => bytewise(l, r, (a, b) => a & b)),
      op("|", type, type, type, (l, r) => bytewise(l, r, (a, b) => a | b)),
      op("~", 0, type, type, (_l, r) => bytewise(r, r, (a) => ~a)));
  }
  return [...ops, ...moneyArithmetic()];
}

export function macaddrMoneyFunctions(): (ScalarFunction | AggregateFunction)[] {
  return [
    fn("trunc", [mac], mac, (a) => truncMac(a[0] ?? null)),
    fn("trunc", [mac8], mac8, (a) => truncMac(a[0] ?? null)),
    fn("macaddr8_set7bit", [mac8], mac8, (a) => {
      const bytes = macToBytes(a[0] as string);
      bytes[0] = bytes[0]! | 0x02;
      return macFromBytes(bytes);
    }),
    fn("macaddr8", [mac], mac8, (a) => macaddrToMacaddr8(a[0] as string)),
    fn("macaddr", [mac8], mac, (a) => macaddr8ToMacaddr(a[0] as string)),
    fn("cash_words", [money], T.text, (a) => cashWords(a[0] as bigint)),
    fn("numeric", [money], T.numeric, (a) => moneyToNumeric(a[0] as bigint)),
    fn("money", [T.numeric], money, (a) => numericToMoney(a[0] as Decimal)),
    fn("money", [T.int4], money, (a) => checkMoney(BigInt(a[0] as number) * 100n)),
    fn("money", [T.int8], money, (a) => checkMoney((a[0] as bigint) * 100n)),
    fn("cashlarger", [money, money], money, (a) => larger(a[0]!, a[1]!, 1)),
    fn("cashsmaller", [money, money], money, (a) => larger(a[0]!, a[1]!, -1)),
    ...moneyAggregates(),
  ];
}

function larger(a: Value, b: Value, sign: number): Value {
  return sign * compareMoney(a, b) >= 0 ? a : b;
}

function moneyAggregates(): AggregateFunction[] {
  interface State { value: bigint | null }
  const sum = agg<State>({
    name: "sum", argTypes: [money], returnType: money,
    init: () => ({ value: null }),
    step: (s, a) => {
      const v = a[0] ?? null;
      if (v !== null) s.value = s.value === null ? (v as bigint) : addMoney(s.value, v);
      return s;
    },
    final: (s) => s.value,
    combine: (a, b) => ({ value: a.value === null ? b.value : b.value === null ? a.value
      : addMoney(a.value, b.value) }),
  });
  const pick = (name: string, sign: number): AggregateFunction => agg<State>({
    name, argTypes: [money], returnType: money,
    init: () => ({ value: null }),
    step: (s, a) => {
      const v = a[0] ?? null;
      if (v !== null && (s.value === null || sign * compareMoney(v, s.value) > 0)) {
        s.value = v as bigint;
      }
      return s;
    },
    final: (s) => s.value,
    combine: (a, b) => (a.value === null || (b.value !== null &&
      sign * compareMoney(b.value, a.value) > 0) ? b : a),
  });
  return [sum, pick("max", 1), pick("min", -1)];
}

function addMoney(a: Value, b: Value): bigint {
  return checkMoney((a as bigint) + (b as bigint));
}

/** A float result rounded to cents as rint does, or "money out of range". */
function moneyOfFloat(value: number): bigint {
  if (Number.isNaN(value) || !(value >= -(2 ** 63) && value < 2 ** 63)) {
    throw outOfRange("money");
  }
  let rounded = Math.round(value);
  if (rounded - value === 0.5 && rounded % 2 !== 0) rounded -= 1;
  return BigInt(rounded);
}

function moneyArithmetic(): OperatorDef[] {
  const m = (v: Value): bigint => v as bigint;
  const ops: OperatorDef[] = [
    op("+", money, money, money, (l, r) => addMoney(l, r), { commutator: "+" }),
    op("-", money, money, money, (l, r) => checkMoney(m(l) - m(r))),
    op("/", money, money, T.float8, (l, r) => {
      if (m(r) === 0n) throw divisionByZero();
      return Number(m(l)) / Number(m(r));
    }),
  ];
  for (const type of [T.int2, T.int4, T.int8]) {
    const i = (v: Value): bigint => BigInt(v as number | bigint);
    ops.push(op("*", money, type, money, (l, r) => checkMoney(m(l) * i(r))),
      op("*", type, money, money, (l, r) => checkMoney(i(l) * m(r))),
      op("/", money, type, money, (l, r) => {
        if (i(r) === 0n) throw divisionByZero();
        return checkMoney(m(l) / i(r));
      }));
  }
  for (const type of [T.float4, T.float8]) {
    const f = (v: Value): number => v as number;
    ops.push(op("*", money, type, money, (l, r) => moneyOfFloat(Number(m(l)) * f(r))),
      op("*", type, money, money, (l, r) => moneyOfFloat(f(l) * Number(m(r)))),
      op("/", money, type, money, (l, r) => {
        if (f(r) === 0) throw divisionByZero();
        return moneyOfFloat(Number(m(l)) / f(r));
      }));
  }
  return ops;
}

const small = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
  "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
  "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
  "ninety"];

/** Words for 0..999 as cash.c's num_word. */
function numWord(value: number): string {
  const tu = value % 100;
  const big = (n: number): string => small[18 + n]!;
  if (value <= 20) return small[value]!;
  const hundreds = value > 99 ? `${small[Math.floor(value / 100)]!} hundred` : "";
  if (tu === 0) return hundreds;
  let tail: string;
  if (value % 10 === 0 && tu > 10) tail = big(tu / 10);
  else if (tu < 20) tail = (hundreds === "" ? "" : "and ") + small[tu]!;
  else tail = `${big(Math.floor(tu / 10))} ${small[tu % 10]!}`;
  return hundreds === "" ? tail : `${hundreds} ${tail}`;
}

/** cash_words: the amount in English words, as cash.c spells it (spacing included). */
export function cashWords(value: bigint): string {
  let text = value < 0n ? "minus " : "";
  const prefix = text.length;
  const val = value < 0n ? -value : value;
  const group = (div: bigint): number => Number((val / div) % 1000n);
  const units: readonly [bigint, string][] = [[100000000000000000n, " quadrillion "],
    [100000000000000n, " trillion "], [100000000000n, " billion "], [100000000n, " million "],
    [100000n, " thousand "]];
  for (const [div, name] of units) if (group(div) !== 0) text += numWord(group(div)) + name;
  if (group(100n) !== 0) text += numWord(group(100n));
  if (text.length === prefix) text += "zero";
  const cents = Number(val % 100n);
  text += val / 100n === 1n ? " dollar and " : " dollars and ";
  text += numWord(cents) + (cents === 1 ? " cent" : " cents");
  return text.charAt(0).toUpperCase() + text.slice(1);
}
