/**
 * The jsonb btree order, as Postgres's compareJsonbContainers (checked on PG15):
 *
 *   [] < null < "a" < "ab" < "b" < 1 < false < true < [null] < ["b"] < [1] < [[1]] < [{}]
 *      < [1, 2] < {} < {"a": 1} < {"a": [1]} < {"aa": 0} < {"b": 0} < {"a": 1, "b": 2}
 *
 * A top-level scalar is stored as a one-element "raw scalar" array, which is why `[]` sorts
 * before `null`: arrays compare by element count first, then a raw scalar sorts first.
 * Nested values order null < string < number < boolean < array < object; arrays and
 * objects compare by size, then element by element (objects key, value, key, value...).
 */
import { JsonbTextObject } from "./jsonb-text.js";
import { compareNumeric } from "./numeric.js";
import { compareText } from "./text.js";
import type { Jsonb } from "./value.js";

export function compareJsonb(a: Jsonb, b: Jsonb): number {
  // One canonical text is one value (the converse fails: 1.0 equals 1.00).
  if (a instanceof JsonbTextObject && b instanceof JsonbTextObject && a.text === b.text) return 0;
  const aArray = Array.isArray(a);
  const bArray = Array.isArray(b);
  const aScalar = !aArray && !isObject(a);
  const bScalar = !bArray && !isObject(b);
  if (!aScalar && !bScalar) return compareValues(a, b);
  const aLength = aArray ? (a as readonly Jsonb[]).length : 1;
  const bLength = bArray ? (b as readonly Jsonb[]).length : 1;
  // Raw scalars act as one-element arrays; objects sort after every array.
  if (!aScalar && !aArray) return 1;
  if (!bScalar && !bArray) return -1;
  if (aLength !== bLength) return aLength - bLength;
  if (aScalar !== bScalar) return aScalar ? -1 : 1;
  return compareValues(a, b);
}

function rank(value: Jsonb): number {
  if (value === null || (value as { kind?: string }).kind === "null") return 0;
  if (typeof value === "string") return 1;
  if (typeof value === "boolean") return 3;
  if (Array.isArray(value)) return 4;
  return (value as { kind: string }).kind === "number" ? 2 : 5;
}

function isObject(value: Jsonb): boolean {
  return value !== null && typeof value === "object" && !Array.isArray(value) &&
    (value as { kind: string }).kind === "object";
}

function compareValues(a: Jsonb, b: Jsonb): number {
  const aRank = rank(a);
  const bRank = rank(b);
  if (aRank !== bRank) return aRank - bRank;
  switch (aRank) {
    case 0: return 0;
    case 1: return compareText(a as string, b as string);
    case 2: return compareNumeric(numberOf(a), numberOf(b));
    case 3: return a === b ? 0 : a === true ? 1 : -1;
    case 4: return compareArrays(a as readonly Jsonb[], b as readonly Jsonb[]);
    default: return compareObjects(a, b);
  }
}

function numberOf(value: Jsonb): import("decimal.js").Decimal {
  return (value as { value: import("decimal.js").Decimal }).value;
}

function compareArrays(a: readonly Jsonb[], b: readonly Jsonb[]): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) {
    const result = compareValues(a[i] ?? null, b[i] ?? null);
    if (result !== 0) return result;
  }
  return 0;
}

function compareObjects(a: Jsonb, b: Jsonb): number {
  const aEntries = (a as { entries: readonly (readonly [string, Jsonb])[] }).entries;
  const bEntries = (b as { entries: readonly (readonly [string, Jsonb])[] }).entries;
  if (aEntries.length !== bEntries.length) return aEntries.length - bEntries.length;
  for (let i = 0; i < aEntries.length; i++) {
    const aEntry = aEntries[i];
    const bEntry = bEntries[i];
    if (aEntry === undefined || bEntry === undefined) break;
    const keyResult = compareText(aEntry[0], bEntry[0]);
    if (keyResult !== 0) return keyResult;
    const valueResult = compareValues(aEntry[1], bEntry[1]);
    if (valueResult !== 0) return valueResult;
  }
  return 0;
}
