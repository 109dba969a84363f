/**
 * Interim text I/O, comparison and casts for the core types, used until `@tessera/sql`'s
 * registry lands. It covers bool, int2/int4/int8, oid, float4/float8 and the string types,
 * and answers 0A000 for the rest rather than guessing.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { Value } from "@tessera/sql";
import { Oid, typeInfo } from "./types.js";
import type { CastDef, Compare, FormatSettings } from "./type-io.js";

const isString = (t: number): boolean =>
  t === Oid.text || t === Oid.varchar || t === Oid.bpchar || t === Oid.name ||
  t === Oid.unknown || t === Oid.char;
const isInt = (t: number): boolean =>
  t === Oid.int2 || t === Oid.int4 || t === Oid.oid || t === Oid.regclass;

export function interimOutput(type: number, v: Value, _fmt: FormatSettings): string {
  if (typeof v === "boolean") return v ? "t" : "f";
  if (typeof v === "number") {
    if (Number.isNaN(v)) return "NaN";
    if (v === Infinity) return "Infinity";
    if (v === -Infinity) return "-Infinity";
    return String(v);
  }
  if (typeof v === "bigint" || typeof v === "string") return String(v);
  throw notSupported(`output of type ${typeInfo(type).name}`);
}

function badInput(type: number, text: string): SqlError {
  return new SqlError(SqlState.invalidTextRepresentation,
    `invalid input syntax for type ${typeInfo(type).sqlName}: "${text}"`);
}

function intInRange(type: number, n: number, text: string): number {
  const [lo, hi] = type === Oid.int2 ? [-32768, 32767]
    : type === Oid.oid ? [0, 4294967295] : [-2147483648, 2147483647];
  if (n < lo || n > hi) {
    throw new SqlError(SqlState.numericValueOutOfRange,
      `value "${text}" is out of range for type ${typeInfo(type).sqlName}`);
  }
  return n;
}

export function interimInput(type: number, text: string, typmod: number): Value {
  const trimmed = text.trim();
  if (isInt(type)) {
    if (!/^[+-]?\d+$/.test(trimmed)) throw badInput(type, text);
    return intInRange(type, Number(trimmed), text);
  }
  if (type === Oid.int8) {
    if (!/^[+-]?\d+$/.test(trimmed)) throw badInput(type, text);
    return BigInt(trimmed);
  }
  if (type === Oid.float8 || type === Oid.float4) {
    const n = Number(trimmed);
    if (trimmed === "" || Number.isNaN(n) && trimmed.toLowerCase() !== "nan") {
      throw badInput(type, text);
    }
    return type === Oid.float4 ? Math.fround(n) : n;
  }
  if (type === Oid.bool) {
    const lower = trimmed.toLowerCase();
    if (["t", "true", "y", "yes", "on", "1"].includes(lower)) return true;
    if (["f", "false", "n", "no", "off", "0"].includes(lower)) return false;
    throw badInput(type, text);
  }
  if (isString(type)) return stringTypmod(type, text, typmod, false);
  throw notSupported(`input of type ${typeInfo(type).name}`);
}

function stringTypmod(type: number, s: string, typmod: number, explicit: boolean): string {
  if (typmod < 0 || (type !== Oid.varchar && type !== Oid.bpchar)) return s;
  const length = typmod - 4;
  if (s.length > length) {
    if (explicit || /^ *$/.test(s.slice(length))) return s.slice(0, length);
    throw new SqlError(SqlState.stringDataRightTruncation,
      `value too long for type ${typeInfo(type).sqlName}(${length})`);
  }
  return type === Oid.bpchar ? s.padEnd(length, " ") : s;
}

function cmpPrimitive(a: Value, b: Value): number {
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

function cmpFloat(a: Value, b: Value): number {
  const x = a as number;
  const y = b as number;
  if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : 1;
  if (Number.isNaN(y)) return -1;
  return x < y ? -1 : x > y ? 1 : 0;
}

export function interimCompare(type: number): Compare {
  if (type === Oid.float4 || type === Oid.float8) return cmpFloat;
  if (type === Oid.bpchar) {
    return (a, b) => cmpPrimitive((a as string).trimEnd(), (b as string).trimEnd());
  }
  return cmpPrimitive;
}

const numericRank: Record<number, number> = {
  [Oid.int2]: 1, [Oid.int4]: 2, [Oid.int8]: 3, [Oid.float4]: 5, [Oid.float8]: 6,
  [Oid.oid]: 2,
};

function toNumberType(target: number, v: Value): Value {
  if (target === Oid.int8) {
    if (typeof v === "number") return BigInt(Math.round(v));
    return v;
  }
  const n = typeof v === "bigint" ? Number(v) : (v as number);
  if (target === Oid.float8) return n;
  if (target === Oid.float4) return Math.fround(n);
  const rounded = Math.round(n);
  return intInRange(target, rounded, String(v));
}

export function interimCast(source: number, target: number): CastDef | undefined {
  const from = numericRank[source];
  const to = numericRank[target];
  if (from !== undefined && to !== undefined) {
    const context = from < to ? "i" : "a";
    return { context, fn: (v) => toNumberType(target, v) };
  }
  if (isString(target) && source !== Oid.unknown) {
    const context = isString(source) ? "i" : "a";
    return {
      context,
      fn: (v, typmod, explicit) =>
        stringTypmod(target, isString(source) ? (v as string) : interimOutput(source, v,
          { setting: () => "" }), typmod, explicit),
    };
  }
  if (isString(source)) {
    return { context: "e", fn: (v, typmod) => interimInput(target, v as string, typmod) };
  }
  if (source === Oid.int4 && target === Oid.bool) {
    return { context: "e", fn: (v) => v !== 0 };
  }
  return undefined;
}
